//! The seven reports at scale, each beside the bare SQL of the same aggregates (the baseline, run side by
//! side in the same run): the whole report (`report::build`: its statements, the rows read, the tables made
//! in both languages' words), and the same statements alone, each stepped to its last row with nothing
//! read. The target: a report within 3× its bare statements. The mobility report (every year, and
//! a zone's year) beside `report::mobility::statements`; the data quality, CSC, agreement portfolio, call
//! outcomes, projects and events reports beside their own (`report::data_quality::statements`,
//! `report::csc::statements`, `report::agreements::statements`, `report::calls::statements`,
//! `report::projects_events::statements`); the zone annual report (China, the year under way) beside
//! `report::zone::statements`, the union of the statements of the readings it takes from the others and
//! of its own lists.
//!
//! Run: `cargo bench -p liaison-core --bench report` (100,000 exchanges);
//! `LIAISON_BENCH_REPORT_EXCHANGES=1000000` for the target's million. The database is generated once into
//! the target directory (`demo::scale`) and reused.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use divan::Bencher;
use liaison_core::kinds::Zone;
use liaison_core::report::{self, Context, ReportKind, ReportQuery, Scope};

/// The CLI's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/generated.rs"]
mod generated;

fn main() {
    divan::main();
}

fn exchanges() -> usize {
    std::env::var("LIAISON_BENCH_REPORT_EXCHANGES").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).expect("date")
}

fn database() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| generated::workspace("report", exchanges()))
}

/// Every year, no filter: the whole table of exchanges.
fn every_year() -> ReportQuery {
    ReportQuery::new(ReportKind::Mobility)
}

/// One academic year of one zone: what a representative asks for.
fn a_zone_year() -> ReportQuery {
    ReportQuery { year: Some(2025), zone: Some(Zone::China), ..ReportQuery::new(ReportKind::Mobility) }
}

fn whole_report(bencher: Bencher, query: ReportQuery) {
    let conn = liaison_core::open(database()).expect("open");
    bencher.bench_local(|| report::build(&conn, &query, today()).expect("report"));
}

/// The mobility report's statements bare (see [`bare_statements`]).
fn bare_sql(bencher: Bencher, query: ReportQuery) {
    // The academic years the agreements' places are counted over, as the report finds them (outside the
    // timing: the report has them from its own pass).
    let years: Option<(i64, i64)> = match query.year {
        Some(y) => Some((y, y)),
        None => liaison_core::open(database())
            .expect("open")
            .query_row(
                "SELECT min(academic_year), max(academic_year) FROM exchange WHERE deleted = 0",
                [],
                |r| Ok(r.get::<_, Option<i64>>(0)?.zip(r.get::<_, Option<i64>>(1)?)),
            )
            .expect("years"),
    };
    bare_statements(bencher, query, |cx| report::mobility::statements(cx, years));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn mobility_every_year(bencher: Bencher) {
    whole_report(bencher, every_year());
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn mobility_every_year_bare_sql(bencher: Bencher) {
    bare_sql(bencher, every_year());
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn mobility_a_zone_year(bencher: Bencher) {
    whole_report(bencher, a_zone_year());
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn mobility_a_zone_year_bare_sql(bencher: Bencher) {
    bare_sql(bencher, a_zone_year());
}

/// The statements `statements` gives for `query` (a report's, with their arguments, as
/// `report::data_quality::statements` gives them), bare: prepared and stepped to the end, nothing read, in
/// one read transaction.
fn bare_statements(
    bencher: Bencher,
    query: ReportQuery,
    statements: impl Fn(&Context) -> Vec<(String, Vec<rusqlite::types::Value>)>,
) {
    let conn = liaison_core::open(database()).expect("open");
    bencher.bench_local(|| {
        let read = conn.unchecked_transaction().expect("read");
        let scope = Scope::check(&read, &query, today()).expect("scope");
        let cx = Context { conn: &read, query: &query, scope, today: today(), lang: query.lang };
        let mut steps = 0_u64;
        for (sql, args) in statements(&cx) {
            let mut stmt = read.prepare(&sql).expect("prepare");
            let mut rows = stmt.query(rusqlite::params_from_iter(args)).expect("query");
            while rows.next().expect("step").is_some() {
                steps += 1;
            }
        }
        drop(cx);
        read.finish().expect("finish");
        steps
    });
}

/// Data quality, the whole workspace: duplicates, missing identifiers and every link's targets checked.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn data_quality(bencher: Bencher) {
    whole_report(bencher, ReportQuery::new(ReportKind::DataQuality));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn data_quality_bare_sql(bencher: Bencher) {
    bare_statements(bencher, ReportQuery::new(ReportKind::DataQuality), report::data_quality::statements);
}

/// The CSC campaign, every year.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn csc(bencher: Bencher) {
    whole_report(bencher, ReportQuery::new(ReportKind::Csc));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn csc_bare_sql(bencher: Bencher) {
    bare_statements(bencher, ReportQuery::new(ReportKind::Csc), report::csc::statements);
}

/// The agreement portfolio, no filter.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn agreements(bencher: Bencher) {
    whole_report(bencher, ReportQuery::new(ReportKind::Agreements));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn agreements_bare_sql(bencher: Bencher) {
    bare_statements(bencher, ReportQuery::new(ReportKind::Agreements), report::agreements::statements);
}

/// Call outcomes, every year.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn calls(bencher: Bencher) {
    whole_report(bencher, ReportQuery::new(ReportKind::Calls));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn calls_bare_sql(bencher: Bencher) {
    bare_statements(bencher, ReportQuery::new(ReportKind::Calls), report::calls::statements);
}

/// Projects and events, every year.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn projects_events(bencher: Bencher) {
    whole_report(bencher, ReportQuery::new(ReportKind::ProjectsEvents));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn projects_events_bare_sql(bencher: Bencher) {
    bare_statements(
        bencher,
        ReportQuery::new(ReportKind::ProjectsEvents),
        report::projects_events::statements,
    );
}

/// The zone annual report of China, the year under way.
fn china() -> ReportQuery {
    ReportQuery { zone: Some(Zone::China), ..ReportQuery::new(ReportKind::Zone) }
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn zone(bencher: Bencher) {
    whole_report(bencher, china());
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn zone_bare_sql(bencher: Bencher) {
    bare_statements(bencher, china(), report::zone::statements);
}
