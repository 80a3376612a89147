//! Calls for projects and their applications: eligibility computed and explained, weighted scores,
//! thresholds and ranks, the status workflow, and bad input refused with nothing written.

use liaison_core::kinds::{ApplicationStatus, CallStatus, Zone};
use liaison_core::records::application::{
    self, ApplicationInput, ApplicationPartnerInput, ReviewInput, Score,
};
use liaison_core::records::call::{self, CallInput, CriterionInput, EligibilityRules};
use liaison_core::{
    oplog,
    records::{contact, partner},
    write, Error, ManualClock,
};
use liaison_tests::{in_memory_db, person, simple};
use rusqlite::Connection;
use uuid::Uuid;

fn codes(err: Error) -> Vec<(String, String)> {
    let Error::Invalid(fields) = err else { panic!("expected field errors, got {err}") };
    fields.into_iter().map(|f| (f.field, f.code)).collect()
}

struct Setup {
    call: call::Call,
    lyon: Uuid,
    shanghai: Uuid,
    tokyo: Uuid,
    ottawa: Uuid,
}

fn setup(conn: &mut Connection, clock: &ManualClock) -> Setup {
    let mut org =
        |n: &str, c: &str| write(conn, |tx| partner::create(tx, clock, &simple(n, "und", c))).expect("p").id;
    let (lyon, shanghai, tokyo, ottawa) =
        (org("Université Lyon 2", "FR"), org("同济大学", "CN"), org("東京大学", "JP"), org("uOttawa", "CA"));
    let input = CallInput {
        code: Some("T-1".into()),
        title: "International projects".into(),
        programme: None,
        funder_id: None,
        opens_at: Some("2026-01-12T09:00:00+01:00".into()),
        deadline_at: Some("2026-03-16T17:00:00+01:00".into()),
        results_at: None,
        time_zone: Some("Europe/Paris".into()),
        budget: Some(10_000_000),
        max_award: Some(2_000_000),
        currency: Some("EUR".into()),
        rules: EligibilityRules {
            min_partners: Some(3),
            min_countries: Some(3),
            required_zones: vec![Zone::China],
            lyon_lead_required: true,
        },
        criteria: vec![
            CriterionInput {
                id: None,
                name: "Quality".into(),
                weight: 3.0,
                max_score: 5.0,
                threshold: Some(3.0),
            },
            CriterionInput { id: None, name: "Reach".into(), weight: 1.0, max_score: 10.0, threshold: None },
        ],
        status: CallStatus::Open,
        notes: None,
    };
    let call = write(conn, |tx| call::create(tx, clock, &input)).expect("call");
    Setup { call, lyon, shanghai, tokyo, ottawa }
}

fn application(s: &Setup, title: &str, lead: Uuid, partners: &[Uuid]) -> ApplicationInput {
    ApplicationInput {
        call_id: Some(s.call.id),
        reference: Some(title.to_uppercase()),
        acronym: None,
        title: title.into(),
        pi_id: None,
        lead_id: Some(lead),
        partners: partners
            .iter()
            .map(|p| ApplicationPartnerInput { id: None, partner_id: Some(*p), role: None })
            .collect(),
        requested: Some(1_000_000),
        cofunding: None,
        duration_months: Some(24),
        status: ApplicationStatus::Submitted,
        reviews: vec![],
        notes: None,
    }
}

fn review(s: &Setup, quality: f64, reach: f64) -> ReviewInput {
    let k = &s.call.criteria_read;
    ReviewInput {
        id: None,
        reviewer_id: None,
        scores: vec![
            Score { criterion_id: k[0].id, score: quality },
            Score { criterion_id: k[1].id, score: reach },
        ],
        comment: None,
    }
}

#[test]
fn eligibility_is_computed_from_the_partners_and_explained() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    let two =
        write(&mut conn, |tx| application::create(tx, &clock, &application(&s, "Two", s.lyon, &[s.tokyo])))
            .expect("created");
    let e = &two.assessment.eligibility;
    assert!(!e.eligible);
    let messages: Vec<&str> = e.checks.iter().filter(|c| !c.ok).map(|c| c.message.as_str()).collect();
    assert_eq!(
        messages,
        ["2 organisations, 3 required", "2 countries, 3 required", "no organisation from China"]
    );
    // The same in figures, for the app to word in its own language.
    let figures: Vec<_> = e.checks.iter().map(|c| (c.count, c.required, c.missing_zones.clone())).collect();
    assert_eq!(
        figures,
        [
            (Some(2), Some(3), vec![]),
            (Some(2), Some(3), vec![]),
            (None, None, vec![Zone::China]),
            (None, None, vec![])
        ]
    );

    let led_abroad = write(&mut conn, |tx| {
        application::create(tx, &clock, &application(&s, "Abroad", s.shanghai, &[s.lyon, s.tokyo]))
    })
    .expect("created");
    let failed: Vec<&str> =
        led_abroad.assessment.eligibility.checks.iter().filter(|c| !c.ok).map(|c| c.rule.as_str()).collect();
    assert_eq!(failed, ["lyon_lead"]);
    let lead = led_abroad.assessment.eligibility.checks.iter().find(|c| c.rule == "lyon_lead").expect("rule");
    assert_eq!(lead.lead_country.as_deref(), Some("CN"));

    let good = write(&mut conn, |tx| {
        application::create(tx, &clock, &application(&s, "Good", s.lyon, &[s.shanghai, s.tokyo]))
    })
    .expect("created");
    assert!(good.assessment.eligibility.eligible, "{:?}", good.assessment.eligibility);
    assert_eq!(good.assessment.eligibility.countries, ["CN", "FR", "JP"]);

    // Marking an ineligible application eligible is refused, with the reasons.
    let mut input = two.input.clone();
    input.status = ApplicationStatus::Eligible;
    let err = write(&mut conn, |tx| application::update(tx, &clock, two.id, &input)).expect_err("refused");
    assert_eq!(codes(err), [("status".to_owned(), "ineligible".to_owned())]);
}

#[test]
fn reviews_give_weighted_scores_thresholds_and_a_rank() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    let mut create = |title: &str, reviews: Vec<ReviewInput>| {
        let mut input = application(&s, title, s.lyon, &[s.shanghai, s.tokyo]);
        input.status = ApplicationStatus::UnderEvaluation;
        input.reviews = reviews;
        write(&mut conn, |tx| application::create(tx, &clock, &input)).expect("created").id
    };
    // Quality weighs 3 (out of 5), reach 1 (out of 10): 100 × (3 × q/5 + r/10) / 4.
    let a = create("A", vec![review(&s, 5.0, 10.0), review(&s, 4.0, 6.0)]); // 100 and 75 → 87.5
    let b = create("B", vec![review(&s, 4.0, 6.0)]); // 75
    let c = create("C", vec![review(&s, 4.0, 6.0)]); // 75, tie with B
    let low = create("Low", vec![review(&s, 2.0, 10.0)]); // 55, quality 2 < threshold 3
    let unreviewed = create("Unreviewed", vec![]);
    let ranking = call::get(&conn, s.call.id).expect("call").applications;
    let by_id = |id: Uuid| ranking.iter().find(|r| r.id == id).expect("row");
    assert_eq!(by_id(a).score, Some(87.5));
    assert_eq!(
        (by_id(a).rank, by_id(b).rank, by_id(c).rank),
        (Some(1), Some(2), Some(2)),
        "ties share a rank"
    );
    assert!(by_id(low).below_threshold);
    assert_eq!(by_id(low).rank, None, "below a threshold: not ranked");
    assert_eq!((by_id(unreviewed).score, by_id(unreviewed).rank), (None, None));
    assert_eq!(ranking[0].id, a, "the call lists applications in rank order");
    let searched =
        call::list(&conn, &call::CallQuery { search: Some("international".into()), ..Default::default() });
    assert_eq!(searched.expect("calls").total, 1);
    let by_reference = application::list(
        &conn,
        &application::ApplicationQuery { search: Some("LOW".into()), ..Default::default() },
    )
    .expect("applications");
    assert_eq!(by_reference.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [low]);
    let shown = application::get(&conn, b).expect("read");
    assert_eq!(shown.assessment.rank, Some(2));
    assert_eq!(shown.reviews_read[0].weighted, Some(75.0));
}

#[test]
fn bad_calls_and_applications_are_refused_and_nothing_is_written() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    let before = oplog::dump_synced(&conn).expect("dump");
    let mut input = application(&s, "Over", s.lyon, &[s.shanghai, s.tokyo]);
    input.reviews = vec![review(&s, 6.0, 3.0)];
    input.requested = Some(-1);
    let err = write(&mut conn, |tx| application::create(tx, &clock, &input)).expect_err("refused");
    let found = codes(err);
    assert!(found.contains(&("reviews[0].scores[0].score".to_owned(), "above_max".to_owned())), "{found:?}");
    assert!(found.contains(&("requested".to_owned(), "negative".to_owned())), "{found:?}");

    let mut bad_call = call::get(&conn, s.call.id).expect("call").input;
    bad_call.deadline_at = Some("2026-01-01T00:00:00Z".into());
    bad_call.criteria[0].threshold = Some(7.0);
    bad_call.max_award = Some(20_000_000);
    bad_call.time_zone = Some("Mars/Olympus".into());
    let err = write(&mut conn, |tx| call::update(tx, &clock, s.call.id, &bad_call)).expect_err("refused");
    let found = codes(err);
    for expected in [
        ("deadline_at", "end_before_start"),
        ("criteria[0].threshold", "above_max"),
        ("max_award", "above_budget"),
        ("time_zone", "time_zone"),
    ] {
        assert!(found.iter().any(|(f, c)| (f.as_str(), c.as_str()) == expected), "{expected:?} in {found:?}");
    }
    assert_eq!(oplog::dump_synced(&conn).expect("dump"), before, "nothing was written");
}

#[test]
fn the_status_follows_the_workflow() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    let mut input = application(&s, "Flow", s.lyon, &[s.shanghai, s.ottawa]);
    let created = write(&mut conn, |tx| application::create(tx, &clock, &input)).expect("created");
    input.status = ApplicationStatus::Funded;
    let err =
        write(&mut conn, |tx| application::update(tx, &clock, created.id, &input)).expect_err("skips steps");
    assert_eq!(codes(err), [("status".to_owned(), "workflow".to_owned())]);
    for next in [ApplicationStatus::Eligible, ApplicationStatus::UnderEvaluation, ApplicationStatus::Selected]
    {
        input.status = next;
        write(&mut conn, |tx| application::update(tx, &clock, created.id, &input))
            .expect("a step the workflow allows");
    }
    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(oplog::dump_synced(&replica).expect("dump"), oplog::dump_synced(&conn).expect("dump"));
}

/// The application list as (title, eligible, score, rank), in its default order.
fn listed(conn: &Connection) -> Vec<(String, bool, Option<f64>, Option<u32>)> {
    application::list(conn, &application::ApplicationQuery::default())
        .expect("applications")
        .rows
        .into_iter()
        .map(|r| (r.title, r.eligible, r.score, r.rank))
        .collect()
}

#[test]
fn kept_assessments_follow_the_partners_the_call_a_move_and_a_replay() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    let mut evaluated = |title: &str, quality: f64| {
        let mut input = application(&s, title, s.lyon, &[s.shanghai, s.tokyo]);
        input.status = ApplicationStatus::UnderEvaluation;
        input.reviews = vec![review(&s, quality, 10.0)];
        write(&mut conn, |tx| application::create(tx, &clock, &input)).expect("created")
    };
    let first = evaluated("First", 5.0); // 100
    let second = evaluated("Second", 4.0); // 85
    assert_eq!(
        listed(&conn),
        [("First".into(), true, Some(100.0), Some(1)), ("Second".into(), true, Some(85.0), Some(2))]
    );

    // Tokyo turns out to be in China: both applications now span two countries, three required.
    write(&mut conn, |tx| partner::update(tx, &clock, s.tokyo, &simple("東京大学", "und", "CN")))
        .expect("moved");
    assert_eq!(
        listed(&conn),
        [("First".into(), false, Some(100.0), None), ("Second".into(), false, Some(85.0), None)],
        "a partner's country changes its applications' eligibility and ranks"
    );
    let failed = &application::list(&conn, &Default::default()).expect("list").rows[0].ineligible_because;
    assert_eq!(failed.iter().map(|c| c.message.as_str()).collect::<Vec<_>>(), ["2 countries, 3 required"]);

    // The call asks for two countries only: eligible and ranked again.
    let mut rules = call::get(&conn, s.call.id).expect("call").input;
    rules.rules.min_countries = Some(2);
    write(&mut conn, |tx| call::update(tx, &clock, s.call.id, &rules)).expect("rules");
    assert_eq!(listed(&conn)[0], ("First".into(), true, Some(100.0), Some(1)));

    // The first application moves to another call: the second now leads the first call.
    let mut other = rules.clone();
    other.code = Some("T-2".into());
    other.deadline_at = Some("2026-02-01T17:00:00+01:00".into());
    let other = write(&mut conn, |tx| call::create(tx, &clock, &other)).expect("second call");
    let mut moved = application::get(&conn, first.id).expect("read").input;
    moved.call_id = Some(other.id);
    moved.reviews = vec![];
    write(&mut conn, |tx| application::update(tx, &clock, first.id, &moved)).expect("moved");
    assert_eq!(application::get(&conn, second.id).expect("read").assessment.rank, Some(1));
    assert_eq!(
        listed(&conn),
        [("Second".into(), true, Some(85.0), Some(1)), ("First".into(), true, None, None)],
        "the latest deadline's call first, each in rank order"
    );

    // What is kept is what a recount gives, and what a replica rebuilds from the op log.
    let kept = listed(&conn);
    write(&mut conn, |tx| application::reassess_all(tx)).expect("recount");
    assert_eq!(listed(&conn), kept);
    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(listed(&replica), kept);
}

#[test]
fn the_application_list_sorts_by_each_column() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    for (title, lead, quality, requested) in
        [("Beta", s.lyon, 3.0, 300), ("alpha", s.lyon, 5.0, 100), ("Écho", s.shanghai, 4.0, 200)]
    {
        let mut input = application(&s, title, lead, &[s.lyon, s.shanghai, s.tokyo]);
        input.partners.retain(|p| p.partner_id != Some(lead));
        input.status = ApplicationStatus::UnderEvaluation;
        input.requested = Some(requested);
        input.reviews = vec![review(&s, quality, 10.0)];
        write(&mut conn, |tx| application::create(tx, &clock, &input)).expect("created");
    }
    let sorted = |sort, descending| -> Vec<String> {
        let q = application::ApplicationQuery { sort: Some(sort), descending, ..Default::default() };
        application::list(&conn, &q).expect("list").rows.into_iter().map(|r| r.title).collect()
    };
    use application::ApplicationSort::*;
    assert_eq!(sorted(Title, false), ["alpha", "Beta", "Écho"], "case and accents aside");
    assert_eq!(sorted(Title, true), ["Écho", "Beta", "alpha"]);
    assert_eq!(sorted(Requested, false), ["alpha", "Écho", "Beta"]);
    assert_eq!(sorted(Score, true), ["alpha", "Écho", "Beta"]);
    assert_eq!(sorted(Reference, false), ["alpha", "Beta", "Écho"]);
    assert_eq!(sorted(Lead, false), ["alpha", "Beta", "Écho"], "Lyon's applications first, in rank order");
    assert_eq!(sorted(Lead, true), ["Écho", "alpha", "Beta"]);
    assert_eq!(sorted(Call, false), ["alpha", "Beta", "Écho"], "ranked first, then the one led abroad");
}

#[test]
fn the_application_list_filtered_by_a_principal_investigator_shows_only_theirs() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    let mut someone = |family: &str, given: &str| {
        write(&mut conn, |tx| contact::create(tx, &clock, &person(family, given, None, s.lyon)))
            .expect("c")
            .id
    };
    let (wei, hanako) = (someone("Li", "Wei"), someone("Tanaka", "Hanako"));
    let mut led_by = |title: &str, pi: Option<Uuid>| {
        let mut input = application(&s, title, s.lyon, &[s.shanghai, s.tokyo]);
        input.pi_id = pi;
        write(&mut conn, |tx| application::create(tx, &clock, &input)).expect("created").id
    };
    led_by("Urban heritage", Some(wei));
    let withdrawn = led_by("Coastal cities", Some(wei));
    led_by("Quantum sensing", Some(hanako));
    led_by("No PI yet", None);

    let of = |conn: &Connection, pi: Uuid| -> Vec<String> {
        let q = application::ApplicationQuery {
            pi_id: Some(pi),
            sort: Some(application::ApplicationSort::Title),
            ..Default::default()
        };
        application::list(conn, &q).expect("list").rows.into_iter().map(|r| r.title).collect()
    };
    assert_eq!(of(&conn, wei), ["Coastal cities", "Urban heritage"], "the two Wei Li leads, and no other");
    assert_eq!(of(&conn, hanako), ["Quantum sensing"]);
    assert!(of(&conn, s.lyon).is_empty(), "an organisation's id matches no principal investigator");

    write(&mut conn, |tx| application::delete(tx, &clock, withdrawn)).expect("deleted");
    assert_eq!(of(&conn, wei), ["Urban heritage"], "a deleted application is not listed");
}

#[test]
fn an_application_moves_to_an_older_call_and_a_replica_follows_in_one_batch() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock); // the older call
    let mut newer = call::get(&conn, s.call.id).expect("call").input;
    newer.code = Some("T-2".into());
    let newer = write(&mut conn, |tx| call::create(tx, &clock, &newer)).expect("newer call");
    // A review scoring the criteria of `call`: quality out of 5, reach 10 out of 10.
    let scored = |call: &call::Call, quality: f64| ReviewInput {
        id: None,
        reviewer_id: None,
        scores: vec![
            Score { criterion_id: call.criteria_read[0].id, score: quality },
            Score { criterion_id: call.criteria_read[1].id, score: 10.0 },
        ],
        comment: None,
    };
    let mut evaluated = |title: &str, call: &call::Call, quality: f64| {
        let mut input = application(&s, title, s.lyon, &[s.shanghai, s.tokyo]);
        input.call_id = Some(call.id);
        input.status = ApplicationStatus::UnderEvaluation;
        input.reviews = vec![scored(call, quality)];
        write(&mut conn, |tx| application::create(tx, &clock, &input)).expect("created")
    };
    // Created first, so first in id order: a replay refreshes it before the one that moves.
    let stays = evaluated("Stays", &s.call, 3.0);
    let moves = evaluated("Moves", &newer, 5.0);
    let left = evaluated("Left behind", &newer, 4.0);
    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("first sync");

    let mut input = application::get(&conn, moves.id).expect("read").input;
    input.call_id = Some(s.call.id);
    input.reviews = vec![scored(&s.call, 5.0)];
    write(&mut conn, |tx| application::update(tx, &clock, moves.id, &input))
        .expect("moved to the older call");
    let mut touched = application::get(&conn, stays.id).expect("read").input;
    touched.notes = Some("Second reading".into());
    write(&mut conn, |tx| application::update(tx, &clock, stays.id, &touched)).expect("edited");

    let ranks = |conn: &Connection, call: Uuid| -> Vec<(String, Option<u32>)> {
        call::get(conn, call).expect("call").applications.into_iter().map(|r| (r.title, r.rank)).collect()
    };
    assert_eq!(ranks(&conn, s.call.id), [("Moves".into(), Some(1)), ("Stays".into(), Some(2))]);
    assert_eq!(
        ranks(&conn, newer.id),
        [("Left behind".into(), Some(1))],
        "{left:?} leads the call it stayed in"
    );

    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("second sync, in one batch");
    assert_eq!(ranks(&replica, s.call.id), ranks(&conn, s.call.id));
    assert_eq!(ranks(&replica, newer.id), ranks(&conn, newer.id));
    let kept = listed(&replica);
    write(&mut replica, |tx| application::reassess_all(tx)).expect("recount");
    assert_eq!(listed(&replica), kept, "nothing stale on the replica");
}

#[test]
fn applications_name_their_lead_and_partners_for_each_ui_language() {
    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| liaison_core::demo::load(tx, &clock)).expect("the demo loads");
    let rows = application::list(&conn, &application::ApplicationQuery { limit: 500, ..Default::default() })
        .expect("list")
        .rows;
    // Led by Université de Lyon, which English readers read as University of Lyon.
    let row = rows
        .iter()
        .find(|r| r.lead_labels.as_ref().is_some_and(|l| Some(&l.en.name) != r.lead_name.as_ref()))
        .expect("an application whose lead reads otherwise in English");
    let page = application::get(&conn, row.id).expect("get");
    assert_eq!(page.lead_labels, row.lead_labels, "the page names its lead alike");
    let partners: Vec<String> = rows
        .iter()
        .flat_map(|r| application::get(&conn, r.id).expect("get").partners_read)
        .filter_map(|p| p.labels.map(|l| l.en.text()))
        .collect();
    assert!(
        partners.iter().any(|p| p == "Fudan University (复旦大学)"),
        "partners with their own script beside: {partners:?}"
    );
}

#[test]
fn a_call_names_its_funder_for_each_ui_language() {
    let (mut conn, clock) = in_memory_db();
    let s = setup(&mut conn, &clock);
    let funder = write(&mut conn, |tx| partner::create(tx, &clock, &liaison_tests::fudan())).expect("p").id;
    let mut input = s.call.input.clone();
    input.funder_id = Some(funder);
    let call = write(&mut conn, |tx| call::update(tx, &clock, s.call.id, &input)).expect("update");
    let labels = call.funder_labels.as_ref().expect("the funder is labelled");
    assert_eq!(
        (labels.en.text(), labels.fr.text()),
        ("Fudan University (复旦大学)".into(), "Fudan University (复旦大学)".into())
    );
    assert_eq!(call.funder_name.as_deref(), Some("复旦大学"), "the primary name stays");
    let shown = serde_json::to_string(&call).expect("json");
    assert_eq!(call::input_from_json(&shown).expect("a shown call goes back as input"), call.input);
}
