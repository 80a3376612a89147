//! Exporting the exchange list to XLSX and CSV, beside Python's XlsxWriter writing the same rows (the
//! baseline, run side by side in the same run): the whole export from the database (the list read by one
//! statement, each record made a row by the column catalogue, the file written, synced and renamed); our XLSX
//! writer alone on the same rows held in memory; and `scripts/xlsxwriter_baseline.py` writing those rows,
//! beside the same script only loading them (its writing is the difference).
//!
//! Run: `cargo bench -p liaison-core --bench export` (10,000 exchanges: quick);
//! `LIAISON_BENCH_EXPORT_EXCHANGES=100000` for the figure in docs/performance.md. The database is generated
//! once into the target directory (`demo::scale`) and reused. Needs `python3` with `pip install XlsxWriter`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use divan::Bencher;
use liaison_core::export::csv::CsvOptions;
use liaison_core::export::list::{self, FileFormat, List, Reading};
use liaison_core::export::{xlsx, Cell, Column, Sheet};
use liaison_core::job::Job;
use liaison_core::label::UiLang;
use liaison_core::records::exchange::ExchangeQuery;

/// The CLI's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/generated.rs"]
mod generated;

fn main() {
    divan::main();
}

fn exchanges() -> usize {
    std::env::var("LIAISON_BENCH_EXPORT_EXCHANGES").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000)
}

struct Fixture {
    db: PathBuf,
    dir: PathBuf,
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// The same rows for the Python script (see its docstring).
    jsonl: PathBuf,
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).expect("date")
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let n = exchanges();
        let db = generated::workspace("export", n);
        let conn = liaison_core::open(&db).expect("bench database");
        let base =
            if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("liaison-bench-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let query = List::Exchanges(ExchangeQuery::default());
        let mut walk = query.walk(&conn, today(), Reading::Row).expect("walk");
        let sheet = walk.sheet(UiLang::En).expect("sheet");
        let headers: Vec<String> = sheet.columns.iter().map(|c| c.header.clone()).collect();
        let rows: Vec<Vec<Cell>> = sheet.rows.collect::<Result<_, _>>().expect("rows");
        assert_eq!(rows.len(), n, "every exchange is a row");
        let jsonl = dir.join("rows.jsonl");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&jsonl).expect("jsonl"));
        writeln!(out, "{}", serde_json::to_string(&headers).expect("json")).expect("write");
        for row in &rows {
            let cells: Vec<serde_json::Value> = row.iter().map(python_cell).collect();
            writeln!(out, "{}", serde_json::Value::Array(cells)).expect("write");
        }
        out.flush().expect("flush");
        eprintln!("{n} exchanges, {} columns; files in {}", headers.len(), dir.display());
        Fixture { db, dir, headers, rows, jsonl }
    })
}

fn python_cell(cell: &Cell) -> serde_json::Value {
    use serde_json::json;
    match cell {
        Cell::Empty => serde_json::Value::Null,
        Cell::Text(t) => json!(["t", t]),
        Cell::Number(n) => json!(["n", n]),
        Cell::Bool(b) => json!(["b", b]),
        Cell::Date(d) => json!(["d", d.format("%Y-%m-%d").to_string()]),
        Cell::DateTime(d) => json!(["dt", d.format("%Y-%m-%dT%H:%M").to_string()]),
    }
}

/// The whole export, as `liaison export exchanges --format xlsx` runs it.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn xlsx_export_from_the_database(bencher: Bencher) {
    let f = fixture();
    let conn = liaison_core::open(&f.db).expect("open");
    let lists = [List::Exchanges(ExchangeQuery::default())];
    let out = f.dir.join("export.xlsx");
    bencher.bench_local(|| {
        list::export(&conn, &lists, FileFormat::Xlsx, UiLang::En, today(), &out, &Job::silent())
            .expect("export")
    });
}

/// Our XLSX writer alone, on the rows held in memory (what the Python baseline does).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn xlsx_writer_on_rows_in_memory(bencher: Bencher) {
    let f = fixture();
    let out = f.dir.join("rows.xlsx");
    bencher.with_inputs(|| f.rows.clone()).bench_local_values(|rows| {
        let columns = f.headers.iter().map(Column::new).collect();
        let sheet = Sheet::new("Exchanges", columns, rows.into_iter().map(Ok));
        liaison_core::files::write_atomically_with(&out, |w| xlsx::write(w, vec![sheet], &Job::silent()))
            .expect("written")
    });
}

/// The whole export to CSV.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn csv_export_from_the_database(bencher: Bencher) {
    let f = fixture();
    let conn = liaison_core::open(&f.db).expect("open");
    let lists = [List::Exchanges(ExchangeQuery::default())];
    let out = f.dir.join("export.csv");
    bencher.bench_local(|| {
        let format = FileFormat::Csv(CsvOptions::default());
        list::export(&conn, &lists, format, UiLang::En, today(), &out, &Job::silent()).expect("export")
    });
}

fn python(args: &[&str]) {
    let f = fixture();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/xlsxwriter_baseline.py");
    let status = Command::new("python3")
        .arg(script)
        .arg(&f.jsonl)
        .arg(f.dir.join("python.xlsx"))
        .args(args)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the baseline ran (pip install XlsxWriter)");
}

/// Baseline: Python's XlsxWriter (default mode) loading and writing the same rows.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn python_xlsxwriter_load_and_write(bencher: Bencher) {
    fixture();
    bencher.bench_local(|| python(&[]));
}

/// Baseline: the same in XlsxWriter's constant-memory mode (our writer's mode).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn python_xlsxwriter_constant_memory_load_and_write(bencher: Bencher) {
    fixture();
    bencher.bench_local(|| python(&["--constant-memory"]));
}

/// What the baseline spends before writing (starting Python, reading the rows): taken off its times.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn python_load_only(bencher: Bencher) {
    fixture();
    bencher.bench_local(|| python(&["--load-only"]));
}

/// Where the export's time goes, 1: the list's statement stepped for the ids.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn parts_1_list_ids(bencher: Bencher) {
    let f = fixture();
    let conn = liaison_core::open(&f.db).expect("open");
    let list = List::Exchanges(ExchangeQuery::default());
    bencher.bench_local(|| {
        let mut walk = list.walk(&conn, today(), Reading::Row).expect("walk");
        let ids = walk.ids().expect("ids").filter(|id| id.is_ok()).count();
        ids
    });
}

/// 2: the list's statement read into records, as a sheet reads them (an exchange's own fields).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn parts_2_list_records(bencher: Bencher) {
    let f = fixture();
    let conn = liaison_core::open(&f.db).expect("open");
    let list = List::Exchanges(ExchangeQuery::default());
    bencher.bench_local(|| {
        let mut walk = list.walk(&conn, today(), Reading::Row).expect("walk");
        let records = walk.records().expect("records").filter(|r| r.is_ok()).count();
        records
    });
}

/// 3: each record made a row by the column catalogue (the sheet's rows, not written).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn parts_3_catalogue_rows(bencher: Bencher) {
    let f = fixture();
    let conn = liaison_core::open(&f.db).expect("open");
    let list = List::Exchanges(ExchangeQuery::default());
    bencher.bench_local(|| {
        let mut walk = list.walk(&conn, today(), Reading::Row).expect("walk");
        let rows = walk.sheet(UiLang::En).expect("sheet").rows.count();
        rows
    });
}
