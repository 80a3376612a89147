//! Records as rows of typed cells, in the order of their kind's columns: dates as dates, amounts in the
//! currency's major unit, yes/no as booleans, vocabularies as their label and other records by name in the
//! reader's language.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;
use crate::label::UiLang;
use crate::records;
use crate::records::exchange::ExchangeInput;

use super::reference::{name_of, Resolver};
use super::{value, Column, Out, RecordKind, ValueKind, Vocab};

/// Writes records as rows; keeps what it read of names from row to row (see [`Resolver`]), and the cells
/// that describe an agreement's condition (many exchanges count against each), up to [`KEPT`] of them.
pub struct Rows<'c> {
    pub(crate) resolver: Resolver<'c>,
    pub(crate) lang: UiLang,
    pub(crate) conditions: HashMap<Uuid, String>,
}

/// The most conditions a [`Rows`] keeps described: past it, it forgets them all (memory stays flat).
pub(crate) const KEPT: usize = 20_000;

impl<'c> Rows<'c> {
    pub fn new(conn: &'c Connection, lang: UiLang) -> Rows<'c> {
        Rows { resolver: Resolver::new(conn), lang, conditions: HashMap::new() }
    }

    /// The record `id` of `kind` as a row of its columns.
    pub fn row(&mut self, kind: RecordKind, id: Uuid) -> Result<Vec<Out>> {
        let conn = self.resolver.conn();
        let input = match kind {
            RecordKind::Partner => serde_json::to_value(records::partner::get(conn, id)?.input)?,
            RecordKind::Contact => serde_json::to_value(records::contact::get(conn, id)?.input)?,
            RecordKind::Agreement => {
                // The day only decides the derived status, which a row does not carry.
                let today = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
                serde_json::to_value(records::agreement::get(conn, id, today)?.input)?
            }
            RecordKind::Exchange => serde_json::to_value(records::exchange::get(conn, id)?.input)?,
            RecordKind::Project => serde_json::to_value(records::project::get(conn, id)?.input)?,
            RecordKind::Event => serde_json::to_value(records::event::get(conn, id)?.input)?,
            RecordKind::Call => serde_json::to_value(records::call::get(conn, id)?.input)?,
            RecordKind::Application => serde_json::to_value(records::application::get(conn, id)?.input)?,
        };
        self.row_from(kind, id, input)
    }

    /// The person `id` as the statement that read the next row read them (their name and sort name, see
    /// [`crate::records::exchange::listed_person`]): that row names them without reading them again.
    pub fn listed_person(&mut self, id: Uuid, listed: super::reference::Listed) {
        self.resolver.listed_person(id, listed);
    }

    /// The exchange `id`, already read, as a row of its columns: what [`Rows::row_from`] makes of its JSON
    /// input, made from the input itself (an export of many exchanges makes no JSON copy of each).
    pub fn exchange_row(&mut self, id: Uuid, input: &ExchangeInput) -> Result<Vec<Out>> {
        let kind = RecordKind::Exchange;
        let mut line =
            Line { rows: self, kind, id, input: Value::Null, out: Vec::with_capacity(32), digits: 2 };
        super::exchange::row_of(&mut line, input)?;
        Ok(line.out)
    }

    /// The record `id` of `kind`, already read, as a row of its columns: `input` is its JSON input.
    pub fn row_from(&mut self, kind: RecordKind, id: Uuid, input: Value) -> Result<Vec<Out>> {
        let mut line = Line { rows: self, kind, id, input, out: Vec::with_capacity(32), digits: 2 };
        match kind {
            RecordKind::Partner => super::partner::row(&mut line)?,
            RecordKind::Contact => super::contact::row(&mut line)?,
            RecordKind::Agreement => super::agreement::row(&mut line)?,
            RecordKind::Exchange => super::exchange::row(&mut line)?,
            RecordKind::Project => super::project::row(&mut line)?,
            RecordKind::Event => super::event::row(&mut line)?,
            RecordKind::Call => super::call::row(&mut line)?,
            RecordKind::Application => super::application::row(&mut line)?,
        }
        Ok(line.out)
    }
}

/// One record on its way to a row.
pub(crate) struct Line<'r, 'c> {
    pub rows: &'r mut Rows<'c>,
    pub kind: RecordKind,
    pub id: Uuid,
    /// The record's JSON input.
    pub input: Value,
    pub out: Vec<Out>,
    /// The decimals of the record's currency, for amounts.
    pub digits: u32,
}

impl Line<'_, '_> {
    pub fn conn(&self) -> &Connection {
        self.rows.resolver.conn()
    }

    pub fn lang(&self) -> UiLang {
        self.rows.lang
    }

    /// The row: every column filled from the JSON field of its name, or by `own` for the others.
    pub fn fill(&mut self, mut own: impl FnMut(&mut Self, &'static Column) -> Result<Out>) -> Result<()> {
        // The input is held apart while plain cells are made from its values (not copies of them), and put
        // back for the kind's own cells, which may read it.
        let mut input = std::mem::take(&mut self.input);
        let mut filled = Ok(());
        for column in super::columns(self.kind) {
            let cell = if column.key == "id" {
                Ok(Out::Text(self.id.to_string()))
            } else if column.plain {
                self.plain(column, input.get(column.key).unwrap_or(&Value::Null))
            } else {
                std::mem::swap(&mut self.input, &mut input);
                let cell = own(self, column);
                std::mem::swap(&mut self.input, &mut input);
                cell
            };
            match cell {
                Ok(cell) => self.out.push(cell),
                Err(e) => {
                    filled = Err(e);
                    break;
                }
            }
        }
        self.input = input;
        filled
    }

    /// The row, every column filled from `field`, the record's field of the column's key read typed (see
    /// [`Datum`]), or by `own` for the others: what [`Line::fill`] makes of the record's JSON input.
    pub fn fill_from<'a>(
        &mut self,
        field: impl Fn(&str) -> Datum<'a>,
        mut own: impl FnMut(&mut Self, &'static Column) -> Result<Out>,
    ) -> Result<()> {
        for column in super::columns(self.kind) {
            let cell = if column.key == "id" {
                Out::Text(self.id.to_string())
            } else if !column.plain {
                own(self, column)?
            } else {
                match field(column.key) {
                    Datum::Json(v) => self.plain(column, v)?,
                    // Only an array holds many values.
                    _ if column.many => Out::Empty,
                    v => self.one_datum(column.value, v)?,
                }
            };
            self.out.push(cell);
        }
        Ok(())
    }

    /// A column's cell from its JSON value.
    pub fn plain(&mut self, column: &Column, v: &Value) -> Result<Out> {
        if column.many {
            let mut texts = Vec::new();
            for item in v.as_array().into_iter().flatten() {
                match self.one(column.value, item)? {
                    Out::Empty => {}
                    other => texts.push(other.text(self.lang())),
                }
            }
            return Ok(if texts.is_empty() { Out::Empty } else { Out::Text(texts.join("; ")) });
        }
        self.one(column.value, v)
    }

    /// One value as a cell.
    pub fn one(&mut self, kind: ValueKind, v: &Value) -> Result<Out> {
        self.one_datum(kind, Datum::of(v))
    }

    /// One value as a cell, from what [`Line::one`] reads of its JSON value.
    pub fn one_datum(&mut self, kind: ValueKind, v: Datum<'_>) -> Result<Out> {
        if let Datum::Null = v {
            return Ok(Out::Empty);
        }
        // Borrowed: a vocabulary's code or a field is only looked up.
        let text = || v.text();
        Ok(match kind {
            ValueKind::Date => match v.as_str().and_then(date) {
                Some(d) => Out::Date(d),
                None => Out::Text(text().into_owned()),
            },
            ValueKind::Moment => match v.as_str().and_then(value::local_time) {
                Some(dt) => Out::DateTime(dt),
                None => Out::Text(text().into_owned()),
            },
            ValueKind::Integer | ValueKind::Year => {
                v.as_i64().map_or_else(|| Out::Text(text().into_owned()), Out::Integer)
            }
            ValueKind::Amount => match v.as_i64() {
                Some(minor) => Out::Number(minor as f64 / 10_f64.powi(self.digits as i32)),
                None => Out::Text(text().into_owned()),
            },
            ValueKind::Number => v.as_f64().map_or_else(|| Out::Text(text().into_owned()), Out::Number),
            ValueKind::YesNo => v.as_bool().map_or_else(|| Out::Text(text().into_owned()), Out::Bool),
            ValueKind::Vocabulary(vocab) => Out::Text(vocab.label(&text(), self.lang())),
            // An alliance field by its label ("Santé"); an ISCED-F field by its code.
            ValueKind::Field if Vocab::AllianceField.parse(&text()).is_some() => {
                Out::Text(Vocab::AllianceField.label(&text(), self.lang()))
            }
            ValueKind::Reference(target) => match v.id() {
                Some(id) => Out::Text(self.name(target, id)?),
                None => Out::Text(text().into_owned()),
            },
            _ => {
                let t = text();
                if t.is_empty() {
                    Out::Empty
                } else {
                    Out::Text(t.into_owned())
                }
            }
        })
    }

    /// How the record `id` of `kind` is named in the file.
    pub fn name(&mut self, kind: RecordKind, id: Uuid) -> Result<String> {
        let lang = self.lang();
        name_of(&mut self.rows.resolver, kind, id, lang)
    }

    /// A field of the input as text.
    pub fn str(&self, field: &str) -> Option<String> {
        self.input.get(field).and_then(Value::as_str).map(str::to_owned)
    }
}

/// A record's field as a cell is made from it: what [`Line::one`] reads of the field's JSON value, which a
/// record read typed (an exchange from its list's row) gives without making that JSON value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Datum<'a> {
    Null,
    Str(&'a str),
    Int(i64),
    /// Another record's id (a JSON string).
    Id(Uuid),
    Json(&'a Value),
}

impl<'a> Datum<'a> {
    fn of(v: &'a Value) -> Datum<'a> {
        match v {
            Value::Null => Datum::Null,
            Value::String(s) => Datum::Str(s),
            Value::Number(n) => n.as_i64().map_or(Datum::Json(v), Datum::Int),
            _ => Datum::Json(v),
        }
    }

    fn as_str(self) -> Option<&'a str> {
        match self {
            Datum::Str(s) => Some(s),
            Datum::Json(v) => v.as_str(),
            Datum::Null | Datum::Int(_) | Datum::Id(_) => None,
        }
    }

    fn as_i64(self) -> Option<i64> {
        match self {
            Datum::Int(i) => Some(i),
            Datum::Json(v) => v.as_i64(),
            Datum::Null | Datum::Str(_) | Datum::Id(_) => None,
        }
    }

    fn as_f64(self) -> Option<f64> {
        match self {
            Datum::Int(i) => Some(i as f64),
            Datum::Json(v) => v.as_f64(),
            Datum::Null | Datum::Str(_) | Datum::Id(_) => None,
        }
    }

    fn as_bool(self) -> Option<bool> {
        match self {
            Datum::Json(v) => v.as_bool(),
            Datum::Null | Datum::Str(_) | Datum::Int(_) | Datum::Id(_) => None,
        }
    }

    /// The id a reference names: another record's id, or its text.
    fn id(self) -> Option<Uuid> {
        match self {
            Datum::Id(id) => Some(id),
            other => other.as_str().and_then(|s| Uuid::parse_str(s).ok()),
        }
    }

    /// The value as JSON writes it, a string without its quotes.
    fn text(self) -> Cow<'a, str> {
        match self {
            Datum::Null => Cow::Borrowed("null"),
            Datum::Str(s) => Cow::Borrowed(s),
            Datum::Int(i) => Cow::Owned(i.to_string()),
            Datum::Id(id) => Cow::Owned(id.to_string()),
            Datum::Json(v) => v.as_str().map_or_else(|| Cow::Owned(v.to_string()), Cow::Borrowed),
        }
    }
}

/// A date written `yyyy-mm-dd`, as records keep them; the common form is read without chrono's parser,
/// which costs more than the rest of the cell.
fn date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0_u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_chrono_reads_them() {
        for text in [
            "2025-09-01",
            "1899-12-31",
            "2024-02-29",
            "2025-02-29",
            "2025-13-01",
            "2025-9-1",
            "0000-01-01",
            "2025-09-1x",
            "+2025-09-01",
            "２０２５-09-01",
            "",
            "2025/09/01",
            "20250-09-01",
        ] {
            assert_eq!(date(text), NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(), "{text:?}");
        }
    }
}
