//! The CLI run as a process, as a script would.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `liaison` binary beside this test binary (`cargo test --workspace` builds it).
fn liaison(db: &Path) -> Command {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin: PathBuf = dir.join(format!("liaison{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: run the tests with `cargo test --workspace`", bin.display());
    let mut cmd = Command::new(bin);
    cmd.arg("--db").arg(db).env_remove("LIAISON_DB");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn the_demo_loads_and_lists_as_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    let loaded = stdout(liaison(&db).arg("demo"));
    assert!(loaded.contains("partners"), "{loaded}");
    let json = stdout(liaison(&db).args(["partners", "list", "--json", "--limit", "500"]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("valid JSON");
    assert!(rows.len() >= 40, "the demo has 40+ organisations, got {}", rows.len());
    for zone in ["china", "japan", "brazil", "canada"] {
        assert!(rows.iter().filter(|r| r["zone"] == zone).count() >= 5, "zone {zone} has a plausible set");
    }
    let found = stdout(liaison(&db).args(["partners", "list", "--search", "复旦", "--json"]));
    assert!(found.contains("复旦大学"), "{found}");
    liaison(&db).arg("demo").assert().failure();
}

#[test]
fn add_show_update_delete_and_history_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    liaison(&db).args(["init", "--name", "Shanghai office"]).assert().success();
    let input = r#"{"names": [{"value": "同济大学", "lang": "zh-Hans", "primary": true}], "country": "CN", "city": "Shanghai"}"#;
    let id =
        stdout(liaison(&db).args(["partners", "add", "--json", "-"]).write_stdin(input)).trim().to_owned();
    assert_eq!(id.len(), 36, "add prints the new id: {id}");

    let shown = stdout(liaison(&db).args(["partners", "show", &id, "--json"]));
    let mut partner: serde_json::Value = serde_json::from_str(&shown).expect("json");
    assert_eq!(partner["zone"], "china");
    partner["city"] = "Shanghai Jiading".into();
    let file = dir.path().join("edit.json");
    std::fs::write(&file, partner.to_string()).expect("write");
    liaison(&db).args(["partners", "update", &id, "--json"]).arg(&file).assert().success();

    let history = stdout(liaison(&db).args(["history", &id, "--json"]));
    let entries: Vec<serde_json::Value> = serde_json::from_str(&history).expect("json");
    assert_eq!(entries.len(), 2, "created, then edited: {history}");
    assert_eq!(entries[1]["author"], "Shanghai office");
    assert_eq!(entries[1]["changes"][0]["old"], "Shanghai");
    assert_eq!(entries[1]["changes"][0]["new"], "Shanghai Jiading");

    liaison(&db).args(["partners", "delete", &id]).assert().success();
    let listed = stdout(liaison(&db).args(["partners", "list", "--json"]));
    assert_eq!(listed.trim(), "[]");
}

#[test]
fn bad_input_fails_with_one_line_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    liaison(&db).args(["init", "--name", "Lyon"]).assert().success();
    let cases = [
        (r#"{"names": [{"value": "X", "lang": "en"}], "country": "XX"}"#, "country"),
        (r#"{"names": [{"value": "X", "lang": "en"}], "zone": "mars"}"#, "zone"),
        (r#"{"names": [{"value": "", "lang": "en"}]}"#, "names[0].value"),
        (r#"{"names": [{"value": "X", "lang": "en"}], "website": "not a url"}"#, "website"),
        (
            r#"{"names": [{"value": "X", "lang": "en"}], "identifiers": [{"scheme": "ror", "value": "123"}]}"#,
            "identifiers[0].value",
        ),
        (r#"{"names": "#, "EOF while parsing"),
    ];
    for (input, field) in cases {
        let out = liaison(&db)
            .args(["partners", "add", "--json", "-"])
            .write_stdin(input)
            .assert()
            .failure()
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("error: ") && err.contains(field), "{input} → {err}");
    }
    let contact = r#"{"family_name": "Li", "emails": ["li@"], "affiliations": [{"partner_id": "0195e7a0-0000-7000-8000-000000000000", "start_date": "2020-01-01", "end_date": "2019-01-01"}]}"#;
    let out = liaison(&db)
        .args(["contacts", "add", "--json", "-"])
        .write_stdin(contact)
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("emails[0]")
            && err.contains("affiliations[0].end_date")
            && err.contains("affiliations[0].partner_id"),
        "{err}"
    );
    let listed = stdout(liaison(&db).args(["partners", "list", "--json"]));
    assert_eq!(listed.trim(), "[]", "nothing was written");
    liaison(&db).args(["partners", "show", "no-such-id"]).assert().failure();
    liaison(&db).args(["partners", "list", "--zone", "mars"]).assert().failure();
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    for args in [
        &["--help"][..],
        &["partners", "--help"],
        &["partners", "add", "--help"],
        &["contacts", "list", "--help"],
        &["history", "--help"],
        &["agreements", "list", "--help"],
        &["exchanges", "delete", "--help"],
        &["demo", "--help"],
    ] {
        let out = stdout(liaison(&db).args(args));
        assert!(out.contains("Usage"), "{args:?}: {out}");
    }
}

#[test]
fn agreements_and_exchanges_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    let agreements: Vec<serde_json::Value> = serde_json::from_str(&stdout(liaison(&db).args([
        "agreements",
        "list",
        "--search",
        "Medicine and Humanities",
        "--json",
    ])))
    .expect("json");
    let mh = agreements.first().expect("the demo has Medicine and Humanities");
    let id = mh["id"].as_str().expect("id");
    let shown: serde_json::Value =
        serde_json::from_str(&stdout(liaison(&db).args(["agreements", "show", id, "--json"]))).expect("json");
    assert_eq!(shown["parties"].as_array().map(Vec::len), Some(4), "four parties");

    let cohort = stdout(liaison(&db).args(["exchanges", "list", "--cohort", "Tongji urban planning 2025"]));
    assert!(cohort.contains("20 of 20 exchanges"), "{cohort}");
    let grants = stdout(liaison(&db).args(["agreements", "list", "--search", "China Scholarship", "--json"]));
    let grants: Vec<serde_json::Value> = serde_json::from_str(&grants).expect("json");
    let grants = grants[0]["id"].as_str().expect("id").to_owned();
    let refused =
        liaison(&db).args(["agreements", "delete", &grants]).assert().failure().get_output().clone();
    let err = String::from_utf8(refused.stderr).expect("utf-8");
    assert!(err.contains("30 exchanges") && err.contains("--force"), "says what points to it: {err}");
    liaison(&db).args(["agreements", "delete", &grants, "--force"]).assert().success();

    // An exchange whose end comes before its start: a field error, nothing written.
    let person = &stdout(liaison(&db).args(["contacts", "list", "--json", "--limit", "1"]));
    let person: Vec<serde_json::Value> = serde_json::from_str(person).expect("json");
    let bad = serde_json::json!({
        "person_id": person[0]["id"], "direction": "incoming", "category": "staff",
        "planned_start": "2026-10-01", "planned_end": "2026-09-01", "amount": -5, "currency": "EUR"
    });
    let out = liaison(&db)
        .args(["exchanges", "add", "--json", "-"])
        .write_stdin(bad.to_string())
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(err.contains("planned_end") && err.contains("amount"), "{err}");
    let count = stdout(liaison(&db).args(["exchanges", "list", "--limit", "1"]));
    assert!(
        count.contains("of 94 exchanges"),
        "nothing written; a deleted agreement's exchanges stay: {count}"
    );
}
