import type { TFunction } from 'i18next';

import type { FieldError } from '../bindings/FieldError';
import type { ImportMatch } from '../bindings/ImportMatch';
import type { ImportRowError } from '../bindings/ImportRowError';
import type { IpcError } from '../bindings/IpcError';

export type FieldErrors = Record<string, FieldError>;

/** Field errors by path (`names[0].value`); the first one wins when a field has several. */
export function fieldErrorMap(fields: FieldError[]): FieldErrors {
  const map: FieldErrors = {};
  for (const f of fields) if (!map[f.field]) map[f.field] = f;
  return map;
}

/**
 * The translated message of a field error, by its code; the core's English message otherwise. A translation
 * may quote the core's message (`{{message}}`): the workflow and eligibility errors say which rule failed.
 */
export function fieldErrorText(t: TFunction, error: FieldError): string {
  const key = `errors.codes.${error.code}`;
  const text = t(key, { message: error.message });
  return text === key ? error.message : text;
}

/**
 * An import row error in the reader's language, from the core's code and params (`import.errors.<code>`, or a
 * record rule's `errors.codes.<code>`); the core's English message for a code this UI does not know.
 */
export function importErrorText(t: TFunction, error: ImportRowError): string {
  const params: Record<string, string> = { ...error.params, message: error.message };
  if (params.kind) params.kind = t(`import.nouns.${params.kind}`, { defaultValue: params.kind });
  // How the record was found (same as another row, several records): `by_code` with its values `by_…`.
  if (params.by_code) {
    const values = Object.fromEntries(Object.entries(error.params).flatMap(([k, v]) => (k.startsWith('by_') ? [[k.slice(3), v]] : [])));
    params.by = t(`import.by.${params.by_code}`, { ...values, defaultValue: params.by });
  }
  for (const key of [`import.errors.${error.code}`, `errors.codes.${error.code}`]) {
    const text = t(key, params);
    if (text !== key) return text;
  }
  return error.message;
}

/** How an import row's record was found, in the reader's language (`import.by.<code>`), else the core's English. */
export function importMatchText(t: TFunction, by: ImportMatch): string {
  return t(`import.by.${by.code}`, { ...by.params, defaultValue: by.text });
}

const KINDS = ['invalid', 'not_found', 'not_initialised', 'database', 'io', 'json'];

/** A sentence for a banner: the kind translated, with the core's message as details. */
export function errorSummary(t: TFunction, error: IpcError): string {
  return KINDS.includes(error.kind) ? t(`errors.${error.kind}`) : t('errors.unknown');
}

/**
 * Re-index field paths of a list whose empty rows were not sent: `emails[1]` of what was sent is `emails[3]`
 * of the form when `sentToForm` is [0, 3, …].
 */
export function remapIndex(fields: FieldError[], list: string, sentToForm: number[]): FieldError[] {
  const re = new RegExp(`^${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\[(\\d+)\\]`);
  return fields.map((f) => {
    const m = re.exec(f.field);
    if (!m) return f;
    const formIndex = sentToForm[Number(m[1])];
    return formIndex === undefined ? f : { ...f, field: f.field.replace(re, `${list}[${formIndex}]`) };
  });
}

/**
 * Field errors that follow their rows: the errors of `list[s]` (s the row's index when the form was saved,
 * `savedKeys[s]` its key) move to the row's index now, and go with the row when it is removed.
 */
export function followRows(errors: FieldErrors, list: string, savedKeys: readonly number[], currentKeys: readonly number[]): FieldErrors {
  const re = new RegExp(`^${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\[(\\d+)\\]`);
  const moved: FieldErrors = {};
  for (const [path, error] of Object.entries(errors)) {
    const m = re.exec(path);
    if (!m) {
      moved[path] = error;
      continue;
    }
    const now = currentKeys.indexOf(savedKeys[Number(m[1])]);
    if (now < 0) continue;
    const field = path.replace(re, `${list}[${now}]`);
    moved[field] = { ...error, field };
  }
  return moved;
}
