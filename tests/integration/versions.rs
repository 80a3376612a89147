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

/// A laptop on a newer version writes a sync file whose ops name a column and a table this version lacks.
/// Head office keeps them (quarantined) and relays them whole, under their origin's signature, to a third
/// laptop, which keeps them too: both apply what they know, and both hold the same op log.
#[test]
fn ops_of_a_newer_version_are_kept_and_relayed_by_sync_file_under_their_origins_signature() {
    use liaison_core::job::Job;
    use liaison_core::store;
    use liaison_core::sync::bundle::{self, Encryption, Frame, Header, Kind, SignedRange, WireOp, WireValue};
    use liaison_core::sync::export::Audience;
    use liaison_core::sync::{self, digest, identity, import};
    use liaison_core::Clock;
    use sha2::Digest;

    let dir = tempfile::tempdir().expect("temp dir");
    let clock = ManualClock::new();
    let mut lyon = liaison_core::open(&dir.path().join("lyon.sqlite3")).expect("open");
    write(&mut lyon, |tx| store::init(tx, "Lyon head office", &clock)).expect("init");
    let fudan_id = write(&mut lyon, |tx| partner::create(tx, &clock, &fudan())).expect("partner").id;
    let snapshot = dir.path().join("snapshot.liaison");
    sync::export_file(&mut lyon, &clock, Audience::Snapshot, &snapshot, None, None, &Job::silent())
        .expect("snapshot");
    let shanghai_clock = ManualClock::new();
    let mut shanghai = liaison_core::open(&dir.path().join("shanghai.sqlite3")).expect("open");
    sync::join(&mut shanghai, &shanghai_clock, &snapshot, "Shanghai office", None, None, &Job::silent())
        .expect("join");

    // Kyoto's laptop, on a newer version: a city with a motto (a column this version lacks), and a row of a
    // table this version lacks, on top of the partner's latest op.
    let secret = [42u8; 32];
    let key = bundle::public_key(&secret);
    let kyoto = uuid::Uuid::now_v7();
    let workspace = store::workspace_id(&lyon).expect("read").expect("a workspace");
    let latest = oplog::all_ops(&lyon)
        .expect("ops")
        .into_iter()
        .filter(|op| op.row_id == fudan_id && op.table == "partner")
        .max_by_key(|op| op.hlc)
        .map(|op| (op.hlc, op.origin))
        .expect("the partner's op");
    clock.advance_ms(10_000);
    let hlc = liaison_core::clock::Hlc { ms: clock.now().timestamp_millis(), counter: 0 }.pack();
    let ops = vec![
        WireOp {
            seq: 1,
            hlc,
            table: "partner".into(),
            row: fudan_id,
            prev: vec![latest],
            patch: vec![
                ("city".into(), WireValue::Text("Shanghai (Yangpu)".into())),
                ("motto".into(), WireValue::Text("博学而笃志".into())),
            ],
        },
        WireOp {
            seq: 2,
            hlc: hlc + 1,
            table: "scholarship".into(),
            row: uuid::Uuid::now_v7(),
            prev: vec![],
            patch: vec![("title".into(), WireValue::Text("CSC 2027".into()))],
        },
    ];
    let mut sha = sha2::Sha256::new();
    for op in &ops {
        sha.update(sha2::Sha256::digest(bundle::encode_op(op).expect("encodes")));
    }
    let digest_of_ops: [u8; 32] = sha.finalize().into();
    let signature = bundle::sign(&secret, &bundle::range_message(workspace, kyoto, 1, 2, &digest_of_ops));
    let mut frames = vec![Frame::Origin { id: kyoto, key, name: "Kyoto office".into() }];
    frames.extend(ops.iter().cloned().map(Frame::Op));
    frames.push(Frame::Ranges(vec![SignedRange { first: 1, last: 2, signature }]));
    frames.push(Frame::End);
    let header = Header {
        bundle: uuid::Uuid::new_v4(),
        workspace,
        kind: Kind::Ops,
        sender: kyoto,
        sender_key: key,
        sender_name: "Kyoto office".into(),
        peer: None,
        peer_name: None,
        app_version: "9.0.0".into(),
        schema_version: 99,
        created_ms: clock.now().timestamp_millis(),
        vector: vec![(kyoto, 2)],
        ops: 0,
        documents: 0,
        encryption: Encryption::None,
        plain_bytes: 0,
        payload_bytes: 0,
        payload_sha256: [0; 32],
    };
    let from_kyoto = dir.path().join("from-kyoto.liaison");
    bundle::write(&from_kyoto, header, &secret, None, |sink| frames.iter().try_for_each(|f| sink.put(f)))
        .expect("write");

    // Lyon approves Kyoto: what it knows applies, the rest waits, nothing is lost.
    let held = sync::import_file(&mut lyon, &clock, &from_kyoto, None, None, &Job::silent()).expect("held");
    assert_eq!(held.held_back, 2, "{held:?}");
    write(&mut lyon, |tx| import::approve(tx, &clock, &identity::fingerprint(&key))).expect("approve");
    let city: Option<String> = lyon
        .query_row("SELECT city FROM partner WHERE id = ?1", [fudan_id], |r| r.get(0))
        .expect("the partner");
    assert_eq!(city.as_deref(), Some("Shanghai (Yangpu)"), "the known column applies");
    let kept = quarantined(&lyon);
    assert_eq!(kept, 2, "the unknown column and the unknown table wait");

    // Lyon relays to Shanghai: Kyoto's ops travel whole under Kyoto's signature and are kept there too.
    let relayed = dir.path().join("relayed.liaison");
    sync::export_file(&mut lyon, &clock, Audience::Everyone, &relayed, None, None, &Job::silent())
        .expect("relay");
    let got = sync::import_file(&mut shanghai, &shanghai_clock, &relayed, None, None, &Job::silent())
        .expect("Shanghai imports the relay");
    assert!(got.new_ops >= 2, "{got:?}");
    let city: Option<String> = shanghai
        .query_row("SELECT city FROM partner WHERE id = ?1", [fudan_id], |r| r.get(0))
        .expect("the partner");
    assert_eq!(city.as_deref(), Some("Shanghai (Yangpu)"));
    assert_eq!(quarantined(&shanghai), kept, "Shanghai keeps what it cannot apply, as Lyon did");
    let of_kyoto = |conn: &Connection| {
        canonical(oplog::all_ops(conn).expect("ops").into_iter().filter(|op| op.origin == kyoto).collect())
    };
    assert_eq!(of_kyoto(&shanghai), of_kyoto(&lyon), "the relayed ops are whole, unknown parts included");
    assert_eq!(of_kyoto(&lyon).len(), 2);
    assert_eq!(
        digest::digest(&shanghai).expect("digest"),
        digest::digest(&lyon).expect("digest"),
        "the two laptops hold the same data"
    );
}
