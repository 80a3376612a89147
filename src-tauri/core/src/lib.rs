//! Liaison's core: the domain (partners, contacts), storage, the op log that sync replays, and search.
//! No Tauri, no async: every function is synchronous over a SQLite connection and an injected clock.

pub mod agreement;
pub mod application;
pub mod call;
pub mod clock;
pub mod contact;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod document;
pub mod error;
pub mod event;
pub mod exchange;
pub mod files;
pub mod json;
pub mod kinds;
pub mod oplog;
pub mod partner;
pub mod project;
pub mod reference;
pub mod reminder;
pub mod search;
pub mod text;
pub mod validate;
pub mod workspace;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{Error, FieldError, Result};

/// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed if it returns `Ok`, rolled back otherwise, so a
/// failed write leaves the database exactly as it was.
pub fn write<T>(
    conn: &mut rusqlite::Connection,
    f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
) -> Result<T> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}
