//! CSV files: one sheet, a header row then one line per row, quoted where needed (RFC 4180, the csv crate).
//! UTF-8 by default; [`CsvOptions::excel_french`] writes what French Excel opens as columns (`;`, a UTF-8
//! BOM so accents survive, decimal commas). Text that starts like a formula is prefixed with `'`, which
//! spreadsheets show as text and do not run.

use std::io::Write;

use super::{starts_like_formula, Cell, Counter, Sheet};
use crate::error::{Error, Result};
use crate::job::Job;

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    pub delimiter: u8,
    /// Starts the file with a UTF-8 byte-order mark (Excel reads a file without one as Windows-1252).
    pub bom: bool,
    /// Numbers with a decimal comma (`1350,5`), as a French spreadsheet reads them.
    pub decimal_comma: bool,
    /// Yes and no as French words (`oui`, `non`).
    pub french: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { delimiter: b',', bom: false, decimal_comma: false, french: false }
    }
}

impl CsvOptions {
    /// Excel's French habits: `;` between cells, a UTF-8 BOM, decimal commas, oui/non.
    pub fn excel_french() -> CsvOptions {
        CsvOptions { delimiter: b';', bom: true, decimal_comma: true, french: true }
    }
}

/// Writes one sheet as CSV; returns how many rows were written.
pub fn write(out: impl Write, sheet: Sheet<'_>, options: CsvOptions, job: &Job) -> Result<u64> {
    let mut out = out;
    if options.bom {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut csv = ::csv::WriterBuilder::new().delimiter(options.delimiter).from_writer(out);
    let header: Vec<String> = sheet.columns.iter().map(|c| guarded(&c.header)).collect();
    csv.write_record(&header).map_err(csv_error)?;
    let mut counter = Counter::new(job, &sheet.name, sheet.expected)?;
    let mut line: Vec<String> = Vec::with_capacity(sheet.columns.len());
    for row in sheet.rows {
        let row = row?;
        line.clear();
        line.extend(row.iter().map(|cell| text(cell, options)));
        csv.write_record(&line).map_err(csv_error)?;
        counter.row()?;
    }
    csv.flush()?;
    counter.finish()
}

/// The text of a cell as a CSV holds it.
pub fn text(cell: &Cell, options: CsvOptions) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => guarded(t),
        Cell::Number(n) => {
            let n = number(*n);
            if options.decimal_comma {
                n.replace('.', ",")
            } else {
                n
            }
        }
        Cell::Bool(b) => match (b, options.french) {
            (true, false) => "yes".into(),
            (false, false) => "no".into(),
            (true, true) => "oui".into(),
            (false, true) => "non".into(),
        },
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::DateTime(d) => d.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A number as people write it: `3`, not `3.0`; no exponent for ordinary amounts.
pub fn number(n: f64) -> String {
    if !n.is_finite() {
        String::new()
    } else if n == 0.0 {
        "0".into()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// Text a spreadsheet would run, made inert with a leading `'` (OWASP).
fn guarded(text: &str) -> String {
    if starts_like_formula(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn csv_error(e: ::csv::Error) -> Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(e) => Error::Io(e),
        other => Error::Io(std::io::Error::other(format!("CSV: {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::export::Column;

    fn sheet(rows: Vec<Vec<Cell>>) -> Sheet<'static> {
        Sheet::new(
            "Partners",
            vec![Column::new("Name"), Column::new("Places"), Column::new("Signed"), Column::new("Active")],
            rows.into_iter().map(Ok),
        )
    }

    fn written(rows: Vec<Vec<Cell>>, options: CsvOptions) -> String {
        let mut out = Vec::new();
        write(&mut out, sheet(rows), options, &Job::silent()).expect("written");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn typed_cells_are_written_as_people_read_them_and_quoted_where_needed() {
        let date = NaiveDate::from_ymd_opt(2025, 9, 1).expect("date");
        let rows = vec![
            vec!["Fudan University, Shanghai".into(), Cell::Number(3.0), Cell::Date(date), Cell::Bool(true)],
            vec!["Say \"hi\"\nagain".into(), Cell::Number(1350.5), Cell::Empty, Cell::Bool(false)],
            vec!["复旦大学".into(), Cell::Number(-2.25), Cell::Empty, Cell::Empty],
        ];
        assert_eq!(
            written(rows.clone(), CsvOptions::default()),
            "Name,Places,Signed,Active\n\"Fudan University, Shanghai\",3,2025-09-01,yes\n\
             \"Say \"\"hi\"\"\nagain\",1350.5,,no\n复旦大学,-2.25,,\n"
        );
        assert_eq!(
            written(rows, CsvOptions::excel_french()),
            "\u{feff}Name;Places;Signed;Active\nFudan University, Shanghai;3;2025-09-01;oui\n\
             \"Say \"\"hi\"\"\nagain\";1350,5;;non\n复旦大学;-2,25;;\n"
        );
    }

    #[test]
    fn text_that_would_run_in_a_spreadsheet_is_prefixed_with_a_quote() {
        let rows = vec![
            vec![
                "=HYPERLINK(\"http://evil\",\"x\")".into(),
                "+33 4 72 00 00 00".into(),
                "-1+2".into(),
                "@SUM(A1)".into(),
            ],
            vec!["\t=1".into(), "\r=1".into(), "a=b".into(), Cell::Number(-3.0)],
        ];
        let text = written(rows, CsvOptions::default());
        let mut read = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let cells: Vec<Vec<String>> =
            read.records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect();
        assert_eq!(
            cells[0],
            ["'=HYPERLINK(\"http://evil\",\"x\")", "'+33 4 72 00 00 00", "'-1+2", "'@SUM(A1)"]
        );
        assert_eq!(cells[1], ["'\t=1", "'\r=1", "a=b", "-3"], "a negative number is a number, not text");
    }

    #[test]
    fn a_header_that_starts_like_a_formula_is_guarded_too() {
        let sheet = Sheet::new("x", vec![Column::new("=cmd")], std::iter::empty());
        let mut out = Vec::new();
        write(&mut out, sheet, CsvOptions::default(), &Job::silent()).expect("written");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "'=cmd\n");
    }

    #[test]
    fn numbers_are_written_without_float_noise() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number(1350.5), "1350.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(f64::NAN), "");
    }

    #[test]
    fn a_cancelled_job_stops_the_writing() {
        let job = Job::silent();
        job.cancel();
        let rows = (0..10_000).map(|i| Ok(vec![Cell::from(i64::from(i))]));
        let sheet = Sheet::new("Rows", vec![Column::new("n")], rows);
        let failed = write(Vec::new(), sheet, CsvOptions::default(), &job);
        assert!(matches!(failed, Err(Error::Cancelled)));
    }
}
