/** Common BCP-47 tags offered for partner names and contact languages. */
export const COMMON_LANGUAGE_TAGS: readonly string[] = ['fr', 'en', 'zh-Hans', 'zh-Hant', 'ja', 'pt-BR', 'ko', 'de', 'es', 'it'];

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

/** Countries (codes from the core's rules) as {code, name}, sorted by their name in `lang`. */
export function countryOptions(lang: string, codes: readonly string[]): { code: string; name: string }[] {
  const collator = new Intl.Collator(lang);
  return codes.map((code) => ({ code, name: countryName(code, lang) })).sort((a, b) => collator.compare(a.name, b.name));
}
