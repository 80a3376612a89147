import { useState, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

type Part = 'day' | 'month' | 'year';

/** The order of day, month and year in the UI language's dates (day first in French, month first in English). */
export function dateOrder(lang: string): Part[] {
  return new Intl.DateTimeFormat(lang, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(Date.UTC(2026, 0, 31)))
    .map((p) => p.type)
    .filter((t): t is Part => t === 'day' || t === 'month' || t === 'year');
}

const pad = (n: string, width: number) => n.padStart(width, '0');

/** `2026-09-01` as the language writes it: 01/09/2026 in French, 09/01/2026 in English. */
export function writeDate(iso: string, lang: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const parts: Record<Part, string> = { year: m[1], month: m[2], day: m[3] };
  return dateOrder(lang)
    .map((p) => parts[p])
    .join('/');
}

/**
 * What was typed, as `YYYY-MM-DD` when it reads as a date in the language's order (or already is one);
 * null otherwise. Whether that day exists is the core's to say.
 */
export function readDate(text: string, lang: string): string | null {
  const s = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return `${iso[1]}-${pad(iso[2], 2)}-${pad(iso[3], 2)}`;
  const numbers = s.split(/[/.\-\s]+/);
  if (numbers.length !== 3 || numbers.some((n) => !/^\d+$/.test(n))) return null;
  const parts = {} as Record<Part, string>;
  dateOrder(lang).forEach((p, i) => (parts[p] = numbers[i]));
  if (parts.year.length !== 4 || parts.month.length > 2 || parts.day.length > 2) return null;
  return `${parts.year}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

/**
 * A date typed in the UI language's order, with a placeholder that says it (jj/mm/aaaa in French). The
 * webview's own date input follows the system's locale whatever the UI language. `value` and `onChange` are
 * `YYYY-MM-DD` (or the text as typed while it is not a date, for the core to refuse).
 */
export function DateInput({
  value,
  onChange,
  className = 'input',
  ...rest
}: { value: string; onChange: (value: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'>) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [text, setText] = useState(() => writeDate(value, lang));
  // What was typed stands while it says the same as the value; a value set from elsewhere (or another
  // language) is written anew.
  const shown = (readDate(text, lang) ?? text.trim()) === value ? text : writeDate(value, lang);
  const placeholder = dateOrder(lang)
    .map((p) => t(`form.dateParts.${p}`))
    .join('/');
  return (
    <input
      {...rest}
      className={`${className} input-date`}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      placeholder={placeholder}
      value={shown}
      onChange={(e) => {
        setText(e.target.value);
        onChange(readDate(e.target.value, lang) ?? e.target.value.trim());
      }}
    />
  );
}
