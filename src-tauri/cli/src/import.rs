//! `liaison import FILE`: a CSV, text, XLSX, XLS, ODS or JSON file into the workspace, as the core's
//! import plans it. Prints what was detected (encoding, delimiter, sheet, kind), the columns left out, then
//! the summary and each error (`row 14, column Pays: …`), or with `--json` the whole plan. Exits 1 when
//! errors kept anything from being written.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use liaison_core::import::{self, Action, Kind, Opened, Options, Request, RowPlan, Summary};
use liaison_core::{table, Clock};
use rusqlite::Connection;

use crate::{progress, Error, Result};

#[derive(Args, Debug)]
pub(crate) struct ImportArgs {
    /// The file: .csv or .txt (any delimiter and encoding), .xlsx, .xls, .ods, or .json (the CLI's shape)
    pub file: PathBuf,
    /// What the file holds: partners, contacts, agreements, exchanges, projects, events, calls or
    /// applications (guessed from the headers, and said, when absent)
    #[arg(long, value_name = "KIND")]
    pub entity: Option<String>,
    /// The sheet of a workbook (the first one when absent)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The encoding of a text file (detected when absent): utf-8, utf-16le, windows-1252, gbk, gb18030,
    /// shift_jis, big5…
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// The delimiter of a text file (detected when absent): , ; or tab
    #[arg(long, value_name = "C")]
    pub delimiter: Option<String>,
    /// Maps a column by hand, remembered for the next file with the same headers: 'Column=field' (a field
    /// key or label; 'Column=' leaves the column out). Repeat for several
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Say what would happen to each row and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and write the others, with a Reason column, to this CSV file to fix and import
    /// again (otherwise any error means nothing is written)
    #[arg(long, value_name = "REJECTS_FILE")]
    pub skip_invalid: Option<PathBuf>,
    /// Create a partner (its name only) for each organisation a row names that is none here
    #[arg(long)]
    pub create_missing: bool,
    /// Print the plan (or result) of every row as JSON
    #[arg(long)]
    pub json: bool,
}

pub(crate) fn import(
    conn: &mut Connection,
    clock: &dyn Clock,
    args: ImportArgs,
    out: &mut impl Write,
) -> Result<()> {
    let kind = args.entity.as_deref().map(str::parse::<Kind>).transpose()?;
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("\\t" | "tab" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) => {
            return Err(Error::Usage(format!("--delimiter takes one character (, ; or tab), not “{d}”")))
        }
    };
    import::file::check_map(&args.map)?;
    let request = Request {
        kind,
        read: table::Options {
            sheet: args.sheet,
            encoding: args.encoding,
            delimiter,
            ..table::Options::default()
        },
        map: args.map,
        options: Options {
            dry_run: args.dry_run,
            skip_invalid: args.skip_invalid.is_some(),
            create_missing: args.create_missing,
        },
        rejects: args.skip_invalid.clone(),
    };
    let json = args.json;
    let out = std::cell::RefCell::new(out);
    let mut first = true;
    let mut errors: Vec<String> = Vec::new();
    let result = import::file(
        conn,
        clock,
        &args.file,
        &request,
        &progress::job(),
        &mut |opened| {
            let out = &mut *out.borrow_mut();
            if json {
                write!(out, "{{\"file\": {},\n\"rows\": [", serde_json::to_string(opened)?)?;
            } else {
                describe(out, opened)?;
            }
            Ok(())
        },
        &mut |plan| {
            let out = &mut *out.borrow_mut();
            if json {
                write!(out, "{}\n{}", if first { "" } else { "," }, serde_json::to_string(plan)?)?;
                first = false;
            } else {
                row_lines(plan, &mut errors);
            }
            Ok(())
        },
    );
    let out = out.into_inner();
    let (_, summary) = match result {
        Err(liaison_core::Error::Cancelled) => {
            return Err(Error::Usage("cancelled: the import was rolled back, nothing was written".into()))
        }
        other => other?,
    };
    if json {
        writeln!(
            out,
            "],\n\"summary\": {}}}",
            serde_json::to_string(&summary).map_err(liaison_core::Error::from)?
        )?;
    } else {
        for line in &errors {
            writeln!(out, "{line}")?;
        }
        summarise(out, &summary, args.skip_invalid.as_ref())?;
    }
    if summary.errors > 0 && !summary.dry_run && args.skip_invalid.is_none() {
        return Err(Error::Usage(format!(
            "{} with errors: nothing was written (fix them, or import the valid rows with --skip-invalid FILE)",
            rows(summary.errors)
        )));
    }
    Ok(())
}

fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

fn describe(out: &mut impl Write, opened: &Opened) -> std::io::Result<()> {
    let mut how = vec![opened.format.clone()];
    if let Some(encoding) = &opened.encoding {
        how.push(format!("{encoding}{}", if opened.encoding_detected { " (detected)" } else { "" }));
    }
    if let Some(delimiter) = &opened.delimiter {
        how.push(format!("delimiter {}", if delimiter == "\t" { "tab" } else { delimiter }));
    }
    if let Some(sheet) = &opened.sheet {
        how.push(format!("sheet “{sheet}”"));
    }
    writeln!(out, "File: {} ({})", opened.file, how.join(", "))?;
    writeln!(
        out,
        "Records: {}{}",
        opened.kind,
        if opened.kind_guessed { "s (guessed from the headers; say --entity otherwise)" } else { "s" }
    )?;
    let mapped: Vec<String> = opened
        .columns
        .iter()
        .filter_map(|c| c.field.as_ref().map(|f| format!("{} → {f}", c.header)))
        .collect();
    writeln!(
        out,
        "Columns: {}{}",
        mapped.join(", "),
        if opened.remembered { " (mapping remembered from the last file with these headers)" } else { "" }
    )?;
    if !opened.unmatched.is_empty() {
        writeln!(
            out,
            "Left out (no field; map them with --map 'Column=field'): {}",
            opened.unmatched.join(", ")
        )?;
    }
    if !opened.missing_columns.is_empty() {
        writeln!(
            out,
            "No column for the mandatory fields: {} (rows creating records will fail)",
            opened.missing_columns.join(", ")
        )?;
    }
    Ok(())
}

fn row_lines(plan: &RowPlan, lines: &mut Vec<String>) {
    if plan.action == Action::Error {
        lines.extend(plan.errors.iter().map(ToString::to_string));
    }
}

fn summarise(out: &mut impl Write, s: &Summary, rejects: Option<&PathBuf>) -> std::io::Result<()> {
    let verb = if s.dry_run || (s.errors > 0 && rejects.is_none()) { "would be" } else { "were" };
    writeln!(
        out,
        "{}: {} {verb} created, {} {verb} updated, {} unchanged, {} with errors",
        rows(s.rows),
        s.created,
        s.updated,
        s.unchanged,
        s.errors
    )?;
    for m in &s.missing {
        let rows: Vec<String> = m.rows.iter().map(ToString::to_string).collect();
        let what = match (m.created, s.dry_run) {
            (true, true) => "would be created as a partner",
            (true, false) if s.written => "was created as a partner",
            (true, false) => "is no partner here",
            (false, _) => "is no partner here (--create-missing creates it)",
        };
        writeln!(out, "Organisation “{}” (rows {}) {what}", m.name, rows.join(", "))?;
    }
    if s.dry_run {
        writeln!(out, "Dry run: nothing was written")?;
    } else if s.written {
        if let (Some(path), true) = (rejects, s.errors > 0) {
            writeln!(
                out,
                "The rows with errors were left out and written to {} to fix and import again",
                path.display()
            )?;
        }
    }
    Ok(())
}
