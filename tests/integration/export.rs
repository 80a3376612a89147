//! `liaison export` run as a process on the demo workspace: every kind of list to CSV, XLSX and JSON, read
//! back (XLSX with calamine) against the list itself; French headers and Excel's French CSV; text that
//! would run in a spreadsheet stays text; a filtered export holds only the filtered rows; contacts to vCard;
//! and a real client, LibreOffice, opens each XLSX export and converts it to the same CSV as our own.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::process::liaison;

const KINDS: [&str; 8] =
    ["partners", "contacts", "agreements", "exchanges", "projects", "events", "calls", "applications"];

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).expect("utf-8")
}

fn refused(cmd: &mut Command) -> String {
    let out = cmd.assert().code(1).get_output().clone();
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    err
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    (dir, db)
}

/// The ids of `liaison KIND list --all` with more arguments, in the order the list shows them to a reader
/// (partners sorted by their English names, as `export --lang en` sorts them).
fn listed(db: &Path, kind: &str, args: &[&str]) -> Vec<String> {
    let out = stdout(liaison(db).args([kind, "list", "--all"]).args(args));
    let ids: Vec<String> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4)
        .map(str::to_owned)
        .collect();
    assert_eq!(ids.len() + 1, out.lines().count(), "one line per record and a footer: {out}");
    ids
}

fn export(db: &Path, kind: &str, out: &Path, args: &[&str]) -> String {
    stdout(liaison(db).args(["export", kind, "--out"]).arg(out).args(args))
}

fn read_csv(path: &Path, delimiter: u8) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("read");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect()).collect()
}

fn read_xlsx(path: &Path) -> (Vec<String>, Vec<Vec<Data>>) {
    let mut book: Xlsx<_> = open_workbook(path).expect("a workbook calamine opens");
    let names = book.sheet_names();
    let range = book.worksheet_range(&names[0]).expect("first sheet");
    let formulas = book.worksheet_formula(&names[0]).expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{}: no cell holds a formula",
        path.display()
    );
    (names, range.rows().map(<[Data]>::to_vec).collect())
}

/// Our CSV's text of a cell with the formula guard taken off (the `'` before text that starts like one).
fn unguarded(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// A typed XLSX cell as our CSV writes it.
fn as_csv_text(cell: &Data, csv: &str) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(true) => "yes".into(),
        Data::Bool(false) => "no".into(),
        Data::DateTime(d) => {
            let d = d.as_datetime().expect("a date in range");
            if csv.len() == 10 {
                d.format("%Y-%m-%d").to_string()
            } else {
                d.format("%Y-%m-%d %H:%M").to_string()
            }
        }
        other => panic!("unexpected cell {other:?}"),
    }
}

#[test]
fn every_kind_exports_to_csv_xlsx_and_json_that_read_back_as_the_list() {
    let (dir, db) = demo();
    let mut typed_dates = 0;
    for kind in KINDS {
        let ids = listed(&db, kind, &[]);
        assert!(!ids.is_empty(), "the demo has {kind}");
        let csv_path = dir.path().join(format!("{kind}.csv"));
        let said = export(&db, kind, &csv_path, &[]);
        assert_eq!(said.trim(), format!("Wrote {} {kind} to {}", ids.len(), csv_path.display()));
        let csv = read_csv(&csv_path, b',');
        assert_eq!(csv[0][0], "Liaison id", "{kind}: the first column carries the id");
        assert_eq!(csv.len(), ids.len() + 1, "{kind}: a header and one line per record");
        let csv_ids: Vec<&str> = csv[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(csv_ids, ids, "{kind}: the list's records, in its order");
        assert!(csv.iter().all(|r| r.len() == csv[0].len()), "{kind}: every line has every column");

        let xlsx_path = dir.path().join(format!("{kind}.xlsx"));
        export(&db, kind, &xlsx_path, &["--format", "xlsx"]);
        let (sheets, rows) = read_xlsx(&xlsx_path);
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].to_lowercase(), kind, "the sheet is named after the kind");
        assert_eq!(rows.len(), csv.len(), "{kind}: as many rows as the CSV");
        for (r, (row, line)) in rows.iter().zip(&csv).enumerate() {
            for (c, (cell, text)) in row.iter().zip(line).enumerate() {
                assert_eq!(as_csv_text(cell, text), unguarded(text), "{kind} row {r} column {}", csv[0][c]);
                if r > 0 && matches!(cell, Data::DateTime(_)) {
                    typed_dates += 1;
                }
            }
        }

        let json_path = dir.path().join(format!("{kind}.json"));
        export(&db, kind, &json_path, &[]);
        let records: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(&json_path).expect("read")).expect("a JSON array");
        let json_ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().expect("id")).collect();
        assert_eq!(json_ids, ids, "{kind}: the JSON array holds the list's records in order");
        let shown = stdout(liaison(&db).args([kind, "show", &ids[0], "--json"]));
        let shown: serde_json::Value = serde_json::from_str(&shown).expect("JSON");
        assert_eq!(records[0], shown, "{kind}: each record as `{kind} show --json` prints it");
    }
    assert!(typed_dates > 100, "dates are written as date cells ({typed_dates} found)");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".liaison-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left beside the exports");
}

#[test]
fn french_headers_and_excels_french_csv() {
    let (dir, db) = demo();
    let path = dir.path().join("partenaires.csv");
    export(&db, "partners", &path, &["--lang", "fr", "--excel-csv"]);
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a UTF-8 BOM for Excel");
    let rows = read_csv(&path, b';');
    assert_eq!(rows[0][0], "Identifiant Liaison");
    assert!(rows[0].iter().any(|h| h == "Pays"), "French headers: {:?}", rows[0]);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "`;` separates the cells");
    let xlsx = dir.path().join("partenaires.xlsx");
    export(&db, "partners", &xlsx, &["--lang", "fr"]);
    let (sheets, _) = read_xlsx(&xlsx);
    assert_eq!(sheets, ["Partenaires"]);
}

#[test]
fn text_that_would_run_in_a_spreadsheet_stays_text() {
    let (dir, db) = demo();
    let payloads = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1+2",
        "-2+3",
        "@SUM(A1:A2)",
        "=cmd|' /C calc'!A0",
    ];
    let mut ids = Vec::new();
    for (i, payload) in payloads.iter().enumerate() {
        let input = serde_json::json!({
            "names": [{"value": format!("Evil {i}"), "lang": "en", "primary": true}],
            "kind": "university",
            "country": "FR",
            "status": "active",
            "notes": payload,
        });
        let id = stdout(liaison(&db).args(["partners", "add", "--json", "-"]).write_stdin(input.to_string()));
        ids.push(id.trim().to_owned());
    }
    let csv_path = dir.path().join("evil.csv");
    export(&db, "partners", &csv_path, &["--search", "Evil"]);
    let csv = read_csv(&csv_path, b',');
    let notes = csv[0].iter().position(|h| h == "Notes").expect("a Notes column");
    let mut written: Vec<&str> = csv[1..].iter().map(|r| r[notes].as_str()).collect();
    written.sort_unstable();
    let mut expected: Vec<String> = payloads.iter().map(|p| format!("'{p}")).collect();
    expected.sort_unstable();
    assert_eq!(written, expected, "each formula is prefixed with ' in CSV");

    let xlsx_path = dir.path().join("evil.xlsx");
    export(&db, "partners", &xlsx_path, &["--search", "Evil"]);
    let (_, rows) = read_xlsx(&xlsx_path);
    let mut cells: Vec<String> = rows[1..]
        .iter()
        .map(|r| match &r[notes] {
            Data::String(s) => s.clone(),
            other => panic!("a string cell, not {other:?}"),
        })
        .collect();
    cells.sort_unstable();
    let mut payloads = payloads.map(str::to_owned).to_vec();
    payloads.sort_unstable();
    assert_eq!(cells, payloads, "each formula is kept exactly, as a string cell");
}

#[test]
fn a_filtered_export_holds_only_the_filtered_rows() {
    let (dir, db) = demo();
    for (kind, args) in [
        ("exchanges", &["--direction", "incoming"][..]),
        ("exchanges", &["--cohort", "Tongji urban planning 2026"]),
        ("partners", &["--zone", "china"]),
        ("partners", &["--search", "lyon"]),
        ("agreements", &["--status", "active"]),
        ("applications", &["--status", "selected"]),
    ] {
        let all = listed(&db, kind, &[]);
        let ids = listed(&db, kind, args);
        assert!(!ids.is_empty() && ids.len() < all.len(), "{kind} {args:?} filters the demo: {}", ids.len());
        let path = dir.path().join("filtered.csv");
        export(&db, kind, &path, args);
        let csv = read_csv(&path, b',');
        let exported: Vec<&str> = csv[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(exported, ids, "{kind} {args:?}: the filtered list, in its order");
    }
}

#[test]
fn contacts_export_to_vcard_four() {
    let (dir, db) = demo();
    let ids = listed(&db, "contacts", &[]);
    let path = dir.path().join("contacts.vcf");
    export(&db, "contacts", &path, &[]);
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(text.matches("BEGIN:VCARD\r\nVERSION:4.0\r\n").count(), ids.len(), "one card per contact");
    assert_eq!(text.matches("END:VCARD\r\n").count(), ids.len());
    for id in &ids {
        assert!(text.contains(&format!("UID:urn:uuid:{id}\r\n")), "{id}");
    }
    assert!(text.split("\r\n").all(|l| l.len() <= 75), "lines folded at 75 octets");
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF line ends only");
}

#[test]
fn exports_that_cannot_be_are_refused_in_one_line_and_leave_no_file() {
    let (dir, db) = demo();
    let out = dir.path().join("partners.vcf");
    let err = refused(liaison(&db).args(["export", "partners", "--out"]).arg(&out));
    assert!(err.contains("contacts"), "{err}");
    let err = refused(
        liaison(&db).args(["export", "partners", "--excel-csv", "--format", "xlsx", "--out"]).arg(&out),
    );
    assert!(err.contains("CSV"), "{err}");
    refused(liaison(&db).args(["export", "partners", "--out"]).arg(dir.path().join("partners.pdf")));
    let missing = dir.path().join("no-such-dir").join("p.csv");
    let err = refused(liaison(&db).args(["export", "partners", "--out"]).arg(&missing));
    assert!(err.contains("p.csv"), "the error names the file: {err}");
    let existing = dir.path().join("kept.csv");
    std::fs::write(&existing, "kept").expect("write");
    refused(liaison(&db).args(["export", "partners", "--format", "vcf", "--out"]).arg(&existing));
    assert_eq!(std::fs::read_to_string(&existing).expect("read"), "kept", "a refused export leaves the file");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2, "no other file was written");
}

/// LibreOffice (headless) opens each XLSX export and converts it to CSV: the same cells as our CSV export
/// (ours puts `'` before text that starts like a formula; LibreOffice writes a string cell's text as is).
/// In CI (`CI` set) a missing `soffice` fails the test; on a developer's machine it is skipped, saying so.
#[test]
fn libreoffice_converts_each_xlsx_export_to_our_csv() {
    let Some(soffice) = soffice() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have LibreOffice: `make test-deps` installs it");
        eprintln!("skipped: soffice is not installed (apt-get install libreoffice-calc-nogui)");
        return;
    };
    let (dir, db) = demo();
    let mut books = Vec::new();
    for kind in KINDS {
        export(&db, kind, &dir.path().join(format!("{kind}.csv")), &[]);
        let book = dir.path().join(format!("{kind}.xlsx"));
        export(&db, kind, &book, &[]);
        books.push(book);
    }
    let converted = dir.path().join("libreoffice");
    let profile = dir.path().join("profile");
    let status = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir"])
        .arg(&converted)
        .args(&books)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice converted the workbooks");
    for kind in KINDS {
        let ours = read_csv(&dir.path().join(format!("{kind}.csv")), b',');
        let theirs = read_csv(&converted.join(format!("{kind}.csv")), b',');
        assert_eq!(theirs.len(), ours.len(), "{kind}: as many rows");
        for (r, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            let a: Vec<&str> = a.iter().map(|t| unguarded(t)).collect();
            let b: Vec<String> = b
                .iter()
                .map(|t| match t.as_str() {
                    "TRUE" => "yes".to_owned(),
                    "FALSE" => "no".to_owned(),
                    t => t.to_owned(),
                })
                .collect();
            assert_eq!(a, b, "{kind}: row {r} as LibreOffice reads the workbook");
        }
    }
}

fn soffice() -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join("soffice"))
        .find(|p| p.is_file())
}
