//! The lists' filters and searches give exactly the records that match, on the demo workspace: each filtered
//! list is checked against the unfiltered list (or the record pages) read another way. Also partners sorted
//! by city under filters, what points to a call and to a contact, a partner's parent named after an edit,
//! and the history of an application, a project, an event and an agreement.

use std::collections::BTreeSet;

use liaison_core::kinds::{
    ApplicationStatus, CallStatus, Direction, EventKind, ProjectKind, ProjectStatus, Zone,
};
use liaison_core::records::application::{self, ApplicationQuery};
use liaison_core::records::call::{self, CallQuery};
use liaison_core::records::contact::{self, ContactQuery};
use liaison_core::records::event::{self, EventQuery};
use liaison_core::records::exchange::{self, ExchangeQuery};
use liaison_core::records::partner::{self, PartnerQuery};
use liaison_core::records::project::{self, ProjectQuery};
use liaison_core::search::{search, Entity};
use liaison_core::{demo, oplog, reference, write, ManualClock};
use liaison_tests::{in_memory_db, simple};
use rusqlite::Connection;
use uuid::Uuid;

fn demo_db() -> (Connection, ManualClock) {
    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| demo::load(tx, &clock)).expect("demo");
    (conn, clock)
}

fn ids<T>(rows: &[T], id: impl Fn(&T) -> Uuid) -> BTreeSet<Uuid> {
    rows.iter().map(id).collect()
}

#[test]
fn partners_by_zone_and_contacts_of_a_partner_are_exactly_theirs() {
    let (conn, _) = demo_db();
    let all = partner::list(&conn, &PartnerQuery { limit: 500, ..Default::default() }).expect("list");
    assert!(all.rows.len() < 500, "the demo fits one page");
    let japan =
        partner::list(&conn, &PartnerQuery { zone: Some(Zone::Japan), limit: 500, ..Default::default() })
            .expect("list");
    let expected = ids(&all.rows.iter().filter(|r| r.zone == Zone::Japan).collect::<Vec<_>>(), |r| r.id);
    assert!(!expected.is_empty() && expected.len() < all.rows.len());
    assert_eq!(ids(&japan.rows, |r| r.id), expected);
    assert_eq!(japan.total as usize, expected.len());
    assert!(japan.rows.iter().any(|r| r.name == "京都大学"));

    // A partner's contacts: those its page lists, and no other.
    let tongji = all.rows.iter().find(|r| r.name == "同济大学").expect("Tongji");
    let page = partner::get(&conn, tongji.id).expect("Tongji's page");
    let listed =
        contact::list(&conn, &ContactQuery { partner_id: Some(tongji.id), limit: 500, ..Default::default() })
            .expect("list");
    assert!(page.contacts.len() > 1);
    assert_eq!(ids(&listed.rows, |r| r.id), ids(&page.contacts, |c| c.contact_id));
    let everyone = contact::list(&conn, &ContactQuery { limit: 500, ..Default::default() }).expect("list");
    assert!(everyone.total > listed.total);
}

#[test]
fn exchanges_by_direction_cohort_and_year_are_exactly_those() {
    let (conn, _) = demo_db();
    let q = ExchangeQuery { limit: 500, ..Default::default() };
    let all = exchange::list(&conn, &q).expect("list").rows;
    assert!(all.len() < 500);
    let matching = |pick: &dyn Fn(&exchange::Exchange) -> bool| {
        ids(&all.iter().filter(|e| pick(e)).collect::<Vec<_>>(), |e| e.id)
    };
    let listed = |q: ExchangeQuery| ids(&exchange::list(&conn, &q).expect("list").rows, |e| e.id);

    let incoming = matching(&|e| e.input.direction == Direction::Incoming);
    assert!(!incoming.is_empty() && incoming.len() < all.len());
    assert_eq!(listed(ExchangeQuery { direction: Some(Direction::Incoming), ..q.clone() }), incoming);

    let cohort = all.iter().find_map(|e| e.input.cohort.clone()).expect("a cohort");
    let of_cohort = matching(&|e| e.input.cohort.as_deref() == Some(cohort.as_str()));
    assert_eq!(listed(ExchangeQuery { cohort: Some(cohort.clone()), ..q.clone() }), of_cohort);

    let year = 2025;
    let of_year = matching(&|e| e.input.academic_year == Some(year));
    assert!(!of_year.is_empty() && of_year.len() < all.len());
    assert_eq!(listed(ExchangeQuery { academic_year: Some(year), ..q.clone() }), of_year);

    let both = matching(&|e| e.input.academic_year == Some(year) && e.input.direction == Direction::Incoming);
    assert_eq!(
        listed(ExchangeQuery {
            academic_year: Some(year),
            direction: Some(Direction::Incoming),
            ..q.clone()
        }),
        both,
        "filters combine"
    );
}

#[test]
fn projects_by_kind_and_status_and_events_by_zone_and_kind_are_exactly_those() {
    let (conn, _) = demo_db();
    let codes = |q: ProjectQuery| -> Vec<String> {
        project::list(&conn, &q).expect("list").rows.into_iter().filter_map(|r| r.code).collect()
    };
    assert_eq!(codes(ProjectQuery::default()).len(), 3);
    assert_eq!(codes(ProjectQuery { kind: Some(ProjectKind::Flagship), ..Default::default() }), ["FLAG-MH"]);
    assert_eq!(codes(ProjectQuery { kind: Some(ProjectKind::JointLab), ..Default::default() }), ["LAB-IUCC"]);
    let all = project::list(&conn, &ProjectQuery::default()).expect("list").rows;
    for status in [ProjectStatus::Active, ProjectStatus::Planned, ProjectStatus::Completed] {
        let expected: Vec<String> =
            all.iter().filter(|r| r.status == status).filter_map(|r| r.code.clone()).collect();
        assert_eq!(
            codes(ProjectQuery { status: Some(status), ..Default::default() }),
            expected,
            "{status:?}"
        );
    }

    let events = event::list(&conn, &EventQuery::default()).expect("list").rows;
    assert_eq!(events.len(), 3);
    let titles = |q: EventQuery| -> Vec<String> {
        event::list(&conn, &q).expect("list").rows.into_iter().map(|r| r.title).collect()
    };
    for zone in [Zone::China, Zone::FranceEurope, Zone::Japan] {
        let expected: Vec<String> =
            events.iter().filter(|r| r.zone == Some(zone)).map(|r| r.title.clone()).collect();
        assert_eq!(titles(EventQuery { zone: Some(zone), ..Default::default() }), expected, "{zone:?}");
    }
    assert_eq!(titles(EventQuery { zone: Some(Zone::China), ..Default::default() }).len(), 2);
    for kind in [EventKind::Visit, EventKind::Webinar, EventKind::Symposium] {
        let expected: Vec<String> =
            events.iter().filter(|r| r.kind == kind).map(|r| r.title.clone()).collect();
        assert_eq!(titles(EventQuery { kind: Some(kind), ..Default::default() }), expected, "{kind:?}");
    }
    assert_eq!(
        titles(EventQuery { kind: Some(EventKind::Visit), ..Default::default() }),
        ["Delegation of Tongji University in Lyon"]
    );
}

#[test]
fn calls_by_status_and_applications_by_call_status_partner_and_search_are_exactly_those() {
    let (conn, _) = demo_db();
    let calls = |q: CallQuery| -> Vec<String> {
        call::list(&conn, &q).expect("list").rows.into_iter().filter_map(|r| r.code).collect()
    };
    assert_eq!(
        calls(CallQuery { status: Some(CallStatus::Decided), ..Default::default() }),
        ["IDEX-INT-2026"]
    );
    assert_eq!(
        calls(CallQuery { status: Some(CallStatus::Open), ..Default::default() }),
        ["IDEX-ZONES-2027"]
    );
    assert!(calls(CallQuery { status: Some(CallStatus::Draft), ..Default::default() }).is_empty());

    let decided = call::list(&conn, &CallQuery { status: Some(CallStatus::Decided), ..Default::default() })
        .expect("list")
        .rows[0]
        .id;
    let acronyms = |q: ApplicationQuery| -> BTreeSet<String> {
        application::list(&conn, &q).expect("list").rows.into_iter().filter_map(|r| r.acronym).collect()
    };
    let set = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        acronyms(ApplicationQuery { call_id: Some(decided), ..Default::default() }),
        set(&["URBACHINE", "MEDHUM", "AQUASUD", "NEUROLINK", "SINOLAW", "TROPICS"])
    );
    assert_eq!(
        acronyms(ApplicationQuery {
            call_id: Some(decided),
            status: Some(ApplicationStatus::Ineligible),
            ..Default::default()
        }),
        set(&["SINOLAW", "TROPICS"])
    );
    assert_eq!(
        acronyms(ApplicationQuery { search: Some("brain".into()), ..Default::default() }),
        set(&["NEUROLINK"])
    );

    // A partner's applications: those it leads or joins, read from every application's page.
    let all = application::list(&conn, &ApplicationQuery::default()).expect("list").rows;
    let lyon1 =
        partner::list(&conn, &PartnerQuery { search: Some("Claude Bernard".into()), ..Default::default() })
            .expect("list")
            .rows[0]
            .id;
    let involved: BTreeSet<String> = all
        .iter()
        .map(|r| application::get(&conn, r.id).expect("page"))
        .filter(|a| {
            a.input.lead_id == Some(lyon1) || a.input.partners.iter().any(|p| p.partner_id == Some(lyon1))
        })
        .filter_map(|a| a.input.acronym)
        .collect();
    assert!(involved.contains("NEUROLINK"), "led by Lyon 1");
    assert!(involved.contains("TROPICS"), "Lyon 1 a partner");
    assert_eq!(acronyms(ApplicationQuery { partner_id: Some(lyon1), ..Default::default() }), involved);

    // What points to a call: its applications.
    assert_eq!(
        reference::describe(&reference::dependants(&conn, decided).expect("dependants")),
        "6 applications"
    );
}

#[test]
fn the_global_search_finds_calls_and_applications() {
    let (conn, _) = demo_db();
    let hits = search(&conn, "international projects", 12).expect("search");
    let call = hits.iter().find(|h| h.entity == Entity::Call).expect("the call is found");
    assert_eq!(call.title, "Call for international projects 2026");
    assert_eq!(call.subtitle.as_deref(), Some("IDEXLYON international"));
    let hits = search(&conn, "URBACHINE", 12).expect("search");
    assert_eq!(hits[0].entity, Entity::Application);
    assert_eq!(hits[0].title, "Urban heritage and climate adaptation in Shanghai and Lyon");
    assert_eq!(hits[0].subtitle.as_deref(), Some("IDEX-INT-2026-01 — URBACHINE"));
}

#[test]
fn an_edit_setting_a_parent_reads_back_with_its_name() {
    let (mut conn, clock) = in_memory_db();
    let jsps = write(&mut conn, |tx| partner::create(tx, &clock, &simple("日本学術振興会", "ja", "JP")))
        .expect("jsps");
    let kyoto =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("京都大学", "ja", "JP"))).expect("kyoto");
    assert_eq!(kyoto.parent_name, None);
    let mut edit = simple("京都大学", "ja", "JP");
    edit.names[0].id = kyoto.input.names[0].id;
    edit.parent_id = Some(jsps.id);
    let updated = write(&mut conn, |tx| partner::update(tx, &clock, kyoto.id, &edit)).expect("updated");
    assert_eq!(updated.parent_name.as_deref(), Some("日本学術振興会"), "the answer to the update");
    assert_eq!(partner::get(&conn, kyoto.id).expect("read").parent_name.as_deref(), Some("日本学術振興会"));

    // Renaming the parent renames it on its unit.
    let mut renamed = simple("JSPS", "en", "JP");
    renamed.names[0].id = jsps.input.names[0].id;
    write(&mut conn, |tx| partner::update(tx, &clock, jsps.id, &renamed)).expect("renamed");
    assert_eq!(partner::get(&conn, kyoto.id).expect("read").parent_name.as_deref(), Some("JSPS"));
}

#[test]
fn an_applications_history_has_its_partners_and_reviews_then_only_what_changed() {
    let (mut conn, clock) = demo_db();
    let row = application::list(
        &conn,
        &ApplicationQuery { search: Some("URBACHINE".into()), ..Default::default() },
    )
    .expect("list")
    .rows
    .remove(0);
    let a = application::get(&conn, row.id).expect("page");
    let history = oplog::history(&conn, a.id).expect("history");
    assert_eq!(history.len(), 1, "created in one entry");
    let tables: BTreeSet<&str> = history[0].changes.iter().map(|c| c.table.as_str()).collect();
    assert_eq!(tables, ["application", "application_partner", "review"].into_iter().collect());
    let added = |table: &str| {
        history[0].changes.iter().filter(|c| c.table == table && c.column != "application_id").count()
    };
    assert_eq!(added("application_partner"), 2 * a.input.partners.len(), "partner and role of each");
    assert_eq!(added("review"), 2 * a.input.reviews.len(), "reviewer and scores of each");

    clock.advance_ms(60_000);
    let mut input = a.input.clone();
    input.notes = Some("Second reading".into());
    write(&mut conn, |tx| application::update(tx, &clock, a.id, &input)).expect("edited");
    let history = oplog::history(&conn, a.id).expect("history");
    assert_eq!(history.len(), 2);
    let columns: Vec<(&str, &str)> =
        history[1].changes.iter().map(|c| (c.table.as_str(), c.column.as_str())).collect();
    assert_eq!(columns, [("application", "notes")], "only the notes changed");
}

#[test]
fn partners_of_a_zone_and_status_sort_by_city() {
    let (conn, _) = demo_db();
    use liaison_core::kinds::PartnerStatus;
    use partner::PartnerSort;
    let base = PartnerQuery { limit: 500, ..Default::default() };
    let all = partner::list(&conn, &base).expect("list").rows;
    let q = PartnerQuery {
        zone: Some(Zone::Japan),
        status: Some(PartnerStatus::Active),
        sort: Some(PartnerSort::City),
        ..base.clone()
    };
    let rows = partner::list(&conn, &q).expect("list").rows;
    let expected = ids(
        &all.iter()
            .filter(|r| r.zone == Zone::Japan && r.status == PartnerStatus::Active)
            .collect::<Vec<_>>(),
        |r| r.id,
    );
    assert!(rows.len() > 1);
    assert_eq!(ids(&rows, |r| r.id), expected);
    let cities: Vec<String> =
        rows.iter().map(|r| r.city.clone().unwrap_or_default().to_lowercase()).collect();
    let mut sorted = cities.clone();
    sorted.sort();
    assert_eq!(cities, sorted, "by city");
    let descending = partner::list(&conn, &PartnerQuery { descending: true, ..q }).expect("list").rows;
    assert_eq!(descending.first().map(|r| r.id), rows.last().map(|r| r.id));
}

#[test]
fn what_points_to_a_contact_is_the_applications_they_lead_or_review() {
    let (conn, _) = demo_db();
    let pages: Vec<_> = application::list(&conn, &ApplicationQuery::default())
        .expect("list")
        .rows
        .into_iter()
        .map(|r| application::get(&conn, r.id).expect("page"))
        .collect();
    let reviewer =
        pages.iter().find_map(|a| a.input.reviews.first().and_then(|r| r.reviewer_id)).expect("a reviewer");
    let theirs = pages
        .iter()
        .filter(|a| {
            a.input.pi_id == Some(reviewer) || a.input.reviews.iter().any(|r| r.reviewer_id == Some(reviewer))
        })
        .count();
    assert!(theirs > 1);
    let deps = reference::dependants(&conn, reviewer).expect("dependants");
    let applications = deps.iter().find(|d| d.entity == "application").map(|d| d.count);
    assert_eq!(applications, Some(u32::try_from(theirs).expect("few")));
}

#[test]
fn a_created_project_event_or_agreement_has_its_links_in_its_first_history_entry() {
    let (conn, _) = demo_db();
    let tables = |id: Uuid| -> BTreeSet<String> {
        let history = oplog::history(&conn, id).expect("history");
        assert_eq!(history.len(), 1, "created in one entry");
        history[0].changes.iter().map(|c| c.table.clone()).collect()
    };
    let set = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    let flagship =
        project::list(&conn, &ProjectQuery { kind: Some(ProjectKind::Flagship), ..Default::default() })
            .expect("list")
            .rows[0]
            .id;
    assert_eq!(tables(flagship), set(&["project", "project_link"]));
    let visit = event::list(&conn, &EventQuery { kind: Some(EventKind::Visit), ..Default::default() })
        .expect("list")
        .rows[0]
        .id;
    assert_eq!(tables(visit), set(&["event", "event_organiser"]));
    let scholarship = liaison_core::records::agreement::list(
        &conn,
        &liaison_core::records::agreement::AgreementQuery {
            search: Some("China Scholarship Council".into()),
            ..Default::default()
        },
        chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
    )
    .expect("list")
    .rows[0]
        .id;
    assert_eq!(tables(scholarship), set(&["agreement", "agreement_party", "agreement_condition"]));
}
