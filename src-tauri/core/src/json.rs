//! Reading user JSON into core types: one value and nothing after it, with the path of the field at fault in
//! the error and the error in a user's words.

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::error::{Error, FieldError, Result};

fn invalid(field: String, code: &str, message: String) -> Error {
    Error::Invalid(vec![FieldError { field, code: code.into(), message }])
}

/// Parses `json`, one value and nothing after it; a type error becomes a field error at its path
/// (`identifiers[0].scheme`).
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at_root = path == "." || path == "?";
        let field = if at_root { "json".to_owned() } else { path };
        let message = match inner.classify() {
            Category::Syntax | Category::Eof => format!("this is not valid JSON: {inner}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Named {
        name: String,
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
        assert!(text.starts_with("this is not valid JSON"), "{text}");
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
