import { useTranslation } from 'react-i18next';

import type { ContactRow } from '../bindings/ContactRow';
import { api } from '../ipc';
import { labelText } from './Name';
import { SearchPicker, type PickerProps } from './SearchPicker';

/**
 * A search-as-you-type combobox over the contacts (`contacts_list` with `search`, 10 results). With
 * `onCreate`, typed text is also offered as a new person ("Create “Wei Li”…").
 */
export function ContactPicker({ onCreate, ...props }: PickerProps & { onCreate?: (text: string) => void }) {
  const { t } = useTranslation();
  return (
    <SearchPicker<ContactRow>
      {...props}
      queryKey="contactPicker"
      search={async (q) => (await api.contactsList({ search: q || undefined, descending: false, offset: 0, limit: 10 })).rows}
      optionId={(r) => r.id}
      optionName={(r) => r.name || r.native_name || t('contact.unnamed')}
      optionSub={(r) => [r.role, labelText(r.organisation_labels, r.organisation), r.email].filter(Boolean).join(' · ')}
      placeholder={t('picker.contactPlaceholder')}
      clearLabel={t('picker.clear')}
      noMatches={t('picker.noContact')}
      create={onCreate && { label: (text) => t('picker.createNamed', { text }), onCreate }}
    />
  );
}
