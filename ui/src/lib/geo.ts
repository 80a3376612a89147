import type { Zone } from '../bindings/Zone';

/** ISO 3166-1 alpha-2 codes (officially assigned), the choices of the country field. */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
  'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** Common BCP-47 tags offered for partner names and contact languages. */
export const COMMON_LANGUAGE_TAGS: readonly string[] = ['fr', 'en', 'zh-Hans', 'zh-Hant', 'ja', 'pt-BR', 'ko', 'de', 'es', 'it'];

const EUROPE = new Set(
  'FR DE IT ES BE NL CH GB PT AT IE LU SE DK FI NO PL CZ GR BG HR CY EE HU LV LT MT RO SK SI IS LI MC AD SM VA'.split(' '),
);

/** The zone suggested for a country (the core applies the same rule when zone is left empty). */
export function zoneOfCountry(country: string | null | undefined): Zone {
  switch (country) {
    case 'BR':
      return 'brazil';
    case 'CA':
      return 'canada';
    case 'CN':
    case 'HK':
    case 'MO':
    case 'TW':
      return 'china';
    case 'JP':
      return 'japan';
    default:
      return country && EUROPE.has(country) ? 'france_europe' : 'other';
  }
}

const displayNames = new Map<string, Intl.DisplayNames | null>();

function names(lang: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  const key = `${lang}:${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([lang], { type, fallback: 'code' }));
    } catch {
      displayNames.set(key, null);
    }
  }
  return displayNames.get(key) ?? null;
}

/** "CN" → "China" / "Chine"; the code itself when unknown. */
export function countryName(code: string | null | undefined, lang: string): string {
  if (!code) return '';
  try {
    return names(lang, 'region')?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "zh-Hans" → "Simplified Chinese" / "chinois simplifié"; the tag itself when unknown. */
export function languageName(tag: string | null | undefined, lang: string): string {
  if (!tag) return '';
  try {
    return names(lang, 'language')?.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** All countries as {code, name}, sorted by their name in `lang`. */
export function countryOptions(lang: string, codes: readonly string[] = COUNTRY_CODES): { code: string; name: string }[] {
  const collator = new Intl.Collator(lang);
  return codes.map((code) => ({ code, name: countryName(code, lang) })).sort((a, b) => collator.compare(a.name, b.name));
}
