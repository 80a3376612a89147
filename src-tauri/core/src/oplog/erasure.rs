//! Erasure (GDPR Art. 17): a person's record, and the rows it owns, blanked everywhere: in the tables, in
//! their history and in their ops. A tombstone (table `erasure`, the record's kind and nothing else) travels
//! like any op; once a replica holds it, every op of those rows, later or older, from any file, is kept
//! without its values and never applied, so nothing can bring the values back. A blank op keeps the hash of
//! its original wire form, which its origin signed: it still travels and checks.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::wire::{hash_op, to_wire, WireOp, WireValue};
use super::{
    decode_named, encode_named, encode_patch, op_of, raw_op, table_spec, Mutation, Op, TableSpec,
    ROW_OP_COLUMNS,
};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::store::Tx;

/// The records that can be erased (people), with the rows each owns: (table, column naming the owner).
pub const ERASABLE: &[(&str, &[(&str, &str)])] = &[("contact", &[("affiliation", "contact_id")])];

/// Erases a record: writes its tombstone and blanks it. Refused for a record that cannot hold a person, and
/// for one already erased.
pub fn erase(tx: &Tx, clock: &dyn Clock, table: &str, id: Uuid) -> Result<()> {
    let Some((table, _)) = ERASABLE.iter().find(|(t, _)| *t == table) else {
        return Err(Error::Conflict(format!("a {table} holds no person: nothing to erase")));
    };
    if is_erased(tx, id)? {
        return Err(Error::Conflict("this person has already been erased".into()));
    }
    let exists = tx.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?.exists(params![id])?;
    if !exists {
        return Err(Error::NotFound { entity: table, id: id.to_string() });
    }
    let mut mutation = Mutation::begin(tx, clock)?;
    mutation.insert("erasure", id, &[("record", Value::Text((*table).to_owned()))])?;
    absorb(tx, id)
}

/// Whether a record has been erased (its tombstone is held).
pub fn is_erased(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM erasure WHERE id = ?1")?.exists(params![id])?)
}

/// The owner column of a table whose rows an erasable record owns.
fn owner_column(table: &str) -> Option<&'static str> {
    ERASABLE.iter().flat_map(|(_, children)| children.iter()).find(|(t, _)| *t == table).map(|(_, c)| *c)
}

/// Whether an op's row belongs to an erased record: the record itself, or a row it owns (by the owner named
/// in the op, or in the row).
pub fn covers(conn: &Connection, table: &str, row: Uuid, patch: &[(String, Value)]) -> Result<bool> {
    if table == "erasure" {
        return Ok(false);
    }
    if is_erased(conn, row)? {
        return Ok(true);
    }
    let Some(owner_column) = owner_column(table) else { return Ok(false) };
    let named = patch.iter().find(|(c, _)| c == owner_column).and_then(|(_, v)| match v {
        Value::Blob(b) => Uuid::from_slice(b).ok(),
        _ => None,
    });
    let owner = match named {
        Some(owner) => Some(owner),
        None => conn
            .prepare_cached(&format!("SELECT {owner_column} FROM {table} WHERE id = ?1"))?
            .query_row(params![row], |r| r.get::<_, Option<Uuid>>(0))
            .optional()?
            .flatten(),
    };
    match owner {
        Some(owner) => is_erased(conn, owner),
        None => Ok(false),
    }
}

/// An erased row's values as kept: every column but `deleted` and the owner link becomes NULL.
fn blank_value(table: &str, column: &str, value: &Value) -> Value {
    if column == "deleted" || Some(column) == owner_column(table) {
        value.clone()
    } else {
        Value::Null
    }
}

/// Blanks the values of an op of an erased row (see [`blank_value`]).
pub(crate) fn blank(op: &mut Op) {
    for (column, value) in &mut op.patch {
        *value = blank_value(&op.table, column, value);
    }
}

fn blank_wire(op: &mut WireOp) {
    let table = op.table.clone();
    for (column, value) in &mut op.patch {
        if column != "deleted" && Some(column.as_str()) != owner_column(&table) {
            *value = WireValue::Null;
        }
    }
}

/// Keeps the hash of an op's original wire form (the first one kept stays: it is the original).
pub fn keep_hash(conn: &Connection, origin: i64, seq: i64, sha256: &[u8; 32]) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO op_erased (origin, seq, sha256) VALUES (?1, ?2, ?3)")?
        .execute(params![origin, seq, sha256.to_vec()])?;
    Ok(())
}

/// The hash of an erased op's original wire form, if the op was erased.
pub fn original_hash(conn: &Connection, origin: i64, seq: i64) -> Result<Option<[u8; 32]>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT sha256 FROM op_erased WHERE origin = ?1 AND seq = ?2")?
        .query_row(params![origin, seq], |r| r.get(0))
        .optional()?;
    Ok(bytes.and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok()))
}

/// Applies a tombstone now held: blanks the record and the rows it owns, their ops (keeping each original's
/// hash), the ops waiting for approval that name them, and drops their conflicts.
pub(crate) fn absorb(tx: &Tx, id: Uuid) -> Result<()> {
    let record: Option<String> = tx
        .prepare_cached("SELECT record FROM erasure WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    let Some((record, children)) = record.and_then(|r| ERASABLE.iter().find(|(t, _)| *t == r)) else {
        // A kind this version cannot erase (a newer version's): its ops stay as they are.
        return Ok(());
    };
    let spec = table_spec(record).ok_or_else(|| Error::Corrupt(format!("erasable table {record}")))?;
    let mut rows: Vec<(&'static TableSpec, Uuid)> = vec![(spec, id)];
    for (child, owner_column) in *children {
        let child_spec =
            table_spec(child).ok_or_else(|| Error::Corrupt(format!("erasable table {child}")))?;
        let mut stmt = tx.prepare_cached(&format!("SELECT id FROM {child} WHERE {owner_column} = ?1"))?;
        for row in stmt.query_map(params![id], |r| r.get::<_, Uuid>(0))? {
            rows.push((child_spec, row?));
        }
    }
    for (spec, row) in &rows {
        blank_ops(tx, spec, *row)?;
        blank_row(tx, spec, *row)?;
        tx.prepare_cached("DELETE FROM conflict WHERE row_id = ?1")?.execute(params![row])?;
    }
    blank_held(tx, &rows.iter().map(|(_, r)| *r).collect::<Vec<_>>(), id)?;
    // The search rows go when the derived rows settle; merging the index's segments then leaves no trace
    // of the erased words in them (a delete only marks them).
    tx.settle()?;
    tx.execute_batch(
        "INSERT INTO search_short (search_short) VALUES ('optimize');
         INSERT INTO search_long (search_long) VALUES ('optimize');",
    )?;
    Ok(())
}

/// Blanks every op of a row in the log, keeping each original's hash first.
fn blank_ops(tx: &Tx, spec: &TableSpec, row: Uuid) -> Result<()> {
    let ops: Vec<(i64, Op)> = {
        // The tombstone shares the record's id: only the row's own table's ops.
        let mut stmt =
            tx.prepare_cached(&format!("SELECT {ROW_OP_COLUMNS} WHERE o.row_id = ?1 AND o.tbl = ?2"))?;
        let raws = stmt.query_map(params![row, spec.code], raw_op)?.collect::<Result<Vec<_>, _>>()?;
        raws.into_iter()
            .map(|raw| {
                let num = raw.origin_num;
                Ok((num, op_of(tx, raw)?))
            })
            .collect::<Result<_>>()?
    };
    for (num, mut op) in ops {
        let quarantined: Option<Vec<u8>> = tx
            .prepare_cached("SELECT patch FROM op_quarantine WHERE origin = ?1 AND seq = ?2")?
            .query_row(params![num, op.seq], |r| r.get(0))
            .optional()?;
        let unknown = quarantined.as_deref().map(decode_named).transpose()?.unwrap_or_default();
        let mut whole = op.clone();
        whole.patch.extend(unknown.iter().cloned());
        keep_hash(tx, num, op.seq, &hash_op(&to_wire(whole))?)?;
        blank(&mut op);
        let known: Vec<(&str, &Value)> = op.patch.iter().map(|(c, v)| (c.as_str(), v)).collect();
        tx.prepare_cached("UPDATE op SET patch = ?1 WHERE origin = ?2 AND seq = ?3")?.execute(params![
            encode_patch(spec, &known)?,
            num,
            op.seq
        ])?;
        if quarantined.is_some() {
            let blanked: Vec<(String, Value)> =
                unknown.iter().map(|(c, v)| (c.clone(), blank_value(spec.name, c, v))).collect();
            tx.prepare_cached("UPDATE op_quarantine SET patch = ?1 WHERE origin = ?2 AND seq = ?3")?
                .execute(params![encode_named(&blanked)?, num, op.seq])?;
        }
    }
    Ok(())
}

/// Blanks a row's values and marks it deleted.
pub(crate) fn blank_row(tx: &Tx, spec: &TableSpec, row: Uuid) -> Result<()> {
    let owner = owner_column(spec.name);
    let sets: Vec<String> = spec
        .columns
        .iter()
        .filter(|c| **c != "deleted" && Some(**c) != owner)
        .map(|c| format!("{c} = NULL"))
        .chain(std::iter::once("deleted = 1".to_owned()))
        .collect();
    tx.prepare_cached(&format!("UPDATE {} SET {} WHERE id = ?1", spec.name, sets.join(", ")))?
        .execute(params![row])?;
    tx.touch(spec.name, row, [("deleted", Value::Integer(0))]);
    Ok(())
}

/// Blanks the ops waiting for approval that name an erased row (keeping each original's hash).
fn blank_held(tx: &Tx, rows: &[Uuid], record: Uuid) -> Result<()> {
    let held: Vec<(Uuid, i64, Vec<u8>)> = {
        let mut stmt = tx.prepare("SELECT origin, seq, op FROM held_op")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (origin, seq, bytes) in held {
        let mut op = super::wire::decode_op(&bytes)?;
        let owned = owner_column(&op.table).is_some_and(|c| {
            op.patch.iter().any(|(col, v)| col == c && *v == WireValue::Blob(record.as_bytes().to_vec()))
        });
        // The tombstone itself shares the record's id, and holds nothing personal.
        if op.table == "erasure" || (!rows.contains(&op.row) && !owned) {
            continue;
        }
        let num = super::replica_num(tx, origin)?;
        keep_hash(tx, num, seq, &hash_op(&op)?)?;
        blank_wire(&mut op);
        tx.prepare_cached("UPDATE held_op SET op = ?1 WHERE origin = ?2 AND seq = ?3")?.execute(params![
            super::wire::encode_op(&op)?,
            origin,
            seq
        ])?;
    }
    Ok(())
}
