//! How the CLI reads its input and prints: JSON, one-line suffixes, option values checked against the
//! core's vocabularies.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;

use crate::{Error, Result};

/// Standard output that shows control characters (but line breaks and tabs) and the bidirectional overrides
/// and isolates as `\u001b`, instead of handing them to the terminal: a stored name cannot move the cursor,
/// recolour the screen or reorder what is printed. Inside a JSON string that is the same character escaped,
/// so JSON output stays valid and reads back the same text.
pub(crate) struct Shown<W: Write> {
    inner: W,
}

impl<W: Write> Shown<W> {
    pub(crate) fn new(inner: W) -> Self {
        Shown { inner }
    }
}

impl<W: Write> Write for Shown<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // What is printed comes whole from `str`s; bytes that are not UTF-8 pass as they are.
        let Ok(text) = std::str::from_utf8(buf) else { return self.inner.write(buf) };
        if !text.chars().any(steers) {
            return self.inner.write(buf);
        }
        let mut shown = String::with_capacity(text.len() + 16);
        for c in text.chars() {
            if steers(c) {
                shown.push_str(&format!("\\u{:04x}", u32::from(c)));
            } else {
                shown.push(c);
            }
        }
        self.inner.write_all(shown.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A character a terminal acts on rather than shows.
fn steers(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

pub(crate) fn suffix(text: Option<&str>) -> String {
    text.map(|t| format!(" — {t}")).unwrap_or_default()
}

pub(crate) fn print_json<T: serde::Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(liaison_core::Error::from)?;
    writeln!(out, "{text}")?;
    Ok(())
}

/// Arguments clap refused, said as any bad input is: one line on standard error, status 1. Help and version
/// asked for go to standard output (status 0); a command given without its subcommand prints its help on
/// standard error (status 1).
pub(crate) fn arguments_refused(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Help cut short by a reader that stopped (`--help | head`) is not an error either.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::FAILURE
        }
        _ => {
            eprintln!("error: {}", one_line(&e.render().to_string()));
            ExitCode::FAILURE
        }
    }
}

/// clap's error (the error, a tip, the usage, "For more information…") as one line: the error and its tips.
fn one_line(rendered: &str) -> String {
    let mut parts = rendered
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("; ");
    parts.push_str(" (see --help)");
    parts
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
