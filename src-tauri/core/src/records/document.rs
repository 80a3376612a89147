//! Documents attached to records: the file is copied once into a content-addressed store (its SHA-256
//! names it: `documents/ab/abcd…`), written whole or not at all, and a synced row ties it to its record with
//! its original name, size and media type. Attaching the same file twice stores it once.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, FieldError, Result};
use crate::oplog::{id_value, Mutation};
use crate::store::Tx;

/// Files larger than this are refused (a scanned agreement is a few megabytes).
pub const MAX_SIZE: u64 = 200 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Document {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub name: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: i64,
    pub media_type: Option<String>,
    /// When it was attached (read from its id).
    pub added_at: Option<String>,
    /// False when this replica does not hold the file yet (it arrives with the next sync).
    pub available: bool,
}

/// Where the store of a database lives: `documents/` beside the database file.
pub fn store_beside(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or_else(|| Path::new(".")).join("documents")
}

fn blob_path(store: &Path, sha256: &str) -> PathBuf {
    store.join(sha256.get(..2).unwrap_or("00")).join(sha256)
}

fn invalid(message: String) -> Error {
    Error::Invalid(vec![FieldError { field: "file".into(), code: "file".into(), message }])
}

/// Copies `source` into the store (if it is not there yet) and returns its SHA-256 and size.
pub fn store_file(store: &Path, source: &Path) -> Result<(String, u64)> {
    let mut input =
        std::fs::File::open(source).map_err(|e| invalid(format!("cannot read {}: {e}", source.display())))?;
    let size = input.metadata()?.len();
    if size > MAX_SIZE {
        return Err(invalid(format!(
            "{} is {} MB; the limit is {} MB",
            source.display(),
            size >> 20,
            MAX_SIZE >> 20
        )));
    }
    std::fs::create_dir_all(store)?;
    let tmp = store.join(format!(".incoming-{}", Uuid::now_v7()));
    let copied = (|| -> std::io::Result<String> {
        let mut out = std::fs::File::create(&tmp)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = input.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            out.write_all(&buffer[..n])?;
        }
        out.sync_all()?;
        Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
    })();
    let sha = match copied {
        Ok(sha) => sha,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
    };
    let target = blob_path(store, &sha);
    if target.exists() {
        std::fs::remove_file(&tmp)?;
    } else {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(&tmp, &target)?;
    }
    Ok((sha, size))
}

/// Attaches a file already stored (see [`store_file`]) to a record.
pub fn attach(
    tx: &Tx,
    clock: &dyn Clock,
    owner: Uuid,
    name: &str,
    sha256: &str,
    size: u64,
) -> Result<Document> {
    if crate::reference::kind_of(tx, owner)?.is_none() {
        return Err(Error::NotFound { entity: "record", id: owner.to_string() });
    }
    let name = name.trim();
    let mut report = crate::validate::Report::default();
    crate::validate::line(&mut report, "name", name, crate::validate::TEXT_LIMITS.line);
    report.finish()?;
    let media_type = mime_guess::from_path(name).first().map(|m| m.essence_str().to_owned());
    let id = crate::store::new_id();
    Mutation::begin(tx, clock)?.insert(
        "document",
        id,
        &[
            ("owner_id", id_value(owner)),
            ("name", Value::Text(if name.is_empty() { "document".into() } else { name.to_owned() })),
            ("sha256", Value::Text(sha256.to_owned())),
            ("size", Value::Integer(i64::try_from(size).unwrap_or(i64::MAX))),
            ("media_type", media_type.map_or(Value::Null, Value::Text)),
        ],
    )?;
    get(tx, None, id)
}

/// Detaches a document (the row is marked deleted and can be restored; the file stays in the store).
pub fn remove(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("document", id, true)
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("document", id, false)
}

fn from_row(store: Option<&Path>, r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let id: Uuid = r.get(0)?;
    let sha256: String = r.get(3)?;
    let added_at = id.get_timestamp().and_then(|t| {
        let (secs, nanos) = t.to_unix();
        chrono::DateTime::from_timestamp(i64::try_from(secs).ok()?, nanos)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    });
    Ok(Document {
        id,
        owner_id: r.get(1)?,
        name: r.get(2)?,
        available: store.is_none_or(|s| blob_path(s, &sha256).exists()),
        sha256,
        size: r.get(4)?,
        media_type: r.get(5)?,
        added_at,
    })
}

pub fn get(conn: &Connection, store: Option<&Path>, id: Uuid) -> Result<Document> {
    conn.prepare_cached("SELECT id, owner_id, name, sha256, size, media_type FROM document WHERE id = ?1")?
        .query_row(params![id], |r| from_row(store, r))
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "document", id: id.to_string() })
}

/// A record's live documents, newest first.
pub fn list(conn: &Connection, store: &Path, owner: Uuid) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, owner_id, name, sha256, size, media_type FROM document
         WHERE owner_id = ?1 AND deleted = 0 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![owner], |r| from_row(Some(store), r))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A copy of a document's file under its own name in `dir`, for the system viewer (which goes by the
/// file's extension; the store's files have none).
pub fn open_copy(conn: &Connection, store: &Path, dir: &Path, id: Uuid) -> Result<PathBuf> {
    let doc = get(conn, Some(store), id)?;
    let source = file_of(conn, store, id)?;
    let name = Path::new(&doc.name).file_name().map(|n| n.to_owned()).unwrap_or_else(|| "document".into());
    let target_dir = dir.join(&doc.sha256);
    std::fs::create_dir_all(&target_dir)?;
    let target = target_dir.join(name);
    if !target.exists() {
        std::fs::copy(&source, &target)?;
    }
    Ok(target)
}

/// The stored file of a document, to open with the system viewer.
pub fn file_of(conn: &Connection, store: &Path, id: Uuid) -> Result<PathBuf> {
    let doc = get(conn, Some(store), id)?;
    let path = blob_path(store, &doc.sha256);
    if path.exists() {
        Ok(path)
    } else {
        Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} has not arrived on this computer yet: it comes with the next sync", doc.name),
        )))
    }
}
