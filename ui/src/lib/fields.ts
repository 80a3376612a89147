import type { TFunction } from 'i18next';

/**
 * A field of study as text: an alliance field by its name ("Health"), an ISCED-F 2013 code with its broad
 * field ("0731 · Engineering, manufacturing and construction"), anything else as is.
 */
export function fieldLabel(t: TFunction, code: string | null | undefined): string {
  const c = (code ?? '').trim().toLowerCase();
  if (!c) return '';
  // The alliance's fields (the core's list) are the ones with a name of their own.
  const named = `enums.field.${c}`;
  const name = t(named);
  if (name !== named) return name;
  if (/^\d{4}$/.test(c)) {
    const key = `isced.${c.slice(0, 2)}`;
    const broad = t(key);
    return broad === key ? c : `${c} · ${broad}`;
  }
  return code ?? '';
}

/** The hint shown beside a typed field code (empty when the text says it already). */
export function fieldHint(t: TFunction, code: string): string {
  const label = fieldLabel(t, code);
  return label && label !== code.trim() ? label : '';
}
