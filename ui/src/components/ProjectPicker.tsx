import { useTranslation } from 'react-i18next';

import type { ProjectRow } from '../bindings/ProjectRow';
import { api } from '../ipc';
import { SearchPicker, type PickerProps } from './SearchPicker';

/** A search-as-you-type combobox over the projects (`projects_list` with `search`, 10 results). */
export function ProjectPicker(props: PickerProps) {
  const { t } = useTranslation();
  return (
    <SearchPicker<ProjectRow>
      {...props}
      queryKey="projectPicker"
      search={async (q) => (await api.projectsList({ search: q || undefined, descending: false, offset: 0, limit: 10 })).rows}
      optionId={(r) => r.id}
      optionName={(r) => r.title}
      optionSub={(r) => [r.code, t(`enums.projectKind.${r.kind}`), t(`enums.projectStatus.${r.status}`)].filter(Boolean).join(' · ')}
      placeholder={t('picker.projectPlaceholder')}
      clearLabel={t('picker.clear')}
      noMatches={t('picker.noProject')}
    />
  );
}
