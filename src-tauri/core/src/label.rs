//! Which of an organisation's names a reader sees: the one in the reader's language, else English, else the
//! primary name, with the primary name beside it when it is written in another script (a Lyon officer reads
//! "Tohoku University 東北大学", never 東北大学 alone). The app passes its UI language; the CLI writes English.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::text::fold;

/// A language the app's UI speaks, as a BCP-47 primary subtag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum UiLang {
    #[default]
    En,
    Fr,
}

impl UiLang {
    pub const ALL: [UiLang; 2] = [UiLang::En, UiLang::Fr];

    pub fn as_str(self) -> &'static str {
        match self {
            UiLang::En => "en",
            UiLang::Fr => "fr",
        }
    }

    pub fn from_stored(s: &str) -> UiLang {
        if s == "fr" {
            UiLang::Fr
        } else {
            UiLang::En
        }
    }
}

/// A name as shown: its text and language tag (for the `lang` attribute that picks the right font), and the
/// name in its own script beside it when that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Label {
    pub name: String,
    /// BCP-47 tag of `name`; empty when unknown.
    pub lang: String,
    /// The primary name, when it is written in another script than `name`: 東北大学 beside Tohoku University.
    pub native: Option<String>,
    pub native_lang: Option<String>,
}

impl Label {
    /// "Tohoku University (東北大学)", or the name alone.
    pub fn text(&self) -> String {
        match &self.native {
            Some(native) => format!("{} ({native})", self.name),
            None => self.name.clone(),
        }
    }

    /// The key lists sort by: the shown name, folded.
    pub fn sort_key(&self) -> String {
        fold(&self.name)
    }
}

/// A partner's label for every UI language, so a record read once shows right in either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Labels {
    pub en: Label,
    pub fr: Label,
}

impl Labels {
    pub fn of(names: &[(&str, &str, bool)]) -> Labels {
        Labels { en: pick(names, UiLang::En), fr: pick(names, UiLang::Fr) }
    }

    pub fn get(&self, ui: UiLang) -> &Label {
        match ui {
            UiLang::En => &self.en,
            UiLang::Fr => &self.fr,
        }
    }
}

/// [`Label::text`] as SQL over the `partner_label` row aliased `alias`: "Tohoku University (東北大学)", or
/// the name alone; NULL when the row is absent.
pub fn text_sql(alias: &str) -> String {
    format!("({alias}.name || coalesce(' (' || {alias}.native || ')', ''))")
}

/// Reads the [`Labels`] a query selected as eight columns from `at`: name, lang, native and native_lang of
/// the partner's `partner_label` row for `en`, then for `fr`. `None` when the partner is not here (pending
/// sync, deleted).
pub fn labels_at(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Option<Labels>> {
    let one = |at: usize| -> rusqlite::Result<Option<Label>> {
        let Some(name) = r.get::<_, Option<String>>(at)? else { return Ok(None) };
        Ok(Some(Label {
            name,
            lang: r.get::<_, Option<String>>(at + 1)?.unwrap_or_default(),
            native: r.get(at + 2)?,
            native_lang: r.get(at + 3)?,
        }))
    };
    Ok(match (one(at)?, one(at + 4)?) {
        (Some(en), Some(fr)) => Some(Labels { en, fr }),
        _ => None,
    })
}

/// A partner's [`Labels`] as `partner_label` holds them; `None` when the partner is not here (pending sync,
/// deleted).
pub fn labels_of(conn: &Connection, partner: Uuid) -> rusqlite::Result<Option<Labels>> {
    conn.prepare_cached(
        "SELECT en.name, en.lang, en.native, en.native_lang, fr.name, fr.lang, fr.native, fr.native_lang
         FROM partner_label en JOIN partner_label fr ON fr.partner_id = en.partner_id AND fr.ui = 'fr'
         WHERE en.partner_id = ?1 AND en.ui = 'en'",
    )?
    .query_row(params![partner], |r| labels_at(r, 0))
    .optional()
    .map(Option::flatten)
}

/// Whether a BCP-47 tag is of `language` (its primary subtag): `pt-BR` is `pt`, `zh-Hans` is `zh`.
fn is_of(tag: &str, language: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    primary.eq_ignore_ascii_case(language)
}

/// Whether every letter of `text` is Latin (accents included), so it reads in the same script as a Latin name.
fn is_latin(text: &str) -> bool {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| matches!(c as u32, 0x0041..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF))
}

/// The label of names given as (value, BCP-47 tag, primary) for a reader of `ui`: the name in that language
/// (the primary one if it is), else the English one, else the primary (or first) name; with the primary name
/// beside it when the shown name is another and the two are not in the same script.
pub fn pick(names: &[(&str, &str, bool)], ui: UiLang) -> Label {
    let primary = names.iter().find(|n| n.2).or(names.first());
    let in_language = |language: &str| {
        let mut of = names.iter().filter(|n| is_of(n.1, language));
        of.clone().find(|n| n.2).or_else(|| of.next())
    };
    let shown = in_language(ui.as_str()).or_else(|| in_language("en")).or(primary);
    let Some(&(name, lang, _)) = shown else {
        return Label { name: String::new(), lang: String::new(), native: None, native_lang: None };
    };
    let native = primary.filter(|p| p.0 != name && is_latin(name) != is_latin(p.0));
    Label {
        name: name.to_owned(),
        lang: lang.to_owned(),
        native: native.map(|p| p.0.to_owned()),
        native_lang: native.map(|p| p.1.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOHOKU: &[(&str, &str, bool)] = &[("東北大学", "ja", true), ("Tohoku University", "en", false)];
    const LYON1: &[(&str, &str, bool)] = &[
        ("Université Claude Bernard Lyon 1", "fr", true),
        ("Claude Bernard University Lyon 1", "en", false),
    ];

    #[test]
    fn a_japanese_partner_reads_in_english_with_its_own_script_beside() {
        for ui in UiLang::ALL {
            let label = pick(TOHOKU, ui);
            assert_eq!(label.name, "Tohoku University", "no French name: English for {ui:?}");
            assert_eq!(label.lang, "en");
            assert_eq!(label.native.as_deref(), Some("東北大学"));
            assert_eq!(label.native_lang.as_deref(), Some("ja"));
            assert_eq!(label.text(), "Tohoku University (東北大学)");
        }
    }

    #[test]
    fn the_ui_language_comes_first_and_a_latin_primary_is_not_repeated_beside() {
        assert_eq!(pick(LYON1, UiLang::Fr).name, "Université Claude Bernard Lyon 1");
        let en = pick(LYON1, UiLang::En);
        assert_eq!(en.name, "Claude Bernard University Lyon 1");
        assert_eq!(en.native, None, "both in Latin script: the English name alone");
    }

    #[test]
    fn a_region_or_script_subtag_still_matches_the_language() {
        let names =
            [("Universidade de São Paulo", "pt-BR", true), ("Université de São Paulo", "fr-FR", false)];
        assert_eq!(pick(&names, UiLang::Fr).name, "Université de São Paulo");
        assert_eq!(pick(&names, UiLang::En).name, "Universidade de São Paulo", "no English: the primary");
    }

    #[test]
    fn with_only_a_native_name_it_is_shown_alone() {
        let label = pick(&[("复旦大学", "zh-Hans", true)], UiLang::Fr);
        assert_eq!((label.name.as_str(), label.lang.as_str(), label.native), ("复旦大学", "zh-Hans", None));
        assert_eq!(pick(&[], UiLang::En).name, "");
    }

    #[test]
    fn the_primary_wins_among_names_in_the_same_language() {
        let names = [
            ("Old English name", "en", false),
            ("東京大学", "ja", false),
            ("The University of Tokyo", "en", true),
        ];
        assert_eq!(pick(&names, UiLang::En).name, "The University of Tokyo");
    }
}
