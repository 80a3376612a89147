//! Documents attached to records: the file is copied once into a content-addressed store (its SHA-256
//! names it: `documents/ab/abcd…`), written whole or not at all, and a synced row ties it to its record with
//! its original name, size and media type. Attaching the same file twice stores it once. A stored hash is
//! used as a path only once it is known to be one (64 lower-case hex digits). A removed document's file is
//! put aside (restore brings it back) unless another document has the same content; what is put aside and
//! the copies made for the viewer go at the next [`sweep`].

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

/// Where the store keeps the file of content hash `sha256`; `None` unless it is a SHA-256 in lower-case hex,
/// so a hash read from a row (one that came by sync too) can never point outside the store.
pub fn blob_path(store: &Path, sha256: &str) -> Option<PathBuf> {
    is_hash(sha256).then(|| store.join(&sha256[..2]).join(sha256))
}

fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where a removed document's file waits until the next [`sweep`], in case the removal is undone.
fn aside_path(store: &Path, sha256: &str) -> Option<PathBuf> {
    is_hash(sha256).then(|| store.join(ASIDE).join(sha256))
}

const ASIDE: &str = "removed";

/// How long a copy made for the viewer is kept: the viewer has long read it by then.
const COPY_KEPT: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

fn damaged(sha256: &str) -> Error {
    Error::Corrupt(format!("a document's content hash {} is not a SHA-256", crate::validate::quote(sha256)))
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
    let target = blob_path(store, &sha).ok_or_else(|| damaged(&sha))?;
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

/// [`store_file`] for a document of `owner`, once `owner` is known to be a record: a file for a record that
/// does not exist is refused before it is copied, leaving nothing in the store.
pub fn store_file_for(conn: &Connection, store: &Path, owner: Uuid, source: &Path) -> Result<(String, u64)> {
    require_owner(conn, owner)?;
    store_file(store, source)
}

fn require_owner(conn: &Connection, owner: Uuid) -> Result<()> {
    match crate::reference::kind_of(conn, owner)? {
        Some(_) => Ok(()),
        None => Err(Error::NotFound { entity: "record", id: owner.to_string() }),
    }
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
    require_owner(tx, owner)?;
    if !is_hash(sha256) {
        return Err(Error::Invalid(vec![FieldError {
            field: "sha256".into(),
            code: "sha256".into(),
            message: format!("{} is not a SHA-256 content hash", crate::validate::quote(sha256)),
        }]));
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

/// Detaches a document: the row is marked deleted and can be restored. Once this has committed,
/// [`put_file_aside`] takes its file out of the store.
pub fn remove(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("document", id, true)
}

/// Undoes [`remove`]; once this has committed, [`bring_file_back`] returns its file to the store.
pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("document", id, false)
}

/// After a removal has committed: moves the document's file out of the store, to wait for the next
/// [`sweep`], unless a live document has the same content. Files live outside the transaction, so this
/// follows the commit: a removal rolled back never loses its file.
pub fn put_file_aside(conn: &Connection, store: &Path, id: Uuid) -> Result<()> {
    let sha256 = sha_of(conn, id)?;
    let (Some(blob), Some(aside)) = (blob_path(store, &sha256), aside_path(store, &sha256)) else {
        return Err(damaged(&sha256));
    };
    if !blob.exists() || live_with(conn, &sha256)? {
        return Ok(());
    }
    if let Some(dir) = aside.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::rename(&blob, &aside)?;
    Ok(())
}

/// After a restore has committed: brings the document's file back from where [`put_file_aside`] left it.
pub fn bring_file_back(conn: &Connection, store: &Path, id: Uuid) -> Result<()> {
    let sha256 = sha_of(conn, id)?;
    let (Some(blob), Some(aside)) = (blob_path(store, &sha256), aside_path(store, &sha256)) else {
        return Err(damaged(&sha256));
    };
    if aside.exists() && !blob.exists() {
        if let Some(dir) = blob.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(&aside, &blob)?;
    }
    Ok(())
}

fn sha_of(conn: &Connection, id: Uuid) -> Result<String> {
    conn.prepare_cached("SELECT sha256 FROM document WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "document", id: id.to_string() })
}

/// Whether a live document has this content.
fn live_with(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM document WHERE sha256 = ?1 AND deleted = 0")?
        .exists(params![sha256])?)
}

/// What [`sweep`] deleted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Swept {
    /// Files put aside by removals, and files an interrupted copy left half-written.
    pub files: usize,
    /// Copies made for the viewer.
    pub copies: usize,
}

/// Deletes the files removals put aside and the half-written files of interrupted copies, and every copy
/// made for the viewer in `viewer_dir`. The app runs it as it starts, when no removal can still be undone
/// and no viewer of its own is reading a copy. Files no row points to yet are kept: a sync file brings the
/// files of changes waiting for approval before their rows.
pub fn sweep(store: &Path, viewer_dir: &Path) -> Result<Swept> {
    let mut swept = Swept::default();
    if let Ok(entries) = std::fs::read_dir(store) {
        for entry in entries {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name == ASIDE || name.starts_with(".incoming-") {
                swept.files += remove_all(&path)?;
            }
        }
    }
    swept.copies = remove_all(viewer_dir)?;
    Ok(swept)
}

/// Deletes a file [`store_file`] copied for an attach that then failed, unless a live document has the same
/// content.
pub fn discard(conn: &Connection, store: &Path, sha256: &str) -> Result<()> {
    let blob = blob_path(store, sha256).ok_or_else(|| damaged(sha256))?;
    if !live_with(conn, sha256)? {
        remove_all(&blob)?;
    }
    Ok(())
}

/// Deletes a file or a folder with everything in it; the number of files deleted (none if it was not there).
fn remove_all(path: &Path) -> Result<usize> {
    if path.is_dir() {
        let mut count = 0;
        for entry in std::fs::read_dir(path)? {
            count += remove_all(&entry?.path())?;
        }
        std::fs::remove_dir(path)?;
        Ok(count)
    } else {
        match std::fs::remove_file(path) {
            Ok(()) => Ok(1),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e.into()),
        }
    }
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
        available: store.is_none_or(|s| blob_path(s, &sha256).is_some_and(|p| p.exists())),
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
/// file's extension; the store's files have none). Copies made more than a day before are deleted (the
/// rest at the next [`sweep`]).
pub fn open_copy(conn: &Connection, store: &Path, dir: &Path, id: Uuid) -> Result<PathBuf> {
    let doc = get(conn, Some(store), id)?;
    let source = file_of(conn, store, id)?;
    remove_copies_older(dir, COPY_KEPT)?;
    let name = Path::new(&doc.name).file_name().map(|n| n.to_owned()).unwrap_or_else(|| "document".into());
    let target_dir = dir.join(&doc.sha256);
    std::fs::create_dir_all(&target_dir)?;
    let target = target_dir.join(name);
    if !target.exists() {
        std::fs::copy(&source, &target)?;
    }
    Ok(target)
}

/// Deletes the viewer's copies (one folder per content in `dir`) made longer than `kept` ago.
fn remove_copies_older(dir: &Path, kept: std::time::Duration) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let entry = entry?;
        let made = entry.metadata()?.modified()?;
        if made.elapsed().is_ok_and(|age| age > kept) {
            remove_all(&entry.path())?;
        }
    }
    Ok(())
}

/// The stored file of a document, to open with the system viewer.
pub fn file_of(conn: &Connection, store: &Path, id: Uuid) -> Result<PathBuf> {
    let doc = get(conn, Some(store), id)?;
    let path = blob_path(store, &doc.sha256).ok_or_else(|| damaged(&doc.sha256))?;
    if path.exists() {
        Ok(path)
    } else {
        Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{} has not arrived on this computer yet: it comes with the next sync", doc.name),
        )))
    }
}
