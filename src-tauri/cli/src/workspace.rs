//! `liaison init` and `liaison demo`: setting a workspace up, the demo, and generated workspaces for scale
//! tests (a long job, with a progress bar and Ctrl-C).

use std::io::Write;
use std::path::Path;

use liaison_core::job::Commit;
use liaison_core::{demo, store, Clock};
use rusqlite::Connection;

use crate::{progress, Error, Result};

/// Sets the database up and names this replica.
pub(crate) fn init(
    conn: &mut Connection,
    clock: &dyn Clock,
    path: &Path,
    name: &str,
    out: &mut impl Write,
) -> Result<()> {
    let replica = liaison_core::write(conn, |tx| store::init(tx, name, clock))?;
    writeln!(out, "Initialised {} as \"{}\" (replica {})", path.display(), replica.name, replica.id)?;
    writeln!(out, "Workspace {}", store::workspace_id(conn)?.map(|id| id.to_string()).unwrap_or_default())?;
    Ok(())
}

/// Loads the demo, unless `if_new` and the database is already set up.
pub(crate) fn demo(
    conn: &mut Connection,
    clock: &dyn Clock,
    path: &Path,
    if_new: bool,
    out: &mut impl Write,
) -> Result<()> {
    let loaded = liaison_core::write(conn, |tx| {
        if store::replica(tx)?.is_none() {
            store::init(tx, "Demo workspace", clock)?;
        } else if if_new {
            return Ok(None);
        }
        demo::load(tx, clock).map(Some)
    })?;
    match loaded {
            Some(counts) => writeln!(
                out,
                "Loaded the demo: {} partners, {} contacts, {} agreements, {} exchanges, {} projects, {} events, {} calls, {} applications into {}",
                counts.partners,
                counts.contacts,
                counts.agreements,
                counts.exchanges,
                counts.projects,
                counts.events,
                counts.calls,
                counts.applications,
                path.display()
            )?,
            None => writeln!(out, "{} is already set up; the demo was not loaded", path.display())?,
        }
    Ok(())
}

/// Adds `n` generated exchanges and the rest in proportion, committing every 10,000 exchanges: Ctrl-C
/// rolls back the step under way and keeps the steps done.
pub(crate) fn scale(
    conn: &mut Connection,
    clock: &dyn Clock,
    path: &Path,
    n: usize,
    out: &mut impl Write,
) -> Result<()> {
    let started = std::time::Instant::now();
    let added =
        match demo::scale(conn, clock, n, Commit::EachStep, &progress::job()) {
            Err(liaison_core::Error::Cancelled) => return Err(Error::Usage(
                "cancelled: the step under way was rolled back; the steps done before it (10,000 exchanges \
                 each) were kept"
                    .into(),
            )),
            other => other?,
        };
    writeln!(
        out,
        "Added {n} generated exchanges, with {} partners, {} agreements, {} projects, {} events, {} calls and {} applications, to {} in {:.0} s",
        added.partners,
        added.agreements,
        added.projects,
        added.events,
        added.calls,
        added.applications,
        path.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}
