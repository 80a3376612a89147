//! The application list and a call's ranking: live applications with their kept assessments, filtered,
//! sorted and paged in SQL.

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::kinds::{ApplicationStatus, Zone};
use crate::label::{labels_at, Labels};
use crate::oplog::optional_id;
use crate::records::application::assessment::RuleCheck;
use crate::records::Listing;
use crate::search::index;
use crate::store;

/// A row of a call's ranking or of the application list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationRow {
    pub id: Uuid,
    pub call_id: Option<Uuid>,
    pub reference: Option<String>,
    pub acronym: Option<String>,
    pub title: String,
    pub lead_name: Option<String>,
    /// The lead organisation's name for each UI language ([`crate::label::pick`]).
    pub lead_labels: Option<Labels>,
    pub status: ApplicationStatus,
    pub eligible: bool,
    /// The failed rules, or empty.
    pub ineligible_because: Vec<RuleCheck>,
    pub score: Option<f64>,
    pub below_threshold: bool,
    pub rank: Option<u32>,
    #[ts(type = "number | null")]
    pub requested: Option<i64>,
    /// The call's currency, which the amount is in.
    pub currency: Option<String>,
}

/// Every live application of a call with its assessment, ranked ones first in rank order.
pub fn ranked(conn: &Connection, call_id: Uuid) -> Result<Vec<ApplicationRow>> {
    rows_from(
        conn,
        "",
        "application a",
        "a.call_id = ? AND a.deleted = 0",
        vec![optional_id(Some(call_id))],
        "s.position IS NULL, s.position, a.id",
    )
}

/// Sort orders of the application list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApplicationSort {
    /// Calls by deadline, each call's applications in rank order.
    Call,
    Reference,
    Title,
    Lead,
    Status,
    Requested,
    Score,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ApplicationQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub call_id: Option<Uuid>,
    #[ts(optional)]
    pub status: Option<ApplicationStatus>,
    /// Applications this organisation leads or takes part in.
    #[ts(optional)]
    pub partner_id: Option<Uuid>,
    /// Applications this person is the principal investigator of.
    #[ts(optional)]
    pub pi_id: Option<Uuid>,
    /// Applications with an organisation (the lead or a partner) in this zone.
    #[ts(optional)]
    pub zone: Option<Zone>,
    /// Without one: latest call first, each call in rank order (with a search, by relevance).
    #[ts(optional)]
    pub sort: Option<ApplicationSort>,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ApplicationRow>,
}

/// Live applications matching the filters, each with its kept assessment, in the order asked. One whose
/// call has not arrived by sync yet (none can be saved without one) is listed once it has.
pub fn list(conn: &Connection, q: &ApplicationQuery) -> Result<ApplicationPage> {
    let listing = listing(conn, q)?;
    let (sql, args) = listing.page(q.limit, q.offset);
    Ok(ApplicationPage { total: listing.total, offset: q.offset, rows: query_rows(conn, &sql, &args)? })
}

/// The whole list of [`list`] as one statement (its `offset` and `limit` aside).
pub fn listing(conn: &Connection, q: &ApplicationQuery) -> Result<Listing> {
    let mut conditions = vec!["a.deleted = 0 AND a.call_id IS NOT NULL".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let mut with = String::new();
    let mut from = "application a".to_owned();
    let (sort, dir) = store::sort_or(q.sort, q.descending, ApplicationSort::Call);
    // The calls' rankings: each call by deadline, then each application's place in its call.
    let calls = |dir: &str| {
        format!("c.deadline_at IS NULL, unixepoch(c.deadline_at) {dir}, a.call_id, s.position IS NULL, s.position")
    };
    let ranking = calls("DESC");
    let mut order = match sort {
        ApplicationSort::Call => format!("{}, a.id", calls(dir)),
        ApplicationSort::Reference => format!("a.reference IS NULL, fold(a.reference) {dir}, a.id"),
        ApplicationSort::Title => format!("fold(a.title) {dir}, a.id"),
        ApplicationSort::Lead => format!("p.name IS NULL, fold(p.name) {dir}, {ranking}, a.id"),
        ApplicationSort::Status => {
            format!("{} {dir}, {ranking}, a.id", ApplicationStatus::order_sql("a.status"))
        }
        ApplicationSort::Requested => format!("a.requested IS NULL, a.requested {dir}, {ranking}, a.id"),
        ApplicationSort::Score => format!("s.score IS NULL, s.score {dir}, {ranking}, a.id"),
    };
    if let Some(m) = index::matches(conn, q.search.as_deref(), "application", "application", "a")? {
        (with, from) = (m.with, m.from);
        args.extend(m.args);
        conditions.push(m.condition);
        order = format!("hits.rank, {order}");
    }
    if let Some(c) = q.call_id {
        conditions.push("a.call_id = ?".into());
        args.push(optional_id(Some(c)));
    }
    if let Some(status) = q.status {
        conditions.push("a.status = ?".into());
        args.push(Value::Text(status.as_str().into()));
    }
    if let Some(p) = q.partner_id {
        conditions.push(
            "(a.lead_id = ? OR a.id IN (SELECT application_id FROM application_partner WHERE partner_id = ? AND deleted = 0))"
                .into(),
        );
        args.push(optional_id(Some(p)));
        args.push(optional_id(Some(p)));
    }
    if let Some(pi) = q.pi_id {
        conditions.push("a.pi_id = ?".into());
        args.push(optional_id(Some(pi)));
    }
    if let Some(zone) = q.zone {
        // The zones its assessment found among its organisations, as the dashboard counts them.
        conditions.push(
            "a.id IN (SELECT application_id FROM application_assessment WHERE ' ' || zones || ' ' LIKE ?)"
                .into(),
        );
        args.push(Value::Text(format!("% {} %", zone.as_str())));
    }
    let where_sql = conditions.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("{with}SELECT count(*) FROM {from} WHERE {where_sql}"),
        rusqlite::params_from_iter(&args),
        |r| r.get(0),
    )?;
    Ok(Listing { sql: rows_sql(&with, &from, &where_sql, &order), args, total })
}

/// Applications (`a` in `from`, with `where_sql` and its arguments) and their kept assessments, in `order`.
fn rows_from(
    conn: &Connection,
    with: &str,
    from: &str,
    where_sql: &str,
    args: Vec<Value>,
    order: &str,
) -> Result<Vec<ApplicationRow>> {
    query_rows(conn, &rows_sql(with, from, where_sql, order), &args)
}

/// The statement of [`rows_from`].
fn rows_sql(with: &str, from: &str, where_sql: &str, order: &str) -> String {
    format!(
        "{with}SELECT a.id, a.call_id, a.reference, a.acronym, a.title, p.name, a.status, s.eligible, s.failed,
                s.score, s.below_threshold, s.rank, a.requested, c.currency, len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang
         FROM {from}
         LEFT JOIN application_assessment s ON s.application_id = a.id
         LEFT JOIN partner_summary p ON p.id = a.lead_id
         LEFT JOIN partner_label len ON len.partner_id = a.lead_id AND len.ui = 'en'
         LEFT JOIN partner_label lfr ON lfr.partner_id = a.lead_id AND lfr.ui = 'fr'
         LEFT JOIN call c ON c.id = a.call_id
         WHERE {where_sql} ORDER BY {order}"
    )
}

fn query_rows(conn: &Connection, sql: &str, args: &[Value]) -> Result<Vec<ApplicationRow>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        let failed: Option<String> = r.get(8)?;
        Ok(ApplicationRow {
            id: r.get(0)?,
            call_id: r.get(1)?,
            reference: r.get(2)?,
            acronym: r.get(3)?,
            title: r.get(4)?,
            lead_name: r.get(5)?,
            lead_labels: labels_at(r, 14)?,
            status: ApplicationStatus::from_stored(&r.get::<_, String>(6)?),
            eligible: r.get::<_, Option<bool>>(7)?.unwrap_or(false),
            ineligible_because: failed.and_then(|f| serde_json::from_str(&f).ok()).unwrap_or_default(),
            score: r.get(9)?,
            below_threshold: r.get::<_, Option<bool>>(10)?.unwrap_or(false),
            rank: r.get(11)?,
            requested: r.get(12)?,
            currency: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
