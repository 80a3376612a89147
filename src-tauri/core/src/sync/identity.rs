//! Who is who in a workspace: this replica's signing key, key fingerprints a person can read over the
//! phone, and the roster (synced like data) that says which replicas are approved or revoked. Only an
//! approved replica's ops are applied; an approval or a revocation is an op of its approver.

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::oplog::Mutation;
use crate::store::{self, Tx};
use crate::sync::bundle;

/// This replica as sync sees it.
pub struct Me {
    pub id: Uuid,
    pub name: String,
    pub secret: [u8; 32],
    pub public_key: [u8; 32],
    /// Local number in the op log.
    pub num: i64,
}

/// This replica's identity; a workspace made before sync existed gets its key here.
pub fn me(tx: &Connection) -> Result<Me> {
    let row: Option<(Uuid, Option<Vec<u8>>, String, i64)> = tx
        .query_row(
            "SELECT s.replica_id, s.signing_key, coalesce(r.name, ''), r.num FROM replica_state s
             JOIN replica r ON r.id = s.replica_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (id, key, name, num) = row.ok_or(Error::NotInitialised)?;
    let secret: [u8; 32] = match key.and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok()) {
        Some(secret) => secret,
        None => {
            let secret = store::new_signing_key();
            tx.execute("UPDATE replica_state SET signing_key = ?1", params![secret.to_vec()])?;
            secret
        }
    };
    Ok(Me { id, name, public_key: bundle::public_key(&secret), secret, num })
}

/// Where this database file lives and on which computer, as a token: a copy of the file elsewhere has
/// another. The computer's part is a random id kept outside any database (in the user's data directory),
/// made the first time; the place is the file's canonical path.
pub fn instance_token(path: &std::path::Path) -> Result<String> {
    let dir = dirs::data_local_dir().unwrap_or_else(std::env::temp_dir).join(store::APP_ID);
    let file = dir.join("instance-id");
    let machine = match std::fs::read_to_string(&file) {
        Ok(id) if !id.trim().is_empty() => id.trim().to_owned(),
        _ => {
            let id = uuid::Uuid::new_v4().to_string();
            std::fs::create_dir_all(&dir)?;
            crate::files::write_atomically(&file, id.as_bytes())?;
            id
        }
    };
    let place = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut sha = Sha256::new();
    sha.update(machine.as_bytes());
    sha.update([0]);
    sha.update(place.to_string_lossy().as_bytes());
    Ok(sha.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect())
}

/// Claims this database file for this computer and place. The first time, notes where it is. If it was
/// copied (or moved) from elsewhere, this copy must not go on writing as the original replica (two laptops
/// numbering ops alike would fork its sequence): it takes a new replica id and key, keeps its name and data,
/// and holds the original's ops as another origin's. Its next file waits for approval of its new key.
/// Returns whether it took a new identity.
pub fn claim_instance(conn: &mut Connection, path: &std::path::Path) -> Result<bool> {
    let token = instance_token(path)?;
    let current: Option<(Uuid, Option<String>)> = conn
        .query_row("SELECT replica_id, instance FROM replica_state", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((old, instance)) = current else { return Ok(false) };
    if instance.as_deref() == Some(token.as_str()) {
        return Ok(false);
    }
    crate::write(conn, |tx| {
        if instance.is_none() {
            tx.execute("UPDATE replica_state SET instance = ?1", params![token])?;
            return Ok(false);
        }
        let name: String =
            tx.query_row("SELECT name FROM replica WHERE id = ?1", params![old], |r| r.get(0))?;
        let old_num: i64 =
            tx.query_row("SELECT num FROM replica WHERE id = ?1", params![old], |r| r.get(0))?;
        let held: i64 =
            tx.query_row("SELECT coalesce(max(seq), 0) FROM op WHERE origin = ?1", params![old_num], |r| {
                r.get(0)
            })?;
        let new = Uuid::new_v4();
        tx.execute(
            "UPDATE replica_state SET replica_id = ?1, signing_key = ?2, instance = ?3",
            params![new, store::new_signing_key().to_vec(), token],
        )?;
        tx.execute(
            "INSERT INTO replica (id, name, created_at) VALUES (?1, ?2, datetime('now'))",
            params![new, name],
        )?;
        if held > 0 {
            tx.execute(
                "INSERT INTO sync_held (origin, seq) VALUES (?1, ?2) ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq",
                params![old_num, held],
            )?;
        }
        Ok(true)
    })
}

/// A key's fingerprint: the first 16 bytes of its SHA-256, as eight groups of four hexadecimal digits
/// (`3F2A-9C1B-…`), short enough to read over the phone and long enough that no one can forge a match.
pub fn fingerprint(public_key: &[u8; 32]) -> String {
    let digest = Sha256::digest(public_key);
    digest[..16].chunks(2).map(|pair| format!("{:02X}{:02X}", pair[0], pair[1])).collect::<Vec<_>>().join("-")
}

/// A fingerprint as typed by a person: digits only, upper case (dashes and spaces aside).
pub fn normalise_fingerprint(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_hexdigit()).map(|c| c.to_ascii_uppercase()).collect()
}

/// A replica's standing in this workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Standing {
    Approved,
    /// Its ops are kept, not applied, until a user approves its key.
    Waiting,
    Revoked,
}

/// A replica's row in the roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: Uuid,
    pub name: String,
    pub public_key: Option<[u8; 32]>,
    pub standing: Standing,
    /// When revoked: the last of its ops still accepted.
    pub until_seq: Option<i64>,
}

fn member_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Member> {
    let key: Option<Vec<u8>> = r.get(2)?;
    let state: Option<String> = r.get(3)?;
    Ok(Member {
        id: r.get(0)?,
        name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        public_key: key.and_then(|k| <[u8; 32]>::try_from(k.as_slice()).ok()),
        standing: match state.as_deref() {
            Some("approved") => Standing::Approved,
            Some("revoked") => Standing::Revoked,
            _ => Standing::Waiting,
        },
        until_seq: r.get(4)?,
    })
}

/// A replica's roster row, if any.
pub fn member(conn: &Connection, id: Uuid) -> Result<Option<Member>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, public_key, state, until_seq FROM roster WHERE id = ?1 AND deleted = 0",
        )?
        .query_row(params![id], member_of)
        .optional()?)
}

/// Every replica in the roster, by name.
pub fn roster(conn: &Connection) -> Result<Vec<Member>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, public_key, state, until_seq FROM roster WHERE deleted = 0 ORDER BY name, id",
    )?;
    let rows = stmt.query_map([], member_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Which of an origin's ops this replica accepts: all (`Some(i64::MAX)`), those up to a revocation's
/// `until_seq`, or none yet (`None`: not approved).
pub fn accepted_up_to(conn: &Connection, me: Uuid, origin: Uuid) -> Result<Option<i64>> {
    if origin == me {
        return Ok(Some(i64::MAX));
    }
    Ok(match member(conn, origin)? {
        Some(Member { standing: Standing::Approved, .. }) => Some(i64::MAX),
        Some(Member { standing: Standing::Revoked, until_seq, .. }) => Some(until_seq.unwrap_or(0)),
        _ => None,
    })
}

/// Writes this replica's own roster row (name and public key) if it is missing or stale. The replica that
/// made the workspace (the roster has no approved member yet) approves itself: it is the trust root.
pub fn publish_me(tx: &Tx, clock: &dyn Clock) -> Result<()> {
    let me = me(tx)?;
    let current = member(tx, me.id)?;
    let founder = current.as_ref().is_none_or(|m| m.standing != Standing::Approved)
        && !tx.prepare_cached("SELECT 1 FROM roster WHERE state = 'approved' AND deleted = 0")?.exists([])?;
    let mut values =
        vec![("name", Value::Text(me.name.clone())), ("public_key", Value::Blob(me.public_key.to_vec()))];
    if founder {
        values.push(("state", Value::Text("approved".into())));
    }
    let mut mutation = Mutation::begin(tx, clock)?;
    match current {
        None => mutation.insert("roster", me.id, &values)?,
        Some(m) => {
            if m.name != me.name || m.public_key != Some(me.public_key) || founder {
                mutation.update("roster", me.id, &values)?;
            }
        }
    }
    Ok(())
}

/// Approves a replica by its key: from now on (and on every replica this op reaches) its ops are applied.
pub fn approve(tx: &Tx, clock: &dyn Clock, id: Uuid, name: &str, public_key: &[u8; 32]) -> Result<()> {
    let values = [
        ("name", Value::Text(name.to_owned())),
        ("public_key", Value::Blob(public_key.to_vec())),
        ("state", Value::Text("approved".into())),
        ("until_seq", Value::Null),
    ];
    let mut mutation = Mutation::begin(tx, clock)?;
    match member(tx, id)? {
        None => mutation.insert("roster", id, &values[..3]),
        Some(_) => mutation.update("roster", id, &values).map(|_| ()),
    }
}

/// Revokes a replica: its ops above `until_seq` (the last this replica holds from it) are refused from now
/// on, here and on every replica this op reaches.
pub fn revoke(tx: &Tx, clock: &dyn Clock, id: Uuid, until_seq: i64) -> Result<()> {
    let me = me(tx)?;
    if id == me.id {
        return Err(Error::Conflict("a replica cannot revoke itself: revoke it from another laptop".into()));
    }
    let Some(_) = member(tx, id)? else {
        return Err(Error::NotFound { entity: "replica", id: id.to_string() });
    };
    let mut mutation = Mutation::begin(tx, clock)?;
    mutation.update(
        "roster",
        id,
        &[("state", Value::Text("revoked".into())), ("until_seq", Value::Integer(until_seq))],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_eight_groups_of_four_hex_digits_and_reads_back_typed_loosely() {
        let key = bundle::public_key(&[7u8; 32]);
        let print = fingerprint(&key);
        assert_eq!(print.len(), 8 * 4 + 7, "{print}");
        assert!(print.split('-').all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_hexdigit())));
        let typed = print.to_lowercase().replace('-', " ");
        assert_eq!(normalise_fingerprint(&typed), print.replace('-', ""));
        assert_ne!(fingerprint(&bundle::public_key(&[8u8; 32])), print, "two keys, two fingerprints");
    }
}
