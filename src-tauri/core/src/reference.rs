//! What points to a record: every reference column of the synced tables, so that deleting a record others
//! point to can say first what points to it ("3 exchanges, 1 agreement").

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;

/// Each reference: the table holding it, its column, and the record kind it counts as. Rows of a record's
/// own parts (an agreement's parties) count as that record, through `owner`.
const REFERENCES: &[(&str, &str, &str, Option<&str>)] = &[
    ("partner", "parent_id", "partner", None),
    ("affiliation", "partner_id", "contact", Some("contact_id")),
    ("agreement", "parent_id", "agreement", None),
    ("agreement_party", "partner_id", "agreement", Some("agreement_id")),
    ("agreement_party", "unit_id", "agreement", Some("agreement_id")),
    ("agreement_party", "signatory_id", "agreement", Some("agreement_id")),
    ("exchange", "person_id", "exchange", None),
    ("exchange", "home_id", "exchange", None),
    ("exchange", "host_id", "exchange", None),
    ("exchange", "unit_id", "exchange", None),
    ("exchange", "agreement_id", "exchange", None),
    ("call", "funder_id", "call", None),
    ("application", "call_id", "application", None),
    ("application", "lead_id", "application", None),
    ("application", "pi_id", "application", None),
    ("application_partner", "partner_id", "application", Some("application_id")),
    ("review", "reviewer_id", "application", Some("application_id")),
    ("project_link", "target_id", "project", Some("project_id")),
    ("event", "project_id", "event", None),
    ("event_organiser", "partner_id", "event", Some("event_id")),
];

/// The kinds of record a document can be attached to, and that `kind_of` recognises.
const RECORDS: &[&str] =
    &["partner", "contact", "agreement", "exchange", "project", "event", "call", "application"];

/// Which kind of record `id` is (`partner`, `agreement`…), deleted ones included; `None` if unknown here.
pub fn kind_of(conn: &Connection, id: Uuid) -> Result<Option<&'static str>> {
    for table in RECORDS {
        if conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?.exists(params![id])? {
            return Ok(Some(table));
        }
    }
    Ok(None)
}

/// How many live records of one kind point to a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dependants {
    /// `partner`, `contact`, `agreement`, `exchange`, `call`, `application`, `project` or `event`.
    pub entity: String,
    pub count: u32,
}

/// The live records that point to `id`, by kind (kinds with none are left out).
pub fn dependants(conn: &Connection, id: Uuid) -> Result<Vec<Dependants>> {
    let mut out: Vec<Dependants> = Vec::new();
    for entity in ["partner", "contact", "agreement", "exchange", "call", "application", "project", "event"] {
        let mut parts = Vec::new();
        for (table, column, counted_as, owner) in REFERENCES.iter().filter(|r| r.2 == entity) {
            parts.push(match owner {
                None => format!("SELECT id FROM {table} WHERE {column} = ?1 AND deleted = 0"),
                Some(owner) => format!(
                    "SELECT x.{owner} AS id FROM {table} x JOIN {counted_as} o ON o.id = x.{owner} AND o.deleted = 0
                     WHERE x.{column} = ?1 AND x.deleted = 0"
                ),
            });
        }
        let sql = format!("SELECT count(DISTINCT id) FROM ({})", parts.join(" UNION ALL "));
        let count: u32 = conn.prepare_cached(&sql)?.query_row(params![id], |r| r.get(0))?;
        if count > 0 {
            out.push(Dependants { entity: entity.to_owned(), count });
        }
    }
    Ok(out)
}

/// "3 exchanges, 1 agreement".
pub fn describe(dependants: &[Dependants]) -> String {
    dependants
        .iter()
        .map(|d| format!("{} {}{}", d.count, d.entity, if d.count == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}
