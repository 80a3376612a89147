//! Ops travelling between versions of Liaison: what an older version cannot apply it keeps (quarantined)
//! and applies after an upgrade, losing nothing and keeping it once; a value a newer version added to a
//! vocabulary is kept as it is, and a save that did not touch it does not overwrite it.

use liaison_core::kinds::PartnerStatus;
use liaison_core::oplog::{self, TableSpec, SYNCED_TABLES};
use liaison_core::records::{contact, event, partner};
use liaison_core::{write, ManualClock};
use liaison_tests::{fudan, in_memory_db, person, simple};
use rusqlite::Connection;

/// The registry of a version that predates events and contacts' languages (a column added last).
fn older() -> Vec<TableSpec> {
    SYNCED_TABLES
        .iter()
        .filter(|t| !t.name.starts_with("event"))
        .map(|t| TableSpec {
            name: t.name,
            code: t.code,
            columns: if t.name == "contact" { &t.columns[..t.columns.len() - 1] } else { t.columns },
            owner: t.owner,
        })
        .collect()
}

/// A newer replica's ops: a partner, a contact whose languages change later, an event it organises.
fn newer_ops() -> (Connection, Vec<oplog::Op>) {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &simple("复旦大学", "zh-Hans", "CN")))
        .expect("partner");
    clock.advance_ms(1000);
    let mut input = person("Li", "Wei", Some("李伟"), p.id);
    let c = write(&mut conn, |tx| contact::create(tx, &clock, &input)).expect("contact");
    clock.advance_ms(1000);
    input.languages = vec!["fr".into(), "zh".into()];
    write(&mut conn, |tx| contact::update(tx, &clock, c.id, &input)).expect("languages change");
    clock.advance_ms(1000);
    let e = event::EventInput {
        title: "Summer school".into(),
        kind: liaison_core::kinds::EventKind::Workshop,
        start_date: Some("2026-07-01".into()),
        end_date: None,
        online: false,
        venue: Some("Lyon".into()),
        zone: None,
        project_id: None,
        organiser_ids: vec![p.id],
        registered: None,
        attended: None,
        notes: None,
    };
    write(&mut conn, |tx| event::create(tx, &clock, &e)).expect("event");
    let ops = oplog::all_ops(&conn).expect("ops");
    (conn, ops)
}

fn quarantined(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM op_quarantine", [], |r| r.get(0)).expect("count")
}

/// Ops compared by content: the columns of a patch in name order.
fn canonical(mut ops: Vec<oplog::Op>) -> Vec<oplog::Op> {
    for op in &mut ops {
        op.patch.sort_by(|a, b| a.0.cmp(&b.0));
    }
    ops.sort_by_key(|op| (op.origin, op.seq));
    ops
}

#[test]
fn an_older_version_applies_what_it_knows_and_keeps_the_rest_once() {
    let (_, ops) = newer_ops();
    let (mut conn, _) = in_memory_db();
    let older = older();
    let fresh = write(&mut conn, |tx| oplog::apply_with(tx, &ops, &older))
        .expect("a batch naming unknown things is accepted");
    assert_eq!(fresh, ops.len(), "every op counts as received");
    let (names, languages): (String, Option<String>) = conn
        .query_row("SELECT native_name, languages FROM contact", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("the contact, applied");
    assert_eq!(names, "李伟", "the known columns of a partly unknown op are applied");
    assert_eq!(languages, None, "the unknown column is not written (this version has no such column)");
    let events: i64 = conn.query_row("SELECT count(*) FROM event", [], |r| r.get(0)).expect("count");
    assert_eq!(events, 0, "ops for an unknown table are not applied");
    let kept = quarantined(&conn);
    assert!(kept >= 4, "the event, its organiser and both contact ops wait in quarantine ({kept})");
    assert_eq!(
        canonical(oplog::all_ops(&conn).expect("ops")),
        canonical(ops.clone()),
        "nothing is lost: the log gives back every op whole, ready to travel on"
    );

    let again = write(&mut conn, |tx| oplog::apply_with(tx, &ops, &older)).expect("the same batch again");
    assert_eq!(again, 0, "a batch received twice brings nothing new");
    assert_eq!(quarantined(&conn), kept, "a quarantined op received twice is kept once");
}

#[test]
fn after_an_upgrade_the_kept_ops_apply_as_if_they_had_always_been_known() {
    let (newer, ops) = newer_ops();
    for reversed in [false, true] {
        let (mut conn, _) = in_memory_db();
        let mut batch = ops.clone();
        if reversed {
            batch.reverse();
        }
        write(&mut conn, |tx| oplog::apply_with(tx, &batch, &older())).expect("older apply");
        assert!(oplog::quarantine_known(&conn).expect("read"), "this build knows what the older one kept");

        let replayed = write(&mut conn, oplog::replay_quarantine).expect("the upgrade replays");
        assert!(replayed >= 4, "every kept op applies ({replayed})");
        assert_eq!(quarantined(&conn), 0, "nothing is left waiting");
        assert_eq!(
            oplog::dump_synced(&conn).expect("dump"),
            oplog::dump_synced(&newer).expect("dump"),
            "the upgraded replica holds what the newer one holds, the later languages winning (reversed: {reversed})"
        );
        assert_eq!(
            canonical(oplog::all_ops(&conn).expect("ops")),
            canonical(ops.clone()),
            "the log is whole"
        );
        let again = write(&mut conn, |tx| oplog::apply(tx, &ops)).expect("the batch once more");
        assert_eq!((again, quarantined(&conn)), (0, 0), "replayed ops are held like any other");
    }
}

#[test]
fn opening_the_database_after_an_upgrade_applies_the_kept_ops() {
    let (newer, ops) = newer_ops();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("liaison.sqlite3");
    {
        let mut conn = liaison_core::open(&path).expect("open");
        let clock = ManualClock::new();
        write(&mut conn, |tx| liaison_core::store::init(tx, "Lyon", &clock)).expect("init");
        write(&mut conn, |tx| oplog::apply_with(tx, &ops, &older())).expect("older apply");
        assert!(quarantined(&conn) > 0);
    }
    let conn = liaison_core::open(&path).expect("reopen, as the upgraded version");
    assert_eq!(quarantined(&conn), 0, "open applies what the upgrade made known");
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), oplog::dump_synced(&newer).expect("dump"));
}

/// Fudan, whose status a newer version has set to a value this one does not know.
fn partner_with_unknown_status() -> (Connection, ManualClock, uuid::Uuid) {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("partner");
    conn.execute("UPDATE partner SET status = 'dormant' WHERE id = ?1", [p.id])
        .expect("a newer version's value");
    (conn, clock, p.id)
}

#[test]
fn an_unknown_value_reads_back_as_it_is_and_shows_as_its_text() {
    let (conn, _, id) = partner_with_unknown_status();
    let p = partner::get(&conn, id).expect("read");
    assert_eq!(p.input.status, PartnerStatus::Unknown("dormant"), "kept, not turned into a default");
    assert_eq!(p.input.status.as_str(), "dormant");
    assert_eq!(serde_json::to_value(&p).expect("json")["status"], "dormant", "the UI receives the raw text");
    assert!(!PartnerStatus::ALL.contains(&p.input.status), "ALL lists the known values only");
    let back: PartnerStatus = serde_json::from_str("\"dormant\"").expect("any text deserializes");
    assert_eq!(back, p.input.status);
    assert_eq!(serde_json::from_str::<PartnerStatus>("\"active\"").expect("known"), PartnerStatus::Active);
}

#[test]
fn a_save_that_does_not_touch_an_unknown_value_keeps_it() {
    let (mut conn, clock, id) = partner_with_unknown_status();
    let mut input = fudan();
    input.status = partner::get(&conn, id).expect("read").input.status;
    input.city = Some("Shanghai, Yangpu".into());
    clock.advance_ms(1000);
    write(&mut conn, |tx| partner::update(tx, &clock, id, &input)).expect("a save of another field");
    let status: String =
        conn.query_row("SELECT status FROM partner WHERE id = ?1", [id], |r| r.get(0)).expect("status");
    assert_eq!(status, "dormant", "the newer version's status is not overwritten");
    let last = oplog::all_ops(&conn).expect("ops").into_iter().rfind(|op| op.row_id == id).expect("an op");
    let columns: Vec<&str> = last.patch.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(columns, ["city"], "the log shows no change of the status");
}

#[test]
fn a_write_cannot_newly_set_an_unknown_value() {
    let (mut conn, clock, id) = partner_with_unknown_status();
    let mut input = fudan();
    input.status = serde_json::from_str("\"archived\"").expect("any text deserializes");
    let err = write(&mut conn, |tx| partner::create(tx, &clock, &input)).expect_err("a new partner");
    assert_eq!(err.kind(), "invalid");
    assert_eq!(err.fields()[0].field, "status");
    assert_eq!(err.fields()[0].message, "unknown status 'archived'");
    let partners: i64 = conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).expect("count");
    assert_eq!(partners, 1, "nothing was written");

    let err =
        write(&mut conn, |tx| partner::update(tx, &clock, id, &input)).expect_err("another unknown value");
    assert_eq!(err.fields()[0].field, "status", "only the value already stored may be written back");
    let mut input = fudan();
    input.kind = serde_json::from_str("\"consortium\"").expect("any text deserializes");
    let err = write(&mut conn, |tx| partner::update(tx, &clock, id, &input)).expect_err("an unknown kind");
    assert_eq!(err.fields()[0].message, "unknown kind 'consortium'");
}

#[test]
fn an_application_in_a_newer_status_may_go_back_to_any_known_one() {
    use liaison_core::kinds::ApplicationStatus;
    assert_eq!(ApplicationStatus::Unknown("shortlisted").next(), ApplicationStatus::ALL);
    assert!(
        !ApplicationStatus::ALL.iter().any(|s| s.next().iter().any(|n| !n.is_known())),
        "no move leads to an unknown status"
    );
}
