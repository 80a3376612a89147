//! `liaison template KIND --out FILE`: the file a person fills in to import records of a kind — the headers
//! in English or French, a row of hints, and in XLSX drop-down lists of the allowed values. Needs no
//! workspace.
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use liaison_core::columns::{self, RecordKind, TemplateFormat};
use liaison_core::label::UiLang;

use crate::output::one_of;
use crate::{Error, Result};

#[derive(Args, Debug)]
pub(crate) struct TemplateArgs {
    /// partner, contact, agreement, exchange, project, event, call or application (or their plurals)
    kind: String,
    /// The file to write (replaced whole once complete)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// xlsx or csv; by default from the extension of --out
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Headers, hints and allowed values in this language
    #[arg(long, default_value = "en", value_parser = one_of(&UiLang::ALL, UiLang::as_str))]
    lang: UiLang,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
enum Format {
    Xlsx,
    Csv,
}

pub(crate) fn template(args: &TemplateArgs, out: &mut impl Write) -> Result<()> {
    let Some(kind) = RecordKind::parse(&args.kind) else {
        let kinds: Vec<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
        return Err(Error::Usage(format!(
            "“{}” is not a kind of record; write one of {}",
            args.kind,
            kinds.join(", ")
        )));
    };
    let extension = args.out.extension().and_then(|e| e.to_str()).and_then(TemplateFormat::parse);
    let format = match (args.format, extension) {
        (Some(Format::Xlsx), _) => TemplateFormat::Xlsx,
        (Some(Format::Csv), _) => TemplateFormat::Csv,
        (None, Some(format)) => format,
        (None, None) => {
            return Err(Error::Usage(format!(
                "say --format xlsx or --format csv: {} has neither extension",
                args.out.display()
            )))
        }
    };
    columns::write_template(&args.out, kind, args.lang, format)?;
    let columns = columns::columns(kind).len();
    writeln!(out, "template for {}s written to {} ({columns} columns)", kind.as_str(), args.out.display())?;
    Ok(())
}
