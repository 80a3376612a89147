import { useTranslation } from 'react-i18next';

import type { AgreementRow } from '../bindings/AgreementRow';
import { api } from '../ipc';
import { labelsText } from './Name';
import { SearchPicker, type PickerProps } from './SearchPicker';

/** A search-as-you-type combobox over the agreements (`agreements_list` with `search`, 10 results). */
export function AgreementPicker(props: PickerProps) {
  const { t } = useTranslation();
  return (
    <SearchPicker<AgreementRow>
      {...props}
      queryKey="agreementPicker"
      search={async (q) =>
        (await api.agreementsList({ search: q || undefined, sort: 'title', descending: false, offset: 0, limit: 10 })).rows
      }
      optionId={(r) => r.id}
      optionName={(r) => r.title}
      optionSub={(r) => [r.code, t(`enums.agreementStatus.${r.status}`), labelsText(r.party_labels)].filter(Boolean).join(' · ')}
      placeholder={t('picker.agreementPlaceholder')}
      clearLabel={t('picker.clear')}
      noMatches={t('picker.noAgreement')}
    />
  );
}
