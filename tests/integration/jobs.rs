//! Long jobs: a cancelled job rolls back what it had not committed (in the core, and through the CLI's Ctrl-C),
//! and other processes writing while a long job runs wait in line instead of failing with "database is
//! locked".

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use liaison_core::demo;
use liaison_core::job::{Commit, Job};
use rusqlite::Connection;

use crate::process::liaison_process as liaison;

/// Live exchanges, read through a connection of our own (WAL: beside the writer).
fn exchanges(db: &Path) -> i64 {
    let conn = Connection::open(db).expect("open the database");
    conn.busy_timeout(Duration::from_secs(60)).expect("busy timeout");
    conn.query_row("SELECT count(*) FROM exchange WHERE deleted = 0", [], |r| r.get(0)).unwrap_or(0)
}

/// Starts `liaison demo --scale` with far more exchanges than the test lets it write, and waits until its
/// first step (10,000 exchanges) is committed.
fn long_job(db: &Path) -> Child {
    let child = liaison(db)
        .args(["demo", "--scale", "300000"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the long job");
    let started = Instant::now();
    while exchanges(db) < 10_000 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the first step of 10,000 exchanges never committed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    child
}

/// Ctrl-C, as a terminal sends it.
fn interrupt(child: &Child) {
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill -INT");
    assert!(status.success(), "the signal was sent");
}

fn counts_agree(db: &Path) {
    let conn = Connection::open(db).expect("open");
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).expect("quick_check");
    assert_eq!(check, "ok", "the database is sound after the interruption");
    let counted: i64 =
        conn.query_row("SELECT coalesce(sum(n), 0) FROM exchange_count", [], |r| r.get(0)).expect("counts");
    let live: i64 = conn
        .query_row("SELECT count(*) FROM exchange WHERE deleted = 0 AND partner_id IS NOT NULL", [], |r| {
            r.get(0)
        })
        .expect("exchanges");
    assert_eq!(counted, live, "the kept exchange counts match the exchanges kept: no half-written step");
}

#[test]
fn ctrl_c_on_demo_scale_keeps_the_steps_done_and_rolls_back_the_one_under_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("scale.sqlite3");
    let child = long_job(&db);
    // Let it get well into a later step.
    std::thread::sleep(Duration::from_millis(1500));
    interrupt(&child);
    let out = child.wait_with_output().expect("the job ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "an interrupted job does not claim success");
    assert!(stderr.contains("cancelled"), "it says it was cancelled: {stderr}");
    let kept = exchanges(&db);
    assert!(kept >= 10_000, "the committed steps were kept ({kept})");
    assert_eq!(kept % 10_000, 0, "no exchange of the interrupted step was kept ({kept})");
    counts_agree(&db);
}

#[test]
fn other_processes_write_while_a_long_job_runs_and_none_finds_the_database_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("busy.sqlite3");
    let child = long_job(&db);
    let writers: Vec<Child> = (0..3)
        .map(|i| {
            let mut cmd = liaison(&db);
            cmd.args(["partners", "add", "--json", "-"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut writer = cmd.spawn().expect("start a writer");
            let input = serde_json::json!({ "names": [{ "value": format!("Written beside the job {i}"), "lang": "en", "primary": true }] });
            use std::io::Write;
            writer.stdin.take().expect("stdin").write_all(input.to_string().as_bytes()).expect("write the input");
            writer
        })
        .collect();
    for writer in writers {
        let out = writer.wait_with_output().expect("the writer ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a write beside the long job succeeds: {stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }
    interrupt(&child);
    let out = child.wait_with_output().expect("the job ends");
    assert!(!out.status.success(), "the job was interrupted");
    let conn = Connection::open(&db).expect("open");
    let written: i64 = conn
        .query_row(
            "SELECT count(*) FROM partner_summary WHERE name LIKE 'Written beside the job%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(written, 3, "the three writes beside the job were all kept");
}

#[test]
fn a_job_cancelled_midway_in_one_transaction_leaves_the_database_exactly_as_it_was() {
    let (mut conn, clock) = liaison_tests::in_memory_db();
    let snapshot = |conn: &Connection| {
        let ops: i64 = conn.query_row("SELECT count(*) FROM op", [], |r| r.get(0)).expect("ops");
        let rows: i64 =
            conn.query_row("SELECT count(*) FROM partner_summary", [], |r| r.get(0)).expect("rows");
        (liaison_core::oplog::dump_synced(conn).expect("dump"), ops, rows)
    };
    let before = snapshot(&conn);
    // Cancels from the progress it hears once work is under way, as the app's Cancel button would.
    let this: Arc<Mutex<Option<Job>>> = Arc::new(Mutex::new(None));
    let heard = Arc::new(Mutex::new(0_u64));
    let (slot, last) = (this.clone(), heard.clone());
    let job = Job::new(move |p| {
        *last.lock().expect("lock") = p.done;
        if p.done > 100 {
            if let Some(job) = slot.lock().expect("lock").as_ref() {
                job.cancel();
            }
        }
    });
    *this.lock().expect("lock") = Some(job.clone());
    let result = demo::scale(&mut conn, &clock, 2_000, Commit::Once, &job);
    assert!(
        matches!(result, Err(liaison_core::Error::Cancelled)),
        "the job stopped at its next check: {result:?}"
    );
    assert!(*heard.lock().expect("lock") > 100, "progress was heard before the cancel");
    assert!(snapshot(&conn) == before, "nothing was written: records, ops and list rows as before");
    *this.lock().expect("lock") = None;
}

#[test]
fn the_first_run_with_generated_data_is_one_transaction_cancelled_it_leaves_the_workspace_not_set_up() {
    use liaison_core::workspace::{self, StartChoice};
    let clock = liaison_core::ManualClock::new();
    let mut conn = liaison_core::open_in_memory().expect("db");
    let job = Job::silent();
    job.cancel();
    let result = workspace::start_job(&mut conn, &clock, StartChoice::Demo, "Tester", 500, &job);
    assert!(matches!(result, Err(liaison_core::Error::Cancelled)), "{result:?}");
    assert!(
        liaison_core::store::replica(&conn).expect("read").is_none(),
        "cancelled: not set up, so the first run shows again"
    );
    let partners: i64 = conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).expect("count");
    assert_eq!(partners, 0, "not even the demo was kept");

    workspace::start_job(&mut conn, &clock, StartChoice::Demo, "Tester", 500, &Job::silent()).expect("start");
    let replica = liaison_core::store::replica(&conn).expect("read").expect("set up");
    assert_eq!(replica.name, "Tester");
    let generated: i64 = conn
        .query_row("SELECT count(*) FROM agreement WHERE code LIKE 'GEN-%'", [], |r| r.get(0))
        .expect("count");
    assert!(generated > 0, "the generated records came with the demo");
}
