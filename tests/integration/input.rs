//! What a record's input accepts: every field it has and nothing else (the read-back's own fields aside).

use liaison_core::records::{agreement, application, call, contact, event, exchange, partner, project};
use liaison_core::{demo, write, Error};
use liaison_tests::in_memory_db;
use rusqlite::Connection;
use uuid::Uuid;

fn ids(conn: &Connection, table: &str) -> Vec<Uuid> {
    let mut stmt = conn.prepare(&format!("SELECT id FROM {table} ORDER BY id")).expect("ids");
    let rows = stmt.query_map([], |r| r.get(0)).expect("ids");
    rows.collect::<Result<_, _>>().expect("ids")
}

/// Every record of `table` in the demo, printed as `show --json` prints it, reads back as its own input.
fn round_trips<R: serde::Serialize, I: PartialEq + std::fmt::Debug>(
    conn: &Connection,
    table: &str,
    get: impl Fn(Uuid) -> liaison_core::Result<R>,
    input_of: impl Fn(&R) -> &I,
    parse: fn(&str) -> liaison_core::Result<I>,
) {
    let ids = ids(conn, table);
    assert!(!ids.is_empty(), "the demo has {table} records");
    for id in ids {
        let record = get(id).expect("get");
        let shown = serde_json::to_string_pretty(&record).expect("json");
        let input = parse(&shown).unwrap_or_else(|e| panic!("{table} {id}: show --json is refused: {e}"));
        assert_eq!(&input, input_of(&record), "{table} {id}: show --json reads back unchanged");
    }
}

#[test]
fn every_record_printed_by_show_json_goes_back_through_update_unchanged() {
    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| demo::load(tx, &clock)).expect("demo");
    let c = &conn;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("date");
    round_trips(c, "partner", |id| partner::get(c, id), |r| &r.input, partner::input_from_json);
    round_trips(c, "contact", |id| contact::get(c, id), |r| &r.input, contact::input_from_json);
    round_trips(c, "agreement", |id| agreement::get(c, id, today), |r| &r.input, agreement::input_from_json);
    round_trips(c, "exchange", |id| exchange::get(c, id), |r| &r.input, exchange::input_from_json);
    round_trips(c, "project", |id| project::get(c, id), |r| &r.input, project::input_from_json);
    round_trips(c, "event", |id| event::get(c, id), |r| &r.input, event::input_from_json);
    round_trips(c, "call", |id| call::get(c, id), |r| &r.input, call::input_from_json);
    round_trips(c, "application", |id| application::get(c, id), |r| &r.input, application::input_from_json);
}

#[test]
fn a_misspelled_field_is_refused_by_every_record_naming_it() {
    type Parse = fn(&str) -> Option<Error>;
    let parsers: [(&str, Parse); 8] = [
        ("partner", |j| partner::input_from_json(j).err()),
        ("contact", |j| contact::input_from_json(j).err()),
        ("agreement", |j| agreement::input_from_json(j).err()),
        ("exchange", |j| exchange::input_from_json(j).err()),
        ("project", |j| project::input_from_json(j).err()),
        ("event", |j| event::input_from_json(j).err()),
        ("call", |j| call::input_from_json(j).err()),
        ("application", |j| application::input_from_json(j).err()),
    ];
    for (kind, parse) in parsers {
        let err = parse(r#"{"Notes": "misspelled"}"#)
            .unwrap_or_else(|| panic!("{kind}: an unknown field is refused"));
        let unknown = err.fields().iter().find(|f| f.code == "unknown_field");
        let unknown = unknown.unwrap_or_else(|| panic!("{kind}: the error names the unknown field: {err}"));
        assert_eq!(unknown.field, "Notes", "{kind}");
        assert!(unknown.message.contains("did you mean \"notes\""), "{kind}: {}", unknown.message);
    }
}
