//! The write transaction: one `BEGIN IMMEDIATE` transaction and the synced rows written in it so far, with
//! the values their columns had before it first changed them. Derived rows (list rows, search rows, counts,
//! kept assessments) are brought up to date by [`Tx::settle`], once for every row touched, however many times
//! it was written; [`Tx::commit`] settles before it commits, so no transaction commits stale derived rows.
//! A bulk write may hold the replica's clock and op numbering in memory ([`ReplicaState`]); the commit writes
//! them back.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::ops::Deref;

use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, TransactionBehavior};
use uuid::Uuid;

use crate::error::Result;

/// Refreshes the derived rows of what a transaction touched (the crate's `derive::settle`).
pub type Settle = fn(&Tx<'_>) -> Result<()>;

/// The synced rows a transaction has written, each with its columns' values from before the transaction
/// first changed them (none for a row it created).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Touched {
    rows: BTreeMap<(&'static str, Uuid), BTreeMap<&'static str, Value>>,
}

impl Touched {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Each row touched: its table, its id and the values its changed columns had before.
    pub fn rows(&self) -> impl Iterator<Item = (&'static str, Uuid, &BTreeMap<&'static str, Value>)> {
        self.rows.iter().map(|((table, id), old)| (*table, *id, old))
    }

    /// Records a write to a row; of each column, the first value seen is kept (the one before the
    /// transaction).
    pub fn add(
        &mut self,
        table: &'static str,
        id: Uuid,
        old: impl IntoIterator<Item = (&'static str, Value)>,
    ) {
        let before = self.rows.entry((table, id)).or_default();
        for (column, value) in old {
            before.entry(column).or_insert(value);
        }
    }
}

/// The replica's row of `replica_state` as a bulk write holds it in memory: its number, its clock and the
/// next `seq` of its ops (see `oplog::hold`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplicaState {
    pub origin: i64,
    pub hlc_ms: i64,
    pub hlc_counter: u32,
    pub next_seq: i64,
}

/// A write transaction (see the module's guarantee). Derefs to the SQLite transaction, so reads take it as
/// a `&Connection`.
pub struct Tx<'c> {
    tx: Transaction<'c>,
    touched: RefCell<Touched>,
    settle: Settle,
    held: Cell<Option<ReplicaState>>,
}

impl<'c> Tx<'c> {
    /// Begins an immediate (write-locking) transaction whose derived rows `settle` refreshes.
    pub fn begin(conn: &'c mut Connection, settle: Settle) -> Result<Self> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Tx { tx, touched: RefCell::new(Touched::default()), settle, held: Cell::new(None) })
    }

    /// The replica's state when held in memory, else `None` (it is then read from `replica_state`).
    pub fn held(&self) -> Option<ReplicaState> {
        self.held.get()
    }

    /// Holds the replica's state in memory (`Some`), or forgets it (`None`) without writing it back.
    pub fn hold(&self, state: Option<ReplicaState>) {
        self.held.set(state);
    }

    /// Writes the held clock back to `replica_state` (never moving it back) and stops holding it (the next
    /// `seq` is the op log's).
    pub fn release(&self) -> Result<()> {
        if let Some(state) = self.held.take() {
            self.tx
                .prepare_cached(
                    "UPDATE replica_state SET hlc_ms = ?1, hlc_counter = ?2 WHERE (hlc_ms, hlc_counter) < (?1, ?2)",
                )?
                .execute(rusqlite::params![state.hlc_ms, state.hlc_counter])?;
        }
        Ok(())
    }

    /// Notes a write to a synced row (called by the op log for every row it writes).
    pub fn touch(&self, table: &'static str, id: Uuid, old: impl IntoIterator<Item = (&'static str, Value)>) {
        self.touched.borrow_mut().add(table, id, old);
    }

    /// How many rows were touched since the last settle.
    pub fn touched_len(&self) -> usize {
        self.touched.borrow().len()
    }

    /// Takes the rows touched since the last settle, leaving none.
    pub fn take_touched(&self) -> Touched {
        std::mem::take(&mut *self.touched.borrow_mut())
    }

    /// Refreshes the derived rows of everything touched since the last settle. A write that reads its
    /// result back calls it first; a bulk write lets the commit do it once.
    pub fn settle(&self) -> Result<()> {
        if self.touched.borrow().is_empty() {
            return Ok(());
        }
        (self.settle)(self)
    }

    /// Settles, writes back a held replica state, then commits.
    pub fn commit(self) -> Result<()> {
        self.settle()?;
        self.release()?;
        self.tx.commit()?;
        Ok(())
    }
}

impl<'c> Deref for Tx<'c> {
    type Target = Transaction<'c>;

    fn deref(&self) -> &Transaction<'c> {
        &self.tx
    }
}
