import { useTranslation } from 'react-i18next';

import type { ApplicationStatus } from '../bindings/ApplicationStatus';

export function ApplicationStatusBadge({ status, testId }: { status: ApplicationStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-status badge-application-${status}`} data-testid={testId} data-status={status}>
      {t(`enums.applicationStatus.${status}`)}
    </span>
  );
}
