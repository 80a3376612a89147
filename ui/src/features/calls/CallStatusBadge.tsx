import { useTranslation } from 'react-i18next';

import type { CallStatus } from '../../bindings/CallStatus';

export function CallStatusBadge({ status, testId }: { status: CallStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-status badge-call-${status}`} data-testid={testId} data-status={status}>
      {t(`enums.callStatus.${status}`)}
    </span>
  );
}
