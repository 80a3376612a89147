// Fields of study as text: the alliance's fields by their name, ISCED-F 2013 codes by the core's labels
// (rules.isced_fields), in the UI's language.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import type { IscedField } from '../bindings/IscedField';
import type { Rules } from '../bindings/Rules';
import { useRules } from './rules';

function inLanguage(field: IscedField, lang: string): string {
  return lang.startsWith('fr') ? field.fr : field.en;
}

/**
 * A field of study as text: an alliance field by its name ("Health"), an ISCED-F 2013 code with its detailed
 * field's label ("0912 · Medicine"), or its broad field's for a code ISCED-F does not list, anything else as is.
 */
export function fieldLabel(t: TFunction, rules: Rules, lang: string, code: string | null | undefined): string {
  const c = (code ?? '').trim().toLowerCase();
  if (!c) return '';
  if (rules.alliance_fields.includes(c)) return t(`enums.field.${c}`);
  if (/^\d{4}$/.test(c)) {
    const field = rules.isced_fields.find((f) => f.code === c) ?? rules.isced_broad_fields.find((f) => f.code === c.slice(0, 2));
    return field ? `${c} · ${inLanguage(field, lang)}` : c;
  }
  return code ?? '';
}

/** `fieldLabel` in the UI's language, for a component. */
export function useFieldLabel(): (code: string | null | undefined) => string {
  const { t, i18n } = useTranslation();
  const rules = useRules();
  return (code) => fieldLabel(t, rules, i18n.language, code);
}

/** The hint shown beside a typed field code (empty when the text says it already). */
export function useFieldHint(): (code: string) => string {
  const label = useFieldLabel();
  return (code) => {
    const text = label(code);
    return text && text !== code.trim() ? text : '';
  };
}

/** A field of study by its label, for text built outside a component (the history). */
export function FieldName({ code }: { code: string }) {
  return <>{useFieldLabel()(code)}</>;
}

/** The suggestions of a field input: the alliance's fields, then every ISCED-F detailed field. */
export function FieldOptions({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const rules = useRules();
  return (
    <datalist id={id}>
      {rules.alliance_fields.map((f) => (
        <option key={f} value={f}>
          {t(`enums.field.${f}`)}
        </option>
      ))}
      {rules.isced_fields.map((f) => (
        <option key={f.code} value={f.code}>
          {inLanguage(f, i18n.language)}
        </option>
      ))}
    </datalist>
  );
}
