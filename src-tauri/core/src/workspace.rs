//! The workspace as a whole: whether it has been set up, what it holds, and the first-run choice between
//! the demo and an empty workspace.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{Error, Result};
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
