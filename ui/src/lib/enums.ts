import type { IdScheme } from '../bindings/IdScheme';

// The vocabularies themselves, their order and the rules over them come from the core (lib/rules.tsx); what
// is here is presentation: examples, suggestions, labels.

/** Placeholders of the identifier inputs. */
export const SCHEME_EXAMPLES: Record<IdScheme, string> = {
  ror: '013q1eq08',
  erasmus: 'F  LYON03',
  schac: 'univ-lyon.fr',
  pic: '999884732',
  wikidata: 'Q1056543',
  isni: '0000 0001 2156 142X',
};

/** "2025/2026" for 2025: academic years are named by the year they start in. */
export function academicYearLabel(year: number | null | undefined): string {
  return typeof year === 'number' && Number.isFinite(year) ? `${year}/${year + 1}` : '';
}

/** The academic year under way on `date` (it starts in September): 2025 from September 2025 to August 2026. */
export function currentAcademicYear(date: Date = new Date()): number {
  return date.getMonth() >= 8 ? date.getFullYear() : date.getFullYear() - 1;
}

/** Common currencies offered for an exchange's amount (ISO 4217). */
export const COMMON_CURRENCIES: readonly string[] = ['EUR', 'CNY', 'JPY', 'BRL', 'CAD', 'USD', 'CHF', 'GBP'];
/** Usual funders, offered as suggestions. */
export const COMMON_FUNDINGS: readonly string[] = ['CSC', 'IDEXLYON', 'Région', 'Erasmus+', 'JSPS', 'Mitacs', 'CAPES'];

/** The windows the reminders can look ahead, in days (90 by default). */
export const REMINDER_WINDOWS: readonly number[] = [30, 90, 180, 365];
