//! `liaison report` run as a process on the demo workspace, every kind `liaison report --list` names, read
//! back by real clients: each PDF through poppler (pdftotext finds every Chinese, Japanese and Korean name
//! the report holds and its page numbers; pdftoppm draws each page), each XLSX opened and written again by
//! LibreOffice with all its charts. In CI (`CI` set) a missing tool fails the test; on a developer's
//! machine the test is skipped, saying so.

use std::path::{Path, PathBuf};

use crate::process::liaison;

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    liaison(&db).arg("demo").assert().success();
    (dir, db)
}

fn tool(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|dir| Path::new(dir).join(name)).find(|p| p.is_file())
}

/// The tool, or `None` on a developer's machine without it (the test then says it is skipped).
fn required(name: &str, package: &str) -> Option<PathBuf> {
    let found = tool(name);
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must have {name}: `make test-deps` installs {package}");
        eprintln!("skipped: {name} is not installed (apt-get install {package})");
    }
    found
}

/// The codes of every report, as `liaison report --list --json` gives them.
fn kinds(db: &Path) -> Vec<String> {
    let out = liaison(db).args(["report", "--list", "--json"]).assert().success().get_output().stdout.clone();
    let list: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    let kinds: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["code"].as_str().expect("a code").to_owned())
        .collect();
    assert!(kinds.len() >= 7 && kinds.contains(&"agreements".to_owned()), "{kinds:?}");
    kinds
}

/// The report as JSON, as `liaison report KIND --json` prints it.
fn report_json(db: &Path, kind: &str, lang: &str) -> serde_json::Value {
    let run = liaison(db).args(["report", kind, "--json", "--lang", lang]).output().expect("liaison runs");
    assert!(run.status.success(), "{kind}: {}", String::from_utf8_lossy(&run.stderr));
    serde_json::from_slice(&run.stdout).expect("JSON")
}

/// Writes the report to `out` through the CLI; its error, if it refused.
fn write(db: &Path, kind: &str, lang: &str, out: &Path) -> Result<(), String> {
    let run =
        liaison(db).args(["report", kind, "--lang", lang, "--out"]).arg(out).output().expect("liaison runs");
    if run.status.success() && out.is_file() {
        Ok(())
    } else {
        Err(format!("{kind} ({lang}): {}", String::from_utf8_lossy(&run.stderr).trim()))
    }
}

fn cjk(c: char) -> bool {
    matches!(u32::from(c), 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF)
}

/// Every run of Chinese, Japanese or Korean characters in the report's texts: "上海交通大学", "東北大学".
fn cjk_runs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => {
            let mut run = String::new();
            for c in text.chars().chain([' ']) {
                if cjk(c) {
                    run.push(c);
                } else if !run.is_empty() {
                    out.push(std::mem::take(&mut run));
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| cjk_runs(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| cjk_runs(v, out)),
        _ => {}
    }
}

/// The PDF's text, one string per page, as poppler reads it (in the order it was drawn).
fn pdf_pages(pdftotext: &Path, pdf: &Path) -> Vec<String> {
    let run =
        std::process::Command::new(pdftotext).arg("-raw").arg(pdf).arg("-").output().expect("pdftotext");
    assert!(run.status.success(), "pdftotext read {}", pdf.display());
    let text = String::from_utf8(run.stdout).expect("UTF-8");
    text.split('\u{c}').filter(|page| !page.trim().is_empty()).map(str::to_owned).collect()
}

/// Every report as a PDF, English and French: every CJK name it holds is in its text, each page says
/// "Page i / n", and poppler draws every page.
#[test]
fn each_report_as_pdf_holds_every_name_and_page_numbers_and_every_page_renders() {
    let (Some(pdftotext), Some(pdftoppm)) =
        (required("pdftotext", "poppler-utils"), required("pdftoppm", "poppler-utils"))
    else {
        return;
    };
    let (dir, db) = demo();
    let mut refused = Vec::new();
    let mut everything = String::new();
    for kind in kinds(&db) {
        for lang in ["en", "fr"] {
            let pdf = dir.path().join(format!("{kind}-{lang}.pdf"));
            if let Err(e) = write(&db, &kind, lang, &pdf) {
                refused.push(e);
                continue;
            }
            let bytes = std::fs::read(&pdf).expect("read");
            assert!(bytes.starts_with(b"%PDF-"), "{kind}: a PDF");
            let pages = pdf_pages(&pdftotext, &pdf);
            let n = pages.len();
            assert!(n >= 2, "{kind}: a title page and the sections");
            for (i, page) in pages.iter().enumerate() {
                assert!(
                    page.contains(&format!("Page {} / {n}", i + 1)),
                    "{kind} ({lang}) page {}: {page}",
                    i + 1
                );
            }
            let words = if lang == "en" { "Figures as of" } else { "Chiffres au" };
            assert!(pages[0].contains(words), "{kind} ({lang}): {}", pages[0]);
            // A cell's lines follow one another in drawing order; a name may wrap within its cell.
            let packed: String = pages.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let mut names = Vec::new();
            let mut report = report_json(&db, &kind, lang);
            for section in report["sections"].as_array_mut().expect("sections") {
                // A PDF shows a table's first 500 rows (liaison_pdf::MAX_ROWS), the XLSX all of them.
                section["rows"].as_array_mut().expect("rows").truncate(500);
            }
            cjk_runs(&report, &mut names);
            for name in &names {
                assert!(packed.contains(name.as_str()), "{kind} ({lang}): {name} is in the PDF's text");
            }
            everything.push_str(&packed);

            let drawn = dir.path().join(format!("{kind}-{lang}"));
            std::fs::create_dir(&drawn).expect("dir");
            let status = std::process::Command::new(&pdftoppm)
                .args(["-r", "30", "-png"])
                .arg(&pdf)
                .arg(drawn.join("page"))
                .stderr(std::process::Stdio::null())
                .status()
                .expect("pdftoppm");
            assert!(status.success(), "{kind}: pdftoppm drew the pages");
            let images: Vec<u64> = std::fs::read_dir(&drawn)
                .expect("dir")
                .map(|e| e.expect("entry").metadata().expect("size").len())
                .collect();
            assert_eq!(images.len(), n, "{kind}: an image per page");
            assert!(images.iter().all(|&size| size > 1000), "{kind}: pages with something drawn: {images:?}");
        }
    }
    assert!(refused.is_empty(), "every report is written as PDF: {refused:?}");
    for name in ["上海交通大学", "東北大学", "复旦大学"] {
        assert!(everything.contains(name), "{name} is in the demo's reports");
    }
}

/// Every report as XLSX: as many native charts as it has sections with a chart and rows, and LibreOffice
/// opens each workbook and writes it again with all of them.
#[test]
fn each_report_as_xlsx_opens_in_libreoffice_with_its_charts() {
    let Some(soffice) = required("soffice", "libreoffice-calc-nogui") else {
        return;
    };
    let (dir, db) = demo();
    let mut books = Vec::new();
    let mut refused = Vec::new();
    for kind in kinds(&db) {
        let book = dir.path().join(format!("{kind}.xlsx"));
        if let Err(e) = write(&db, &kind, "en", &book) {
            refused.push(e);
            continue;
        }
        let report = report_json(&db, &kind, "en");
        let charted = report["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter(|s| !s["chart"].is_null() && !s["rows"].as_array().expect("rows").is_empty())
            .count();
        assert_eq!(charts(&book), charted, "{kind}: a chart per section that has one");
        books.push((kind, book, charted));
    }
    assert!(refused.is_empty(), "every report is written as XLSX: {refused:?}");
    assert!(books.iter().any(|(_, _, charted)| *charted > 0), "the demo's reports have charts");
    let converted = dir.path().join("libreoffice");
    let status = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", dir.path().join("profile").display()))
        .args(["--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
        .arg(&converted)
        .args(books.iter().map(|(_, book, _)| book))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice converted the workbooks");
    for (kind, _, charted) in &books {
        let again = converted.join(format!("{kind}.xlsx"));
        assert!(again.is_file(), "{kind}: LibreOffice wrote it again");
        assert_eq!(charts(&again), *charted, "{kind}: LibreOffice read every chart");
    }
}

/// How many charts a workbook holds (xl/charts/chartN.xml).
fn charts(book: &Path) -> usize {
    let zip = zip::ZipArchive::new(std::fs::File::open(book).expect("open")).expect("a zip");
    zip.file_names()
        .map(|n| n.expect("a file name").into_owned())
        .filter(|n| n.starts_with("xl/charts/chart") && n.ends_with(".xml"))
        .count()
}

/// A name in characters no font on the computer has (here a code point Unicode has not assigned, which no
/// font has anywhere) makes the PDF refused in one line naming it, and no file is written; the XLSX of the
/// same report is written.
#[test]
fn a_pdf_with_a_name_no_font_has_is_refused_in_one_line_and_nothing_is_written() {
    let (dir, db) = demo();
    let out = liaison(&db).args(["partners", "list", "--all"]).assert().success().get_output().stdout.clone();
    let line = String::from_utf8(out).expect("UTF-8");
    let line = line.lines().find(|l| l.contains("Campus France")).expect("the demo's Campus France");
    let id = line.split_whitespace().next().expect("an id");
    let shown =
        liaison(&db).args(["partners", "show", id, "--json"]).assert().success().get_output().stdout.clone();
    let mut partner: serde_json::Value = serde_json::from_slice(&shown).expect("JSON");
    for name in partner["names"].as_array_mut().expect("names") {
        name["value"] = "Campus France \u{0378}".into();
    }
    liaison(&db)
        .args(["partners", "update", id, "--json", "-"])
        .write_stdin(partner.to_string())
        .assert()
        .success();
    // Campus France has no identifier: the data quality report lists it.
    let pdf = dir.path().join("quality.pdf");
    let run =
        liaison(&db).args(["report", "data_quality", "--out"]).arg(&pdf).output().expect("liaison runs");
    let err = String::from_utf8(run.stderr).expect("UTF-8");
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("error: no font on this computer has the character U+0378 of “Campus France"),
        "{err}"
    );
    let left: Vec<_> =
        std::fs::read_dir(dir.path()).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert!(!left.iter().any(|n| n.to_string_lossy().contains("quality")), "nothing written: {left:?}");
    let book = dir.path().join("quality.xlsx");
    write(&db, "data_quality", "en", &book).expect("the XLSX is written");
}
