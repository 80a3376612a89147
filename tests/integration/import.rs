//! `liaison import` run as a process on the files offices send: a French `;` Windows-1252 partner list with
//! a column mapped by hand, a dry run, all-or-nothing, the valid rows kept with a rejects file that imports
//! once fixed, and re-imports that update and never duplicate.

use std::path::{Path, PathBuf};

use crate::process::liaison;

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    liaison(&db).args(["init", "--name", "Lyon"]).assert().success();
    (dir, db)
}

fn ops(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row("SELECT count(*) FROM op", [], |r| r.get(0)).expect("ops")
}

fn partners(db: &Path) -> Vec<(String, Option<String>, Option<String>)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt =
        conn.prepare("SELECT name, country, city FROM partner_summary ORDER BY sort_name").expect("query");
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).expect("rows");
    rows.collect::<Result<_, _>>().expect("read")
}

/// Text as French Excel saves it: Windows-1252 (every character here is in it), CRLF line ends.
fn windows_1252(text: &str) -> Vec<u8> {
    text.replace('\n', "\r\n")
        .chars()
        .map(|c| match c {
            'é' => 0xE9,
            'è' => 0xE8,
            'ô' => 0xF4,
            c if c.is_ascii() => c as u8,
            other => panic!("{other} is not in this test's Windows-1252 table"),
        })
        .collect()
}

const FRENCH: &str = "Nom;Pays;Ville;Identifiant ROR maison\n\
    Université Fudan;Chine;Shanghai;013q1eq08\n\
    Université de Montréal;Canada;Montréal;0161xgx34\n\
    Université de Kyoto;Japon;Kyoto;\n\
    Université fantôme;Chinee;Nulle part;\n";

fn run(db: &Path, file: &Path, args: &[&str]) -> (i32, String, String) {
    let out = liaison(db).arg("import").arg(file).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn a_french_windows_1252_file_is_planned_then_imported_valid_rows_first_and_its_rejects_once_fixed() {
    let (dir, db) = workspace();
    let file = dir.path().join("partenaires.csv");
    std::fs::write(&file, windows_1252(FRENCH)).expect("file");
    let map = ["--map", "Identifiant ROR maison=ror"];

    // The dry run says what would happen to each row, names the bad cell, and writes nothing.
    // Any command's first opening refreshes the planner's statistics (`PRAGMA optimize`): a read does it here,
    // so that the bytes compared are those the dry run alone could change.
    liaison(&db).args(["partners", "list"]).assert().success();
    let ops_before = ops(&db);
    let before = std::fs::read(&db).expect("db bytes");
    let (code, out, _) = run(&db, &file, &[map[0], map[1], "--dry-run", "--json"]);
    assert_eq!(code, 0, "{out}");
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON ({e}): {out}"));
    assert_eq!(plan["file"]["encoding"], "windows-1252", "{}", plan["file"]);
    assert_eq!(plan["file"]["delimiter"], ";");
    assert_eq!(plan["file"]["kind"], "partner", "guessed from the headers");
    let actions: Vec<&str> = plan["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["create", "create", "create", "error"]);
    let error = &plan["rows"][3]["errors"][0];
    assert_eq!((error["row"].as_i64(), error["column"].as_str()), (Some(5), Some("Pays")), "{error}");
    assert!(
        std::fs::read(&db).expect("db bytes") == before,
        "a dry run leaves the database's bytes as they were"
    );
    assert_eq!(ops(&db), ops_before, "a dry run logs nothing");

    // Text output: the detected encoding and delimiter, the error line, and all or nothing by default.
    let (code, out, err) = run(&db, &file, &map);
    assert_eq!(code, 1, "errors: exit 1 ({out}{err})");
    assert!(out.contains("windows-1252") && out.contains("delimiter ;"), "{out}");
    assert!(out.contains("row 5, column Pays: "), "{out}");
    assert!(err.starts_with("error: ") && err.contains("nothing was written"), "{err}");
    assert_eq!(ops(&db), ops_before, "one error, nothing written");
    assert!(partners(&db).is_empty());

    // The valid rows, and the others in a rejects file with the reason, in French like the file.
    let rejects = dir.path().join("rejets.csv");
    let (code, out, err) =
        run(&db, &file, &[map[0], map[1], "--skip-invalid", rejects.to_str().expect("path")]);
    assert_eq!(code, 0, "{out}{err}");
    let names: Vec<String> = partners(&db).into_iter().map(|p| p.0).collect();
    assert_eq!(names, ["Université de Kyoto", "Université de Montréal", "Université Fudan"]);
    let rejected = std::fs::read_to_string(&rejects).expect("rejects file");
    let mut lines = rejected.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("Nom;Pays;Ville;Identifiant ROR maison;Raison"));
    let line = lines.next().expect("the rejected row");
    assert!(line.starts_with("Université fantôme;Chinee;Nulle part;;") && line.contains("Pays: "), "{line}");

    // Fixed, the rejects file imports (its extra Reason column is left out, the mapping remembered).
    std::fs::write(&rejects, rejected.replace(";Chinee;", ";Chine;")).expect("fixed");
    let (code, out, err) = run(&db, &rejects, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Raison"), "the reason column is listed as left out: {out}");
    assert!(out.contains("1 row: 1 were created") || out.contains("1 were created"), "{out}");
    assert_eq!(partners(&db).len(), 4);

    // The whole file again, mapping remembered: nothing changes, not even the op log.
    std::fs::write(&file, windows_1252(&FRENCH.replace(";Chinee;", ";Chine;"))).expect("file");
    let settled = ops(&db);
    let (code, out, err) = run(&db, &file, &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(plan["file"]["remembered"], true, "the hand mapping is remembered for the same headers");
    assert_eq!(plan["summary"]["unchanged"], 4, "{}", plan["summary"]);
    assert_eq!(plan["summary"]["written"], false);
    assert_eq!(ops(&db), settled, "importing the same file twice changes nothing the second time");

    // An edited file updates, never duplicates: Kyoto's city, found by name and country; Fudan by its ROR.
    let edited = FRENCH
        .replace(";Chinee;", ";Chine;")
        .replace("Japon;Kyoto;", "Japon;Kyōto-shi;")
        .replace("Université Fudan;", "Fudan University;");
    std::fs::write(&file, edited.replace("Kyōto-shi", "Sakyo")).expect("file");
    let (code, out, err) = run(&db, &file, &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let rows = plan["rows"].as_array().expect("rows");
    assert_eq!(rows[0]["action"], "update", "{}", rows[0]);
    assert_eq!(rows[0]["matched_by"], "ROR 013q1eq08");
    assert_eq!(rows[2]["action"], "update", "{}", rows[2]);
    let change = &rows[2]["changes"][0];
    assert_eq!(
        (change["field"].as_str(), change["column"].as_str()),
        (Some("city"), Some("Ville")),
        "{change}"
    );
    assert_eq!((change["old"].as_str(), change["new"].as_str()), (Some("Kyoto"), Some("Sakyo")));
    assert_eq!(partners(&db).len(), 4, "updates, not duplicates");
}

#[test]
fn two_rows_that_are_the_same_record_are_an_error_naming_both() {
    let (dir, db) = workspace();
    let file = dir.path().join("partners.csv");
    std::fs::write(
        &file,
        "Name,Country,ROR\nFudan University,CN,013q1eq08\nFudan,CN,https://ror.org/013q1eq08\n",
    )
    .expect("file");
    let (code, out, _) = run(&db, &file, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("row 3: this row and row 2 are the same partner (same ROR 013q1eq08)"), "{out}");
    assert!(partners(&db).is_empty());
}

#[test]
fn an_organisation_named_that_is_none_here_is_reported_and_created_when_asked() {
    let (dir, db) = workspace();
    let file = dir.path().join("projets.csv");
    std::fs::write(&file, "Titre,Type,Partenaires\nLab Tongji,joint_lab,Université Tongji\n").expect("file");
    let (code, out, err) = run(&db, &file, &["--entity", "projects", "--dry-run", "--create-missing"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Organisation “Université Tongji” (rows 2) would be created as a partner"), "{out}");
    assert!(partners(&db).is_empty(), "a dry run creates nothing");
    let (code, out, err) = run(&db, &file, &["--entity", "projects", "--create-missing"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(partners(&db).len(), 1, "{out}");
}
