//! `liaison report` as a process for call outcomes, projects and events, and data quality on the demo:
//! their figures beside the dashboard's and the lists', French and English alike, an XLSX with a sheet per
//! table, and a filter a report does not take refused in one line.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook, Reader, Xlsx};
use serde_json::Value;

use crate::process::liaison;

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    (dir, db)
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("JSON")
}

fn report(db: &Path, args: &[&str]) -> Value {
    json(liaison(db).arg("report").args(args).arg("--json"))
}

fn figure(report: &Value, label: &str) -> i64 {
    report["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["label"] == label))
        .and_then(|f| f["value"].as_i64())
        .unwrap_or_else(|| panic!("no figure {label} in {report}"))
}

fn section<'r>(report: &'r Value, key: &str) -> &'r Value {
    report["sections"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["key"] == key))
        .unwrap_or_else(|| panic!("no section {key}"))
}

/// The figures and every count of a report, words aside.
fn numbers(report: &Value) -> Vec<String> {
    let mut out: Vec<String> =
        report["figures"].as_array().into_iter().flatten().map(|f| f["value"].to_string()).collect();
    for s in report["sections"].as_array().into_iter().flatten() {
        out.push(format!("{} rows: {}", s["key"], s["rows"].as_array().map_or(0, Vec::len)));
        out.push(format!(
            "{} total: {}",
            s["key"],
            s["total"].as_array().map_or(0, |t| t.iter().filter(|v| v.is_number()).count())
        ));
    }
    out
}

#[test]
fn call_outcomes_agree_with_the_dashboard() {
    let (_dir, db) = demo();
    let calls = report(&db, &["calls"]);
    let dashboard = json(liaison(&db).args(["dashboard", "--json"]));
    assert_eq!(figure(&calls, "Open calls"), dashboard["open_calls"].as_i64().expect("open calls"));
    let by_status: i64 = dashboard["applications"]
        .as_array()
        .expect("by status")
        .iter()
        .map(|s| s["count"].as_i64().expect("a count"))
        .sum();
    assert_eq!(section(&calls, "by_status")["total"][1].as_i64(), Some(by_status));
    for zone in dashboard["zones"].as_array().expect("zones") {
        let code = zone["zone"].as_str().expect("a zone");
        let r = report(&db, &["calls", "--zone", code]);
        assert_eq!(
            section(&r, "by_status")["total"][1].as_i64(),
            zone["applications"].as_i64(),
            "applications in {code}"
        );
    }
    let fr = report(&db, &["calls", "--lang", "fr"]);
    assert_eq!(numbers(&calls), numbers(&fr));
    assert_eq!(fr["sections"][0]["title"], "Par appel");
}

#[test]
fn projects_and_events_count_what_the_lists_show() {
    let (_dir, db) = demo();
    let all = report(&db, &["projects_events"]);
    let projects = json(liaison(&db).args(["projects", "list", "--all", "--json"]));
    let listed = projects["rows"].as_array().or(projects.as_array()).map_or(0, Vec::len) as i64;
    assert_eq!(figure(&all, "Projects"), listed);
    let china = report(&db, &["projects_events", "--zone", "china"]);
    assert!(figure(&china, "Events") >= 1 && figure(&china, "Events") <= figure(&all, "Events"));
    let fr = report(&db, &["projects_events", "--zone", "china", "--lang", "fr"]);
    assert_eq!(numbers(&china), numbers(&fr));
}

#[test]
fn data_quality_writes_a_sheet_per_table_and_refuses_a_year() {
    let (dir, db) = demo();
    let out = dir.path().join("quality.xlsx");
    liaison(&db).args(["report", "data_quality", "--lang", "fr", "--out"]).arg(&out).assert().success();
    let book: Xlsx<_> = open_workbook(&out).expect("the workbook");
    let sheets = book.sheet_names();
    let report = report(&db, &["data_quality", "--lang", "fr"]);
    let sections = report["sections"].as_array().expect("sections").len();
    assert!(sheets.len() > sections, "a sheet per table and the key figures: {sheets:?}");
    assert!(sheets.iter().any(|s| s.starts_with("Partenaires sans identifiants")), "{sheets:?}");
    let refused = liaison(&db).args(["report", "data_quality", "--year", "2025"]).assert().code(1);
    let err = String::from_utf8(refused.get_output().stderr.clone()).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("takes no year filter"), "{err}");
}
