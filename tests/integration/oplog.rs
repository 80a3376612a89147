//! The op log: replaying it rebuilds every record (property-tested), a local edit after a later received
//! op wins, and an insert's values stay in its row until the row changes.

use liaison_core::kinds::{PartnerStatus, Zone};
use liaison_core::records::contact::{self, ContactQuery};
use liaison_core::records::partner::{self, PartnerQuery};
use liaison_core::{oplog, store, write};
use liaison_tests::{in_memory_db, name, person, simple};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Action {
    CreatePartner(u8),
    Rename(u8, u8),
    AddName(u8, u8),
    Move(u8, u8),
    SetParent(u8, u8),
    Delete(u8),
    Restore(u8),
    CreateContact(u8, u8),
    EditContact(u8, u8),
    DeleteContact(u8),
    Tick(u16),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        any::<u8>().prop_map(Action::CreatePartner),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Rename(a, b)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::AddName(a, b)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::Move(a, b)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::SetParent(a, b)),
        any::<u8>().prop_map(Action::Delete),
        any::<u8>().prop_map(Action::Restore),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::CreateContact(a, b)),
        (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Action::EditContact(a, b)),
        any::<u8>().prop_map(Action::DeleteContact),
        (0u16..3000).prop_map(Action::Tick),
    ]
}

const NAMES: &[(&str, &str)] = &[
    ("复旦大学", "zh-Hans"),
    ("東京大学", "ja"),
    ("Universidade de São Paulo", "pt-BR"),
    ("Université de Montréal", "fr"),
    ("University of Ottawa", "en"),
    ("同济大学", "zh-Hans"),
];
const COUNTRIES: &[&str] = &["CN", "JP", "BR", "CA", "FR"];

fn pick<T: Clone>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[usize::from(i) % items.len()].clone())
}

/// Runs the actions through the core's write path; refused writes (a cycle, say) are part of the game.
fn run(actions: &[Action]) -> rusqlite::Connection {
    let (mut conn, clock) = in_memory_db();
    let mut partners: Vec<uuid::Uuid> = Vec::new();
    let mut contacts: Vec<uuid::Uuid> = Vec::new();
    for a in actions {
        let _ = match a.clone() {
            Action::CreatePartner(n) => {
                let (text, lang) = NAMES[usize::from(n) % NAMES.len()];
                let country = COUNTRIES[usize::from(n) % COUNTRIES.len()];
                write(&mut conn, |tx| partner::create(tx, &clock, &simple(text, lang, country)))
                    .map(|p| partners.push(p.id))
            }
            Action::Rename(i, n) | Action::AddName(i, n) | Action::Move(i, n) | Action::SetParent(i, n) => {
                let Some(id) = pick(&partners, i) else { continue };
                let Ok(current) = partner::get(&conn, id) else { continue };
                let mut input = simple(
                    &current.name,
                    &current.input.names[0].lang,
                    current.input.country.as_deref().unwrap_or("FR"),
                );
                input.names = current.input.names.clone();
                input.parent_id = current.input.parent_id;
                let (text, lang) = NAMES[usize::from(n) % NAMES.len()];
                match a {
                    Action::Rename(..) => input.names[0].value = format!("{text} {n}"),
                    Action::AddName(..) => input.names.push(name(&format!("{text} ({n})"), lang, false)),
                    Action::Move(..) => {
                        input.country = Some(COUNTRIES[usize::from(n) % COUNTRIES.len()].into());
                        input.zone = Some(Zone::Other);
                        input.status =
                            if n % 2 == 0 { PartnerStatus::Prospect } else { PartnerStatus::Active };
                    }
                    _ => input.parent_id = pick(&partners, n),
                }
                write(&mut conn, |tx| partner::update(tx, &clock, id, &input)).map(|_| ())
            }
            Action::Delete(i) => {
                let Some(id) = pick(&partners, i) else { continue };
                write(&mut conn, |tx| partner::delete(tx, &clock, id))
            }
            Action::Restore(i) => {
                let Some(id) = pick(&partners, i) else { continue };
                write(&mut conn, |tx| partner::restore(tx, &clock, id))
            }
            Action::CreateContact(i, n) => {
                let Some(pid) = pick(&partners, i) else { continue };
                write(&mut conn, |tx| {
                    contact::create(tx, &clock, &person("Li", &format!("Wei{n}"), Some("李伟"), pid))
                })
                .map(|c| contacts.push(c.id))
            }
            Action::EditContact(i, n) => {
                let Some(id) = pick(&contacts, i) else { continue };
                let Some(pid) = pick(&partners, n) else { continue };
                let mut input = person("Wang", &format!("Li{n}"), None, pid);
                input.phones.push(format!("+86 21 6564 {:04}", n));
                write(&mut conn, |tx| contact::update(tx, &clock, id, &input)).map(|_| ())
            }
            Action::DeleteContact(i) => {
                let Some(id) = pick(&contacts, i) else { continue };
                write(&mut conn, |tx| contact::delete(tx, &clock, id))
            }
            Action::Tick(ms) => {
                clock.advance_ms(i64::from(ms));
                Ok(())
            }
        };
    }
    conn
}

fn listing(conn: &rusqlite::Connection) -> (Vec<String>, Vec<String>) {
    let q = PartnerQuery { limit: 500, ..Default::default() };
    let partners =
        partner::list(conn, &q).expect("list").rows.into_iter().map(|r| format!("{r:?}")).collect();
    let q = ContactQuery { limit: 500, ..Default::default() };
    let contacts =
        contact::list(conn, &q).expect("list").rows.into_iter().map(|r| format!("{r:?}")).collect();
    (partners, contacts)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn replaying_the_op_log_into_an_empty_database_rebuilds_every_record(
        actions in prop::collection::vec(action(), 1..60),
        seed in any::<u64>(),
    ) {
        let source = run(&actions);
        let ops = oplog::all_ops(&source).expect("ops");

        let origin = store::replica(&source).expect("replica").expect("initialised").id;
        let seqs: Vec<i64> = {
            let mut s: Vec<i64> = ops.iter().filter(|o| o.origin == origin).map(|o| o.seq).collect();
            s.sort_unstable();
            s
        };
        prop_assert_eq!(seqs, (1..=ops.len() as i64).collect::<Vec<_>>(), "seq is gapless from 1");

        let mut target = liaison_core::open_in_memory().expect("db");
        write(&mut target, |tx| oplog::apply(tx, &ops)).expect("replay");
        prop_assert_eq!(oplog::dump_synced(&target).expect("dump"), oplog::dump_synced(&source).expect("dump"));
        prop_assert_eq!(listing(&target), listing(&source), "derived lists are rebuilt too");

        // Last writer wins field by field, so the order ops arrive in does not matter.
        let mut shuffled = ops.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut reordered = liaison_core::open_in_memory().expect("db");
        write(&mut reordered, |tx| oplog::apply(tx, &shuffled)).expect("replay");
        prop_assert_eq!(oplog::dump_synced(&reordered).expect("dump"), oplog::dump_synced(&source).expect("dump"));

        prop_assert_eq!(write(&mut target, |tx| oplog::apply(tx, &ops)).expect("again"), 0, "ops already held are skipped");
    }
}

#[test]
fn a_local_edit_after_receiving_a_later_op_wins_and_the_log_still_replays() {
    let (mut conn, clock) = in_memory_db();
    let p =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("Tongji", "en", "CN"))).expect("created");
    // An op from another replica whose clock runs an hour ahead.
    let origin = uuid::Uuid::from_bytes([0xff; 16]);
    let remote = oplog::Op {
        hlc: liaison_core::clock::Hlc { ms: 1_767_225_600_000 + 3_600_000, counter: 0 }.pack(),
        origin,
        seq: 1,
        table: "partner".into(),
        row_id: p.id,
        patch: vec![("city".into(), rusqlite::types::Value::Text("Jiading".into()))],
        prev: vec![],
    };
    write(&mut conn, |tx| oplog::apply(tx, std::slice::from_ref(&remote))).expect("applied");
    assert_eq!(partner::get(&conn, p.id).expect("p").input.city.as_deref(), Some("Jiading"));

    let mut edit = simple("Tongji", "en", "CN");
    edit.city = Some("Shanghai".into());
    write(&mut conn, |tx| partner::update(tx, &clock, p.id, &edit)).expect("local edit");
    assert_eq!(
        partner::get(&conn, p.id).expect("p").input.city.as_deref(),
        Some("Shanghai"),
        "made after seeing it"
    );

    let mut replica = liaison_core::open_in_memory().expect("db");
    let ops = oplog::all_ops(&conn).expect("ops");
    write(&mut replica, |tx| oplog::apply(tx, &ops)).expect("replay");
    assert_eq!(oplog::dump_synced(&replica).expect("dump"), oplog::dump_synced(&conn).expect("dump"));
}

#[test]
fn a_new_name_beside_a_kept_one_with_the_same_text_stays_a_separate_row() {
    let (mut conn, clock) = in_memory_db();
    let mut input = simple("Fudan University", "en", "CN");
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &input)).expect("created");
    input.names = vec![name("Fudan University", "en", true), name("Fudan University", "en", false)];
    input.names[1].id = p.input.names[0].id;
    input.names[1].value = "Université Fudan".into();
    input.names[1].lang = "fr".into();
    let after = write(&mut conn, |tx| partner::update(tx, &clock, p.id, &input)).expect("edited");
    assert_eq!(after.input.names.len(), 2, "{:?}", after.input.names);
    let kept = after.input.names.iter().find(|n| n.id == p.input.names[0].id).expect("the named row is kept");
    assert_eq!(kept.value, "Université Fudan", "the row named by id takes the values given with its id");
}

#[test]
fn an_insert_keeps_its_values_in_the_row_until_the_row_first_changes() {
    let (mut conn, clock) = in_memory_db();
    let p =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("Tongji", "en", "CN"))).expect("created");
    let stored: Option<Vec<u8>> = conn
        .query_row("SELECT patch FROM op WHERE row_id = ?1", [p.id], |r| r.get(0))
        .expect("the partner's insert op");
    assert_eq!(stored, None, "an untouched row's values are not stored twice");
    let ops = oplog::all_ops(&conn).expect("ops");
    let insert = ops.iter().find(|op| op.row_id == p.id).expect("insert op");
    assert!(insert.patch.contains(&("country".to_owned(), rusqlite::types::Value::Text("CN".into()))));

    let mut edit = simple("Tongji", "en", "FR");
    edit.names[0].id = p.input.names[0].id;
    write(&mut conn, |tx| partner::update(tx, &clock, p.id, &edit)).expect("edited");
    let history = oplog::history(&conn, p.id).expect("history");
    let change =
        history.iter().flat_map(|h| &h.changes).rfind(|c| c.column == "country").expect("country changed");
    assert_eq!(
        (change.old.as_str(), change.new.as_str()),
        (Some("CN"), Some("FR")),
        "the original value was kept"
    );
    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(oplog::dump_synced(&replica).expect("dump"), oplog::dump_synced(&conn).expect("dump"));
}
