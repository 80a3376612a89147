//! Events: webinars, symposia, workshops and visits, online or at a venue, in a zone, organised by partner
//! organisations, possibly part of a project, with registered and actual participants. Writes are
//! validated first and go through [`Mutation`].

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{kept_or_known, EventKind, Zone};
use crate::label::labels_at;
use crate::oplog::{id_key, id_value, optional_id, optional_text, Mutation, Wanted};
use crate::records::project::Linked;
use crate::records::Listing;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::clean;
use crate::validate::{self, Report};

/// What a user gives to create or edit an event. `events show --json` output is accepted as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventInput {
    pub title: String,
    pub kind: EventKind,
    /// yyyy-mm-dd; required.
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub online: bool,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default)]
    pub zone: Option<Zone>,
    #[serde(default)]
    pub project_id: Option<Uuid>,
    #[serde(default)]
    pub organiser_ids: Vec<Uuid>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub registered: Option<i64>,
    /// Participants who actually came (or connected).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub attended: Option<i64>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Event {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: EventInput,
    pub project_title: Option<String>,
    pub organisers_read: Vec<Linked>,
    pub deleted: bool,
}

pub fn input_from_json(json: &str) -> Result<EventInput> {
    crate::json::input_from_str(json, "an event", READ_ONLY)
}

/// The fields a read-back event adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] = &["id", "project_title", "organisers_read", "deleted"];

fn check(conn: &Connection, id: Option<Uuid>, input: &EventInput) -> Result<EventInput> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    kept_or_known(conn, &mut report, "kind", input.kind, ("event", "kind", id))?;
    if let Some(zone) = input.zone {
        kept_or_known(conn, &mut report, "zone", zone, ("event", "zone", id))?;
    }
    let mut c = input.clone();
    c.title = input.title.trim().to_owned();
    if c.title.is_empty() {
        report.add("title", "required", "an event needs a title");
    }
    let start = validate::optional_date(&mut report, "start_date", input.start_date.as_deref());
    if clean(input.start_date.as_deref()).is_none() {
        report.add("start_date", "required", "an event needs a date");
    }
    let end = validate::optional_date(&mut report, "end_date", input.end_date.as_deref());
    validate::in_order(&mut report, "end_date", "the event", start, end);
    c.start_date = start.map(|d| d.to_string());
    c.end_date = end.map(|d| d.to_string());
    c.venue = clean(input.venue.as_deref());
    c.notes = clean(input.notes.as_deref());
    for (field, value) in [("registered", input.registered), ("attended", input.attended)] {
        if value.is_some_and(|v| v < 0) {
            report.add(field, "negative", format!("{field} cannot be negative"));
        }
    }
    if let Some(p) = input.project_id {
        if !store::live(conn, "project", p)? {
            report.add("project_id", "not_found", format!("no project with id {p}"));
        }
    }
    // The same organiser twice is one (in the order first given).
    let mut listed = std::collections::HashSet::new();
    c.organiser_ids.retain(|id| listed.insert(*id));
    for (i, o) in input.organiser_ids.iter().enumerate() {
        if !store::live(conn, "partner", *o)? {
            report.add(format!("organiser_ids[{i}]"), "not_found", format!("no partner with id {o}"));
        }
    }
    report.finish()?;
    Ok(c)
}

fn columns(c: &EventInput) -> Vec<(&'static str, Value)> {
    vec![
        ("title", Value::Text(c.title.clone())),
        ("kind", Value::Text(c.kind.as_str().into())),
        ("start_date", optional_text(&c.start_date)),
        ("end_date", optional_text(&c.end_date)),
        ("online", Value::Integer(i64::from(c.online))),
        ("venue", optional_text(&c.venue)),
        ("zone", c.zone.map_or(Value::Null, |z| Value::Text(z.as_str().into()))),
        ("project_id", optional_id(c.project_id)),
        ("registered", c.registered.map_or(Value::Null, Value::Integer)),
        ("attended", c.attended.map_or(Value::Null, Value::Integer)),
        ("notes", optional_text(&c.notes)),
    ]
}

fn write_children(m: &mut Mutation, id: Uuid, c: &EventInput) -> Result<()> {
    let wanted: Vec<Wanted> = c
        .organiser_ids
        .iter()
        .map(|o| Wanted { id: None, key: id_key(Some(*o)), fields: vec![("partner_id", id_value(*o))] })
        .collect();
    m.reconcile("event_organiser", "event_id", id, "coalesce(hex(partner_id), '')", &wanted)
}

pub fn create(tx: &Tx, clock: &dyn Clock, input: &EventInput) -> Result<Event> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &EventInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    m.insert("event", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(id)
}

pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &EventInput) -> Result<Event> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &EventInput) -> Result<()> {
    store::require_live(tx, "event", id)?;
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("event", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(())
}

pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("event", id, true)?;
    Ok(())
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("event", id, false)?;
    Ok(())
}

pub fn refresh(conn: &Connection, id: Uuid) -> Result<()> {
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT title, venue FROM event WHERE id = ?1 AND deleted = 0")?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => index::remove(conn, id),
        Some((title, venue)) => index::put(conn, "event", id, &title, venue.as_deref().unwrap_or(""), true),
    }
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Event> {
    let row = conn
        .prepare_cached(
            "SELECT e.title, e.kind, e.start_date, e.end_date, e.online, e.venue, e.zone, e.project_id, e.registered,
                    e.attended, e.notes, e.deleted, p.title
             FROM event e LEFT JOIN project p ON p.id = e.project_id AND p.deleted = 0 WHERE e.id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok((
                EventInput {
                    title: r.get(0)?,
                    kind: EventKind::from_stored(&r.get::<_, String>(1)?),
                    start_date: r.get(2)?,
                    end_date: r.get(3)?,
                    online: r.get(4)?,
                    venue: r.get(5)?,
                    zone: r.get::<_, Option<String>>(6)?.map(|z| Zone::from_stored(&z)),
                    project_id: r.get(7)?,
                    organiser_ids: vec![],
                    registered: r.get(8)?,
                    attended: r.get(9)?,
                    notes: r.get(10)?,
                },
                r.get::<_, bool>(11)?,
                r.get::<_, Option<String>>(12)?,
            ))
        })
        .optional()?;
    let Some((mut input, deleted, project_title)) = row else {
        return Err(Error::NotFound { entity: "event", id: id.to_string() });
    };
    let organisers_read: Vec<Linked> = {
        let mut stmt = conn.prepare_cached(
            "SELECT o.partner_id, p.name, len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang FROM event_organiser o
             LEFT JOIN partner_summary p ON p.id = o.partner_id
             LEFT JOIN partner_label len ON len.partner_id = p.id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = p.id AND lfr.ui = 'fr'
             WHERE o.event_id = ?1 AND o.deleted = 0 AND o.partner_id IS NOT NULL ORDER BY o.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok(Linked { id: r.get(0)?, name: r.get(1)?, role: None, labels: labels_at(r, 2)? })
        })?;
        rows.collect::<Result<_, _>>()?
    };
    input.organiser_ids = organisers_read.iter().map(|o| o.id).collect();
    Ok(Event { id, input, project_title, organisers_read, deleted })
}

/// Sort orders of the event list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventSort {
    Date,
    Title,
    Kind,
    Zone,
    /// Participants who came.
    Attended,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct EventQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub kind: Option<EventKind>,
    #[ts(optional)]
    pub zone: Option<Zone>,
    #[ts(optional)]
    pub project_id: Option<Uuid>,
    /// Events this organisation organised.
    #[ts(optional)]
    pub partner_id: Option<Uuid>,
    /// Without one: latest first.
    #[ts(optional)]
    pub sort: Option<EventSort>,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventRow {
    pub id: Uuid,
    pub title: String,
    pub kind: EventKind,
    pub start_date: Option<String>,
    pub online: bool,
    pub venue: Option<String>,
    pub zone: Option<Zone>,
    #[ts(type = "number | null")]
    pub registered: Option<i64>,
    #[ts(type = "number | null")]
    pub attended: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<EventRow>,
}

/// Live events in the order asked (latest first by default; with a search, by relevance).
/// The whole list of [`list`] as one statement (its `offset` and `limit` aside).
pub fn listing(conn: &Connection, q: &EventQuery) -> Result<Listing> {
    let mut conditions = vec!["e.deleted = 0".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let (sort, dir) = crate::store::sort_or(q.sort, q.descending, EventSort::Date);
    let order = match sort {
        EventSort::Date => format!("e.start_date IS NULL, e.start_date {dir}, fold(e.title), e.id"),
        EventSort::Title => format!("fold(e.title) {dir}, e.id"),
        EventSort::Kind => format!("{} {dir}, e.start_date DESC, e.id", EventKind::order_sql("e.kind")),
        EventSort::Zone => {
            format!("e.zone IS NULL, {} {dir}, e.start_date DESC, e.id", Zone::order_sql("e.zone"))
        }
        EventSort::Attended => format!("e.attended IS NULL, e.attended {dir}, e.start_date DESC, e.id"),
    };
    let (mut with, mut from, mut order) = (String::new(), "event e".to_owned(), order);
    if let Some(m) = index::matches(conn, q.search.as_deref(), "event", "event", "e")? {
        (with, from) = (m.with, m.from);
        args.extend(m.args);
        conditions.push(m.condition);
        order = format!("hits.rank, {order}");
    }
    if let Some(k) = q.kind {
        conditions.push("e.kind = ?".into());
        args.push(Value::Text(k.as_str().into()));
    }
    if let Some(z) = q.zone {
        conditions.push("e.zone = ?".into());
        args.push(Value::Text(z.as_str().into()));
    }
    if let Some(p) = q.project_id {
        conditions.push("e.project_id = ?".into());
        args.push(id_value(p));
    }
    if let Some(p) = q.partner_id {
        conditions.push(
            "e.id IN (SELECT event_id FROM event_organiser WHERE partner_id = ? AND deleted = 0)".into(),
        );
        args.push(id_value(p));
    }
    let where_sql = conditions.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("{with}SELECT count(*) FROM {from} WHERE {where_sql}"),
        rusqlite::params_from_iter(&args),
        |r| r.get(0),
    )?;
    let sql = format!(
        "{with}SELECT e.id, e.title, e.kind, e.start_date, e.online, e.venue, e.zone, e.registered, e.attended
         FROM {from} WHERE {where_sql} ORDER BY {order}"
    );
    Ok(Listing { sql, args, total })
}

pub fn list(conn: &Connection, q: &EventQuery) -> Result<EventPage> {
    let listing = listing(conn, q)?;
    let total = listing.total;
    let (sql, args) = listing.page(q.limit, q.offset);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&args), |r| {
        Ok(EventRow {
            id: r.get(0)?,
            title: r.get(1)?,
            kind: EventKind::from_stored(&r.get::<_, String>(2)?),
            start_date: r.get(3)?,
            online: r.get(4)?,
            venue: r.get(5)?,
            zone: r.get::<_, Option<String>>(6)?.map(|z| Zone::from_stored(&z)),
            registered: r.get(7)?,
            attended: r.get(8)?,
        })
    })?;
    Ok(EventPage { total, offset: q.offset, rows: rows.collect::<Result<_, _>>()? })
}
