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

/// A partner with one document attached, its store and the file's hash, in a temporary folder.
struct Attached {
    conn: rusqlite::Connection,
    clock: liaison_core::ManualClock,
    dir: tempfile::TempDir,
    store: std::path::PathBuf,
    owner: uuid::Uuid,
    doc: document::Document,
}

fn attached(content: &[u8]) -> Attached {
    let (mut conn, clock) = in_memory_db();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("documents");
    let file = dir.path().join("scan.pdf");
    std::fs::write(&file, content).expect("file");
    let owner = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner").id;
    let (sha, size) = document::store_file_for(&conn, &store, owner, &file).expect("stored");
    let doc =
        write(&mut conn, |tx| document::attach(tx, &clock, owner, "scan.pdf", &sha, size)).expect("attached");
    Attached { conn, clock, dir, store, owner, doc }
}

#[test]
fn a_stored_hash_that_is_not_a_sha256_is_never_used_as_a_path() {
    let mut a = attached(b"scan");
    // As a row from another computer could carry it.
    a.conn
        .execute("UPDATE document SET sha256 = '../../../etc/passwd' WHERE id = ?1", [a.doc.id])
        .expect("tampered row");
    assert!(!document::list(&a.conn, &a.store, a.owner).expect("list")[0].available);
    let err = document::file_of(&a.conn, &a.store, a.doc.id).expect_err("refused");
    assert!(err.to_string().contains("not a SHA-256"), "said as damage, not as a file to come: {err}");
    let viewer = a.dir.path().join("open");
    assert!(document::open_copy(&a.conn, &a.store, &viewer, a.doc.id).is_err());
    assert!(!viewer.exists(), "nothing was copied");
    let err = write(&mut a.conn, |tx| document::attach(tx, &a.clock, a.owner, "x.pdf", "../x", 1))
        .expect_err("a hash that is not one is refused");
    assert_eq!(err.kind(), "invalid", "{err}");
}

#[test]
fn a_file_for_a_record_that_does_not_exist_is_refused_before_it_is_copied() {
    let a = attached(b"scan");
    let other_store = a.dir.path().join("other-store");
    let source = a.dir.path().join("scan.pdf");
    let err =
        document::store_file_for(&a.conn, &other_store, uuid::Uuid::now_v7(), &source).expect_err("no owner");
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(!other_store.exists(), "no file was left in the store");
}

#[test]
fn removing_a_document_takes_its_file_out_unless_another_has_it_and_undo_brings_it_back() {
    let mut a = attached(b"%PDF signed");
    let blob = document::blob_path(&a.store, &a.doc.sha256).expect("a hash");
    let source = a.dir.path().join("scan.pdf");
    let (sha, size) = document::store_file_for(&a.conn, &a.store, a.owner, &source).expect("same content");
    let twin = write(&mut a.conn, |tx| document::attach(tx, &a.clock, a.owner, "copy.pdf", &sha, size))
        .expect("twin");

    write(&mut a.conn, |tx| document::remove(tx, &a.clock, a.doc.id)).expect("removed");
    document::put_file_aside(&a.conn, &a.store, a.doc.id).expect("aside");
    assert!(blob.exists(), "the twin still points to the file");

    write(&mut a.conn, |tx| document::remove(tx, &a.clock, twin.id)).expect("removed");
    document::put_file_aside(&a.conn, &a.store, twin.id).expect("aside");
    assert!(!blob.exists(), "no live document points to the file any more: it left the store");

    write(&mut a.conn, |tx| document::restore(tx, &a.clock, twin.id)).expect("undone");
    document::bring_file_back(&a.conn, &a.store, twin.id).expect("back");
    assert!(
        blob.exists() && document::file_of(&a.conn, &a.store, twin.id).is_ok(),
        "undo brings the file back"
    );

    write(&mut a.conn, |tx| document::remove(tx, &a.clock, twin.id)).expect("removed again");
    document::put_file_aside(&a.conn, &a.store, twin.id).expect("aside");
    let swept = document::sweep(&a.store, &a.dir.path().join("open")).expect("sweep");
    assert_eq!(swept.files, 1, "the file put aside is deleted for good at the next start");
    assert!(walk(&a.store).is_empty(), "nothing left in the store: {:?}", walk(&a.store));
}

#[test]
fn the_viewers_copies_are_deleted_after_a_day_and_at_the_next_start() {
    let mut a = attached(b"first");
    let viewer = a.dir.path().join("open");
    let first = document::open_copy(&a.conn, &a.store, &viewer, a.doc.id).expect("copy");
    let folder = first.parent().expect("its folder").to_owned();
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 24 * 60 * 60);
    std::fs::File::open(&folder).and_then(|f| f.set_modified(two_days_ago)).expect("age the copy");
    let second = a.dir.path().join("second.pdf");
    std::fs::write(&second, b"second").expect("file");
    let (sha, size) = document::store_file_for(&a.conn, &a.store, a.owner, &second).expect("stored");
    let other = write(&mut a.conn, |tx| document::attach(tx, &a.clock, a.owner, "second.pdf", &sha, size))
        .expect("attached");
    let opened = document::open_copy(&a.conn, &a.store, &viewer, other.id).expect("copy");
    assert!(!first.exists(), "the day-old copy was deleted");
    assert_eq!(walk(&viewer), [opened], "only the copy just made is left");

    let swept = document::sweep(&a.store, &viewer).expect("sweep");
    assert_eq!(swept, document::Swept { files: 0, copies: 1 }, "at the next start, the copy goes");
    assert!(!viewer.exists());
    assert!(document::file_of(&a.conn, &a.store, a.doc.id).is_ok(), "a live document keeps its file");
}

#[test]
fn a_file_copied_for_an_attach_that_failed_is_discarded_unless_a_document_has_it() {
    let a = attached(b"kept");
    let stray = a.dir.path().join("stray.pdf");
    std::fs::write(&stray, b"never attached").expect("file");
    let (sha, _) = document::store_file_for(&a.conn, &a.store, a.owner, &stray).expect("stored");
    document::discard(&a.conn, &a.store, &sha).expect("discarded");
    assert!(!document::blob_path(&a.store, &sha).expect("a hash").exists());
    document::discard(&a.conn, &a.store, &a.doc.sha256).expect("kept");
    assert!(document::file_of(&a.conn, &a.store, a.doc.id).is_ok(), "a live document keeps its file");
}

#[test]
fn the_cli_attaches_lists_and_gets_a_document_and_a_laptop_that_joins_later_has_it_too() {
    use crate::process::liaison;
    let dir = tempfile::tempdir().expect("tempdir");
    let lyon = dir.path().join("lyon.sqlite3");
    liaison(&lyon).args(["init", "--name", "Lyon head office"]).assert().success();
    let partner = dir.path().join("partner.json");
    std::fs::write(
        &partner,
        r#"{"names":[{"value":"Fudan University","lang":"en","primary":true}],"country":"CN"}"#,
    )
    .expect("write");
    let out = liaison(&lyon).args(["partners", "add", "--json"]).arg(&partner).assert().success();
    let id = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8").trim().to_owned();
    let scan = dir.path().join("Accord-cadre signé.pdf");
    std::fs::write(&scan, b"%PDF-1.7 signed agreement").expect("file");

    // A file for a record that does not exist is refused, and nothing is stored.
    let missing = "0192f0c4-0000-7000-8000-000000000000";
    let refused = liaison(&lyon).args(["documents", "attach", missing]).arg(&scan).assert().failure();
    assert!(String::from_utf8_lossy(&refused.get_output().stderr).contains("no record with id"));
    assert!(!dir.path().join("documents").exists() || walk(&dir.path().join("documents")).is_empty());

    let out = liaison(&lyon).args(["documents", "attach", &id]).arg(&scan).arg("--json").assert().success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(doc["name"], "Accord-cadre signé.pdf");
    assert_eq!(doc["size"], 25);
    let listed = liaison(&lyon).args(["documents", "list", &id]).assert().success();
    let text = String::from_utf8(listed.get_output().stdout.clone()).expect("UTF-8");
    assert!(text.contains("Accord-cadre signé.pdf") && text.contains("25 B"), "{text}");
    let doc_id = doc["id"].as_str().expect("an id").to_owned();

    // Written into a folder under its own name.
    let outdir = dir.path().join("out");
    std::fs::create_dir_all(&outdir).expect("dir");
    liaison(&lyon).args(["documents", "get", &doc_id, "--out"]).arg(&outdir).assert().success();
    assert_eq!(
        std::fs::read(outdir.join("Accord-cadre signé.pdf")).expect("written"),
        b"%PDF-1.7 signed agreement"
    );

    // A laptop that joins from a snapshot has the file too.
    let shanghai_dir = dir.path().join("shanghai");
    std::fs::create_dir_all(&shanghai_dir).expect("dir");
    let snapshot = dir.path().join("snapshot.liaison");
    liaison(&lyon).args(["sync", "export", "--snapshot", "--out"]).arg(&snapshot).assert().success();
    let shanghai = shanghai_dir.join("shanghai.sqlite3");
    liaison(&shanghai)
        .args(["init", "--name", "Shanghai office", "--from"])
        .arg(&snapshot)
        .assert()
        .success();
    let listed = liaison(&shanghai).args(["documents", "list", &id, "--json"]).assert().success();
    let docs: serde_json::Value = serde_json::from_slice(&listed.get_output().stdout).expect("JSON");
    assert_eq!(docs[0]["available"], true, "{docs}");
    let copy = dir.path().join("copy.pdf");
    liaison(&shanghai).args(["documents", "get", &doc_id, "--out"]).arg(&copy).assert().success();
    assert_eq!(std::fs::read(&copy).expect("written"), b"%PDF-1.7 signed agreement");
}
