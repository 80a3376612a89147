//! A laptop killed (SIGKILL) at random points while it imports a large sync file: afterwards the database
//! passes `integrity_check` and holds exactly what it held before the import, or exactly what a complete
//! import gives, never something between.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::process::liaison_process;

fn liaison(db: &Path) -> Command {
    let mut cmd = liaison_process(db);
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) {
    let status = cmd.status().expect("runs");
    assert!(status.success(), "{cmd:?} failed");
}

/// The state digest and integrity of a database, read without writing.
fn digest(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    assert_eq!(check, "ok", "{} is damaged", db.display());
    liaison_core::sync::digest::digest(&conn).expect("digest")
}

/// Copies a database (its log folded in first) to a new path.
fn copy(from: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(from).expect("open");
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    drop(conn);
    for suffix in ["-wal", "-shm"] {
        let mut p = to.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    std::fs::copy(from, to).expect("copy");
}

#[test]
fn a_laptop_killed_during_an_import_holds_exactly_before_or_after() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let lyon = dir.join("lyon.sqlite3");
    let shanghai = dir.join("shanghai.sqlite3");
    run(liaison(&lyon).args(["init", "--name", "Lyon head office"]));
    let snapshot = dir.join("snapshot.liaison");
    run(liaison(&lyon).args(["sync", "export", "--snapshot", "--out"]).arg(&snapshot));
    run(liaison(&shanghai).args(["init", "--name", "Shanghai office", "--from"]).arg(&snapshot));
    run(liaison(&lyon).args(["demo", "--scale", "4000"]));
    let big = dir.join("big.liaison");
    run(liaison(&lyon).args(["sync", "export", "--all", "--out"]).arg(&big));

    let before = digest(&shanghai);
    let whole = dir.join("whole.sqlite3");
    copy(&shanghai, &whole);
    let started = Instant::now();
    run(liaison(&whole).args(["sync", "import"]).arg(&big));
    let full = started.elapsed();
    let after = digest(&whole);
    assert_ne!(before, after, "the file holds changes");

    let trial = dir.join("trial.sqlite3");
    let mut outcomes = (0, 0);
    let trials = 12u32;
    for i in 0..trials {
        copy(&shanghai, &trial);
        let mut child = liaison(&trial).args(["sync", "import"]).arg(&big).spawn().expect("spawn");
        // Spread over the whole import, from its first instant to just past its end.
        std::thread::sleep(full.mul_f64(f64::from(i) / f64::from(trials - 1) * 1.1));
        let _ = child.kill();
        let _ = child.wait();
        let now = digest(&trial);
        assert!(
            now == before || now == after,
            "trial {i}: the database holds something between before and after"
        );
        if now == before {
            outcomes.0 += 1
        } else {
            outcomes.1 += 1
        }
    }
    assert!(outcomes.0 > 0, "some kills landed during the import: {outcomes:?} (import took {full:?})");
}
