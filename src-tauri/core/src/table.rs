//! A table read from a file from outside (CSV or text, XLSX, XLS, ODS): its header row and its data rows
//! as typed cells, each row numbered as the user's spreadsheet numbers it. This module holds the shapes
//! the readers produce and import consumes; readers check a file against [`Limits`] before and while
//! parsing it, so a hostile file costs bounded memory and time and ends in an [`Error::File`] naming it.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Error;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
        }
    }
}

/// The error for a file from outside, with where in it when known.
pub fn file_error(file: &str, row: Option<usize>, column: Option<&str>, message: impl Into<String>) -> Error {
    Error::File {
        file: file.to_owned(),
        row,
        column: column.map(str::to_owned),
        message: message.into(),
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
        assert_eq!(file_error("x.xlsx", None, None, "not a spreadsheet").to_string(), "x.xlsx: not a spreadsheet");
    }

    #[test]
    fn blank_text_is_an_empty_cell() {
        assert!(Cell::Text("  ".into()).is_empty());
        assert!(!Cell::Number(0.0).is_empty());
    }
}
