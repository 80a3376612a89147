//! Reminders: agreement expiries and notice dates, call deadlines and exchange starts, as a list and as
//! an iCalendar file.

use liaison_core::reminder::{self, ReminderKind};
use liaison_core::{
    records::{agreement, contact, exchange, partner},
    write,
};
use liaison_tests::{exchange_agreement, in_memory_db, incoming_student, person, simple};

#[test]
fn expiries_notice_dates_deadlines_and_starts_come_soonest_first_and_as_ics() {
    let (mut conn, clock) = in_memory_db();
    let a = write(&mut conn, |tx| partner::create(tx, &clock, &simple("同济大学", "zh-Hans", "CN")))
        .expect("p")
        .id;
    let b = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Lyon 2", "fr", "FR"))).expect("p").id;
    // Ends 2029-08-31 with six months' notice: notice by 2029-02-28.
    let agreement =
        write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(a, b))).expect("a");
    let student =
        write(&mut conn, |tx| contact::create(tx, &clock, &person("Wang", "Fang", None, a))).expect("c").id;
    write(&mut conn, |tx| exchange::create(tx, &clock, &incoming_student(student, a, b, 2029))).expect("e");
    let mut cancelled = incoming_student(student, a, b, 2029);
    cancelled.status = liaison_core::kinds::ExchangeStatus::Cancelled;
    write(&mut conn, |tx| exchange::create(tx, &clock, &cancelled)).expect("e");

    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let due = reminder::upcoming(&conn, day("2029-01-01"), 365).expect("reminders");
    let kinds: Vec<(ReminderKind, &str)> = due.iter().map(|r| (r.kind, r.date.as_str())).collect();
    assert_eq!(
        kinds,
        [
            (ReminderKind::AgreementNotice, "2029-02-28"),
            (ReminderKind::AgreementExpiry, "2029-08-31"),
            (ReminderKind::ExchangeStart, "2029-09-01"),
        ],
        "a cancelled exchange is not a reminder"
    );
    assert_eq!(due[0].record_id, agreement.id);
    assert!(
        reminder::upcoming(&conn, day("2029-01-01"), 30).expect("reminders").is_empty(),
        "nothing within 30 days"
    );

    let ics = reminder::to_ics(&due, liaison_core::Clock::now(&clock));
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3);
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20290831") && ics.contains("DTEND;VALUE=DATE:20290901"),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:{}-AgreementExpiry@liaison", agreement.id)), "stable ids: {ics}");
}

#[test]
fn a_call_deadline_says_the_hour_and_its_offset() {
    let (mut conn, clock) = in_memory_db();
    let input = liaison_core::records::call::CallInput {
        code: None,
        title: "International projects".into(),
        programme: Some("IDEXLYON".into()),
        funder_id: None,
        opens_at: None,
        deadline_at: Some("2026-03-16T17:00:00+01:00".into()),
        results_at: None,
        time_zone: Some("Europe/Paris".into()),
        budget: None,
        max_award: None,
        currency: None,
        rules: Default::default(),
        criteria: vec![],
        status: liaison_core::kinds::CallStatus::Open,
        notes: None,
    };
    write(&mut conn, |tx| liaison_core::records::call::create(tx, &clock, &input)).expect("call");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let due = reminder::upcoming(&conn, day, 30).expect("reminders");
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].kind, due[0].date.as_str()), (ReminderKind::CallDeadline, "2026-03-16"));
    assert_eq!(due[0].detail.as_deref(), Some("17:00 UTC+01:00 — IDEXLYON"));
}

#[test]
fn an_exchange_written_without_its_academic_year_still_reminds_of_its_start() {
    let (mut conn, clock) = in_memory_db();
    let a =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("東京大学", "ja", "JP"))).expect("p").id;
    let b = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Lyon 1", "fr", "FR"))).expect("p").id;
    let student =
        write(&mut conn, |tx| contact::create(tx, &clock, &person("Sato", "Yui", None, a))).expect("c").id;
    let mut input = incoming_student(student, a, b, 2029);
    input.academic_year = None;
    input.agreement_id = None;
    input.condition_id = None;
    input.planned_start = Some("2029-04-06".into());
    input.planned_end = Some("2029-07-31".into());
    write(&mut conn, |tx| exchange::create(tx, &clock, &input)).expect("an exchange with no year");
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let due = reminder::upcoming(&conn, day("2029-03-20"), 30).expect("reminders");
    let kinds: Vec<(ReminderKind, &str)> = due.iter().map(|r| (r.kind, r.date.as_str())).collect();
    assert_eq!(kinds, [(ReminderKind::ExchangeStart, "2029-04-06")]);
}

#[test]
fn what_is_overdue_comes_first_marked_until_done_or_dismissed_on_this_laptop() {
    let (mut conn, clock) = in_memory_db();
    let a = write(&mut conn, |tx| partner::create(tx, &clock, &simple("同济大学", "zh-Hans", "CN")))
        .expect("p")
        .id;
    let b = write(&mut conn, |tx| partner::create(tx, &clock, &simple("Lyon 2", "fr", "FR"))).expect("p").id;
    // Ends 2029-08-31 with six months' notice: notice by 2029-02-28.
    let agreement =
        write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(a, b))).expect("a").id;
    let student =
        write(&mut conn, |tx| contact::create(tx, &clock, &person("Wang", "Fang", None, a))).expect("c").id;
    let input = incoming_student(student, a, b, 2029);
    let exchange = write(&mut conn, |tx| exchange::create(tx, &clock, &input)).expect("e").id;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let shown =
        |conn: &rusqlite::Connection, today: &str, within: u32| -> Vec<(ReminderKind, String, bool)> {
            reminder::upcoming(conn, day(today), within)
                .expect("reminders")
                .into_iter()
                .map(|r| (r.kind, r.date, r.overdue))
                .collect()
        };
    let r = |kind, date: &str, overdue| (kind, date.to_owned(), overdue);

    assert_eq!(
        shown(&conn, "2029-03-10", 30),
        [r(ReminderKind::AgreementNotice, "2029-02-28", true)],
        "the notice date passed ten days ago: still shown, marked, though outside the 30 days ahead"
    );
    assert_eq!(
        shown(&conn, "2029-09-10", 30),
        [
            r(ReminderKind::AgreementExpiry, "2029-08-31", true),
            r(ReminderKind::ExchangeStart, "2029-09-01", true)
        ],
        "oldest first; once the end has passed, the expiry stands for the notice"
    );

    let ops = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM op", [], |r| r.get(0)).expect("ops")
    };
    let before = ops(&conn);
    write(&mut conn, |tx| {
        reminder::dismiss(
            tx,
            ReminderKind::AgreementExpiry,
            agreement,
            "2029-08-31",
            liaison_core::Clock::now(&clock),
        )
    })
    .expect("dismissed");
    assert_eq!(ops(&conn), before, "a dismissal is this laptop's: no op, nothing to sync");
    assert_eq!(shown(&conn, "2029-09-10", 30), [r(ReminderKind::ExchangeStart, "2029-09-01", true)]);
    assert!(
        write(&mut conn, |tx| reminder::dismiss(
            tx,
            ReminderKind::CallDeadline,
            agreement,
            "31/08/2029",
            liaison_core::Clock::now(&clock)
        ))
        .is_err(),
        "a date is yyyy-mm-dd"
    );

    // Done: the exchange is under way.
    let mut ongoing = input.clone();
    ongoing.status = liaison_core::kinds::ExchangeStatus::Ongoing;
    write(&mut conn, |tx| exchange::update(tx, &clock, exchange, &ongoing)).expect("updated");
    assert_eq!(shown(&conn, "2029-09-10", 30), []);

    // Renewed to a later end: that end is a reminder of its own, the dismissal held for the earlier one.
    let mut renewed = exchange_agreement(a, b);
    renewed.end_date = Some("2030-08-31".into());
    write(&mut conn, |tx| agreement::update(tx, &clock, agreement, &renewed)).expect("renewed");
    assert_eq!(shown(&conn, "2030-09-02", 0), [r(ReminderKind::AgreementExpiry, "2030-08-31", true)]);
    write(&mut conn, |tx| reminder::undismiss(tx, ReminderKind::AgreementExpiry, agreement, "2029-08-31"))
        .expect("undone");
}

#[test]
fn reminders_name_organisations_for_each_ui_language_with_their_own_script_beside() {
    let (mut conn, clock) = in_memory_db();
    let fudan = write(&mut conn, |tx| partner::create(tx, &clock, &liaison_tests::fudan())).expect("p").id;
    let lyon =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("Lyon 2", "fr", "FR"))).expect("p").id;
    write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(fudan, lyon))).expect("a");
    let student = write(&mut conn, |tx| contact::create(tx, &clock, &person("Wang", "Fang", None, fudan)))
        .expect("c")
        .id;
    write(&mut conn, |tx| exchange::create(tx, &clock, &incoming_student(student, fudan, lyon, 2029)))
        .expect("e");

    let day = chrono::NaiveDate::from_ymd_opt(2029, 1, 1).expect("date");
    let due = reminder::upcoming(&conn, day, 365).expect("reminders");
    let of = |kind| due.iter().find(|r| r.kind == kind).expect("listed");
    let texts = |r: &reminder::Reminder| -> Vec<String> {
        r.organisations.iter().map(|l| l.as_ref().map(|l| l.fr.text()).unwrap_or_default()).collect()
    };
    let expiry = of(ReminderKind::AgreementExpiry);
    assert_eq!(texts(expiry), ["Fudan University (复旦大学)", "Lyon 2"], "the parties");
    assert_eq!(
        expiry.detail.as_deref(),
        Some("Fudan University (复旦大学) · Lyon 2"),
        "never 复旦大学 alone"
    );
    let start = of(ReminderKind::ExchangeStart);
    assert_eq!(texts(start), ["Fudan University (复旦大学)", "Lyon 2"], "home and host");
    assert_eq!(start.detail.as_deref(), Some("Fudan University (复旦大学) → Lyon 2"));
}
