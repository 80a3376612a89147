//! A damaged database file is refused before anything is written to it, saying how to recover.

use std::path::Path;

use liaison_core::{demo, store, write, ManualClock};

/// A workspace file with the demo in it, closed (its write-ahead log folded back in).
pub(crate) fn demo_file(path: &Path) {
    let clock = ManualClock::new();
    let mut conn = liaison_core::open_to_write(path).expect("open");
    write(&mut conn, |tx| {
        store::init(tx, "Lyon", &clock)?;
        demo::load(tx, &clock)
    })
    .expect("demo");
}

/// Scrambles the cell pointers of the partner table's first page, as a failing disk or a bad copy might.
pub(crate) fn damage(path: &Path) {
    let (page_size, root): (i64, i64) = {
        let conn = rusqlite::Connection::open(path).expect("open");
        let size = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page size");
        let root = conn
            .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'partner'", [], |r| r.get(0))
            .expect("root");
        (size, root)
    };
    let mut bytes = std::fs::read(path).expect("read");
    let start = usize::try_from((root - 1) * page_size).expect("offset");
    for b in &mut bytes[start + 8..start + 72] {
        *b = 0xA5;
    }
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn a_damaged_file_is_refused_before_the_first_write_saying_how_to_recover() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("damaged.sqlite3");
    demo_file(&path);
    damage(&path);
    let before = std::fs::read(&path).expect("read");
    let err = liaison_core::open_to_write(&path).expect_err("a damaged file is refused");
    assert_eq!(err.kind(), "database");
    let text = err.to_string();
    assert!(text.contains("is damaged") && text.contains(".recover"), "says how to recover: {text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert_eq!(std::fs::read(&path).expect("read"), before, "nothing was written to it");
}
