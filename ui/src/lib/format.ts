/** "2026-11-21T06:49:28Z" → localized date and time; the text itself when it is not a date. */
export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** "2026-09-01" → localized calendar date (no time zone shift). */
export function formatDate(ymd: string | null | undefined, lang: string): string {
  if (!ymd) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(lang).format(n);
}

/** Trimmed text, or null when empty. */
export function blankToNull(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  return v === '' ? null : v;
}

/** Digits of a currency's minor unit: 2 for EUR, 0 for JPY; 2 when the currency is unknown. */
export function minorDigits(currency: string | null | undefined): number {
  const code = (currency ?? '').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return 2;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units (cents) as money: 150000 EUR → "€1,500.00" / "1 500,00 €". */
export function formatMoney(minor: number, currency: string | null | undefined, lang: string): string {
  const code = (currency ?? '').trim().toUpperCase();
  const digits = minorDigits(code);
  const major = minor / 10 ** digits;
  if (/^[A-Z]{3}$/.test(code)) {
    try {
      return new Intl.NumberFormat(lang, { style: 'currency', currency: code }).format(major);
    } catch {
      // unknown to Intl: number and code below
    }
  }
  const number = new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(major);
  return code ? `${number} ${code}` : number;
}

/** Minor units as the decimal text of the amount field: 150000 EUR → "1500.00", 1500 JPY → "1500". */
export function minorToMajorText(minor: number | null | undefined, currency: string | null | undefined): string {
  if (minor === null || minor === undefined) return '';
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = Math.abs(Math.trunc(minor)).toString().padStart(digits + 1, '0');
  const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

/**
 * Decimal text typed in major units ("1 500,5", "1,500.50", "1.500,50", "1500") → minor units for `currency`:
 * null when empty, undefined when it is not an amount (or has more decimals than the currency has). With a
 * single separator followed by exactly three digits, the only reading that fits a currency with fewer
 * decimals is kept: "1,500" and "1.500" are 1500 euros.
 */
export function parseMajor(text: string, currency: string | null | undefined): number | null | undefined {
  let s = text.replace(/[\s\u00a0\u202f'’_]/g, '');
  if (s === '') return null;
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  const digits = minorDigits(currency);
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let decimal: string | null = null;
  if (lastComma >= 0 && lastDot >= 0) {
    decimal = lastComma > lastDot ? ',' : '.';
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const parts = s.split(sep);
    const grouping = parts.length > 2 || (parts[1].length === 3 && digits < 3);
    decimal = grouping ? null : sep;
  }
  let whole = s;
  let fraction = '';
  if (decimal) {
    const at = s.lastIndexOf(decimal);
    whole = s.slice(0, at) || '0';
    fraction = s.slice(at + 1);
  }
  if (/[.,]/.test(whole)) {
    // Thousands: one kind of separator, groups of three digits.
    if (!/^\d{1,3}(?:,\d{3})+$/.test(whole) && !/^\d{1,3}(?:\.\d{3})+$/.test(whole)) return undefined;
    whole = whole.replace(/[.,]/g, '');
  }
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction) || fraction.length > digits) return undefined;
  const value = Number(whole + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(value)) return undefined;
  return negative ? -value : value;
}

/** 82.46 → "82.5" ("82,5" in French). */
export function formatScore(score: number, lang: string): string {
  return new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(score);
}

/** A whole number typed in a number input; null when empty (or not a number: the input does not allow it). */
export function toInt(value: string): number | null {
  const v = value.trim();
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

/** A decimal typed in a number input ("7.5", "7,5"): null when empty, undefined when not a number. */
export function toNumber(value: string): number | null | undefined {
  const v = value.trim().replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** "from 1 Sept. 2024 to 30 June 2025", "since …", "until …"; empty without dates. */
export function dateRange(t: (k: string, o?: Record<string, string>) => string, lang: string, start: string | null, end: string | null): string {
  if (start && end) return t('contact.from', { start: formatDate(start, lang), end: formatDate(end, lang) });
  if (start) return t('contact.since', { date: formatDate(start, lang) });
  if (end) return t('contact.until', { date: formatDate(end, lang) });
  return '';
}

/** "ASF-26-001 · QUANTUM-LINK". */
export function applicationLabel(a: { reference: string | null; acronym: string | null }): string {
  return [a.reference, a.acronym].filter(Boolean).join(' · ');
}
