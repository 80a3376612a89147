//! Partner organisations: names in any script, identifiers, zones, parents, history of edits, delete and
//! restore, list filters and paging.

use liaison_core::kinds::{IdScheme, Zone};
use liaison_core::label::UiLang;
use liaison_core::records::partner::{self, IdentifierInput, PartnerInput, PartnerQuery, PartnerSort};
use liaison_core::{oplog, write, Error};
use liaison_tests::{fudan, in_memory_db, name, simple};

fn field_codes(err: Error) -> Vec<(String, String)> {
    match err {
        Error::Invalid(fields) => fields.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn a_created_partner_reads_back_with_its_names_and_identifiers() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("valid input is stored");
    assert_eq!(p.name, "复旦大学", "the primary name is the title");
    assert_eq!(p.input.names.len(), 2);
    assert_eq!(p.input.identifiers[0].scheme, IdScheme::Ror);
    assert_eq!(p.input.zone, Some(Zone::China));
    let again = partner::get(&conn, p.id).expect("it can be read again");
    assert_eq!(again, p);
}

#[test]
fn the_zone_defaults_to_the_country_zone() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| {
        partner::create(tx, &clock, &simple("Universidade de São Paulo", "pt-BR", "br"))
    })
    .expect("stored");
    assert_eq!(p.input.country.as_deref(), Some("BR"), "country codes are upper-cased");
    assert_eq!(p.input.zone, Some(Zone::Brazil));
}

#[test]
fn invalid_fields_are_all_reported_and_nothing_is_written() {
    let (mut conn, clock) = in_memory_db();
    let before = oplog::dump_synced(&conn).expect("dump");
    let mut bad = fudan();
    bad.names[0].value = "  ".into();
    bad.names[1].lang = "not a language!".into();
    bad.country = Some("XX".into());
    bad.website = Some("ftp//nowhere".into());
    bad.identifiers.push(IdentifierInput { id: None, scheme: IdScheme::Ror, value: "013q1eq09".into() });
    let err = write(&mut conn, |tx| partner::create(tx, &clock, &bad)).expect_err("invalid input is refused");
    let codes = field_codes(err);
    for expected in [
        ("names[0].value", "required"),
        ("names[1].lang", "language"),
        ("country", "country"),
        ("website", "url"),
        ("identifiers[1].value", "identifier_ror"),
    ] {
        assert!(
            codes.iter().any(|(f, c)| f == expected.0 && c == expected.1),
            "missing {expected:?} in {codes:?}"
        );
    }
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), before, "a refused write must change nothing");
    assert!(oplog::all_ops(&conn).expect("ops").is_empty(), "and log nothing");
}

#[test]
fn two_primary_names_or_none_at_all_are_refused() {
    let (mut conn, clock) = in_memory_db();
    let mut two = fudan();
    two.names[1].primary = true;
    let err = write(&mut conn, |tx| partner::create(tx, &clock, &two)).expect_err("two primaries");
    assert_eq!(field_codes(err), vec![("names".into(), "one_primary".into())]);
    let mut none = fudan();
    none.names.clear();
    let err = write(&mut conn, |tx| partner::create(tx, &clock, &none)).expect_err("no names");
    assert_eq!(field_codes(err), vec![("names".into(), "required".into())]);
}

#[test]
fn a_parent_that_would_make_a_cycle_is_refused() {
    let (mut conn, clock) = in_memory_db();
    let tongji = write(&mut conn, |tx| partner::create(tx, &clock, &simple("同济大学", "zh-Hans", "CN")))
        .expect("tongji");
    let mut lab_input = simple("IUCC", "en", "CN");
    lab_input.parent_id = Some(tongji.id);
    let lab = write(&mut conn, |tx| partner::create(tx, &clock, &lab_input)).expect("lab under tongji");
    assert_eq!(lab.parent_name.as_deref(), Some("同济大学"));

    let mut tongji_under_lab = simple("同济大学", "zh-Hans", "CN");
    tongji_under_lab.names[0].id = tongji.input.names[0].id;
    tongji_under_lab.parent_id = Some(lab.id);
    let err =
        write(&mut conn, |tx| partner::update(tx, &clock, tongji.id, &tongji_under_lab)).expect_err("cycle");
    assert_eq!(field_codes(err), vec![("parent_id".into(), "cycle".into())]);

    let mut own_parent = simple("同济大学", "zh-Hans", "CN");
    own_parent.parent_id = Some(tongji.id);
    let err = write(&mut conn, |tx| partner::update(tx, &clock, tongji.id, &own_parent)).expect_err("self");
    assert_eq!(field_codes(err), vec![("parent_id".into(), "cycle".into())]);
    assert_eq!(partner::get(&conn, tongji.id).expect("read").input.parent_id, None, "nothing was written");
}

#[test]
fn an_edit_logs_only_the_fields_that_changed_and_shows_in_history() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("created");
    let ops_before = oplog::all_ops(&conn).expect("ops").len();
    clock.advance_ms(60_000);
    let mut edit = fudan();
    edit.city = Some("Shanghai (Handan campus)".into());
    edit.names[0].id = p.input.names[0].id;
    edit.names[1].id = p.input.names[1].id;
    write(&mut conn, |tx| partner::update(tx, &clock, p.id, &edit)).expect("edited");
    let ops = oplog::all_ops(&conn).expect("ops");
    assert_eq!(ops.len(), ops_before + 1, "one field changed, so one op: {:?}", &ops[ops_before..]);
    let last = ops.last().expect("an op");
    let columns: Vec<&str> = last.patch.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!((last.table.as_str(), columns), ("partner", vec!["city"]));
    assert!(!last.prev.is_empty(), "an update names the op it supersedes");

    let history = oplog::history(&conn, p.id).expect("history");
    assert_eq!(history.len(), 2, "creation and edit");
    assert_eq!(history[1].author, "Test office");
    assert_eq!(history[1].at, "2026-01-01T00:01:00Z");
    let change = &history[1].changes[0];
    assert_eq!(change.old, serde_json::json!("Shanghai"));
    assert_eq!(change.new, serde_json::json!("Shanghai (Handan campus)"));
}

#[test]
fn removing_a_name_marks_it_deleted_and_adding_one_inserts_it() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("created");
    let mut edit = fudan();
    edit.names = vec![name("复旦大学", "zh-Hans", true), name("Université Fudan", "fr", false)];
    let after = write(&mut conn, |tx| partner::update(tx, &clock, p.id, &edit)).expect("edited");
    let values: Vec<&str> = after.input.names.iter().map(|n| n.value.as_str()).collect();
    assert_eq!(values.len(), 2);
    assert!(values.contains(&"Université Fudan") && !values.contains(&"Fudan University"), "{values:?}");
    assert_eq!(after.input.names[0].id, p.input.names[0].id, "an unchanged name keeps its row");
}

#[test]
fn delete_hides_a_partner_and_restore_brings_it_back() {
    let (mut conn, clock) = in_memory_db();
    let p = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("created");
    write(&mut conn, |tx| partner::delete(tx, &clock, p.id)).expect("deleted");
    let page = partner::list(&conn, &PartnerQuery::default()).expect("list");
    assert_eq!(page.total, 0, "a deleted partner is not listed");
    assert!(partner::get(&conn, p.id).expect("still readable").deleted);
    write(&mut conn, |tx| partner::restore(tx, &clock, p.id)).expect("restored");
    assert_eq!(partner::list(&conn, &PartnerQuery::default()).expect("list").total, 1);
    let err = write(&mut conn, |tx| partner::delete(tx, &clock, uuid::Uuid::nil())).expect_err("unknown id");
    assert_eq!(err.kind(), "not_found");
}

#[test]
fn the_list_filters_sorts_and_pages() {
    let (mut conn, clock) = in_memory_db();
    for (n, c) in
        [("Zeta University", "CN"), ("Alpha University", "CN"), ("Université Laval", "CA"), ("Beta", "JP")]
    {
        write(&mut conn, |tx| partner::create(tx, &clock, &simple(n, "en", c))).expect("created");
    }
    let china =
        partner::list(&conn, &PartnerQuery { zone: Some(Zone::China), ..Default::default() }).expect("list");
    let names: Vec<&str> = china.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Alpha University", "Zeta University"]);
    let by_country_desc = partner::list(
        &conn,
        &PartnerQuery { sort: Some(PartnerSort::Country), descending: true, limit: 2, ..Default::default() },
    )
    .expect("list");
    assert_eq!(by_country_desc.total, 4);
    assert_eq!(by_country_desc.rows.len(), 2);
    assert_eq!(by_country_desc.rows[0].country.as_deref(), Some("JP"));
    let second_page =
        partner::list(&conn, &PartnerQuery { offset: 3, limit: 2, ..Default::default() }).expect("list");
    assert_eq!(second_page.rows.len(), 1);
    assert_eq!(second_page.rows[0].name, "Zeta University", "accent-folded name order, last page");
}

#[test]
fn partner_json_names_the_field_of_a_type_error() {
    let err = partner::input_from_json(r#"{"names": [{"value": "X", "lang": "en"}], "zone": 3}"#)
        .expect_err("a zone is text");
    let codes = field_codes(err);
    assert_eq!(codes[0].0, "zone", "{codes:?}");
}

#[test]
fn a_unit_of_a_deleted_organisation_can_still_be_edited() {
    let (mut conn, clock) = in_memory_db();
    let tongji =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("同济大学", "zh-Hans", "CN"))).expect("t");
    let mut lab = simple("IUCC", "en", "CN");
    lab.parent_id = Some(tongji.id);
    let created = write(&mut conn, |tx| partner::create(tx, &clock, &lab)).expect("lab");
    write(&mut conn, |tx| partner::delete(tx, &clock, tongji.id)).expect("deleted");
    assert_eq!(partner::get(&conn, created.id).expect("lab").parent_name, None, "shown as pending");
    lab.city = Some("Shanghai".into());
    write(&mut conn, |tx| partner::update(tx, &clock, created.id, &lab))
        .expect("keeping the old parent is allowed");
    let mut other = simple("Other", "en", "CN");
    other.parent_id = Some(tongji.id);
    let err = write(&mut conn, |tx| partner::create(tx, &clock, &other))
        .expect_err("a new link needs a live parent");
    assert_eq!(field_codes(err), vec![("parent_id".into(), "not_found".into())]);
}

#[test]
fn starting_the_workspace_twice_is_refused_and_loads_the_demo_once() {
    use liaison_core::workspace::{self, StartChoice};
    let clock = liaison_core::ManualClock::new();
    let mut conn = liaison_core::open_in_memory().expect("db");
    write(&mut conn, |tx| workspace::start(tx, &clock, StartChoice::Demo, "Lyon")).expect("first start");
    let partners = partner::list(&conn, &PartnerQuery::default()).expect("list").total;
    assert!(partners >= 40, "the demo is loaded: {partners}");
    let err =
        write(&mut conn, |tx| workspace::start(tx, &clock, StartChoice::Demo, "Lyon")).expect_err("twice");
    assert_eq!(err.kind(), "conflict");
    assert_eq!(
        partner::list(&conn, &PartnerQuery::default()).expect("list").total,
        partners,
        "not loaded twice"
    );
}

#[test]
fn a_chinese_or_japanese_partner_reads_in_the_ui_language_with_its_own_script_beside() {
    let (mut conn, clock) = in_memory_db();
    let lyon = PartnerInput {
        names: vec![
            name("Université Claude Bernard Lyon 1", "fr", true),
            name("Claude Bernard University Lyon 1", "en", false),
        ],
        ..simple("x", "fr", "FR")
    };
    let tohoku = PartnerInput {
        names: vec![name("東北大学", "ja", true), name("Tohoku University", "en", false)],
        ..simple("x", "ja", "JP")
    };
    let fudan_id = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("fudan").id;
    write(&mut conn, |tx| partner::create(tx, &clock, &lyon)).expect("lyon");
    write(&mut conn, |tx| partner::create(tx, &clock, &tohoku)).expect("tohoku");

    let rows = |conn: &rusqlite::Connection, lang| {
        partner::list(conn, &PartnerQuery { lang, ..Default::default() }).expect("list").rows
    };
    let shown = |conn: &rusqlite::Connection, lang| {
        rows(conn, lang)
            .into_iter()
            .map(|r| (r.name, r.lang, r.native.unwrap_or_default(), r.native_lang.unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    let s = |a: &str, b: &str, c: &str, d: &str| (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned());
    assert_eq!(
        shown(&conn, Some(UiLang::En)),
        [
            s("Claude Bernard University Lyon 1", "en", "", ""),
            s("Fudan University", "en", "复旦大学", "zh-Hans"),
            s("Tohoku University", "en", "東北大学", "ja"),
        ],
        "English names, sorted by them, the native script beside where it differs"
    );
    assert_eq!(
        shown(&conn, Some(UiLang::Fr)),
        [
            s("Fudan University", "en", "复旦大学", "zh-Hans"),
            s("Tohoku University", "en", "東北大学", "ja"),
            s("Université Claude Bernard Lyon 1", "fr", "", ""),
        ],
        "the French name where there is one, else the English one"
    );
    let primary: Vec<String> = rows(&conn, None).into_iter().map(|r| r.name).collect();
    assert_eq!(
        primary,
        ["Université Claude Bernard Lyon 1", "复旦大学", "東北大学"],
        "no language: primary names"
    );

    let found = partner::list(
        &conn,
        &PartnerQuery { search: Some("复旦".into()), lang: Some(UiLang::Fr), ..Default::default() },
    )
    .expect("search");
    assert_eq!(found.rows[0].name, "Fudan University", "a search lists the same names");
    let hits = liaison_core::search::search_as(&conn, "fudan", 5, Some(UiLang::En)).expect("search");
    assert_eq!((hits[0].title.as_str(), hits[0].native.as_deref()), ("Fudan University", Some("复旦大学")));

    let page = partner::get(&conn, fudan_id).expect("get");
    assert_eq!(page.labels.fr.text(), "Fudan University (复旦大学)", "the record's title");
    let unit = PartnerInput { parent_id: Some(fudan_id), ..tohoku.clone() };
    let unit_id = write(&mut conn, |tx| partner::create(tx, &clock, &unit)).expect("a unit").id;
    let unit_page = partner::get(&conn, unit_id).expect("unit");
    assert_eq!(unit_page.parent_labels.map(|l| l.en.name), Some("Fudan University".into()), "its parent");
    let units = partner::get(&conn, fudan_id).expect("get").units;
    assert_eq!(
        units[0].labels.as_ref().map(|l| l.fr.text()),
        Some("Tohoku University (東北大学)".into()),
        "its units"
    );

    // A renamed partner is relabelled in the same transaction.
    let mut input = page.input.clone();
    input.names.push(name("Université Fudan", "fr", false));
    write(&mut conn, |tx| partner::update(tx, &clock, fudan_id, &input)).expect("update");
    assert!(shown(&conn, Some(UiLang::Fr)).contains(&s("Université Fudan", "fr", "复旦大学", "zh-Hans")));
}
