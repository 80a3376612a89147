//! Field validation shared by every way in (app, CLI, imports): the length and characters of every text,
//! formats of countries, languages, identifiers, e-mails, phones, URLs and dates. Each check adds a
//! [`FieldError`] naming the field; nothing is written unless the list stays empty.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, FieldError, Result};

/// Collects field errors for one input.
#[derive(Default)]
pub struct Report {
    errors: Vec<FieldError>,
}

impl Report {
    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError { field: field.into(), code: code.into(), message: message.into() });
    }

    /// `Ok` when no error was added, else every error at once.
    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.errors))
        }
    }
}

/// The longest text each kind of field takes, in characters, and the most items one list takes: every
/// record's input is held to them (see [`texts`]), and forms read them from the rules to cap their inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TextLimits {
    /// A one-line text: a name, a title, a city, a role, a code, an e-mail address.
    pub line: u32,
    /// A web address.
    pub website: u32,
    /// A tag.
    pub tag: u32,
    /// Notes and review comments: several lines (tabs and line breaks are kept).
    pub notes: u32,
    /// The items of one list: names, tags, identifiers, e-mails, parties, conditions, reviews…
    pub items: u32,
}

pub const TEXT_LIMITS: TextLimits =
    TextLimits { line: 300, website: 2000, tag: 60, notes: 20_000, items: 200 };

/// What a text field takes, by its name in the input.
enum TextRule {
    Line(u32),
    Notes,
}

fn rule_of(key: &str) -> TextRule {
    match key {
        "notes" | "comment" => TextRule::Notes,
        "website" => TextRule::Line(TEXT_LIMITS.website),
        "tags" => TextRule::Line(TEXT_LIMITS.tag),
        _ => TextRule::Line(TEXT_LIMITS.line),
    }
}

/// Holds every text of a record's input (each string at any depth, named by its path: `names[0].value`) to
/// [`TEXT_LIMITS`] and refuses control characters: none in a one-line field, only tabs and line breaks in
/// notes. Lists are held to `items`. Enum values and ids are texts too, well within the limits.
pub fn texts<T: Serialize>(report: &mut Report, input: &T) {
    // An input that cannot be seen as JSON has no text of its own to check (every input can).
    if let Ok(value) = serde_json::to_value(input) {
        walk(report, &mut String::new(), "", &value);
    }
}

fn walk(report: &mut Report, path: &mut String, key: &str, value: &Value) {
    match value {
        Value::String(text) => match rule_of(key) {
            TextRule::Line(max) => line_in(report, path, text, max),
            TextRule::Notes => notes_in(report, path, text),
        },
        Value::Array(items) => {
            if items.len() > TEXT_LIMITS.items as usize {
                report.add(
                    path.clone(),
                    "too_many",
                    format!("{} items given; a list takes at most {}", items.len(), TEXT_LIMITS.items),
                );
                return;
            }
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(report, path, key, item);
                path.truncate(len);
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
                walk(report, path, name, item);
                path.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A one-line text (surrounding white space aside): at most `max` characters, no control character.
pub fn line(report: &mut Report, field: &str, text: &str, max: u32) {
    line_in(report, field, text, max);
}

fn line_in(report: &mut Report, field: &str, text: &str, max: u32) {
    let text = text.trim();
    if too_long(report, field, text, max) {
        return;
    }
    if let Some(c) = text.chars().find(|&c| c.is_control() || is_format_control(c)) {
        report.add(
            field,
            "control_character",
            format!(
                "{} holds a control character (U+{:04X}): one line takes none",
                quote(text),
                u32::from(c)
            ),
        );
    }
}

fn notes_in(report: &mut Report, field: &str, text: &str) {
    let text = text.trim();
    if too_long(report, field, text, TEXT_LIMITS.notes) {
        return;
    }
    let kept = |c: char| c == '\t' || c == '\n';
    if let Some(c) = text.chars().find(|&c| (c.is_control() && !kept(c)) || is_format_control(c)) {
        report.add(
            field,
            "control_character",
            format!(
                "{} holds a control character (U+{:04X}): notes keep only tabs and line breaks",
                quote(text),
                u32::from(c)
            ),
        );
    }
}

fn too_long(report: &mut Report, field: &str, text: &str, max: u32) -> bool {
    let count = text.chars().count();
    let long = count > max as usize;
    if long {
        report.add(
            field,
            "too_long",
            format!("{} is {count} characters long; this field takes at most {max}", quote(text)),
        );
    }
    long
}

/// How many characters of a value an error message quotes.
const QUOTED_CHARS: usize = 40;

/// A value as an error quotes it: in double quotes, its first few dozen characters only (then "…"), control
/// characters escaped, so that an error line stays short and cannot carry terminal escapes.
pub fn quote(value: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in value.chars().enumerate() {
        if i == QUOTED_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() || is_format_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

/// Characters that reorder or break a line without being Unicode controls: the bidirectional embeddings,
/// overrides and isolates (which can make text read other than it is stored) and the line and paragraph
/// separators.
fn is_format_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// The academic years a record may name: 1950/1951 to 2100/2101.
pub const ACADEMIC_YEARS: std::ops::RangeInclusive<i64> = 1950..=2100;

/// An academic year by the calendar year it starts in (2025 for 2025/2026), within [`ACADEMIC_YEARS`].
pub fn academic_year(report: &mut Report, field: &str, year: Option<i64>) {
    if let Some(year) = year.filter(|y| !ACADEMIC_YEARS.contains(y)) {
        report.add(field, "year", format!("{year} is not an academic year such as 2025 (2025/2026)"));
    }
}

/// An ISO 4217 currency code, upper-cased: "eur" → "EUR"; a code no currency has ("XYZ") is a field error.
pub fn currency(report: &mut Report, field: &str, value: Option<&str>) -> Option<String> {
    let code = crate::text::clean(value)?.to_ascii_uppercase();
    if iso_currency::Currency::from_code(&code).is_none() {
        report.add(
            field,
            "currency",
            format!("{} is not an ISO 4217 currency code such as EUR", quote(&code)),
        );
    }
    Some(code)
}

/// An IANA time-zone name ("Europe/Paris", "Asia/Shanghai", "UTC"), as the tz database spells it.
pub fn time_zone(report: &mut Report, field: &str, value: Option<&str>) -> Option<String> {
    let zone = crate::text::clean(value)?;
    if zone.parse::<chrono_tz::Tz>().is_err() {
        report.add(
            field,
            "time_zone",
            format!("{} is not an IANA time zone such as Europe/Paris or Asia/Shanghai", quote(&zone)),
        );
    }
    Some(zone)
}

/// ISO 3166-1 alpha-2, upper-cased: "cn" → "CN".
pub fn country(report: &mut Report, field: &str, value: &str) -> Option<String> {
    let code = value.trim().to_ascii_uppercase();
    match isocountry::CountryCode::for_alpha2(&code) {
        Ok(_) => Some(code),
        Err(_) => {
            report.add(
                field,
                "country",
                format!("{} is not an ISO 3166-1 country code such as CN or BR", quote(value)),
            );
            None
        }
    }
}

/// A well-formed BCP-47 tag ("zh-Hans", "pt-BR", "ja").
pub fn language(report: &mut Report, field: &str, value: &str) -> Option<String> {
    match oxilangtag::LanguageTag::parse(value.trim()) {
        Ok(tag) => Some(tag.as_str().to_owned()),
        Err(_) => {
            report.add(
                field,
                "language",
                format!("{} is not a BCP-47 language tag such as fr, zh-Hans or pt-BR", quote(value)),
            );
            None
        }
    }
}

/// A plain address with a dotted domain: no display name ("Li <li@x.cn>"), no IP literal.
pub fn email(report: &mut Report, field: &str, value: &str) -> Option<String> {
    let value = value.trim();
    let options = email_address::Options::default().without_display_text().with_required_tld();
    let parsed = email_address::EmailAddress::parse_with_options(value, options).ok();
    if let Some(address) = parsed.filter(|a| !a.domain().starts_with('[') && a.domain().contains('.')) {
        Some(address.email())
    } else {
        report.add(field, "email", format!("{} is not an e-mail address", quote(value)));
        None
    }
}

/// Digits with optional `+`, spaces, dots, dashes and brackets; 6 to 20 digits.
pub fn phone(report: &mut Report, field: &str, value: &str) -> Option<String> {
    let value = value.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c));
    let plus_first = value.rfind('+').is_none_or(|i| i == 0);
    if allowed && plus_first && (6..=20).contains(&digits) {
        Some(value.to_owned())
    } else {
        report.add(
            field,
            "phone",
            format!("{} is not a phone number such as +86 21 6564 2222", quote(value)),
        );
        None
    }
}

/// An absolute http(s) URL.
pub fn website(report: &mut Report, field: &str, value: &str) -> Option<String> {
    let value = value.trim();
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Some(value.to_owned()),
        _ => {
            report.add(field, "url", format!("{} is not a web address starting with https://", quote(value)));
            None
        }
    }
}

/// An optional date field: `None` when left blank, a field error when it is not a date.
pub fn optional_date(report: &mut Report, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    crate::text::clean(value).and_then(|d| date(report, field, &d))
}

/// A period must not end before it starts; the error goes on `end_field` ("the exchange ends (…) before…").
pub fn in_order<T: PartialOrd + std::fmt::Display>(
    report: &mut Report,
    end_field: &str,
    what: &str,
    start: Option<T>,
    end: Option<T>,
) {
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            report.add(end_field, "end_before_start", format!("{what} ends ({e}) before it starts ({s})"));
        }
    }
}

/// An ISO 8601 calendar date (yyyy-mm-dd).
pub fn date(report: &mut Report, field: &str, value: &str) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            report.add(field, "date", format!("{} is not a date in the form 2026-09-01", quote(value)));
            None
        }
    }
}

/// A ROR id, given bare (`013q1eq08`) or as its URL; checks the ISO 7064 Mod 97-10 checksum.
pub fn ror(value: &str) -> Option<String> {
    let id = value
        .trim()
        .trim_start_matches("https://ror.org/")
        .trim_start_matches("ror.org/")
        .to_ascii_lowercase();
    const ALPHABET: &str = "0123456789abcdefghjkmnpqrstvwxyz";
    if id.len() != 9 || !id.is_ascii() || !id.starts_with('0') {
        return None;
    }
    let (body, check) = id.split_at(7);
    let mut number: u64 = 0;
    for c in body.chars() {
        number = number * 32 + ALPHABET.find(c)? as u64;
    }
    let expected = 98 - (number * 100) % 97;
    (check.parse::<u64>().ok()? == expected).then_some(id)
}

/// Erasmus institution code: country letters, padding spaces, city letters and two digits ("F  LYON03").
pub fn erasmus(value: &str) -> Option<String> {
    let v = value.trim().to_ascii_uppercase();
    if !v.is_ascii() {
        return None;
    }
    let (country, rest) = v.split_once(' ')?;
    let rest = rest.trim_start();
    let city_len = rest.len().checked_sub(2)?;
    let (city, digits) = rest.split_at(city_len);
    let ok = (1..=3).contains(&country.len())
        && country.chars().all(|c| c.is_ascii_uppercase())
        && (1..=8).contains(&city.len())
        && city.chars().all(|c| c.is_ascii_uppercase() || c == '-')
        && digits.chars().all(|c| c.is_ascii_digit());
    ok.then(|| format!("{country:<3}{city}{digits}"))
}

/// SCHAC home organisation: a lower-case DNS domain ("univ-lyon.fr").
pub fn schac(value: &str) -> Option<String> {
    let v = value.trim().to_ascii_lowercase();
    let labels: Vec<&str> = v.split('.').collect();
    let ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && labels.last().is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()));
    ok.then_some(v)
}

/// Participant Identification Code of the EU funding portal: nine digits.
pub fn pic(value: &str) -> Option<String> {
    let v = value.trim();
    (v.len() == 9 && v.chars().all(|c| c.is_ascii_digit())).then(|| v.to_owned())
}

/// Wikidata item: Q and digits, bare or as an entity URL.
pub fn wikidata(value: &str) -> Option<String> {
    let v = value.trim().rsplit('/').next()?.to_ascii_uppercase();
    let digits = v.strip_prefix('Q')?;
    (!digits.is_empty() && !digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(v)
}

/// ISNI: sixteen characters, the last a check character (ISO 7064 MOD 11-2), spaces allowed.
pub fn isni(value: &str) -> Option<String> {
    let v: String = value
        .trim()
        .trim_start_matches("https://isni.org/isni/")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if v.len() != 16 || !v.is_ascii() {
        return None;
    }
    let (body, check) = v.split_at(15);
    let mut total: u32 = 0;
    for c in body.chars() {
        total = (total + c.to_digit(10)?) * 2;
    }
    let expected = (12 - total % 11) % 11;
    let expected = if expected == 10 { 'X' } else { char::from_digit(expected, 10)? };
    (check.starts_with(expected)).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ror_ids_are_checked_by_their_checksum() {
        assert_eq!(ror("https://ror.org/013q1eq08").as_deref(), Some("013q1eq08"), "Fudan University");
        assert_eq!(ror("03c4mmv16").as_deref(), Some("03c4mmv16"), "University of Ottawa");
        assert_eq!(ror("013q1eq09"), None, "a wrong check digit must be refused");
        assert_eq!(ror("13q1eq08"), None);
    }

    #[test]
    fn erasmus_codes_are_normalised() {
        assert_eq!(erasmus("F  LYON03").as_deref(), Some("F  LYON03"));
        assert_eq!(erasmus("f lyon01").as_deref(), Some("F  LYON01"));
        assert_eq!(erasmus("LYON01"), None);
    }

    #[test]
    fn other_identifier_formats() {
        assert_eq!(schac("Univ-Lyon.fr").as_deref(), Some("univ-lyon.fr"));
        assert_eq!(schac("not a domain"), None);
        assert_eq!(pic("999884732").as_deref(), Some("999884732"));
        assert_eq!(pic("99988473"), None);
        assert_eq!(wikidata("https://www.wikidata.org/wiki/Q1056543").as_deref(), Some("Q1056543"));
        assert_eq!(wikidata("Q0"), None);
        assert_eq!(isni("0000 0001 2156 142X").as_deref(), Some("000000012156142X"));
        assert_eq!(isni("0000 0001 2156 1421"), None);
    }

    #[test]
    fn identifiers_with_non_ascii_characters_are_refused_without_panicking() {
        for scheme in crate::kinds::IdScheme::ALL {
            for value in ["0abcdeé1", "F LYON0１", "00000001215614é", "ééééééééé", "é", "", " ", "F  Ü"]
            {
                assert_eq!(scheme.normalise(value), None, "{scheme:?} {value:?}");
            }
        }
    }

    #[test]
    fn countries_languages_and_contacts() {
        let mut r = Report::default();
        assert_eq!(country(&mut r, "country", "cn").as_deref(), Some("CN"));
        assert_eq!(country(&mut r, "country", "XX"), None);
        assert_eq!(language(&mut r, "lang", "zh-Hans").as_deref(), Some("zh-Hans"));
        assert_eq!(language(&mut r, "lang", "not a tag!"), None);
        assert!(email(&mut r, "email", "li.wei@fudan.edu.cn").is_some());
        assert!(email(&mut r, "email", "li.wei@").is_none());
        assert!(email(&mut r, "email", "Li Wei <li.wei@fudan.edu.cn>").is_none());
        assert!(email(&mut r, "email", "a@b").is_none());
        assert!(phone(&mut r, "phone", "+86 21 6564 2222").is_some());
        assert!(phone(&mut r, "phone", "call me").is_none());
        assert!(website(&mut r, "website", "https://www.fudan.edu.cn").is_some());
        assert!(website(&mut r, "website", "javascript:alert(1)").is_none());
        assert_eq!(r.errors.len(), 7, "each invalid value adds one error: {:?}", r.errors);
    }

    #[derive(serde::Serialize)]
    struct Input {
        name: String,
        tags: Vec<String>,
        notes: Option<String>,
        parties: Vec<Party>,
    }

    #[derive(serde::Serialize)]
    struct Party {
        role: Option<String>,
    }

    fn text_errors(input: &Input) -> Vec<(String, String, String)> {
        let mut r = Report::default();
        texts(&mut r, input);
        r.errors.into_iter().map(|e| (e.field, e.code, e.message)).collect()
    }

    fn input() -> Input {
        Input {
            name: " Université de Lyon ".into(),
            tags: vec!["CSC".into()],
            notes: Some("Line one\n\tindented, 复旦大学".into()),
            parties: vec![Party { role: Some("Coordinator".into()) }],
        }
    }

    #[test]
    fn texts_within_their_limits_and_without_control_characters_pass() {
        assert_eq!(text_errors(&input()), []);
    }

    #[test]
    fn a_huge_text_is_refused_and_the_error_quotes_only_its_start() {
        let mut big = input();
        big.name = "x".repeat(10 * 1024 * 1024);
        big.notes = Some("n".repeat(TEXT_LIMITS.notes as usize + 1));
        big.tags = vec!["t".repeat(TEXT_LIMITS.tag as usize + 1)];
        let errors = text_errors(&big);
        let fields: Vec<&str> = errors.iter().map(|(f, _, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "notes", "tags[0]"], "{errors:?}");
        assert!(errors.iter().all(|(_, code, _)| code == "too_long"));
        assert!(errors[0].2.len() < 200, "the error line stays short: {} bytes", errors[0].2.len());
        assert!(errors[0].2.contains("10485760 characters"), "{}", errors[0].2);
        let mut many = input();
        many.tags = vec!["a".into(); TEXT_LIMITS.items as usize + 1];
        assert_eq!(text_errors(&many)[0].1, "too_many");
    }

    #[test]
    fn control_characters_are_refused_in_one_line_and_notes_keep_tabs_and_line_breaks() {
        for bad in ["Fudan\u{1b}[31m", "Nul\0", "Tab\tinside", "\u{202e}gnp.exe", "a\u{2028}b", "del\u{7f}"] {
            let mut one = input();
            one.parties[0].role = Some(bad.into());
            let errors = text_errors(&one);
            assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
            assert_eq!(
                (errors[0].0.as_str(), errors[0].1.as_str()),
                ("parties[0].role", "control_character")
            );
            assert!(
                !errors[0].2.chars().any(char::is_control),
                "the error itself carries no control: {:?}",
                errors[0].2
            );
        }
        for bad in ["bell\u{7}", "esc\u{1b}[2J", "cr\r\nlf", "\u{2066}isolate"] {
            let mut notes = input();
            notes.notes = Some(bad.into());
            assert_eq!(text_errors(&notes)[0].1, "control_character", "{bad:?}");
        }
    }

    #[test]
    fn a_quoted_value_is_cut_and_escaped() {
        assert_eq!(quote("short"), "\"short\"");
        let long = quote(&"é".repeat(100));
        assert_eq!(
            long.chars().count(),
            QUOTED_CHARS + 3,
            "40 characters, an ellipsis and two quotes: {long}"
        );
        assert_eq!(quote("a\u{1b}b"), "\"a\\u{1b}b\"");
    }

    #[test]
    fn time_zones_are_iana_names() {
        let mut r = Report::default();
        assert_eq!(time_zone(&mut r, "tz", Some(" Europe/Paris ")).as_deref(), Some("Europe/Paris"));
        assert!(time_zone(&mut r, "tz", Some("Asia/Shanghai")).is_some());
        assert!(time_zone(&mut r, "tz", Some("UTC")).is_some());
        assert_eq!(time_zone(&mut r, "tz", None), None);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        time_zone(&mut r, "tz", Some("Mars/Olympus"));
        time_zone(&mut r, "tz", Some("europe/paris"));
        assert_eq!(r.errors.len(), 2, "an unknown zone, and one not spelled as the tz database does");
        assert!(r.errors[0].message.contains("\"Mars/Olympus\" is not an IANA time zone"), "{:?}", r.errors);
    }
}
