//! Sync at scale: importing a file of about 100,000 new ops into a laptop that has none of them, beside a
//! plain insert of the same rows into the same tables (the baseline, run side by side); writing that file;
//! and writing a file for a peer that already holds everything.
//! Run: `cargo bench -p liaison-core --bench sync` (`LIAISON_BENCH_SYNC_EXCHANGES=450000` for a million ops).

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::Bencher;
use liaison_core::job::{Commit, Job};
use liaison_core::oplog::SYNCED_TABLES;
use liaison_core::sync::export::Audience;
use liaison_core::{store, sync, ManualClock};
use rusqlite::types::Value;
use rusqlite::Connection;

/// The CLI's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

struct Fixture {
    dir: PathBuf,
    /// The source laptop's database, its first snapshot (before the ops) and the file with the ops.
    source: PathBuf,
    snapshot: PathBuf,
    file: PathBuf,
    /// Every row of the synced tables as the file's ops leave them, for the baseline.
    rows: Vec<TableRows>,
    /// The same rows in the order the file's ops create them: (position in `rows`, row).
    in_order: Vec<(usize, Vec<Value>)>,
}

/// A synced table's name, its columns (`id` first) and its rows.
type TableRows = (&'static str, Vec<&'static str>, Vec<Vec<Value>>);

fn exchanges() -> usize {
    std::env::var("LIAISON_BENCH_SYNC_EXCHANGES").ok().and_then(|v| v.parse().ok()).unwrap_or(45_000)
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("liaison-bench-sync-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let source = dir.join("lyon.sqlite3");
        let clock = ManualClock::new();
        let mut conn = liaison_core::open(&source).expect("open");
        liaison_core::write(&mut conn, |tx| store::init(tx, "Lyon head office", &clock)).expect("init");
        let snapshot = dir.join("snapshot.liaison");
        sync::export_file(&mut conn, &clock, Audience::Snapshot, &snapshot, None, None, &Job::silent())
            .expect("snapshot");
        liaison_core::demo::scale(&mut conn, &clock, exchanges(), Commit::EachStep, &Job::silent())
            .expect("scale");
        let file = dir.join("ops.liaison");
        let written =
            sync::export_file(&mut conn, &clock, Audience::Everyone, &file, None, None, &Job::silent())
                .expect("export");
        eprintln!(
            "sync bench: {} ops in {} bytes ({:.1} bytes per op)",
            written.ops,
            written.bytes,
            written.bytes as f64 / written.ops as f64
        );
        let mut rows = Vec::new();
        for spec in SYNCED_TABLES {
            let mut columns = vec!["id"];
            columns.extend(spec.columns.iter().copied());
            let sql = format!("SELECT {} FROM {}", columns.join(", "), spec.name);
            let mut stmt = conn.prepare(&sql).expect("prepare");
            let width = columns.len();
            let table: Vec<Vec<Value>> = stmt
                .query_map([], |r| (0..width).map(|i| r.get::<_, Value>(i)).collect())
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            rows.push((spec.name, columns, table));
        }
        // Each row where its table's rows put it, then in the order of the op that created it.
        let mut at = std::collections::HashMap::new();
        for (t, (_, _, table)) in rows.iter().enumerate() {
            for (r, row) in table.iter().enumerate() {
                if let Value::Blob(id) = &row[0] {
                    at.insert(id.clone(), (t, r));
                }
            }
        }
        let mut stmt = conn.prepare("SELECT row_id FROM op ORDER BY origin, seq").expect("prepare");
        let created: Vec<Vec<u8>> =
            stmt.query_map([], |r| r.get(0)).expect("query").collect::<Result<_, _>>().expect("ops");
        let mut in_order = Vec::new();
        for id in created {
            if let Some((t, r)) = at.remove(&id) {
                in_order.push((t, rows[t].2[r].clone()));
            }
        }
        drop(stmt);
        Fixture { dir, source, snapshot, file, rows, in_order }
    })
}

/// A laptop that joined before the ops were written: it has none of them.
fn joined() -> (Connection, ManualClock) {
    let f = fixture();
    let clock = ManualClock::new();
    let mut conn = liaison_core::open_in_memory().expect("db");
    sync::join(&mut conn, &clock, &f.snapshot, "Shanghai office", None, None, &Job::silent()).expect("join");
    (conn, clock)
}

/// Imports the file of new ops: checked, signatures verified, ops logged and applied, derived rows settled.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn import_new_ops(bencher: Bencher) {
    let f = fixture();
    bencher.with_inputs(joined).bench_local_values(|(mut conn, clock)| {
        sync::import_file(&mut conn, &clock, &f.file, None, None, &Job::silent()).expect("import");
        conn
    });
}

/// Baseline: the same rows inserted into the same tables with bare SQL, in one transaction.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn plain_insert_of_the_same_rows(bencher: Bencher) {
    let f = fixture();
    bencher.with_inputs(joined).bench_local_values(|(mut conn, _clock)| {
        let tx = conn.transaction().expect("tx");
        for (table, columns, rows) in &f.rows {
            let placeholders = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let sql =
                format!("INSERT OR REPLACE INTO {table} ({}) VALUES ({placeholders})", columns.join(", "));
            let mut stmt = tx.prepare(&sql).expect("prepare");
            for row in rows {
                stmt.execute(rusqlite::params_from_iter(row.iter())).expect("insert");
            }
        }
        tx.commit().expect("commit");
        conn
    });
}

/// Baseline in the file's order: the same bare inserts, each row when the op that created it comes (tables
/// interleaved, as an import must write them), one prepared statement per table.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn plain_insert_in_the_files_order(bencher: Bencher) {
    let f = fixture();
    bencher.with_inputs(joined).bench_local_values(|(mut conn, _clock)| {
        let tx = conn.transaction().expect("tx");
        let mut statements = Vec::new();
        for (table, columns, _) in &f.rows {
            let placeholders = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            let sql =
                format!("INSERT OR REPLACE INTO {table} ({}) VALUES ({placeholders})", columns.join(", "));
            statements.push(tx.prepare(&sql).expect("prepare"));
        }
        for (t, row) in &f.in_order {
            statements[*t].execute(rusqlite::params_from_iter(row.iter())).expect("insert");
        }
        drop(statements);
        tx.commit().expect("commit");
        conn
    });
}

/// Second baseline: the same bare inserts, then the derived rows (list rows, search rows, counts) refreshed
/// for every row, as any write does at commit: what sync adds beyond any write is the difference.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn plain_insert_then_derived_rows(bencher: Bencher) {
    let f = fixture();
    bencher.with_inputs(joined).bench_local_values(|(mut conn, _clock)| {
        liaison_core::write(&mut conn, |tx| {
            for (table, columns, rows) in &f.rows {
                let placeholders =
                    (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
                let sql = format!(
                    "INSERT OR REPLACE INTO {table} ({}) VALUES ({placeholders})",
                    columns.join(", ")
                );
                let mut stmt = tx.prepare(&sql)?;
                for row in rows {
                    stmt.execute(rusqlite::params_from_iter(row.iter()))?;
                    if let Value::Blob(id) = &row[0] {
                        if let Ok(id) = uuid::Uuid::from_slice(id) {
                            tx.touch(table, id, []);
                        }
                    }
                }
            }
            Ok(())
        })
        .expect("write");
        conn
    });
}

/// Writes the file of all those ops (for a peer that has none), from the source laptop.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn export_all_ops(bencher: Bencher) {
    let f = fixture();
    let out = f.dir.join("out.liaison");
    bencher.with_inputs(|| liaison_core::open(&f.source).expect("open")).bench_local_values(|mut conn| {
        let clock = ManualClock::new();
        sync::export_file(&mut conn, &clock, Audience::Snapshot, &out, None, None, &Job::silent())
            .expect("export");
        conn
    });
}

/// Writes a file for a peer that already holds everything: near-empty.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn export_for_a_peer_holding_everything(bencher: Bencher) {
    let f = fixture();
    let (mut peer, peer_clock) = joined();
    sync::import_file(&mut peer, &peer_clock, &f.file, None, None, &Job::silent()).expect("import");
    let hello = f.dir.join("hello.liaison");
    sync::export_file(&mut peer, &peer_clock, Audience::Everyone, &hello, None, None, &Job::silent())
        .expect("export");
    let peer_id = store::replica(&peer).expect("read").expect("replica").id;
    let mut source = liaison_core::open(&f.source).expect("open");
    let clock = ManualClock::new();
    sync::import_file(&mut source, &clock, &hello, None, None, &Job::silent()).expect("held");
    let print = sync::status::status(&peer, &peer_clock).expect("status").fingerprint;
    liaison_core::write(&mut source, |tx| sync::import::approve(tx, &clock, &print)).expect("approve");
    // Approved now: the peer's next file brings its acknowledgement.
    let ack = f.dir.join("ack.liaison");
    sync::export_file(&mut peer, &peer_clock, Audience::Everyone, &ack, None, None, &Job::silent())
        .expect("export");
    sync::import_file(&mut source, &clock, &ack, None, None, &Job::silent()).expect("import");
    drop(source);
    let out = f.dir.join("nothing.liaison");
    bencher.with_inputs(|| liaison_core::open(&f.source).expect("open")).bench_local_values(|mut conn| {
        let clock = ManualClock::new();
        let written =
            sync::export_file(&mut conn, &clock, Audience::Peer(peer_id), &out, None, None, &Job::silent())
                .expect("export");
        assert!(written.ops <= 2, "near-empty: {} ops", written.ops);
        conn
    });
}
