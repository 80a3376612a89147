//! Writing a sync file: for a peer, every op of every origin above what that peer last acknowledged (so a
//! lost file only costs redundancy); for everyone, above what all known peers acknowledged; a snapshot holds
//! everything a new laptop needs. This replica signs its own ops; other origins' ops travel with the
//! signatures their origin made, so relaying needs no trust.

use std::collections::BTreeSet;
use std::path::Path;

use rusqlite::{params, Connection};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::job::Job;
use crate::oplog::{self, erasure};
use crate::records::document;
use crate::store::{self, Tx};
use crate::sync::bundle::{self, Encryption, Frame, FrameSink, Header, Kind, Lock, SignedRange};
use crate::sync::identity::{self, Standing};
use crate::sync::vector::{self, Vector};

/// How a file's contents are protected (its header is always in clear, and always signed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection<'a> {
    /// age with a passphrase the two people share (the only way for a snapshot: a new laptop has no key).
    Passphrase(&'a str),
    /// age to the keys of the laptops the file is for: the peer's, or every approved peer's.
    PeersKeys,
}

/// Who a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// One peer: the ops above what it acknowledged.
    Peer(Uuid),
    /// Every known peer at once: the ops above what all of them acknowledged.
    Everyone,
    /// A new laptop joining the workspace: everything.
    Snapshot,
}

/// What a written file holds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Written {
    pub path: String,
    pub bundle: Uuid,
    pub peer_name: Option<String>,
    #[ts(type = "number")]
    pub ops: u64,
    #[ts(type = "number")]
    pub documents: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The file name a file for `audience` gets by default (`liaison-shanghai-to-lyon-2026-12-05.liaison`).
pub fn default_name(conn: &Connection, clock: &dyn Clock, audience: Audience) -> Result<String> {
    let me = store::replica(conn)?.ok_or(Error::NotInitialised)?;
    let peer = match audience {
        Audience::Peer(id) => identity::member(conn, id)?.map(|m| m.name),
        _ => None,
    };
    Ok(super::file_name(&me.name, peer.as_deref(), audience == Audience::Snapshot, clock.now().date_naive()))
}

/// The public keys a file for `audience` is encrypted to: the peer's, or every approved peer's.
fn recipients(conn: &Connection, audience: Audience, me: Uuid) -> Result<Vec<[u8; 32]>> {
    match audience {
        Audience::Snapshot => Err(Error::Bundle(
            "a snapshot is for a new laptop, which has no key yet: protect it with a passphrase instead"
                .into(),
        )),
        Audience::Peer(id) => {
            let member = identity::member(conn, id)?
                .ok_or_else(|| Error::NotFound { entity: "replica", id: id.to_string() })?;
            let key = member.public_key.ok_or_else(|| {
                Error::Bundle(format!(
                    "the key of \"{}\" is not known here yet: protect this file with a passphrase, or import a \
                     file from it first",
                    member.name
                ))
            })?;
            Ok(vec![key])
        }
        Audience::Everyone => {
            let keys: Vec<[u8; 32]> = identity::roster(conn)?
                .into_iter()
                .filter(|m| m.id != me && m.standing == Standing::Approved)
                .filter_map(|m| m.public_key)
                .collect();
            if keys.is_empty() {
                return Err(Error::Bundle(
                    "no approved laptop's key is known here yet to encrypt to: protect this file with a passphrase"
                        .into(),
                ));
            }
            Ok(keys)
        }
    }
}

/// Writes the file for `audience` at `out` (whole or not at all), with the documents found in `documents`
/// (the store beside the database) that the ops refer to. In one transaction: this replica's roster row is
/// brought up to date first (it travels in the file), and the file is logged.
pub fn export(
    tx: &Tx,
    clock: &dyn Clock,
    audience: Audience,
    out: &Path,
    protection: Option<Protection<'_>>,
    documents: Option<&Path>,
    job: &Job,
) -> Result<Written> {
    identity::publish_me(tx, clock)?;
    let me = identity::me(tx)?;
    let workspace = store::workspace_id(tx)?.ok_or(Error::NotInitialised)?;
    let (acked, peer) = match audience {
        Audience::Snapshot => (Vector::new(), None),
        Audience::Peer(id) => {
            let member = identity::member(tx, id)?
                .filter(|m| m.id != me.id)
                .ok_or_else(|| Error::NotFound { entity: "replica", id: id.to_string() })?;
            (vector::acknowledged(tx, oplog::origin_num(tx, id)?)?, Some(member))
        }
        Audience::Everyone => {
            let mut vectors = Vec::new();
            for member in identity::roster(tx)? {
                if member.id != me.id && member.standing != Standing::Revoked {
                    vectors.push(vector::acknowledged(tx, oplog::origin_num(tx, member.id)?)?);
                }
            }
            (vector::minimum(&vectors), None)
        }
    };
    let lock = match protection {
        None => None,
        Some(Protection::Passphrase(passphrase)) => Some(Lock::Passphrase(passphrase)),
        Some(Protection::PeersKeys) => Some(Lock::Keys(recipients(tx, audience, me.id)?)),
    };
    let held = vector::held(tx, me.num)?;
    let origins = origins(tx)?;
    let total: u64 = origins
        .iter()
        .map(|(id, _)| {
            let top = held.get(id).copied().unwrap_or(0);
            u64::try_from(top - acked.get(id).copied().unwrap_or(0)).unwrap_or(0)
        })
        .sum();
    let header = Header {
        bundle: Uuid::new_v4(),
        workspace,
        kind: if audience == Audience::Snapshot { Kind::Snapshot } else { Kind::Ops },
        sender: me.id,
        sender_key: me.public_key,
        sender_name: me.name.clone(),
        peer: peer.as_ref().map(|m| m.id),
        peer_name: peer.as_ref().map(|m| m.name.clone()),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version: schema_version(tx)?,
        created_ms: clock.now().timestamp_millis(),
        vector: held.iter().map(|(k, v)| (*k, *v)).collect(),
        ops: 0,
        documents: 0,
        encryption: Encryption::None,
        plain_bytes: 0,
        payload_bytes: 0,
        payload_sha256: [0; 32],
    };
    let mut done = 0u64;
    let mut document_rows: BTreeSet<Uuid> = BTreeSet::new();
    let written = bundle::write(out, header, &me.secret, lock.as_ref(), |sink| {
        let mut note = |op: &oplog::Op| {
            if op.table == "document" {
                document_rows.insert(op.row_id);
            }
        };
        for (origin, num) in &origins {
            let from = acked.get(origin).copied().unwrap_or(0) + 1;
            if *origin == me.id {
                let last = held.get(origin).copied().unwrap_or(0);
                if last >= from {
                    own_ops(tx, sink, &me, workspace, from, last, &mut note, &mut done, total, job)?;
                }
            } else {
                relayed_ops(tx, sink, *origin, *num, from, &mut note, &mut done, total, job)?;
            }
        }
        if let Some(store) = documents {
            for sha in document_hashes(tx, audience, &document_rows)? {
                let Some(path) = document::blob_path(store, &sha).filter(|p| p.exists()) else { continue };
                let bytes = std::fs::read(&path)?;
                let digest: [u8; 32] = Sha256::digest(&bytes).into();
                sink.put(&Frame::Document { sha256: digest, bytes })?;
            }
        }
        sink.put(&Frame::End)
    })?;
    let (ops, document_count) = (written.ops, written.documents);
    let bytes = std::fs::metadata(out)?.len();
    let at = clock.now().to_rfc3339();
    if let Some(peer) = &peer {
        vector::record_sent(tx, oplog::origin_num(tx, peer.id)?, &at)?;
    }
    tx.execute(
        "INSERT INTO sync_file (bundle, direction, peer, peer_name, at, ops, new_ops, documents, result)
         VALUES (?1, 'out', ?2, ?3, ?4, ?5, 0, ?6, ?7)",
        params![
            written.bundle,
            peer.as_ref().map(|m| m.id),
            peer.as_ref().map(|m| m.name.clone()),
            at,
            i64::try_from(ops).unwrap_or(i64::MAX),
            i64::try_from(document_count).unwrap_or(i64::MAX),
            if audience == Audience::Snapshot { "snapshot" } else { "written" }
        ],
    )?;
    Ok(Written {
        path: out.display().to_string(),
        bundle: written.bundle,
        peer_name: peer.map(|m| m.name),
        ops,
        documents: document_count,
        bytes,
    })
}

/// The schema version (the number of migrations applied).
fn schema_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Every origin with ops in the log, with its local number, this replica's first.
fn origins(conn: &Connection) -> Result<Vec<(Uuid, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.num FROM replica r
         WHERE EXISTS (SELECT 1 FROM op o WHERE o.origin = r.num)
            OR EXISTS (SELECT 1 FROM op_quarantine q WHERE q.origin = r.num)
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A stored signed range of another origin, and the part of it this file sends (ranges a peer holds in part
/// are sent whole only when the signature needs it).
struct Planned {
    range: SignedRange,
    /// The seqs this range adds to the file (the rest were sent with the range before it).
    send: (i64, i64),
}

/// The signed ranges that cover another origin's ops from `from` on, chosen greedily: each next range is the
/// one reaching furthest among those that start no later than the first op still to send.
fn plan(conn: &Connection, origin: i64, from: i64) -> Result<Vec<Planned>> {
    let mut stmt = conn.prepare_cached(
        "SELECT first_seq, last_seq, signature FROM op_range WHERE origin = ?1 AND last_seq >= ?2 ORDER BY first_seq",
    )?;
    let ranges: Vec<SignedRange> = stmt
        .query_map(params![origin, from], |r| {
            Ok(SignedRange { first: r.get(0)?, last: r.get(1)?, signature: r.get(2)? })
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|r| Ok((whole(conn, origin, &r)?, r)))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(whole, r)| whole.then_some(r))
        .collect();
    let mut planned = Vec::new();
    let mut covered = from - 1;
    loop {
        let reaching =
            ranges.iter().filter(|r| r.first <= covered + 1 && r.last > covered).max_by_key(|r| r.last);
        let next = reaching.or_else(|| {
            ranges
                .iter()
                .filter(|r| r.first > covered + 1)
                .min_by_key(|r| (r.first, std::cmp::Reverse(r.last)))
        });
        let Some(range) = next else { break };
        planned.push(Planned { range: range.clone(), send: (range.first, range.last) });
        covered = range.last;
    }
    // Each op once: a range overlapping the one before it adds only its tail.
    let mut next = planned.first().map_or(0, |p| p.range.first);
    for p in &mut planned {
        p.send = (p.range.first.max(next), p.range.last);
        next = next.max(p.range.last + 1);
    }
    Ok(planned)
}

/// Whether every op of a signed range is in the log here (one kept back, dated ahead or waiting for its
/// erasure, would break the range's signature): only whole ranges are relayed.
fn whole(conn: &Connection, origin: i64, range: &SignedRange) -> Result<bool> {
    let held: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT seq FROM op WHERE origin = ?1 AND seq BETWEEN ?2 AND ?3
             UNION SELECT seq FROM op_quarantine WHERE origin = ?1 AND seq BETWEEN ?2 AND ?3)",
        )?
        .query_row(params![origin, range.first, range.last], |r| r.get(0))?;
    Ok(held == range.last - range.first + 1)
}

#[allow(clippy::too_many_arguments)]
fn own_ops(
    tx: &Tx,
    sink: &mut FrameSink,
    me: &identity::Me,
    workspace: Uuid,
    from: i64,
    last: i64,
    note: &mut dyn FnMut(&oplog::Op),
    done: &mut u64,
    total: u64,
    job: &Job,
) -> Result<()> {
    sink.put(&Frame::Origin { id: me.id, key: me.public_key, name: me.name.clone() })?;
    let mut hashes = Sha256::new();
    oplog::for_each_op_of(tx, me.id, from, last, |op| {
        note(&op);
        let seq = op.seq;
        let wire = crate::oplog::wire::to_wire(op);
        match erasure::original_hash(tx, me.num, seq)? {
            Some(sha256) => {
                hashes.update(sha256);
                sink.put(&Frame::Erased { op: wire, sha256 })?;
            }
            None => {
                hashes.update(Sha256::digest(bundle::encode_op(&wire)?));
                sink.put(&Frame::Op(wire))?;
            }
        }
        *done += 1;
        job.step("Writing the sync file", *done, total)
    })?;
    let digest: [u8; 32] = hashes.finalize().into();
    let signature = bundle::sign(&me.secret, &bundle::range_message(workspace, me.id, from, last, &digest));
    sink.put(&Frame::Ranges(vec![SignedRange { first: from, last, signature }]))
}

#[allow(clippy::too_many_arguments)]
fn relayed_ops(
    tx: &Tx,
    sink: &mut FrameSink,
    origin: Uuid,
    num: i64,
    from: i64,
    note: &mut dyn FnMut(&oplog::Op),
    done: &mut u64,
    total: u64,
    job: &Job,
) -> Result<()> {
    let planned = plan(tx, num, from)?;
    if planned.is_empty() {
        return Ok(());
    }
    let member = identity::member(tx, origin)?;
    let Some((name, key)) = member.and_then(|m| m.public_key.map(|k| (m.name, k))) else {
        // An origin whose key this replica does not know cannot be vouched for: its ops stay here.
        return Ok(());
    };
    sink.put(&Frame::Origin { id: origin, key, name })?;
    for p in &planned {
        if p.send.0 <= p.send.1 {
            oplog::for_each_op_of(tx, origin, p.send.0, p.send.1, |op| {
                note(&op);
                let erased = erasure::original_hash(tx, num, op.seq)?;
                let wire = crate::oplog::wire::to_wire(op);
                match erased {
                    Some(sha256) => sink.put(&Frame::Erased { op: wire, sha256 })?,
                    None => sink.put(&Frame::Op(wire))?,
                }
                *done += 1;
                job.step("Writing the sync file", *done, total)
            })?;
        }
    }
    sink.put(&Frame::Ranges(planned.into_iter().map(|p| p.range).collect()))
}

/// The content hashes of the documents a file carries: every live document's for a snapshot; else those of
/// the document rows the file's ops write (a peer that lacks the row lacks its file).
fn document_hashes(conn: &Connection, audience: Audience, rows: &BTreeSet<Uuid>) -> Result<Vec<String>> {
    let mut hashes = BTreeSet::new();
    if audience == Audience::Snapshot {
        let mut stmt = conn.prepare("SELECT sha256 FROM document WHERE deleted = 0")?;
        for sha in stmt.query_map([], |r| r.get::<_, String>(0))? {
            hashes.insert(sha?);
        }
    } else {
        let mut stmt = conn.prepare_cached("SELECT sha256 FROM document WHERE id = ?1 AND deleted = 0")?;
        for id in rows {
            for sha in stmt.query_map(params![id], |r| r.get::<_, String>(0))? {
                hashes.insert(sha?);
            }
        }
    }
    Ok(hashes.into_iter().collect())
}
