use liaison_core::{db, partner, write, ManualClock};
use liaison_tests::fudan;

#[test]
fn a_file_database_reads_back_the_pragmas_it_promises() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conn = db::open(&dir.path().join("nested/liaison.sqlite3")).expect("open creates folders");
    let text = |p: &str| {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).expect(p)
    };
    use rusqlite::types::Value::{Integer, Text};
    assert_eq!(text("journal_mode"), Text("wal".into()));
    assert_eq!(text("synchronous"), Integer(2), "FULL");
    assert_eq!(text("busy_timeout"), Integer(5000));
    assert_eq!(text("trusted_schema"), Integer(0));
    assert_eq!(text("secure_delete"), Integer(1));
    assert_eq!(text("foreign_keys"), Integer(1));
}

#[test]
fn every_table_is_strict() {
    let conn = db::open_in_memory().expect("db");
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
    let mut conn = db::open_in_memory().expect("db");
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
        let mut conn = db::open(&path).expect("open");
        let replica = write(&mut conn, |tx| db::init(tx, "Shanghai office", &clock)).expect("init");
        (write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("create").id, replica)
    };
    let conn = db::open(&path).expect("reopen");
    assert_eq!(db::replica(&conn).expect("replica"), Some(replica));
    assert_eq!(partner::get(&conn, id).expect("get").name, "复旦大学");
}
