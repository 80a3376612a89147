//! `liaison report KIND`: a report with its filters, printed as text tables or written to XLSX, PDF or JSON
//! (whole or not at all, with a progress bar; Ctrl-C cancels and leaves no file); `liaison report --list`
//! says which reports there are and the filters each takes.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use liaison_core::kinds::Zone;
use liaison_core::label::UiLang;
use liaison_core::report::{self, Report, ReportKind, ReportQuery, Value, ValueKind, YearBasis};
use liaison_core::Clock;
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{one_of, print_json};
use crate::{Error, Result};

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// agreements, mobility, csc, calls, projects_events, zone or data_quality (see --list)
    #[arg(value_parser = one_of(&ReportKind::ALL, ReportKind::code), required_unless_present = "list")]
    kind: Option<ReportKind>,
    /// List the reports and the filters each takes
    #[arg(long, conflicts_with = "kind")]
    list: bool,
    /// The academic year (2025 for 2025/2026), or with --calendar the calendar year
    #[arg(long)]
    year: Option<i64>,
    /// --year is a calendar year (January to December)
    #[arg(long, requires = "year")]
    calendar: bool,
    #[arg(long, value_parser = one_of(Zone::ALL, Zone::as_str))]
    zone: Option<Zone>,
    /// ISO 3166-1 code of the partner organisations, such as CN
    #[arg(long)]
    country: Option<String>,
    /// Only what concerns this partner organisation (its id)
    #[arg(long, value_parser = crate::record_id::parse)]
    partner: Option<Uuid>,
    /// xlsx, pdf or json; by default from the extension of --out
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The file to write; without it the report is printed
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The report's words in this language
    #[arg(long, default_value = "en", value_parser = one_of(&UiLang::ALL, UiLang::as_str))]
    lang: UiLang,
    /// Print JSON (with --list, or instead of text tables)
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Xlsx,
    Pdf,
    Json,
}

pub(crate) fn report(
    conn: &Connection,
    clock: &dyn Clock,
    args: ReportArgs,
    out: &mut impl Write,
) -> Result<()> {
    let Some(kind) = args.kind.filter(|_| !args.list) else {
        let catalogue = report::catalogue(args.lang);
        if args.json {
            return print_json(out, &catalogue);
        }
        for r in catalogue {
            let filters: Vec<&str> = r.filters.iter().map(|f| filter_flag(*f)).collect();
            writeln!(out, "{:<16} {}", r.code, r.title)?;
            writeln!(out, "{:<16} {}", "", r.summary)?;
            writeln!(
                out,
                "{:<16} filters: {}",
                "",
                if filters.is_empty() { "none".into() } else { filters.join(" ") }
            )?;
        }
        return Ok(());
    };
    let query = ReportQuery {
        kind,
        year: args.year,
        basis: if args.calendar { YearBasis::Calendar } else { YearBasis::Academic },
        zone: args.zone,
        country: args.country,
        partner: args.partner,
        lang: args.lang,
    };
    let today = clock.now().date_naive();
    let Some(path) = args.out else {
        let built = report::build(conn, &query, today)?;
        return match args.format {
            Some(Format::Xlsx | Format::Pdf) => {
                Err(Error::Usage("an XLSX or PDF report needs --out FILE".into()))
            }
            Some(Format::Json) => print_json(out, &built),
            None if args.json => print_json(out, &built),
            None => print_text(out, &built),
        };
    };
    let Some(format) = args.format.or_else(|| format_of(&path)) else {
        return Err(Error::Usage(format!(
            "say which format to write {} in: --format xlsx, pdf or json",
            path.display()
        )));
    };
    let built = report::build(conn, &query, today)?;
    let job = crate::progress::job();
    match format {
        Format::Xlsx => report::save_xlsx(&built, &path, &job)?,
        Format::Json => report::save_json(&built, &path)?,
        Format::Pdf => liaison_pdf::save(&built, &path, &job).map_err(|e| match e {
            liaison_pdf::Error::Core(e) => Error::Core(e),
            e => Error::Pdf(e),
        })?,
    }
    writeln!(out, "Wrote {} to {}", built.heading(), path.display())?;
    Ok(())
}

fn filter_flag(filter: report::ReportFilter) -> &'static str {
    match filter {
        report::ReportFilter::Year => "--year [--calendar]",
        report::ReportFilter::Zone => "--zone",
        report::ReportFilter::Country => "--country",
        report::ReportFilter::Partner => "--partner",
    }
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "xlsx" => Format::Xlsx,
        "pdf" => Format::Pdf,
        "json" => Format::Json,
        _ => return None,
    })
}

/// The report as text: its title and filters, key figures, then each table in aligned columns.
fn print_text(out: &mut impl Write, r: &Report) -> Result<()> {
    writeln!(out, "{}", r.title)?;
    writeln!(out, "{} · {}", r.workspace, r.date)?;
    for f in &r.filters {
        writeln!(out, "{}: {}", f.label, f.value)?;
    }
    if !r.figures.is_empty() {
        writeln!(out)?;
        let wide = r.figures.iter().map(|f| width(&f.label)).max().unwrap_or(0);
        for f in &r.figures {
            writeln!(out, "{}{}  {}", f.label, pad(wide - width(&f.label)), text(&f.value, f.kind))?;
        }
    }
    for s in &r.sections {
        writeln!(out)?;
        writeln!(out, "## {}", s.title)?;
        if let Some(note) = &s.note {
            writeln!(out, "{note}")?;
        }
        let mut rows: Vec<Vec<String>> = vec![s.columns.iter().map(|c| c.label.clone()).collect()];
        for row in s.rows.iter().chain(s.total.iter()) {
            rows.push(row.iter().zip(&s.columns).map(|(v, c)| text(v, c.kind)).collect());
        }
        let widths: Vec<usize> = (0..s.columns.len())
            .map(|i| rows.iter().map(|r| r.get(i).map_or(0, |t| width(t))).max().unwrap_or(0))
            .collect();
        for row in rows {
            let mut line = String::new();
            for (i, (cell, column)) in row.iter().zip(&s.columns).enumerate() {
                let gap = pad(widths[i] - width(cell));
                if i > 0 {
                    line.push_str("  ");
                }
                if column.kind == ValueKind::Text || column.kind == ValueKind::Date {
                    line.push_str(cell);
                    line.push_str(&gap);
                } else {
                    line.push_str(&gap);
                    line.push_str(cell);
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(())
}

fn text(v: &Value, kind: ValueKind) -> String {
    match (v, kind) {
        (Value::Empty, _) => "—".into(),
        (Value::Number(n), ValueKind::Percent) => format!("{:.1} %", n * 100.0),
        (Value::Number(n), ValueKind::Money) => format!("{n:.2}"),
        (Value::Number(n), _) => format!("{n:.1}"),
        (Value::Int(n), _) => n.to_string(),
        (Value::Text(t), _) => t.clone(),
    }
}

/// Columns a text takes in a terminal: CJK characters take two.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if matches!(u32::from(c), 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60) { 2 } else { 1 })
        .sum()
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}
