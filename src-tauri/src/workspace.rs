//! The open workspace: one writer connection, a small pool of read connections beside it (WAL lets readers
//! run while the writer works, so lists open during a long job), and the long jobs running.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use liaison_core::job::Job;
use liaison_core::{Clock, SystemClock, Tx};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use tauri::Emitter;

use crate::error::{Error, Result};

/// Readers in the pool: lists, pages and the dashboard of one window rarely ask more at once.
const READERS: u32 = 4;

pub struct Workspace {
    writer: Mutex<Connection>,
    readers: r2d2::Pool<SqliteConnectionManager>,
    path: PathBuf,
    jobs: Mutex<HashMap<u32, Job>>,
    next_job: AtomicU32,
}

impl Workspace {
    /// The workspace over `writer`, the database at `path` already opened and migrated.
    pub fn new(writer: Connection, path: PathBuf) -> Result<Workspace> {
        let manager = SqliteConnectionManager::file(&path).with_init(liaison_core::store::prepare_reader);
        let readers = r2d2::Pool::builder().max_size(READERS).min_idle(Some(1)).build(manager)?;
        Ok(Workspace {
            writer: Mutex::new(writer),
            readers,
            path,
            jobs: Mutex::new(HashMap::new()),
            next_job: AtomicU32::new(1),
        })
    }

    pub fn path_text(&self) -> String {
        self.path.display().to_string()
    }

    /// Where attached documents are stored: beside the database.
    pub fn documents(&self) -> PathBuf {
        liaison_core::records::document::store_beside(&self.path)
    }

    /// The writer. A command that panicked while holding it dropped its transaction, which rolled back, so
    /// the connection is still sound and later commands may use it.
    pub fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A read on a pooled connection: never waits for the writer.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> liaison_core::Result<T>) -> Result<T> {
        let conn = self.readers.get()?;
        Ok(f(&conn)?)
    }

    /// One transaction on the writer; then a `changed` event so the UI refetches what it shows.
    pub fn write<T>(
        &self,
        app: &tauri::AppHandle,
        f: impl FnOnce(&Tx, &dyn Clock) -> liaison_core::Result<T>,
    ) -> Result<T> {
        let out = liaison_core::write(&mut self.writer(), |tx| f(tx, &SystemClock))?;
        changed(app);
        Ok(out)
    }

    /// Registers a running job; its id lets the UI cancel it.
    pub fn add_job(&self, job: Job) -> u32 {
        let id = self.next_job.fetch_add(1, Ordering::Relaxed);
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner).insert(id, job);
        id
    }

    pub fn remove_job(&self, id: u32) {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
    }

    /// Asks a running job to stop; `false` if it has already ended.
    pub fn cancel_job(&self, id: u32) -> bool {
        match self.jobs.lock().unwrap_or_else(PoisonError::into_inner).get(&id) {
            Some(job) => {
                job.cancel();
                true
            }
            None => false,
        }
    }
}

/// Tells the UI the data changed (a failed emit only delays the refresh until the user's next action).
pub fn changed(app: &tauri::AppHandle) {
    let _ = app.emit("changed", ());
}

impl From<r2d2::Error> for Error {
    fn from(e: r2d2::Error) -> Error {
        Error::Pool(e.to_string())
    }
}
