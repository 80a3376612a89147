import { useTranslation } from 'react-i18next';

import type { PartnerRow } from '../bindings/PartnerRow';
import { currentLang } from '../i18n';
import { api } from '../ipc';
import { countryName } from '../lib/geo';
import { labelOf, Name } from './Name';
import { SearchPicker, type Picked, type PickerProps } from './SearchPicker';

export type PickedPartner = Picked;

/** A search-as-you-type combobox over the partners (`partners_list` with `search`, 10 results). */
export function PartnerPicker(props: PickerProps & { placeholder?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <SearchPicker<PartnerRow>
      {...props}
      queryKey="partnerPicker"
      search={async (q) =>
        (await api.partnersList({ search: q || undefined, descending: false, offset: 0, limit: 10, lang: currentLang() })).rows
      }
      optionId={(r) => r.id}
      optionName={(r) => (r.native ? `${r.name} ${r.native}` : r.name)}
      optionLabel={(r) => <Name label={labelOf(r)} />}
      optionSub={(r) => [r.acronym, r.city, countryName(r.country, i18n.language)].filter(Boolean).join(' · ')}
      placeholder={props.placeholder ?? t('form.parentPlaceholder')}
      clearLabel={t('form.clearParent')}
      noMatches={t('form.noMatches')}
    />
  );
}
