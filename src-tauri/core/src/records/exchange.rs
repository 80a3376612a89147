//! Exchanges: one person's mobility in or out, under a programme, between a home and a host organisation,
//! possibly counted against an agreement and one of its conditions. Writes go through [`Mutation`] and are
//! validated first (dates in order, amounts not negative, an agreement that covers the exchange's year);
//! nothing is written unless every field is valid. Exchanges keep no derived rows: at a million of them the
//! list reads the table through its partial indexes, and search finds them through their person and partner.

use chrono::NaiveDate;
use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{
    academic_year_label, is_field, kept_or_known, Cefr, Direction, ExchangeCategory, ExchangeStatus, Level,
    Programme, Zone,
};
use crate::label::{labels_at, labels_of, Labels};
use crate::oplog::{id_value, optional_id, optional_text, Mutation};
use crate::records::Listing;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::clean;
use crate::validate::{self, Report};

/// What a user gives to create or edit an exchange. `exchanges show --json` output is accepted as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExchangeInput {
    /// The person (a contact); required.
    #[serde(default)]
    pub person_id: Option<Uuid>,
    pub direction: Direction,
    pub category: ExchangeCategory,
    #[serde(default = "default_programme")]
    pub programme: Programme,
    #[serde(default)]
    pub home_id: Option<Uuid>,
    #[serde(default)]
    pub host_id: Option<Uuid>,
    /// The Lyon unit (school, lab) involved.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[serde(default)]
    pub agreement_id: Option<Uuid>,
    /// One of the agreement's conditions, which the exchange counts against.
    #[serde(default)]
    pub condition_id: Option<Uuid>,
    /// The academic year it starts in: 2025 for 2025/2026.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub academic_year: Option<i64>,
    #[serde(default)]
    pub planned_start: Option<String>,
    #[serde(default)]
    pub planned_end: Option<String>,
    #[serde(default)]
    pub actual_start: Option<String>,
    #[serde(default)]
    pub actual_end: Option<String>,
    #[serde(default)]
    pub level: Option<Level>,
    /// ISCED-F code or alliance field.
    #[serde(default)]
    pub field: Option<String>,
    /// BCP-47 tag of the language of study or work.
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub cefr: Option<Cefr>,
    /// Who pays ("CSC", "IDEXLYON", "Région").
    #[serde(default)]
    pub funding: Option<String>,
    /// In the currency's minor unit (cents).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub amount: Option<i64>,
    /// ISO 4217 ("EUR", "CNY").
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default = "default_status")]
    pub status: ExchangeStatus,
    /// A named group ("Tongji urban planning 2026").
    #[serde(default)]
    pub cohort: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_programme() -> Programme {
    Programme::Agreement
}

fn default_status() -> ExchangeStatus {
    ExchangeStatus::Applied
}

/// An exchange as read back, with the names of what it links to (`None` names: pending sync or deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Exchange {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: ExchangeInput,
    pub person_name: Option<String>,
    pub home_name: Option<String>,
    pub host_name: Option<String>,
    /// The home and host organisations' names for each UI language ([`crate::label::pick`]).
    pub home_labels: Option<Labels>,
    pub host_labels: Option<Labels>,
    pub unit_name: Option<String>,
    /// The unit's name for each UI language, as [`get`] reads it for the exchange's page (lists, which do not
    /// show the unit, leave it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub unit_labels: Option<Labels>,
    pub agreement_title: Option<String>,
    /// "2025/2026".
    pub academic_year_label: Option<String>,
    pub deleted: bool,
}

/// Reads exchange JSON, naming the field of any type error.
pub fn input_from_json(json: &str) -> Result<ExchangeInput> {
    crate::json::input_from_str(json, "an exchange", READ_ONLY)
}

/// The fields a read-back exchange adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] = &[
    "id",
    "person_name",
    "home_name",
    "host_name",
    "home_labels",
    "host_labels",
    "unit_name",
    "unit_labels",
    "agreement_title",
    "academic_year_label",
    "deleted",
];

fn check(conn: &Connection, id: Option<Uuid>, input: &ExchangeInput) -> Result<ExchangeInput> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    kept_or_known(conn, &mut report, "direction", input.direction, ("exchange", "direction", id))?;
    kept_or_known(conn, &mut report, "category", input.category, ("exchange", "category", id))?;
    kept_or_known(conn, &mut report, "programme", input.programme, ("exchange", "programme", id))?;
    kept_or_known(conn, &mut report, "status", input.status, ("exchange", "status", id))?;
    if let Some(level) = input.level {
        kept_or_known(conn, &mut report, "level", level, ("exchange", "level", id))?;
    }
    if let Some(cefr) = input.cefr {
        kept_or_known(conn, &mut report, "cefr", cefr, ("exchange", "cefr", id))?;
    }
    let mut c = input.clone();
    let stored = match id {
        Some(id) => Some(get(conn, id)?.input),
        None => None,
    };
    // A reference already recorded may since have been deleted or be pending sync: keeping it is allowed;
    // only a new choice must name a live record.
    let unchanged = |pick: fn(&ExchangeInput) -> Option<Uuid>, value: Option<Uuid>| {
        stored.as_ref().is_some_and(|s| pick(s) == value)
    };
    match input.person_id {
        None => report.add("person_id", "required", "choose the person"),
        Some(person)
            if !unchanged(|s| s.person_id, Some(person)) && !store::live(conn, "contact", person)? =>
        {
            report.add("person_id", "not_found", format!("no contact with id {person}"))
        }
        Some(_) => {}
    }
    for (field, pick, value) in [
        ("home_id", (|s: &ExchangeInput| s.home_id) as fn(&ExchangeInput) -> Option<Uuid>, input.home_id),
        ("host_id", |s: &ExchangeInput| s.host_id, input.host_id),
        ("unit_id", |s: &ExchangeInput| s.unit_id, input.unit_id),
    ] {
        if let Some(value) = value {
            if !unchanged(pick, Some(value)) && !store::live(conn, "partner", value)? {
                report.add(field, "not_found", format!("no partner with id {value}"));
            }
        }
    }
    if input.home_id.is_some() && input.home_id == input.host_id {
        report.add("host_id", "same_side", "the home and host organisations are the same");
    }
    let planned_start = validate::optional_date(&mut report, "planned_start", input.planned_start.as_deref());
    let planned_end = validate::optional_date(&mut report, "planned_end", input.planned_end.as_deref());
    let actual_start = validate::optional_date(&mut report, "actual_start", input.actual_start.as_deref());
    let actual_end = validate::optional_date(&mut report, "actual_end", input.actual_end.as_deref());
    validate::in_order(&mut report, "planned_end", "the exchange", planned_start, planned_end);
    validate::in_order(&mut report, "actual_end", "the exchange", actual_start, actual_end);
    c.planned_start = planned_start.map(|d| d.to_string());
    c.planned_end = planned_end.map(|d| d.to_string());
    c.actual_start = actual_start.map(|d| d.to_string());
    c.actual_end = actual_end.map(|d| d.to_string());
    validate::academic_year(&mut report, "academic_year", input.academic_year);
    c.field = clean(input.field.as_deref()).map(|f| f.to_lowercase());
    if let Some(f) = &c.field {
        if !is_field(f) {
            report.add(
                "field",
                "field",
                format!("{} is not an ISCED-F code such as 0731 nor an alliance field", validate::quote(f)),
            );
        }
    }
    c.language =
        clean(input.language.as_deref()).and_then(|l| validate::language(&mut report, "language", &l));
    if input.amount.is_some_and(|a| a < 0) {
        report.add("amount", "negative", "the amount cannot be negative");
    }
    c.currency = validate::currency(&mut report, "currency", input.currency.as_deref());
    if c.currency.is_none() && input.amount.is_some() {
        report.add("currency", "required", "an amount needs its currency");
    }
    c.funding = clean(input.funding.as_deref());
    c.cohort = clean(input.cohort.as_deref());
    c.notes = clean(input.notes.as_deref());
    if input.condition_id.is_some() && input.agreement_id.is_none() {
        report.add(
            "condition_id",
            "required",
            "a condition belongs to an agreement: choose the agreement too",
        );
    }
    if let Some(agreement) = input.agreement_id {
        let window = agreement_window(conn, agreement)?;
        match window {
            None if !unchanged(|s| s.agreement_id, Some(agreement)) => {
                report.add("agreement_id", "not_found", format!("no agreement with id {agreement}"))
            }
            None => {}
            Some((start, end)) => {
                let (from, to) = period(&c, planned_start, planned_end);
                let covers = match (from, to) {
                    (Some(from), Some(to)) => start.is_none_or(|s| s <= to) && end.is_none_or(|e| e >= from),
                    _ => true,
                };
                if !covers {
                    report.add(
                        "agreement_id",
                        "not_in_force",
                        format!(
                            "the agreement ({} – {}) does not cover this exchange's {}",
                            start.map_or("…".into(), |d| d.to_string()),
                            end.map_or("…".into(), |d| d.to_string()),
                            c.academic_year
                                .map_or("dates".into(), |y| format!("year {}", academic_year_label(y)))
                        ),
                    );
                }
            }
        }
        if let Some(condition) = input.condition_id {
            let years: Option<(Option<i64>, Option<i64>)> = conn
                .prepare_cached(
                    "SELECT first_year, last_year FROM agreement_condition
                     WHERE id = ?1 AND agreement_id = ?2 AND deleted = 0",
                )?
                .query_row(params![condition, agreement], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match years {
                None => {
                    report.add("condition_id", "not_found", "this condition is not one of the agreement's")
                }
                Some((first, last)) => {
                    if let Some(year) = c.academic_year {
                        if first.is_some_and(|f| year < f) || last.is_some_and(|l| year > l) {
                            report.add(
                                "academic_year",
                                "not_in_force",
                                format!(
                                    "the condition covers {} to {}, not {}",
                                    first.map_or("…".into(), academic_year_label),
                                    last.map_or("…".into(), academic_year_label),
                                    academic_year_label(year)
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    report.finish()?;
    Ok(c)
}

/// The days an exchange spans for the agreement check: its planned dates, else its academic year taken
/// broadly (January of its first year to December of the next: academic years start in September in
/// France, April in Japan and February or March in Brazil).
fn period(
    c: &ExchangeInput,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    if start.is_some() || end.is_some() {
        return (start.or(end), end.or(start));
    }
    let Some(year) = c.academic_year.and_then(|y| i32::try_from(y).ok()) else { return (None, None) };
    (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year + 1, 12, 31))
}

fn agreement_window(conn: &Connection, id: Uuid) -> Result<Option<(Option<NaiveDate>, Option<NaiveDate>)>> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT start_date, end_date FROM agreement WHERE id = ?1 AND deleted = 0")?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let parse = |d: Option<String>| d.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    Ok(row.map(|(s, e)| (parse(s), parse(e))))
}

fn columns(c: &ExchangeInput) -> Vec<(&'static str, Value)> {
    let text = |v: Option<&str>| v.map_or(Value::Null, |v| Value::Text(v.to_owned()));
    vec![
        ("person_id", optional_id(c.person_id)),
        ("direction", Value::Text(c.direction.as_str().into())),
        ("category", Value::Text(c.category.as_str().into())),
        ("programme", Value::Text(c.programme.as_str().into())),
        ("home_id", optional_id(c.home_id)),
        ("host_id", optional_id(c.host_id)),
        ("unit_id", optional_id(c.unit_id)),
        ("agreement_id", optional_id(c.agreement_id)),
        ("condition_id", optional_id(c.condition_id)),
        ("academic_year", c.academic_year.map_or(Value::Null, Value::Integer)),
        ("planned_start", optional_text(&c.planned_start)),
        ("planned_end", optional_text(&c.planned_end)),
        ("actual_start", optional_text(&c.actual_start)),
        ("actual_end", optional_text(&c.actual_end)),
        ("level", text(c.level.map(|l| l.as_str()))),
        ("field", optional_text(&c.field)),
        ("language", optional_text(&c.language)),
        ("cefr", text(c.cefr.map(|l| l.as_str()))),
        ("funding", optional_text(&c.funding)),
        ("amount", c.amount.map_or(Value::Null, Value::Integer)),
        ("currency", optional_text(&c.currency)),
        ("status", Value::Text(c.status.as_str().into())),
        ("cohort", optional_text(&c.cohort)),
        ("notes", optional_text(&c.notes)),
    ]
}

/// The count groups (partner, academic year or 0 without one) the exchanges fall in now and fell in before a
/// change, given the values each one's changed columns had (see `exchange_count`). One read for all of them:
/// a new laptop's first import brings tens of thousands.
pub fn groups(
    conn: &Connection,
    changed: &[(Uuid, &BTreeMap<&'static str, Value>)],
) -> Result<Vec<(Uuid, i64)>> {
    let wanted: rusqlite::vtab::array::Array =
        std::rc::Rc::new(changed.iter().map(|(id, _)| Value::Blob(id.as_bytes().to_vec())).collect());
    let old_of: std::collections::HashMap<Uuid, &BTreeMap<&'static str, Value>> =
        changed.iter().filter(|(_, old)| !old.is_empty()).map(|(id, old)| (*id, *old)).collect();
    let group = |direction: &str, home: Option<Uuid>, host: Option<Uuid>, year: Option<i64>| {
        let partner = if direction == "outgoing" { host } else { home };
        partner.map(|p| (p, year.unwrap_or(0)))
    };
    let mut out: Vec<(Uuid, i64)> = Vec::with_capacity(changed.len());
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.direction, e.home_id, e.host_id, e.academic_year
         FROM rarray(?1) w JOIN exchange e ON e.id = w.value",
    )?;
    let mut rows = stmt.query(params![wanted])?;
    while let Some(r) = rows.next()? {
        let (id, direction, home, host, year): (Uuid, String, Option<Uuid>, Option<Uuid>, Option<i64>) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        out.extend(group(&direction, home, host, year));
        let Some(old) = old_of.get(&id) else { continue };
        let id_of = |column: &str, now: Option<Uuid>| match old.get(column) {
            Some(Value::Blob(b)) => Uuid::from_slice(b).ok(),
            Some(_) => None,
            None => now,
        };
        let old_direction = match old.get("direction") {
            Some(Value::Text(d)) => d.clone(),
            _ => direction.clone(),
        };
        let old_year = match old.get("academic_year") {
            Some(Value::Integer(y)) => Some(*y),
            Some(_) => None,
            None => year,
        };
        out.extend(group(&old_direction, id_of("home_id", home), id_of("host_id", host), old_year));
    }
    Ok(out)
}

/// Recounts the groups given (see `exchange_count`): a few dozen exchanges each, read through the
/// partner index.
pub fn recount(conn: &Connection, groups: impl IntoIterator<Item = (Uuid, i64)>) -> Result<()> {
    let mut seen = std::collections::BTreeSet::new();
    for (partner, year) in groups {
        if !seen.insert((partner, year)) {
            continue;
        }
        conn.prepare_cached("DELETE FROM exchange_count WHERE partner_id = ?1 AND academic_year = ?2")?
            .execute(params![partner, year])?;
        // The year compared as it is stored (not through `coalesce`), so the partner's index finds the
        // group's own rows rather than every exchange of the partner.
        conn.prepare_cached(if year == 0 {
            "INSERT INTO exchange_count (partner_id, academic_year, direction, status, n)
             SELECT partner_id, ?2, direction, status, count(*) FROM exchange
             WHERE partner_id = ?1 AND (academic_year IS NULL OR academic_year = 0) AND deleted = 0
             GROUP BY direction, status"
        } else {
            "INSERT INTO exchange_count (partner_id, academic_year, direction, status, n)
             SELECT partner_id, ?2, direction, status, count(*) FROM exchange
             WHERE partner_id = ?1 AND academic_year = ?2 AND deleted = 0
             GROUP BY direction, status"
        })?
        .execute(params![partner, year])?;
    }
    Ok(())
}

/// Creates an exchange and returns it as stored.
pub fn create(tx: &Tx, clock: &dyn Clock, input: &ExchangeInput) -> Result<Exchange> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &ExchangeInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    Mutation::begin(tx, clock)?.insert("exchange", id, &columns(&clean))?;
    Ok(id)
}

/// Replaces an exchange's fields.
pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ExchangeInput) -> Result<Exchange> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ExchangeInput) -> Result<()> {
    store::require_live(tx, "exchange", id)?;
    let clean = check(tx, Some(id), input)?;
    Mutation::begin(tx, clock)?.update("exchange", id, &columns(&clean))?;
    Ok(())
}

pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("exchange", id, true)
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("exchange", id, false)
}

const COLUMNS: &str = "e.id, e.person_id, e.direction, e.category, e.programme, e.home_id, e.host_id, e.unit_id,
    e.agreement_id, e.condition_id, e.academic_year, e.planned_start, e.planned_end, e.actual_start, e.actual_end,
    e.level, e.field, e.language, e.cefr, e.funding, e.amount, e.currency, e.status, e.cohort, e.notes, e.deleted,
    c.name, h.name, o.name, u.name, a.title,
    hen.name, hen.lang, hen.native, hen.native_lang, hfr.name, hfr.lang, hfr.native, hfr.native_lang,
    oen.name, oen.lang, oen.native, oen.native_lang, ofr.name, ofr.lang, ofr.native, ofr.native_lang";

/// [`COLUMNS`] with `NULL` for the related records' names and labels but the person's name, which a
/// reader naming people needs with their sort name (after the 47, see [`listed_person`]); from `exchange e`
/// and [`PERSON_JOIN`].
const OWN_COLUMNS: &str = "e.id, e.person_id, e.direction, e.category, e.programme, e.home_id, e.host_id,
    e.unit_id, e.agreement_id, e.condition_id, e.academic_year, e.planned_start, e.planned_end, e.actual_start,
    e.actual_end, e.level, e.field, e.language, e.cefr, e.funding, e.amount, e.currency, e.status, e.cohort,
    e.notes, e.deleted, c.name, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, c.sort_name";

const PERSON_JOIN: &str = "LEFT JOIN contact_summary c ON c.id = e.person_id";

/// The person of an exchange row of a [`listing`] without names, as their list row names them: their name
/// and sort name (`None` when they have no list row).
pub fn listed_person(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<(Option<String>, String)>> {
    let Some(sort_name) = r.get::<_, Option<String>>(COLUMN_COUNT)? else { return Ok(None) };
    Ok(Some((r.get(26)?, sort_name)))
}

/// The position of the count a list query may add after [`COLUMNS`].
const COLUMN_COUNT: usize = 47;

const JOINS: &str = "LEFT JOIN contact_summary c ON c.id = e.person_id
    LEFT JOIN partner_summary h ON h.id = e.home_id
    LEFT JOIN partner_summary o ON o.id = e.host_id
    LEFT JOIN partner_summary u ON u.id = e.unit_id
    LEFT JOIN partner_label hen ON hen.partner_id = e.home_id AND hen.ui = 'en'
    LEFT JOIN partner_label hfr ON hfr.partner_id = e.home_id AND hfr.ui = 'fr'
    LEFT JOIN partner_label oen ON oen.partner_id = e.host_id AND oen.ui = 'en'
    LEFT JOIN partner_label ofr ON ofr.partner_id = e.host_id AND ofr.ui = 'fr'
    LEFT JOIN agreement_summary a ON a.id = e.agreement_id";

/// An exchange from a row of [`COLUMNS`] (and [`JOINS`]), as [`get`] and [`listing`] select it.
pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Exchange> {
    let mut exchange = from_own_row(r)?;
    exchange.home_name = r.get(27)?;
    exchange.host_name = r.get(28)?;
    exchange.unit_name = r.get(29)?;
    exchange.agreement_title = r.get(30)?;
    exchange.home_labels = labels_at(r, 31)?;
    exchange.host_labels = labels_at(r, 39)?;
    exchange.academic_year_label = exchange.input.academic_year.map(academic_year_label);
    Ok(exchange)
}

/// An exchange from a row of a [`listing`] without names: its own fields and its person's name, the other
/// records' names and labels and the year's label left out (`None`).
pub fn from_own_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Exchange> {
    let vocab = |i: usize| r.get::<_, Option<String>>(i);
    let academic_year: Option<i64> = r.get(10)?;
    Ok(Exchange {
        id: r.get(0)?,
        input: ExchangeInput {
            person_id: r.get(1)?,
            direction: Direction::from_stored(&r.get::<_, String>(2)?),
            category: ExchangeCategory::from_stored(&r.get::<_, String>(3)?),
            programme: Programme::from_stored(&r.get::<_, String>(4)?),
            home_id: r.get(5)?,
            host_id: r.get(6)?,
            unit_id: r.get(7)?,
            agreement_id: r.get(8)?,
            condition_id: r.get(9)?,
            academic_year,
            planned_start: r.get(11)?,
            planned_end: r.get(12)?,
            actual_start: r.get(13)?,
            actual_end: r.get(14)?,
            level: vocab(15)?.map(|l| Level::from_stored(&l)),
            field: r.get(16)?,
            language: r.get(17)?,
            cefr: vocab(18)?.map(|l| Cefr::from_stored(&l)),
            funding: r.get(19)?,
            amount: r.get(20)?,
            currency: r.get(21)?,
            status: ExchangeStatus::from_stored(&r.get::<_, String>(22)?),
            cohort: r.get(23)?,
            notes: r.get(24)?,
        },
        deleted: r.get(25)?,
        person_name: r.get(26)?,
        home_name: None,
        host_name: None,
        unit_name: None,
        unit_labels: None,
        agreement_title: None,
        home_labels: None,
        host_labels: None,
        academic_year_label: None,
    })
}

/// Reads an exchange (deleted ones too, flagged).
pub fn get(conn: &Connection, id: Uuid) -> Result<Exchange> {
    let mut exchange = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM exchange e {JOINS} WHERE e.id = ?1"))?
        .query_row(params![id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "exchange", id: id.to_string() })?;
    with_unit_labels(conn, &mut exchange)?;
    Ok(exchange)
}

/// Adds what [`get`] reads beside the exchange's row (its unit's labels), to an exchange read from a list
/// statement: the record as `get` reads it.
pub fn with_unit_labels(conn: &Connection, exchange: &mut Exchange) -> Result<()> {
    if let Some(unit) = exchange.input.unit_id {
        exchange.unit_labels = labels_of(conn, unit)?;
    }
    Ok(())
}

/// Sort orders of the exchange list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExchangeSort {
    /// Academic year, then planned start.
    #[default]
    Year,
    PlannedStart,
}

/// A page of the exchange list. Without a sort direction, the latest years come first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ExchangeQuery {
    /// Matches the person's name and the partner organisation's names and identifiers.
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub direction: Option<Direction>,
    #[ts(optional)]
    pub category: Option<ExchangeCategory>,
    #[ts(optional)]
    pub programme: Option<Programme>,
    #[ts(optional)]
    pub status: Option<ExchangeStatus>,
    /// `true`: only the exchanges that count (not cancelled or withdrawn), as the dashboard and an
    /// agreement's places count them; `false`: only the cancelled and withdrawn ones.
    #[ts(optional)]
    pub counted: Option<bool>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub academic_year: Option<i64>,
    /// The zone of the organisation on the other side.
    #[ts(optional)]
    pub zone: Option<Zone>,
    /// Exchanges whose other side is this organisation.
    #[ts(optional)]
    pub partner_id: Option<Uuid>,
    #[ts(optional)]
    pub person_id: Option<Uuid>,
    #[ts(optional)]
    pub agreement_id: Option<Uuid>,
    #[ts(optional)]
    pub cohort: Option<String>,
    #[ts(optional)]
    pub sort: Option<ExchangeSort>,
    /// Oldest first.
    pub ascending: bool,
    pub offset: u32,
    /// At most 500; 100 when 0.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExchangePage {
    /// Rows matching the filters, counted up to [`COUNT_CAP`]; `total_capped` says the count stopped there.
    pub total: u32,
    pub total_capped: bool,
    pub offset: u32,
    pub rows: Vec<Exchange>,
}

/// Counting a million rows costs more than the page itself: past this many, the list says "10,000+".
pub const COUNT_CAP: u32 = 10_000;

/// One page of live exchanges.
pub fn list(conn: &Connection, q: &ExchangeQuery) -> Result<ExchangePage> {
    let (page, sort, dir) = selection(conn, q)?;
    let limit = if q.limit == 0 { 100 } else { q.limit.min(500) };
    let mut args = page.args.clone();
    args.push(Value::Integer(limit.into()));
    args.push(Value::Integer(q.offset.into()));
    // The page is chosen first, then joined for names: 100 lookups, not a million. A search's count rides
    // along with the page, so its matches are gathered once.
    let sql = format!(
        "{}{} page(r) AS ({} LIMIT ? OFFSET ?)
         SELECT {COLUMNS}, {} FROM page JOIN exchange e ON e.rowid = page.r {JOINS} ORDER BY {}",
        page.with,
        if page.with.is_empty() { "WITH" } else { "," },
        page.rows,
        if page.inline_count { format!("({})", page.count) } else { "NULL".into() },
        list_order(sort, dir)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut counted = None;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(&args), |r| {
            counted = r.get::<_, Option<u32>>(COLUMN_COUNT)?;
            from_row(r)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let total = match counted {
        Some(total) => total,
        None => total_of(conn, q, &page)?,
    };
    Ok(ExchangePage { total: total.min(COUNT_CAP), total_capped: total > COUNT_CAP, offset: q.offset, rows })
}

/// The whole list of [`list`] as one statement of records read by [`from_row`] (its `offset` and `limit`
/// aside; the total is counted as [`list`] counts it, up to [`COUNT_CAP`]). Without `names`, the related
/// records' names and labels are left out (`None`), for a reader that names them itself: the exchange's own
/// row is then all that is read, with the person's name ([`listed_person`]).
pub fn listing(conn: &Connection, q: &ExchangeQuery, names: bool) -> Result<Listing> {
    let (page, sort, dir) = selection(conn, q)?;
    let (columns, joins) = if names { (COLUMNS, JOINS) } else { (OWN_COLUMNS, PERSON_JOIN) };
    let total = total_of(conn, q, &page)?.min(COUNT_CAP);
    let sql = if page.inline_count {
        let order = match sort {
            ExchangeSort::Year => format!("found.y {dir}, found.s {dir}, found.r {dir}"),
            ExchangeSort::PlannedStart => format!("found.s {dir}, found.r {dir}"),
        };
        format!(
            "{} SELECT {columns} FROM found JOIN exchange e ON e.rowid = found.r {joins} ORDER BY {order}",
            page.with
        )
    } else {
        // The rows are put in order by their keys alone, then read whole in that order: sorting whole rows
        // (the list index leaves each year and start date to sort) cost more than the rest of the statement.
        // `LIMIT -1` keeps the ordered keys a subquery, which the outer ORDER BY then needs no sort for.
        let order = match sort {
            ExchangeSort::Year => format!("o.y {dir}, o.s {dir}, o.r {dir}"),
            ExchangeSort::PlannedStart => format!("o.s {dir}, o.r {dir}"),
        };
        format!(
            "SELECT {columns} FROM (SELECT e.rowid AS r, e.academic_year AS y, e.planned_start AS s
                                     FROM exchange e WHERE {} ORDER BY {} LIMIT -1) o
             CROSS JOIN exchange e ON e.rowid = o.r {joins} ORDER BY {order}",
            page.filter,
            list_order(sort, dir)
        )
    };
    Ok(Listing { sql, args: page.args, total })
}

/// The list's total as the kept counts or its count query say (uncapped up to [`COUNT_CAP`] + 1).
fn total_of(conn: &Connection, q: &ExchangeQuery, page: &Page) -> Result<u32> {
    Ok(match counted_total(conn, q)? {
        Some(total) => u32::try_from(total).unwrap_or(u32::MAX),
        None => conn
            .prepare_cached(&format!("{}{}", page.with, page.count))?
            .query_row(rusqlite::params_from_iter(&page.args), |r| r.get(0))?,
    })
}

/// How the list of `q` is chosen, in which order.
fn selection(conn: &Connection, q: &ExchangeQuery) -> Result<(Page, ExchangeSort, &'static str)> {
    let mut conditions: Vec<String> = vec!["e.deleted = 0".into()];
    let mut args: Vec<Value> = Vec::new();
    let mut filter = |sql: &str, value: Value| {
        conditions.push(sql.to_owned());
        args.push(value);
    };
    if let Some(d) = q.direction {
        filter("e.direction = ?", Value::Text(d.as_str().into()));
    }
    if let Some(c) = q.category {
        filter("e.category = ?", Value::Text(c.as_str().into()));
    }
    if let Some(p) = q.programme {
        filter("e.programme = ?", Value::Text(p.as_str().into()));
    }
    if let Some(s) = q.status {
        filter("e.status = ?", Value::Text(s.as_str().into()));
    }
    if let Some(y) = q.academic_year {
        filter("e.academic_year = ?", Value::Integer(y));
    }
    if let Some(z) = q.zone {
        // `+` keeps SQLite on the list index (which holds the partner) rather than gathering a whole zone's
        // exchanges through the partner index and sorting them.
        filter(
            "+e.partner_id IN (SELECT id FROM partner_summary WHERE zone = ?)",
            Value::Text(z.as_str().into()),
        );
    }
    if let Some(p) = q.partner_id {
        filter("e.partner_id = ?", id_value(p));
    }
    if let Some(p) = q.person_id {
        filter("e.person_id = ?", id_value(p));
    }
    if let Some(a) = q.agreement_id {
        filter("e.agreement_id = ?", id_value(a));
    }
    if let Some(c) = clean(q.cohort.as_deref()) {
        filter("e.cohort = ?", Value::Text(c));
    }
    if let Some(counted) = q.counted {
        conditions.push(called_off("e.", counted));
    }
    let where_sql = conditions.join(" AND ");
    let dir = if q.ascending { "ASC" } else { "DESC" };
    let sort = q.sort.unwrap_or_default();
    let page = match q.search.as_deref().map(|q| index::hits(conn, q)).transpose()?.flatten() {
        Some(hits) => {
            // The matching people's and partners' exchanges, each with its sort key, gathered from the person
            // and partner indexes (two lookups rather than one OR, which SQLite would answer by scanning every
            // exchange). The page and the count are both read from this one set.
            let found = format!(
                "WITH {}, matched(id) AS MATERIALIZED (SELECT d.entity_id FROM hits JOIN search_doc d
                   ON d.doc = hits.doc WHERE d.entity IN ('contact', 'partner')),
                 found(r, y, s) AS MATERIALIZED (
                   SELECT e.rowid, e.academic_year, e.planned_start FROM exchange e
                   WHERE e.person_id IN matched AND {where_sql}
                   UNION SELECT e.rowid, e.academic_year, e.planned_start FROM exchange e
                   WHERE e.partner_id IN matched AND {where_sql})",
                hits.cte
            );
            let mut all = hits.args;
            all.extend(args.iter().cloned());
            all.extend(args);
            let order = match sort {
                ExchangeSort::Year => format!("y {dir}, s {dir}, r {dir}"),
                ExchangeSort::PlannedStart => format!("s {dir}, r {dir}"),
            };
            Page {
                with: found,
                rows: format!("SELECT r FROM found ORDER BY {order}"),
                count: "SELECT count(*) FROM found".into(),
                inline_count: true,
                filter: where_sql,
                args: all,
            }
        }
        None => Page {
            with: String::new(),
            rows: format!(
                "SELECT e.rowid FROM exchange e WHERE {where_sql} ORDER BY {}",
                list_order(sort, dir)
            ),
            count: format!(
                "SELECT count(*) FROM (SELECT 1 FROM exchange e WHERE {where_sql} LIMIT {})",
                COUNT_CAP + 1
            ),
            inline_count: false,
            filter: where_sql,
            args,
        },
    };
    Ok((page, sort, dir))
}

/// How the list's rows are chosen and counted: an optional `WITH` clause (without the page), the query of the
/// ordered row ids, the count (asked with the page when `inline_count`), and their shared arguments.
struct Page {
    with: String,
    rows: String,
    count: String,
    inline_count: bool,
    /// The filters on `exchange e` (inside `with` when searching).
    filter: String,
    args: Vec<Value>,
}

/// The list's order on `exchange e`. The rowid breaks ties: it is in every index, so the order is read from
/// an index, never sorted.
fn list_order(sort: ExchangeSort, dir: &str) -> String {
    match sort {
        ExchangeSort::Year => format!("e.academic_year {dir}, e.planned_start {dir}, e.rowid {dir}"),
        ExchangeSort::PlannedStart => format!("e.planned_start {dir}, e.rowid {dir}"),
    }
}

/// The total of a query whose filters the kept counts cover (a zone or partner, and optionally the year,
/// direction and status): read from `exchange_count` rather than by counting up to 10,000 rows. `None`
/// when the counts cannot answer it.
fn counted_total(conn: &Connection, q: &ExchangeQuery) -> Result<Option<i64>> {
    let covered = clean(q.search.as_deref()).is_none()
        && q.category.is_none()
        && q.programme.is_none()
        && q.person_id.is_none()
        && q.agreement_id.is_none()
        && clean(q.cohort.as_deref()).is_none()
        && (q.zone.is_some() || q.partner_id.is_some());
    if !covered {
        return Ok(None);
    }
    let mut conditions = vec!["1".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    if let Some(z) = q.zone {
        conditions.push("c.partner_id IN (SELECT id FROM partner_summary WHERE zone = ?)".into());
        args.push(Value::Text(z.as_str().into()));
    }
    if let Some(p) = q.partner_id {
        conditions.push("c.partner_id = ?".into());
        args.push(id_value(p));
    }
    if let Some(y) = q.academic_year {
        conditions.push("c.academic_year = ?".into());
        args.push(Value::Integer(y));
    }
    if let Some(d) = q.direction {
        conditions.push("c.direction = ?".into());
        args.push(Value::Text(d.as_str().into()));
    }
    if let Some(s) = q.status {
        conditions.push("c.status = ?".into());
        args.push(Value::Text(s.as_str().into()));
    }
    if let Some(counted) = q.counted {
        conditions.push(called_off("c.", counted));
    }
    let sql =
        format!("SELECT coalesce(sum(c.n), 0) FROM exchange_count c WHERE {}", conditions.join(" AND "));
    Ok(Some(conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(&args), |r| r.get(0))?))
}

/// The condition on `{alias}status` that keeps the exchanges that count (`counted`) or those called off.
fn called_off(alias: &str, counted: bool) -> String {
    format!("{alias}status {} ('cancelled', 'withdrawn')", if counted { "NOT IN" } else { "IN" })
}

/// The cohorts in use, in order, for the list's cohort filter and the global search.
pub fn cohorts(conn: &Connection) -> Result<Vec<String>> {
    // One index seek per cohort (the next name after the last), rather than reading every exchange of
    // every cohort: a thousand cohorts of a hundred exchanges each is a thousand seeks, not 100,000 rows.
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE next(name) AS (
             SELECT min(cohort) FROM exchange WHERE deleted = 0 AND cohort IS NOT NULL
             UNION ALL
             SELECT (SELECT min(cohort) FROM exchange WHERE deleted = 0 AND cohort IS NOT NULL AND cohort > next.name)
             FROM next WHERE name IS NOT NULL
         )
         SELECT name FROM next WHERE name IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
