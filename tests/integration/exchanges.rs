//! Exchanges: people moving in or out, counted against agreements and their conditions, list order,
//! search and paging, dates and amounts checked, and one op per new row.

use liaison_core::kinds::Direction;
use liaison_core::records::exchange::{self, ExchangeQuery};
use liaison_core::{
    oplog,
    records::{agreement, contact, partner},
    reference, write, Error,
};
use liaison_tests::{exchange_agreement, in_memory_db, incoming_student, person, simple};

fn codes(err: Error) -> Vec<(String, String)> {
    let Error::Invalid(fields) = err else { panic!("expected field errors, got {err}") };
    fields.into_iter().map(|f| (f.field, f.code)).collect()
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
}

struct World {
    tongji: uuid::Uuid,
    lyon: uuid::Uuid,
    student: uuid::Uuid,
    agreement: agreement::Agreement,
}

fn world(conn: &mut rusqlite::Connection, clock: &liaison_core::ManualClock) -> World {
    let tongji =
        write(conn, |tx| partner::create(tx, clock, &simple("同济大学", "zh-Hans", "CN"))).expect("p").id;
    let lyon =
        write(conn, |tx| partner::create(tx, clock, &simple("Université Lyon 2", "fr", "FR"))).expect("p").id;
    let student = write(conn, |tx| contact::create(tx, clock, &person("Wang", "Fang", Some("王芳"), tongji)))
        .expect("c")
        .id;
    let agreement =
        write(conn, |tx| agreement::create(tx, clock, &exchange_agreement(tongji, lyon))).expect("agreement");
    World { tongji, lyon, student, agreement }
}

#[test]
fn exchanges_count_against_their_agreement_and_condition() {
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    let condition =
        w.agreement.conditions_read.iter().find(|c| c.sending_id == Some(w.tongji)).expect("tongji → lyon");
    for year in [2025, 2025, 2026] {
        let mut input = incoming_student(w.student, w.tongji, w.lyon, year);
        input.agreement_id = Some(w.agreement.id);
        input.condition_id = Some(condition.id);
        write(&mut conn, |tx| exchange::create(tx, &clock, &input)).expect("exchange");
    }
    let a = agreement::get(&conn, w.agreement.id, today()).expect("agreement");
    let mut used: Vec<(i64, bool, i64, Option<i64>)> =
        a.usage.iter().map(|u| (u.academic_year, u.condition_id == condition.id, u.used, u.places)).collect();
    used.sort_by_key(|&(year, tongji_to_lyon, ..)| (std::cmp::Reverse(year), !tongji_to_lyon));
    // The Lyon → Tongji condition has its line in each year too, with none of its places used.
    assert_eq!(
        used,
        [
            (2026, true, 1, Some(5)),
            (2026, false, 0, Some(5)),
            (2025, true, 2, Some(5)),
            (2025, false, 0, Some(5))
        ]
    );
    assert_eq!((a.balance[1].academic_year, a.balance[1].incoming, a.balance[1].outgoing), (2025, 2, 0));

    let page = exchange::list(&conn, &ExchangeQuery { academic_year: Some(2025), ..Default::default() })
        .expect("list");
    assert_eq!(page.total, 2);
    assert_eq!(page.rows[0].person_name.as_deref(), Some("Fang WANG (王芳)"));
    assert_eq!(page.rows[0].academic_year_label.as_deref(), Some("2025/2026"));
    let found = exchange::list(&conn, &ExchangeQuery { search: Some("王芳".into()), ..Default::default() })
        .expect("list");
    assert_eq!(found.total, 3, "found through the person's native name");
    let by_partner = exchange::list(
        &conn,
        &ExchangeQuery {
            search: Some("同济".into()),
            direction: Some(Direction::Incoming),
            ..Default::default()
        },
    )
    .expect("list");
    assert_eq!(by_partner.total, 3, "found through the partner's name");
    let deps = reference::dependants(&conn, w.agreement.id).expect("dependants");
    assert_eq!(reference::describe(&deps), "3 exchanges");
}

#[test]
fn the_list_comes_latest_year_first_and_pages_without_gaps() {
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    for year in 2018..2026 {
        for _ in 0..3 {
            write(&mut conn, |tx| {
                exchange::create(tx, &clock, &incoming_student(w.student, w.tongji, w.lyon, year))
            })
            .expect("exchange");
        }
    }
    let mut seen = Vec::new();
    for offset in (0..24).step_by(5) {
        let page =
            exchange::list(&conn, &ExchangeQuery { limit: 5, offset, ..Default::default() }).expect("page");
        assert_eq!(page.total, 24);
        seen.extend(page.rows.iter().map(|e| (e.input.academic_year, e.id)));
    }
    assert_eq!(seen.len(), 24);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.0));
    assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), sorted.iter().map(|s| s.0).collect::<Vec<_>>());
    let distinct: std::collections::HashSet<_> = seen.iter().map(|s| s.1).collect();
    assert_eq!(distinct.len(), 24, "no row twice across pages");
}

#[test]
fn a_search_pages_in_order_counts_each_exchange_once_and_keeps_its_filters() {
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    // A person whose name also names the partner: found twice, listed and counted once.
    let namesake =
        write(&mut conn, |tx| contact::create(tx, &clock, &person("Tongji", "同济", None, w.tongji)))
            .expect("c")
            .id;
    for year in 2019..2026 {
        for person in [w.student, namesake] {
            write(&mut conn, |tx| {
                exchange::create(tx, &clock, &incoming_student(person, w.tongji, w.lyon, year))
            })
            .expect("exchange");
        }
    }
    let mut out = incoming_student(namesake, w.lyon, w.tongji, 2025);
    out.direction = Direction::Outgoing;
    write(&mut conn, |tx| exchange::create(tx, &clock, &out)).expect("exchange");

    let search = |offset: u32, direction: Option<Direction>| {
        exchange::list(
            &conn,
            &ExchangeQuery {
                search: Some("同济".into()), limit: 4, offset, direction, ..Default::default()
            },
        )
        .expect("list")
    };
    let mut seen = Vec::new();
    for offset in (0..16).step_by(4) {
        let page = search(offset, None);
        assert_eq!(page.total, 15, "every exchange of the partner or the namesake, once");
        seen.extend(page.rows.iter().map(|e| (e.input.academic_year, e.id)));
    }
    assert_eq!(seen.len(), 15);
    let years: Vec<_> = seen.iter().map(|s| s.0).collect();
    let mut latest_first = years.clone();
    latest_first.sort_by_key(|y| std::cmp::Reverse(*y));
    assert_eq!(years, latest_first, "latest year first across pages");
    let distinct: std::collections::HashSet<_> = seen.iter().map(|s| s.1).collect();
    assert_eq!(distinct.len(), 15, "no row twice across pages");

    let past_the_end = search(40, None);
    assert!(past_the_end.rows.is_empty());
    assert_eq!(past_the_end.total, 15, "the count does not depend on the page");
    let outgoing = search(0, Some(Direction::Outgoing));
    assert_eq!((outgoing.total, outgoing.rows.len()), (1, 1), "filters apply to the matches");
    let fang = exchange::list(&conn, &ExchangeQuery { search: Some("王芳".into()), ..Default::default() })
        .expect("list");
    assert_eq!(fang.total, 7, "only the person's own exchanges");
}

#[test]
fn the_counted_filter_leaves_out_cancelled_and_withdrawn_exchanges_as_the_dashboard_does() {
    use liaison_core::kinds::ExchangeStatus;
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    for status in [
        ExchangeStatus::Accepted,
        ExchangeStatus::Cancelled,
        ExchangeStatus::Withdrawn,
        ExchangeStatus::Ongoing,
    ] {
        let mut input = incoming_student(w.student, w.tongji, w.lyon, 2025);
        input.status = status;
        write(&mut conn, |tx| exchange::create(tx, &clock, &input)).expect("exchange");
    }
    let dashboard = liaison_core::dashboard::figures(
        &conn,
        &liaison_core::dashboard::DashboardQuery { academic_year: Some(2025), years: 1 },
        today(),
    )
    .expect("figures");
    let china = dashboard.zones.iter().find(|z| z.zone == liaison_core::kinds::Zone::China).expect("china");
    for (zone, partner_id) in
        [(Some(liaison_core::kinds::Zone::China), None), (None, Some(w.tongji)), (None, None)]
    {
        let list = |counted| {
            exchange::list(&conn, &ExchangeQuery { zone, partner_id, counted, ..Default::default() })
                .expect("list")
        };
        let counted = list(Some(true));
        assert_eq!(counted.total, 2, "{zone:?} {partner_id:?}: from the kept counts or the rows alike");
        assert_eq!(i64::from(counted.total), china.incoming, "the figure the dashboard shows");
        assert!(counted
            .rows
            .iter()
            .all(|e| matches!(e.input.status, ExchangeStatus::Accepted | ExchangeStatus::Ongoing)));
        assert_eq!(list(Some(false)).total, 2, "and the called-off ones on their own");
        assert_eq!(list(None).total, 4);
    }
}

#[test]
fn updating_a_deleted_record_is_refused_as_not_found_and_writes_nothing() {
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    let input = incoming_student(w.student, w.tongji, w.lyon, 2025);
    let e = write(&mut conn, |tx| exchange::create(tx, &clock, &input)).expect("exchange");
    write(&mut conn, |tx| exchange::delete(tx, &clock, e.id)).expect("deleted");
    write(&mut conn, |tx| contact::delete(tx, &clock, w.student)).expect("deleted");
    write(&mut conn, |tx| partner::delete(tx, &clock, w.tongji)).expect("deleted");
    let before = oplog::dump_synced(&conn).expect("dump");

    let not_found = |err: Error| match err {
        Error::NotFound { entity, .. } => entity,
        other => panic!("expected not found, got {other}"),
    };
    let err = write(&mut conn, |tx| exchange::update(tx, &clock, e.id, &input)).expect_err("refused");
    assert_eq!(not_found(err), "exchange");
    let fang = person("Wang", "Fang", Some("王芳"), w.lyon);
    let err = write(&mut conn, |tx| contact::update(tx, &clock, w.student, &fang)).expect_err("refused");
    assert_eq!(not_found(err), "contact");
    let err =
        write(&mut conn, |tx| partner::update(tx, &clock, w.tongji, &simple("同济大学", "zh-Hans", "CN")))
            .expect_err("refused");
    assert_eq!(not_found(err), "partner");
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), before, "nothing written");
}

#[test]
fn bad_exchanges_are_refused_field_by_field_and_nothing_is_written() {
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    let before = oplog::dump_synced(&conn).expect("dump");

    let mut bad = incoming_student(w.student, w.tongji, w.lyon, 2025);
    bad.planned_end = Some("2025-08-01".into());
    bad.amount = Some(-100);
    bad.currency = Some("EUR".into());
    bad.host_id = Some(w.tongji);
    let err = write(&mut conn, |tx| exchange::create(tx, &clock, &bad)).expect_err("refused");
    let codes_found = codes(err);
    for expected in [("planned_end", "end_before_start"), ("amount", "negative"), ("host_id", "same_side")] {
        assert!(
            codes_found.iter().any(|(f, c)| (f.as_str(), c.as_str()) == expected),
            "{expected:?} in {codes_found:?}"
        );
    }

    // The agreement runs 2024-09-01 to 2029-08-31 and its conditions cover 2024/2025 to 2028/2029.
    let mut outside = incoming_student(w.student, w.tongji, w.lyon, 2031);
    outside.agreement_id = Some(w.agreement.id);
    let err = write(&mut conn, |tx| exchange::create(tx, &clock, &outside)).expect_err("refused");
    assert_eq!(codes(err), [("agreement_id".to_owned(), "not_in_force".to_owned())]);
    let mut late = incoming_student(w.student, w.tongji, w.lyon, 2028);
    late.planned_start = None;
    late.planned_end = None;
    late.academic_year = Some(2029);
    late.agreement_id = Some(w.agreement.id);
    late.condition_id = Some(w.agreement.conditions_read[0].id);
    let err = write(&mut conn, |tx| exchange::create(tx, &clock, &late)).expect_err("refused");
    assert_eq!(codes(err), [("academic_year".to_owned(), "not_in_force".to_owned())]);
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), before, "nothing was written");
}

#[test]
fn an_exchange_is_one_op_when_created_and_replays() {
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    let before = oplog::all_ops(&conn).expect("ops").len();
    let e = write(&mut conn, |tx| {
        exchange::create(tx, &clock, &incoming_student(w.student, w.tongji, w.lyon, 2026))
    })
    .expect("exchange");
    assert_eq!(oplog::all_ops(&conn).expect("ops").len(), before + 1, "one op holds the whole new row");
    let mut edit = e.input.clone();
    edit.status = liaison_core::kinds::ExchangeStatus::Ongoing;
    write(&mut conn, |tx| exchange::update(tx, &clock, e.id, &edit)).expect("edit");
    let history = oplog::history(&conn, e.id).expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].changes.len(), 1, "only the status changed: {:?}", history[1].changes);
    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(oplog::dump_synced(&replica).expect("dump"), oplog::dump_synced(&conn).expect("dump"));
}

#[test]
fn totals_read_from_the_kept_counts_match_the_rows() {
    let (mut conn, clock) = in_memory_db();
    let w = world(&mut conn, &clock);
    for year in [Some(2024), Some(2025), None] {
        let mut input = incoming_student(w.student, w.tongji, w.lyon, year.unwrap_or(2025));
        input.academic_year = year;
        write(&mut conn, |tx| exchange::create(tx, &clock, &input)).expect("exchange");
    }
    let mut out = incoming_student(w.student, w.lyon, w.tongji, 2025);
    out.direction = Direction::Outgoing;
    write(&mut conn, |tx| exchange::create(tx, &clock, &out)).expect("exchange");
    for q in [
        ExchangeQuery { zone: Some(liaison_core::kinds::Zone::China), ..Default::default() },
        ExchangeQuery {
            partner_id: Some(w.tongji),
            direction: Some(Direction::Incoming),
            ..Default::default()
        },
        ExchangeQuery {
            zone: Some(liaison_core::kinds::Zone::China),
            academic_year: Some(2025),
            ..Default::default()
        },
    ] {
        let page = exchange::list(&conn, &q).expect("list");
        assert_eq!(
            page.total as usize,
            page.rows.len(),
            "{q:?}: the total counts the rows, yearless ones too"
        );
    }
}

#[test]
fn an_exchange_names_its_organisations_for_each_ui_language_and_show_json_goes_back_through_update() {
    let (mut conn, clock) = in_memory_db();
    let fudan =
        write(&mut conn, |tx| partner::create(tx, &clock, &liaison_tests::fudan())).expect("fudan").id;
    let lyon = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Université Lyon 2", "fr", "FR")))
        .expect("p")
        .id;
    let student =
        write(&mut conn, |tx| contact::create(tx, &clock, &person("Wang", "Fang", Some("王芳"), fudan)))
            .expect("c")
            .id;
    let id =
        write(&mut conn, |tx| exchange::create(tx, &clock, &incoming_student(student, fudan, lyon, 2025)))
            .expect("exchange")
            .id;
    let row = exchange::list(&conn, &ExchangeQuery::default()).expect("list").rows.remove(0);
    let home = row.home_labels.expect("home labels");
    assert_eq!(
        home.fr.text(),
        "Fudan University (复旦大学)",
        "no French name: English, its own script beside"
    );
    assert_eq!(home.en.native_lang.as_deref(), Some("zh-Hans"));
    assert_eq!(row.host_labels.expect("host labels").en.text(), "Université Lyon 2");
    assert_eq!(row.home_name.as_deref(), Some("复旦大学"), "the primary name is still there");

    let shown = serde_json::to_string(&exchange::get(&conn, id).expect("get")).expect("json");
    let input = exchange::input_from_json(&shown).expect("show --json output is accepted as update input");
    write(&mut conn, |tx| exchange::update(tx, &clock, id, &input)).expect("update");
}

#[test]
fn an_exchange_page_names_its_lyon_unit_for_each_ui_language_and_lists_stay_as_they_were() {
    let (mut conn, clock) = in_memory_db();
    let fudan =
        write(&mut conn, |tx| partner::create(tx, &clock, &liaison_tests::fudan())).expect("fudan").id;
    let lyon = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Université Lyon 2", "fr", "FR")))
        .expect("p")
        .id;
    let mut lab = simple("Laboratoire Environnement Ville Société", "fr", "FR");
    lab.names.push(liaison_tests::name("Environment City Society Laboratory", "en", false));
    lab.parent_id = Some(lyon);
    let lab = write(&mut conn, |tx| partner::create(tx, &clock, &lab)).expect("lab").id;
    let student = write(&mut conn, |tx| contact::create(tx, &clock, &person("Wang", "Fang", None, fudan)))
        .expect("c")
        .id;
    let mut input = incoming_student(student, fudan, lyon, 2025);
    input.unit_id = Some(lab);
    let id = write(&mut conn, |tx| exchange::create(tx, &clock, &input)).expect("exchange").id;

    let page = exchange::get(&conn, id).expect("get");
    let unit = page.unit_labels.as_ref().expect("the unit is labelled");
    assert_eq!(unit.en.text(), "Environment City Society Laboratory");
    assert_eq!(unit.fr.text(), "Laboratoire Environnement Ville Société");
    assert_eq!(
        page.unit_name.as_deref(),
        Some("Laboratoire Environnement Ville Société"),
        "the primary name"
    );
    let shown = serde_json::to_string(&page).expect("json");
    let input = exchange::input_from_json(&shown).expect("show --json output is accepted as update input");
    write(&mut conn, |tx| exchange::update(tx, &clock, id, &input)).expect("update");

    let row = exchange::list(&conn, &ExchangeQuery::default()).expect("list").rows.remove(0);
    let listed = serde_json::to_value(&row).expect("json");
    assert!(
        listed.get("unit_labels").is_none(),
        "a list row (and an export) carries no unit labels: {listed}"
    );
}
