//! Documents attached to records: stored once by their hash, listed on their record and opened under
//! their name, and shown as not available on a replica that lacks the file.

use liaison_core::{
    oplog,
    records::{document, partner},
    write, Error,
};
use liaison_tests::{fudan, in_memory_db};

#[test]
fn a_file_is_stored_once_by_its_hash_listed_on_its_record_and_opened_under_its_name() {
    let (mut conn, clock) = in_memory_db();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("documents");
    let scan = dir.path().join("Accord-cadre signé.pdf");
    std::fs::write(&scan, b"%PDF-1.7 signed agreement").expect("file");
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner");

    let (sha, size) = document::store_file(&store, &scan).expect("stored");
    assert_eq!(size, 25);
    assert_eq!(sha.len(), 64);
    let again = document::store_file(&store, &scan).expect("stored again");
    assert_eq!(again.0, sha, "the same content, the same name in the store");
    let blobs = walk(&store);
    assert_eq!(blobs.len(), 1, "stored once: {blobs:?}");

    let doc = write(&mut conn, |tx| document::attach(tx, &clock, p.id, "Accord-cadre signé.pdf", &sha, size))
        .expect("attached");
    assert_eq!(doc.media_type.as_deref(), Some("application/pdf"));
    let listed = document::list(&conn, &store, p.id).expect("list");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].available);
    let open = document::open_copy(&conn, &store, &dir.path().join("open"), doc.id).expect("copy to open");
    assert_eq!(open.file_name().and_then(|n| n.to_str()), Some("Accord-cadre signé.pdf"));
    assert_eq!(std::fs::read(&open).expect("read"), b"%PDF-1.7 signed agreement");

    // On a replica that has the row but not yet the file, it shows as not available.
    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    let elsewhere = dir.path().join("elsewhere");
    assert!(!document::list(&replica, &elsewhere, p.id).expect("list")[0].available);
    assert!(document::file_of(&replica, &elsewhere, doc.id).is_err());

    write(&mut conn, |tx| document::remove(tx, &clock, doc.id)).expect("removed");
    assert!(document::list(&conn, &store, p.id).expect("list").is_empty());

    let err = write(&mut conn, |tx| document::attach(tx, &clock, uuid::Uuid::now_v7(), "x.pdf", &sha, size))
        .expect_err("no such record");
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    let err = document::store_file(&store, &dir.path().join("missing.pdf")).expect_err("unreadable");
    assert_eq!(err.kind(), "invalid", "{err}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
