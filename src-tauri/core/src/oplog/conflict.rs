//! Conflicts, computed from the ops alone, so every replica holding the same ops lists the same ones. An op
//! names the row's latest ops its writer held (`prev`); what an op names, and what those named, it has seen.
//! A field is in conflict when two or more different values were written without seeing each other: the latest by
//! (clock, origin) is shown (last writer wins), the others are kept and listed until someone writes the
//! field again, which supersedes them all. An edit made without seeing the row's deletion is a conflict
//! too, until the deletion is confirmed or the row restored.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use super::{decode_patch, json_of, row_as_patch, table_by_code, table_spec, Mutation};
use crate::clock::{Clock, Hlc};
use crate::error::{Error, Result};
use crate::store::Tx;

/// An op of a row as stored: clock, origin number and id, seq, table code, patch, first prev.
type StoredOp = (i64, i64, Uuid, i64, i64, Option<Vec<u8>>, Option<i64>, Option<i64>);

/// An op of a row as conflicts see it.
struct RowOp {
    hlc: i64,
    origin: i64,
    origin_id: Uuid,
    seq: i64,
    prev: Vec<(i64, i64)>,
    columns: BTreeMap<&'static str, Value>,
}

type Key = (i64, i64);

/// The code of the erasure tombstones' table (see `super::SYNCED_TABLES`).
const ERASURE_CODE: u8 = 24;

/// The row's latest ops: those no other op of the row names as seen, latest first.
pub(crate) fn frontier(conn: &Connection, row: Uuid) -> Result<Vec<Key>> {
    let ops = row_ops(conn, row)?;
    let named: BTreeSet<Key> = ops.iter().flat_map(|o| o.prev.iter().copied()).collect();
    let mut latest: Vec<&RowOp> = ops.iter().filter(|o| !named.contains(&(o.hlc, o.origin))).collect();
    latest.sort_by_key(|o| std::cmp::Reverse((o.hlc, o.origin_id, o.seq)));
    Ok(latest.into_iter().map(|o| (o.hlc, o.origin)).collect())
}

/// Stores the ops beyond the first that an op names as seen.
pub(crate) fn keep_more_prev(conn: &Connection, origin: i64, seq: i64, more: &[Key]) -> Result<()> {
    for (hlc, prev_origin) in more {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO op_prev (origin, seq, prev_hlc, prev_origin) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![origin, seq, hlc, prev_origin])?;
    }
    Ok(())
}

/// Every op an op names as seen, latest first: the one stored with it and the others.
pub(crate) fn prevs(
    conn: &Connection,
    origin: i64,
    seq: i64,
    first: Option<(i64, Uuid)>,
) -> Result<Vec<(i64, Uuid)>> {
    let mut out: Vec<(i64, Uuid)> = first.into_iter().collect();
    let mut stmt = conn.prepare_cached(
        "SELECT x.prev_hlc, r.id FROM op_prev x JOIN replica r ON r.num = x.prev_origin
         WHERE x.origin = ?1 AND x.seq = ?2",
    )?;
    for row in stmt.query_map(params![origin, seq], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Uuid>(1)?)))? {
        out.push(row?);
    }
    out.sort_by(|a, b| b.cmp(a));
    Ok(out)
}

fn row_ops(conn: &Connection, row: Uuid) -> Result<Vec<RowOp>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.hlc, o.origin, r.id, o.seq, o.tbl, o.patch, o.prev_hlc, o.prev_origin
         FROM op o INDEXED BY op_row JOIN replica r ON r.num = o.origin WHERE o.row_id = ?1 AND o.tbl <> ?2",
    )?;
    let raw: Vec<StoredOp> = stmt
        // An erasure's tombstone shares its record's id but is not one of the record's writes.
        .query_map(params![row, ERASURE_CODE], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut more =
        conn.prepare_cached("SELECT prev_hlc, prev_origin FROM op_prev WHERE origin = ?1 AND seq = ?2")?;
    let mut ops = Vec::with_capacity(raw.len());
    for (hlc, origin, origin_id, seq, tbl, patch, prev_hlc, prev_origin) in raw {
        let spec = table_by_code(tbl)?;
        let columns = match patch {
            Some(bytes) => decode_patch(spec, &bytes)?,
            None => row_as_patch(conn, spec, row)?,
        };
        let mut prev: Vec<Key> = prev_hlc.zip(prev_origin).into_iter().collect();
        for p in more.query_map(params![origin, seq], |r| Ok((r.get(0)?, r.get(1)?)))? {
            prev.push(p?);
        }
        ops.push(RowOp { hlc, origin, origin_id, seq, prev, columns: columns.into_iter().collect() });
    }
    Ok(ops)
}

/// A conflict as computed: the column, the op shown and the op kept beside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    column: &'static str,
    winner: Key,
    loser: Key,
}

/// The conflicts of one row, from its ops.
fn compute(ops: &[RowOp]) -> Vec<Found> {
    if ops.len() < 2 {
        return Vec::new();
    }
    let index: HashMap<Key, usize> = ops.iter().enumerate().map(|(i, o)| ((o.hlc, o.origin), i)).collect();
    // What each op has seen, transitively (rows have few ops: a depth-first walk each).
    let seen: Vec<BTreeSet<usize>> = (0..ops.len())
        .map(|start| {
            let mut out = BTreeSet::new();
            let mut stack: Vec<usize> =
                ops[start].prev.iter().filter_map(|k| index.get(k).copied()).collect();
            while let Some(i) = stack.pop() {
                if out.insert(i) {
                    stack.extend(ops[i].prev.iter().filter_map(|k| index.get(k).copied()));
                }
            }
            out
        })
        .collect();
    let order = |i: usize| (ops[i].hlc, ops[i].origin_id, ops[i].seq);
    let mut found = Vec::new();
    let columns: BTreeSet<&'static str> = ops.iter().flat_map(|o| o.columns.keys().copied()).collect();
    let mut deleted_winner: Option<usize> = None;
    for column in columns {
        let writers: Vec<usize> = (0..ops.len()).filter(|i| ops[*i].columns.contains_key(column)).collect();
        let standing: Vec<usize> = writers
            .iter()
            .copied()
            .filter(|x| !writers.iter().any(|y| y != x && seen[*y].contains(x)))
            .collect();
        let Some(winner) = standing.iter().copied().max_by_key(|i| order(*i)) else { continue };
        if column == "deleted" {
            deleted_winner = Some(winner);
        }
        // The same value written twice is agreement, not a conflict.
        let shown = ops[winner].columns.get(column);
        for loser in standing.iter().copied().filter(|i| *i != winner && ops[*i].columns.get(column) != shown)
        {
            found.push(Found {
                column,
                winner: (ops[winner].hlc, ops[winner].origin),
                loser: (ops[loser].hlc, ops[loser].origin),
            });
        }
    }
    if let Some(d) = deleted_winner.filter(|d| ops[*d].columns.get("deleted") == Some(&Value::Integer(1))) {
        for e in 0..ops.len() {
            let edits = ops[e].columns.keys().any(|c| *c != "deleted");
            if e != d && edits && !seen[d].contains(&e) && !seen[e].contains(&d) {
                found.push(Found {
                    column: "deleted",
                    winner: (ops[d].hlc, ops[d].origin),
                    loser: (ops[e].hlc, ops[e].origin),
                });
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Whether the row has open conflicts.
pub(crate) fn open_on(conn: &Connection, row: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM conflict WHERE row_id = ?1")?.exists(params![row])?)
}

/// Recomputes the conflicts of a row whose ops changed.
pub(crate) fn settle_row(conn: &Connection, row: Uuid) -> Result<()> {
    let ops = row_ops(conn, row)?;
    let had = conn.prepare_cached("SELECT 1 FROM conflict WHERE row_id = ?1")?.exists(params![row])?;
    let found = compute(&ops);
    if !had && found.is_empty() {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM conflict WHERE row_id = ?1")?.execute(params![row])?;
    let tbl: Option<i64> = conn
        .prepare_cached("SELECT tbl FROM op INDEXED BY op_row WHERE row_id = ?1 AND tbl <> ?2 LIMIT 1")?
        .query_row(params![row, ERASURE_CODE], |r| r.get(0))
        .optional()?;
    let Some(tbl) = tbl else { return Ok(()) };
    for f in found {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO conflict (row_id, tbl, col, winner_hlc, winner_origin, loser_hlc, loser_origin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![row, tbl, f.column, f.winner.0, f.winner.1, f.loser.0, f.loser.1])?;
    }
    Ok(())
}

/// One side of a conflict: the value, who wrote it and when.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Side {
    #[ts(type = "unknown")]
    pub value: serde_json::Value,
    pub origin: Uuid,
    pub author: String,
    /// RFC 3339, as the author's clock read it.
    pub at: String,
}

/// An open conflict.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Conflict {
    /// A short stable id (12 hex digits), the same on every replica.
    pub id: String,
    /// The record the conflicting row belongs to, and its table.
    pub record_table: String,
    pub record_id: Uuid,
    /// The row and column in conflict (`deleted` for an edit against a deletion).
    pub table: String,
    pub row_id: Uuid,
    pub field: String,
    /// True for an edit made without seeing the row's deletion.
    pub edit_against_delete: bool,
    /// The value shown (the last writer's).
    pub winner: Side,
    /// The value kept beside it.
    pub loser: Side,
}

fn conflict_id(row: Uuid, column: &str, loser_hlc: i64, loser_origin: Uuid) -> String {
    let mut sha = Sha256::new();
    sha.update(row.as_bytes());
    sha.update(column.as_bytes());
    sha.update(loser_hlc.to_le_bytes());
    sha.update(loser_origin.as_bytes());
    sha.finalize()[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Every open conflict, oldest loser first.
pub fn list(conn: &Connection) -> Result<Vec<Conflict>> {
    let raw: Vec<(Uuid, i64, String, i64, i64, i64, i64)> = {
        let mut stmt = conn.prepare(
            "SELECT row_id, tbl, col, winner_hlc, winner_origin, loser_hlc, loser_origin FROM conflict
             ORDER BY loser_hlc, row_id, col",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let names: HashMap<i64, (Uuid, String)> = {
        let mut stmt = conn.prepare(
            "SELECT r.num, r.id, coalesce(nullif(ro.name, ''), r.name) FROM replica r LEFT JOIN roster ro ON ro.id = r.id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get::<_, Uuid>(1)?, r.get::<_, String>(2)?))))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut out: Vec<(i64, Conflict)> = Vec::with_capacity(raw.len());
    for (row, tbl, col, whlc, worigin, lhlc, lorigin) in raw {
        let spec = table_by_code(tbl)?;
        let ops = row_ops(conn, row)?;
        let side = |hlc: i64, origin: i64, column: &str| -> Side {
            let op = ops.iter().find(|o| o.hlc == hlc && o.origin == origin);
            let value =
                op.and_then(|o| o.columns.get(column)).map(json_of).unwrap_or(serde_json::Value::Null);
            let (id, author) = names.get(&origin).cloned().unwrap_or((Uuid::nil(), String::new()));
            let at = chrono::DateTime::from_timestamp_millis(Hlc::unpack(hlc).ms)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default();
            Side { value, origin: id, author, at }
        };
        let edit_against_delete = col == "deleted"
            && ops
                .iter()
                .find(|o| o.hlc == lhlc && o.origin == lorigin)
                .is_some_and(|o| !o.columns.contains_key("deleted"));
        let winner = side(whlc, worigin, &col);
        let loser = if edit_against_delete {
            let mut s = side(lhlc, lorigin, &col);
            s.value = serde_json::json!("edited");
            s
        } else {
            side(lhlc, lorigin, &col)
        };
        let (record_table, record_id) = match spec.owner {
            None => (spec.name.to_owned(), row),
            Some((owner_column, owner_table)) => {
                let owner: Option<Uuid> = conn
                    .prepare_cached(&format!("SELECT {owner_column} FROM {} WHERE id = ?1", spec.name))?
                    .query_row(params![row], |r| r.get(0))
                    .optional()?
                    .flatten();
                (owner_table.to_owned(), owner.unwrap_or(row))
            }
        };
        out.push((
            lhlc,
            Conflict {
                id: conflict_id(row, &col, lhlc, loser.origin),
                record_table,
                record_id,
                table: spec.name.to_owned(),
                row_id: row,
                field: col,
                edit_against_delete,
                winner,
                loser,
            },
        ));
    }
    // In the same order on every replica: local origin numbers differ between replicas, ids do not.
    out.sort_by(|(a_hlc, a), (b_hlc, b)| {
        (a_hlc, a.row_id, &a.field, a.loser.origin).cmp(&(b_hlc, b.row_id, &b.field, b.loser.origin))
    });
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// How a person settles a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// The value shown (for an edit against a deletion: leave it deleted).
    Winner,
    /// The value kept beside it (for an edit against a deletion: restore the row).
    Loser,
    /// A new value (JSON, as `show --json` prints the field).
    Value(serde_json::Value),
}

/// Settles a conflict by writing the chosen value as a new op above both: on every replica it reaches,
/// the conflict is gone. `id` may be a prefix of the conflict's id.
pub fn resolve(tx: &Tx, clock: &dyn Clock, id: &str, resolution: Resolution) -> Result<Conflict> {
    let wanted = id.trim().to_lowercase();
    let all = list(tx)?;
    let matching: Vec<&Conflict> =
        all.iter().filter(|c| !wanted.is_empty() && c.id.starts_with(&wanted)).collect();
    let conflict = match matching.as_slice() {
        [one] => (*one).clone(),
        [] => return Err(Error::NotFound { entity: "conflict", id: id.to_owned() }),
        _ => return Err(Error::Conflict(format!("several conflicts' ids start with {id}: give more of it"))),
    };
    let spec =
        table_spec(&conflict.table).ok_or_else(|| Error::Corrupt(format!("table {}", conflict.table)))?;
    let column = spec
        .columns
        .iter()
        .copied()
        .find(|c| *c == conflict.field)
        .ok_or_else(|| Error::Corrupt(format!("column {}", conflict.field)))?;
    let value = match (&resolution, conflict.edit_against_delete) {
        (Resolution::Winner, true) => Value::Integer(1),
        (Resolution::Loser, true) => Value::Integer(0),
        (Resolution::Winner, false) => sql_of(&conflict.winner.value, column),
        (Resolution::Loser, false) => sql_of(&conflict.loser.value, column),
        (Resolution::Value(v), _) => sql_of(v, column),
    };
    let mut mutation = Mutation::begin(tx, clock)?;
    mutation.rewrite(spec.name, conflict.row_id, &[(column, value)])?;
    Ok(conflict)
}

/// A field's JSON value as stored: ids (columns ending `_id`) as 16-byte blobs, numbers, text, null.
fn sql_of(value: &serde_json::Value, column: &str) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or_default()),
        },
        serde_json::Value::String(s) if column.ends_with("_id") || column == "public_key" => {
            match Uuid::parse_str(s) {
                Ok(id) => Value::Blob(id.as_bytes().to_vec()),
                Err(_) => Value::Text(s.clone()),
            }
        }
        serde_json::Value::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(hlc: i64, origin: i64, prev: &[Key], columns: &[(&'static str, i64)]) -> RowOp {
        RowOp {
            hlc,
            origin,
            origin_id: Uuid::from_u128(origin as u128),
            seq: hlc,
            prev: prev.to_vec(),
            columns: columns.iter().map(|(c, v)| (*c, Value::Integer(*v))).collect(),
        }
    }

    #[test]
    fn two_writes_that_did_not_see_each_other_conflict_and_a_write_that_saw_both_settles_it() {
        let insert = op(1, 1, &[], &[("places", 1)]);
        let lyon = op(2, 1, &[(1, 1)], &[("places", 2)]);
        let shanghai = op(3, 2, &[(1, 1)], &[("places", 3)]);
        let found = compute(&[insert, lyon, shanghai]);
        assert_eq!(found, vec![Found { column: "places", winner: (3, 2), loser: (2, 1) }]);

        let insert = op(1, 1, &[], &[("places", 1)]);
        let lyon = op(2, 1, &[(1, 1)], &[("places", 2)]);
        let shanghai = op(3, 2, &[(1, 1)], &[("places", 3)]);
        let other_field = op(4, 3, &[(2, 1), (3, 2)], &[("months", 5)]);
        assert_eq!(
            compute(&[insert, lyon, shanghai, other_field]).len(),
            1,
            "writing another field settles nothing"
        );

        let insert = op(1, 1, &[], &[("places", 1)]);
        let lyon = op(2, 1, &[(1, 1)], &[("places", 2)]);
        let shanghai = op(3, 2, &[(1, 1)], &[("places", 3)]);
        let settle = op(4, 3, &[(2, 1), (3, 2)], &[("places", 4)]);
        assert!(compute(&[insert, lyon, shanghai, settle]).is_empty());
    }

    #[test]
    fn writes_in_sequence_and_writes_to_different_fields_do_not_conflict() {
        let ops = [
            op(1, 1, &[], &[("places", 1), ("months", 1)]),
            op(2, 2, &[(1, 1)], &[("places", 2)]),
            op(3, 1, &[(1, 1)], &[("months", 3)]),
            op(4, 1, &[(2, 2), (3, 1)], &[("places", 5)]),
        ];
        assert!(compute(&ops).is_empty());
    }

    #[test]
    fn an_edit_that_did_not_see_the_deletion_conflicts_until_the_deletion_is_confirmed_or_undone() {
        let base = || {
            [
                op(1, 1, &[], &[("places", 1)]),
                op(2, 1, &[(1, 1)], &[("deleted", 1)]),
                op(3, 2, &[(1, 1)], &[("places", 9)]),
            ]
        };
        let found = compute(&base());
        assert_eq!(found, vec![Found { column: "deleted", winner: (2, 1), loser: (3, 2) }]);
        let mut confirmed = base().into_iter().collect::<Vec<_>>();
        confirmed.push(op(4, 1, &[(2, 1), (3, 2)], &[("deleted", 1)]));
        assert!(compute(&confirmed).is_empty());
        let mut restored = base().into_iter().collect::<Vec<_>>();
        restored.push(op(4, 1, &[(2, 1), (3, 2)], &[("deleted", 0)]));
        assert!(compute(&restored).is_empty());
    }
}
