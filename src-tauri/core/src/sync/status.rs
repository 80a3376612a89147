//! What sync knows, for a person: this replica and its key, its clock, what it holds from each origin, the
//! peers (standing and what each acknowledged), the replicas waiting for approval, the files written and
//! read, and the state digest.

use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::{Clock, Hlc};
use crate::error::{Error, Result};
use crate::store;
use crate::sync::identity::{self, fingerprint, Standing};
use crate::sync::import::{self, Waiting};
use crate::sync::{digest, vector};

/// How far a replica holds one origin's ops.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Holding {
    pub origin: Uuid,
    pub name: String,
    /// The highest `seq` held with none missing below it.
    #[ts(type = "number")]
    pub seq: i64,
}

/// A replica of the workspace as this one knows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Peer {
    pub id: Uuid,
    pub name: String,
    pub fingerprint: Option<String>,
    pub standing: Standing,
    /// What it said it holds, per origin, in its newest file.
    pub acknowledged: Vec<Holding>,
    pub last_received: Option<String>,
    pub last_sent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub workspace: Uuid,
    pub replica: Uuid,
    pub name: String,
    pub fingerprint: String,
    /// This replica's hybrid logical clock, as an RFC 3339 time and a counter.
    pub clock: String,
    pub holds: Vec<Holding>,
    pub peers: Vec<Peer>,
    pub waiting: Vec<Waiting>,
    /// Ops kept because they name tables or columns this version does not know (a newer version wrote them).
    #[ts(type = "number")]
    pub quarantined: u64,
    /// How far this laptop's wall clock is behind the latest change it has seen, in ms, when more than a
    /// minute: its date and time are probably wrong.
    #[ts(type = "number | null")]
    pub clock_behind_ms: Option<i64>,
    /// Changes kept because they are dated more than a day ahead of this laptop's clock.
    #[ts(type = "number")]
    pub future: u64,
    pub digest: String,
}

fn names(conn: &Connection) -> Result<std::collections::HashMap<Uuid, String>> {
    let mut map = std::collections::HashMap::new();
    let mut stmt = conn.prepare("SELECT id, name FROM replica")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?)))? {
        let (id, name) = row?;
        map.insert(id, name);
    }
    for member in identity::roster(conn)? {
        if !member.name.is_empty() {
            map.insert(member.id, member.name);
        }
    }
    Ok(map)
}

fn holdings(v: &vector::Vector, names: &std::collections::HashMap<Uuid, String>) -> Vec<Holding> {
    let mut out: Vec<Holding> = v
        .iter()
        .map(|(origin, seq)| Holding {
            origin: *origin,
            name: names.get(origin).cloned().unwrap_or_else(|| origin.to_string()),
            seq: *seq,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.origin.cmp(&b.origin)));
    out
}

/// The replicas this one knows (itself aside), by name.
pub fn peers(conn: &Connection) -> Result<Vec<Peer>> {
    let me = store::replica(conn)?.ok_or(Error::NotInitialised)?;
    let names = names(conn)?;
    let mut out = Vec::new();
    for member in identity::roster(conn)? {
        if member.id == me.id {
            continue;
        }
        let num = conn
            .prepare_cached("SELECT num FROM replica WHERE id = ?1")?
            .query_row(params![member.id], |r| r.get::<_, i64>(0))
            .ok();
        let acknowledged = match num {
            Some(num) => holdings(&vector::acknowledged(conn, num)?, &names),
            None => Vec::new(),
        };
        let (last_received, last_sent) = last_files(conn, member.id)?;
        out.push(Peer {
            id: member.id,
            name: member.name.clone(),
            fingerprint: member.public_key.as_ref().map(fingerprint),
            standing: member.standing,
            acknowledged,
            last_received,
            last_sent,
        });
    }
    for waiting in import::waiting(conn)? {
        if !out.iter().any(|p| p.id == waiting.id) {
            let (last_received, last_sent) = last_files(conn, waiting.id)?;
            out.push(Peer {
                id: waiting.id,
                name: waiting.name,
                fingerprint: Some(waiting.fingerprint),
                standing: Standing::Waiting,
                acknowledged: Vec::new(),
                last_received,
                last_sent,
            });
        }
    }
    Ok(out)
}

/// When this laptop last read a file from `peer` (held for approval or applied), and last wrote one for it
/// or for everyone (snapshots aside), from the log of files.
fn last_files(conn: &Connection, peer: Uuid) -> Result<(Option<String>, Option<String>)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT max(at) FROM sync_file WHERE direction = 'in' AND peer = ?1),
                    (SELECT max(at) FROM sync_file
                     WHERE direction = 'out' AND (peer = ?1 OR peer IS NULL) AND result <> 'snapshot')",
        )?
        .query_row(params![peer], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Everything `liaison sync status` shows. Reads only (a workspace made before sync shows the key it
/// will get on first use as not yet made).
pub fn status(conn: &Connection, wall: &dyn Clock) -> Result<SyncStatus> {
    let me = store::replica(conn)?.ok_or(Error::NotInitialised)?;
    let workspace = store::workspace_id(conn)?.ok_or(Error::NotInitialised)?;
    let (num, key, ms, counter): (i64, Option<Vec<u8>>, i64, u32) = conn.query_row(
        "SELECT r.num, s.signing_key, s.hlc_ms, s.hlc_counter FROM replica_state s JOIN replica r ON r.id = s.replica_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let fingerprint = key
        .and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok())
        .map(|secret| fingerprint(&super::bundle::public_key(&secret)))
        .unwrap_or_default();
    let clock = chrono::DateTime::from_timestamp_millis(Hlc { ms, counter }.ms)
        .map(|t| format!("{} +{counter}", t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
        .unwrap_or_default();
    let names = names(conn)?;
    let quarantined: i64 = conn.query_row("SELECT count(*) FROM op_quarantine", [], |r| r.get(0))?;
    Ok(SyncStatus {
        workspace,
        replica: me.id,
        name: me.name,
        fingerprint,
        clock,
        holds: holdings(&vector::held(conn, num)?, &names),
        peers: peers(conn)?,
        waiting: import::waiting(conn)?,
        quarantined: u64::try_from(quarantined).unwrap_or(0),
        clock_behind_ms: Some(ms - wall.now().timestamp_millis()).filter(|behind| *behind > 60_000),
        future: {
            let horizon = wall.now().timestamp_millis() + super::import::FUTURE_MS;
            let mut n = 0u64;
            let mut stmt = conn.prepare("SELECT op FROM held_op")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let bytes: Vec<u8> = row.get(0)?;
                if crate::oplog::wire::decode_op(&bytes).is_ok_and(|op| Hlc::unpack(op.hlc).ms > horizon) {
                    n += 1;
                }
            }
            n
        },
        digest: digest::digest(conn)?,
    })
}

/// A sync file written or read here, and what came of it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FileLog {
    pub bundle: Uuid,
    /// `in` (read) or `out` (written).
    pub direction: String,
    pub peer: Option<Uuid>,
    pub peer_name: Option<String>,
    /// RFC 3339.
    pub at: String,
    #[ts(type = "number")]
    pub ops: i64,
    #[ts(type = "number")]
    pub new_ops: i64,
    #[ts(type = "number")]
    pub documents: i64,
    /// `written`, `snapshot`, `imported` or `held` (some changes wait for an approval).
    pub result: String,
}

/// The sync files written and read here, newest first.
pub fn history(conn: &Connection, limit: u32) -> Result<Vec<FileLog>> {
    let mut stmt = conn.prepare(
        "SELECT bundle, direction, peer, peer_name, at, ops, new_ops, documents, result FROM sync_file
         ORDER BY num DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![limit], |r| {
        Ok(FileLog {
            bundle: r.get(0)?,
            direction: r.get(1)?,
            peer: r.get(2)?,
            peer_name: r.get(3)?,
            at: r.get(4)?,
            ops: r.get(5)?,
            new_ops: r.get(6)?,
            documents: r.get(7)?,
            result: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
