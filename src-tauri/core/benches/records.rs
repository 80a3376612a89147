//! Benchmarks at scale: `liaison demo --scale N` data (default one million exchanges, with half a million
//! people, 2,000 partners, 10,000 agreements, 1,000 projects, 4,000 events, 100 calls and 5,000
//! applications). Each of the eight lists' first page (filtered, sorted), global search and the dashboard, each beside the bare SQL of the same rows in the same process, so the figures read
//! as ratios. The database is generated once into the target directory and reused; its size is printed.
//!
//! Run: `cargo bench -p liaison-core --bench records` (`LIAISON_BENCH_EXCHANGES=100000` for a smaller run).

use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use liaison_core::job::{Commit, Job};
use liaison_core::kinds::{
    AgreementStatus, ApplicationStatus, CallStatus, Direction, ExchangeStatus, ProjectStatus, Zone,
};
use liaison_core::records::agreement::{self, AgreementQuery};
use liaison_core::records::application::{self, ApplicationQuery};
use liaison_core::records::call::{self, CallQuery};
use liaison_core::records::contact::{self, ContactQuery};
use liaison_core::records::event::{self, EventQuery};
use liaison_core::records::exchange::{self, ExchangeQuery};
use liaison_core::records::partner::{self, PartnerQuery};
use liaison_core::records::project::{self, ProjectQuery};
use liaison_core::{demo, search, ManualClock};
use rusqlite::Connection;

/// The CLI's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn exchanges() -> usize {
    std::env::var("LIAISON_BENCH_EXCHANGES").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000)
}

static DB: LazyLock<Mutex<Connection>> = LazyLock::new(|| {
    let n = exchanges();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("bench-records-{n}.sqlite3"));
    let mut conn = liaison_core::open(&path).expect("bench database");
    // A base made by an older generator (no applications) is made again.
    let count: i64 = conn
        .query_row("SELECT count(*) FROM exchange WHERE EXISTS (SELECT 1 FROM application)", [], |r| r.get(0))
        .expect("count");
    if count != n as i64 {
        drop(conn);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        conn = liaison_core::open(&path).expect("bench database");
        eprintln!("generating {n} exchanges into {} (once)…", path.display());
        demo::scale(&mut conn, &ManualClock::new(), n, Commit::EachStep, &Job::silent()).expect("generate");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE)")
            .expect("vacuum");
    }
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).expect("pages");
    let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).expect("page size");
    eprintln!("database: {} exchanges, {:.0} MB", n, (pages * size) as f64 / 1e6);
    Mutex::new(conn)
});

fn with_db<T>(f: impl FnOnce(&mut Connection) -> T) -> T {
    let mut conn = DB.lock().expect("bench db lock");
    f(&mut conn)
}

/// The exchange list's first pages: named filters.
fn exchange_query(name: &str) -> ExchangeQuery {
    let q = ExchangeQuery { limit: 100, ..Default::default() };
    match name {
        "year 2020" => ExchangeQuery { academic_year: Some(2020), ..q },
        "outgoing, cancelled" => ExchangeQuery {
            direction: Some(Direction::Outgoing),
            status: Some(ExchangeStatus::Cancelled),
            ..q
        },
        "zone japan" => ExchangeQuery { zone: Some(Zone::Japan), ..q },
        "cohort" => ExchangeQuery { cohort: Some("Generated cohort 420".into()), ..q },
        "search 见本" => ExchangeQuery { search: Some("見本大学 7".into()), ..q },
        "search person" => ExchangeQuery { search: Some("王芳".into()), ..q },
        _ => q,
    }
}

/// The bare SQL returning the same exchange rows (ids only, no names joined, no count).
fn exchange_baseline(name: &str) -> &'static str {
    match name {
        "year 2020" => "SELECT id FROM exchange WHERE deleted = 0 AND academic_year = 2020 ORDER BY planned_start DESC LIMIT 100",
        "outgoing, cancelled" => "SELECT id FROM exchange WHERE deleted = 0 AND direction = 'outgoing' AND status = 'cancelled' ORDER BY academic_year DESC LIMIT 100",
        "zone japan" => "SELECT id FROM exchange WHERE deleted = 0 AND partner_id IN (SELECT id FROM partner_summary WHERE zone = 'japan') ORDER BY academic_year DESC LIMIT 100",
        "cohort" => "SELECT id FROM exchange WHERE deleted = 0 AND cohort = 'Generated cohort 420' ORDER BY academic_year DESC LIMIT 100",
        "search 见本" => "SELECT id FROM exchange WHERE deleted = 0 AND partner_id IN (SELECT id FROM partner_summary WHERE name LIKE '見本大学 7%') ORDER BY academic_year DESC LIMIT 100",
        "search person" => "SELECT e.id FROM exchange e JOIN contact_summary c ON c.id = e.person_id WHERE e.deleted = 0 AND c.native_name = '王芳' ORDER BY e.academic_year DESC LIMIT 100",
        _ => "SELECT id FROM exchange WHERE deleted = 0 ORDER BY academic_year DESC, planned_start DESC LIMIT 100",
    }
}

const EXCHANGE_LISTS: &[&str] =
    &["latest", "year 2020", "outgoing, cancelled", "zone japan", "cohort", "search 见本", "search person"];

/// The exchange list's first page of 100, with names joined and the (capped) count the list shows.
#[divan::bench(args = EXCHANGE_LISTS)]
fn exchanges_first_page(bencher: divan::Bencher, name: &str) {
    let q = exchange_query(name);
    with_db(|conn| bencher.bench_local(|| exchange::list(conn, divan::black_box(&q)).expect("list")));
}

#[divan::bench(args = EXCHANGE_LISTS)]
fn exchanges_baseline_sql(bencher: divan::Bencher, name: &str) {
    with_db(|conn| {
        let mut stmt = conn.prepare(exchange_baseline(name)).expect("sql");
        bencher.bench_local(|| stmt.query_map([], |r| r.get::<_, uuid::Uuid>(0)).expect("q").count())
    });
}

const AGREEMENT_LISTS: &[&str] = &["by title", "expired", "zone brazil", "search"];

fn agreement_query(name: &str) -> AgreementQuery {
    let q = AgreementQuery { limit: 100, ..Default::default() };
    match name {
        "expired" => AgreementQuery { status: Some(AgreementStatus::Expired), ..q },
        "zone brazil" => AgreementQuery { zone: Some(Zone::Brazil), ..q },
        "search" => AgreementQuery { search: Some("agreement 4242".into()), ..q },
        _ => q,
    }
}

fn agreement_baseline(name: &str) -> &'static str {
    match name {
        "expired" => "SELECT id FROM agreement_summary WHERE status = 'expired' OR (status = 'active' AND end_date < '2026-11-21') ORDER BY sort_title LIMIT 100",
        "zone brazil" => "SELECT id FROM agreement_summary WHERE zones LIKE '%brazil%' ORDER BY sort_title LIMIT 100",
        "search" => "SELECT id FROM agreement_summary WHERE title LIKE '%agreement 4242%' ORDER BY sort_title LIMIT 100",
        _ => "SELECT id FROM agreement_summary ORDER BY sort_title LIMIT 100",
    }
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
}

#[divan::bench(args = AGREEMENT_LISTS)]
fn agreements_first_page(bencher: divan::Bencher, name: &str) {
    let q = agreement_query(name);
    with_db(|conn| {
        bencher.bench_local(|| agreement::list(conn, divan::black_box(&q), today()).expect("list"))
    });
}

#[divan::bench(args = AGREEMENT_LISTS)]
fn agreements_baseline_sql(bencher: divan::Bencher, name: &str) {
    with_db(|conn| {
        let mut stmt = conn.prepare(agreement_baseline(name)).expect("sql");
        bencher.bench_local(|| stmt.query_map([], |r| r.get::<_, uuid::Uuid>(0)).expect("q").count())
    });
}

/// The contact list's first page (half a million people), sorted by name, with its count.
#[divan::bench]
fn contacts_first_page(bencher: divan::Bencher) {
    let q = ContactQuery { limit: 100, ..Default::default() };
    with_db(|conn| bencher.bench_local(|| contact::list(conn, divan::black_box(&q)).expect("list")));
}

#[divan::bench]
fn contacts_baseline_sql(bencher: divan::Bencher) {
    with_db(|conn| {
        let mut stmt =
            conn.prepare("SELECT id FROM contact_summary ORDER BY sort_name, id LIMIT 100").expect("sql");
        bencher.bench_local(|| stmt.query_map([], |r| r.get::<_, uuid::Uuid>(0)).expect("q").count())
    });
}

const SEARCHES: &[&str] = &["王芳", "Fang Wang", "示范大学 12", "GEN-004242", "agreement", "cohort 42"];

/// Global search, first 50 results across every entity.
#[divan::bench(args = SEARCHES)]
fn global_search_first_50(bencher: divan::Bencher, query: &str) {
    with_db(|conn| {
        bencher.bench_local(|| search::search(conn, divan::black_box(query), 50).expect("search"))
    });
}

/// Baseline: 50 contacts, partners or agreements whose name or title contains the query (a scan, unranked).
#[divan::bench(args = SEARCHES)]
fn global_search_baseline_like(bencher: divan::Bencher, query: &str) {
    with_db(|conn| {
        let mut stmt = conn
            .prepare(
                "SELECT id FROM (SELECT id, name FROM contact_summary UNION ALL SELECT id, name FROM partner_summary
                 UNION ALL SELECT id, title FROM agreement_summary) WHERE name LIKE '%' || ?1 || '%' LIMIT 50",
            )
            .expect("sql");
        bencher.bench_local(|| {
            stmt.query_map([divan::black_box(query)], |r| r.get::<_, uuid::Uuid>(0)).expect("q").count()
        })
    });
}

/// The dashboard's figures: per zone (all years and one year), per year and zone, calls.
#[divan::bench(args = [None, Some(2020)])]
fn dashboard_figures(bencher: divan::Bencher, year: Option<i64>) {
    let q = liaison_core::dashboard::DashboardQuery { academic_year: year, years: 10 };
    with_db(|conn| {
        bencher.bench_local(|| {
            liaison_core::dashboard::figures(conn, divan::black_box(&q), today()).expect("figures")
        })
    });
}

/// Baseline: the exchanges in and out per zone counted from the exchange table itself.
#[divan::bench(args = [None, Some(2020)])]
fn dashboard_baseline_sql(bencher: divan::Bencher, year: Option<i64>) {
    with_db(|conn| {
        let mut stmt = conn
            .prepare(
                "SELECT p.zone, e.direction, count(*) FROM exchange e JOIN partner_summary p ON p.id = e.partner_id
                 WHERE e.deleted = 0 AND (?1 IS NULL OR e.academic_year = ?1)
                   AND e.status NOT IN ('cancelled', 'withdrawn') GROUP BY p.zone, e.direction",
            )
            .expect("sql");
        bencher.bench_local(|| {
            stmt.query_map([divan::black_box(year)], |r| r.get::<_, i64>(2)).expect("q").count()
        })
    });
}

/// The partner list's first page (2,000 partners at a million exchanges), with its count.
const PARTNER_LISTS: &[&str] = &["by name", "zone japan", "search"];

#[divan::bench(args = PARTNER_LISTS)]
fn partners_first_page(bencher: divan::Bencher, name: &str) {
    let q = PartnerQuery { limit: 100, ..Default::default() };
    let q = match name {
        "zone japan" => PartnerQuery { zone: Some(Zone::Japan), ..q },
        "search" => PartnerQuery { search: Some("見本大学 7".into()), ..q },
        _ => q,
    };
    with_db(|conn| bencher.bench_local(|| partner::list(conn, divan::black_box(&q)).expect("list")));
}

#[divan::bench(args = PARTNER_LISTS)]
fn partners_baseline_sql(bencher: divan::Bencher, name: &str) {
    let sql = match name {
        "zone japan" => "SELECT id FROM partner_summary WHERE zone = 'japan' ORDER BY sort_name LIMIT 100",
        "search" => {
            "SELECT id FROM partner_summary WHERE name LIKE '%見本大学 7%' ORDER BY sort_name LIMIT 100"
        }
        _ => "SELECT id FROM partner_summary ORDER BY sort_name LIMIT 100",
    };
    baseline(bencher, sql);
}

/// The project list's first page (1,000 projects at a million exchanges).
const PROJECT_LISTS: &[&str] = &["latest", "active", "search"];

#[divan::bench(args = PROJECT_LISTS)]
fn projects_first_page(bencher: divan::Bencher, name: &str) {
    let q = ProjectQuery { limit: 100, ..Default::default() };
    let q = match name {
        "active" => ProjectQuery { status: Some(ProjectStatus::Active), ..q },
        "search" => ProjectQuery { search: Some("urban planning".into()), ..q },
        _ => q,
    };
    with_db(|conn| bencher.bench_local(|| project::list(conn, divan::black_box(&q)).expect("list")));
}

#[divan::bench(args = PROJECT_LISTS)]
fn projects_baseline_sql(bencher: divan::Bencher, name: &str) {
    let sql = match name {
        "active" => "SELECT id FROM project WHERE deleted = 0 AND status = 'active' ORDER BY start_date IS NULL, start_date DESC, fold(title), id LIMIT 100",
        "search" => "SELECT id FROM project WHERE deleted = 0 AND title LIKE '%urban planning%' ORDER BY start_date IS NULL, start_date DESC, fold(title), id LIMIT 100",
        _ => "SELECT id FROM project WHERE deleted = 0 ORDER BY start_date IS NULL, start_date DESC, fold(title), id LIMIT 100",
    };
    baseline(bencher, sql);
}

/// The event list's first page (4,000 events at a million exchanges).
const EVENT_LISTS: &[&str] = &["latest", "zone china", "search"];

#[divan::bench(args = EVENT_LISTS)]
fn events_first_page(bencher: divan::Bencher, name: &str) {
    let q = EventQuery { limit: 100, ..Default::default() };
    let q = match name {
        "zone china" => EventQuery { zone: Some(Zone::China), ..q },
        "search" => EventQuery { search: Some("public health".into()), ..q },
        _ => q,
    };
    with_db(|conn| bencher.bench_local(|| event::list(conn, divan::black_box(&q)).expect("list")));
}

#[divan::bench(args = EVENT_LISTS)]
fn events_baseline_sql(bencher: divan::Bencher, name: &str) {
    let sql = match name {
        "zone china" => "SELECT id FROM event WHERE deleted = 0 AND zone = 'china' ORDER BY start_date IS NULL, start_date DESC, fold(title), id LIMIT 100",
        "search" => "SELECT id FROM event WHERE deleted = 0 AND title LIKE '%public health%' ORDER BY start_date IS NULL, start_date DESC, fold(title), id LIMIT 100",
        _ => "SELECT id FROM event WHERE deleted = 0 ORDER BY start_date IS NULL, start_date DESC, fold(title), id LIMIT 100",
    };
    baseline(bencher, sql);
}

/// The call list's first page (100 calls at a million exchanges), each with its number of applications.
const CALL_LISTS: &[&str] = &["latest", "decided"];

#[divan::bench(args = CALL_LISTS)]
fn calls_first_page(bencher: divan::Bencher, name: &str) {
    let q = CallQuery { limit: 100, ..Default::default() };
    let q = match name {
        "decided" => CallQuery { status: Some(CallStatus::Decided), ..q },
        _ => q,
    };
    with_db(|conn| bencher.bench_local(|| call::list(conn, divan::black_box(&q)).expect("list")));
}

#[divan::bench(args = CALL_LISTS)]
fn calls_baseline_sql(bencher: divan::Bencher, name: &str) {
    let sql = match name {
        "decided" => "SELECT id FROM call WHERE deleted = 0 AND status = 'decided' ORDER BY deadline_at IS NULL, unixepoch(deadline_at) DESC, fold(title), id LIMIT 100",
        _ => "SELECT id FROM call WHERE deleted = 0 ORDER BY deadline_at IS NULL, unixepoch(deadline_at) DESC, fold(title), id LIMIT 100",
    };
    baseline(bencher, sql);
}

/// The application list's first page (5,000 applications at a million exchanges), each with its eligibility,
/// weighted score and rank in its call.
const APPLICATION_LISTS: &[&str] = &["all, by call and rank", "one call", "selected", "search"];

#[divan::bench(args = APPLICATION_LISTS)]
fn applications_first_page(bencher: divan::Bencher, name: &str) {
    let q = ApplicationQuery { limit: 100, ..Default::default() };
    let q = with_db(|conn| match name {
        "one call" => ApplicationQuery { call_id: Some(latest_call(conn)), ..q },
        "selected" => ApplicationQuery { status: Some(ApplicationStatus::Selected), ..q },
        "search" => ApplicationQuery { search: Some("water governance".into()), ..q },
        _ => q,
    });
    with_db(|conn| bencher.bench_local(|| application::list(conn, divan::black_box(&q)).expect("list")));
}

#[divan::bench(args = APPLICATION_LISTS)]
fn applications_baseline_sql(bencher: divan::Bencher, name: &str) {
    // The same rows in the same order (calls by deadline, each in its kept ranking), without the names,
    // the assessment's columns or the count.
    let sql = |condition: &str| {
        format!(
            "SELECT a.id FROM application a LEFT JOIN application_assessment s ON s.application_id = a.id
             LEFT JOIN call c ON c.id = a.call_id WHERE a.deleted = 0 AND a.call_id IS NOT NULL {condition}
             ORDER BY c.deadline_at IS NULL, unixepoch(c.deadline_at) DESC, a.call_id, s.position IS NULL,
                      s.position, a.id LIMIT 100"
        )
    };
    let sql = match name {
        "one call" => sql(
            "AND a.call_id = (SELECT id FROM call WHERE deleted = 0 ORDER BY unixepoch(deadline_at) DESC LIMIT 1)",
        ),
        "selected" => sql("AND a.status = 'selected'"),
        "search" => sql("AND a.title LIKE '%water governance%'"),
        _ => sql(""),
    };
    baseline(bencher, &sql);
}

fn latest_call(conn: &Connection) -> uuid::Uuid {
    conn.query_row(
        "SELECT id FROM call WHERE deleted = 0 ORDER BY unixepoch(deadline_at) DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .expect("a call")
}

/// Runs `sql`, which returns ids, as the bare baseline of a list.
fn baseline(bencher: divan::Bencher, sql: &str) {
    with_db(|conn| {
        let mut stmt = conn.prepare(sql).expect("sql");
        bencher.bench_local(|| stmt.query_map([], |r| r.get::<_, uuid::Uuid>(0)).expect("q").count())
    });
}
