//! An op as it travels between replicas and as an origin signs it: its columns by name, sorted by name, so
//! that every replica encodes it to the same bytes whatever its version knows. Frozen with the sync file
//! format (docs/sync-format.md).

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Op;
use crate::error::{Error, Result};

/// A column value as it travels. Frozen like the op log's cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WireValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// One op as it travels: its columns by name, sorted by name, so that every replica encodes it to the same
/// bytes whatever its version knows (the origin's signature covers those bytes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireOp {
    pub seq: i64,
    pub hlc: i64,
    pub table: String,
    pub row: Uuid,
    /// The ops of the row this one was made on top of, latest first.
    pub prev: Vec<(i64, Uuid)>,
    pub patch: Vec<(String, WireValue)>,
}

/// An op as it travels: columns sorted by name, so every replica encodes it to the same bytes.
pub fn to_wire(op: Op) -> WireOp {
    let mut patch: Vec<(String, WireValue)> = op
        .patch
        .into_iter()
        .map(|(column, value)| {
            let value = match value {
                Value::Null => WireValue::Null,
                Value::Integer(i) => WireValue::Integer(i),
                Value::Real(f) => WireValue::Real(f),
                Value::Text(s) => WireValue::Text(s),
                Value::Blob(b) => WireValue::Blob(b),
            };
            (column, value)
        })
        .collect();
    patch.sort_by(|a, b| a.0.cmp(&b.0));
    WireOp { seq: op.seq, hlc: op.hlc, table: op.table, row: op.row_id, prev: op.prev, patch }
}

/// A travelling op of `origin` as the op log applies it.
pub fn from_wire(origin: Uuid, op: WireOp) -> Op {
    Op {
        origin,
        seq: op.seq,
        hlc: op.hlc,
        table: op.table,
        row_id: op.row,
        prev: op.prev,
        patch: op
            .patch
            .into_iter()
            .map(|(column, value)| {
                let value = match value {
                    WireValue::Null => Value::Null,
                    WireValue::Integer(i) => Value::Integer(i),
                    WireValue::Real(f) => Value::Real(f),
                    WireValue::Text(s) => Value::Text(s),
                    WireValue::Blob(b) => Value::Blob(b),
                };
                (column, value)
            })
            .collect(),
    }
}

/// The wire encoding of an op: what range hashes cover.
pub fn encode_op(op: &WireOp) -> Result<Vec<u8>> {
    postcard::to_allocvec(op).map_err(|e| Error::Corrupt(format!("cannot encode an op: {e}")))
}

/// Reads an op's wire encoding (as stored for an origin not approved yet, or sent in a file).
pub fn decode_op(bytes: &[u8]) -> Result<WireOp> {
    postcard::from_bytes(bytes).map_err(|_| {
        Error::Bundle("this sync file is damaged: an op cannot be read; ask its sender for a new one".into())
    })
}

/// The SHA-256 of an op's wire encoding: what an origin's signature covers, kept when an erasure blanks it.
pub fn hash_op(op: &WireOp) -> Result<[u8; 32]> {
    Ok(Sha256::digest(encode_op(op)?).into())
}
