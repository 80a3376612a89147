//! The database file: its pragmas, STRICT tables, a write before init, reopening with data and replica
//! kept, and a migration that fills what it derives.

use liaison_core::{records::partner, store, write, ManualClock};
use liaison_tests::fudan;

#[test]
fn a_file_database_reads_back_the_pragmas_it_promises() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = liaison_core::open(&dir.path().join("nested/liaison.sqlite3")).expect("open creates folders");
    let text = |p: &str| {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).expect(p)
    };
    use rusqlite::types::Value::{Integer, Text};
    assert_eq!(text("journal_mode"), Text("wal".into()));
    assert_eq!(text("synchronous"), Integer(2), "FULL");
    assert_eq!(text("busy_timeout"), Integer(600_000));
    assert_eq!(text("trusted_schema"), Integer(0));
    assert_eq!(text("secure_delete"), Integer(1));
    assert_eq!(text("foreign_keys"), Integer(1));
}

#[test]
fn every_table_is_strict() {
    let conn = liaison_core::open_in_memory().expect("db");
    let mut stmt = conn
        .prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_long%' AND name NOT LIKE 'search_short%'")
        .expect("prepare");
    let tables: Vec<(String, i64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("query").map(|r| r.expect("row")).collect();
    assert!(tables.len() >= 10, "{tables:?}");
    for (name, strict) in tables {
        assert_eq!(strict, 1, "table {name} must be STRICT");
    }
}

#[test]
fn writing_before_init_says_what_to_do() {
    let mut conn = liaison_core::open_in_memory().expect("db");
    let clock = ManualClock::new();
    let err = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect_err("no replica yet");
    assert_eq!(err.kind(), "not_initialised");
}

#[test]
fn reopening_a_database_keeps_its_data_and_replica() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("liaison.sqlite3");
    let clock = ManualClock::new();
    let (id, replica) = {
        let mut conn = liaison_core::open(&path).expect("open");
        let replica = write(&mut conn, |tx| store::init(tx, "Shanghai office", &clock)).expect("init");
        (write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("create").id, replica)
    };
    let conn = liaison_core::open(&path).expect("reopen");
    assert_eq!(store::replica(&conn).expect("replica"), Some(replica));
    assert_eq!(partner::get(&conn, id).expect("get").name, "复旦大学");
}

#[test]
fn the_migration_that_keeps_assessments_fills_them_for_the_applications_already_there() {
    use liaison_core::records::application::{self, ApplicationQuery};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("liaison.sqlite3");
    let clock = ManualClock::new();
    let ranked = |conn: &rusqlite::Connection| -> Vec<(String, bool, Option<u32>)> {
        let q = ApplicationQuery { limit: 500, ..Default::default() };
        let rows = application::list(conn, &q).expect("applications").rows;
        rows.into_iter().map(|r| (r.title, r.eligible, r.rank)).collect()
    };
    let before = {
        let mut conn = liaison_core::open(&path).expect("open");
        write(&mut conn, |tx| {
            store::init(tx, "Head office", &clock)?;
            liaison_core::demo::load(tx, &clock)
        })
        .expect("demo");
        let before = ranked(&conn);
        // Back to the schema before migration 10, as a database made by the previous release (so without
        // the indexes of the migrations after it either).
        conn.execute_batch(
            "DROP TABLE application_assessment; DROP INDEX application_pi; DROP INDEX agreement_party_signatory;
             DROP TABLE workspace; DROP TABLE op_quarantine;
             DROP TABLE roster; DROP TABLE sync_held; DROP TABLE sync_peer; DROP TABLE op_range;
             DROP TABLE held_origin; DROP TABLE held_op; DROP TABLE sync_file;
             ALTER TABLE replica_state DROP COLUMN signing_key; ALTER TABLE replica_state DROP COLUMN instance;
             DROP TABLE op_prev; DROP TABLE conflict; DROP TABLE erasure; DROP TABLE op_erased;
             DROP TABLE partner_label; DROP TABLE reminder_dismissal; DROP TABLE import_mapping; DROP TABLE import_origin;
             PRAGMA user_version = 9;",
        )
        .expect("downgrade");
        before
    };
    assert_eq!(before.len(), 8);
    assert!(before.contains(&(
        "Urban heritage and climate adaptation in Shanghai and Lyon".into(),
        true,
        Some(1)
    )));
    assert!(before.iter().any(|(_, eligible, _)| !eligible), "some are ineligible: {before:?}");
    let conn = liaison_core::open(&path).expect("reopen and migrate");
    assert_eq!(ranked(&conn), before, "the migration assessed every call");
    let (labels, partners): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM partner_label), (SELECT count(*) FROM partner_summary)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("count");
    assert_eq!(
        labels,
        partners * 2,
        "the migration that adds labels labels every partner for each UI language"
    );
}

#[test]
fn processes_opening_a_new_database_at_once_all_find_it_migrated() {
    // As four processes started together on a new file: each opens and migrates; none may fail.
    for round in 0..20 {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(format!("race-{round}.sqlite3"));
        let start = std::sync::Arc::new(std::sync::Barrier::new(4));
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    liaison_core::open(&path).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        for opener in openers {
            let result = opener.join().expect("the opener ran");
            assert!(result.is_ok(), "round {round}: an open beside others failed: {result:?}");
        }
        let conn = liaison_core::open(&path).expect("reopen");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        let latest: i64 = liaison_core::open_in_memory()
            .expect("a fresh database")
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("its version");
        assert_eq!(version, latest, "migrated once, to the latest version");
    }
}
