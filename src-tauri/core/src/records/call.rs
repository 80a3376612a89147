//! Calls for projects: a programme, a funder, opening / deadline / results times with their time zone, a
//! budget and maximum award, typed eligibility rules (minimum partners, minimum distinct countries, required
//! zones, a Lyon lead) and weighted evaluation criteria with maxima and thresholds. Writes are validated
//! first and go through [`Mutation`]; the call's page carries its applications ranked (see `application`).

use chrono::{DateTime, FixedOffset};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{kept_or_known, CallStatus, Zone};
use crate::label::{labels_of, Labels};
use crate::oplog::{optional_id, optional_text, Mutation, Wanted};
pub use crate::records::application::assessment::{Criterion, EligibilityRules};
use crate::records::application::list::{self as applications, ApplicationRow};
use crate::records::Listing;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::clean;
use crate::validate::{self, Report};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CriterionInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    pub name: String,
    /// Relative weight (> 0).
    pub weight: f64,
    /// The highest score a reviewer can give (> 0).
    pub max_score: f64,
    /// The lowest average score an application may have on this criterion to be ranked.
    #[serde(default)]
    pub threshold: Option<f64>,
}

/// What a user gives to create or edit a call. `calls show --json` output is accepted as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CallInput {
    #[serde(default)]
    pub code: Option<String>,
    pub title: String,
    #[serde(default)]
    pub programme: Option<String>,
    #[serde(default)]
    pub funder_id: Option<Uuid>,
    /// RFC 3339 with offset: "2026-09-01T09:00:00+02:00".
    #[serde(default)]
    pub opens_at: Option<String>,
    #[serde(default)]
    pub deadline_at: Option<String>,
    #[serde(default)]
    pub results_at: Option<String>,
    /// IANA zone the times are announced in ("Europe/Paris").
    #[serde(default)]
    pub time_zone: Option<String>,
    /// In the currency's minor unit.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub budget: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub max_award: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub rules: EligibilityRules,
    #[serde(default)]
    pub criteria: Vec<CriterionInput>,
    #[serde(default = "default_status")]
    pub status: CallStatus,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_status() -> CallStatus {
    CallStatus::Draft
}

/// A call as read back: its fields, its criteria, and its applications in rank order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Call {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: CallInput,
    pub funder_name: Option<String>,
    /// The funder's name for each UI language ([`crate::label::pick`]).
    pub funder_labels: Option<Labels>,
    /// With ids, in their order.
    pub criteria_read: Vec<Criterion>,
    pub deleted: bool,
    /// Ranked ones first (by rank), then the others by reference.
    pub applications: Vec<ApplicationRow>,
}

pub fn input_from_json(json: &str) -> Result<CallInput> {
    crate::json::input_from_str(json, "a call", READ_ONLY)
}

/// The fields a read-back call adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] =
    &["id", "funder_name", "funder_labels", "criteria_read", "deleted", "applications"];

fn time(report: &mut Report, field: &str, value: &Option<String>) -> Option<DateTime<FixedOffset>> {
    let value = clean(value.as_deref())?;
    match DateTime::parse_from_rfc3339(&value) {
        Ok(t) => Some(t),
        Err(_) => {
            report.add(
                field,
                "datetime",
                format!("{} is not a time such as 2026-12-15T17:00:00+01:00", validate::quote(&value)),
            );
            None
        }
    }
}

fn check(conn: &Connection, id: Option<Uuid>, input: &CallInput) -> Result<CallInput> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    kept_or_known(conn, &mut report, "status", input.status, ("call", "status", id))?;
    let mut c = input.clone();
    c.title = input.title.trim().to_owned();
    if c.title.is_empty() {
        report.add("title", "required", "a call needs a title");
    }
    c.code = clean(input.code.as_deref());
    c.programme = clean(input.programme.as_deref());
    c.notes = clean(input.notes.as_deref());
    c.time_zone = validate::time_zone(&mut report, "time_zone", input.time_zone.as_deref());
    if let Some(funder) = input.funder_id {
        if !store::live(conn, "partner", funder)? {
            report.add("funder_id", "not_found", format!("no partner with id {funder}"));
        }
    }
    let opens = time(&mut report, "opens_at", &input.opens_at);
    let deadline = time(&mut report, "deadline_at", &input.deadline_at);
    let results = time(&mut report, "results_at", &input.results_at);
    if let (Some(o), Some(d)) = (opens, deadline) {
        if d < o {
            report.add("deadline_at", "end_before_start", "the deadline comes before the call opens");
        }
    }
    if let (Some(d), Some(r)) = (deadline, results) {
        if r < d {
            report.add("results_at", "end_before_start", "the results come before the deadline");
        }
    }
    c.opens_at = opens.map(|t| t.to_rfc3339());
    c.deadline_at = deadline.map(|t| t.to_rfc3339());
    c.results_at = results.map(|t| t.to_rfc3339());
    for (field, value) in [("budget", input.budget), ("max_award", input.max_award)] {
        if value.is_some_and(|v| v < 0) {
            report.add(field, "negative", format!("{field} cannot be negative"));
        }
    }
    if let (Some(b), Some(m)) = (input.budget, input.max_award) {
        if m > b {
            report.add("max_award", "above_budget", "the maximum award is above the budget");
        }
    }
    c.currency = validate::currency(&mut report, "currency", input.currency.as_deref());
    if c.currency.is_none() && (input.budget.is_some() || input.max_award.is_some()) {
        report.add("currency", "required", "amounts need their currency");
    }
    for (field, value) in
        [("rules.min_partners", input.rules.min_partners), ("rules.min_countries", input.rules.min_countries)]
    {
        if value.is_some_and(|v| v < 1) {
            report.add(field, "negative", "a minimum must be at least 1");
        }
    }
    let mut zones = input.rules.required_zones.clone();
    zones.sort_by_key(|z| z.as_str());
    zones.dedup();
    c.rules.required_zones = zones;
    for (i, k) in input.criteria.iter().enumerate() {
        let at = |f: &str| format!("criteria[{i}].{f}");
        c.criteria[i].name = k.name.trim().to_owned();
        if c.criteria[i].name.is_empty() {
            report.add(at("name"), "required", "a criterion needs a name");
        }
        if !(k.weight > 0.0 && k.weight.is_finite()) {
            report.add(at("weight"), "positive", "the weight must be above 0");
        }
        if !(k.max_score > 0.0 && k.max_score.is_finite()) {
            report.add(at("max_score"), "positive", "the maximum score must be above 0");
        }
        if let Some(t) = k.threshold {
            if !(0.0..=k.max_score).contains(&t) {
                report.add(
                    at("threshold"),
                    "above_max",
                    format!("the threshold must be between 0 and {}", k.max_score),
                );
            }
        }
    }
    report.finish()?;
    Ok(c)
}

fn columns(c: &CallInput) -> Vec<(&'static str, Value)> {
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
    let zones: Vec<&str> = c.rules.required_zones.iter().map(|z| z.as_str()).collect();
    vec![
        ("code", optional_text(&c.code)),
        ("title", Value::Text(c.title.clone())),
        ("programme", optional_text(&c.programme)),
        ("funder_id", optional_id(c.funder_id)),
        ("opens_at", optional_text(&c.opens_at)),
        ("deadline_at", optional_text(&c.deadline_at)),
        ("results_at", optional_text(&c.results_at)),
        ("time_zone", optional_text(&c.time_zone)),
        ("budget", int(c.budget)),
        ("max_award", int(c.max_award)),
        ("currency", optional_text(&c.currency)),
        ("min_partners", int(c.rules.min_partners)),
        ("min_countries", int(c.rules.min_countries)),
        (
            "required_zones",
            if zones.is_empty() {
                Value::Null
            } else {
                Value::Text(serde_json::to_string(&zones).unwrap_or_default())
            },
        ),
        ("lyon_lead_required", Value::Integer(i64::from(c.rules.lyon_lead_required))),
        ("status", Value::Text(c.status.as_str().into())),
        ("notes", optional_text(&c.notes)),
    ]
}

fn write_children(m: &mut Mutation, id: Uuid, c: &CallInput) -> Result<()> {
    let wanted: Vec<Wanted> = c
        .criteria
        .iter()
        .enumerate()
        .map(|(i, k)| Wanted {
            id: k.id,
            key: k.name.clone(),
            fields: vec![
                ("name", Value::Text(k.name.clone())),
                ("weight", Value::Real(k.weight)),
                ("max_score", Value::Real(k.max_score)),
                ("threshold", k.threshold.map_or(Value::Null, Value::Real)),
                ("position", Value::Integer(i64::try_from(i).unwrap_or(0))),
            ],
        })
        .collect();
    m.reconcile("call_criterion", "call_id", id, "name", &wanted)
}

pub fn create(tx: &Tx, clock: &dyn Clock, input: &CallInput) -> Result<Call> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &CallInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    m.insert("call", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(id)
}

pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &CallInput) -> Result<Call> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &CallInput) -> Result<()> {
    store::require_live(tx, "call", id)?;
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("call", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(())
}

pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("call", id, true)?;
    Ok(())
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("call", id, false)?;
    Ok(())
}

/// The call's criteria, in order.
pub fn criteria(conn: &Connection, id: Uuid) -> Result<Vec<Criterion>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, weight, max_score, threshold FROM call_criterion
         WHERE call_id = ?1 AND deleted = 0 ORDER BY position, name",
    )?;
    let rows = stmt.query_map(params![id], |r| {
        Ok(Criterion {
            id: r.get(0)?,
            name: r.get(1)?,
            weight: r.get(2)?,
            max_score: r.get(3)?,
            threshold: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The call's rules as stored.
pub fn rules(conn: &Connection, id: Uuid) -> Result<Option<EligibilityRules>> {
    Ok(conn
        .prepare_cached(
            "SELECT min_partners, min_countries, required_zones, lyon_lead_required FROM call WHERE id = ?1",
        )?
        .query_row(params![id], |r| {
            let zones: Option<String> = r.get(2)?;
            Ok(EligibilityRules {
                min_partners: r.get(0)?,
                min_countries: r.get(1)?,
                required_zones: zones
                    .and_then(|z| serde_json::from_str::<Vec<String>>(&z).ok())
                    .unwrap_or_default()
                    .iter()
                    .map(|z| Zone::from_stored(z))
                    .collect(),
                lyon_lead_required: r.get(3)?,
            })
        })
        .optional()?)
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Call> {
    let row = conn
        .prepare_cached(
            "SELECT c.code, c.title, c.programme, c.funder_id, c.opens_at, c.deadline_at, c.results_at, c.time_zone,
                    c.budget, c.max_award, c.currency, c.status, c.notes, c.deleted, p.name
             FROM call c LEFT JOIN partner_summary p ON p.id = c.funder_id WHERE c.id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok((
                CallInput {
                    code: r.get(0)?,
                    title: r.get(1)?,
                    programme: r.get(2)?,
                    funder_id: r.get(3)?,
                    opens_at: r.get(4)?,
                    deadline_at: r.get(5)?,
                    results_at: r.get(6)?,
                    time_zone: r.get(7)?,
                    budget: r.get(8)?,
                    max_award: r.get(9)?,
                    currency: r.get(10)?,
                    rules: EligibilityRules::default(),
                    criteria: vec![],
                    status: CallStatus::from_stored(&r.get::<_, String>(11)?),
                    notes: r.get(12)?,
                },
                r.get::<_, bool>(13)?,
                r.get::<_, Option<String>>(14)?,
            ))
        })
        .optional()?;
    let Some((mut input, deleted, funder_name)) = row else {
        return Err(Error::NotFound { entity: "call", id: id.to_string() });
    };
    input.rules = rules(conn, id)?.unwrap_or_default();
    let criteria_read = criteria(conn, id)?;
    input.criteria = criteria_read
        .iter()
        .map(|k| CriterionInput {
            id: Some(k.id),
            name: k.name.clone(),
            weight: k.weight,
            max_score: k.max_score,
            threshold: k.threshold,
        })
        .collect();
    let applications = applications::ranked(conn, id)?;
    let funder_labels = match input.funder_id {
        Some(funder) => labels_of(conn, funder)?,
        None => None,
    };
    Ok(Call { id, input, funder_name, funder_labels, criteria_read, deleted, applications })
}

/// Rebuilds the call's own derived rows (its search document), or removes them once it is deleted.
pub fn refresh(conn: &Connection, id: Uuid) -> Result<()> {
    let row: Option<(Option<String>, String, Option<String>)> = conn
        .prepare_cached("SELECT code, title, programme FROM call WHERE id = ?1 AND deleted = 0")?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match row {
        None => index::remove(conn, id),
        Some((code, title, programme)) => {
            let head =
                [code.as_deref(), Some(title.as_str())].into_iter().flatten().collect::<Vec<_>>().join(" ; ");
            index::put(conn, "call", id, &head, programme.as_deref().unwrap_or(""), true)
        }
    }
}

/// A row of the call list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CallRow {
    pub id: Uuid,
    pub code: Option<String>,
    pub title: String,
    pub programme: Option<String>,
    pub deadline_at: Option<String>,
    pub status: CallStatus,
    #[ts(type = "number")]
    pub applications: i64,
}

/// Sort orders of the call list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CallSort {
    Deadline,
    Title,
    Status,
    Applications,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CallQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub status: Option<CallStatus>,
    /// Without one: latest deadline first.
    #[ts(optional)]
    pub sort: Option<CallSort>,
    pub descending: bool,
    pub offset: u32,
    /// At most 500; 100 when 0.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CallPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<CallRow>,
}

/// The whole list of [`list`] as one statement (its `offset` and `limit` aside).
pub fn listing(conn: &Connection, q: &CallQuery) -> Result<Listing> {
    let mut conditions = vec!["c.deleted = 0".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let mut with = String::new();
    let mut from = "call c".to_owned();
    let (sort, dir) = crate::store::sort_or(q.sort, q.descending, CallSort::Deadline);
    // Deadlines are RFC 3339 with offsets: `unixepoch` orders them as instants.
    let mut order = match sort {
        CallSort::Deadline => {
            format!("c.deadline_at IS NULL, unixepoch(c.deadline_at) {dir}, fold(c.title), c.id")
        }
        CallSort::Title => format!("fold(c.title) {dir}, c.id"),
        CallSort::Status => {
            format!("{} {dir}, unixepoch(c.deadline_at) DESC, c.id", CallStatus::order_sql("c.status"))
        }
        CallSort::Applications => format!("applications {dir}, unixepoch(c.deadline_at) DESC, c.id"),
    };
    if let Some(m) = index::matches(conn, q.search.as_deref(), "call", "call", "c")? {
        (with, from) = (m.with, m.from);
        args.extend(m.args);
        conditions.push(m.condition);
        order = format!("hits.rank, {order}");
    }
    if let Some(s) = q.status {
        conditions.push("c.status = ?".into());
        args.push(Value::Text(s.as_str().into()));
    }
    let where_sql = conditions.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("{with}SELECT count(*) FROM {from} WHERE {where_sql}"),
        rusqlite::params_from_iter(&args),
        |r| r.get(0),
    )?;
    let sql = format!(
        "{with}SELECT c.id, c.code, c.title, c.programme, c.deadline_at, c.status,
                (SELECT count(*) FROM application a WHERE a.call_id = c.id AND a.deleted = 0) AS applications
         FROM {from} WHERE {where_sql} ORDER BY {order}"
    );
    Ok(Listing { sql, args, total })
}

/// Live calls in the order asked (latest deadline first by default; with a search, by relevance).
pub fn list(conn: &Connection, q: &CallQuery) -> Result<CallPage> {
    let listing = listing(conn, q)?;
    let total = listing.total;
    let (sql, args) = listing.page(q.limit, q.offset);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&args), |r| {
        Ok(CallRow {
            id: r.get(0)?,
            code: r.get(1)?,
            title: r.get(2)?,
            programme: r.get(3)?,
            deadline_at: r.get(4)?,
            status: CallStatus::from_stored(&r.get::<_, String>(5)?),
            applications: r.get(6)?,
        })
    })?;
    Ok(CallPage { total, offset: q.offset, rows: rows.collect::<Result<_, _>>()? })
}
