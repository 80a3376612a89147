import { useTranslation } from 'react-i18next';

import type { AgreementStatus } from '../../bindings/AgreementStatus';

export function AgreementStatusBadge({ status, testId }: { status: AgreementStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-status badge-agreement-${status}`} data-testid={testId} data-status={status}>
      {t(`enums.agreementStatus.${status}`)}
    </span>
  );
}
