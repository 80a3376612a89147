//! XLSX workbooks: one worksheet per sheet, written in rust_xlsxwriter's constant-memory mode (each row
//! goes to a temporary file as soon as it is complete, so 100,000 rows cost no more memory than ten). Cells
//! keep their type (dates are real dates shown `yyyy-mm-dd`), the header row is bold and frozen with an
//! autofilter, and columns are as wide as their contents (capped). Text is always a string cell, never a
//! formula, whatever it starts with.

use std::io::Write;

use chrono::Datelike;
use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, Worksheet, XlsxError};

use super::{Cell, Counter, Sheet};
use crate::error::{Error, Result};
use crate::job::Job;

/// Excel's rows per worksheet, the header row included.
pub const MAX_ROWS: u64 = 1_048_576;
/// Excel's longest text in one cell, in UTF-16 units.
const MAX_TEXT: usize = 32_767;
/// The widest a column is made from its contents, in characters.
const MAX_WIDTH: f64 = 60.0;
const MIN_WIDTH: f64 = 6.0;

/// Writes the sheets as one workbook, a worksheet each; returns how many rows each had.
pub fn write(out: impl Write + Send, sheets: Vec<Sheet<'_>>, job: &Job) -> Result<Vec<u64>> {
    let mut workbook = Workbook::new();
    // Compressing the worksheets is much of the writing. With zlib-rs (zlib-ng's levels), level 2 takes
    // about 0.6 of level 3's time (Excel 365's own) for the same size, and 0.4 of the default's (6) for a
    // file about 15 % larger; level 1 is hardly faster for a file 40 % larger (100,000 exchanges' worksheet).
    workbook.set_zip_compression_level(2);
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let formats = Formats { date, datetime };
    let mut names: Vec<String> = Vec::new();
    let mut counts = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let name = sheet_name(&sheet.name, &names);
        names.push(name.to_lowercase());
        let worksheet = workbook.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
        worksheet.set_name(&name).map_err(xlsx_error)?;
        counts.push(write_sheet(worksheet, sheet, &header, &formats, job)?);
    }
    if counts.is_empty() {
        workbook.add_worksheet();
    }
    job.check()?;
    workbook.save_to_writer(out).map_err(xlsx_error)?;
    Ok(counts)
}

struct Formats {
    date: Format,
    datetime: Format,
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: Sheet<'_>,
    header: &Format,
    formats: &Formats,
    job: &Job,
) -> Result<u64> {
    let columns = sheet.columns.len();
    let mut widths: Vec<f64> = sheet.columns.iter().map(|c| text_width(&c.header) + 2.0).collect();
    for (col, column) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, col_num(col)?, column.header.as_str(), header).map_err(xlsx_error)?;
    }
    let mut counter = Counter::new(job, &sheet.name, sheet.expected)?;
    let mut row: RowNum = 0;
    for cells in sheet.rows {
        let cells = cells?;
        if u64::from(row) + 1 >= MAX_ROWS {
            return Err(Error::Io(std::io::Error::other(format!(
                "a worksheet holds at most {} rows: export this list as CSV, or filter it",
                MAX_ROWS - 1
            ))));
        }
        row += 1;
        for (col, cell) in cells.into_iter().enumerate().take(columns) {
            let width = write_cell(ws, row, col_num(col)?, cell, formats)?;
            if width > widths[col] {
                widths[col] = width;
            }
        }
        counter.row()?;
    }
    for (col, column) in sheet.columns.iter().enumerate() {
        let width = column.width.unwrap_or_else(|| (widths[col] + 1.0).clamp(MIN_WIDTH, MAX_WIDTH));
        ws.set_column_width(col_num(col)?, width).map_err(xlsx_error)?;
    }
    if columns > 0 {
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        ws.autofilter(0, 0, row, col_num(columns - 1)?).map_err(xlsx_error)?;
    }
    counter.finish()
}

/// Writes one cell; returns the width of what it shows, in characters.
fn write_cell(ws: &mut Worksheet, row: RowNum, col: ColNum, cell: Cell, formats: &Formats) -> Result<f64> {
    match cell {
        Cell::Empty => Ok(0.0),
        Cell::Text(text) => {
            let width;
            // The text itself is handed over (the writer keeps a copy of what it is given otherwise).
            let text = if text.len() <= MAX_TEXT {
                width = text_width(&text);
                text
            } else {
                let cut = within_cell(&text);
                width = text_width(cut);
                cut.to_owned()
            };
            // Always a string cell: rust_xlsxwriter's write_string never makes a formula of `=…`.
            ws.write_string(row, col, text).map_err(xlsx_error)?;
            Ok(width)
        }
        Cell::Number(n) if n.is_finite() => {
            ws.write_number(row, col, n).map_err(xlsx_error)?;
            Ok(number_width(n))
        }
        Cell::Number(_) => Ok(0.0),
        Cell::Bool(b) => {
            ws.write_boolean(row, col, b).map_err(xlsx_error)?;
            Ok(5.0)
        }
        // Excel's dates start in 1900: an older one is written as its text.
        Cell::Date(d) if d.year() < 1900 => {
            ws.write_string(row, col, d.format("%Y-%m-%d").to_string()).map_err(xlsx_error)?;
            Ok(10.0)
        }
        Cell::Date(d) => {
            ws.write_date_with_format(row, col, d, &formats.date).map_err(xlsx_error)?;
            Ok(10.0)
        }
        Cell::DateTime(d) if d.year() < 1900 => {
            ws.write_string(row, col, d.format("%Y-%m-%d %H:%M").to_string()).map_err(xlsx_error)?;
            Ok(16.0)
        }
        Cell::DateTime(d) => {
            ws.write_datetime_with_format(row, col, d, &formats.datetime).map_err(xlsx_error)?;
            Ok(16.0)
        }
    }
}

/// Text cut to what one cell holds (a longer note would make Excel refuse the whole file).
pub(crate) fn within_cell(text: &str) -> &str {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_TEXT {
            return &text[..at];
        }
    }
    text
}

/// How many characters a number takes as the CSV export writes it ([`super::csv::number`]); a whole number
/// is counted without being written out.
fn number_width(n: f64) -> f64 {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        let whole = n as i64;
        let digits = whole.unsigned_abs().checked_ilog10().map_or(1, |d| d + 1);
        return f64::from(digits + u32::from(whole < 0));
    }
    super::csv::number(n).len() as f64
}

/// How many character widths text takes in a spreadsheet: Chinese, Japanese and Korean characters take
/// two. Only the longest line of a multi-line cell counts.
pub(crate) fn text_width(text: &str) -> f64 {
    if text.is_ascii() && !text.contains('\n') {
        return text.len() as f64;
    }
    let (mut widest, mut line) = (0_usize, 0_usize);
    for c in text.chars() {
        if c == '\n' {
            widest = widest.max(line);
            line = 0;
        } else {
            line += if wide(c) { 2 } else { 1 };
        }
    }
    widest.max(line) as f64
}

fn wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// A worksheet's name as Excel allows it: at most 31 characters, none of `[]:*?/\`, not blank, and unique
/// in the workbook (`taken` holds the names used so far, lower-cased).
pub(crate) fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() { "Sheet".into() } else { clean.chars().take(31).collect() };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.chars().count()).collect::<String>());
        n += 1;
    }
    name
}

pub(crate) fn col_num(col: usize) -> Result<ColNum> {
    ColNum::try_from(col)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| Error::Io(std::io::Error::other("a worksheet holds at most 16,384 columns")))
}

pub(crate) fn xlsx_error(e: XlsxError) -> Error {
    match e {
        XlsxError::IoError(e) => Error::Io(e),
        other => Error::Io(std::io::Error::other(format!("XLSX: {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use chrono::{NaiveDate, NaiveDateTime};

    use super::*;
    use crate::export::Column;

    fn read(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
        open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook calamine opens")
    }

    fn dt(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("datetime")
    }

    #[test]
    fn cells_keep_their_types_and_dates_are_dates() {
        let date = NaiveDate::from_ymd_opt(2025, 9, 1).expect("date");
        let rows = vec![
            vec!["复旦大学".into(), Cell::Number(1350.5), Cell::Date(date), Cell::Bool(true)],
            vec![
                Cell::Empty,
                Cell::Number(3.0),
                Cell::DateTime(dt("2026-01-31 10:30:00")),
                Cell::Bool(false),
            ],
        ];
        let columns = ["Name", "Amount", "Start", "Counted"].map(Column::new).to_vec();
        let mut out = Vec::new();
        let counts =
            write(&mut out, vec![Sheet::new("Exchanges", columns, rows.into_iter().map(Ok))], &Job::silent())
                .expect("written");
        assert_eq!(counts, [2]);
        let mut book = read(out);
        assert_eq!(book.sheet_names(), ["Exchanges"]);
        let range = book.worksheet_range("Exchanges").expect("sheet");
        assert_eq!(range.get_size(), (3, 4));
        assert_eq!(range.get((0, 0)), Some(&Data::String("Name".into())));
        assert_eq!(range.get((1, 0)), Some(&Data::String("复旦大学".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::Float(1350.5)));
        assert_eq!(range.get((1, 3)), Some(&Data::Bool(true)));
        assert_eq!(range.get((2, 0)), Some(&Data::Empty));
        match range.get((1, 2)) {
            Some(Data::DateTime(d)) => assert_eq!(d.as_datetime().map(|d| d.date()), Some(date)),
            other => panic!("a date cell, not {other:?}"),
        }
        match range.get((2, 2)) {
            Some(Data::DateTime(d)) => assert_eq!(d.as_datetime(), Some(dt("2026-01-31 10:30:00"))),
            other => panic!("a date-time cell, not {other:?}"),
        }
    }

    #[test]
    fn text_that_starts_like_a_formula_is_a_string_cell_never_a_formula() {
        let payloads =
            ["=1+2", "=HYPERLINK(\"http://evil\",\"x\")", "+33 4 72", "-1+2", "@SUM(A1)", "\t=1", "\r=1"];
        let rows = payloads.iter().map(|p| Ok(vec![Cell::from(*p)]));
        let mut out = Vec::new();
        write(&mut out, vec![Sheet::new("X", vec![Column::new("=Header")], rows)], &Job::silent())
            .expect("written");
        let mut book = read(out);
        let formulas = book.worksheet_formula("X").expect("formulas");
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no cell holds a formula");
        let range = book.worksheet_range("X").expect("sheet");
        assert_eq!(range.get((0, 0)), Some(&Data::String("=Header".into())));
        for (i, p) in payloads.iter().enumerate() {
            assert_eq!(range.get((i + 1, 0)), Some(&Data::String((*p).into())), "kept exactly, as text");
        }
    }

    #[test]
    fn several_sheets_make_several_worksheets_with_names_excel_allows() {
        let sheet =
            |name: &str| Sheet::new(name, vec![Column::new("A")], std::iter::once(Ok(vec![name.into()])));
        let mut out = Vec::new();
        write(
            &mut out,
            vec![
                sheet("Partners"),
                sheet("Contacts"),
                sheet("partners"),
                sheet("a/b: [c]?"),
                sheet(&"x".repeat(40)),
            ],
            &Job::silent(),
        )
        .expect("written");
        let book = read(out);
        assert_eq!(
            book.sheet_names(),
            ["Partners", "Contacts", "partners (2)", "a_b_ _c__", &"x".repeat(31)].map(str::to_owned)
        );
    }

    #[test]
    fn widths_follow_the_contents_and_long_text_is_cut_to_a_cell() {
        assert_eq!(text_width("Lyon"), 4.0);
        assert_eq!(text_width("复旦大学"), 8.0);
        assert_eq!(text_width("ab\nabcdef"), 6.0);
        assert_eq!(text_width("Lyon 3\n"), 6.0);
        assert_eq!(text_width("复旦\nUniversité Lyon 3\n東北大学 Tohoku"), 17.0);
        assert_eq!(text_width("\n\n"), 0.0);
        for n in
            [0.0, -0.0, 1.0, 9.0, 10.0, -10.0, 2025.0, -99999.0, 1350.5, -0.25, 1e14, -1e14 + 1.0, 1e15, 1e20]
        {
            assert_eq!(number_width(n), super::super::csv::number(n).len() as f64, "{n}");
        }
        let long = "é".repeat(40_000);
        assert_eq!(within_cell(&long).chars().count(), MAX_TEXT);
        assert_eq!(within_cell("short"), "short");
    }

    #[test]
    fn a_cancelled_job_writes_nothing() {
        let job = Job::silent();
        job.cancel();
        let rows = (0..1000).map(|i| Ok(vec![Cell::from(i64::from(i))]));
        let mut out = Vec::new();
        let failed = write(&mut out, vec![Sheet::new("Rows", vec![Column::new("n")], rows)], &job);
        assert!(matches!(failed, Err(Error::Cancelled)));
        assert!(out.is_empty());
    }
}
