//! Liaison's core: the records, storage, the op log that sync replays, derived rows, search and long jobs.
//! No Tauri, no async: every function is synchronous over a SQLite connection and an injected clock.

pub mod clock;
pub mod columns;
pub mod dashboard;
pub mod demo;
pub mod derive;
pub mod error;
pub mod export;
pub mod files;
pub mod import;
pub mod job;
pub mod json;
pub mod kinds;
pub mod label;
pub mod oplog;
pub mod records;
pub mod reference;
pub mod reminder;
pub mod report;
pub mod rules;
pub mod search;
pub mod store;
pub mod sync;
pub mod table;
pub mod text;
pub mod validate;
pub mod workspace;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Error, FieldError, Result};

pub use store::Tx;

/// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed (derived rows settled first) if it returns `Ok`,
/// rolled back otherwise, so a failed write leaves the database exactly as it was.
pub fn write<T>(conn: &mut rusqlite::Connection, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
    let tx = Tx::begin(conn, derive::settle)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// Opens (creating if needed) the database file to read it and brings its schema up to date (see
/// [`store::open`]); then applies the quarantined ops that an upgrade has made known (see
/// [`oplog::replay_quarantine`]). The file is checked for damage only if it must be migrated: a process that
/// is going to write opens it with [`open_to_write`].
pub fn open(path: &std::path::Path) -> Result<rusqlite::Connection> {
    open_checked(path, store::Check::BeforeMigrating)
}

/// [`open`] for a process that is going to write: a damaged file is refused, saying how to recover, before
/// anything is written to it; a file copied from elsewhere gets a replica of its own (see
/// [`sync::identity::claim_instance`]).
pub fn open_to_write(path: &std::path::Path) -> Result<rusqlite::Connection> {
    let mut conn = open_checked(path, store::Check::First)?;
    // A database copied to another computer or place takes a replica id of its own before it writes.
    sync::identity::claim_instance(&mut conn, path)?;
    Ok(conn)
}

fn open_checked(path: &std::path::Path, check: store::Check) -> Result<rusqlite::Connection> {
    let mut conn = store::open(path, derive::backfill, check)?;
    if oplog::quarantine_known(&conn)? {
        write(&mut conn, oplog::replay_quarantine)?;
    }
    Ok(conn)
}

/// A fresh database in memory, migrated, for tests and benchmarks.
pub fn open_in_memory() -> Result<rusqlite::Connection> {
    store::open_in_memory(derive::backfill)
}
