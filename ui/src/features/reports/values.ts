// A report's values as the page shows them: each column's kind (from the core) says how a value is written,
// in the UI's language. The figures themselves are the core's; nothing here counts.
import type { Value } from '../../bindings/Value';
import type { ValueKind } from '../../bindings/ValueKind';
import { formatDate } from '../../lib/format';

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: string, kind: ValueKind): Intl.NumberFormat {
  const key = `${lang}:${kind}`;
  let format = formatters.get(key);
  if (!format) {
    const options: Intl.NumberFormatOptions =
      kind === 'count'
        ? { maximumFractionDigits: 0 }
        : kind === 'percent'
          ? { style: 'percent', maximumFractionDigits: 1 }
          : kind === 'money'
            ? { minimumFractionDigits: 0, maximumFractionDigits: 2 }
            : { maximumFractionDigits: 2 };
    format = new Intl.NumberFormat(lang, options);
    formatters.set(key, format);
  }
  return format;
}

/** Whether a column of this kind holds numbers (right-aligned, tabular digits). */
export function isNumeric(kind: ValueKind): boolean {
  return kind === 'count' || kind === 'number' || kind === 'percent' || kind === 'money';
}

/** A value as text: numbers grouped and rounded as their kind says (0.25 → "25 %"), dates as the app writes them. */
export function formatValue(value: Value | undefined, kind: ValueKind, lang: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return kind === 'date' ? formatDate(value, lang) : value;
  if (kind === 'text' || kind === 'date') return String(value);
  return numberFormat(lang, kind).format(value);
}
