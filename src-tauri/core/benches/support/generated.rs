//! A generated workspace for a benchmark (`demo::scale`), made once into the target directory and reused
//! while it holds the number of exchanges asked for; a base of another size, or one cut short, is made
//! again from nothing rather than added to.

use std::path::PathBuf;

use liaison_core::job::{Commit, Job};
use liaison_core::{demo, ManualClock};

/// The path of `bench-NAME-N.sqlite3` in the target's temporary directory, holding `exchanges` generated
/// exchanges.
pub fn workspace(name: &str, exchanges: usize) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-{name}-{exchanges}.sqlite3"));
    let conn = liaison_core::open(&path).expect("bench database");
    let count: i64 = conn.query_row("SELECT count(*) FROM exchange", [], |r| r.get(0)).expect("count");
    if count != exchanges as i64 {
        drop(conn);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let mut conn = liaison_core::open(&path).expect("bench database");
        eprintln!("generating {exchanges} exchanges into {} (once)…", path.display());
        demo::scale(&mut conn, &ManualClock::new(), exchanges, Commit::EachStep, &Job::silent())
            .expect("generate");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");
    }
    path
}
