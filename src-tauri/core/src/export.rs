//! Files of lists Liaison writes for people and other tools: CSV, XLSX, JSON and vCard. The writers work on
//! one general shape — sheets, each with a name, columns and a stream of rows of typed cells — so an export
//! of a list and a report write the same way. Every writer streams (a million rows in flat memory), reports
//! progress to a [`Job`] and stops when it is cancelled; every file is written whole or not at all
//! ([`crate::files::write_atomically_with`]); and nothing in a written file can run in a spreadsheet (text
//! that starts like a formula stays text, see [`starts_like_formula`]).

pub mod csv;
pub mod json;
pub mod list;
pub mod vcard;
pub mod xlsx;

use chrono::{NaiveDate, NaiveDateTime};

use crate::error::Result;
use crate::job::Job;

/// One cell of an exported row, typed so that a spreadsheet gets a date as a date and a number as a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_owned())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        // Row counts and years: far below 2^53, so exact as a spreadsheet number.
        Cell::Number(n as f64)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Bool(b)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

impl From<NaiveDateTime> for Cell {
    fn from(d: NaiveDateTime) -> Cell {
        Cell::DateTime(d)
    }
}

/// A column of a sheet: its header as the reader sees it, and optionally its width in characters (otherwise
/// the XLSX writer sizes it from the data).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: Option<f64>,
}

impl Column {
    pub fn new(header: impl Into<String>) -> Column {
        Column { header: header.into(), width: None }
    }

    pub fn with_width(header: impl Into<String>, width: f64) -> Column {
        Column { header: header.into(), width: Some(width) }
    }
}

/// The rows of a sheet, produced one at a time as the file is written.
pub type Rows<'a> = Box<dyn Iterator<Item = Result<Vec<Cell>>> + 'a>;

/// One table of an export: a list of one kind of record, or a report's table.
pub struct Sheet<'a> {
    /// The sheet's name in a workbook; also the step shown while it is written.
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Rows<'a>,
    /// How many rows to expect, for progress; 0 when unknown.
    pub expected: u64,
}

impl<'a> Sheet<'a> {
    pub fn new(
        name: impl Into<String>,
        columns: Vec<Column>,
        rows: impl Iterator<Item = Result<Vec<Cell>>> + 'a,
    ) -> Sheet<'a> {
        Sheet { name: name.into(), columns, rows: Box::new(rows), expected: 0 }
    }

    pub fn expecting(mut self, rows: u64) -> Sheet<'a> {
        self.expected = rows;
        self
    }
}

/// Whether a spreadsheet would read this text as a formula (or the start of one) rather than as text: it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP, "CSV injection").
pub fn starts_like_formula(text: &str) -> bool {
    matches!(text.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// The progress of writing one sheet: reported to the job every few rows (it throttles what it shows) and
/// checked for cancellation.
pub(crate) struct Counter<'j> {
    job: &'j Job,
    step: String,
    expected: u64,
    pub(crate) done: u64,
}

impl<'j> Counter<'j> {
    pub(crate) fn new(job: &'j Job, step: &str, expected: u64) -> Result<Counter<'j>> {
        job.step(step, 0, expected.max(1))?;
        Ok(Counter { job, step: step.to_owned(), expected, done: 0 })
    }

    /// One more row written.
    pub(crate) fn row(&mut self) -> Result<()> {
        self.done += 1;
        if self.done.is_multiple_of(256) {
            // An expected count may be short (a list's count stops at 10,000): the end is told by `finish`.
            self.job.step(&self.step, self.done, self.expected.max(self.done + 1))?;
        }
        Ok(())
    }

    pub(crate) fn finish(&self) -> Result<u64> {
        self.job.step(&self.step, self.done, self.done)?;
        Ok(self.done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_starts_like_a_formula_is_recognised() {
        for text in ["=1+2", "+33 4 72", "-2", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"] {
            assert!(starts_like_formula(text), "{text:?}");
        }
        for text in ["", "Lyon", " =1", "1-2", "a=b", "＝1", "李伟"] {
            assert!(!starts_like_formula(text), "{text:?}");
        }
    }

    #[test]
    fn empty_text_and_none_are_empty_cells() {
        assert_eq!(Cell::from(""), Cell::Empty);
        assert_eq!(Cell::from(None::<String>), Cell::Empty);
        assert_eq!(Cell::from(Some("x")), Cell::Text("x".into()));
        assert_eq!(Cell::from(2025_i64), Cell::Number(2025.0));
    }
}
