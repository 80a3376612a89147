//! Workbooks (XLSX, XLS, ODS) read through calamine into typed cells (a date cell is a date), the sheet
//! chosen by name or, by default, the first one holding data. An XLSX or ODS is checked against the limits
//! before calamine inflates it (see `zip_check`); an XLSX is then read cell by cell, its declared and
//! actual extent checked as it goes, so its rows stream; XLS and ODS, which calamine loads whole, are
//! measured before loading (see `xls_check` and `zip_check`). The parser runs on its own thread
//! and hands rows over a short queue: a damaged file that makes it stop ends in an error, not a crash.

use std::io::{Read, Seek};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use calamine::{Data, DataRef, Dimensions, Ods, Range, Reader, Xls, Xlsx};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::{
    column_letter, file_error, xls_check, zip_check, Cell, Format, Limits, Opened, Options, Record, Source,
};
use crate::error::{Error, Result};

/// Rows waiting between the parser's thread and the reader of the table.
const QUEUE: usize = 64;

enum Message {
    Sheets {
        sheets: Vec<String>,
        sheet: String,
    },
    Record(Record),
    /// The last row was sent: without it, a closed queue means the parser stopped midway.
    End,
}

pub(crate) fn open<R: Read + Seek + Send + 'static>(
    name: &str,
    format: Format,
    mut reader: R,
    _size: u64,
    options: &Options,
    limits: &Limits,
) -> Result<Opened> {
    match format {
        Format::Xlsx | Format::Ods => zip_check::check(name, format, &mut reader, limits)?,
        Format::Xls => xls_check::check(name, &mut reader, limits)?,
        Format::Csv => {}
    }
    let (sender, receiver) = sync_channel(QUEUE);
    let job = Job { name: name.to_owned(), sheet: options.sheet.clone(), limits: *limits, sender };
    std::thread::Builder::new()
        .name("table-sheet".into())
        .spawn(move || job.run(format, reader))
        .map_err(|e| file_error(name, None, None, format!("cannot be read: {e}")))?;
    let mut source = SheetSource { name: name.to_owned(), receiver, ended: false };
    match source.receive()? {
        Some(Message::Sheets { sheets, sheet }) => Ok(Opened {
            encoding: None,
            encoding_detected: false,
            delimiter: None,
            sheets,
            sheet: Some(sheet),
            source: Box::new(source),
        }),
        _ => Err(stopped(name)),
    }
}

fn stopped(name: &str) -> Error {
    file_error(name, None, None, "is damaged: the spreadsheet reader stopped in the middle of it")
}

struct SheetSource {
    name: String,
    receiver: Receiver<Result<Message>>,
    ended: bool,
}

impl SheetSource {
    fn receive(&mut self) -> Result<Option<Message>> {
        if self.ended {
            return Ok(None);
        }
        match self.receiver.recv() {
            Ok(Ok(Message::End)) => {
                self.ended = true;
                Ok(None)
            }
            Ok(Ok(message)) => Ok(Some(message)),
            Ok(Err(e)) => {
                self.ended = true;
                Err(e)
            }
            // The parser's thread ended without saying so: it panicked on a damaged part.
            Err(_) => {
                self.ended = true;
                Err(stopped(&self.name))
            }
        }
    }
}

impl Source for SheetSource {
    fn next_record(&mut self) -> Result<Option<Record>> {
        match self.receive()? {
            Some(Message::Record(record)) => Ok(Some(record)),
            Some(Message::Sheets { .. } | Message::End) => Err(stopped(&self.name)),
            None => Ok(None),
        }
    }
}

/// The parser's side: opens the workbook, chooses the sheet and sends its rows.
struct Job {
    name: String,
    sheet: Option<String>,
    limits: Limits,
    sender: SyncSender<Result<Message>>,
}

/// The reader of the table went away: stop quietly.
struct Gone;

impl Job {
    fn run<R: Read + Seek>(self, format: Format, reader: R) {
        let outcome = match format {
            Format::Xlsx => self.xlsx(reader),
            Format::Xls => match Xls::new(reader) {
                Ok(workbook) => self.whole(workbook, "an Excel 97-2003 workbook (XLS)"),
                Err(e) => self.send(Err(self.damaged("an Excel 97-2003 workbook (XLS)", &e))),
            },
            Format::Ods => match Ods::new(reader) {
                Ok(workbook) => self.whole(workbook, "an OpenDocument spreadsheet (ODS)"),
                Err(e) => self.send(Err(self.damaged("an OpenDocument spreadsheet (ODS)", &e))),
            },
            Format::Csv => self.send(Err(file_error(&self.name, None, None, "is not a spreadsheet"))),
        };
        if outcome.is_ok() {
            let _ = self.send(Ok(Message::End));
        }
    }

    fn send(&self, message: Result<Message>) -> Result<(), Gone> {
        self.sender.send(message).map_err(|_| Gone)
    }

    fn error(&self, row: Option<usize>, column: Option<&str>, message: impl Into<String>) -> Error {
        file_error(&self.name, row, column, message)
    }

    fn damaged(&self, what: &str, e: &dyn std::fmt::Display) -> Error {
        self.error(None, None, format!("is damaged or truncated: it cannot be read as {what} ({e})"))
    }

    /// The sheet asked for (by name, case and spaces aside), else the first holding something.
    fn choose(&self, sheets: &[String], mut has_data: impl FnMut(&str) -> bool) -> Result<String> {
        if sheets.is_empty() {
            return Err(self.error(None, None, "has no sheets"));
        }
        if let Some(wanted) = &self.sheet {
            let found = sheets
                .iter()
                .find(|s| *s == wanted)
                .or_else(|| sheets.iter().find(|s| s.trim().to_lowercase() == wanted.trim().to_lowercase()));
            return match found {
                Some(s) => Ok(s.clone()),
                None => Err(self.error(
                    None,
                    None,
                    format!("has no sheet “{wanted}”; its sheets are {}", quoted_list(sheets)),
                )),
            };
        }
        Ok(sheets.iter().find(|s| has_data(s.as_str())).unwrap_or(&sheets[0]).clone())
    }

    fn xlsx<R: Read + Seek>(&self, reader: R) -> Result<(), Gone> {
        const WHAT: &str = "an Excel workbook (XLSX)";
        let mut workbook = match Xlsx::new(reader) {
            Ok(workbook) => workbook,
            Err(e) => return self.send(Err(self.damaged(WHAT, &e))),
        };
        let sheets = workbook.sheet_names();
        let chosen = self.choose(&sheets, |sheet| {
            let Ok(mut cells) = workbook.worksheet_cells_reader(sheet) else { return false };
            while let Ok(Some(cell)) = cells.next_cell() {
                if !matches!(cell.get_value(), DataRef::Empty) && !is_blank(cell.get_value()) {
                    return true;
                }
            }
            false
        });
        let sheet = match chosen {
            Ok(sheet) => sheet,
            Err(e) => return self.send(Err(e)),
        };
        self.send(Ok(Message::Sheets { sheets: sheets.clone(), sheet: sheet.clone() }))?;
        let mut cells = match workbook.worksheet_cells_reader(&sheet) {
            Ok(cells) => cells,
            Err(e) => return self.send(Err(self.damaged(WHAT, &e))),
        };
        if let Err(e) = self.check_dimensions(&sheet, cells.dimensions()) {
            return self.send(Err(e));
        }
        let mut row: Option<Record> = None;
        loop {
            let cell = match cells.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => return self.send(Err(self.damaged(WHAT, &e))),
            };
            let (r, c) = cell.get_position();
            let number = r as usize + 1;
            let value = match self.cell(number, c, Data::from(cell.get_value().clone())) {
                Ok(value) => value,
                Err(e) => return self.send(Err(e)),
            };
            let Some(value) = value else { continue };
            match row.as_mut() {
                Some(current) if current.number == number => {}
                Some(current) if current.number > number => {
                    let message = format!(
                        "is damaged: row {number} comes after row {} in sheet “{sheet}”",
                        current.number
                    );
                    return self.send(Err(self.error(None, None, message)));
                }
                _ => {
                    if let Some(done) = row.take() {
                        self.send(Ok(Message::Record(done)))?;
                    }
                    row = Some(Record { number, cells: Vec::new() });
                }
            }
            if let Some(current) = row.as_mut() {
                place(&mut current.cells, c as usize, value);
            }
        }
        if let Some(done) = row.take() {
            self.send(Ok(Message::Record(done)))?;
        }
        Ok(())
    }

    fn check_dimensions(&self, sheet: &str, d: Dimensions) -> Result<()> {
        let rows = u64::from(d.end.0.saturating_sub(d.start.0)) + 1;
        let columns = u64::from(d.end.1) + 1;
        if rows > self.limits.rows as u64 + 1 || columns > self.limits.columns as u64 {
            return Err(self.error(
                None,
                None,
                format!(
                    "is refused: its sheet “{sheet}” declares {rows} rows × {columns} columns, over the {} rows \
                     and {} columns a file may have",
                    self.limits.rows, self.limits.columns
                ),
            ));
        }
        Ok(())
    }

    /// A cell checked against the limits; `None` when it holds nothing.
    fn cell(&self, row: usize, column: u32, data: Data) -> Result<Option<Cell>> {
        let cell = convert(data);
        if cell.is_empty() {
            return Ok(None);
        }
        let letter = column_letter(column as usize);
        if column as usize >= self.limits.columns {
            return Err(self.error(
                Some(row),
                Some(&letter),
                format!("has a value beyond the {} columns a file may have", self.limits.columns),
            ));
        }
        if let Cell::Text(t) | Cell::Error(t) = &cell {
            if t.len() > self.limits.cell_bytes {
                return Err(self.error(
                    Some(row),
                    Some(&letter),
                    format!(
                        "a cell is longer than {} bytes, the most a cell may hold",
                        self.limits.cell_bytes
                    ),
                ));
            }
        }
        Ok(Some(cell))
    }

    /// XLS and ODS: calamine has loaded every sheet; send the chosen one's rows.
    fn whole<RS: Read + Seek, W: Reader<RS>>(&self, mut workbook: W, what: &str) -> Result<(), Gone>
    where
        W::Error: std::fmt::Display,
    {
        let sheets = workbook.sheet_names();
        let chosen = self.choose(&sheets, |_| false);
        let mut sheet = match chosen {
            Ok(sheet) => sheet,
            Err(e) => return self.send(Err(e)),
        };
        let mut range: Option<Range<Data>> = None;
        if self.sheet.is_none() {
            for name in &sheets {
                if let Ok(r) = workbook.worksheet_range(name) {
                    if r.used_cells().any(|(_, _, v)| !convert(v.clone()).is_empty()) {
                        sheet = name.clone();
                        range = Some(r);
                        break;
                    }
                }
            }
        }
        let range = match range {
            Some(range) => range,
            None => match workbook.worksheet_range(&sheet) {
                Ok(range) => range,
                Err(e) => return self.send(Err(self.damaged(what, &e))),
            },
        };
        self.send(Ok(Message::Sheets { sheets: sheets.clone(), sheet: sheet.clone() }))?;
        let Some((row0, col0)) = range.start() else { return Ok(()) };
        for (i, values) in range.rows().enumerate() {
            let number = row0 as usize + i + 1;
            let mut record = Record { number, cells: Vec::new() };
            for (j, value) in values.iter().enumerate() {
                let column = col0 + j as u32;
                match self.cell(number, column, value.clone()) {
                    Ok(Some(cell)) => place(&mut record.cells, column as usize, cell),
                    Ok(None) => {}
                    Err(e) => return self.send(Err(e)),
                }
            }
            if !record.cells.is_empty() {
                self.send(Ok(Message::Record(record)))?;
            }
        }
        Ok(())
    }
}

fn place(cells: &mut Vec<Cell>, column: usize, value: Cell) {
    if cells.len() <= column {
        cells.resize(column + 1, Cell::Empty);
    }
    cells[column] = value;
}

fn is_blank(value: &DataRef<'_>) -> bool {
    match value {
        DataRef::String(s) => s.trim().is_empty(),
        DataRef::SharedString(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", ")
}

/// calamine's value as a typed cell: a date cell becomes a date (or a date and time when it has one).
pub(crate) fn convert(data: Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(i as f64),
        Data::Float(f) => Cell::Number(f),
        Data::String(s) if s.is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(at) if dt.is_datetime() => date_or_datetime(at),
            _ => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => iso(&s).unwrap_or(Cell::Text(s)),
        Data::DurationIso(s) => Cell::Text(s),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn date_or_datetime(at: NaiveDateTime) -> Cell {
    if at.time() == NaiveTime::MIN {
        Cell::Date(at.date())
    } else {
        Cell::DateTime(at)
    }
}

fn iso(s: &str) -> Option<Cell> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(Cell::Date(d));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(date_or_datetime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_from_ods_become_dates() {
        assert_eq!(
            convert(Data::DateTimeIso("2025-03-14".into())),
            Cell::Date(NaiveDate::from_ymd_opt(2025, 3, 14).expect("test value"))
        );
        assert_eq!(
            convert(Data::DateTimeIso("2025-03-14T10:30:00".into())),
            Cell::DateTime(
                NaiveDate::from_ymd_opt(2025, 3, 14)
                    .expect("test value")
                    .and_hms_opt(10, 30, 0)
                    .expect("test value")
            )
        );
        assert_eq!(
            convert(Data::DateTimeIso("2025-03-14T00:00:00".into())),
            Cell::Date(NaiveDate::from_ymd_opt(2025, 3, 14).expect("test value"))
        );
        assert_eq!(convert(Data::DurationIso("PT1H".into())), Cell::Text("PT1H".into()));
        assert_eq!(convert(Data::Int(3)), Cell::Number(3.0));
        assert_eq!(convert(Data::String(String::new())), Cell::Empty);
    }
}
