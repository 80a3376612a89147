//! The dashboard's figures per zone and academic year, following every write and a replay of the op log.

use liaison_core::dashboard::{self, DashboardQuery};
use liaison_core::kinds::{Direction, ExchangeStatus, Zone};
use liaison_core::{
    oplog,
    records::{agreement, contact, exchange, partner},
    write,
};
use liaison_tests::{exchange_agreement, in_memory_db, incoming_student, person, simple};

#[test]
fn figures_per_zone_and_year_follow_every_write_and_a_replay() {
    let (mut conn, clock) = in_memory_db();
    let tongji = write(&mut conn, |tx| partner::create(tx, &clock, &simple("同济大学", "zh-Hans", "CN")))
        .expect("p")
        .id;
    let lyon =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("Lyon 2", "fr", "FR"))).expect("p").id;
    let tokyo =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("東京大学", "ja", "JP"))).expect("p").id;
    write(&mut conn, |tx| agreement::create(tx, &clock, &exchange_agreement(tongji, lyon)))
        .expect("agreement");
    let student = write(&mut conn, |tx| contact::create(tx, &clock, &person("Wang", "Fang", None, tongji)))
        .expect("c")
        .id;
    let mut ids = Vec::new();
    for year in [2024, 2025, 2025] {
        ids.push(
            write(&mut conn, |tx| {
                exchange::create(tx, &clock, &incoming_student(student, tongji, lyon, year))
            })
            .expect("e")
            .id,
        );
    }
    let mut out = incoming_student(student, lyon, tokyo, 2025);
    out.direction = Direction::Outgoing;
    let outgoing = write(&mut conn, |tx| exchange::create(tx, &clock, &out)).expect("e").id;

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
    let q = DashboardQuery { academic_year: Some(2025), years: 5 };
    let zone =
        |d: &dashboard::Dashboard, z: Zone| d.zones.iter().find(|f| f.zone == z).cloned().expect("zone");
    let d = dashboard::figures(&conn, &q, today).expect("figures");
    assert_eq!((zone(&d, Zone::China).incoming, zone(&d, Zone::Japan).outgoing), (2, 1));
    assert_eq!(zone(&d, Zone::China).active_agreements, 1);
    assert_eq!(zone(&d, Zone::China).partners, 1);
    let y2024 = d.years.iter().find(|y| y.academic_year == 2024 && y.zone == Zone::China).expect("2024");
    assert_eq!(y2024.incoming, 1);

    // Moving an exchange to another year, cancelling one, deleting one: the figures follow.
    let mut moved = exchange::get(&conn, ids[0]).expect("e").input;
    moved.academic_year = Some(2025);
    moved.planned_start = Some("2025-09-01".into());
    moved.planned_end = Some("2026-01-31".into());
    write(&mut conn, |tx| exchange::update(tx, &clock, ids[0], &moved)).expect("moved");
    let mut cancelled = exchange::get(&conn, ids[1]).expect("e").input;
    cancelled.status = ExchangeStatus::Cancelled;
    write(&mut conn, |tx| exchange::update(tx, &clock, ids[1], &cancelled)).expect("cancelled");
    write(&mut conn, |tx| exchange::delete(tx, &clock, outgoing)).expect("deleted");
    let d = dashboard::figures(&conn, &q, today).expect("figures");
    assert_eq!((zone(&d, Zone::China).incoming, zone(&d, Zone::Japan).outgoing), (2, 0));
    assert!(d.years.iter().all(|y| y.academic_year != 2024), "nothing left in 2024: {:?}", d.years);

    let mut replica = liaison_core::open_in_memory().expect("db");
    write(&mut replica, |tx| oplog::apply(tx, &oplog::all_ops(&conn)?)).expect("replay");
    assert_eq!(dashboard::figures(&replica, &q, today).expect("figures"), d, "a replica counts the same");
}

#[test]
fn the_all_zones_totals_are_what_the_unfiltered_list_shows_including_exchanges_in_no_zone() {
    use liaison_core::records::exchange::ExchangeQuery;
    let (mut conn, clock) = in_memory_db();
    let tongji = write(&mut conn, |tx| partner::create(tx, &clock, &simple("同济大学", "zh-Hans", "CN")))
        .expect("p")
        .id;
    let lyon =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("Lyon 2", "fr", "FR"))).expect("p").id;
    let student = write(&mut conn, |tx| contact::create(tx, &clock, &person("Wang", "Fang", None, tongji)))
        .expect("c")
        .id;
    write(&mut conn, |tx| exchange::create(tx, &clock, &incoming_student(student, tongji, lyon, 2025)))
        .expect("zoned");
    // An outgoing staff visit whose host is not recorded yet: no organisation on the other side, no zone.
    let mut unhosted = incoming_student(student, lyon, tongji, 2025);
    unhosted.direction = Direction::Outgoing;
    unhosted.host_id = None;
    write(&mut conn, |tx| exchange::create(tx, &clock, &unhosted)).expect("no host");
    let mut cancelled = unhosted.clone();
    cancelled.status = ExchangeStatus::Cancelled;
    write(&mut conn, |tx| exchange::create(tx, &clock, &cancelled)).expect("cancelled");

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
    for year in [Some(2025), None] {
        let d = dashboard::figures(&conn, &DashboardQuery { academic_year: year, years: 5 }, today)
            .expect("figures");
        let zoned_out: i64 = d.zones.iter().map(|z| z.outgoing).sum();
        assert_eq!(zoned_out, 0, "the visit with no host is in no zone");
        assert_eq!((d.totals.incoming, d.totals.outgoing, d.totals.without_zone), (1, 1, 1));
        for (direction, figure) in
            [(Direction::Incoming, d.totals.incoming), (Direction::Outgoing, d.totals.outgoing)]
        {
            let list = exchange::list(
                &conn,
                &ExchangeQuery {
                    direction: Some(direction),
                    academic_year: year,
                    counted: Some(true),
                    ..Default::default()
                },
            )
            .expect("list");
            assert_eq!(i64::from(list.total), figure, "{direction:?} {year:?}: the list the total opens");
        }
    }

    // Deleting the partner on the other side leaves its exchange in the total, in no zone.
    write(&mut conn, |tx| partner::delete(tx, &clock, tongji)).expect("delete Tongji");
    let d = dashboard::figures(&conn, &DashboardQuery { academic_year: Some(2025), years: 5 }, today)
        .expect("figures");
    assert_eq!((d.totals.incoming, d.totals.without_zone), (1, 2));
    let list = exchange::list(
        &conn,
        &ExchangeQuery {
            direction: Some(Direction::Incoming),
            academic_year: Some(2025),
            counted: Some(true),
            ..Default::default()
        },
    )
    .expect("list");
    assert_eq!(list.total, 1, "the list still shows it");
    assert_eq!(d.zones.iter().map(|z| z.incoming).sum::<i64>(), 0);
}

#[test]
fn agreements_in_force_and_applications_per_zone_are_what_their_lists_show() {
    use liaison_core::records::agreement::AgreementQuery;
    use liaison_core::records::application::{self, ApplicationQuery};
    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| liaison_core::demo::load(tx, &clock)).expect("demo");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
    // Active on paper but starting next year: counted under "active", not in force.
    let osaka =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("大阪大学", "ja", "JP"))).expect("p").id;
    let lyon3 =
        write(&mut conn, |tx| partner::create(tx, &clock, &simple("Lyon 3", "fr", "FR"))).expect("p").id;
    let mut future = exchange_agreement(osaka, lyon3);
    future.start_date = Some("2027-01-01".into());
    write(&mut conn, |tx| agreement::create(tx, &clock, &future)).expect("agreement");
    let figures =
        dashboard::figures(&conn, &DashboardQuery { academic_year: None, years: 5 }, today).expect("figures");
    let japan = AgreementQuery { zone: Some(Zone::Japan), ..Default::default() };
    let active_in_japan =
        AgreementQuery { status: Some(liaison_core::kinds::AgreementStatus::Active), ..japan };
    assert_eq!(agreement::list(&conn, &active_in_japan, today).expect("list").total, 1);
    let in_force = AgreementQuery { in_force: Some(true), limit: 500, ..Default::default() };
    assert!(figures.agreements_in_force > 0);
    assert_eq!(
        i64::from(agreement::list(&conn, &in_force, today).expect("list").total),
        figures.agreements_in_force,
        "the all-zones figure opens the list of the agreements in force"
    );
    for z in &figures.zones {
        let agreements = AgreementQuery { zone: Some(z.zone), ..in_force.clone() };
        assert_eq!(
            i64::from(agreement::list(&conn, &agreements, today).expect("list").total),
            z.active_agreements,
            "agreements in force in {:?}",
            z.zone
        );
        let applications = ApplicationQuery { zone: Some(z.zone), ..Default::default() };
        assert_eq!(
            i64::from(application::list(&conn, &applications).expect("list").total),
            z.applications,
            "applications in {:?}",
            z.zone
        );
    }
    let china = figures.zones.iter().find(|z| z.zone == Zone::China).expect("China");
    assert!(china.applications >= 4, "the demo's applications with Chinese partners: {china:?}");
}
