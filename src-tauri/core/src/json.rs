//! Reading user JSON into core types, with the path of the field at fault in the error.

use serde::de::DeserializeOwned;

use crate::error::{Error, FieldError, Result};

/// Parses `json`; a type error becomes a field error at its path (`identifiers[0].scheme`).
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path == "." { "json".to_owned() } else { path };
        Error::Invalid(vec![FieldError { field, code: "format".into(), message: inner.to_string() }])
    })
}
