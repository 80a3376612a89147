import { useTranslation } from 'react-i18next';

import type { ProjectStatus } from '../../bindings/ProjectStatus';

export function ProjectStatusBadge({ status, testId }: { status: ProjectStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-status badge-project-${status}`} data-testid={testId} data-status={status}>
      {t(`enums.projectStatus.${status}`)}
    </span>
  );
}
