//! `liaison template KIND --out FILE` as a process: the files a person fills in, and a filled one back in.

use crate::process::liaison;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_french_csv_template_filled_in_imports_and_its_hint_row_is_refused_in_words() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("w.sqlite3");
    let csv = dir.path().join("partenaires.csv");
    let done = liaison(&db)
        .args(["template", "partenaires", "--lang", "fr", "--out"])
        .arg(&csv)
        .output()
        .expect("ran");
    assert!(done.status.success(), "needs no workspace: {}", text(&done.stderr));
    assert!(text(&done.stdout).contains("template for partners written"), "{}", text(&done.stdout));
    let template = std::fs::read_to_string(&csv).expect("the template");
    let mut lines = template.lines();
    let header = lines.next().expect("a header").to_owned();
    assert!(header.starts_with("\u{feff}Identifiant Liaison;Nom;Langue du nom;"), "{header}");
    let hints = lines.next().expect("hints").to_owned();
    assert!(hints.contains("obligatoire"), "{hints}");

    liaison(&db).args(["init", "--name", "Lyon"]).assert().success();
    let columns = header.split(';').count();
    let mut row = vec![String::new(); columns];
    row[1] = "复旦大学".into();
    let at =
        |name: &str| header.trim_start_matches('\u{feff}').split(';').position(|h| h == name).expect(name);
    row[at("Pays")] = "Chine".into();
    row[at("Ville")] = "Shanghai".into();
    row[at("Nom en anglais")] = "Fudan University".into();
    let filled = dir.path().join("rempli.csv");
    std::fs::write(&filled, format!("{header}\n{hints}\n{}\n", row.join(";"))).expect("written");
    let refused = liaison(&db).arg("import").arg(&filled).output().expect("ran");
    assert!(!refused.status.success(), "the hint row is not a partner");
    assert!(
        text(&refused.stdout).contains("row of hints") || text(&refused.stderr).contains("row of hints"),
        "{}{}",
        text(&refused.stdout),
        text(&refused.stderr)
    );
    std::fs::write(&filled, format!("{header}\n{}\n", row.join(";"))).expect("written");
    let done = liaison(&db).arg("import").arg(&filled).output().expect("ran");
    assert!(done.status.success(), "{}{}", text(&done.stdout), text(&done.stderr));
    let conn = rusqlite::Connection::open(&db).expect("open");
    let found: (String, String) = conn
        .query_row("SELECT name, country FROM partner_summary", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("one partner");
    assert_eq!(found, ("复旦大学".to_owned(), "CN".to_owned()));
}

#[test]
fn an_xlsx_template_has_its_lists_and_a_wrong_kind_or_format_is_refused() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("w.sqlite3");
    let xlsx = dir.path().join("exchanges.xlsx");
    liaison(&db).args(["template", "exchange", "--out"]).arg(&xlsx).assert().success();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("an XLSX file");
    assert_eq!(book.sheet_names(), ["Exchanges", "Lists"]);
    let sheet = book.worksheet_range("Exchanges").expect("the sheet");
    let header: Vec<String> = sheet.rows().next().expect("a header").iter().map(|c| c.to_string()).collect();
    assert_eq!(header[..3], ["Liaison id", "Person", "Direction"]);

    let refused = liaison(&db).args(["template", "planets", "--out"]).arg(&xlsx).output().expect("ran");
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("is not a kind of record"), "{}", text(&refused.stderr));
    let refused = liaison(&db)
        .args(["template", "partner", "--out"])
        .arg(dir.path().join("p.txt"))
        .output()
        .expect("ran");
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("--format"), "{}", text(&refused.stderr));
}
