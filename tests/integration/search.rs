//! Search across every kind of record: accents and case ignored, short Chinese and Japanese queries,
//! acronyms, cities and identifiers.

use liaison_core::kinds::IdScheme;
use liaison_core::records::partner::{self, IdentifierInput, PartnerQuery};
use liaison_core::search::{search, Entity};
use liaison_core::{
    records::{contact, exchange},
    write,
};
use liaison_tests::{fudan, in_memory_db, incoming_student, person, simple};

fn titles(conn: &rusqlite::Connection, q: &str) -> Vec<String> {
    search(conn, q, 50).expect("search runs").into_iter().map(|h| h.title).collect()
}

fn sample() -> (rusqlite::Connection, liaison_core::ManualClock) {
    let (mut conn, clock) = in_memory_db();
    for input in [
        fudan(),
        simple("同济大学", "zh-Hans", "CN"),
        simple("東京大学", "ja", "JP"),
        simple("Universidade de São Paulo", "pt-BR", "BR"),
        simple("Université de Montréal", "fr", "CA"),
        simple("University of Ottawa", "en", "CA"),
    ] {
        write(&mut conn, |tx| partner::create(tx, &clock, &input)).expect("created");
    }
    (conn, clock)
}

#[test]
fn accents_and_case_are_ignored() {
    let (conn, _) = sample();
    assert_eq!(titles(&conn, "sao paulo"), ["Universidade de São Paulo"]);
    assert_eq!(titles(&conn, "universite de montreal"), ["Université de Montréal"]);
    assert_eq!(titles(&conn, "OTTAWA"), ["University of Ottawa"]);
}

#[test]
fn two_character_chinese_and_japanese_queries_find_longer_names() {
    let (conn, _) = sample();
    assert_eq!(titles(&conn, "复旦"), ["复旦大学"]);
    assert_eq!(titles(&conn, "同济"), ["同济大学"]);
    assert_eq!(titles(&conn, "東京"), ["東京大学"]);
    let mut daxue = titles(&conn, "大学");
    daxue.sort();
    assert_eq!(
        daxue,
        ["同济大学", "复旦大学", "東京大学"],
        "a pair in the middle or end of a name matches too"
    );
    assert_eq!(titles(&conn, "济"), ["同济大学"], "one character works");
    assert_eq!(titles(&conn, "复旦大学"), ["复旦大学"], "and three or more through trigrams");
}

#[test]
fn partners_are_found_by_acronym_city_and_identifier() {
    let (conn, _) = sample();
    assert_eq!(titles(&conn, "FDU"), ["复旦大学"]);
    assert_eq!(titles(&conn, "shanghai"), ["复旦大学"]);
    assert_eq!(titles(&conn, "013q1eq08"), ["复旦大学"]);
    assert_eq!(titles(&conn, "Fudan"), ["复旦大学"], "a non-primary name is searched too");
}

#[test]
fn contacts_are_found_by_latin_or_native_name() {
    let (mut conn, clock) = sample();
    let p = partner::list(&conn, &PartnerQuery { search: Some("复旦".into()), ..Default::default() })
        .expect("list");
    let id = p.rows[0].id;
    write(&mut conn, |tx| contact::create(tx, &clock, &person("Li", "Wei", Some("李伟"), id)))
        .expect("contact");
    let hits = search(&conn, "李伟", 10).expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].entity, Entity::Contact);
    assert_eq!(hits[0].subtitle.as_deref(), Some("复旦大学"));
    assert_eq!(search(&conn, "wei li", 10).expect("search").len(), 1, "terms in any order");
}

#[test]
fn the_partner_list_search_combines_with_filters_and_follows_edits() {
    let (mut conn, clock) = sample();
    let q = PartnerQuery { search: Some("univ".into()), country: Some("CA".into()), ..Default::default() };
    let page = partner::list(&conn, &q).expect("list");
    assert_eq!(page.total, 2, "{:?}", page.rows);
    let ottawa = page.rows.iter().find(|r| r.name == "University of Ottawa").expect("ottawa").id;
    let mut edit = simple("University of Ottawa", "en", "CA");
    edit.identifiers.push(IdentifierInput { id: None, scheme: IdScheme::Ror, value: "03c4mmv16".into() });
    write(&mut conn, |tx| partner::update(tx, &clock, ottawa, &edit)).expect("edited");
    assert_eq!(titles(&conn, "03c4mmv16"), ["University of Ottawa"], "the index follows edits");
    write(&mut conn, |tx| partner::delete(tx, &clock, ottawa)).expect("deleted");
    assert!(titles(&conn, "ottawa").is_empty(), "deleted records are not found");
}

#[test]
fn odd_queries_do_not_break_the_search() {
    let (conn, _) = sample();
    for q in ["\"", "a\"b", "*", "AND", "OR NOT", "(", "^", "  ", "de:", "x"] {
        search(&conn, q, 10).unwrap_or_else(|e| panic!("query {q:?} failed: {e}"));
    }
}

#[test]
fn word_beginnings_come_first_and_substrings_are_the_fallback() {
    let (conn, _) = sample();
    assert_eq!(titles(&conn, "univ ottawa"), ["University of Ottawa"], "prefixes of words, any order");
    assert_eq!(titles(&conn, "q1eq0"), ["复旦大学"], "no word starts so: found inside the ROR id");
    assert_eq!(titles(&conn, "ttawa"), ["University of Ottawa"]);
}

#[test]
fn a_persons_latest_exchanges_follow_the_person_in_the_places_left_free() {
    let (mut conn, clock) = sample();
    let fudan_id = partner::list(&conn, &PartnerQuery { search: Some("复旦".into()), ..Default::default() })
        .expect("list")
        .rows[0]
        .id;
    let tongji = partner::list(&conn, &PartnerQuery { search: Some("同济".into()), ..Default::default() })
        .expect("list")
        .rows[0]
        .id;
    let li = write(&mut conn, |tx| contact::create(tx, &clock, &person("Li", "Wei", Some("李伟"), fudan_id)))
        .expect("contact")
        .id;
    for year in [2022, 2024, 2023, 2025] {
        write(&mut conn, |tx| exchange::create(tx, &clock, &incoming_student(li, fudan_id, tongji, year)))
            .expect("exchange");
    }
    let hits = search(&conn, "李伟", 10).expect("search");
    let shown: Vec<_> = hits.iter().map(|h| (h.entity, h.subtitle.clone().unwrap_or_default())).collect();
    assert_eq!(
        shown,
        [
            (Entity::Contact, "复旦大学".to_owned()),
            (Entity::Exchange, "2025/2026 · 复旦大学 → 同济大学".to_owned()),
            (Entity::Exchange, "2024/2025 · 复旦大学 → 同济大学".to_owned()),
            (Entity::Exchange, "2023/2024 · 复旦大学 → 同济大学".to_owned()),
        ],
        "the person, then their three latest exchanges"
    );
    assert_eq!(hits[1].title, hits[0].title, "an exchange is named by its person");

    let entities = |limit| {
        search(&conn, "李伟", limit).expect("search").into_iter().map(|h| h.entity).collect::<Vec<_>>()
    };
    assert_eq!(entities(1), [Entity::Contact], "no place left: no exchange");
    assert_eq!(entities(2), [Entity::Contact, Entity::Exchange], "one place left: the latest exchange");
}

#[test]
fn cohorts_are_found_by_any_part_of_their_name_latest_first_with_their_size() {
    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| liaison_core::demo::load(tx, &clock)).expect("demo");
    let cohorts = |conn: &rusqlite::Connection, q: &str| -> Vec<(String, Option<i64>)> {
        search(conn, q, 50)
            .expect("search runs")
            .into_iter()
            .filter(|h| h.entity == Entity::Cohort)
            .map(|h| (h.title, h.count))
            .collect()
    };
    assert_eq!(
        cohorts(&conn, "URBAN planning"),
        [
            ("Tongji urban planning 2026".to_owned(), Some(20)),
            ("Tongji urban planning 2025".to_owned(), Some(20)),
            ("Tongji urban planning 2024".to_owned(), Some(20))
        ]
    );
    assert_eq!(cohorts(&conn, "tongji 2025"), [("Tongji urban planning 2025".to_owned(), Some(20))]);
    let hits = search(&conn, "tongji", 50).expect("search runs");
    assert_eq!(hits[1].entity, Entity::Cohort, "the cohorts follow the best hit: {hits:?}");

    // A cohort whose exchanges are all deleted is no longer found.
    let q = exchange::ExchangeQuery {
        cohort: Some("Tongji urban planning 2024".into()),
        limit: 100,
        ..Default::default()
    };
    let ids: Vec<_> = exchange::list(&conn, &q).expect("list").rows.into_iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 20);
    write(&mut conn, |tx| ids.iter().try_for_each(|id| exchange::delete(tx, &clock, *id))).expect("deleted");
    assert_eq!(cohorts(&conn, "urban planning").len(), 2);
    assert!(!exchange::cohorts(&conn).expect("cohorts").contains(&"Tongji urban planning 2024".to_owned()));
}

#[test]
fn a_name_holding_every_word_comes_before_names_holding_some() {
    let (mut conn, clock) = sample();
    for name in ["Wei Institute", "Wei College", "Li Wei Institute for Advanced Studies in Engineering"] {
        write(&mut conn, |tx| partner::create(tx, &clock, &simple(name, "en", "CN"))).expect("created");
    }
    assert_eq!(
        titles(&conn, "li wei")[0],
        "Li Wei Institute for Advanced Studies in Engineering",
        "a longer name holding both words comes before shorter ones holding one: {:?}",
        titles(&conn, "li wei")
    );

    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| liaison_core::demo::load(tx, &clock)).expect("demo");
    let first = |q: &str, entity: Entity| {
        search(&conn, q, 20)
            .expect("search runs")
            .into_iter()
            .find(|h| h.entity == entity)
            .map(|h| h.title)
            .unwrap_or_default()
    };
    for q in ["Li Wei", "wei li", "LI WEI", "li we"] {
        assert!(
            first(q, Entity::Contact).contains("李伟"),
            "{q:?}: Prof. Wei LI holds both words and comes before the other Weis, got {:?}",
            titles(&conn, q)
        );
    }
}
