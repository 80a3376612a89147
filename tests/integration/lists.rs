//! The sort orders of the project, event and call lists, on the demo workspace.

use liaison_core::records::call::{self, CallQuery, CallSort};
use liaison_core::records::event::{self, EventQuery, EventSort};
use liaison_core::records::project::{self, ProjectQuery, ProjectSort};
use liaison_core::{demo, write};
use liaison_tests::in_memory_db;
use rusqlite::Connection;

fn demo_db() -> Connection {
    let (mut conn, clock) = in_memory_db();
    write(&mut conn, |tx| demo::load(tx, &clock)).expect("demo");
    conn
}

#[test]
fn projects_sort_by_start_title_kind_and_status() {
    let conn = demo_db();
    let codes = |sort: Option<ProjectSort>, descending: bool| -> Vec<String> {
        let q = ProjectQuery { sort, descending, ..Default::default() };
        project::list(&conn, &q).expect("list").rows.into_iter().filter_map(|r| r.code).collect()
    };
    assert_eq!(codes(None, false), ["FLAG-MH", "OFF-ECNU", "LAB-IUCC"], "latest start first by default");
    assert_eq!(codes(Some(ProjectSort::StartDate), false), ["LAB-IUCC", "OFF-ECNU", "FLAG-MH"]);
    assert_eq!(codes(Some(ProjectSort::Title), false), ["OFF-ECNU", "LAB-IUCC", "FLAG-MH"]);
    assert_eq!(codes(Some(ProjectSort::Kind), false), ["FLAG-MH", "LAB-IUCC", "OFF-ECNU"], "flagship first");
    assert_eq!(codes(Some(ProjectSort::Kind), true), ["OFF-ECNU", "LAB-IUCC", "FLAG-MH"]);
}

#[test]
fn events_sort_by_date_title_zone_and_attendance() {
    let conn = demo_db();
    let attended = |sort: Option<EventSort>, descending: bool| -> Vec<i64> {
        let q = EventQuery { sort, descending, ..Default::default() };
        event::list(&conn, &q).expect("list").rows.into_iter().filter_map(|r| r.attended).collect()
    };
    // The visit (12 came) on 6 October, the webinar (118) on 24 September, the symposium (72) in May.
    assert_eq!(attended(None, false), [12, 118, 72], "latest first by default");
    assert_eq!(attended(Some(EventSort::Date), false), [72, 118, 12]);
    assert_eq!(attended(Some(EventSort::Attended), true), [118, 72, 12]);
    assert_eq!(attended(Some(EventSort::Title), false), [118, 12, 72], "Back…, Delegation…, Medicine…");
    assert_eq!(attended(Some(EventSort::Zone), false), [12, 72, 118], "China (latest first), then France");
}

#[test]
fn calls_sort_by_deadline_title_status_and_applications() {
    let conn = demo_db();
    let codes = |sort: Option<CallSort>, descending: bool| -> Vec<String> {
        let q = CallQuery { sort, descending, ..Default::default() };
        call::list(&conn, &q).expect("list").rows.into_iter().filter_map(|r| r.code).collect()
    };
    assert_eq!(codes(None, false), ["IDEX-ZONES-2027", "IDEX-INT-2026"], "latest deadline first by default");
    assert_eq!(codes(Some(CallSort::Deadline), false), ["IDEX-INT-2026", "IDEX-ZONES-2027"]);
    assert_eq!(codes(Some(CallSort::Applications), true), ["IDEX-INT-2026", "IDEX-ZONES-2027"], "6 before 2");
    assert_eq!(
        codes(Some(CallSort::Status), false),
        ["IDEX-ZONES-2027", "IDEX-INT-2026"],
        "open before decided"
    );
    assert_eq!(
        codes(Some(CallSort::Title), true),
        ["IDEX-ZONES-2027", "IDEX-INT-2026"],
        "multilateral after for"
    );
}
