//! The CLI run as a process, as a script would.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::process::liaison;

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).expect("utf-8")
}

fn json(cmd: &mut Command) -> serde_json::Value {
    let out = stdout(cmd);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("the output is JSON ({e}): {out}"))
}

/// Standard error of a command that must fail as bad input does: status 1, one line starting `error: `.
fn refused(cmd: &mut Command) -> String {
    let out = cmd.assert().code(1).get_output().clone();
    assert!(out.stdout.is_empty(), "nothing on standard output: {:?}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    err
}

/// `liaison NOUN add --json -` with `input` on standard input; the new record's id.
fn add(db: &Path, noun: &str, input: &serde_json::Value) -> String {
    let id = stdout(liaison(db).args([noun, "add", "--json", "-"]).write_stdin(input.to_string()));
    let id = id.trim().to_owned();
    assert_eq!(id.len(), 36, "{noun} add prints the new id: {id}");
    id
}

/// `liaison NOUN list --json --all` with more arguments: its rows.
fn list(db: &Path, noun: &str, args: &[&str]) -> Vec<serde_json::Value> {
    let page = json(liaison(db).args([noun, "list", "--json", "--all"]).args(args));
    page["rows"].as_array().unwrap_or_else(|| panic!("{noun} list --json holds its rows: {page}")).clone()
}

fn ids(rows: &[serde_json::Value]) -> Vec<&str> {
    rows.iter().map(|r| r["id"].as_str().expect("a row has an id")).collect()
}

/// A database set up in a temporary directory, which lives as long as the returned guard.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    liaison(&db).args(["init", "--name", "Lyon"]).assert().success();
    (dir, db)
}

fn partner(db: &Path, name: &str, lang: &str, country: &str) -> String {
    add(db, "partners", &serde_json::json!({"names": [{"value": name, "lang": lang}], "country": country}))
}

/// An active student-exchange agreement between two partners from 2024-09-01 to `end`.
fn agreement(db: &Path, title: &str, a: &str, b: &str, end: &str, notice_months: i64) -> String {
    add(
        db,
        "agreements",
        &serde_json::json!({
            "title": title, "kind": "student_exchange", "status": "active",
            "start_date": "2024-09-01", "end_date": end, "notice_months": notice_months,
            "parties": [{"partner_id": a}, {"partner_id": b}]
        }),
    )
}

#[test]
fn the_demo_loads_and_lists_as_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    let loaded = stdout(liaison(&db).arg("demo"));
    assert!(loaded.contains("partners"), "{loaded}");
    let rows = list(&db, "partners", &[]);
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
    assert!(list(&db, "partners", &[]).is_empty());
}

#[test]
fn a_misspelled_field_in_an_update_is_refused_and_the_field_kept() {
    let (dir, db) = workspace();
    let id = add(
        &db,
        "partners",
        &serde_json::json!({"names": [{"value": "Fudan", "lang": "en"}], "website": "https://www.fudan.edu.cn"}),
    );
    let mut shown = json(liaison(&db).args(["partners", "show", &id, "--json"]));
    let website = shown.as_object_mut().and_then(|o| o.remove("website")).expect("website shown");
    shown["Website"] = website;
    let file = dir.path().join("edit.json");
    std::fs::write(&file, shown.to_string()).expect("write");
    let err = refused(liaison(&db).args(["partners", "update", &id, "--json"]).arg(&file));
    assert!(err.contains("Website") && err.contains("did you mean \"website\""), "{err}");
    let after = json(liaison(&db).args(["partners", "show", &id, "--json"]));
    assert_eq!(after["website"], "https://www.fudan.edu.cn", "the website was not wiped");
}

#[test]
fn terminal_escapes_and_huge_texts_are_refused_in_a_short_error() {
    let (_dir, db) = workspace();
    let escape = serde_json::json!({"names": [{"value": "Fudan\u{1b}]0;owned\u{7}\u{1b}[2J", "lang": "en"}]});
    let err = refused(liaison(&db).args(["partners", "add", "--json", "-"]).write_stdin(escape.to_string()));
    assert!(err.contains("names[0].value") && err.contains("control character"), "{err}");
    assert!(!err.trim_end().chars().any(char::is_control), "the error prints no escape itself: {err:?}");
    let huge = "https://".to_owned() + &"x".repeat(10 * 1024 * 1024);
    let website = serde_json::json!({"names": [{"value": "Big", "lang": "en"}], "website": huge});
    let err = refused(liaison(&db).args(["partners", "add", "--json", "-"]).write_stdin(website.to_string()));
    assert!(err.contains("website") && err.contains("at most 2000"), "{err}");
    assert!(err.len() < 400, "a 10 MB value gives a short error line: {} bytes", err.len());
    let notes =
        serde_json::json!({"names": [{"value": "Notes", "lang": "en"}], "notes": "line one\n\tline two"});
    add(&db, "partners", &notes);
    assert_eq!(list(&db, "partners", &[]).len(), 1, "only the partner with clean text was written");
}

#[test]
fn a_stored_name_with_terminal_escapes_is_printed_escaped_not_obeyed() {
    let (_dir, db) = workspace();
    let id = partner(&db, "Fudan", "en", "CN");
    {
        // As a name stored before the input rules, or received by sync, might be.
        let conn = rusqlite::Connection::open(&db).expect("open");
        let evil = "Fudan\u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}";
        conn.execute("UPDATE partner_name SET value = ?1", [evil]).expect("name");
        conn.execute("UPDATE partner_summary SET name = ?1", [evil]).expect("row");
        conn.execute("UPDATE partner_label SET name = ?1", [evil]).expect("label");
    }
    for args in [&["partners", "list"][..], &["partners", "show", &id], &["partners", "show", &id, "--json"]]
    {
        let out = liaison(&db).args(args).assert().success().get_output().stdout.clone();
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{args:?}: {text:?}"
        );
        assert!(text.contains("\\u001b[2J"), "{args:?}: shown, not obeyed: {text}");
    }
    let shown = json(liaison(&db).args(["partners", "show", &id, "--json"]));
    assert_eq!(
        shown["names"][0]["value"], "Fudan\u{1b}[2J\u{1b}]0;owned\u{7}\u{202e}",
        "JSON reads back the same text"
    );
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
        (r#"{"names": "#, "not valid JSON"),
        // Two records where one is expected: refused whole, not the first kept and the rest dropped.
        (
            r#"{"names": [{"value": "First", "lang": "en"}]}{"names": [{"value": "Second", "lang": "en"}]}"#,
            "more text after the JSON",
        ),
        ("[]", "one JSON object"),
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
    assert!(list(&db, "partners", &[]).is_empty(), "nothing was written");
    liaison(&db).args(["partners", "show", "no-such-id"]).assert().failure();
    liaison(&db).args(["partners", "list", "--zone", "mars"]).assert().failure();
}

#[test]
fn argument_errors_are_one_line_and_status_1_as_bad_input_is() {
    let (_dir, db) = workspace();
    let err = refused(liaison(&db).args(["partners", "show", "no-such-id"]));
    assert!(err.contains("no-such-id"), "{err}");
    // What an ID looks like, not uuid's "invalid length: found 6".
    for args in [&["partners", "show", "999999"][..], &["report", "agreements", "--partner", "999999"]] {
        let err = refused(liaison(&db).args(args));
        assert!(err.contains("'999999'") && err.contains("not a record ID: IDs look like"), "{err}");
    }
    let err = refused(liaison(&db).args(["partners", "list", "--limt", "5"]));
    assert!(err.contains("--limt") && err.contains("--limit"), "the tip is kept on the line: {err}");
    let err = refused(liaison(&db).args(["partners", "list", "--zone", "mars"]));
    assert!(err.contains("china"), "the possible values are said: {err}");
    liaison(&db).args(["partners"]).assert().code(1);
    liaison(&db).args(["partners", "--help"]).assert().code(0);
}

#[test]
fn output_cut_short_by_its_reader_ends_quietly() {
    let (_dir, db) = workspace();
    let id = partner(&db, "Fudan", "en", "CN");
    for args in [&["history", id.as_str()][..], &["partners", "list"], &["partners", "show", &id, "--json"]] {
        let mut child = std::process::Command::new(liaison(&db).get_program())
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // The reader goes away before the command writes, as `head` does once it has its lines.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: nothing said about the closed pipe: {err}");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}

#[test]
fn lists_are_not_cut_at_a_page_they_say_where_the_next_rows_start() {
    let (_dir, db) = workspace();
    {
        let mut conn = liaison_core::open(&db).expect("open");
        let clock = liaison_core::ManualClock::new();
        liaison_core::write(&mut conn, |tx| {
            for i in 0..620 {
                liaison_core::records::partner::add(
                    tx,
                    &clock,
                    &liaison_tests::simple(&format!("P{i:04}"), "en", "CN"),
                )?;
            }
            Ok(())
        })
        .expect("620 partners");
    }
    let page = json(liaison(&db).args(["partners", "list", "--json", "--limit", "550"]));
    assert_eq!(
        page["rows"].as_array().map(Vec::len),
        Some(550),
        "550 asked, 550 given (no hidden cap at 500)"
    );
    assert_eq!((page["total"].as_u64(), page["next_offset"].as_u64()), (Some(620), Some(550)));
    let rest = json(liaison(&db).args(["partners", "list", "--json", "--limit", "100", "--offset", "550"]));
    assert_eq!(rest["rows"].as_array().map(Vec::len), Some(70));
    assert!(rest["next_offset"].is_null(), "the last page says so: {}", rest["next_offset"]);
    assert_eq!(rest["rows"][0]["name"], "P0550", "the next page starts where the last ended");
    let all = json(liaison(&db).args(["partners", "list", "--json", "--all"]));
    assert_eq!(all["rows"].as_array().map(Vec::len), Some(620));
    let text = stdout(liaison(&db).args(["partners", "list", "--limit", "5"]));
    assert!(text.contains("5 of 620 partners") && text.contains("--offset 5"), "{text}");
    let err = refused(liaison(&db).args(["partners", "list", "--limit", "0"]));
    assert!(err.contains("--all"), "{err}");
    refused(liaison(&db).args(["search", "P0", "--limit", "5000"]));
}

#[test]
fn a_damaged_database_is_refused_before_a_write_saying_how_to_recover() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("damaged.sqlite3");
    crate::damage::demo_file(&db);
    crate::damage::damage(&db);
    let before = std::fs::read(&db).expect("read");
    let input = serde_json::json!({"names": [{"value": "New", "lang": "en"}]});
    let err = refused(liaison(&db).args(["partners", "add", "--json", "-"]).write_stdin(input.to_string()));
    assert!(err.contains("is damaged") && err.contains(".recover"), "{err}");
    assert_eq!(std::fs::read(&db).expect("read"), before, "nothing was written to it");
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
        &["projects", "update", "--help"],
        &["events", "add", "--help"],
        &["calls", "show", "--help"],
        &["applications", "list", "--help"],
        &["search", "--help"],
        &["reminders", "--help"],
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
    let agreements = list(&db, "agreements", &["--search", "Medicine and Humanities"]);
    let mh = agreements.first().expect("the demo has Medicine and Humanities");
    let id = mh["id"].as_str().expect("id");
    let shown: serde_json::Value =
        serde_json::from_str(&stdout(liaison(&db).args(["agreements", "show", id, "--json"]))).expect("json");
    assert_eq!(shown["parties"].as_array().map(Vec::len), Some(4), "four parties");
    let text = stdout(liaison(&db).args(["agreements", "show", id]));
    assert!(text.contains("0912 Medicine"), "a field's code with its ISCED-F label: {text}");

    let cohort = stdout(liaison(&db).args(["exchanges", "list", "--cohort", "Tongji urban planning 2025"]));
    assert!(cohort.contains("20 of 20 exchanges"), "{cohort}");
    let grants = list(&db, "agreements", &["--search", "China Scholarship"]);
    let grants = grants[0]["id"].as_str().expect("id").to_owned();
    let refused =
        liaison(&db).args(["agreements", "delete", &grants]).assert().failure().get_output().clone();
    let err = String::from_utf8(refused.stderr).expect("utf-8");
    assert!(err.contains("30 exchanges") && err.contains("--force"), "says what points to it: {err}");
    liaison(&db).args(["agreements", "delete", &grants, "--force"]).assert().success();

    // An exchange whose end comes before its start: a field error, nothing written.
    let person = list(&db, "contacts", &[]);
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

#[test]
fn contacts_and_agreements_shown_as_json_are_accepted_back_by_update() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    let file = dir.path().join("edit.json");
    let agreements = list(&db, "agreements", &["--search", "Medicine and Humanities"]);
    let id = agreements[0]["id"].as_str().expect("id").to_owned();
    let mut shown = json(liaison(&db).args(["agreements", "show", &id, "--json"]));
    shown["notes"] = "Renewal to discuss in March.".into();
    std::fs::write(&file, shown.to_string()).expect("write");
    liaison(&db).args(["agreements", "update", &id, "--json"]).arg(&file).assert().success();
    let after = json(liaison(&db).args(["agreements", "show", &id, "--json"]));
    assert_eq!(after["notes"], "Renewal to discuss in March.");
    for list in ["parties", "conditions", "parties_read", "conditions_read"] {
        assert_eq!(after[list], shown[list], "{list} kept as they were, ids too");
    }

    let people = list(&db, "contacts", &[]);
    let ids: Vec<String> = people.iter().map(|r| r["id"].as_str().expect("id").to_owned()).collect();
    let (id, mut shown) = ids
        .iter()
        .map(|id| (id.clone(), json(liaison(&db).args(["contacts", "show", id, "--json"]))))
        .find(|(_, c)| c["affiliations"].as_array().is_some_and(|a| !a.is_empty()))
        .expect("a contact with an affiliation");
    shown["notes"] = "Met at the Lyon summer school.".into();
    std::fs::write(&file, shown.to_string()).expect("write");
    liaison(&db).args(["contacts", "update", &id, "--json"]).arg(&file).assert().success();
    let after = json(liaison(&db).args(["contacts", "show", &id, "--json"]));
    assert_eq!(after["notes"], "Met at the Lyon summer school.");
    assert_eq!(after["affiliations"], shown["affiliations"], "affiliations kept, ids too");
    assert_eq!(after["affiliations_read"], shown["affiliations_read"]);
}

#[test]
fn projects_are_added_shown_updated_listed_and_deleted_as_json() {
    let (dir, db) = workspace();
    let ottawa = partner(&db, "University of Ottawa", "en", "CA");
    let lyon = partner(&db, "Université Lumière Lyon 2", "fr", "FR");
    let mh = agreement(&db, "Medicine and Humanities agreement", &ottawa, &lyon, "2029-08-31", 6);
    let flagship = serde_json::json!({
        "code": "FLAG-MH", "title": "Medicine and Humanities", "kind": "flagship", "status": "active",
        "start_date": "2022-03-01", "end_date": "2027-02-28", "budget": 45_000_000, "currency": "eur",
        "fields": ["health"], "partners": [{"partner_id": ottawa, "role": "Co-lead"}], "agreement_ids": [mh]
    });
    let id = add(&db, "projects", &flagship);
    let lab = add(
        &db,
        "projects",
        &serde_json::json!({"title": "Joint lab in urban ecology", "kind": "joint_lab", "start_date": "2024-01-15"}),
    );

    let shown = json(liaison(&db).args(["projects", "show", &id, "--json"]));
    assert_eq!(shown["id"], id.as_str());
    assert_eq!((&shown["budget"], &shown["currency"]), (&45_000_000.into(), &"EUR".into()), "{shown}");
    assert_eq!(shown["partners_read"][0]["name"], "University of Ottawa");
    assert_eq!(shown["partners_read"][0]["role"], "Co-lead");
    assert_eq!(shown["agreements_read"][0]["name"], "Medicine and Humanities agreement");
    assert_eq!(shown["deleted"], false);

    let rows = list(&db, "projects", &[]);
    assert_eq!(ids(&rows), [lab.as_str(), id.as_str()], "latest start first");
    assert_eq!((&rows[0]["kind"], &rows[0]["status"]), (&"joint_lab".into(), &"planned".into()), "defaults");
    assert_eq!(ids(&list(&db, "projects", &["--search", "ecology"])), [lab.as_str()]);

    // `show --json` output, edited, goes back in through a file.
    let mut edited = shown.clone();
    edited["status"] = "completed".into();
    edited["partners"][0]["role"] = "Lead".into();
    edited["partners"]
        .as_array_mut()
        .expect("partners is an array")
        .push(serde_json::json!({"partner_id": lyon, "role": null}));
    let file = dir.path().join("project.json");
    std::fs::write(&file, edited.to_string()).expect("write");
    let updated = stdout(liaison(&db).args(["projects", "update", &id, "--json"]).arg(&file));
    assert_eq!(updated.trim(), format!("Updated Medicine and Humanities ({id})"));
    let shown = json(liaison(&db).args(["projects", "show", &id, "--json"]));
    assert_eq!(shown["status"], "completed");
    let partners: Vec<(&str, Option<&str>)> = shown["partners_read"]
        .as_array()
        .expect("partners_read")
        .iter()
        .map(|p| (p["name"].as_str().expect("name"), p["role"].as_str()))
        .collect();
    assert_eq!(partners, [("University of Ottawa", Some("Lead")), ("Université Lumière Lyon 2", None)]);
    let history = json(liaison(&db).args(["history", &id, "--json"]));
    let status_changes: Vec<_> = history
        .as_array()
        .expect("history")
        .iter()
        .flat_map(|h| h["changes"].as_array().expect("changes"))
        .filter(|c| c["column"] == "status")
        .map(|c| (c["old"].clone(), c["new"].clone()))
        .collect();
    assert_eq!(
        status_changes,
        [(serde_json::Value::Null, "active".into()), ("active".into(), "completed".into())]
    );

    let deleted = stdout(liaison(&db).args(["projects", "delete", &lab]));
    assert!(deleted.contains(&format!("liaison projects restore {lab}")), "says how to restore: {deleted}");
    assert_eq!(ids(&list(&db, "projects", &[])), [id.as_str()]);
    assert_eq!(json(liaison(&db).args(["projects", "show", &lab, "--json"]))["deleted"], true);
    liaison(&db).args(["projects", "restore", &lab]).assert().success();
    assert_eq!(list(&db, "projects", &[]).len(), 2, "restored");
}

#[test]
fn events_are_added_shown_updated_listed_and_deleted_as_json() {
    let (_dir, db) = workspace();
    let ottawa = partner(&db, "University of Ottawa", "en", "CA");
    let project =
        add(&db, "projects", &serde_json::json!({"title": "Medicine and Humanities", "kind": "flagship"}));
    let webinar = add(
        &db,
        "events",
        &serde_json::json!({
            "title": "Back-to-school webinar", "kind": "webinar", "start_date": "2026-09-24", "online": true,
            "zone": "france_europe", "project_id": project, "organiser_ids": [ottawa],
            "registered": 164, "attended": 118
        }),
    );
    let visit = add(
        &db,
        "events",
        &serde_json::json!({
            "title": "Delegation visit from Ottawa", "kind": "visit", "start_date": "2025-05-12",
            "end_date": "2025-05-14", "venue": "Manufacture des Tabacs"
        }),
    );

    let shown = json(liaison(&db).args(["events", "show", &webinar, "--json"]));
    assert_eq!(shown["project_title"], "Medicine and Humanities");
    assert_eq!(shown["organisers_read"][0]["name"], "University of Ottawa");
    assert_eq!((&shown["registered"], &shown["attended"]), (&164.into(), &118.into()));
    assert_eq!(shown["zone"], "france_europe");

    let rows = list(&db, "events", &[]);
    assert_eq!(ids(&rows), [webinar.as_str(), visit.as_str()], "latest first");
    assert_eq!((&rows[0]["online"], &rows[1]["venue"]), (&true.into(), &"Manufacture des Tabacs".into()));
    assert_eq!(ids(&list(&db, "events", &["--search", "delegation"])), [visit.as_str()]);

    // `show --json` output, edited, goes back in on standard input.
    let mut edited = shown.clone();
    edited["attended"] = 131.into();
    edited["organiser_ids"] = serde_json::json!([]);
    liaison(&db)
        .args(["events", "update", &webinar, "--json", "-"])
        .write_stdin(edited.to_string())
        .assert()
        .success();
    let shown = json(liaison(&db).args(["events", "show", &webinar, "--json"]));
    assert_eq!(shown["attended"], 131);
    assert_eq!(shown["organisers_read"], serde_json::json!([]), "the organiser was removed");
    let history = json(liaison(&db).args(["history", &webinar, "--json"]));
    let attended: Vec<_> = history
        .as_array()
        .expect("history")
        .iter()
        .flat_map(|h| h["changes"].as_array().expect("changes"))
        .filter(|c| c["column"] == "attended")
        .map(|c| (c["old"].clone(), c["new"].clone()))
        .collect();
    assert_eq!(attended.last(), Some(&(118.into(), 131.into())), "{history}");

    // The project has an event: deleting it needs --force, and the event then shows no project title.
    let err = refused(liaison(&db).args(["projects", "delete", &project]));
    assert!(err.contains("1 event") && err.contains("--force"), "{err}");
    liaison(&db).args(["projects", "delete", &project, "--force"]).assert().success();
    let shown = json(liaison(&db).args(["events", "show", &webinar, "--json"]));
    assert_eq!(shown["project_title"], serde_json::Value::Null, "{shown}");

    liaison(&db).args(["events", "delete", &visit]).assert().success();
    assert_eq!(ids(&list(&db, "events", &[])), [webinar.as_str()]);
}

#[test]
fn calls_and_applications_show_eligibility_weighted_scores_and_ranks_as_json() {
    let (dir, db) = workspace();
    let lyon = partner(&db, "Université Lumière Lyon 2", "fr", "FR");
    let tongji = partner(&db, "同济大学", "zh-Hans", "CN");
    let tokyo = partner(&db, "東京大学", "ja", "JP");
    let ottawa = partner(&db, "University of Ottawa", "en", "CA");
    let call = add(
        &db,
        "calls",
        &serde_json::json!({
            "code": "IDEX-INT-2026", "title": "Call for international projects 2026",
            "programme": "IDEXLYON international", "opens_at": "2026-01-12T09:00:00+01:00",
            "deadline_at": "2026-03-16T17:00:00+01:00", "time_zone": "Europe/Paris",
            "budget": 30_000_000, "max_award": 6_000_000, "currency": "EUR",
            "rules": {"min_partners": 3, "min_countries": 3, "required_zones": ["china"], "lyon_lead_required": true},
            "criteria": [
                {"name": "Scientific quality", "weight": 3, "max_score": 4, "threshold": 2},
                {"name": "International reach", "weight": 1, "max_score": 8}
            ],
            "status": "evaluation"
        }),
    );
    let shown = json(liaison(&db).args(["calls", "show", &call, "--json"]));
    let criteria = shown["criteria_read"].as_array().expect("criteria_read").clone();
    let names: Vec<&str> = criteria.iter().map(|k| k["name"].as_str().expect("name")).collect();
    assert_eq!(names, ["Scientific quality", "International reach"]);
    let (quality, reach) = (criteria[0]["id"].clone(), criteria[1]["id"].clone());
    let review = |q: f64, r: f64| serde_json::json!({"scores": [{"criterion_id": quality, "score": q}, {"criterion_id": reach, "score": r}]});
    let apply = |reference: &str, title: &str, partners: &[&str], reviews: Vec<serde_json::Value>| {
        let partners: Vec<_> = partners.iter().map(|p| serde_json::json!({"partner_id": p})).collect();
        add(
            &db,
            "applications",
            &serde_json::json!({
                "call_id": call, "reference": reference, "title": title, "lead_id": lyon,
                "partners": partners, "requested": 5_000_000, "status": "submitted", "reviews": reviews
            }),
        )
    };
    // A review's weighted score: 100 × (3 × quality / 4 + 1 × reach / 8) / (3 + 1).
    let heritage = apply("INT-01", "Urban heritage", &[&tongji, &tokyo], vec![review(4.0, 6.0)]); // 93.75
    let rivers = apply("INT-02", "Rivers and cities", &[&tongji, &ottawa], vec![review(4.0, 6.0)]); // 93.75
    let health = apply(
        "INT-03",
        "Health and humanities",
        &[&tongji, &tokyo],
        vec![review(3.0, 4.0), review(2.0, 8.0)],
    ); // 68.75 and 62.5
    let pair = apply("INT-04", "Two organisations only", &[&tokyo], vec![review(4.0, 8.0)]); // 100, ineligible
    let weak = apply("INT-05", "Below the bar", &[&tongji, &ottawa], vec![review(1.0, 8.0)]); // 43.75, quality 1 < 2

    let a = json(liaison(&db).args(["applications", "show", &health, "--json"]));
    assert_eq!(a["call_title"], "Call for international projects 2026");
    assert_eq!(a["lead_name"], "Université Lumière Lyon 2");
    let e = &a["assessment"]["eligibility"];
    assert_eq!((&e["eligible"], &e["organisations"]), (&true.into(), &3.into()), "{e}");
    assert_eq!(e["countries"], serde_json::json!(["CN", "FR", "JP"]));
    let checks: Vec<(&str, bool, &str)> = e["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (c["rule"].as_str().expect("rule"), c["ok"] == true, c["message"].as_str().expect("message"))
        })
        .collect();
    assert_eq!(
        checks,
        [
            ("min_partners", true, "3 organisations, 3 required"),
            ("min_countries", true, "3 countries, 3 required"),
            ("required_zones", true, "every required zone is represented"),
            ("lyon_lead", true, "led from Lyon"),
        ]
    );
    let weighted: Vec<&serde_json::Value> =
        a["reviews_read"].as_array().expect("reviews_read").iter().map(|r| &r["weighted"]).collect();
    assert_eq!(weighted, [&68.75.into(), &62.5.into()] as [&serde_json::Value; 2]);
    assert_eq!(a["assessment"]["score"], 65.625, "the mean of its complete reviews");
    let averages: Vec<(&serde_json::Value, &serde_json::Value)> = a["assessment"]["averages"]
        .as_array()
        .expect("averages")
        .iter()
        .map(|x| (&x["average"], &x["below_threshold"]))
        .collect();
    assert_eq!(averages, [(&2.5.into(), &false.into()), (&6.0.into(), &false.into())] as [(_, _); 2]);
    assert_eq!(a["assessment"]["rank"], 3, "after the two tied at 93.75");

    let p = json(liaison(&db).args(["applications", "show", &pair, "--json"]));
    let e = &p["assessment"]["eligibility"];
    assert_eq!(e["eligible"], false);
    let failed: Vec<(&str, &str)> = e["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| (c["rule"].as_str().expect("rule"), c["message"].as_str().expect("message")))
        .collect();
    assert_eq!(
        failed,
        [
            ("min_partners", "2 organisations, 3 required"),
            ("min_countries", "2 countries, 3 required"),
            ("required_zones", "no organisation from China"),
        ]
    );
    assert_eq!(e["checks"][2]["missing_zones"], serde_json::json!(["china"]));
    assert_eq!(e["checks"][1]["count"], 2);
    assert_eq!(
        (&p["assessment"]["score"], &p["assessment"]["rank"]),
        (&100.0.into(), &serde_json::Value::Null),
        "a perfect score, but ineligible: not ranked"
    );
    let text = stdout(liaison(&db).args(["applications", "show", &pair]));
    assert!(
        text.contains("eligibility: ineligible") && text.contains("✘ no organisation from China"),
        "{text}"
    );

    let w = json(liaison(&db).args(["applications", "show", &weak, "--json"]));
    assert_eq!(w["assessment"]["score"], 43.75);
    assert_eq!(w["assessment"]["averages"][0]["below_threshold"], true);
    assert_eq!(w["assessment"]["rank"], serde_json::Value::Null, "below a threshold: not ranked");

    let ranking = |rows: &[serde_json::Value]| -> Vec<(String, serde_json::Value)> {
        rows.iter().map(|r| (r["id"].as_str().expect("id").to_owned(), r["rank"].clone())).collect()
    };
    let null = serde_json::Value::Null;
    let expected = [
        (heritage.clone(), 1.into()),
        (rivers.clone(), 1.into()),
        (health.clone(), 3.into()),
        (pair.clone(), null.clone()),
        (weak.clone(), null.clone()),
    ];
    assert_eq!(ranking(&list(&db, "applications", &["--call", &call])), expected, "ties share a rank");
    let on_call = json(liaison(&db).args(["calls", "show", &call, "--json"]));
    assert_eq!(ranking(on_call["applications"].as_array().expect("applications")), expected);
    let calls = list(&db, "calls", &[]);
    assert_eq!((&calls[0]["applications"], &calls[0]["status"]), (&5.into(), &"evaluation".into()));

    // `show --json` output, edited, goes back in: full marks on both reviews put it first.
    let mut edited = a.clone();
    edited["status"] = "eligible".into();
    for r in edited["reviews"].as_array_mut().expect("reviews") {
        r["scores"] = review(4.0, 8.0)["scores"].clone();
    }
    liaison(&db)
        .args(["applications", "update", &health, "--json", "-"])
        .write_stdin(edited.to_string())
        .assert()
        .success();
    let a = json(liaison(&db).args(["applications", "show", &health, "--json"]));
    assert_eq!((&a["status"], &a["assessment"]["score"]), (&"eligible".into(), &100.0.into()));
    assert_eq!(a["reviews_read"].as_array().map(Vec::len), Some(2), "the two reviews were edited, not added");
    assert_eq!(
        ranking(&list(&db, "applications", &["--call", &call]))[..3],
        [(health.clone(), 1.into()), (heritage.clone(), 2.into()), (rivers.clone(), 2.into())]
    );

    // The call's own `show --json` output goes back in too, its criteria kept (the reviews' scores still count).
    let mut call_edit = on_call.clone();
    call_edit["title"] = "Call for international projects 2026 (extended)".into();
    let file = dir.path().join("call.json");
    std::fs::write(&file, call_edit.to_string()).expect("write");
    liaison(&db).args(["calls", "update", &call, "--json"]).arg(&file).assert().success();
    let after = json(liaison(&db).args(["calls", "show", &call, "--json"]));
    assert_eq!(after["title"], "Call for international projects 2026 (extended)");
    assert_eq!(after["criteria_read"], shown["criteria_read"], "same criteria, same ids");
    assert_eq!(after["applications"][0]["score"], 100.0);

    let err = refused(liaison(&db).args(["calls", "delete", &call]));
    assert!(err.contains("5 applications") && err.contains("--force"), "{err}");
    liaison(&db).args(["applications", "delete", &weak]).assert().success();
    assert_eq!(list(&db, "applications", &["--call", &call]).len(), 4);
    assert_eq!(list(&db, "calls", &[])[0]["applications"], 4);
}

#[test]
fn search_finds_partners_agreements_and_projects_by_one_name_as_json() {
    let (_dir, db) = workspace();
    let tongji = add(
        &db,
        "partners",
        &serde_json::json!({
            "names": [{"value": "同济大学", "lang": "zh-Hans", "primary": true}, {"value": "Tongji University", "lang": "en"}],
            "country": "CN", "city": "Shanghai"
        }),
    );
    let lyon = partner(&db, "Université Lumière Lyon 2", "fr", "FR");
    let exchange = agreement(&db, "Urban planning exchange", &tongji, &lyon, "2029-08-31", 6);
    let lab =
        add(&db, "projects", &serde_json::json!({"title": "Tongji–Lyon joint lab", "kind": "joint_lab"}));
    let other =
        add(&db, "projects", &serde_json::json!({"title": "Medicine and Humanities", "kind": "flagship"}));

    let found = |q: &str| -> Vec<(String, String)> {
        let hits = json(liaison(&db).args(["search", q, "--json"]));
        let mut found: Vec<(String, String)> = hits
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| {
                (h["entity"].as_str().expect("entity").to_owned(), h["id"].as_str().expect("id").to_owned())
            })
            .collect();
        found.sort();
        found
    };
    let hit = |entity: &str, id: &str| (entity.to_owned(), id.to_owned());
    let mut expected = vec![hit("partner", &tongji), hit("project", &lab)];
    expected.sort();
    assert_eq!(found("tongji"), expected, "the partner by its English name, the project by its title");
    let mut expected = vec![hit("agreement", &exchange), hit("partner", &tongji)];
    expected.sort();
    assert_eq!(
        found("同济"),
        expected,
        "two Chinese characters find the partner, and the agreement by its party"
    );
    let mut expected = vec![hit("agreement", &exchange), hit("partner", &lyon)];
    expected.sort();
    assert_eq!(found("lumiere"), expected, "accents ignored");
    assert_eq!(found("humanities"), [hit("project", &other)], "and nothing that does not match");

    let hits = json(liaison(&db).args(["search", "tongji", "--json"]));
    let partner_hit = hits
        .as_array()
        .expect("hits")
        .iter()
        .find(|h| h["entity"] == "partner")
        .expect("the partner is among the hits");
    assert_eq!(
        (&partner_hit["title"], &partner_hit["subtitle"]),
        (&"同济大学".into(), &"Shanghai, CN".into())
    );
    let text = stdout(liaison(&db).args(["search", "同济"]));
    assert!(text.lines().any(|l| l.starts_with(&tongji) && l.contains("partner")), "{text}");
    assert!(text.lines().any(|l| l.starts_with(&exchange) && l.contains("agreement")), "{text}");

    liaison(&db).args(["agreements", "delete", &exchange]).assert().success();
    assert_eq!(found("同济"), [hit("partner", &tongji)], "a deleted record is not found");
}

#[test]
fn an_overdue_reminder_is_marked_first_until_dismissed_on_this_laptop() {
    let (_dir, db) = workspace();
    let today = chrono::Utc::now().date_naive();
    let tongji = partner(&db, "同济大学", "zh-Hans", "CN");
    let lyon = partner(&db, "Université Lumière Lyon 2", "fr", "FR");
    let ended = today.checked_sub_days(chrono::Days::new(10)).expect("date");
    let late = agreement(&db, "Urban planning exchange", &tongji, &lyon, &ended.to_string(), 0);
    let text = stdout(liaison(&db).arg("reminders"));
    assert!(
        text.starts_with(&format!("{ended}  OVERDUE  agreement expires  Urban planning exchange")),
        "an active agreement ended ten days ago: {text}"
    );
    assert!(text.ends_with("1 overdue, 0 reminders in the next 90 days\n"), "{text}");
    let due = json(liaison(&db).args(["reminders", "--json"]));
    assert_eq!(due[0]["overdue"], true, "{due}");

    let err = refused(liaison(&db).args(["reminders", "dismiss", &late, "--kind", "notice"]));
    assert!(err.contains("agreement_expiry"), "the kinds are named: {err}");
    let done = stdout(liaison(&db).args(["reminders", "dismiss", &late]));
    assert!(done.contains("dismissed on this laptop") && done.contains("agreement_expiry"), "{done}");
    let text = stdout(liaison(&db).arg("reminders"));
    assert!(text.ends_with("0 reminders in the next 90 days\n") && !text.contains("OVERDUE"), "{text}");
    let err = refused(liaison(&db).args(["reminders", "dismiss", &late]));
    assert!(err.contains("no overdue reminder"), "{err}");
}

#[test]
fn reminders_within_days_as_json_and_as_an_ics_file() {
    let (dir, db) = workspace();
    // The CLI reads the wall clock: every date here is days away from today, well inside or outside the window.
    let today = chrono::Utc::now().date_naive();
    let day = |n: u64| today.checked_add_days(chrono::Days::new(n)).expect("date");
    let tongji = partner(&db, "同济大学", "zh-Hans", "CN");
    let lyon = partner(&db, "Université Lumière Lyon 2", "fr", "FR");
    let end = day(60);
    let notice_by = end.checked_sub_months(chrono::Months::new(1)).expect("date");
    let expiring = agreement(&db, "Urban planning exchange", &tongji, &lyon, &end.to_string(), 1);
    agreement(&db, "Double degree in engineering", &tongji, &lyon, &day(400).to_string(), 0);
    let deadline = |title: &str, status: &str, n: u64| {
        add(
            &db,
            "calls",
            &serde_json::json!({
                "title": title, "programme": "IDEXLYON", "status": status,
                "deadline_at": format!("{}T17:00:00+01:00", day(n))
            }),
        )
    };
    let call = deadline("International projects", "open", 10);
    deadline("Closed call", "closed", 12);
    let person = add(
        &db,
        "contacts",
        &serde_json::json!({"family_name": "Wang", "given_name": "Fang", "affiliations": [{"partner_id": tongji}]}),
    );
    let starts = day(20);
    let exchange = add(
        &db,
        "exchanges",
        &serde_json::json!({
            "person_id": person, "direction": "incoming", "category": "student",
            "home_id": tongji, "host_id": lyon, "academic_year": chrono::Datelike::year(&starts),
            "planned_start": starts.to_string(), "planned_end": day(140).to_string(), "status": "accepted"
        }),
    );

    let due = |within: &str| -> Vec<(String, String, String)> {
        let due = json(liaison(&db).args(["reminders", "--within", within, "--json"]));
        due.as_array()
            .expect("reminders")
            .iter()
            .map(|r| {
                let text = |k: &str| r[k].as_str().unwrap_or_else(|| panic!("{k} in {r}")).to_owned();
                (text("kind"), text("date"), text("record_id"))
            })
            .collect()
    };
    let r =
        |kind: &str, date: chrono::NaiveDate, id: &str| (kind.to_owned(), date.to_string(), id.to_owned());
    assert_eq!(
        due("90"),
        [
            r("call_deadline", day(10), &call),
            r("exchange_start", starts, &exchange),
            r("agreement_notice", notice_by, &expiring),
            r("agreement_expiry", end, &expiring),
        ],
        "soonest first; a closed call and an agreement ending in 400 days are not reminders"
    );
    assert_eq!(due("15"), [r("call_deadline", day(10), &call)]);
    assert_eq!(due("5"), []);
    let all = json(liaison(&db).args(["reminders", "--within", "90", "--json"]));
    assert_eq!(all[0]["detail"], "17:00 UTC+01:00 — IDEXLYON");
    assert_eq!(all[1]["detail"], "同济大学 → Université Lumière Lyon 2");

    let ics = dir.path().join("reminders.ics");
    let text = stdout(liaison(&db).args(["reminders", "--within", "90", "--ics"]).arg(&ics));
    assert!(text.ends_with("4 reminders in the next 90 days\n"), "{text}");
    let calendar = std::fs::read_to_string(&ics).expect("the .ics file was written");
    assert!(calendar.starts_with("BEGIN:VCALENDAR"), "{calendar}");
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 4, "{calendar}");
    let compact = |d: chrono::NaiveDate| d.format("%Y%m%d").to_string();
    assert!(calendar.contains(&format!("UID:{expiring}-AgreementExpiry@liaison")), "{calendar}");
    assert!(calendar.contains(&format!("DTSTART;VALUE=DATE:{}", compact(end))), "{calendar}");
    assert!(calendar.contains(&format!("DTEND;VALUE=DATE:{}", compact(day(61)))), "{calendar}");
    assert!(calendar.contains("SUMMARY:Call deadline: International projects"), "{calendar}");
    let uids = |text: &str| -> Vec<String> {
        text.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect()
    };
    liaison(&db).args(["reminders", "--within", "90", "--ics"]).arg(&ics).assert().success();
    let again = std::fs::read_to_string(&ics).expect("rewritten");
    assert_eq!(uids(&again), uids(&calendar), "stable ids, so a re-import updates rather than doubles");
}

#[test]
fn bad_projects_events_calls_and_applications_fail_with_one_line_naming_the_field_and_write_nothing() {
    let (_dir, db) = workspace();
    let lyon = partner(&db, "Université Lumière Lyon 2", "fr", "FR");
    let tongji = partner(&db, "同济大学", "zh-Hans", "CN");
    add(&db, "projects", &serde_json::json!({"title": "Medicine and Humanities", "kind": "flagship"}));
    let call = add(
        &db,
        "calls",
        &serde_json::json!({"title": "International projects", "criteria": [{"name": "Quality", "weight": 1, "max_score": 5}]}),
    );
    let criterion =
        json(liaison(&db).args(["calls", "show", &call, "--json"]))["criteria_read"][0]["id"].clone();
    let application = add(
        &db,
        "applications",
        &serde_json::json!({
            "call_id": call, "title": "Urban heritage", "lead_id": lyon,
            "partners": [{"partner_id": tongji}], "status": "submitted"
        }),
    );
    let nobody = "0195e7a0-0000-7000-8000-000000000000";
    let counts = || ["projects", "events", "calls", "applications"].map(|noun| list(&db, noun, &[]).len());
    let before = counts();
    assert_eq!(before, [1, 0, 1, 1]);

    let cases = [
        (
            "projects",
            serde_json::json!({"title": "P", "kind": "flagship", "budget": -5, "currency": "EUR"}),
            "budget",
        ),
        (
            "projects",
            serde_json::json!({"title": "P", "kind": "flagship", "start_date": "2027-01-01", "end_date": "2026-01-01"}),
            "end_date",
        ),
        ("projects", serde_json::json!({"title": "P", "kind": "castle"}), "kind"),
        (
            "events",
            serde_json::json!({"title": "E", "kind": "webinar", "start_date": "2026-09-24", "attended": -1}),
            "attended",
        ),
        ("events", serde_json::json!({"title": "E", "kind": "webinar"}), "start_date"),
        (
            "events",
            serde_json::json!({"title": "E", "kind": "webinar", "start_date": "2026-09-24", "project_id": nobody}),
            "project_id",
        ),
        (
            "calls",
            serde_json::json!({
                "title": "C", "opens_at": "2026-03-01T09:00:00+01:00", "deadline_at": "2026-02-01T17:00:00+01:00"
            }),
            "deadline_at",
        ),
        ("calls", serde_json::json!({"title": "C", "deadline_at": "16 March 2026"}), "deadline_at"),
        (
            "calls",
            serde_json::json!({"title": "C", "criteria": [{"name": "Q", "weight": 0, "max_score": 5}]}),
            "criteria[0].weight",
        ),
        (
            "applications",
            serde_json::json!({"call_id": call, "title": "A", "lead_id": lyon, "requested": -1}),
            "requested",
        ),
        ("applications", serde_json::json!({"title": "A", "lead_id": lyon}), "call_id"),
        (
            "applications",
            serde_json::json!({
                "call_id": call, "title": "A", "lead_id": lyon,
                "reviews": [{"scores": [{"criterion_id": criterion, "score": 6}]}]
            }),
            "reviews[0].scores[0].score",
        ),
    ];
    for (noun, input, field) in cases {
        let err = refused(liaison(&db).args([noun, "add", "--json", "-"]).write_stdin(input.to_string()));
        assert!(err.contains(&format!("{field}: ")), "{noun} {input} → {err}");
    }

    // An edit the workflow does not allow is refused too, and the application keeps its status.
    let mut edit = json(liaison(&db).args(["applications", "show", &application, "--json"]));
    edit["status"] = "funded".into();
    let err = refused(
        liaison(&db)
            .args(["applications", "update", &application, "--json", "-"])
            .write_stdin(edit.to_string()),
    );
    assert!(err.contains("status: an application cannot go from submitted to funded"), "{err}");
    let shown = json(liaison(&db).args(["applications", "show", &application, "--json"]));
    assert_eq!(shown["status"], "submitted");
    let history = json(liaison(&db).args(["history", &application, "--json"]));
    assert_eq!(history.as_array().map(Vec::len), Some(1), "only its creation: {history}");
    assert_eq!(counts(), before, "nothing was written");
}

#[test]
fn the_dashboard_prints_each_zone_and_all_zones_with_agreements_and_applications_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    let figures = json(liaison(&db).args(["dashboard", "--json"]));
    let text = stdout(liaison(&db).arg("dashboard"));
    let header = text.lines().next().expect("a header");
    assert!(header.contains("agreements") && header.contains("applications"), "{header}");
    let all = text.lines().find(|l| l.starts_with("all zones")).expect("an all-zones line");
    let numbers: Vec<i64> = all.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let applications: i64 = figures["applications"]
        .as_array()
        .expect("by status")
        .iter()
        .map(|s| s["count"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(
        numbers,
        [
            56,
            figures["agreements_in_force"].as_i64().expect("in force"),
            figures["totals"]["incoming"].as_i64().expect("in"),
            figures["totals"]["outgoing"].as_i64().expect("out"),
            applications
        ],
        "{all}"
    );
    assert_eq!(applications, 8, "the demo's eight applications, each once");
    let china = text.lines().find(|l| l.starts_with("china")).expect("China's line");
    let in_china =
        figures["zones"].as_array().expect("zones").iter().find(|z| z["zone"] == "china").expect("China");
    assert!(china.trim_end().ends_with(&in_china["applications"].to_string()), "{china}");
}

#[test]
fn a_mistyped_db_path_is_said_and_not_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("liason.sqlite3");
    let err = refused(liaison(&missing).args(["partners", "list"]));
    assert!(err.contains("no workspace at") && err.contains("liason.sqlite3"), "{err}");
    assert!(!missing.exists(), "a read command creates no database");
    liaison(&missing).args(["init", "--name", "Lyon"]).assert().success();
    assert!(missing.exists(), "init creates it");
    stdout(liaison(&missing).args(["partners", "list"]));
}

#[test]
fn extreme_years_are_refused_in_words_not_by_a_crash() {
    let (_dir, db) = workspace();
    for year in ["9223372036854775807", "0", "30000"] {
        let err = refused(liaison(&db).args(["dashboard", "--year", year]));
        assert!(err.contains("academic_year") && err.contains("not an academic year"), "{year} → {err}");
    }
    let p = partner(&db, "Universidade de São Paulo", "pt-BR", "BR");
    let lyon = partner(&db, "Université Lyon 1", "fr", "FR");
    let agreement = serde_json::json!({
        "title": "Far future", "kind": "student_exchange",
        "parties": [{"partner_id": p}, {"partner_id": lyon}],
        "conditions": [{"mobility": "student_study", "sending_id": p, "receiving_id": lyon, "places": 2,
                        "first_year": 2025, "last_year": 9223372036854775807_i64}]
    });
    let err =
        refused(liaison(&db).args(["agreements", "add", "--json", "-"]).write_stdin(agreement.to_string()));
    assert!(err.contains("conditions[0].last_year"), "{err}");
}

#[test]
fn text_output_names_partners_in_english_with_their_own_script_beside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    let japan = stdout(liaison(&db).args(["partners", "list", "--zone", "japan"]));
    assert!(japan.contains("Tohoku University (東北大学)"), "{japan}");
    assert!(!japan.lines().any(|l| l.contains("  東北大学")), "never the Japanese name alone: {japan}");
    let exchanges = stdout(liaison(&db).args(["exchanges", "list", "--limit", "5"]));
    assert!(exchanges.contains("Tongji University (同济大学) → "), "{exchanges}");
    let found = stdout(liaison(&db).args(["search", "上海交通"]));
    assert!(found.contains("Shanghai Jiao Tong University (上海交通大学)"), "{found}");
    let person = stdout(liaison(&db).args(["search", "sato"]));
    assert!(person.contains("— Tohoku University (東北大学)"), "a person's organisation too: {person}");
    let json = list(&db, "partners", &["--zone", "japan"]);
    assert!(json.iter().any(|r| r["name"] == "東北大学"), "JSON keeps the primary names");
}

#[test]
fn agreement_lists_conditions_reminders_and_search_name_parties_in_english_with_their_own_script_beside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    let agreements = stdout(liaison(&db).args(["agreements", "list"]));
    assert!(
        agreements.contains("— Tongji University (同济大学) · Lumière University Lyon 2"),
        "the list's parties: {agreements}"
    );
    assert!(!agreements.contains("· 同济大学"), "never the Chinese name alone: {agreements}");
    let id = agreements
        .lines()
        .find(|l| l.contains("[SE-TJ-LY2-2023]"))
        .and_then(|l| l.split_whitespace().next())
        .expect("the Tongji urban planning exchange is listed");
    let shown = stdout(liaison(&db).args(["agreements", "show", id]));
    assert!(
        shown.contains("condition: student_study Tongji University (同济大学) → Lumière University Lyon 2"),
        "conditions: {shown}"
    );
    assert!(shown.contains("Tongji University (同济大学) → Lumière University Lyon 2: 20 of 20"), "{shown}");
    let due = stdout(liaison(&db).arg("reminders"));
    assert!(
        due.contains(
            "Medicine and Humanities — University of Ottawa · Shanghai Jiao Tong University (上海交通大学)"
        ),
        "a reminder's parties: {due}"
    );
    assert!(
        due.contains("— Tongji University (同济大学) → Lumière University Lyon 2"),
        "an exchange's route: {due}"
    );
    let found = stdout(liaison(&db).args(["search", "urban planning exchange"]));
    assert!(found.contains("— Tongji University (同济大学) · Lumière University Lyon 2"), "{found}");
}
