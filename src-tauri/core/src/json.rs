//! Reading user JSON into core types: one value and nothing after it, with the path of the field at fault in
//! the error and the error in a user's words. A record's input refuses fields it does not have, naming them,
//! so a misspelled key is not silently dropped (and its field wiped by an update).

use serde::de::{DeserializeOwned, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::error::Category;

use crate::error::{Error, FieldError, Result};

fn invalid(field: String, code: &str, message: String) -> Error {
    Error::Invalid(vec![FieldError { field, code: code.into(), message }])
}

/// Parses `json`, one value and nothing after it; a type error becomes a field error at its path
/// (`identifiers[0].scheme`).
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T> {
    parse(json, &mut |_| {})
}

/// Parses a record's input like [`from_str`], refusing any field the input does not have except those in
/// `read_only`: what the record's read-back adds beside its input (`id`, `deleted`, names of what it points
/// to), so that `show --json` output goes back through `update` unchanged. `noun` names the record in the
/// error ("a partner").
pub fn input_from_str<T: DeserializeOwned>(json: &str, noun: &str, read_only: &[&str]) -> Result<T> {
    let mut unknown = Vec::new();
    let parsed = parse(json, &mut |path| {
        let path = path_text(&path);
        if !read_only.contains(&path.as_str()) {
            unknown.push(path);
        }
    });
    if unknown.is_empty() {
        return parsed;
    }
    let known = fields_of::<T>();
    let mut errors: Vec<FieldError> = unknown
        .into_iter()
        .map(|path| {
            let hint = known
                .iter()
                .find(|f| f.eq_ignore_ascii_case(&path))
                .map(|f| format!(" (did you mean \"{f}\"?)"))
                .unwrap_or_default();
            let shown = crate::validate::quote(&path);
            FieldError {
                message: format!(
                    "{noun} has no field {shown}{hint}: it was refused rather than dropped, and nothing was written"
                ),
                field: path,
                code: "unknown_field".into(),
            }
        })
        .collect();
    // A misspelled required field is also missing: say both.
    if let Err(Error::Invalid(more)) = parsed {
        errors.extend(more);
    }
    Err(Error::Invalid(errors))
}

fn parse<T: DeserializeOwned, F: FnMut(serde_ignored::Path)>(json: &str, ignored: &mut F) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&mut de, ignored))
        .map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let at_root = path == "." || path == "?";
            let field = if at_root { "json".to_owned() } else { path };
            let message = match inner.classify() {
                Category::Syntax | Category::Eof => syntax_error(&inner),
                // Something else than an object where the record's fields were expected (`[]`, `3`).
                Category::Data if at_root && inner.to_string().starts_with("invalid") => {
                    "expected one JSON object holding the record's fields ({\"field\": value, …})".to_owned()
                }
                _ => inner.to_string(),
            };
            invalid(field, "format", message)
        })?;
    de.end().map_err(|_| {
        invalid(
            "json".into(),
            "trailing",
            "there is more text after the JSON object: give one record at a time".into(),
        )
    })?;
    Ok(value)
}

/// A JSON syntax error in a user's words, with where it is (the parser's own words name its grammar).
fn syntax_error(e: &serde_json::Error) -> String {
    const SAID: [(&str, &str); 10] = [
        ("key must be a string", "a field name in double quotes was expected"),
        ("EOF while parsing", "the text ends before the JSON does"),
        ("expected value", "a value was expected"),
        ("trailing comma", "a comma is followed by nothing"),
        ("expected `:`", "a colon was expected after a field name"),
        ("expected `,` or `}`", "a comma or a closing } was expected"),
        ("expected `,` or `]`", "a comma or a closing ] was expected"),
        (
            "control character",
            "a text holds a line break or another control character: write it as \\n, \\t…",
        ),
        ("invalid escape", "a backslash starts an escape JSON does not know"),
        ("expected ident", "true, false or null was expected"),
    ];
    let text = e.to_string();
    let what =
        SAID.iter().find(|(words, _)| text.contains(words)).map_or("it cannot be read", |(_, said)| said);
    format!("this is not valid JSON: {what} (line {}, column {})", e.line(), e.column())
}

/// An ignored field's path as the other errors name fields: `names[0].valeur`, `Website`.
fn path_text(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", path_text(parent)),
        Path::Map { parent, key } => match path_text(parent) {
            parent if parent.is_empty() => key.clone(),
            parent => format!("{parent}.{key}"),
        },
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => {
            path_text(parent)
        }
    }
}

/// The field names of a struct `T` as serde reads them, asked of `T` itself (no copy of the list to keep).
fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that only notes the fields a struct asks for, then stops.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> std::result::Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("only a struct's field names are read"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("only a struct's field names are read"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Named {
        name: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Site {
        website: Option<String>,
        #[serde(default)]
        names: Vec<Named>,
    }

    fn unknown(json: &str) -> Vec<(String, String)> {
        match input_from_str::<Site>(json, "a partner", &["id", "deleted"]) {
            Err(Error::Invalid(fields)) => fields.into_iter().map(|f| (f.field, f.message)).collect(),
            other => panic!("{json} should be refused: {other:?}"),
        }
    }

    #[test]
    fn a_field_the_record_does_not_have_is_refused_and_named() {
        let refused = unknown(r#"{"Website": "https://x.org"}"#);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0].0, "Website");
        assert!(
            refused[0].1.contains("did you mean \"website\""),
            "a near miss is pointed at: {}",
            refused[0].1
        );
        let refused = unknown(r#"{"website": null, "names": [{"name": "a"}, {"name": "b", "valeur": 1}]}"#);
        assert_eq!(refused[0].0, "names[1].valeur", "a nested field is named by its path");
        let ok = input_from_str::<Site>(
            r#"{"id": "x", "deleted": false, "website": null}"#,
            "a partner",
            &["id", "deleted"],
        );
        assert!(ok.is_ok(), "read-only fields are accepted and ignored: {ok:?}");
    }

    fn message(json: &str) -> (String, String) {
        match from_str::<Named>(json) {
            Err(Error::Invalid(fields)) => (fields[0].field.clone(), fields[0].message.clone()),
            other => panic!("{json} should be refused: {other:?}"),
        }
    }

    #[test]
    fn text_after_the_json_is_refused_not_dropped() {
        let (field, text) = message(r#"{"name": "a"}{"name": "b"}"#);
        assert_eq!(field, "json");
        assert!(text.contains("more text after"), "{text}");
        assert!(from_str::<Named>("{\"name\": \"a\"}\n  ").is_ok(), "trailing white space is fine");
    }

    #[test]
    fn errors_speak_of_json_and_records_not_of_the_parser() {
        let (field, text) = message("{not json");
        assert_eq!(field, "json");
        assert_eq!(
            text,
            "this is not valid JSON: a field name in double quotes was expected (line 1, column 2)"
        );
        let (_, text) = message("{\"name\": \"a\",}");
        assert!(text.contains("a comma is followed by nothing"), "{text}");
        let (_, text) = message("{\"name\": ");
        assert!(text.contains("the text ends before the JSON does"), "{text}");
        let (field, text) = message("[]");
        assert_eq!(field, "json");
        assert!(text.contains("one JSON object"), "{text}");
        assert!(!text.contains("struct"), "no Rust words: {text}");
        let (field, _) = message(r#"{"name": 3}"#);
        assert_eq!(field, "name", "a field's type error names the field");
        let (_, text) = message("{}");
        assert!(text.contains("missing field `name`"), "a missing field is named: {text}");
    }
}
