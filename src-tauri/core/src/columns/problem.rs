//! What is wrong with a cell or a row of an imported file, said twice: a stable code with the values that
//! word it (the app says it in the reader's language) and the English sentence (the CLI prints it, the app
//! falls back on it). Every code a problem can carry is in [`CODES`], which the app's translations are
//! checked against; a row's record rules speak through their own field codes (`FieldError::code`).

use std::collections::BTreeMap;

use crate::validate::quote;

use super::vocab::Vocab;

/// Every code of [`Problem`], for the app's translations (`import.errors.<code>` in each language).
pub const CODES: &[&str] = &[
    "not_a_date",
    "not_a_moment",
    "no_such_time",
    "empty_date",
    "not_yes_no",
    "not_a_number",
    "not_a_whole_number",
    "not_an_amount",
    "amount_decimals",
    "amount_too_large",
    "not_an_academic_year",
    "not_a_field",
    "not_a_country",
    "not_in_vocabulary",
    "no_record_with_id",
    "no_record_named",
    "several_records_named",
    "empty_mandatory",
    "spreadsheet_error",
    "not_a_liaison_id",
    "hint_row",
    "party_not_listed",
    "home_unknown",
    "not_a_level",
    "not_a_language_level",
    "condition_needs_agreement",
    "no_such_condition",
    "affiliation_needs_organisation",
    "criterion_incomplete",
    "criterion_value",
    "reviews_need_call",
    "not_a_score",
    "no_such_criterion",
    "same_as_row",
    "ambiguous_match",
    "organisation_ambiguous",
    "organisation_missing",
    "record_not_found",
    "conflict",
];

/// A problem's code, the values its wording needs, and its English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub params: BTreeMap<String, String>,
    pub message: String,
}

impl Problem {
    pub fn new(code: &'static str, message: impl Into<String>) -> Problem {
        debug_assert!(CODES.contains(&code), "the code {code} is listed in CODES");
        Problem { code, params: BTreeMap::new(), message: message.into() }
    }

    /// The value `name` its wording needs.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Problem {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// `text` is no value of `vocab`: the allowed values in English (`allowed`) and in French
    /// (`allowed_fr`).
    pub fn vocabulary(vocab: Vocab, text: &str) -> Problem {
        let allowed = vocab.labels(crate::label::UiLang::En).join(", ");
        Problem::new(
            "not_in_vocabulary",
            format!("{} is not {}; write one of {allowed}", quote(text), vocab.noun()),
        )
        .with("value", text)
        .with("allowed_fr", vocab.labels(crate::label::UiLang::Fr).join(", "))
        .with("allowed", allowed)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::value;
    use crate::table::Cell;

    fn text(t: &str) -> Cell {
        Cell::Text(t.to_owned())
    }

    fn code<T: std::fmt::Debug>(read: Result<T, Problem>) -> (&'static str, BTreeMap<String, String>) {
        let problem = read.expect_err("a value that cannot be read");
        assert!(CODES.contains(&problem.code), "{} is listed", problem.code);
        assert!(!problem.message.is_empty(), "the English sentence stays for the CLI");
        (problem.code, problem.params)
    }

    #[test]
    fn each_value_that_cannot_be_read_has_its_code_and_the_values_to_word_it() {
        let value_of = |v: &str| BTreeMap::from([("value".to_owned(), v.to_owned())]);
        assert_eq!(code(value::date(&text("31/02/2026"))), ("not_a_date", value_of("31/02/2026")));
        assert_eq!(code(value::date(&Cell::Number(3.0))).0, "not_a_date");
        assert_eq!(code(value::moment(&text("demain matin"), None)).0, "not_a_moment");
        let (c, params) = code(value::moment(&text("2026-03-29 02:30"), Some("Europe/Paris")));
        assert_eq!((c, params["zone"].as_str()), ("no_such_time", "Europe/Paris"));
        assert_eq!(code(value::yes_no(&text("peut-être"))), ("not_yes_no", value_of("peut-être")));
        assert_eq!(code(value::number(&text("beaucoup"))), ("not_a_number", value_of("beaucoup")));
        assert_eq!(code(value::integer(&text("2,5"))), ("not_a_whole_number", value_of("2,5")));
        assert_eq!(code(value::amount(&text("cher"), 2)), ("not_an_amount", value_of("cher")));
        let (c, params) = code(value::amount(&text("1,5"), 0));
        assert_eq!((c, params["digits"].as_str()), ("amount_decimals", "0"));
        assert_eq!(code(value::amount(&text("9000000000000000000"), 2)).0, "amount_too_large");
        assert_eq!(code(value::academic_year(&text("l'an prochain"))).0, "not_an_academic_year");
        assert_eq!(code(value::field(&text("Cuisine"))), ("not_a_field", value_of("Cuisine")));
        let zone = Problem::vocabulary(Vocab::Zone, "Europe");
        assert_eq!(zone.code, "not_in_vocabulary");
        assert!(
            zone.params["allowed_fr"].contains("Chine") && zone.params["allowed"].contains("China"),
            "{zone:?}"
        );
    }

    #[test]
    fn the_app_words_every_code_in_english_and_french() {
        for lang in ["en", "fr"] {
            let path = format!("{}/../../ui/src/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).expect("the app's translations");
            let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            for code in CODES {
                let said = json["import"]["errors"][code].as_str().unwrap_or_default();
                assert!(!said.is_empty(), "{path} has import.errors.{code}");
            }
        }
    }

    #[test]
    fn codes_are_snake_case_and_listed_once() {
        for (i, c) in CODES.iter().enumerate() {
            assert!(c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{c} is snake_case");
            assert!(!CODES[i + 1..].contains(c), "{c} is listed once");
        }
    }
}
