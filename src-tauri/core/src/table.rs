//! A table read from a file from outside (CSV or text, XLSX, XLS, ODS): its header row and its data rows
//! as typed cells, each row numbered as the user's spreadsheet numbers it. This module holds the shapes
//! the readers produce and import consumes; readers check a file against [`Limits`] before and while
//! parsing it, so a hostile file costs bounded memory and time and ends in an [`Error::File`] naming it.
//!
//! [`open`] reads any of them: it picks the format (magic bytes, then the name), the encoding and the
//! delimiter of a text file, and the sheet of a workbook, and gives a [`Table`]: what was chosen, the
//! headers, and the data rows one at a time (a million-row CSV is read in flat memory).

mod sheet;
mod text;
mod xls_check;
mod zip_check;

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek};
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// One cell as the file typed it. A CSV has only text (and empty) cells; a spreadsheet has numbers, dates
/// and booleans too, so that a date cell is a date, whatever its display format.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(#[ts(type = "string")] NaiveDate),
    DateTime(#[ts(type = "string")] NaiveDateTime),
    /// A spreadsheet's error value (`#N/A`, `#DIV/0!`), kept as its text.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// One data row: its number in the file (1 is the first line or spreadsheet row, so the header row is
/// usually 1 and the first data row 2) and its cells, one per header (missing trailing cells are `Empty`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, rename = "TableRow")]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// The kinds of file a table is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    Xlsx,
    Xls,
    Ods,
}

/// Bounds on what a file from outside may cost before it is refused. The defaults are far above any real
/// office file and far below what would hurt a laptop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file's size on disk.
    pub file_bytes: u64,
    /// Data rows.
    pub rows: usize,
    /// Columns.
    pub columns: usize,
    /// One cell's text, in bytes.
    pub cell_bytes: usize,
    /// A spreadsheet's parts once inflated, in all.
    pub inflated_bytes: u64,
    /// A spreadsheet part's inflated size over its compressed size.
    pub inflation_ratio: u64,
    /// Cells an XLS or ODS sheet may span (its used rows × columns): those formats are loaded whole,
    /// blank cells included, so this bounds their memory (an XLSX is read row by row).
    pub cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: 256 * 1024 * 1024,
            rows: 2_000_000,
            columns: 512,
            cell_bytes: 64 * 1024,
            inflated_bytes: 1024 * 1024 * 1024,
            inflation_ratio: 200,
            cells: 10_000_000,
        }
    }
}

/// The error for a file from outside, with where in it when known.
pub fn file_error(file: &str, row: Option<usize>, column: Option<&str>, message: impl Into<String>) -> Error {
    Error::File { file: file.to_owned(), row, column: column.map(str::to_owned), message: message.into() }
}

/// The encodings a text file may be read in, as [`Table::encoding`] names them: what the app offers when the
/// detected one is wrong (any other WHATWG label is accepted too).
pub const ENCODINGS: [&str; 8] =
    ["UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252", "GBK", "gb18030", "Shift_JIS", "Big5"];

/// The delimiters offered for a text file (any ASCII byte is accepted).
pub const DELIMITERS: [&str; 4] = [",", ";", "\t", "|"];

/// What the user (or the app) chose; `None` lets [`open`] detect it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    pub format: Option<Format>,
    /// A text file's sheet: ignored for text.
    pub sheet: Option<String>,
    /// A text file's encoding, by any WHATWG label (`utf-8`, `windows-1252`, `latin1`, `gbk`, `gb18030`,
    /// `shift_jis`, `big5`, `utf-16le`, `utf-16be`).
    pub encoding: Option<String>,
    /// A text file's delimiter (`,` `;` tab or any ASCII byte).
    pub delimiter: Option<u8>,
}

/// One raw row of a file before headers are applied: its number and its cells as read.
pub(crate) struct Record {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// Where raw records come from: a text file or a sheet.
pub(crate) trait Source: Send {
    fn next_record(&mut self) -> Result<Option<Record>>;
}

/// A file opened for reading: what was chosen for it, its headers, and its data rows (iterate the table
/// itself). Rows come one at a time; the first error ends the iteration.
pub struct Table {
    /// The file's name as the user knows it (no directory), used in every error.
    pub file: String,
    pub format: Format,
    /// A text file's encoding (`UTF-8`, `UTF-16LE`, `windows-1252`, `GBK`, `Shift_JIS`, `Big5`…).
    pub encoding: Option<String>,
    /// Whether the encoding was detected (true) or given (false).
    pub encoding_detected: bool,
    /// A text file's delimiter.
    pub delimiter: Option<u8>,
    /// A workbook's sheets, in order.
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: Option<String>,
    /// The header row's number (1-based, as the spreadsheet shows it).
    pub header_row: usize,
    /// The header row's cells, trimmed; a blank header is `""` (its column must hold no data).
    pub headers: Vec<String>,
    source: Box<dyn Source>,
    limits: Limits,
    peeked: Option<Row>,
    rows_read: usize,
    done: bool,
}

/// A table's first rows and what was chosen, for the app to show before anything is imported and let the
/// user change the encoding, delimiter or sheet.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, rename = "TablePreview")]
pub struct Preview {
    pub file: String,
    pub format: Format,
    pub encoding: Option<String>,
    pub encoding_detected: bool,
    /// The delimiter as text (`","`, `";"`, `"\t"`).
    pub delimiter: Option<String>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub header_row: usize,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Whether the file has more data rows than shown.
    pub more: bool,
}

/// Opens a file from outside: its size checked first (a huge file is refused before any byte is read),
/// then its format, encoding, delimiter and sheet chosen, and its header row read.
pub fn open(path: &Path, options: &Options, limits: &Limits) -> Result<Table> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let file =
        File::open(path).map_err(|e| file_error(&name, None, None, format!("cannot be opened: {e}")))?;
    let size =
        file.metadata().map_err(|e| file_error(&name, None, None, format!("cannot be read: {e}")))?.len();
    check_size(&name, size, limits)?;
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    open_source(&name, extension.as_deref(), file, size, options, limits)
}

/// [`open`] over bytes already in memory (a dropped file, a test, the fuzzer); `name` is the file's name.
pub fn open_bytes(name: &str, bytes: Vec<u8>, options: &Options, limits: &Limits) -> Result<Table> {
    let size = bytes.len() as u64;
    check_size(name, size, limits)?;
    let extension = Path::new(name).extension().map(|e| e.to_string_lossy().to_lowercase());
    open_source(name, extension.as_deref(), std::io::Cursor::new(bytes), size, options, limits)
}

fn check_size(name: &str, size: u64, limits: &Limits) -> Result<()> {
    if size > limits.file_bytes {
        return Err(file_error(
            name,
            None,
            None,
            format!("is {}, over the {} a file may have", bytes_text(size), bytes_text(limits.file_bytes)),
        ));
    }
    if size == 0 {
        return Err(file_error(name, None, None, "is empty"));
    }
    Ok(())
}

fn open_source<R: Read + Seek + Send + 'static>(
    name: &str,
    extension: Option<&str>,
    mut reader: R,
    size: u64,
    options: &Options,
    limits: &Limits,
) -> Result<Table> {
    let format = match options.format {
        Some(format) => format,
        None => detect_format(name, extension, &mut reader)?,
    };
    let opened = match format {
        Format::Csv => text::open(name, reader, options, limits)?,
        Format::Xlsx | Format::Ods | Format::Xls => sheet::open(name, format, reader, size, options, limits)?,
    };
    Table::new(name, format, opened, *limits)
}

/// What a reader found before the header row: the choices made and the raw records to come.
pub(crate) struct Opened {
    pub encoding: Option<String>,
    pub encoding_detected: bool,
    pub delimiter: Option<u8>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    pub source: Box<dyn Source>,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format from the file's first bytes, its name only telling what a file that is no spreadsheet
/// claimed to be.
fn detect_format<R: Read + Seek>(name: &str, extension: Option<&str>, reader: &mut R) -> Result<Format> {
    let mut head = [0u8; 8];
    let mut n = 0;
    while n < head.len() {
        match reader.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(file_error(name, None, None, format!("cannot be read: {e}"))),
        }
    }
    reader.rewind().map_err(|e| file_error(name, None, None, format!("cannot be read: {e}")))?;
    let head = &head[..n];
    if head.starts_with(ZIP_MAGIC) {
        return zip_check::zip_format(name, reader);
    }
    if head.starts_with(CFB_MAGIC) {
        return Ok(Format::Xls);
    }
    match extension {
        Some("xlsx" | "xlsm" | "ods" | "xls" | "xlsb") => {
            let what = if head.starts_with(b"<") {
                "a web page (HTML or XML) saved under a spreadsheet's name: open it in a spreadsheet and save it as XLSX"
            } else if head.starts_with(b"PK") {
                "damaged: it starts like a zip archive but not like a spreadsheet"
            } else {
                "not a spreadsheet (it does not start like one); if it is text, open it as CSV"
            };
            Err(file_error(name, None, None, format!("is {what}")))
        }
        _ => Ok(Format::Csv),
    }
}

impl Table {
    fn new(file: &str, format: Format, opened: Opened, limits: Limits) -> Result<Table> {
        let mut table = Table {
            file: file.to_owned(),
            format,
            encoding: opened.encoding,
            encoding_detected: opened.encoding_detected,
            delimiter: opened.delimiter,
            sheets: opened.sheets,
            sheet: opened.sheet,
            header_row: 0,
            headers: Vec::new(),
            source: opened.source,
            limits,
            peeked: None,
            rows_read: 0,
            done: false,
        };
        let header = loop {
            match table.source.next_record()? {
                None => {
                    let what = match &table.sheet {
                        Some(sheet) => format!("has nothing in sheet “{sheet}”"),
                        None => "has no rows: it is empty".to_owned(),
                    };
                    return Err(file_error(file, None, None, what));
                }
                Some(record) if record.cells.iter().all(Cell::is_empty) => continue,
                Some(record) => break record,
            }
        };
        table.header_row = header.number;
        table.headers = header_texts(file, &header, &limits)?;
        match table.next_row() {
            Some(Ok(row)) => table.peeked = Some(row),
            Some(Err(e)) => return Err(e),
            None => {
                return Err(file_error(
                    file,
                    Some(header.number),
                    None,
                    "has a header row but no data rows under it",
                ))
            }
        }
        Ok(table)
    }

    /// The first `rows` data rows and what was chosen, for a preview.
    pub fn preview(mut self, rows: usize) -> Result<Preview> {
        let mut shown = Vec::new();
        while shown.len() < rows {
            match self.next() {
                Some(row) => shown.push(row?),
                None => break,
            }
        }
        let more = match self.next() {
            Some(row) => row.map(|_| true)?,
            None => false,
        };
        Ok(Preview {
            file: self.file,
            format: self.format,
            encoding: self.encoding,
            encoding_detected: self.encoding_detected,
            delimiter: self.delimiter.map(delimiter_text),
            sheets: self.sheets,
            sheet: self.sheet,
            header_row: self.header_row,
            headers: self.headers,
            rows: shown,
            more,
        })
    }

    fn next_row(&mut self) -> Option<Result<Row>> {
        loop {
            let record = match self.source.next_record() {
                Ok(Some(record)) => record,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            if record.cells.iter().all(Cell::is_empty) {
                continue;
            }
            self.rows_read += 1;
            if self.rows_read > self.limits.rows {
                return Some(Err(file_error(
                    &self.file,
                    Some(record.number),
                    None,
                    format!("has more than {} data rows, the most a file may have", self.limits.rows),
                )));
            }
            return Some(self.shape(record));
        }
    }

    /// Fits a record to the headers: trailing empty cells dropped or added, data under no header refused.
    fn shape(&self, record: Record) -> Result<Row> {
        let mut cells = record.cells;
        let used = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        if used > self.headers.len() {
            return Err(file_error(
                &self.file,
                Some(record.number),
                Some(&column_letter(used - 1)),
                format!(
                    "this row has {used} cells but there are only {} headers: the cells beyond the last header \
                     have no column",
                    self.headers.len()
                ),
            ));
        }
        if let Some(i) = (0..used).find(|&i| self.headers[i].is_empty() && !cells[i].is_empty()) {
            return Err(file_error(
                &self.file,
                Some(record.number),
                Some(&column_letter(i)),
                format!("column {} has no header but holds a value in this row", column_letter(i)),
            ));
        }
        cells.truncate(used);
        cells.resize(self.headers.len(), Cell::Empty);
        for (i, cell) in cells.iter().enumerate() {
            if let Cell::Text(text) = cell {
                if text.contains('\u{FFFD}') {
                    return Err(file_error(
                        &self.file,
                        Some(record.number),
                        Some(&self.column_name(i)),
                        "holds “\u{FFFD}”, a character lost when the file was converted from another encoding: \
                         fix the text in the file or choose its encoding",
                    ));
                }
            }
        }
        Ok(Row { number: record.number, cells })
    }

    /// A column as an error names it: its header, else its letter.
    pub fn column_name(&self, index: usize) -> String {
        match self.headers.get(index) {
            Some(h) if !h.is_empty() => h.clone(),
            _ => column_letter(index),
        }
    }
}

impl Iterator for Table {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        if self.done {
            return None;
        }
        if let Some(row) = self.peeked.take() {
            return Some(Ok(row));
        }
        let next = self.next_row();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }
}

/// The header row's texts: trimmed, trailing blanks dropped, duplicates and too many columns refused.
fn header_texts(file: &str, header: &Record, limits: &Limits) -> Result<Vec<String>> {
    let mut headers: Vec<String> = header.cells.iter().map(header_text).collect();
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    if headers.len() > limits.columns {
        return Err(file_error(
            file,
            Some(header.number),
            None,
            format!("has {} columns, over the {} a file may have", headers.len(), limits.columns),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(h.to_lowercase(), i) {
            return Err(file_error(
                file,
                Some(header.number),
                Some(&column_letter(i)),
                format!(
                    "columns {} and {} have the same header “{h}”: rename one so each column says what it holds",
                    column_letter(first),
                    column_letter(i)
                ),
            ));
        }
    }
    Ok(headers)
}

fn header_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) | Cell::Error(t) => t.trim().to_owned(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(d) => d.to_string(),
        Cell::DateTime(d) => d.to_string(),
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A column's letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

fn delimiter_text(d: u8) -> String {
    match d {
        b'\t' => "\\t".to_owned(),
        other => char::from(other).to_string(),
    }
}

pub(crate) fn bytes_text(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if n >= 1024 * MB {
        format!("{:.1} GB", n as f64 / (1024 * MB) as f64)
    } else if n >= MB {
        format!("{:.1} MB", n as f64 / MB as f64)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_error_says_file_row_and_column_in_words() {
        let e = file_error("partners.csv", Some(14), Some("Pays"), "“Chinee” is not a country");
        assert_eq!(e.kind(), "file");
        assert_eq!(e.to_string(), "partners.csv, row 14, column Pays: “Chinee” is not a country");
        assert_eq!(
            file_error("x.xlsx", None, None, "not a spreadsheet").to_string(),
            "x.xlsx: not a spreadsheet"
        );
    }

    fn csv(bytes: &[u8]) -> Result<(Table, Vec<Row>)> {
        csv_with(bytes, &Options::default(), &Limits::default())
    }

    fn csv_with(bytes: &[u8], options: &Options, limits: &Limits) -> Result<(Table, Vec<Row>)> {
        let mut table = open_bytes("t.csv", bytes.to_vec(), options, limits)?;
        let rows = table.by_ref().collect::<Result<Vec<_>>>()?;
        Ok((table, rows))
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn message(result: Result<(Table, Vec<Row>)>) -> String {
        match result {
            Ok(_) => panic!("expected an error"),
            Err(e) => {
                assert_eq!(e.kind(), "file", "{e}");
                e.to_string()
            }
        }
    }

    #[test]
    fn quoted_line_breaks_stay_in_their_row_and_rows_count_as_a_spreadsheet_counts_them() {
        let (table, rows) = csv(b"name,note\r\n\r\nFudan,\"line one\r\nline \"\"two\"\"\"\r\nTongji,x\r\n")
            .expect("test value");
        assert_eq!(table.headers, ["name", "note"]);
        assert_eq!(table.header_row, 1);
        assert_eq!(table.delimiter, Some(b','));
        assert_eq!(table.encoding.as_deref(), Some("UTF-8"));
        assert_eq!(rows[0], Row { number: 3, cells: vec![text("Fudan"), text("line one\r\nline \"two\"")] });
        assert_eq!(rows[1], Row { number: 4, cells: vec![text("Tongji"), text("x")] });
    }

    #[test]
    fn short_rows_are_padded_and_trailing_empty_cells_are_fine() {
        let (_, rows) = csv(b"a;b;c;;\n1;;;;;;\n\n;;;\n2;3;4;\n").expect("test value");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], Row { number: 2, cells: vec![text("1"), Cell::Empty, Cell::Empty] });
        assert_eq!(rows[1].number, 5);
    }

    #[test]
    fn an_override_wins_over_detection() {
        let options =
            Options { delimiter: Some(b';'), encoding: Some("latin1".into()), ..Options::default() };
        let (table, rows) = csv_with(b"a,b;c\n\xE9,1;2\n", &options, &Limits::default()).expect("test value");
        assert_eq!(table.encoding.as_deref(), Some("windows-1252"));
        assert!(!table.encoding_detected);
        assert_eq!(table.headers, ["a,b", "c"]);
        assert_eq!(rows[0].cells, [text("é,1"), text("2")]);
        let unknown = Options { encoding: Some("klingon".into()), ..Options::default() };
        assert!(message(csv_with(b"a\n1\n", &unknown, &Limits::default()))
            .contains("“klingon” is not an encoding"));
    }

    #[test]
    fn utf16_with_its_mark_is_read_as_excel_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Nom\tVille\r\n复旦大学\t上海\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let (table, rows) = csv(&bytes).expect("test value");
        assert_eq!(table.encoding.as_deref(), Some("UTF-16LE"));
        assert_eq!(table.delimiter, Some(b'\t'));
        assert_eq!(rows[0].cells, [text("复旦大学"), text("上海")]);
    }

    #[test]
    fn a_long_file_decodes_across_buffers_without_splitting_characters() {
        let mut s = String::from("名称,城市\n");
        for i in 0..20_000 {
            s.push_str(&format!("复旦大学{i},上海\n"));
        }
        let (encoded, _, _) = encoding_rs::GBK.encode(&s);
        let (table, rows) = csv(&encoded).expect("test value");
        assert_eq!(table.encoding.as_deref(), Some("GBK"));
        assert_eq!(rows.len(), 20_000);
        assert_eq!(rows[19_999], Row { number: 20_001, cells: vec![text("复旦大学19999"), text("上海")] });
    }

    #[test]
    fn bad_files_are_refused_with_their_row_and_column() {
        assert_eq!(message(csv(b"\n\n  \n")), "t.csv: has no rows: it is empty");
        assert_eq!(message(csv(b"a,b\n,\n")), "t.csv, row 1: has a header row but no data rows under it");
        assert_eq!(
            message(csv(b"a,b\n1,2,3\n")),
            "t.csv, row 2, column C: this row has 3 cells but there are only 2 headers: the cells beyond the last \
             header have no column"
        );
        assert!(message(csv(b"a,b\n1,2\n3,\"open\n4,5\n")).starts_with("t.csv, row 3, column B: a quote"));
        assert!(message(csv(b"a,b\n1,2\n3,x\0y\n")).starts_with("t.csv, row 3, column B: holds a NUL byte"));
        assert_eq!(
            message(csv(b"Nom,Pays,nom\n1,2,3\n")),
            "t.csv, row 1, column C: columns A and C have the same header “nom”: rename one so each column says \
             what it holds"
        );
        assert_eq!(
            message(csv(b"a,,c\n1,,3\n4,5,6\n")),
            "t.csv, row 3, column B: column B has no header but holds a value in this row"
        );
        let utf8 = Options { encoding: Some("utf-8".into()), ..Options::default() };
        assert_eq!(
            message(csv_with(b"a,b\n1,2\n3,\xE94\n", &utf8, &Limits::default())),
            "t.csv, row 3, column B: holds bytes that are not UTF-8 text (E9): choose the file's encoding"
        );
        assert!(message(csv("a,b\n1,x\u{FFFD}\n".as_bytes()))
            .starts_with("t.csv, row 2, column b: holds “\u{FFFD}”"));
    }

    #[test]
    fn limits_bound_cells_columns_and_rows() {
        let small = Limits { cell_bytes: 4, columns: 3, rows: 2, ..Limits::default() };
        assert!(message(csv_with(b"a,b\n1,12345\n", &Options::default(), &small))
            .starts_with("t.csv, row 2, column B: a cell is longer than 4 bytes"));
        assert!(message(csv_with(b"a,b,c,d\n1\n", &Options::default(), &small))
            .starts_with("t.csv, row 1, column D: has more than 3 columns"));
        assert!(message(csv_with(b"a,b\n1,2,,,,x\n", &Options::default(), &small))
            .starts_with("t.csv, row 2, column F: has more than 3 columns"));
        let (_, rows) = csv_with(b"a,b\n1,2,,,,,,,,,\n", &Options::default(), &small).expect("test value");
        assert_eq!(rows.len(), 1);
        assert!(message(csv_with(b"a\n1\n2\n3\n", &Options::default(), &small))
            .starts_with("t.csv, row 4: has more than 2 data rows"));
        let tiny = Limits { file_bytes: 3, ..Limits::default() };
        assert_eq!(
            message(csv_with(b"a\n1\n", &Options::default(), &tiny)),
            "t.csv: is 4 bytes, over the 3 bytes a file may have"
        );
    }

    #[test]
    fn a_preview_shows_the_first_rows_and_whether_there_are_more() {
        let table =
            open_bytes("t.csv", b"a;b\n1;2\n3;4\n5;6\n".to_vec(), &Options::default(), &Limits::default())
                .expect("test value");
        let preview = table.preview(2).expect("test value");
        assert_eq!(preview.delimiter.as_deref(), Some(";"));
        assert_eq!(preview.rows.len(), 2);
        assert!(preview.more);
    }

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn blank_text_is_an_empty_cell() {
        assert!(Cell::Text("  ".into()).is_empty());
        assert!(!Cell::Number(0.0).is_empty());
    }
}
