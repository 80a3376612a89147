//! The workspace as a whole: whether it has been set up, what it holds, and the first-run choice between
//! the demo and an empty workspace.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::job::{Job, Steps};
use crate::store::Tx;
use crate::{demo, store};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkspaceStatus {
    /// False until the first-run choice (or `liaison init`) has been made.
    pub initialised: bool,
    pub replica_name: Option<String>,
    pub partners: u32,
    pub contacts: u32,
    /// Where the database file lives.
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StartChoice {
    /// Load the alliance's partners and sample contacts.
    Demo,
    Empty,
}

pub fn status(conn: &Connection, path: &str) -> Result<WorkspaceStatus> {
    let replica = store::replica(conn)?;
    let partners = conn.query_row("SELECT count(*) FROM partner_summary", [], |r| r.get(0))?;
    let contacts = conn.query_row("SELECT count(*) FROM contact_summary", [], |r| r.get(0))?;
    Ok(WorkspaceStatus {
        initialised: replica.is_some(),
        replica_name: replica.map(|r| r.name),
        partners,
        contacts,
        path: path.to_owned(),
    })
}

/// The first-run choice: names this replica and, for the demo, loads it, all in the caller's transaction.
/// A workspace already started is refused (a second click must not load the demo twice).
pub fn start(tx: &Tx, clock: &dyn Clock, choice: StartChoice, name: &str) -> Result<()> {
    if store::replica(tx)?.is_some() {
        return Err(Error::Conflict("this workspace has already been set up".into()));
    }
    store::init(tx, name, clock)?;
    if choice == StartChoice::Demo {
        demo::load(tx, clock)?;
    }
    Ok(())
}

/// A database holding the demo workspace, for tests.
#[cfg(test)]
pub(crate) fn demo_database() -> rusqlite::Connection {
    let mut conn = crate::open_in_memory().expect("an in-memory database");
    let clock = crate::clock::ManualClock::new();
    crate::write(&mut conn, |tx| start(tx, &clock, StartChoice::Demo, "Lyon")).expect("the demo");
    conn
}

/// The demo workspace with `exchanges` generated exchanges and the other records in proportion
/// (`liaison demo --scale`), for tests of figures at more than the demo's size.
#[cfg(test)]
pub(crate) fn scaled_demo_database(exchanges: usize) -> rusqlite::Connection {
    let mut conn = demo_database();
    let clock = crate::clock::ManualClock::new();
    demo::scale(&mut conn, &clock, exchanges, crate::job::Commit::Once, &Job::silent())
        .expect("generated records");
    conn
}

/// The first-run choice as a long job: [`start`], and for the demo `generated` more exchanges with the rest
/// in proportion (for testers), all in one transaction, so a cancel leaves the workspace as it was: not set
/// up.
pub fn start_job(
    conn: &mut Connection,
    clock: &dyn Clock,
    choice: StartChoice,
    name: &str,
    generated: usize,
    job: &Job,
) -> Result<()> {
    crate::write(conn, |tx| {
        start(tx, clock, choice, name)?;
        if choice == StartChoice::Demo && generated > 0 {
            demo::scale_in(&mut Steps::within(tx), clock, generated, job)?;
        }
        job.check()
    })?;
    store::analyze(conn)
}
