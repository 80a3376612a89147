//! Text folding shared by sorting and search: accent- and case-insensitive keys, and the CJK character pairs
//! that let one- and two-character Chinese or Japanese queries find longer names.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-case, accents removed: "Université de Montréal" → "universite de montreal".
pub fn fold(text: &str) -> String {
    text.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// Han, kana and hangul: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF
        | 0x20000..=0x2FA1F)
}

/// The words of `text` plus, for each run of CJK characters, every single character and every pair of
/// neighbours as separate words: "复旦大学" → "复旦大学 复 旦 大 学 复旦 旦大 大学".
pub fn with_cjk_grams(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    out.push_str(text);
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        for (i, c) in run.iter().enumerate() {
            out.push(' ');
            out.push(*c);
            if let Some(next) = run.get(i + 1) {
                out.push(' ');
                out.push(*c);
                out.push(*next);
            }
        }
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Trimmed text, or `None` when nothing is left.
pub fn clean(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("Universidade de São Paulo"), "universidade de sao paulo");
        assert_eq!(fold("Université de MONTRÉAL"), "universite de montreal");
        assert_eq!(fold("复旦大学"), "复旦大学");
    }

    #[test]
    fn cjk_runs_get_single_characters_and_pairs() {
        let grams = with_cjk_grams("Fudan 复旦大学");
        for token in ["复旦", "旦大", "大学", "复", "学"] {
            assert!(grams.split(' ').any(|t| t == token), "{token} missing from {grams}");
        }
        assert_eq!(with_cjk_grams("Lyon"), "Lyon");
    }
}
