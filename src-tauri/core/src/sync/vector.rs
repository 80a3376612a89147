//! Version vectors: per origin, the highest `seq` this replica holds with none missing below it, and per
//! peer, the vector its newest file said it held. Both are written in the same transaction as the ops, so a
//! replica never believes it holds what it lacks.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use crate::error::{Error, Result};

/// Origin → highest contiguous `seq`.
pub type Vector = BTreeMap<Uuid, i64>;

/// This replica's vector: its own highest `seq`, and each other origin's contiguous prefix.
pub fn held(conn: &Connection, me: i64) -> Result<Vector> {
    let mut vector = Vector::new();
    let own: Option<(Uuid, i64)> = conn
        .query_row(
            "SELECT r.id, max(o.seq) FROM op o JOIN replica r ON r.num = o.origin WHERE o.origin = ?1",
            params![me],
            |r| Ok((r.get::<_, Option<Uuid>>(0)?, r.get::<_, Option<i64>>(1)?)),
        )
        .map(|(id, seq)| id.zip(seq))?;
    if let Some((id, seq)) = own {
        vector.insert(id, seq);
    }
    let mut stmt = conn.prepare("SELECT r.id, h.seq FROM sync_held h JOIN replica r ON r.num = h.origin")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, i64>(1)?)))? {
        let (id, seq) = row?;
        vector.insert(id, seq);
    }
    Ok(vector)
}

/// Moves an origin's contiguous prefix forward over the ops now held. Returns the new value.
pub fn advance(conn: &Connection, origin: i64) -> Result<i64> {
    let mut seq: i64 = conn
        .prepare_cached("SELECT seq FROM sync_held WHERE origin = ?1")?
        .query_row(params![origin], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    let start = seq;
    {
        let mut stmt =
            conn.prepare_cached("SELECT seq FROM op WHERE origin = ?1 AND seq > ?2 ORDER BY seq")?;
        let mut rows = stmt.query(params![origin, seq])?;
        while let Some(row) = rows.next()? {
            let next: i64 = row.get(0)?;
            if next != seq + 1 {
                break;
            }
            seq = next;
        }
    }
    if seq != start {
        conn.prepare_cached(
            "INSERT INTO sync_held (origin, seq) VALUES (?1, ?2) ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq",
        )?
        .execute(params![origin, seq])?;
    }
    Ok(seq)
}

/// What a peer last said it holds, or an empty vector (it holds nothing we know of).
pub fn acknowledged(conn: &Connection, peer: i64) -> Result<Vector> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT vector FROM sync_peer WHERE peer = ?1")?
        .query_row(params![peer], |r| r.get(0))
        .optional()?;
    match bytes {
        None => Ok(Vector::new()),
        Some(bytes) => decode(&bytes),
    }
}

/// Keeps the vector of a peer's file if it is the newest seen from that peer (files arrive out of order;
/// an older file's vector would only cost redundancy, but a newer one saves it).
pub fn record_acknowledged(
    conn: &Connection,
    peer: i64,
    created_ms: i64,
    vector: &[(Uuid, i64)],
    at: &str,
) -> Result<()> {
    let bytes =
        postcard::to_allocvec(vector).map_err(|e| Error::Corrupt(format!("cannot encode a vector: {e}")))?;
    conn.prepare_cached(
        "INSERT INTO sync_peer (peer, created_ms, vector, last_received) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (peer) DO UPDATE SET
           vector = CASE WHEN excluded.created_ms >= created_ms THEN excluded.vector ELSE vector END,
           created_ms = max(created_ms, excluded.created_ms),
           last_received = excluded.last_received",
    )?
    .execute(params![peer, created_ms, bytes, at])?;
    Ok(())
}

/// Notes when a file was last written for a peer.
pub fn record_sent(conn: &Connection, peer: i64, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_peer (peer, created_ms, vector, last_sent) VALUES (?1, 0, ?2, ?3)
         ON CONFLICT (peer) DO UPDATE SET last_sent = excluded.last_sent",
    )?
    .execute(params![peer, encode(&Vector::new())?, at])?;
    Ok(())
}

fn encode(vector: &Vector) -> Result<Vec<u8>> {
    let pairs: Vec<(Uuid, i64)> = vector.iter().map(|(k, v)| (*k, *v)).collect();
    postcard::to_allocvec(&pairs).map_err(|e| Error::Corrupt(format!("cannot encode a vector: {e}")))
}

fn decode(bytes: &[u8]) -> Result<Vector> {
    let pairs: Vec<(Uuid, i64)> =
        postcard::from_bytes(bytes).map_err(|e| Error::Corrupt(format!("a stored vector: {e}")))?;
    Ok(pairs.into_iter().collect())
}

/// The per-origin minimum of several vectors (an origin missing from one counts as 0): what every one of
/// them holds.
pub fn minimum<'v>(vectors: impl IntoIterator<Item = &'v Vector>) -> Vector {
    let vectors: Vec<&Vector> = vectors.into_iter().collect();
    let Some(first) = vectors.first() else { return Vector::new() };
    first
        .keys()
        .map(|origin| {
            (*origin, vectors.iter().map(|v| v.get(origin).copied().unwrap_or(0)).min().unwrap_or(0))
        })
        .filter(|(_, seq)| *seq > 0)
        .collect()
}
