//! A list as the user sees it — its filters, search and sort, the same query the app's list and `liaison
//! KIND list` run — written to a file: the whole list, streamed, each record as the row of its kind's
//! columns in the column catalogue (so an exported file goes back in as updates: it carries the Liaison id),
//! or in JSON as `liaison KIND show --json` prints it, or for contacts as vCards. The list is read in one
//! read transaction, so the file is one consistent picture even while the app writes, and by one statement
//! stepped from its first row to its last ([`crate::records::Listing`]), so the rows are the screen's rows in
//! the screen's order and a list of N rows costs N rows; each record is read once (exchanges come whole
//! from the list's statement) and made a row from what was read.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{Connection, Statement};
use uuid::Uuid;

use super::csv::CsvOptions;
use super::{Cell, Column, Sheet};
use crate::columns::{self, Out, RecordKind, Rows};
use crate::error::{Error, Result};
use crate::job::Job;
use crate::label::UiLang;
use crate::records::agreement::{self, Agreement, AgreementQuery};
use crate::records::application::{self, Application, ApplicationQuery};
use crate::records::call::{self, Call, CallQuery};
use crate::records::contact::{self, Contact, ContactQuery};
use crate::records::event::{self, Event, EventQuery};
use crate::records::exchange::{self, Exchange, ExchangeQuery};
use crate::records::partner::{self, Partner, PartnerQuery};
use crate::records::project::{self, Project, ProjectQuery};
use crate::records::Listing;

/// One list of records, by the query its list page runs (`offset` and `limit` are ignored: the whole list is
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

    /// The whole list as one statement in its order (see [`Listing`]).
    pub fn listing(&self, conn: &Connection, today: NaiveDate, reading: Reading) -> Result<Listing> {
        match self {
            List::Partners(q) => partner::listing(conn, q),
            List::Contacts(q) => contact::listing(conn, q),
            List::Agreements(q) => agreement::listing(conn, q, today),
            List::Exchanges(q) => exchange::listing(conn, q, reading == Reading::Whole),
            List::Projects(q) => project::listing(conn, q),
            List::Events(q) => event::listing(conn, q),
            List::Calls(q) => call::listing(conn, q),
            List::Applications(q) => application::list::listing(conn, q),
        }
    }

    /// The list ready to be read: its statement prepared on `conn`.
    pub fn walk<'c>(&self, conn: &'c Connection, today: NaiveDate, reading: Reading) -> Result<Walk<'c>> {
        let Listing { sql, args, total } = self.listing(conn, today, reading)?;
        Ok(Walk { kind: self.kind(), conn, statement: conn.prepare(&sql)?, args, total, today, reading })
    }
}

/// What an export reads of each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The record as `liaison KIND show --json` prints it.
    Whole,
    /// What the column catalogue makes a row of: an exchange's own fields without the names of the records
    /// it refers to (the catalogue names them itself, once per record); other kinds whole.
    Row,
}

/// A list's statement, prepared, stepped once from the first row to the last by [`Walk::records`].
pub struct Walk<'c> {
    kind: RecordKind,
    conn: &'c Connection,
    statement: Statement<'c>,
    args: Vec<rusqlite::types::Value>,
    /// The list's total as its query counts it (exchanges stop counting at 10,000).
    pub total: u32,
    today: NaiveDate,
    reading: Reading,
}

/// One record of a list, read whole.
#[derive(Debug, Clone, PartialEq)]
// One record is held at a time, moved from the statement to the row: boxing would cost an allocation a row.
#[allow(clippy::large_enum_variant)]
pub enum Record {
    Partner(Partner),
    Contact(Contact),
    Agreement(Agreement),
    Exchange(Exchange),
    Project(Project),
    Event(Event),
    Call(Call),
    Application(Application),
}

impl Record {
    pub fn id(&self) -> Uuid {
        match self {
            Record::Partner(r) => r.id,
            Record::Contact(r) => r.id,
            Record::Agreement(r) => r.id,
            Record::Exchange(r) => r.id,
            Record::Project(r) => r.id,
            Record::Event(r) => r.id,
            Record::Call(r) => r.id,
            Record::Application(r) => r.id,
        }
    }

    /// The record's JSON input, from which the column catalogue makes its row.
    fn input(&self) -> Result<serde_json::Value> {
        Ok(match self {
            Record::Partner(r) => serde_json::to_value(&r.input)?,
            Record::Contact(r) => serde_json::to_value(&r.input)?,
            Record::Agreement(r) => serde_json::to_value(&r.input)?,
            Record::Exchange(r) => serde_json::to_value(&r.input)?,
            Record::Project(r) => serde_json::to_value(&r.input)?,
            Record::Event(r) => serde_json::to_value(&r.input)?,
            Record::Call(r) => serde_json::to_value(&r.input)?,
            Record::Application(r) => serde_json::to_value(&r.input)?,
        })
    }

    /// The record as `liaison KIND show --json` prints it.
    fn json(&self) -> Result<serde_json::Value> {
        Ok(match self {
            Record::Partner(r) => serde_json::to_value(r)?,
            Record::Contact(r) => serde_json::to_value(r)?,
            Record::Agreement(r) => serde_json::to_value(r)?,
            Record::Exchange(r) => serde_json::to_value(r)?,
            Record::Project(r) => serde_json::to_value(r)?,
            Record::Event(r) => serde_json::to_value(r)?,
            Record::Call(r) => serde_json::to_value(r)?,
            Record::Application(r) => serde_json::to_value(r)?,
        })
    }
}

impl<'c> Walk<'c> {
    pub fn kind(&self) -> RecordKind {
        self.kind
    }

    /// The list's records in its order, each read once: an exchange from the list's own row, another kind
    /// by its id (its names, identifiers and parts are in other tables).
    pub fn records(&mut self) -> Result<Records<'_, 'c>> {
        let rows = self.statement.query(rusqlite::params_from_iter(&self.args))?;
        Ok(Records {
            rows,
            kind: self.kind,
            conn: self.conn,
            today: self.today,
            reading: self.reading,
            person: None,
        })
    }

    /// The list's ids in its order.
    pub fn ids(&mut self) -> Result<impl Iterator<Item = Result<Uuid>> + '_> {
        let rows = self.statement.query(rusqlite::params_from_iter(&self.args))?;
        Ok(rows.mapped(|r| r.get::<_, Uuid>(0)).map(|id| id.map_err(Error::from)))
    }

    /// The list as a sheet of its kind's columns, headed in `lang`.
    pub fn sheet(&mut self, lang: UiLang) -> Result<Sheet<'_>> {
        let kind = self.kind;
        let columns = columns::columns(kind).iter().map(|c| Column::new(c.label(lang))).collect();
        let expected = u64::from(self.total);
        let conn = self.conn;
        let mut records = self.records()?;
        let mut rows = Rows::new(conn, lang);
        let mut row = move || -> Result<Option<Vec<Cell>>> {
            let Some(record) = records.read()? else { return Ok(None) };
            if let Some((id, listed)) = records.person.take() {
                rows.listed_person(id, listed);
            }
            let row = match &record {
                Record::Exchange(e) => rows.exchange_row(e.id, &e.input)?,
                other => rows.row_from(kind, other.id(), other.input()?)?,
            };
            Ok(Some(row.into_iter().map(cell).collect()))
        };
        let cells = std::iter::from_fn(move || row().transpose());
        Ok(Sheet::new(sheet_name(kind, lang), columns, cells).expecting(expected))
    }
}

/// The records of a list as its statement returns them.
pub struct Records<'s, 'c> {
    rows: rusqlite::Rows<'s>,
    kind: RecordKind,
    conn: &'c Connection,
    today: NaiveDate,
    reading: Reading,
    /// The person of the exchange last read, as its row named them (a sheet's rows name people).
    person: Option<(Uuid, columns::Listed)>,
}

impl Records<'_, '_> {
    fn read(&mut self) -> Result<Option<Record>> {
        let Some(row) = self.rows.next()? else { return Ok(None) };
        if self.kind == RecordKind::Exchange {
            let mut read = match self.reading {
                Reading::Whole => exchange::from_row(row)?,
                Reading::Row => exchange::from_own_row(row)?,
            };
            match (self.reading, read.input.person_id) {
                (Reading::Whole, _) => exchange::with_unit_labels(self.conn, &mut read)?,
                (Reading::Row, Some(person)) => self.person = Some((person, exchange::listed_person(row)?)),
                (Reading::Row, None) => {}
            }
            return Ok(Some(Record::Exchange(read)));
        }
        let id: Uuid = row.get(0)?;
        let conn = self.conn;
        Ok(Some(match self.kind {
            RecordKind::Partner => Record::Partner(partner::get(conn, id)?),
            RecordKind::Contact => Record::Contact(contact::get(conn, id)?),
            RecordKind::Agreement => Record::Agreement(agreement::get(conn, id, self.today)?),
            RecordKind::Exchange => Record::Exchange(exchange::get(conn, id)?),
            RecordKind::Project => Record::Project(project::get(conn, id)?),
            RecordKind::Event => Record::Event(event::get(conn, id)?),
            RecordKind::Call => Record::Call(call::get(conn, id)?),
            RecordKind::Application => Record::Application(application::get(conn, id)?),
        }))
    }
}

impl Iterator for Records<'_, '_> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        self.read().transpose()
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
    // One picture of the database from the first row to the last, even while another process writes.
    let read = conn.unchecked_transaction()?;
    let reading = match format {
        FileFormat::Csv(_) | FileFormat::Xlsx => Reading::Row,
        FileFormat::Json | FileFormat::Vcard => Reading::Whole,
    };
    let mut walks = lists.iter().map(|l| l.walk(&read, today, reading)).collect::<Result<Vec<_>>>()?;
    let written = match format {
        FileFormat::Csv(options) => {
            one("a CSV")?;
            let sheets = vec![walks[0].sheet(lang)?];
            crate::files::write_atomically_with(path, |w| {
                piped(sheets, |mut sheets| match sheets.pop() {
                    Some(sheet) => super::csv::write(w, sheet, options, job),
                    None => Ok(0),
                })
            })
            .map(|n| vec![n])
        }
        FileFormat::Xlsx => {
            let sheets = walks.iter_mut().map(|w| w.sheet(lang)).collect::<Result<Vec<_>>>()?;
            crate::files::write_atomically_with(path, |w| {
                piped(sheets, |sheets| super::xlsx::write(w, sheets, job))
            })
        }
        FileFormat::Json => {
            let kind = one("a JSON")?.kind();
            let walk = &mut walks[0];
            let expected = u64::from(walk.total);
            let records = walk.records()?.map(|r| r?.json());
            let step = sheet_name(kind, UiLang::En);
            crate::files::write_atomically_with(path, |w| super::json::write(w, records, step, expected, job))
                .map(|n| vec![n])
        }
        FileFormat::Vcard => {
            if one("a vCard")?.kind() != RecordKind::Contact {
                return Err(Error::Conflict(
                    "a vCard file holds contacts: export contacts, or choose CSV, XLSX or JSON".into(),
                ));
            }
            let walk = &mut walks[0];
            let expected = u64::from(walk.total);
            let people = walk.records()?.map(|r| match r? {
                Record::Contact(c) => Ok(c),
                other => Err(Error::Conflict(format!("{} is not a contact", other.id()))),
            });
            crate::files::write_atomically_with(path, |w| {
                super::vcard::write(w, people, expected, today, job)
            })
            .map(|n| vec![n])
        }
    };
    drop(walks);
    read.rollback()?;
    written
}

/// Rows handed to the writer at a time: one hand-over per row costs more than the row on a busy machine.
const CHUNK: usize = 256;
/// Rows made ahead of the writer, at most (a few megabytes): see [`piped`].
const AHEAD: usize = 4 * CHUNK;

/// Runs `write` on the sheets on a thread of its own while this thread reads the rows and makes them
/// cells: reading a list and writing a file then take the longer of the two rather than their sum. The
/// rows go through a queue of [`AHEAD`] rows, in chunks of [`CHUNK`], so memory stays flat, in order,
/// sheet after sheet. The connection stays on this thread. The writer stopping (an error, a cancelled job)
/// stops the reading; a row that cannot be read reaches the writer as its error.
fn piped<T: Send>(
    sheets: Vec<Sheet<'_>>,
    write: impl FnOnce(Vec<Sheet<'static>>) -> Result<T> + Send,
) -> Result<T> {
    type Chunk = Vec<Result<Vec<Cell>>>;
    let mut ends = Vec::with_capacity(sheets.len());
    let mut sources = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let (rows, queue) = std::sync::mpsc::sync_channel::<Chunk>(AHEAD / CHUNK);
        ends.push((sheet.name, sheet.columns, sheet.expected, queue));
        sources.push((sheet.rows, rows));
    }
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let sheets = ends
                .into_iter()
                .map(|(name, columns, expected, queue)| {
                    Sheet::new(name, columns, queue.into_iter().flatten()).expecting(expected)
                })
                .collect();
            write(sheets)
        });
        'sheets: for (source, rows) in sources {
            let mut chunk: Chunk = Vec::with_capacity(CHUNK);
            for row in source {
                let failed = row.is_err();
                chunk.push(row);
                if failed || chunk.len() == CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                    if rows.send(full).is_err() || failed {
                        break 'sheets;
                    }
                }
            }
            if !chunk.is_empty() && rows.send(chunk).is_err() {
                break;
            }
        }
        writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::{Direction, Zone};
    use crate::records::agreement::AgreementSort;
    use crate::records::application::ApplicationSort;
    use crate::records::call::CallSort;
    use crate::records::event::EventSort;
    use crate::records::exchange::ExchangeSort;
    use crate::records::partner::PartnerSort;
    use crate::records::project::ProjectSort;
    use crate::workspace;

    fn demo() -> Connection {
        workspace::demo_database()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).expect("a date")
    }

    /// The list as the screen shows it: page after page of `PAGE` rows.
    fn screen(conn: &Connection, list: &List) -> Vec<Uuid> {
        const PAGE: u32 = 2;
        let mut ids = Vec::new();
        loop {
            let (offset, limit) = (ids.len() as u32, PAGE);
            let page: Vec<Uuid> = match list {
                List::Partners(q) => partner::list(conn, &PartnerQuery { offset, limit, ..q.clone() })
                    .map(|p| p.rows.iter().map(|r| r.id).collect()),
                List::Contacts(q) => contact::list(conn, &ContactQuery { offset, limit, ..q.clone() })
                    .map(|p| p.rows.iter().map(|r| r.id).collect()),
                List::Agreements(q) => {
                    agreement::list(conn, &AgreementQuery { offset, limit, ..q.clone() }, today())
                        .map(|p| p.rows.iter().map(|r| r.id).collect())
                }
                List::Exchanges(q) => exchange::list(conn, &ExchangeQuery { offset, limit, ..q.clone() })
                    .map(|p| p.rows.iter().map(|r| r.id).collect()),
                List::Projects(q) => project::list(conn, &ProjectQuery { offset, limit, ..q.clone() })
                    .map(|p| p.rows.iter().map(|r| r.id).collect()),
                List::Events(q) => event::list(conn, &EventQuery { offset, limit, ..q.clone() })
                    .map(|p| p.rows.iter().map(|r| r.id).collect()),
                List::Calls(q) => call::list(conn, &CallQuery { offset, limit, ..q.clone() })
                    .map(|p| p.rows.iter().map(|r| r.id).collect()),
                List::Applications(q) => {
                    application::list(conn, &ApplicationQuery { offset, limit, ..q.clone() })
                        .map(|p| p.rows.iter().map(|r| r.id).collect())
                }
            }
            .expect("a page");
            let last = page.len() < PAGE as usize;
            ids.extend(page);
            if last {
                return ids;
            }
        }
    }

    /// The list as an export reads it, for a sheet and for JSON.
    fn exported(conn: &Connection, list: &List) -> Vec<Uuid> {
        let mut walk = list.walk(conn, today(), Reading::Row).expect("a walk");
        let rows: Vec<Uuid> = walk.records().expect("records").map(|r| r.expect("a record").id()).collect();
        let mut walk = list.walk(conn, today(), Reading::Whole).expect("a walk");
        let whole: Vec<Uuid> = walk.records().expect("records").map(|r| r.expect("a record").id()).collect();
        assert_eq!(rows, whole, "{list:?}: a sheet and a JSON file hold the same records");
        let mut walk = list.walk(conn, today(), Reading::Row).expect("a walk");
        let ids: Vec<Uuid> = walk.ids().expect("ids").map(|id| id.expect("an id")).collect();
        assert_eq!(rows, ids, "{list:?}");
        rows
    }

    fn lists() -> Vec<List> {
        let mut lists = Vec::new();
        for descending in [false, true] {
            for sort in [
                PartnerSort::Name,
                PartnerSort::Country,
                PartnerSort::City,
                PartnerSort::Zone,
                PartnerSort::Kind,
                PartnerSort::Status,
            ] {
                for lang in [None, Some(UiLang::Fr)] {
                    lists.push(List::Partners(PartnerQuery {
                        sort: Some(sort),
                        descending,
                        lang,
                        ..Default::default()
                    }));
                }
            }
            lists.push(List::Contacts(ContactQuery { descending, ..Default::default() }));
            for sort in [
                AgreementSort::Title,
                AgreementSort::EndDate,
                AgreementSort::StartDate,
                AgreementSort::Kind,
                AgreementSort::Status,
            ] {
                lists.push(List::Agreements(AgreementQuery {
                    sort: Some(sort),
                    descending,
                    ..Default::default()
                }));
            }
            for sort in [ExchangeSort::Year, ExchangeSort::PlannedStart] {
                lists.push(List::Exchanges(ExchangeQuery {
                    sort: Some(sort),
                    ascending: descending,
                    ..Default::default()
                }));
                lists.push(List::Exchanges(ExchangeQuery {
                    sort: Some(sort),
                    ascending: descending,
                    search: Some("li".into()),
                    ..Default::default()
                }));
            }
            for sort in [ProjectSort::StartDate, ProjectSort::Title, ProjectSort::Kind, ProjectSort::Status] {
                lists.push(List::Projects(ProjectQuery {
                    sort: Some(sort),
                    descending,
                    ..Default::default()
                }));
            }
            for sort in
                [EventSort::Date, EventSort::Title, EventSort::Kind, EventSort::Zone, EventSort::Attended]
            {
                lists.push(List::Events(EventQuery { sort: Some(sort), descending, ..Default::default() }));
            }
            for sort in [CallSort::Deadline, CallSort::Title, CallSort::Status, CallSort::Applications] {
                lists.push(List::Calls(CallQuery { sort: Some(sort), descending, ..Default::default() }));
            }
            for sort in [
                ApplicationSort::Call,
                ApplicationSort::Reference,
                ApplicationSort::Title,
                ApplicationSort::Lead,
                ApplicationSort::Status,
                ApplicationSort::Requested,
                ApplicationSort::Score,
            ] {
                lists.push(List::Applications(ApplicationQuery {
                    sort: Some(sort),
                    descending,
                    ..Default::default()
                }));
            }
        }
        // Filters and searches.
        lists.push(List::Partners(PartnerQuery { zone: Some(Zone::China), ..Default::default() }));
        lists.push(List::Partners(PartnerQuery { search: Some("lyon".into()), ..Default::default() }));
        lists.push(List::Partners(PartnerQuery {
            search: Some("université".into()),
            zone: Some(Zone::Canada),
            lang: Some(UiLang::En),
            ..Default::default()
        }));
        lists.push(List::Contacts(ContactQuery { search: Some("wei".into()), ..Default::default() }));
        lists.push(List::Agreements(AgreementQuery { in_force: Some(true), ..Default::default() }));
        lists.push(List::Agreements(AgreementQuery { search: Some("fudan".into()), ..Default::default() }));
        lists.push(List::Agreements(AgreementQuery { zone: Some(Zone::China), ..Default::default() }));
        lists.push(List::Exchanges(ExchangeQuery {
            direction: Some(Direction::Incoming),
            counted: Some(true),
            ..Default::default()
        }));
        lists.push(List::Exchanges(ExchangeQuery { zone: Some(Zone::China), ..Default::default() }));
        lists.push(List::Exchanges(ExchangeQuery {
            search: Some("tongji".into()),
            counted: Some(true),
            ..Default::default()
        }));
        lists.push(List::Projects(ProjectQuery { search: Some("lab".into()), ..Default::default() }));
        lists.push(List::Events(EventQuery { zone: Some(Zone::Japan), ..Default::default() }));
        lists.push(List::Calls(CallQuery { search: Some("call".into()), ..Default::default() }));
        lists.push(List::Applications(ApplicationQuery { zone: Some(Zone::China), ..Default::default() }));
        lists
    }

    #[test]
    fn an_exported_list_holds_the_screens_rows_in_the_screens_order() {
        let conn = demo();
        let mut filtered = 0;
        for list in lists() {
            let shown = screen(&conn, &list);
            let all = screen(&conn, &List::all(list.kind())).len();
            assert_eq!(
                exported(&conn, &list),
                shown,
                "{list:?}: the export is the screen's list, in its order"
            );
            if !shown.is_empty() && shown.len() < all {
                filtered += 1;
            }
        }
        assert!(filtered >= 10, "the filters and searches leave some rows out ({filtered} lists did)");
        for kind in RecordKind::ALL {
            assert!(
                screen(&conn, &List::all(kind)).len() >= 2,
                "{kind:?}: the demo's list fills a page of two"
            );
        }
    }

    #[test]
    fn a_list_with_ties_in_its_sort_key_is_exported_whole_without_a_row_twice() {
        let conn = demo();
        // Every exchange of one year and one start date, and every partner of one country: nothing but the
        // rows' ids tells them apart.
        conn.execute_batch(
            "UPDATE exchange SET academic_year = 2025, planned_start = '2025-09-01';
             UPDATE partner SET country = 'JP', city = 'Kyoto';",
        )
        .expect("ties");
        let lists = [
            List::Exchanges(ExchangeQuery::default()),
            List::Exchanges(ExchangeQuery { ascending: true, ..Default::default() }),
            List::Exchanges(ExchangeQuery { sort: Some(ExchangeSort::PlannedStart), ..Default::default() }),
            List::Exchanges(ExchangeQuery { search: Some("li".into()), ..Default::default() }),
            List::Partners(PartnerQuery { sort: Some(PartnerSort::City), ..Default::default() }),
        ];
        for list in lists {
            let ids = exported(&conn, &list);
            let distinct: std::collections::HashSet<&Uuid> = ids.iter().collect();
            assert_eq!(distinct.len(), ids.len(), "{list:?}: no row twice");
            assert_eq!(ids, screen(&conn, &list), "{list:?}: no row lost, in the screen's order");
            assert!(ids.len() > 4, "{list:?}: ties across several pages ({})", ids.len());
        }
        let live: i64 = conn
            .query_row("SELECT count(*) FROM exchange WHERE deleted = 0", [], |r| r.get(0))
            .expect("a count");
        assert_eq!(exported(&conn, &List::all(RecordKind::Exchange)).len() as i64, live, "every exchange");
    }

    #[test]
    fn an_exchange_read_for_a_row_is_the_record_with_its_person_s_name_and_no_other() {
        let conn = demo();
        // Some exchanges with a Lyon unit, which `get` labels apart.
        conn.execute_batch(
            "UPDATE exchange SET unit_id = (SELECT id FROM partner WHERE country = 'FR' ORDER BY id LIMIT 1)
             WHERE rowid % 3 = 0",
        )
        .expect("units");
        let list = List::all(RecordKind::Exchange);
        let mut rows = list.walk(&conn, today(), Reading::Row).expect("a walk");
        let mut whole = list.walk(&conn, today(), Reading::Whole).expect("a walk");
        for (row, whole) in rows.records().expect("records").zip(whole.records().expect("records")) {
            let (Record::Exchange(row), Record::Exchange(whole)) = (row.expect("read"), whole.expect("read"))
            else {
                panic!("exchanges");
            };
            assert_eq!(row.input, whole.input);
            assert_eq!(whole, exchange::get(&conn, whole.id).expect("get"), "as `show` reads it");
            // The person's name comes with the row (a sheet names the person), no other record's.
            assert!(whole.person_name.is_some());
            assert_eq!(row.person_name, whole.person_name);
            assert!([&row.home_name, &row.host_name, &row.unit_name, &row.agreement_title]
                .iter()
                .all(|n| n.is_none()));
        }
    }

    #[test]
    fn the_writer_stopping_stops_the_reading_within_the_queue() {
        let made = std::cell::Cell::new(0_usize);
        let rows = std::iter::repeat_with(|| {
            made.set(made.get() + 1);
            Ok(vec![Cell::from("row")])
        });
        let sheets = vec![Sheet::new("Rows", vec![Column::new("a")], rows)];
        let written = piped(sheets, |sheets| {
            for sheet in sheets {
                for row in sheet.rows.take(3) {
                    row?;
                }
            }
            Err::<(), _>(Error::Cancelled)
        });
        assert!(matches!(written, Err(Error::Cancelled)), "the writer's error: {written:?}");
        assert!(
            made.get() <= AHEAD + 2 * CHUNK,
            "no more rows are made than the queue, the chunk read and the chunk made hold: {}",
            made.get()
        );
    }

    #[test]
    fn a_row_that_cannot_be_read_reaches_the_writer_and_ends_the_reading() {
        let made = std::cell::Cell::new(0_usize);
        let rows = (0..10).map(|i| {
            made.set(made.get() + 1);
            if i == 4 {
                Err(Error::Conflict("unreadable".into()))
            } else {
                Ok(vec![Cell::from(i64::from(i))])
            }
        });
        let more = std::iter::repeat_with(|| -> Result<Vec<Cell>> { panic!("read after the error") });
        let sheets = vec![
            Sheet::new("First", vec![Column::new("n")], rows),
            Sheet::new("Second", vec![Column::new("n")], more),
        ];
        let written = piped(sheets, |sheets| {
            let mut read = Vec::new();
            for sheet in sheets {
                for row in sheet.rows {
                    read.push(row?);
                }
            }
            Ok(read.len())
        });
        assert!(matches!(&written, Err(Error::Conflict(m)) if m == "unreadable"), "{written:?}");
        assert_eq!(made.get(), 5, "nothing is read after the row that failed");
    }

    #[test]
    fn several_lists_make_one_worksheet_each_in_order_and_a_cancelled_export_writes_nothing() {
        use calamine::{open_workbook, Reader, Xlsx};
        let conn = demo();
        let dir = std::env::temp_dir().join(format!("liaison-export-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let path = dir.join("lists.xlsx");
        let lists =
            [List::all(RecordKind::Partner), List::all(RecordKind::Exchange), List::all(RecordKind::Call)];
        let counts = export(&conn, &lists, FileFormat::Xlsx, UiLang::En, today(), &path, &Job::silent())
            .expect("written");
        let mut book: Xlsx<_> = open_workbook(&path).expect("an XLSX");
        assert_eq!(book.sheet_names(), ["Partners", "Exchanges", "Calls"].map(str::to_owned));
        for (i, list) in lists.iter().enumerate() {
            let sheet = book.sheet_names()[i].clone();
            let range = book.worksheet_range(&sheet).expect("a worksheet");
            assert_eq!(counts[i] as usize, screen(&conn, list).len(), "{sheet}");
            assert_eq!(range.height(), counts[i] as usize + 1, "{sheet}: the header and a row each");
        }
        let job = Job::silent();
        job.cancel();
        let again = dir.join("cancelled.csv");
        let failed = export(
            &conn,
            &lists[1..2],
            FileFormat::Csv(CsvOptions::default()),
            UiLang::En,
            today(),
            &again,
            &job,
        );
        assert!(matches!(failed, Err(Error::Cancelled)), "{failed:?}");
        assert_eq!(std::fs::read_dir(&dir).expect("listed").count(), 1, "only the first file");
        std::fs::remove_dir_all(&dir).expect("removed");
    }
}
