use liaison_core::event::{self, EventInput, EventQuery};
use liaison_core::kinds::{EventKind, ProjectKind, ProjectStatus, Zone};
use liaison_core::project::{self, ProjectInput, ProjectPartnerInput, ProjectQuery};
use liaison_core::{oplog, partner, reference, search, write, Error};
use liaison_tests::{in_memory_db, simple};

fn codes(err: Error) -> Vec<(String, String)> {
    let Error::Invalid(fields) = err else { panic!("expected field errors, got {err}") };
    fields.into_iter().map(|f| (f.field, f.code)).collect()
}

#[test]
fn a_project_with_its_partners_and_an_event_of_it() {
    let (mut conn, clock) = in_memory_db();
    let ottawa =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("University of Ottawa", "en", "CA")))
            .expect("p")
            .id;
    let input = ProjectInput {
        code: Some("FLAG-MH".into()),
        title: "Medicine and Humanities".into(),
        kind: ProjectKind::Flagship,
        status: ProjectStatus::Active,
        start_date: Some("2022-03-01".into()),
        end_date: Some("2027-02-28".into()),
        budget: Some(45_000_000),
        currency: Some("EUR".into()),
        fields: vec!["health".into()],
        partners: vec![ProjectPartnerInput { partner_id: Some(ottawa), role: Some("Co-lead".into()) }],
        agreement_ids: vec![],
        notes: None,
    };
    let p = write(&mut conn, |tx| project::create(tx, &clock, &input)).expect("project");
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

    let mut replica = liaison_core::db::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(oplog::dump_synced(&replica).expect("dump"), oplog::dump_synced(&conn).expect("dump"));
}
