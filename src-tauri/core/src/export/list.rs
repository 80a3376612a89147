//! A list as the user sees it — its filters, search and sort, the same query the app's list and `liaison
//! KIND list` run — written to a file: every page of it, streamed, each record as the row of its kind's
//! columns in the column catalogue (so an exported file goes back in as updates: it carries the Liaison id),
//! or in JSON as `liaison KIND show --json` prints it, or for contacts as vCards. The list is read in one
//! read transaction, so the file is one consistent picture even while the app writes.

use std::collections::VecDeque;
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;
use uuid::Uuid;

use super::csv::CsvOptions;
use super::{Cell, Column, Sheet};
use crate::columns::{self, Out, RecordKind, Rows};
use crate::error::{Error, Result};
use crate::job::Job;
use crate::label::UiLang;
use crate::records::agreement::{self, AgreementQuery};
use crate::records::application::{self, ApplicationQuery};
use crate::records::call::{self, CallQuery};
use crate::records::contact::{self, ContactQuery};
use crate::records::event::{self, EventQuery};
use crate::records::exchange::{self, ExchangeQuery};
use crate::records::partner::{self, PartnerQuery};
use crate::records::project::{self, ProjectQuery};

/// One list of records, by the query its list page runs (`offset` and `limit` are ignored: every page is
/// read).
#[derive(Debug, Clone, PartialEq)]
pub enum List {
    Partners(PartnerQuery),
    Contacts(ContactQuery),
    Agreements(AgreementQuery),
    Exchanges(ExchangeQuery),
    Projects(ProjectQuery),
    Events(EventQuery),
    Calls(CallQuery),
    Applications(ApplicationQuery),
}

/// The kinds of file a list is exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv(CsvOptions),
    Xlsx,
    Json,
    Vcard,
}

/// Rows read from the database at a time: the most a list query serves.
const PAGE: u32 = 500;

impl List {
    /// The whole list of `kind`, unfiltered.
    pub fn all(kind: RecordKind) -> List {
        match kind {
            RecordKind::Partner => List::Partners(PartnerQuery::default()),
            RecordKind::Contact => List::Contacts(ContactQuery::default()),
            RecordKind::Agreement => List::Agreements(AgreementQuery::default()),
            RecordKind::Exchange => List::Exchanges(ExchangeQuery::default()),
            RecordKind::Project => List::Projects(ProjectQuery::default()),
            RecordKind::Event => List::Events(EventQuery::default()),
            RecordKind::Call => List::Calls(CallQuery::default()),
            RecordKind::Application => List::Applications(ApplicationQuery::default()),
        }
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            List::Partners(_) => RecordKind::Partner,
            List::Contacts(_) => RecordKind::Contact,
            List::Agreements(_) => RecordKind::Agreement,
            List::Exchanges(_) => RecordKind::Exchange,
            List::Projects(_) => RecordKind::Project,
            List::Events(_) => RecordKind::Event,
            List::Calls(_) => RecordKind::Call,
            List::Applications(_) => RecordKind::Application,
        }
    }

    /// The ids of one page from `offset`, and the list's total as the query counts it.
    fn page(&self, conn: &Connection, offset: u32, today: NaiveDate) -> Result<(Vec<Uuid>, u32)> {
        let (offset, limit) = (offset, PAGE);
        Ok(match self {
            List::Partners(q) => {
                let p = partner::list(conn, &PartnerQuery { offset, limit, ..q.clone() })?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
            List::Contacts(q) => {
                let p = contact::list(conn, &ContactQuery { offset, limit, ..q.clone() })?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
            List::Agreements(q) => {
                let p = agreement::list(conn, &AgreementQuery { offset, limit, ..q.clone() }, today)?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
            List::Exchanges(q) => {
                let p = exchange::list(conn, &ExchangeQuery { offset, limit, ..q.clone() })?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
            List::Projects(q) => {
                let p = project::list(conn, &ProjectQuery { offset, limit, ..q.clone() })?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
            List::Events(q) => {
                let p = event::list(conn, &EventQuery { offset, limit, ..q.clone() })?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
            List::Calls(q) => {
                let p = call::list(conn, &CallQuery { offset, limit, ..q.clone() })?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
            List::Applications(q) => {
                let p = application::list(conn, &ApplicationQuery { offset, limit, ..q.clone() })?;
                (p.rows.iter().map(|r| r.id).collect(), p.total)
            }
        })
    }

    /// The list's records, in its order, read a page at a time.
    pub fn ids<'a>(&'a self, conn: &'a Connection, today: NaiveDate) -> Result<Ids<'a>> {
        let (first, total) = self.page(conn, 0, today)?;
        let done = first.len() < PAGE as usize;
        Ok(Ids { list: self, conn, today, next: first.len() as u32, buffer: first.into(), done, total })
    }

    /// The list as a sheet of its kind's columns, headed in `lang`.
    pub fn sheet<'a>(&'a self, conn: &'a Connection, lang: UiLang, today: NaiveDate) -> Result<Sheet<'a>> {
        let kind = self.kind();
        let columns = columns::columns(kind).iter().map(|c| Column::new(c.label(lang))).collect();
        let ids = self.ids(conn, today)?;
        let expected = u64::from(ids.total);
        let mut rows = Rows::new(conn, lang);
        let cells = ids.map(move |id| Ok(rows.row(kind, id?)?.into_iter().map(cell).collect()));
        Ok(Sheet::new(sheet_name(kind, lang), columns, cells).expecting(expected))
    }
}

/// The ids of a list, page after page.
pub struct Ids<'a> {
    list: &'a List,
    conn: &'a Connection,
    today: NaiveDate,
    next: u32,
    buffer: VecDeque<Uuid>,
    done: bool,
    /// The list's total as its query counts it (exchanges stop counting at 10,000).
    pub total: u32,
}

impl Iterator for Ids<'_> {
    type Item = Result<Uuid>;

    fn next(&mut self) -> Option<Result<Uuid>> {
        if self.buffer.is_empty() && !self.done {
            match self.list.page(self.conn, self.next, self.today) {
                Ok((ids, _)) => {
                    self.done = ids.len() < PAGE as usize;
                    self.next = self.next.saturating_add(ids.len() as u32);
                    self.buffer = ids.into();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        self.buffer.pop_front().map(Ok)
    }
}

fn cell(out: Out) -> Cell {
    match out {
        Out::Empty => Cell::Empty,
        Out::Text(t) => Cell::from(t),
        // Counts and years: far below 2^53, exact as a spreadsheet number.
        Out::Integer(i) => Cell::Number(i as f64),
        Out::Number(n) => Cell::Number(n),
        Out::Date(d) => Cell::Date(d),
        Out::DateTime(d) => Cell::DateTime(d),
        Out::Bool(b) => Cell::Bool(b),
    }
}

pub use crate::columns::sheet_name;

/// One record as `liaison KIND show --json` prints it.
fn record_json(conn: &Connection, kind: RecordKind, id: Uuid, today: NaiveDate) -> Result<serde_json::Value> {
    Ok(match kind {
        RecordKind::Partner => serde_json::to_value(partner::get(conn, id)?)?,
        RecordKind::Contact => serde_json::to_value(contact::get(conn, id)?)?,
        RecordKind::Agreement => serde_json::to_value(agreement::get(conn, id, today)?)?,
        RecordKind::Exchange => serde_json::to_value(exchange::get(conn, id)?)?,
        RecordKind::Project => serde_json::to_value(project::get(conn, id)?)?,
        RecordKind::Event => serde_json::to_value(event::get(conn, id)?)?,
        RecordKind::Call => serde_json::to_value(call::get(conn, id)?)?,
        RecordKind::Application => serde_json::to_value(application::get(conn, id)?)?,
    })
}

/// Writes `lists` to `path` as `format`, whole or not at all; returns how many records each list had.
/// Several lists make one worksheet each in XLSX; CSV, JSON and vCard hold one list (vCard: contacts).
pub fn export(
    conn: &Connection,
    lists: &[List],
    format: FileFormat,
    lang: UiLang,
    today: NaiveDate,
    path: &Path,
    job: &Job,
) -> Result<Vec<u64>> {
    let one = |what: &str| -> Result<&List> {
        match lists {
            [list] => Ok(list),
            _ => Err(Error::Conflict(format!(
                "{what} file holds one list: export each kind to its own file, or to XLSX"
            ))),
        }
    };
    // One picture of the database from the first page to the last, even while another process writes.
    let read = conn.unchecked_transaction()?;
    let written = match format {
        FileFormat::Csv(options) => {
            let sheet = one("a CSV")?.sheet(&read, lang, today)?;
            crate::files::write_atomically_with(path, |w| super::csv::write(w, sheet, options, job))
                .map(|n| vec![n])
        }
        FileFormat::Xlsx => {
            let sheets = lists.iter().map(|l| l.sheet(&read, lang, today)).collect::<Result<Vec<_>>>()?;
            crate::files::write_atomically_with(path, |w| super::xlsx::write(w, sheets, job))
        }
        FileFormat::Json => {
            let list = one("a JSON")?;
            let kind = list.kind();
            let ids = list.ids(&read, today)?;
            let expected = u64::from(ids.total);
            let records = ids.map(|id| record_json(&read, kind, id?, today));
            let step = sheet_name(kind, UiLang::En);
            crate::files::write_atomically_with(path, |w| super::json::write(w, records, step, expected, job))
                .map(|n| vec![n])
        }
        FileFormat::Vcard => {
            let list = one("a vCard")?;
            if list.kind() != RecordKind::Contact {
                return Err(Error::Conflict(
                    "a vCard file holds contacts: export contacts, or choose CSV, XLSX or JSON".into(),
                ));
            }
            let ids = list.ids(&read, today)?;
            let expected = u64::from(ids.total);
            let people = ids.map(|id| contact::get(&read, id?));
            crate::files::write_atomically_with(path, |w| {
                super::vcard::write(w, people, expected, today, job)
            })
            .map(|n| vec![n])
        }
    };
    read.rollback()?;
    written
}
