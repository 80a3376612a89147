//! Agreements: parties and conditions, list filters and search, the status shown past the end date,
//! frameworks and what points to an agreement, and bad input refused field by field.

use liaison_core::kinds::AgreementStatus;
use liaison_core::records::agreement::{self, AgreementQuery, PartyInput};
use liaison_core::{
    oplog,
    records::{contact, partner},
    reference, search, write, Error,
};
use liaison_tests::{exchange_agreement, fudan, in_memory_db, person, simple};
use uuid::Uuid;

fn codes(err: Error) -> Vec<(String, String)> {
    let Error::Invalid(fields) = err else { panic!("expected field errors, got {err}") };
    fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
}

#[test]
fn an_agreement_with_two_parties_and_conditions_is_listed_searched_and_replayed() {
    let (mut conn, clock) = in_memory_db();
    let tongji =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("同济大学", "zh-Hans", "CN"))).expect("p");
    let lyon =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("ENS de Lyon", "fr", "FR"))).expect("p");
    let a = write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(tongji.id, lyon.id)))
        .expect("created");
    assert_eq!(a.input.parties.len(), 2);
    assert_eq!(a.input.conditions.len(), 2);
    assert_eq!(a.conditions_read[0].sending_name.as_deref(), Some("同济大学"));

    let page = agreement::list(
        &conn,
        &AgreementQuery { partner_id: Some(tongji.id), ..Default::default() },
        today(),
    )
    .expect("list");
    assert_eq!(page.total, 1);
    assert!(page.rows[0].parties.contains("同济大学") && page.rows[0].parties.contains("ENS de Lyon"));
    let hits = search::search(&conn, "urban", 10).expect("search");
    assert!(hits.iter().any(|h| h.id == a.id), "found by a word of its title: {hits:?}");
    let hits = search::search(&conn, "同济", 10).expect("search");
    assert!(hits.iter().any(|h| h.id == a.id), "found by a party's two-character name: {hits:?}");

    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(oplog::dump_synced(&replica).expect("dump"), oplog::dump_synced(&conn).expect("dump"));
    assert_eq!(agreement::get(&replica, a.id, today()).expect("replayed").input.parties.len(), 2);
}

#[test]
fn bad_agreements_are_refused_field_by_field_and_nothing_is_written() {
    let (mut conn, clock) = in_memory_db();
    let a = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("p");
    let b = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Tongji", "en", "CN"))).expect("p");
    let outsider =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("Ottawa", "en", "CA"))).expect("p");
    let before = oplog::dump_synced(&conn).expect("dump");

    let mut one_party = exchange_agreement(a.id, b.id);
    one_party.parties.truncate(1);
    one_party.conditions.clear();
    let err = write(&mut conn, |tx| agreement::create(tx, &clock, &one_party)).expect_err("refused");
    assert_eq!(codes(err), [("parties".to_owned(), "too_few".to_owned())]);

    let mut bad = exchange_agreement(a.id, b.id);
    bad.end_date = Some("2020-01-01".into());
    bad.conditions[0].receiving_id = Some(outsider.id);
    bad.conditions[1].places = Some(-2);
    bad.notice_months = Some(-1);
    bad.fields.push("astrology".into());
    let err = write(&mut conn, |tx| agreement::create(tx, &clock, &bad)).expect_err("refused");
    let codes = codes(err);
    for expected in [
        ("end_date", "end_before_start"),
        ("conditions[0].receiving_id", "not_a_party"),
        ("conditions[1].places", "negative"),
        ("notice_months", "negative"),
        ("fields[1]", "field"),
    ] {
        assert!(codes.iter().any(|(f, c)| (f.as_str(), c.as_str()) == expected), "{expected:?} in {codes:?}");
    }
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), before, "nothing was written");
}

#[test]
fn an_active_agreement_past_its_end_date_shows_as_expired() {
    let (mut conn, clock) = in_memory_db();
    let a = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("p");
    let b = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Tongji", "en", "CN"))).expect("p");
    let mut input = exchange_agreement(a.id, b.id);
    input.end_date = Some("2025-08-31".into());
    let created = write(&mut conn, |tx| agreement::create(tx, &clock, &input)).expect("created");
    let read = agreement::get(&conn, created.id, today()).expect("read");
    assert_eq!(
        (read.input.status, read.effective_status),
        (AgreementStatus::Active, AgreementStatus::Expired)
    );
    let expired = agreement::list(
        &conn,
        &AgreementQuery { status: Some(AgreementStatus::Expired), ..Default::default() },
        today(),
    )
    .expect("list");
    assert_eq!(expired.total, 1, "filtered by the status it shows");
    let active = agreement::list(
        &conn,
        &AgreementQuery { status: Some(AgreementStatus::Active), ..Default::default() },
        today(),
    )
    .expect("list");
    assert_eq!(active.total, 0);
}

#[test]
fn a_four_party_agreement_under_a_framework_and_what_points_to_it() {
    let (mut conn, clock) = in_memory_db();
    let mut ids = Vec::new();
    for (n, c) in [
        ("University of Ottawa", "CA"),
        ("上海交通大学", "CN"),
        ("上海中医药大学", "CN"),
        ("Université de Lyon", "FR"),
    ] {
        ids.push(write(&mut conn, |tx| partner::create(tx, &clock, &simple(n, "und", c))).expect("p").id);
    }
    let framework = write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(ids[1], ids[3])))
        .expect("framework");
    let mut input = exchange_agreement(ids[0], ids[3]);
    input.title = "Medicine and Humanities".into();
    input.conditions.clear();
    input.parent_id = Some(framework.id);
    input.parties = ids
        .iter()
        .map(|id| PartyInput {
            id: None,
            partner_id: Some(*id),
            unit_id: None,
            role: None,
            signatory_id: None,
            signed_date: None,
        })
        .collect();
    let mh = write(&mut conn, |tx| agreement::create(tx, &clock, &input)).expect("four parties");
    assert_eq!(mh.input.parties.len(), 4);
    assert_eq!(mh.parent_title.as_deref(), Some("Student exchange in urban planning"));
    let framework = agreement::get(&conn, framework.id, today()).expect("read");
    assert_eq!(framework.children.len(), 1);
    let deps = reference::dependants(&conn, framework.id).expect("dependants");
    assert_eq!(reference::describe(&deps), "1 agreement");

    input.parent_id = Some(mh.id);
    let err = write(&mut conn, |tx| agreement::update(tx, &clock, mh.id, &input)).expect_err("own parent");
    assert_eq!(codes(err), [("parent_id".to_owned(), "cycle".to_owned())]);
}

#[test]
fn the_agreement_list_filtered_by_a_signatory_shows_only_what_they_signed() {
    let (mut conn, clock) = in_memory_db();
    let mut org = |n: &str, c: &str| {
        write(&mut conn, |tx| partner::create(tx, &clock, &simple(n, "und", c))).expect("partner").id
    };
    let (tongji, ottawa, lyon) =
        (org("同济大学", "CN"), org("University of Ottawa", "CA"), org("Lyon 1", "FR"));
    let mut someone = |family: &str, given: &str, at: Uuid| {
        write(&mut conn, |tx| contact::create(tx, &clock, &person(family, given, None, at))).expect("c").id
    };
    let (wu, smith) = (someone("Wu", "Jing", tongji), someone("Smith", "Anne", ottawa));
    // Wu Jing signs for Tongji, Anne Smith for Ottawa; the third agreement has no signatory yet.
    let terms = |title: &str, other: Uuid, signatory: Option<Uuid>| {
        let mut input = exchange_agreement(other, lyon);
        input.title = title.into();
        input.parties[0].signatory_id = signatory;
        input.parties[0].signed_date = signatory.map(|_| "2024-06-15".into());
        input
    };
    let mut signed = |input: &agreement::AgreementInput| {
        write(&mut conn, |tx| agreement::create(tx, &clock, input)).expect("agreement").id
    };
    let tongji_deal = signed(&terms("Tongji urban planning", tongji, Some(wu)));
    signed(&terms("Ottawa engineering", ottawa, Some(smith)));
    signed(&terms("Tongji architecture", tongji, None));

    let by = |conn: &rusqlite::Connection, who: Uuid| -> Vec<String> {
        let q = AgreementQuery { signatory_id: Some(who), ..Default::default() };
        agreement::list(conn, &q, today()).expect("list").rows.into_iter().map(|r| r.title).collect()
    };
    assert_eq!(by(&conn, wu), ["Tongji urban planning"], "only the agreement Wu Jing signed");
    assert_eq!(by(&conn, smith), ["Ottawa engineering"]);
    assert!(by(&conn, tongji).is_empty(), "a party's organisation is not a signatory");

    // Another person signs in Wu Jing's place: the agreement leaves Wu Jing's list for theirs.
    let resigned = terms("Tongji urban planning", tongji, Some(smith));
    write(&mut conn, |tx| agreement::update(tx, &clock, tongji_deal, &resigned)).expect("re-signed");
    assert!(by(&conn, wu).is_empty(), "a replaced signatory no longer counts");
    assert_eq!(by(&conn, smith), ["Ottawa engineering", "Tongji urban planning"]);
}

#[test]
fn an_agreement_names_its_parties_for_each_ui_language() {
    let (mut conn, clock) = in_memory_db();
    let fudan_id = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("fudan").id;
    let lyon = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Université Lyon 2", "fr", "FR")))
        .expect("p")
        .id;
    let a = write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(fudan_id, lyon)))
        .expect("agreement");
    let names: Vec<String> = a
        .parties_read
        .iter()
        .map(|p| p.partner_labels.as_ref().map(|l| l.en.text()).unwrap_or_default())
        .collect();
    assert!(names.contains(&"Fudan University (复旦大学)".to_owned()), "{names:?}");
    assert!(names.contains(&"Université Lyon 2".to_owned()), "{names:?}");
}

#[test]
fn the_agreement_list_its_conditions_units_and_search_name_parties_for_each_ui_language() {
    use liaison_core::label::UiLang;
    let (mut conn, clock) = in_memory_db();
    let fudan_id = write(&mut conn, |tx| partner::create(tx, &clock, &fudan())).expect("fudan").id;
    let lyon = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Université Lyon 2", "fr", "FR")))
        .expect("p")
        .id;
    let mut school = simple("复旦大学管理学院", "zh-Hans", "CN");
    school.names.push(liaison_tests::name("School of Management, Fudan University", "en", false));
    school.parent_id = Some(fudan_id);
    let school = write(&mut conn, |tx| partner::create(tx, &clock, &school)).expect("unit").id;
    let mut input = exchange_agreement(fudan_id, lyon);
    input.title = "Management exchange".into();
    input.parties[0].unit_id = Some(school);
    let a = write(&mut conn, |tx| agreement::create(tx, &clock, &input)).expect("agreement");

    let page = agreement::list(&conn, &AgreementQuery::default(), today()).expect("list");
    let row = page.rows.iter().find(|r| r.id == a.id).expect("listed");
    let en: Vec<String> = row.party_labels.iter().map(|l| l.en.text()).collect();
    assert_eq!(en.join(" · "), "Fudan University (复旦大学) · Université Lyon 2", "the list row's parties");
    assert!(row.parties.contains("复旦大学"), "the primary names stay what the list is searched by");

    let got = agreement::get(&conn, a.id, today()).expect("get");
    let sides: Vec<(String, String)> = got
        .conditions_read
        .iter()
        .map(|c| {
            let text = |l: &Option<liaison_core::label::Labels>| l.as_ref().expect("labelled").fr.text();
            (text(&c.sending_labels), text(&c.receiving_labels))
        })
        .collect();
    assert!(
        sides.contains(&("Fudan University (复旦大学)".into(), "Université Lyon 2".into())),
        "each condition's sides: {sides:?}"
    );
    let unit = got.parties_read.iter().find_map(|p| p.unit_labels.clone()).expect("the unit is labelled");
    assert_eq!(unit.en.text(), "School of Management, Fudan University (复旦大学管理学院)");

    let hits = search::search_as(&conn, "management exchange", 5, Some(UiLang::Fr)).expect("search");
    let hit = hits.iter().find(|h| h.id == a.id).expect("found");
    assert_eq!(hit.subtitle.as_deref(), Some("Fudan University (复旦大学) · Université Lyon 2"));
}
