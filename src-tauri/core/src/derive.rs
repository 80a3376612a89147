//! Derived rows in one place: list rows, search rows, exchange counts and kept assessments, each computed
//! from the synced tables. A write, a replay, an import or a sync batch only notes the rows it touched (the
//! op log does, in the [`Tx`]); [`settle`] then refreshes what they make stale, each record, count group and
//! call once, whatever the number of rows written. A new kind of record gets one line in [`REGISTRY`].

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::oplog::table_spec;
use crate::records::{agreement, application, call, contact, event, exchange, partner, project};
use crate::store::Tx;

/// The values a record's changed columns had before the change.
type Old = BTreeMap<&'static str, Value>;

/// Rebuilds the derived rows of records of one kind.
type Refresh = fn(&Connection, &[Uuid]) -> Result<()>;

/// Adds what changes to records of one kind make stale, given each record's [`Old`] values.
type Reaches = fn(&Connection, &[(Uuid, &Old)], &mut Stale) -> Result<()>;

/// A record's own derived rows and what else its change makes stale. Both take every record of the kind
/// that the transaction touched at once: a sync or bulk write settles tens of thousands, and a statement per
/// record cost more than the rows it wrote.
struct Derivation {
    /// The record's table (a synced table with no owner).
    table: &'static str,
    /// Rebuilds the records' own derived rows (list row, search row), or removes them once deleted.
    refresh: Option<Refresh>,
    /// Adds what else the changes make stale, given the values each record's changed columns had before.
    reaches: Reaches,
}

/// Every record with derived rows, in refresh order: a record's list row may show another's name, so
/// partners come first.
const REGISTRY: &[Derivation] = &[
    Derivation {
        table: "partner",
        refresh: Some(|c, ids| each(c, ids, partner::refresh)),
        reaches: partner_reaches,
    },
    Derivation { table: "contact", refresh: Some(contact::refresh), reaches: reaches_nothing },
    Derivation {
        table: "agreement",
        refresh: Some(|c, ids| each(c, ids, agreement::refresh)),
        reaches: reaches_nothing,
    },
    Derivation { table: "call", refresh: Some(|c, ids| each(c, ids, call::refresh)), reaches: call_reaches },
    Derivation {
        table: "application",
        refresh: Some(|c, ids| each(c, ids, application::refresh)),
        reaches: application_reaches,
    },
    Derivation {
        table: "project",
        refresh: Some(|c, ids| each(c, ids, project::refresh)),
        reaches: reaches_nothing,
    },
    Derivation {
        table: "event",
        refresh: Some(|c, ids| each(c, ids, event::refresh)),
        reaches: reaches_nothing,
    },
    Derivation { table: "exchange", refresh: None, reaches: exchange_reaches },
];

/// A refresh record by record, for the kinds a workspace holds hundreds of.
fn each(conn: &Connection, ids: &[Uuid], refresh: fn(&Connection, Uuid) -> Result<()>) -> Result<()> {
    ids.iter().try_for_each(|id| refresh(conn, *id))
}

/// What a transaction's writes made stale, each once.
#[derive(Default)]
struct Stale {
    /// (position in [`REGISTRY`], record id).
    records: BTreeSet<(usize, Uuid)>,
    /// Exchange count groups: (partner, academic year or 0).
    exchange_groups: BTreeSet<(Uuid, i64)>,
    /// Calls whose applications' kept assessments must be recomputed.
    calls: BTreeSet<Uuid>,
}

fn reaches_nothing(_: &Connection, _: &[(Uuid, &Old)], _: &mut Stale) -> Result<()> {
    Ok(())
}

/// A partner's name shows in its contacts' and agreements' list rows; its country and zone decide the
/// eligibility of the applications it leads or joins.
fn partner_reaches(conn: &Connection, changed: &[(Uuid, &Old)], stale: &mut Stale) -> Result<()> {
    let contact = position("contact")?;
    let agreement = position("agreement")?;
    for (id, _) in changed {
        stale.records.extend(contact::of_partner(conn, *id)?.into_iter().map(|c| (contact, c)));
        stale.records.extend(agreement::of_partner(conn, *id)?.into_iter().map(|a| (agreement, a)));
        stale.calls.extend(application::calls_with_partner(conn, *id)?);
    }
    Ok(())
}

/// A call's rules and criteria assess its applications.
fn call_reaches(_: &Connection, changed: &[(Uuid, &Old)], stale: &mut Stale) -> Result<()> {
    stale.calls.extend(changed.iter().map(|(id, _)| *id));
    Ok(())
}

/// An application counts in the call it is filed under and in the one it moved to.
fn application_reaches(conn: &Connection, changed: &[(Uuid, &Old)], stale: &mut Stale) -> Result<()> {
    for (id, _) in changed {
        stale.calls.extend(application::calls_of(conn, *id)?);
    }
    Ok(())
}

/// An exchange counts in its group before and after the change.
fn exchange_reaches(conn: &Connection, changed: &[(Uuid, &Old)], stale: &mut Stale) -> Result<()> {
    stale.exchange_groups.extend(exchange::groups(conn, changed)?);
    Ok(())
}

fn position(table: &str) -> Result<usize> {
    REGISTRY
        .iter()
        .position(|d| d.table == table)
        .ok_or_else(|| Error::Corrupt(format!("no derived rows registered for {table}")))
}

/// Refreshes the derived rows of everything the transaction touched since it last settled: each record
/// once, then the exchange count groups, then the calls' kept assessments.
pub fn settle(tx: &Tx) -> Result<()> {
    let touched = tx.take_touched();
    // The records the rows belong to (a partner's name row belongs to the partner), with the values their
    // own columns had before.
    let mut records: BTreeMap<(usize, Uuid), Old> = BTreeMap::new();
    for (table, id, old) in touched.rows() {
        let spec = table_spec(table).ok_or_else(|| Error::Corrupt(format!("touched row of {table}")))?;
        let (record, record_id, old) = match spec.owner {
            None => (table, id, old.clone()),
            Some((owner_column, owner_table)) => {
                let owner = match old.get(owner_column) {
                    Some(Value::Blob(b)) => Uuid::from_slice(b).ok(),
                    _ => None,
                };
                // The owner before and after (a row hardly ever changes owner, but both are then stale).
                let now: Option<Uuid> = tx
                    .prepare_cached(&format!("SELECT {owner_column} FROM {table} WHERE id = ?1"))?
                    .query_row(params![id], |r| r.get(0))
                    .optional()?
                    .flatten();
                if let Some(before) = owner.filter(|b| Some(*b) != now) {
                    if let Some(p) = REGISTRY.iter().position(|d| d.table == owner_table) {
                        records.entry((p, before)).or_default();
                    }
                }
                let Some(now) = now else { continue };
                (owner_table, now, BTreeMap::new())
            }
        };
        if let Some(p) = REGISTRY.iter().position(|d| d.table == record) {
            let kept = records.entry((p, record_id)).or_default();
            for (column, value) in old {
                kept.entry(column).or_insert(value);
            }
        }
    }
    let mut stale = Stale::default();
    for (p, derivation) in REGISTRY.iter().enumerate() {
        let changed: Vec<(Uuid, &Old)> =
            records.range((p, Uuid::nil())..=(p, Uuid::max())).map(|((_, id), old)| (*id, old)).collect();
        if !changed.is_empty() {
            stale.records.extend(changed.iter().map(|(id, _)| (p, *id)));
            (derivation.reaches)(tx, &changed, &mut stale)?;
        }
    }
    for (p, derivation) in REGISTRY.iter().enumerate() {
        let Some(refresh) = derivation.refresh else { continue };
        let ids: Vec<Uuid> =
            stale.records.range((p, Uuid::nil())..=(p, Uuid::max())).map(|(_, id)| *id).collect();
        if !ids.is_empty() {
            refresh(tx, &ids)?;
        }
    }
    exchange::recount(tx, stale.exchange_groups)?;
    for call in stale.calls {
        application::reassess(tx, call)?;
    }
    Ok(())
}

/// Fills a derived table from scratch: for the migration that adds it (see `store::Backfill`).
pub fn backfill(conn: &Connection, table: &'static str) -> Result<()> {
    match table {
        "application_assessment" => application::reassess_all(conn),
        "partner_label" => partner::relabel_all(conn),
        other => Err(Error::Corrupt(format!("no backfill for the derived table {other}"))),
    }
}
