//! Projects and events: their partners, agreements and organisers, list search, what points to them, and
//! bad input refused with nothing written.

use liaison_core::kinds::{EventKind, ProjectKind, ProjectStatus, Zone};
use liaison_core::records::event::{self, EventInput, EventQuery};
use liaison_core::records::project::{self, ProjectInput, ProjectPartnerInput, ProjectQuery};
use liaison_core::{
    oplog,
    records::{agreement, partner},
    reference, search, write, Error,
};
use liaison_tests::{exchange_agreement, in_memory_db, simple};
use rusqlite::Connection;
use uuid::Uuid;

fn codes(err: Error) -> Vec<(String, String)> {
    let Error::Invalid(fields) = err else { panic!("expected field errors, got {err}") };
    fields.into_iter().map(|f| (f.field, f.code)).collect()
}

/// A five-year flagship project with one partner, 450,000.00 EUR.
fn flagship(partner: Uuid) -> ProjectInput {
    ProjectInput {
        code: Some("FLAG-MH".into()),
        title: "Medicine and Humanities".into(),
        kind: ProjectKind::Flagship,
        status: ProjectStatus::Active,
        start_date: Some("2022-03-01".into()),
        end_date: Some("2027-02-28".into()),
        budget: Some(45_000_000),
        currency: Some("EUR".into()),
        fields: vec!["health".into()],
        partners: vec![ProjectPartnerInput { partner_id: Some(partner), role: Some("Co-lead".into()) }],
        agreement_ids: vec![],
        notes: None,
    }
}

fn project_count(conn: &Connection) -> u32 {
    project::list(conn, &ProjectQuery::default()).expect("project list").total
}

fn event_count(conn: &Connection) -> u32 {
    event::list(conn, &EventQuery::default()).expect("event list").total
}

fn op_count(conn: &Connection) -> usize {
    oplog::all_ops(conn).expect("op log").len()
}

#[test]
fn a_project_with_its_partners_and_an_event_of_it() {
    let (mut conn, clock) = in_memory_db();
    let ottawa =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("University of Ottawa", "en", "CA")))
            .expect("p")
            .id;
    let p = write(&mut conn, |tx| project::create(tx, &clock, &flagship(ottawa))).expect("project");
    assert_eq!(p.partners_read[0].name.as_deref(), Some("University of Ottawa"));
    let by_partner =
        project::list(&conn, &ProjectQuery { partner_id: Some(ottawa), ..Default::default() }).expect("list");
    assert_eq!(by_partner.total, 1);

    let webinar = EventInput {
        title: "Back-to-school webinar".into(),
        kind: EventKind::Webinar,
        start_date: Some("2026-09-24".into()),
        end_date: None,
        online: true,
        venue: None,
        zone: Some(Zone::FranceEurope),
        project_id: Some(p.id),
        organiser_ids: vec![ottawa],
        registered: Some(164),
        attended: Some(118),
        notes: None,
    };
    let e = write(&mut conn, |tx| event::create(tx, &clock, &webinar)).expect("event");
    assert_eq!(e.project_title.as_deref(), Some("Medicine and Humanities"));
    assert_eq!(
        event::list(&conn, &EventQuery { project_id: Some(p.id), ..Default::default() }).expect("l").total,
        1
    );
    assert!(search::search(&conn, "webinar", 5).expect("search").iter().any(|h| h.id == e.id));
    let found =
        |q: &str| project::list(&conn, &ProjectQuery { search: Some(q.into()), ..Default::default() });
    assert_eq!(found("humanities").expect("list").total, 1, "the project list searches its titles");
    assert_eq!(found("webinar").expect("list").total, 0, "and only projects");
    let events = event::list(&conn, &EventQuery { search: Some("school".into()), ..Default::default() });
    assert_eq!(events.expect("list").rows[0].id, e.id);
    assert_eq!(reference::describe(&reference::dependants(&conn, p.id).expect("deps")), "1 event");
    assert_eq!(
        reference::describe(&reference::dependants(&conn, ottawa).expect("deps")),
        "1 project, 1 event"
    );

    let (events_before, ops_before) = (event_count(&conn), op_count(&conn));
    let synced_before = oplog::dump_synced(&conn).expect("dump");
    let mut bad = webinar.clone();
    bad.end_date = Some("2026-09-01".into());
    bad.attended = Some(-3);
    let err = write(&mut conn, |tx| event::create(tx, &clock, &bad)).expect_err("refused");
    assert_eq!(
        codes(err),
        [
            ("end_date".to_owned(), "end_before_start".to_owned()),
            ("attended".to_owned(), "negative".to_owned())
        ]
    );
    let err =
        write(&mut conn, |tx| event::update(tx, &clock, e.id, &bad)).expect_err("refused as an edit too");
    assert_eq!(codes(err).len(), 2);
    assert_eq!(event_count(&conn), events_before, "no event was added");
    assert_eq!(op_count(&conn), ops_before, "no op was logged");
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), synced_before, "nothing was written");
    assert_eq!(event::get(&conn, e.id).expect("event").input.attended, Some(118), "the event is unchanged");

    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(oplog::dump_synced(&replica).expect("dump"), oplog::dump_synced(&conn).expect("dump"));
}

#[test]
fn a_project_with_a_negative_budget_or_ending_before_it_starts_is_refused_and_nothing_is_written() {
    let (mut conn, clock) = in_memory_db();
    let ottawa =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("University of Ottawa", "en", "CA")))
            .expect("p")
            .id;
    let kept =
        write(&mut conn, |tx| project::create(tx, &clock, &flagship(ottawa))).expect("a valid project");
    let (projects_before, ops_before) = (project_count(&conn), op_count(&conn));
    let synced_before = oplog::dump_synced(&conn).expect("dump");

    let mut negative = flagship(ottawa);
    negative.budget = Some(-100);
    let err = write(&mut conn, |tx| project::create(tx, &clock, &negative)).expect_err("refused");
    assert!(err.to_string().starts_with("budget: "), "the message names the field: {err}");
    assert_eq!(codes(err), [("budget".to_owned(), "negative".to_owned())]);

    // A currency is one ISO 4217 knows: three capitals are not enough.
    let mut unknown = flagship(ottawa);
    unknown.currency = Some("XYZ".into());
    let err = write(&mut conn, |tx| project::create(tx, &clock, &unknown)).expect_err("refused");
    assert_eq!(codes(err), [("currency".to_owned(), "currency".to_owned())]);

    let mut backwards = flagship(ottawa);
    backwards.start_date = Some("2027-03-01".into());
    backwards.end_date = Some("2026-02-28".into());
    let err = write(&mut conn, |tx| project::create(tx, &clock, &backwards)).expect_err("refused");
    assert!(err.to_string().starts_with("end_date: "), "the message names the field: {err}");
    assert_eq!(codes(err), [("end_date".to_owned(), "end_before_start".to_owned())]);

    // The same input as an edit of the valid project: refused, and the project keeps its values.
    let err =
        write(&mut conn, |tx| project::update(tx, &clock, kept.id, &negative)).expect_err("refused edit");
    assert_eq!(codes(err), [("budget".to_owned(), "negative".to_owned())]);

    assert_eq!(project_count(&conn), projects_before, "no project was added");
    assert_eq!(op_count(&conn), ops_before, "no op was logged");
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), synced_before, "nothing was written");
    let read = project::get(&conn, kept.id).expect("project");
    assert_eq!((read.input.budget, read.input.end_date.as_deref()), (Some(45_000_000), Some("2027-02-28")));

    let mut lower = flagship(ottawa);
    lower.currency = Some(" cad ".into());
    let made =
        write(&mut conn, |tx| project::create(tx, &clock, &lower)).expect("a known currency in lower case");
    assert_eq!(made.input.currency.as_deref(), Some("CAD"), "stored as its code");
}

#[test]
fn the_project_list_filtered_by_an_agreement_shows_only_the_projects_resting_on_it() {
    let (mut conn, clock) = in_memory_db();
    let mut org = |n: &str, c: &str| {
        write(&mut conn, |tx| partner::create(tx, &clock, &simple(n, "und", c))).expect("partner").id
    };
    let (ottawa, tongji, lyon) =
        (org("University of Ottawa", "CA"), org("同济大学", "CN"), org("Lyon 1", "FR"));
    let with_ottawa = write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(ottawa, lyon)))
        .expect("a")
        .id;
    let with_tongji = write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(tongji, lyon)))
        .expect("a")
        .id;
    let mut project_on = |title: &str, agreements: Vec<Uuid>| {
        let mut input = flagship(lyon);
        input.title = title.into();
        input.agreement_ids = agreements;
        write(&mut conn, |tx| project::create(tx, &clock, &input)).expect("project")
    };
    let ottawa_lab = project_on("Ottawa joint lab", vec![with_ottawa]);
    let tongji_lab = project_on("Tongji joint lab", vec![with_tongji]);
    let unlinked = project_on("Lyon pilot", vec![]);
    assert_eq!(project_count(&conn), 3);

    let on = |conn: &Connection, a: Uuid| -> Vec<String> {
        let q = ProjectQuery { agreement_id: Some(a), ..Default::default() };
        project::list(conn, &q).expect("list").rows.into_iter().map(|r| r.title).collect()
    };
    assert_eq!(on(&conn, with_ottawa), ["Ottawa joint lab"], "only the project that includes the agreement");
    assert_eq!(on(&conn, with_tongji), ["Tongji joint lab"]);
    // Every project has Lyon 1 as a partner: a partner's id given as an agreement finds none of them.
    let partner_not_agreement = ProjectQuery { agreement_id: Some(lyon), ..Default::default() };
    assert_eq!(
        project::list(&conn, &partner_not_agreement).expect("list").total,
        0,
        "only links of kind agreement count"
    );

    // Dropping the agreement from the project, or deleting the project, takes it off the list.
    let mut dropped = project::get(&conn, ottawa_lab.id).expect("project").input;
    dropped.agreement_ids.clear();
    write(&mut conn, |tx| project::update(tx, &clock, ottawa_lab.id, &dropped)).expect("update");
    assert!(on(&conn, with_ottawa).is_empty(), "a removed link no longer counts");
    write(&mut conn, |tx| project::delete(tx, &clock, tongji_lab.id)).expect("delete");
    assert!(on(&conn, with_tongji).is_empty(), "a deleted project is not listed");
    assert_eq!(project_count(&conn), 2, "{} and the Ottawa lab remain", unlinked.input.title);
}

#[test]
fn an_agreement_or_an_organiser_given_twice_is_linked_once() {
    let (mut conn, clock) = in_memory_db();
    let mut org = |n: &str, c: &str| {
        write(&mut conn, |tx| partner::create(tx, &clock, &simple(n, "und", c))).expect("p").id
    };
    let (ottawa, lyon) = (org("University of Ottawa", "CA"), org("Université de Lyon", "FR"));
    let mut agreement = liaison_tests::exchange_agreement(ottawa, lyon);
    let first = write(&mut conn, |tx| liaison_core::records::agreement::create(tx, &clock, &agreement))
        .expect("a")
        .id;
    agreement.code = Some("SE-2024-02".into());
    let second = write(&mut conn, |tx| liaison_core::records::agreement::create(tx, &clock, &agreement))
        .expect("a")
        .id;
    let mut input = flagship(ottawa);
    input.agreement_ids = vec![first, second, first];
    let p = write(&mut conn, |tx| project::create(tx, &clock, &input)).expect("project");
    assert_eq!(p.agreements_read.iter().map(|a| a.id).collect::<Vec<_>>(), [first, second]);

    let visit = EventInput {
        title: "Delegation visit".into(),
        kind: EventKind::Visit,
        start_date: Some("2026-10-06".into()),
        end_date: None,
        online: false,
        venue: Some("Lyon".into()),
        zone: Some(Zone::Canada),
        project_id: None,
        organiser_ids: vec![ottawa, lyon, ottawa],
        registered: None,
        attended: None,
        notes: None,
    };
    let e = write(&mut conn, |tx| event::create(tx, &clock, &visit)).expect("event");
    assert_eq!(e.organisers_read.iter().map(|o| o.id).collect::<Vec<_>>(), [ottawa, lyon]);
}

#[test]
fn a_project_s_partners_and_an_event_s_organisers_are_named_for_each_ui_language() {
    let (mut conn, clock) = in_memory_db();
    let fudan = write(&mut conn, |tx| partner::create(tx, &clock, &liaison_tests::fudan())).expect("p").id;
    let p = write(&mut conn, |tx| project::create(tx, &clock, &flagship(fudan))).expect("project");
    let labels = p.partners_read[0].labels.as_ref().expect("labels");
    assert_eq!(labels.fr.text(), "Fudan University (复旦大学)");
    assert_eq!(p.partners_read[0].name.as_deref(), Some("复旦大学"), "the primary name is still there");
    let webinar = EventInput {
        title: "Webinar".into(),
        kind: EventKind::Webinar,
        start_date: Some("2026-09-24".into()),
        end_date: None,
        online: true,
        venue: None,
        zone: None,
        project_id: None,
        organiser_ids: vec![fudan],
        registered: None,
        attended: None,
        notes: None,
    };
    let e = write(&mut conn, |tx| event::create(tx, &clock, &webinar)).expect("event");
    assert_eq!(
        e.organisers_read[0].labels.as_ref().map(|l| l.en.text()),
        Some("Fudan University (复旦大学)".into())
    );
}
