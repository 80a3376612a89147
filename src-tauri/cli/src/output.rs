//! How the CLI reads its input and prints: JSON, one-line suffixes, option values checked against the
//! core's vocabularies.

use std::io::{Read, Write};

use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::{Error, Result};

pub(crate) fn suffix(text: Option<&str>) -> String {
    text.map(|t| format!(" — {t}")).unwrap_or_default()
}

pub(crate) fn print_json<T: serde::Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(liaison_core::Error::from)?;
    writeln!(out, "{text}")?;
    Ok(())
}

pub(crate) fn read_input(file: &str) -> Result<String> {
    let mut text = String::new();
    if file == "-" {
        std::io::stdin().read_to_string(&mut text).map_err(|e| Error::Read("standard input".into(), e))?;
    } else {
        text = std::fs::read_to_string(file).map_err(|e| Error::Read(file.to_owned(), e))?;
    }
    Ok(text)
}

/// A clap parser for the values of one of the core's vocabularies: `--help` lists them and a value outside
/// them is refused with the list, all from the core's own list.
pub(crate) fn one_of<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    text: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(all.iter().map(move |v| text(*v)))
        // The possible values parser has let only these texts through.
        .map(move |chosen| all.iter().copied().find(|v| text(*v) == chosen).unwrap_or(all[0]))
}
