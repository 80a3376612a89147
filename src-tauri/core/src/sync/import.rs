//! Reading a sync file into the caller's transaction: the file is checked whole (size, header signature,
//! payload hash) before any frame is read; every origin's ops must be covered by ranges that origin signed;
//! ops of approved origins are applied (last writer wins, nothing twice), ops of origins not yet approved
//! are kept until a user approves them, and a revoked origin's later ops are refused. Any failure returns an
//! error and the caller's transaction rolls back: the database is exactly as it was.

use std::collections::{BTreeSet, HashSet};
use std::io::{Read, Seek};
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::{Clock, Hlc};
use crate::error::{Error, Result};
use crate::job::Job;
use crate::oplog::{self, erasure, Op};
use crate::store::{self, Tx};
use crate::sync::bundle::{self, Frame, Kind, SignedRange, Unlock};
use crate::sync::identity::{self, fingerprint};
use crate::sync::vector;

mod hash_log;
use hash_log::HashLog;

/// A replica whose ops wait for a user's approval.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Waiting {
    pub id: Uuid,
    pub name: String,
    pub fingerprint: String,
    #[ts(type = "number")]
    pub ops: u64,
}

/// What an import did, in numbers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Imported {
    pub bundle: Uuid,
    pub sender: Uuid,
    pub sender_name: String,
    pub snapshot: bool,
    /// Ops in the file.
    #[ts(type = "number")]
    pub ops: u64,
    /// Ops applied for the first time.
    #[ts(type = "number")]
    pub new_ops: u64,
    /// Ops this replica held already.
    #[ts(type = "number")]
    pub already_held: u64,
    /// Ops kept, not applied, until their origin is approved.
    #[ts(type = "number")]
    pub held_back: u64,
    /// Ops of a revoked replica made after its revocation.
    #[ts(type = "number")]
    pub refused: u64,
    /// Ops dated more than a day ahead of this laptop's clock: kept until then (a clock is wrong).
    #[ts(type = "number")]
    pub future: u64,
    /// Document files received (new to this replica).
    #[ts(type = "number")]
    pub documents: u64,
    /// Conflicts this file opened: a field it changed that this laptop had changed without seeing it (see
    /// `oplog::conflict`).
    #[ts(type = "number")]
    pub conflicts: u64,
    /// The replicas whose ops wait for approval.
    pub waiting: Vec<Waiting>,
    /// True when this very file had been imported before (nothing was done again).
    pub already_imported: bool,
}

/// Ops dated more than this ahead of the receiving laptop's clock are kept, not applied, until then.
pub const FUTURE_MS: i64 = 24 * 3600 * 1000;

/// Ops are applied in batches of this many (memory stays flat whatever the file's size).
const BATCH: usize = 10_000;

/// How many touched rows wait before their derived rows are settled (about 300 bytes each).
const SETTLE_AT: usize = 50_000;

/// The most ops kept waiting (for an approval, or for their date) on this laptop at once: a laptop nobody
/// approved cannot fill the disk by sending files. Far above what a real new laptop brings.
pub const MAX_HELD_OPS: i64 = 1_000_000;

/// What the import does with one origin's ops in this pass.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Apply those up to this `seq`.
    Apply(i64),
    /// Not approved (yet): kept for later, on the last pass.
    Hold,
    /// Done in an earlier pass, or waiting for a later one: only checked.
    Check,
}

/// One origin's part of the file, as it is read.
struct Part {
    id: Uuid,
    key: [u8; 32],
    name: String,
    fate: Fate,
    /// The hash of each op's wire encoding, in `seq` order.
    hashes: HashLog,
    batch: Vec<Op>,
    wrote_roster: bool,
    applied: u64,
    held: u64,
}

/// Imports the sync file read from `source`. `documents` is the document store (received files go there);
/// `root` is a replica trusted without approval (the sender of the snapshot a new laptop joins from).
#[allow(clippy::too_many_arguments)]
pub fn import<R: Read + Seek>(
    tx: &Tx,
    clock: &dyn Clock,
    source: R,
    passphrase: Option<&str>,
    documents: Option<&Path>,
    root: Option<Uuid>,
    job: &Job,
) -> Result<Imported> {
    let mut opened = bundle::open(source)?;
    let header = opened.header.clone();
    let workspace = store::workspace_id(tx)?.ok_or(Error::NotInitialised)?;
    if header.workspace != workspace {
        return Err(Error::Bundle(format!(
            "this sync file belongs to another workspace (it was written by \"{}\"): nothing was imported",
            header.sender_name
        )));
    }
    let me = identity::me(tx)?;
    if header.sender == me.id {
        return Err(Error::Bundle(
            "this sync file was written by this computer: import it on another one".into(),
        ));
    }
    if let Some(member) = identity::member(tx, header.sender)? {
        if member.public_key.is_some_and(|k| k != header.sender_key) {
            return Err(Error::Bundle(format!(
                "this sync file claims to come from \"{}\" but is not signed with its key: refused",
                member.name
            )));
        }
    }
    let mut report = Imported {
        bundle: header.bundle,
        sender: header.sender,
        sender_name: header.sender_name.clone(),
        snapshot: header.kind == Kind::Snapshot,
        ops: header.ops,
        new_ops: 0,
        already_held: 0,
        held_back: 0,
        refused: 0,
        future: 0,
        documents: 0,
        conflicts: 0,
        waiting: Vec::new(),
        already_imported: false,
    };
    let before: Option<String> = tx
        .prepare_cached("SELECT at FROM sync_file WHERE bundle = ?1 AND direction = 'in' LIMIT 1")?
        .query_row(params![header.bundle], |r| r.get(0))
        .optional()?;
    if before.is_some() {
        report.already_imported = true;
        return Ok(report);
    }
    let open_before = open_conflicts(tx)?;
    let received_at = clock.now().to_rfc3339();
    let horizon = clock.now().timestamp_millis() + FUTURE_MS;
    let mut room = MAX_HELD_OPS - tx.query_row("SELECT count(*) FROM held_op", [], |r| r.get::<_, i64>(0))?;
    // Origins applied so far; a pass may approve more (an approval travels as a roster op), so passes repeat
    // until none is added. The last pass keeps the ops of the origins still waiting.
    let mut applied: BTreeSet<Uuid> = BTreeSet::new();
    // Ops that came blank (erased): applied once the file is, if their rows are erased here by then.
    let mut blanked: Vec<Blank> = Vec::new();
    let mut holding = false;
    let mut seen_ops = 0u64;
    let mut first_pass = true;
    loop {
        let mut progressed = false;
        let mut unapproved = false;
        let mut frames = opened.frames(Unlock { passphrase, secret: Some(&me.secret) })?;
        let mut part: Option<Part> = None;
        let mut ended = false;
        let mut ops_in_file = 0u64;
        while let Some(frame) = frames.next_frame()? {
            match frame {
                Frame::Origin { id, key, name } => {
                    if part.is_some() {
                        return Err(damaged("an origin's ops are not closed by its signatures"));
                    }
                    if let Some(member) = identity::member(tx, id)? {
                        if member.public_key.is_some_and(|k| k != key) {
                            return Err(Error::Bundle(format!(
                                "this sync file carries changes said to be by \"{}\" that are not signed with its \
                                 key: refused",
                                member.name
                            )));
                        }
                    }
                    let fate = if applied.contains(&id) || id == me.id {
                        Fate::Check
                    } else {
                        let limit = if root == Some(id) {
                            Some(i64::MAX)
                        } else {
                            identity::accepted_up_to(tx, me.id, id)?
                        };
                        match (limit, holding) {
                            (Some(limit), _) => Fate::Apply(limit),
                            (None, true) => Fate::Hold,
                            (None, false) => {
                                unapproved = true;
                                Fate::Check
                            }
                        }
                    };
                    part = Some(Part {
                        id,
                        key,
                        name,
                        fate,
                        hashes: HashLog::new(),
                        batch: Vec::new(),
                        wrote_roster: false,
                        applied: 0,
                        held: 0,
                    });
                }
                frame @ (Frame::Op(_) | Frame::Erased { .. }) => {
                    let (op, erased) = match frame {
                        Frame::Erased { op, sha256 } => (op, Some(sha256)),
                        Frame::Op(op) => (op, None),
                        _ => return Err(damaged("a part of its contents cannot be read")),
                    };
                    let Some(p) = part.as_mut() else { return Err(damaged("an op comes before its origin")) };
                    if p.hashes.last_seq().is_some_and(|seq| seq >= op.seq) || op.seq < 1 {
                        return Err(damaged("its ops are out of order"));
                    }
                    // The op as its origin signed it: the bytes read, when the frame gives them.
                    let encoded: std::borrow::Cow<'_, [u8]> = match frames.op_bytes() {
                        Some(bytes) if erased.is_none() => bytes.into(),
                        _ => bundle::encode_op(&op)?.into(),
                    };
                    p.hashes.push((op.seq, erased.unwrap_or_else(|| Sha256::digest(&encoded).into())))?;
                    ops_in_file += 1;
                    match p.fate {
                        Fate::Apply(limit) if op.seq > limit => report.refused += u64::from(first_pass),
                        Fate::Apply(_) if Hlc::unpack(op.hlc).ms > horizon => {
                            // Dated more than a day ahead of this laptop's clock: a wrong clock somewhere.
                            // Kept, and applied once the time comes (or the clocks are set right).
                            if let Some(sha256) = erased {
                                erasure::keep_hash(tx, oplog::origin_num(tx, p.id)?, op.seq, &sha256)?;
                            }
                            hold(tx, &mut room, p.id, op.seq, &encoded)?;
                            keep_origin(tx, p.id, &p.key, &p.name, &header.sender_name, &received_at)?;
                            report.future += 1;
                        }
                        Fate::Apply(_) => {
                            if op.table == "roster" {
                                p.wrote_roster = true;
                            }
                            let op = crate::oplog::wire::from_wire(p.id, op);
                            match erased {
                                Some(sha256) => {
                                    // Applied once the whole file is: its tombstone may come later in it.
                                    blanked.push(Blank {
                                        op,
                                        sha256,
                                        encoded: encoded.into_owned(),
                                        key: p.key,
                                        name: p.name.clone(),
                                    });
                                }
                                None => p.batch.push(op),
                            }
                            if p.batch.len() >= BATCH {
                                flush(tx, p)?;
                            }
                        }
                        Fate::Hold => {
                            if let Some(sha256) = erased {
                                erasure::keep_hash(tx, oplog::origin_num(tx, p.id)?, op.seq, &sha256)?;
                            }
                            hold(tx, &mut room, p.id, op.seq, &encoded)?;
                            p.held += 1;
                        }
                        Fate::Check => {}
                    }
                    if first_pass {
                        seen_ops += 1;
                        job.step("Reading the sync file", seen_ops, header.ops.max(seen_ops))?;
                    }
                }
                Frame::Ranges(ranges) => {
                    let Some(mut p) = part.take() else {
                        return Err(damaged("signatures come before their ops"));
                    };
                    check_ranges(workspace, &mut p, &ranges)?;
                    flush(tx, &mut p)?;
                    let num = oplog::origin_num(tx, p.id)?;
                    if matches!(p.fate, Fate::Apply(_)) || p.fate == Fate::Hold {
                        let mut keep = tx.prepare_cached(
                            "INSERT OR IGNORE INTO op_range (origin, first_seq, last_seq, signature)
                             VALUES (?1, ?2, ?3, ?4)",
                        )?;
                        for r in &ranges {
                            keep.execute(params![num, r.first, r.last, r.signature])?;
                        }
                    }
                    match p.fate {
                        Fate::Apply(_) => {
                            vector::advance(tx, num)?;
                            applied.insert(p.id);
                            report.new_ops += p.applied;
                            progressed |= p.wrote_roster;
                        }
                        Fate::Hold => {
                            keep_origin(tx, p.id, &p.key, &p.name, &header.sender_name, &received_at)?;
                            report.held_back += p.held;
                        }
                        Fate::Check => {}
                    }
                }
                Frame::Document { sha256, bytes } => {
                    if <[u8; 32]>::from(Sha256::digest(&bytes)) != sha256 {
                        return Err(damaged("a document's contents do not match its hash"));
                    }
                    if first_pass {
                        if let Some(store) = documents {
                            report.documents += u64::from(keep_document(store, &sha256, &bytes)?);
                        }
                    }
                }
                Frame::End => ended = true,
            }
        }
        if part.is_some() || !ended {
            return Err(damaged("its contents end too early"));
        }
        if ops_in_file != header.ops {
            return Err(damaged("it holds a different number of changes than its header says"));
        }
        first_pass = false;
        if holding || !unapproved {
            break;
        }
        // Another pass: to apply origins an approval in this one reached, else to keep those still waiting.
        if !progressed {
            holding = true;
        }
    }
    for b in blanked {
        if erasure::covers(tx, &b.op.table, b.op.row_id, &b.op.patch)? {
            report.new_ops += oplog::apply_erased(tx, &[(b.op, b.sha256)])? as u64;
        } else if tombstone_waits(tx, &b.op)? {
            // Its erasure is here but waits for its author's approval: so does the blank op.
            let num = oplog::origin_num(tx, b.op.origin)?;
            erasure::keep_hash(tx, num, b.op.seq, &b.sha256)?;
            hold(tx, &mut room, b.op.origin, b.op.seq, &b.encoded)?;
            keep_origin(tx, b.op.origin, &b.key, &b.name, &header.sender_name, &received_at)?;
        } else {
            return Err(Error::Bundle(
                "this sync file carries changes marked as erased without the erasure itself: refused".into(),
            ));
        }
    }
    report.already_held =
        header.ops.saturating_sub(report.new_ops + report.held_back + report.refused + report.future);
    report.new_ops += release(tx, me.id, horizon)?;
    report.waiting = waiting(tx)?;
    report.conflicts = open_conflicts(tx)?.difference(&open_before).count() as u64;
    if identity::accepted_up_to(tx, me.id, header.sender)?.is_some() || root == Some(header.sender) {
        let peer = oplog::origin_num(tx, header.sender)?;
        vector::record_acknowledged(tx, peer, header.created_ms, &header.vector, &received_at)?;
    }
    tx.execute(
        "INSERT INTO sync_file (bundle, direction, peer, peer_name, at, ops, new_ops, documents, result)
         VALUES (?1, 'in', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            header.bundle,
            header.sender,
            header.sender_name,
            received_at,
            i64::try_from(header.ops).unwrap_or(i64::MAX),
            i64::try_from(report.new_ops).unwrap_or(i64::MAX),
            i64::try_from(report.documents).unwrap_or(i64::MAX),
            if report.held_back > 0 { "held" } else { "imported" }
        ],
    )?;
    Ok(report)
}

/// An op that came blank (erased), waiting for the end of the file.
struct Blank {
    op: Op,
    sha256: [u8; 32],
    encoded: Vec<u8>,
    key: [u8; 32],
    name: String,
}

/// Whether the erasure of a blank op's row is here, waiting for its author's approval.
fn tombstone_waits(tx: &Tx, op: &Op) -> Result<bool> {
    let owner = op.patch.iter().find_map(|(_, v)| match v {
        rusqlite::types::Value::Blob(b) => Uuid::from_slice(b).ok(),
        _ => None,
    });
    let mut stmt = tx.prepare_cached("SELECT op FROM held_op")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let bytes: Vec<u8> = row.get(0)?;
        let held = bundle::decode_op(&bytes)?;
        if held.table == "erasure" && (held.row == op.row_id || Some(held.row) == owner) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An open conflict's key: its row, column and losing write (clock reading, origin).
type ConflictKey = (Vec<u8>, String, i64, i64);

/// The open conflicts, each by its key.
fn open_conflicts(tx: &Tx) -> Result<HashSet<ConflictKey>> {
    let mut stmt = tx.prepare_cached("SELECT row_id, col, loser_hlc, loser_origin FROM conflict")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn damaged(what: &str) -> Error {
    Error::Bundle(format!("this sync file is damaged: {what}; ask its sender for a new one"))
}

/// Applies a part's pending batch.
fn flush(tx: &Tx, part: &mut Part) -> Result<()> {
    if !part.batch.is_empty() {
        part.applied += oplog::apply(tx, &part.batch)? as u64;
        part.batch.clear();
        // Derived rows are settled once this many rows wait, so that what the transaction remembers of the
        // rows it touched stays bounded however many ops a file holds (and each count group is not
        // recounted batch after batch).
        if tx.touched_len() >= SETTLE_AT {
            tx.settle()?;
        }
    }
    Ok(())
}

/// Every op of a part is covered by ranges its origin signed, and each range's ops are all in the file.
fn check_ranges(workspace: Uuid, part: &mut Part, ranges: &[SignedRange]) -> Result<()> {
    let name = part.name.clone();
    let forged = || {
        Error::Bundle(format!(
            "this sync file carries changes said to be by \"{name}\" whose signature does not check out: refused"
        ))
    };
    if ranges.iter().any(|r| r.first < 1 || r.last < r.first) {
        return Err(forged());
    }
    let mut sorted: Vec<&SignedRange> = ranges.iter().collect();
    sorted.sort_by_key(|r| (r.first, r.last));
    // One pass over the ops in `seq` order: a range opens at its first op and is checked at its last; an op
    // no range covers, a range whose first or last op is missing, or a gap inside a range is a forgery.
    let mut next = 0;
    let mut open: Vec<(&SignedRange, Sha256, i64)> = Vec::new();
    let mut reader = part.hashes.reader()?;
    while let Some((seq, hash)) = reader.next_entry()? {
        if sorted.get(next).is_some_and(|r| r.first < seq) {
            return Err(forged());
        }
        while let Some(range) = sorted.get(next).filter(|r| r.first == seq) {
            open.push((range, Sha256::new(), 0));
            next += 1;
        }
        if open.is_empty() {
            return Err(forged());
        }
        let mut closed = Vec::new();
        for (i, (range, sha, count)) in open.iter_mut().enumerate() {
            sha.update(hash);
            *count += 1;
            if range.last == seq {
                closed.push(i);
            }
        }
        for i in closed.into_iter().rev() {
            let (range, sha, count) = open.swap_remove(i);
            let digest: [u8; 32] = sha.finalize().into();
            let message = bundle::range_message(workspace, part.id, range.first, range.last, &digest);
            if count != range.last - range.first + 1 || !bundle::verify(&part.key, &message, &range.signature)
            {
                return Err(forged());
            }
        }
        if open.iter().any(|(range, _, _)| range.last < seq) {
            return Err(forged());
        }
    }
    if !open.is_empty() || next < sorted.len() {
        return Err(forged());
    }
    Ok(())
}

/// Keeps an op, as it travelled, until it may be applied (once: a second copy is ignored), while `room`
/// (what [`MAX_HELD_OPS`] leaves) lasts.
fn hold(tx: &Tx, room: &mut i64, origin: Uuid, seq: i64, encoded: &[u8]) -> Result<()> {
    if *room <= 0 {
        return Err(Error::Bundle(format!(
            "this laptop already keeps {MAX_HELD_OPS} changes waiting for an approval or for their date: \
             approve or revoke the laptops waiting (liaison sync status) before importing more; nothing was \
             imported"
        )));
    }
    *room -= tx
        .prepare_cached("INSERT OR IGNORE INTO held_op (origin, seq, op) VALUES (?1, ?2, ?3)")?
        .execute(params![origin, seq, encoded])? as i64;
    Ok(())
}

/// Notes whose kept ops these are: the key to approve, its name, and the file's sender that brought them.
fn keep_origin(tx: &Tx, origin: Uuid, key: &[u8; 32], name: &str, via: &str, at: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO held_origin (origin, public_key, name, via, received_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (origin) DO UPDATE SET name = excluded.name, via = excluded.via",
    )?
    .execute(params![origin, key.to_vec(), name, via, at])?;
    Ok(())
}

/// Applies the kept ops of every origin now approved (an approval may approve others in turn), and forgets
/// them. Returns how many were new.
pub fn release(tx: &Tx, me: Uuid, horizon: i64) -> Result<u64> {
    let mut fresh = 0u64;
    loop {
        let origins: Vec<Uuid> = {
            let mut stmt = tx.prepare("SELECT origin FROM held_origin ORDER BY origin")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut progressed = false;
        for origin in origins {
            let Some(limit) = identity::accepted_up_to(tx, me, origin)? else { continue };
            let num = oplog::origin_num(tx, origin)?;
            let mut batch = Vec::new();
            let mut released = Vec::new();
            {
                let mut stmt = tx.prepare_cached(
                    "SELECT seq, op FROM held_op WHERE origin = ?1 AND seq <= ?2 ORDER BY seq",
                )?;
                let mut rows = stmt.query(params![origin, limit])?;
                while let Some(row) = rows.next()? {
                    let (seq, bytes): (i64, Vec<u8>) = (row.get(0)?, row.get(1)?);
                    let op = crate::oplog::wire::from_wire(origin, bundle::decode_op(&bytes)?);
                    if Hlc::unpack(op.hlc).ms > horizon {
                        continue;
                    }
                    // A blank op waits for its erasure to be applied here.
                    if erasure::original_hash(tx, num, seq)?.is_some()
                        && !erasure::covers(tx, &op.table, op.row_id, &op.patch)?
                    {
                        continue;
                    }
                    released.push(seq);
                    batch.push(op);
                    if batch.len() >= BATCH {
                        fresh += oplog::apply(tx, &batch)? as u64;
                        batch.clear();
                    }
                }
            }
            fresh += oplog::apply(tx, &batch)? as u64;
            vector::advance(tx, num)?;
            for seq in &released {
                tx.prepare_cached("DELETE FROM held_op WHERE origin = ?1 AND seq = ?2")?
                    .execute(params![origin, seq])?;
            }
            tx.prepare_cached("DELETE FROM held_op WHERE origin = ?1 AND seq > ?2")?
                .execute(params![origin, limit])?;
            let left =
                tx.prepare_cached("SELECT 1 FROM held_op WHERE origin = ?1")?.exists(params![origin])?;
            if !left {
                tx.prepare_cached("DELETE FROM held_origin WHERE origin = ?1")?.execute(params![origin])?;
            }
            progressed |= !released.is_empty() || !left;
        }
        if !progressed {
            return Ok(fresh);
        }
    }
}

/// The replicas whose ops wait for approval here.
pub fn waiting(conn: &Connection) -> Result<Vec<Waiting>> {
    let mut stmt = conn.prepare(
        "SELECT h.origin, h.name, h.public_key, (SELECT count(*) FROM held_op o WHERE o.origin = h.origin)
         FROM held_origin h
         WHERE NOT EXISTS (SELECT 1 FROM roster r WHERE r.id = h.origin AND r.state = 'approved' AND r.deleted = 0)
         ORDER BY h.name, h.origin",
    )?;
    let rows = stmt.query_map([], |r| {
        let key: Vec<u8> = r.get(2)?;
        Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, key, r.get::<_, i64>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, key, ops) = row?;
        let key = <[u8; 32]>::try_from(key.as_slice()).map_err(|_| Error::Corrupt("a held key".into()))?;
        out.push(Waiting { id, name, fingerprint: fingerprint(&key), ops: u64::try_from(ops).unwrap_or(0) });
    }
    Ok(out)
}

/// Approves the replica with this key fingerprint (among those waiting, or revoked), then applies what it
/// waited for. Returns the replica approved and how many ops were applied.
pub fn approve(tx: &Tx, clock: &dyn Clock, typed: &str) -> Result<(Waiting, u64)> {
    let wanted = identity::normalise_fingerprint(typed);
    if wanted.len() < 8 {
        return Err(Error::Invalid(vec![crate::error::FieldError {
            field: "fingerprint".into(),
            code: "fingerprint".into(),
            message: "give the key fingerprint shown on the other laptop (groups like 3F2A-9C1B-…)".into(),
        }]));
    }
    let me = identity::me(tx)?;
    let mut candidates: Vec<(Uuid, String, [u8; 32])> = Vec::new();
    {
        let mut stmt = tx.prepare("SELECT origin, name, public_key FROM held_origin")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?)))?;
        for row in rows {
            let (id, name, key) = row?;
            if let Ok(key) = <[u8; 32]>::try_from(key.as_slice()) {
                candidates.push((id, name, key));
            }
        }
    }
    for member in identity::roster(tx)? {
        if let (Some(key), false) = (member.public_key, member.standing == identity::Standing::Approved) {
            candidates.push((member.id, member.name, key));
        }
    }
    let found: Vec<&(Uuid, String, [u8; 32])> = candidates
        .iter()
        .filter(|(id, _, key)| {
            *id != me.id && identity::normalise_fingerprint(&fingerprint(key)).starts_with(&wanted)
        })
        .collect();
    let (id, name, key) = match found.as_slice() {
        [one] => (*one).clone(),
        [] => {
            return Err(Error::NotFound {
                entity: "replica waiting for approval with fingerprint",
                id: typed.to_owned(),
            })
        }
        _ => {
            return Err(Error::Conflict(format!(
                "several replicas' fingerprints start with {typed}: give more of it"
            )))
        }
    };
    let ops: i64 =
        tx.query_row("SELECT count(*) FROM held_op WHERE origin = ?1", params![id], |r| r.get(0))?;
    identity::approve(tx, clock, id, &name, &key)?;
    let applied = release(tx, me.id, clock.now().timestamp_millis() + FUTURE_MS)?;
    Ok((Waiting { id, name, fingerprint: fingerprint(&key), ops: u64::try_from(ops).unwrap_or(0) }, applied))
}

/// Revokes a replica: the ops it made after the last one this replica holds are refused from now on.
pub fn revoke(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<i64> {
    let me = identity::me(tx)?;
    let held = vector::held(tx, me.num)?;
    let until = held.get(&id).copied().unwrap_or(0);
    identity::revoke(tx, clock, id, until)?;
    tx.prepare_cached("DELETE FROM held_op WHERE origin = ?1 AND seq > ?2")?.execute(params![id, until])?;
    Ok(until)
}

/// Writes a received document into the store unless it is there. Returns whether it was new.
fn keep_document(store: &Path, sha256: &[u8; 32], bytes: &[u8]) -> Result<bool> {
    let hex: String = sha256.iter().map(|b| format!("{b:02x}")).collect();
    let Some(path) = crate::records::document::blob_path(store, &hex) else { return Ok(false) };
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::files::write_atomically(&path, bytes)?;
    Ok(true)
}
