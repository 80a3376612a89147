//! Sync by file exchange, through the core: joining from a snapshot, approval, relays, replays, and files
//! that are damaged or hostile (refused in words, the database unchanged).

use std::path::{Path, PathBuf};

use liaison_core::job::Job;
use liaison_core::records::partner;
use liaison_core::sync::export::Audience;
use liaison_core::sync::{self, digest, import, status};
use liaison_core::{store, write, ManualClock};
use liaison_tests::{fudan, simple};
use rusqlite::Connection;
use uuid::Uuid;

struct Laptop {
    conn: Connection,
    clock: ManualClock,
    dir: PathBuf,
}

impl Laptop {
    fn digest(&self) -> String {
        digest::digest(&self.conn).expect("digest")
    }

    fn id(&self) -> Uuid {
        store::replica(&self.conn).expect("read").expect("initialised").id
    }

    fn export(&mut self, audience: Audience, name: &str) -> PathBuf {
        let out = self.dir.join(name);
        sync::export_file(&mut self.conn, &self.clock, audience, &out, None, None, &Job::silent())
            .expect("export");
        out
    }

    fn import(&mut self, file: &Path) -> liaison_core::Result<import::Imported> {
        sync::import_file(&mut self.conn, &self.clock, file, None, None, &Job::silent())
    }

    fn fingerprint(&self) -> String {
        status::status(&self.conn, &self.clock).expect("status").fingerprint
    }
}

fn founder(dir: &Path, name: &str) -> Laptop {
    let clock = ManualClock::new();
    let mut conn = liaison_core::open(&dir.join(format!("{name}.sqlite3"))).expect("open");
    write(&mut conn, |tx| store::init(tx, name, &clock)).expect("init");
    Laptop { conn, clock, dir: dir.to_owned() }
}

fn joiner(dir: &Path, name: &str, snapshot: &Path) -> Laptop {
    let clock = ManualClock::new();
    clock.advance_ms(60_000);
    let mut conn = liaison_core::open(&dir.join(format!("{name}.sqlite3"))).expect("open");
    sync::join(&mut conn, &clock, snapshot, name, None, None, &Job::silent()).expect("join");
    Laptop { conn, clock, dir: dir.to_owned() }
}

fn add_partner(laptop: &mut Laptop, name: &str) -> Uuid {
    laptop.clock.advance_ms(1_000);
    let clock = &laptop.clock;
    write(&mut laptop.conn, |tx| partner::create(tx, clock, &simple(name, "en", "FR"))).expect("create").id
}

#[test]
fn a_new_laptop_joins_from_a_snapshot_is_approved_once_and_both_converge() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    let clock = &lyon.clock;
    let fudan_id = write(&mut lyon.conn, |tx| partner::create(tx, clock, &fudan())).expect("create").id;
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");

    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    assert_eq!(shanghai.digest(), lyon.digest(), "a laptop joined from a snapshot holds the same data");
    assert_ne!(shanghai.id(), lyon.id(), "the new laptop has a replica id of its own");
    assert_eq!(
        store::workspace_id(&shanghai.conn).expect("read"),
        store::workspace_id(&lyon.conn).expect("read"),
        "and the workspace's id"
    );

    add_partner(&mut shanghai, "Tongji University");
    let to_lyon = shanghai.export(Audience::Peer(lyon.id()), "to-lyon.liaison");
    let first = lyon.import(&to_lyon).expect("a file from a laptop not approved yet is kept, not refused");
    assert_eq!(first.new_ops, 0, "nothing of it is applied before approval");
    assert!(first.held_back > 0);
    assert_eq!(first.waiting.len(), 1, "{first:?}");
    assert_eq!(first.waiting[0].fingerprint, shanghai.fingerprint());
    assert_ne!(shanghai.digest(), lyon.digest());

    let again = lyon.import(&to_lyon).expect("a replay");
    assert!(again.already_imported, "the same file twice is recognised");

    let (approved, applied) =
        write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint()[..9]))
            .expect("approve");
    assert_eq!(approved.name, "Shanghai office");
    assert!(applied > 0, "approval applies what waited");
    assert!(status::status(&lyon.conn, &lyon.clock).expect("status").waiting.is_empty());

    lyon.clock.advance_ms(5_000);
    let clock = &lyon.clock;
    write(&mut lyon.conn, |tx| {
        let mut input = fudan();
        input.city = Some("Shanghai (Yangpu)".into());
        partner::update(tx, clock, fudan_id, &input)
    })
    .expect("edit");
    let to_shanghai = lyon.export(Audience::Peer(shanghai.id()), "to-shanghai.liaison");
    let back = shanghai.import(&to_shanghai).expect("import");
    assert!(back.new_ops > 0);
    assert_eq!(shanghai.digest(), lyon.digest(), "both laptops now hold the same data");

    // Lyon has Shanghai's acknowledgement: a file for Shanghai now holds nothing Shanghai has.
    let to_shanghai_again = shanghai.export(Audience::Peer(lyon.id()), "ack.liaison");
    lyon.import(&to_shanghai_again).expect("import the acknowledgement");
    let nothing_new = lyon.export(Audience::Peer(shanghai.id()), "empty.liaison");
    let empty = shanghai.import(&nothing_new).expect("import");
    assert_eq!(empty.new_ops, 0);
    assert!(empty.ops <= 2, "a peer that holds everything gets a near-empty file: {empty:?}");
}

#[test]
fn a_relay_carries_a_laptops_changes_to_a_third_without_being_able_to_alter_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    add_partner(&mut lyon, "Université de Lyon");
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    let mut ottawa = joiner(dir.path(), "Ottawa office", &snapshot);

    add_partner(&mut shanghai, "Fudan University");
    let from_shanghai = shanghai.export(Audience::Peer(lyon.id()), "s-to-l.liaison");
    lyon.import(&from_shanghai).expect("held");
    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint())).expect("approve");
    add_partner(&mut ottawa, "University of Ottawa");
    let from_ottawa = ottawa.export(Audience::Everyone, "o-to-all.liaison");
    lyon.import(&from_ottawa).expect("held");
    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &ottawa.fingerprint())).expect("approve");

    // Lyon relays: Ottawa gets Shanghai's partner, and Lyon's approval of Shanghai with it.
    let relay = lyon.export(Audience::Peer(ottawa.id()), "l-to-o.liaison");
    let got = ottawa.import(&relay).expect("import");
    assert!(got.waiting.is_empty(), "Lyon's approval of Shanghai travelled with Shanghai's ops: {got:?}");
    let relay = lyon.export(Audience::Peer(shanghai.id()), "l-to-s.liaison");
    shanghai.import(&relay).expect("import");
    assert_eq!(ottawa.digest(), lyon.digest());
    assert_eq!(shanghai.digest(), lyon.digest());
}

#[test]
fn a_damaged_or_foreign_file_is_refused_in_words_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    add_partner(&mut lyon, "Université de Lyon");
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    add_partner(&mut lyon, "Fudan University");
    add_partner(&mut lyon, "Tongji University");
    let good = lyon.export(Audience::Everyone, "good.liaison");
    let bytes = std::fs::read(&good).expect("read");
    let before = shanghai.digest();

    let mut refused = 0;
    let bad = dir.path().join("bad.liaison");
    let mut offsets: Vec<usize> = (0..bytes.len()).step_by(7).collect();
    offsets.push(bytes.len() - 1);
    for offset in offsets {
        let mut flipped = bytes.clone();
        flipped[offset] ^= 0x10;
        std::fs::write(&bad, &flipped).expect("write");
        let err = shanghai.import(&bad).expect_err("a flipped bit is refused");
        assert_eq!(err.kind(), "bundle", "offset {offset}: {err}");
        assert_eq!(err.to_string().lines().count(), 1);
        refused += 1;
    }
    for cut in [0, 1, 8, 15, 16, 40, bytes.len() / 2, bytes.len() - 1] {
        std::fs::write(&bad, &bytes[..cut]).expect("write");
        let err = shanghai.import(&bad).expect_err("a truncated file is refused");
        assert_eq!(err.kind(), "bundle", "cut at {cut}: {err}");
        refused += 1;
    }
    assert!(refused > 20);
    assert_eq!(shanghai.digest(), before, "nothing was written by any refused file");

    let mut stranger = founder(dir.path(), "Another alliance");
    let err = stranger.import(&good).expect_err("another workspace's file");
    assert!(err.to_string().contains("another workspace"), "{err}");

    let err = lyon.import(&good).expect_err("its own file");
    assert!(err.to_string().contains("this computer"), "{err}");

    shanghai.import(&good).expect("the intact file still imports");
    assert_eq!(shanghai.digest(), lyon.digest());
}

#[test]
fn the_same_field_changed_on_two_laptops_is_one_conflict_on_both_until_one_settles_it() {
    use liaison_core::oplog::conflict::{self, Resolution};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    let clock = &lyon.clock;
    let id = write(&mut lyon.conn, |tx| partner::create(tx, clock, &fudan())).expect("create").id;
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    let hello = shanghai.export(Audience::Everyone, "hello.liaison");
    lyon.import(&hello).expect("held");
    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint())).expect("approve");

    for (laptop, city, later) in
        [(&mut lyon, "Shanghai (Lyon says)", 1_000), (&mut shanghai, "Yangpu", 2_000)]
    {
        laptop.clock.advance_ms(later);
        let clock = &laptop.clock;
        write(&mut laptop.conn, |tx| {
            let mut input = fudan();
            input.city = Some(city.into());
            partner::update(tx, clock, id, &input)
        })
        .expect("edit");
    }
    let l = lyon.export(Audience::Everyone, "l1.liaison");
    let s = shanghai.export(Audience::Everyone, "s1.liaison");
    let on_shanghai_import = shanghai.import(&l).expect("import");
    let on_lyon_import = lyon.import(&s).expect("import");
    assert_eq!(
        (on_shanghai_import.conflicts, on_lyon_import.conflicts),
        (1, 1),
        "each import says it opened one"
    );
    assert_eq!(lyon.digest(), shanghai.digest(), "the last writer wins on both");
    let on_lyon = conflict::list(&lyon.conn).expect("list");
    let on_shanghai = conflict::list(&shanghai.conn).expect("list");
    assert_eq!(on_lyon.len(), 1, "{on_lyon:?}");
    assert_eq!(on_lyon, on_shanghai, "both laptops list the same conflict");
    let c = &on_lyon[0];
    assert_eq!((c.field.as_str(), c.record_id), ("city", id));
    assert_eq!(c.winner.value, serde_json::json!("Yangpu"));
    assert_eq!(c.loser.value, serde_json::json!("Shanghai (Lyon says)"));
    assert_eq!(c.loser.author, "Lyon head office");

    lyon.clock.advance_ms(10_000);
    write(&mut lyon.conn, |tx| conflict::resolve(tx, &lyon.clock, &c.id[..6], Resolution::Loser))
        .expect("resolve");
    assert!(conflict::list(&lyon.conn).expect("list").is_empty());
    let l2 = lyon.export(Audience::Everyone, "l2.liaison");
    assert_eq!(shanghai.import(&l2).expect("import").conflicts, 0, "a settlement opens none");
    assert!(conflict::list(&shanghai.conn).expect("list").is_empty(), "the settlement travels");
    assert_eq!(lyon.digest(), shanghai.digest());
    let city: Option<String> =
        shanghai.conn.query_row("SELECT city FROM partner WHERE id = ?1", [id], |r| r.get(0)).expect("read");
    assert_eq!(city.as_deref(), Some("Shanghai (Lyon says)"));
}

/// Whether `needle` appears anywhere in the database file or its write-ahead log.
fn in_file(db: &Path, needle: &str) -> bool {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    [db.to_path_buf(), PathBuf::from(wal)]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
}

#[test]
fn an_erased_person_is_blank_everywhere_and_no_file_old_or_new_brings_them_back() {
    use liaison_core::records::contact;
    use liaison_tests::person;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    let clock = &lyon.clock;
    let fudan_id = write(&mut lyon.conn, |tx| partner::create(tx, clock, &fudan())).expect("create").id;
    let zhang = write(&mut lyon.conn, |tx| {
        contact::create(tx, clock, &person("Quixotic", "Zebedee", Some("张泽"), fudan_id))
    })
    .expect("create")
    .id;
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    let hello = shanghai.export(Audience::Everyone, "hello.liaison");
    lyon.import(&hello).expect("held");
    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint())).expect("approve");
    // An old file, written while Lyon still held the person's values.
    lyon.clock.advance_ms(1_000);
    let clock = &lyon.clock;
    write(&mut lyon.conn, |tx| {
        let mut input = person("Quixotic", "Zebedee", Some("张泽"), fudan_id);
        input.title = Some("Professor Quixotic".into());
        contact::update(tx, clock, zhang, &input)
    })
    .expect("edit");
    let old = lyon.export(Audience::Everyone, "old.liaison");

    // Shanghai edits the person without having seen the erasure; Lyon erases.
    shanghai.clock.advance_ms(2_000);
    let clock = &shanghai.clock;
    write(&mut shanghai.conn, |tx| {
        let mut input = person("Quixotic", "Zebedee", Some("张泽"), fudan_id);
        input.notes = Some("Met Quixotic in Shanghai".into());
        contact::update(tx, clock, zhang, &input)
    })
    .expect("edit");
    lyon.clock.advance_ms(3_000);
    write(&mut lyon.conn, |tx| contact::erase(tx, &lyon.clock, zhang)).expect("erase");
    let err = write(&mut lyon.conn, |tx| contact::restore(tx, &lyon.clock, zhang)).expect_err("no way back");
    assert!(err.to_string().contains("erased"), "{err}");

    let from_shanghai = shanghai.export(Audience::Everyone, "s.liaison");
    let from_lyon = lyon.export(Audience::Everyone, "l.liaison");
    lyon.import(&from_shanghai).expect("a later edit of the erased person");
    shanghai.import(&from_lyon).expect("the erasure");
    assert_eq!(lyon.digest(), shanghai.digest(), "both hold the same blank record");
    for laptop in [&lyon, &shanghai] {
        let values: (Option<String>, Option<String>, i64) = laptop
            .conn
            .query_row("SELECT family_name, notes, deleted FROM contact WHERE id = ?1", [zhang], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("read");
        assert_eq!(values, (None, None, 1));
        let history = liaison_core::oplog::history(&laptop.conn, zhang).expect("history");
        let text = serde_json::to_string(&history).expect("json");
        assert!(!text.contains("Quixotic") && !text.contains("张泽"), "the history keeps no value: {text}");
    }

    // A laptop joined from a snapshot made before the erasure, and an old file, after it: still blank.
    let mut ottawa = joiner(dir.path(), "Ottawa office", &snapshot);
    let relay = lyon.export(Audience::Everyone, "relay.liaison");
    ottawa.import(&relay).expect("the erasure reaches Ottawa");
    ottawa.import(&old).expect("an old file");
    let family: Option<String> = ottawa
        .conn
        .query_row("SELECT family_name FROM contact WHERE id = ?1", [zhang], |r| r.get(0))
        .expect("read");
    assert_eq!(family, None, "an older file does not bring the values back");
    assert_eq!(ottawa.digest(), lyon.digest());

    for (laptop, name) in [(&mut lyon, "Lyon head office"), (&mut ottawa, "Ottawa office")] {
        store::checkpoint(&laptop.conn).expect("checkpoint");
        let db = dir.path().join(format!("{name}.sqlite3"));
        assert!(!in_file(&db, "Quixotic"), "{name}: the erased name is nowhere in the file");
        assert!(!in_file(&db, "quixotic"), "{name}: nor folded in the search index or an e-mail");
    }
}

#[test]
fn a_database_copied_elsewhere_takes_a_replica_of_its_own_instead_of_forking_the_original() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("Lyon head office.sqlite3");
    let mut lyon = founder(dir.path(), "Lyon head office");
    add_partner(&mut lyon, "Université de Lyon");
    drop(lyon.conn);
    let original = liaison_core::open_to_write(&path).expect("reopen where it was made");
    let id = store::replica(&original).expect("read").expect("replica").id;
    drop(original);
    let again = liaison_core::open_to_write(&path).expect("and again");
    assert_eq!(
        store::replica(&again).expect("read").expect("replica").id,
        id,
        "the same place keeps its replica"
    );
    drop(again);

    let copy_path = dir.path().join("copied by hand.sqlite3");
    std::fs::copy(&path, &copy_path).expect("copy");
    let copy = liaison_core::open_to_write(&copy_path).expect("open the copy");
    let copied = store::replica(&copy).expect("read").expect("replica");
    assert_ne!(copied.id, id, "the copy has a replica id of its own");
    assert_eq!(copied.name, "Lyon head office", "and keeps its name");
    let holds = status::status(&copy, &ManualClock::new()).expect("status").holds;
    assert!(
        holds.iter().any(|h| h.origin == id && h.seq > 0),
        "the original's changes are held as another laptop's: {holds:?}"
    );
    assert_eq!(
        digest::digest(&copy).expect("digest"),
        digest::digest(&liaison_core::open(&path).expect("open")).expect("digest"),
        "with the same data"
    );
}

#[test]
fn changes_dated_more_than_a_day_ahead_wait_until_the_clocks_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    let hello = shanghai.export(Audience::Everyone, "hello.liaison");
    lyon.import(&hello).expect("held");
    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint())).expect("approve");
    // Shanghai's clock runs three days ahead.
    shanghai.clock.advance_ms(3 * 24 * 3600 * 1000);
    add_partner(&mut shanghai, "Tongji University");
    let ahead = shanghai.export(Audience::Everyone, "ahead.liaison");
    let got = lyon.import(&ahead).expect("import");
    assert!(got.future > 0, "{got:?}");
    assert_eq!(got.new_ops, 0, "nothing dated ahead is applied");
    let s = status::status(&lyon.conn, &lyon.clock).expect("status");
    assert_eq!(s.future, got.future, "the status says what waits");
    assert!(s.waiting.is_empty(), "an approved laptop is not listed as waiting for approval");
    assert_ne!(lyon.digest(), shanghai.digest());
    // Three days later, the next file (even one with nothing new) lets them in.
    lyon.clock.advance_ms(3 * 24 * 3600 * 1000);
    let later = shanghai.export(Audience::Everyone, "later.liaison");
    let got = lyon.import(&later).expect("import");
    assert!(got.new_ops > 0 && got.future == 0, "{got:?}");
    let back = lyon.export(Audience::Everyone, "back.liaison");
    shanghai.import(&back).expect("import");
    assert_eq!(lyon.digest(), shanghai.digest());
    assert_eq!(status::status(&lyon.conn, &lyon.clock).expect("status").future, 0);
}

#[test]
fn a_document_travels_with_the_change_that_attaches_it_and_opens_on_the_other_laptop() {
    use liaison_core::records::document;
    let lyon_dir = tempfile::tempdir().expect("temp dir");
    let shanghai_dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(lyon_dir.path(), "Lyon head office");
    let fudan_id = add_partner(&mut lyon, "Fudan University");
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(shanghai_dir.path(), "Shanghai office", &snapshot);
    let hello = shanghai.export(Audience::Everyone, "hello.liaison");
    lyon.import(&hello).expect("held");
    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint())).expect("approve");

    let lyon_store = lyon_dir.path().join("documents");
    let shanghai_store = shanghai_dir.path().join("documents");
    let source = lyon_dir.path().join("agreement.pdf");
    std::fs::write(&source, b"%PDF-1.7 the signed agreement").expect("write");
    let (sha, size) = document::store_file(&lyon_store, &source).expect("store");
    let clock = &lyon.clock;
    let doc = write(&mut lyon.conn, |tx| document::attach(tx, clock, fudan_id, "agreement.pdf", &sha, size))
        .expect("attach");
    let out = lyon.dir.join("with-document.liaison");
    sync::export_file(
        &mut lyon.conn,
        &lyon.clock,
        Audience::Everyone,
        &out,
        None,
        Some(&lyon_store),
        &Job::silent(),
    )
    .expect("export");
    let got = sync::import_file(
        &mut shanghai.conn,
        &shanghai.clock,
        &out,
        None,
        Some(&shanghai_store),
        &Job::silent(),
    )
    .expect("import");
    assert_eq!(got.documents, 1, "{got:?}");
    let path = document::file_of(&shanghai.conn, &shanghai_store, doc.id).expect("the file is there");
    assert_eq!(std::fs::read(path).expect("read"), b"%PDF-1.7 the signed agreement");

    // A later file for a laptop that has it does not carry it again.
    let back = shanghai.export(Audience::Everyone, "back.liaison");
    lyon.import(&back).expect("import");
    add_partner(&mut lyon, "Tongji University");
    let next = lyon.dir.join("next.liaison");
    let written = sync::export_file(
        &mut lyon.conn,
        &lyon.clock,
        Audience::Everyone,
        &next,
        None,
        Some(&lyon_store),
        &Job::silent(),
    )
    .expect("export");
    assert_eq!(written.documents, 0);
}

#[test]
fn two_different_changes_numbered_alike_raise_the_alarm_and_nothing_is_imported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    let hello = shanghai.export(Audience::Everyone, "hello.liaison");
    lyon.import(&hello).expect("held");
    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint())).expect("approve");
    // A copy of Lyon's database that did not notice it is a copy (same replica, same key) writes its own
    // change under the number Lyon's next change takes.
    let twin_path = dir.path().join("twin.sqlite3");
    lyon.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).expect("checkpoint");
    std::fs::copy(dir.path().join("Lyon head office.sqlite3"), &twin_path).expect("copy");
    let mut twin = Laptop {
        conn: liaison_core::open(&twin_path).expect("open"),
        clock: ManualClock::new(),
        dir: dir.path().to_owned(),
    };
    twin.clock.advance_ms(50_000);
    add_partner(&mut lyon, "Fudan University");
    add_partner(&mut twin, "A forged partner");
    shanghai.import(&lyon.export(Audience::Everyone, "real.liaison")).expect("the real change");
    let before = shanghai.digest();
    let err = shanghai.import(&twin.export(Audience::Everyone, "twin.liaison")).expect_err("the alarm");
    assert!(err.to_string().contains("same number"), "{err}");
    assert_eq!(shanghai.digest(), before, "nothing was imported");
}

#[test]
fn a_laptop_nobody_approved_cannot_fill_the_disk_with_changes_kept_for_approval() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut stranger = joiner(dir.path(), "Stranger", &snapshot);
    add_partner(&mut stranger, "Université A");
    add_partner(&mut stranger, "Université B");
    let hello = stranger.export(Audience::Everyone, "hello.liaison");
    // Lyon already keeps all but one of the changes it keeps at most: the file's ops do not fit.
    lyon.conn
        .execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO held_op (origin, seq, op) SELECT zeroblob(16), i, x'00' FROM n",
            [import::MAX_HELD_OPS - 1],
        )
        .expect("fill");
    let before = lyon.digest();
    let kept: i64 = lyon.conn.query_row("SELECT count(*) FROM held_op", [], |r| r.get(0)).expect("count");
    let err = lyon.import(&hello).expect_err("no room left");
    assert!(err.to_string().contains("approve or revoke the laptops waiting"), "{err}");
    let after: i64 = lyon.conn.query_row("SELECT count(*) FROM held_op", [], |r| r.get(0)).expect("count");
    assert_eq!((after, lyon.digest()), (kept, before), "nothing was written");
    lyon.conn.execute("DELETE FROM held_op WHERE op = x'00'", []).expect("room again");
    let got = lyon.import(&hello).expect("with room, the file is kept for approval");
    assert!(got.held_back >= 2, "{got:?}");
}

#[test]
fn a_peer_shows_the_last_file_read_from_it_even_held_and_the_last_written_for_it_or_everyone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lyon = founder(dir.path(), "Lyon head office");
    let snapshot = lyon.export(Audience::Snapshot, "snapshot.liaison");
    let mut shanghai = joiner(dir.path(), "Shanghai office", &snapshot);
    add_partner(&mut shanghai, "Tongji University");
    lyon.clock.advance_ms(60_000);
    let hello = shanghai.export(Audience::Everyone, "hello.liaison");
    lyon.import(&hello).expect("kept for approval");
    let peer = |lyon: &Laptop| {
        status::peers(&lyon.conn)
            .expect("peers")
            .into_iter()
            .find(|p| p.name == "Shanghai office")
            .expect("listed")
    };
    let waiting = peer(&lyon);
    assert!(
        waiting.last_received.is_some(),
        "a file held for approval was received all the same: {waiting:?}"
    );
    assert_eq!(waiting.last_sent, None, "the snapshot Shanghai joined from was for no one in particular");

    write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &shanghai.fingerprint())).expect("approve");
    lyon.clock.advance_ms(60_000);
    lyon.export(Audience::Everyone, "to-everyone.liaison");
    let approved = peer(&lyon);
    assert!(approved.last_sent.is_some(), "a file for everyone is a file for Shanghai: {approved:?}");
    assert!(approved.last_sent > approved.last_received, "{approved:?}");
}
