import { useTranslation } from 'react-i18next';

import type { PartnerStatus } from '../../bindings/PartnerStatus';

export function StatusBadge({ status }: { status: PartnerStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge-status badge-${status}`}>{t(`enums.status.${status}`)}</span>;
}
