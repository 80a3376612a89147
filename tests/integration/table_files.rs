//! Files from outside, read by `table::open`: the corpus in tests/files (made by make_corpus.py) read as
//! offices send them, and every hostile file refused with an error naming the file, and the row and
//! column where there is one.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use liaison_core::table::{self, Cell, Format, Limits, Options, Row, Table};

fn corpus(folder: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("files").join(folder)
}

fn open(path: &Path, options: &Options) -> Table {
    match table::open(path, options, &Limits::default()) {
        Ok(table) => table,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn good(name: &str) -> (Table, Vec<Row>) {
    let mut table = open(&corpus("good").join(name), &Options::default());
    let rows = table.by_ref().collect::<Result<Vec<_>, _>>().unwrap_or_else(|e| panic!("{name}: {e}"));
    (table, rows)
}

fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn texts(row: &Row) -> Vec<&str> {
    row.cells
        .iter()
        .map(|c| match c {
            Cell::Text(s) => s.as_str(),
            Cell::Empty => "",
            other => panic!("not text: {other:?}"),
        })
        .collect()
}

#[test]
fn a_french_excel_csv_is_read_as_windows_1252_with_semicolons() {
    let (table, rows) = good("partenaires_fr_windows1252.csv");
    assert_eq!(
        (table.format, table.encoding.as_deref(), table.delimiter),
        (Format::Csv, Some("windows-1252"), Some(b';'))
    );
    assert!(table.encoding_detected);
    assert_eq!(table.headers, ["Nom", "Sigle", "Pays", "Ville", "Date de signature", "Montant", "Actif"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].number, 2);
    assert_eq!(
        texts(&rows[0]),
        ["Université Lumière Lyon 2", "UL2", "France", "Lyon", "01/09/2021", "1 350,50", "oui"]
    );
    assert_eq!(
        texts(&rows[2]),
        ["Universidade de São Paulo", "USP", "Brésil", "São Paulo", "28/02/2024", "\u{a0}750,25", "oui"]
    );
}

#[test]
fn utf8_with_a_bom_and_excel_unicode_text_are_read() {
    let (table, rows) = good("contacts_utf8_bom.csv");
    assert_eq!((table.encoding.as_deref(), table.delimiter), (Some("UTF-8"), Some(b',')));
    assert_eq!(table.headers, ["name", "email", "city"]);
    assert_eq!(texts(&rows[1]), ["王伟", "wang.wei@example.cn", "上海"]);

    let (table, rows) = good("partners_excel_unicode_text.txt");
    assert_eq!((table.encoding.as_deref(), table.delimiter), (Some("UTF-16LE"), Some(b'\t')));
    assert_eq!(table.headers, ["Name", "Country", "City"]);
    assert_eq!(texts(&rows[0]), ["Université de Montréal", "Canada", "Montréal"]);
    assert_eq!(rows[2], Row { number: 4, cells: vec![t("京都大学"), t("Japan"), t("京都")] });
}

#[test]
fn chinese_and_japanese_legacy_encodings_are_detected() {
    let (table, rows) = good("partenaires_chine_gbk.csv");
    assert_eq!((table.encoding.as_deref(), table.delimiter), (Some("GBK"), Some(b',')));
    assert_eq!(table.headers, ["名称", "简称", "城市", "国家"]);
    assert_eq!(texts(&rows[3]), ["华东师范大学", "华东师大", "上海", "中国"]);

    let (table, rows) = good("partenaires_chine_gb18030.csv");
    assert_eq!(table.encoding.as_deref(), Some("GBK"));
    assert_eq!(texts(&rows[0]), ["复旦大学", "上海", "㐀字"]);
    assert_eq!(texts(&rows[1]), ["同济大学", "上海", "𠀀字"]);

    let (table, rows) = good("partenaires_japon_shift_jis.csv");
    assert_eq!(table.encoding.as_deref(), Some("Shift_JIS"));
    assert_eq!(table.headers, ["名称", "都市", "国"]);
    assert_eq!(texts(&rows[3]), ["東北大学", "仙台", "日本"]);

    let (table, rows) = good("partners_taiwan_big5.csv");
    assert_eq!(table.encoding.as_deref(), Some("Big5"));
    assert_eq!(table.headers, ["名稱", "城市", "國家"]);
    assert_eq!(texts(&rows[0]), ["國立臺灣大學", "臺北", "臺灣"]);
}

#[test]
fn quoted_line_breaks_stay_in_their_cell_and_row() {
    let (table, rows) = good("quoted_newlines.csv");
    assert_eq!(table.delimiter, Some(b','));
    assert_eq!(
        rows[0],
        Row {
            number: 2,
            cells: vec![
                t("Fudan"),
                t("Framework agreement;\nrenewed in 2024\nsee \"annex B\""),
                t("Shanghai")
            ],
        }
    );
    assert_eq!(rows[1], Row { number: 3, cells: vec![t("Tongji, CDHK"), t("plain"), t("Shanghai")] });
}

/// The same workbook as openpyxl wrote it and as LibreOffice converted it: typed cells, the first sheet
/// with data chosen.
#[test]
fn workbooks_give_typed_cells_whoever_wrote_them() {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
    // LibreOffice keeps a boolean as the number 1 or 0 shown as TRUE or FALSE; in its ODS it stays that.
    for (name, format, yes) in [
        ("partenaires_openpyxl.xlsx", Format::Xlsx, Cell::Bool(true)),
        ("partenaires_libreoffice.xlsx", Format::Xlsx, Cell::Bool(true)),
        ("partenaires_libreoffice.ods", Format::Ods, Cell::Number(1.0)),
        ("partenaires_libreoffice.xls", Format::Xls, Cell::Bool(true)),
    ] {
        let (table, rows) = good(name);
        assert_eq!(table.format, format, "{name}");
        assert_eq!(table.sheets, ["Vide", "Partenaires"], "{name}");
        assert_eq!(table.sheet.as_deref(), Some("Partenaires"), "{name}");
        assert_eq!(table.header_row, 1, "{name}");
        assert_eq!(
            table.headers,
            ["Nom", "Pays", "Ville", "Date de signature", "Montant", "Actif"],
            "{name}"
        );
        assert_eq!(rows.len(), 3, "{name}");
        assert_eq!(
            rows[0],
            Row {
                number: 2,
                cells: vec![
                    t("Université Lumière Lyon 2"),
                    t("France"),
                    t("Lyon"),
                    Cell::Date(date(2021, 9, 1)),
                    Cell::Number(1350.5),
                    yes.clone()
                ]
            },
            "{name}"
        );
        assert_eq!(
            rows[1].cells[3],
            Cell::DateTime(date(2022, 3, 14).and_hms_opt(10, 30, 0).expect("time")),
            "{name}"
        );
        assert_eq!(rows[1].cells[4], Cell::Number(20000.0), "{name}");
        assert_eq!(rows[2].cells[4], Cell::Empty, "{name}");
        assert_eq!(rows[2].cells[5], yes, "{name}");

        let sheet = Options { sheet: Some("vide".into()), ..Options::default() };
        let e =
            table::open(&corpus("good").join(name), &sheet, &Limits::default()).err().expect("empty sheet");
        assert_eq!(e.to_string(), format!("{name}: has nothing in sheet “Vide”"));
    }
}

#[test]
fn a_preview_says_what_was_chosen_and_shows_the_first_rows() {
    let table = open(&corpus("good").join("partenaires_fr_windows1252.csv"), &Options::default());
    let preview = table.preview(2).expect("preview");
    assert_eq!(preview.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(preview.delimiter.as_deref(), Some(";"));
    assert_eq!(preview.rows.len(), 2);
    assert!(preview.more);
    let json = serde_json::to_value(&preview).expect("json");
    assert_eq!(
        json["rows"][0]["cells"][0],
        serde_json::json!({"type": "text", "value": "Université Lumière Lyon 2"})
    );
}

/// Each hostile file and what its error must say (besides the file's name).
const HOSTILE: &[(&str, &str)] = &[
    ("empty.csv", ": is empty"),
    ("empty_blank_lines.csv", ": has no rows: it is empty"),
    ("empty_bom_only.csv", ": has no rows: it is empty"),
    ("empty.xlsx", ": is empty"),
    ("empty_sheet.xlsx", ": has nothing in sheet “Sheet1”"),
    ("header_only.csv", ", row 1: has a header row but no data rows"),
    ("header_only_blank_rows.csv", ", row 1: has a header row but no data rows"),
    ("header_only.xlsx", ", row 1: has a header row but no data rows"),
    ("ragged_long_row.csv", ", row 3, column C: this row has 3 cells but there are only 2 headers"),
    ("ragged_semicolon.csv", ", row 4, column D: this row has 4 cells but there are only 2 headers"),
    ("ragged.xlsx", ", row 3, column C: this row has 3 cells but there are only 2 headers"),
    ("unterminated_quote.csv", ", row 3, column A: a quote (\") opens a cell here and is never closed"),
    ("unterminated_quote_last_cell.csv", ", row 3, column B: a quote (\") opens a cell here and is never closed"),
    ("unterminated_quote_tab.txt", ", row 3, column B: a quote (\") opens a cell here and is never closed"),
    ("nul_in_cell.csv", ", row 2, column B: holds a NUL byte"),
    ("nul_utf16_without_bom.csv", ", row 1, column A: holds a NUL byte"),
    ("nul_in_header.csv", ", row 1, column B: holds a NUL byte"),
    ("invalid_utf8_after_a_long_prefix.csv", ", row 3502, column B: holds bytes that are not UTF-8 text (E9)"),
    ("invalid_utf8.enc-utf-8.csv", ", row 2, column A: holds bytes that are not UTF-8 text (C9)"),
    ("invalid_shift_jis.enc-shift_jis.csv", ", row 3, column A: holds bytes that are not Shift_JIS text"),
    ("invalid_gbk.enc-gbk.csv", ", row 3, column A: holds bytes that are not GBK text"),
    ("invalid_big5.enc-big5.csv", ", row 3, column A: holds bytes that are not Big5 text"),
    ("invalid_utf16_lone_surrogate.txt", ", row 2, column B: holds bytes that are not UTF-16LE text"),
    ("invalid_replacement_character.csv", ", row 2, column Nom: holds “\u{FFFD}”"),
    ("duplicate_headers.csv", ", row 1, column C: columns A and C have the same header “Nom”"),
    ("duplicate_headers_case.csv", ", row 1, column C: columns A and C have the same header “NOM”"),
    ("duplicate_headers.xlsx", ", row 1, column D: columns B and D have the same header “Pays”"),
    ("missing_header_with_data.csv", ", row 3, column B: column B has no header but holds a value"),
    ("missing_header_with_data.xlsx", ", row 2, column B: column B has no header but holds a value"),
    ("missing_header_tab.txt", ", row 2, column B: column B has no header but holds a value"),
    ("truncated_half.xlsx", ": is damaged or truncated"),
    ("truncated_no_directory.xlsx", ": is damaged or truncated"),
    ("truncated_first_kb.xlsx", ": is damaged or truncated"),
    ("corrupt_deflate.xlsx", ": is damaged"),
    ("corrupt_sheet_xml.xlsx", ": is damaged or truncated: it cannot be read as an Excel workbook (XLSX)"),
    ("corrupt_no_workbook.xlsx", ": is a zip archive, not a spreadsheet"),
    ("corrupt_shared_strings.xlsx", ": is damaged or truncated: it cannot be read as an Excel workbook (XLSX)"),
    ("corrupt_workbook_xml.xlsx", ": is damaged or truncated: it cannot be read as an Excel workbook (XLSX)"),
    ("bomb_ratio.xlsx", ": is refused: its part xl/worksheets/sheet1.xml inflates"),
    ("bomb_lying_size.xlsx", ": is refused: its part xl/worksheets/sheet1.xml inflates to more than the 900 bytes it declares"),
    ("bomb_declared_total.xlsx", ": is refused: it declares 3.8 GB once inflated, over the 1.0 GB a workbook may take"),
    ("bomb_ods_repeats.ods", ": is refused: its sheet “Feuille1” spans 1048576 rows × 1024 columns"),
    ("bomb_many_parts.xlsx", ": holds 10010 parts, more than a workbook has"),
    ("absurd_dimension.xlsx", ": is refused: its sheet “Sheet1” declares 1048576 rows × 16384 columns"),
    ("absurd_far_cell.xlsx", ", row 2, column AMJ: has a value beyond the 512 columns"),
    ("absurd_columns.ods", ": is refused: its sheet “Feuille1” spans 1 rows × 9002 columns"),
    ("not_spreadsheet_text.xlsx", ": is not a spreadsheet"),
    ("not_spreadsheet_html.xls", ": is a web page (HTML or XML) saved under a spreadsheet's name"),
    ("not_spreadsheet_png.xlsx", ": is not a spreadsheet"),
    ("not_spreadsheet_pdf.ods", ": is not a spreadsheet"),
    ("not_spreadsheet_zip.xlsx", ": is a zip archive, not a spreadsheet"),
    ("not_spreadsheet_xlsb.xlsx", ": is an Excel binary workbook (XLSB)"),
    ("too_many_columns.csv", ", row 1, column SS: has more than 512 columns"),
    // Found by `cargo fuzz run table_sheet`: calamine panics reading this XLS's shared strings; the reader's
    // thread turns that into an error.
    ("fuzz_xls_shared_strings_cut.xls", ": is damaged: the spreadsheet reader stopped in the middle of it"),
    // Found by the fuzzer: calamine would have filled the area between far-apart cells (137 GB); refused first.
    ("fuzz_xls_sheet_placed_in_globals.xls", ", row 65535, column CRXP: has a value beyond the 512 columns"),
    ("long_cell.csv", ", row 2, column B: a cell is longer than 65536 bytes"),
    ("missing_sheet.sheet-Budget.xlsx", ": has no sheet “Budget”; its sheets are “Sheet1”"),
    ("xls_absurd_dimension.xls", ": is refused: its sheet 2 declares 5000000 rows × 6 columns"),
    ("xls_backwards_dimension.xls", ": is damaged or truncated: it cannot be read as an Excel 97-2003 workbook (XLS) (a sheet's dimensions end before they start)"),
    ("xls_far_cell.xls", ": is refused: its sheets span more than 10000000 cells (it is read whole)"),
    ("xls_truncated.xls", ": is damaged or truncated: it cannot be read as an Excel 97-2003 workbook (XLS)"),
    ("xls_corrupt_cfb.xls", ": is damaged or truncated: it cannot be read as an Excel 97-2003 workbook (XLS)"),
];

/// Options a hostile file's name asks for: `.enc-LABEL.` and `.sheet-NAME.`.
fn options_from_name(name: &str) -> Options {
    let mut options = Options::default();
    for part in name.split('.') {
        if let Some(label) = part.strip_prefix("enc-") {
            options.encoding = Some(label.into());
        }
        if let Some(sheet) = part.strip_prefix("sheet-") {
            options.sheet = Some(sheet.into());
        }
    }
    options
}

fn read_all(path: &Path, options: &Options) -> Result<usize, liaison_core::Error> {
    let table = table::open(path, options, &Limits::default())?;
    let mut rows = 0;
    for row in table {
        row?;
        rows += 1;
    }
    Ok(rows)
}

#[test]
fn every_hostile_file_is_refused_naming_the_file_and_where() {
    let dir = corpus("hostile");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("hostile folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let listed: Vec<&str> = HOSTILE.iter().map(|(n, _)| *n).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(names, sorted, "every file in tests/files/hostile has its expected error here");
    assert!(names.len() >= 40);
    let classes: std::collections::BTreeSet<&str> =
        listed.iter().map(|n| n.split(['_', '.']).next().unwrap_or(n)).collect();
    assert!(classes.len() >= 12, "{classes:?}");

    let mut wrong = Vec::new();
    for (name, expected) in HOSTILE {
        let outcome = read_all(&dir.join(name), &options_from_name(name));
        match outcome {
            Ok(rows) => wrong.push(format!("{name}: read {rows} rows, expected “{expected}”")),
            Err(e) => {
                let text = e.to_string();
                if e.kind() != "file" || !text.starts_with(&format!("{name}{expected}")) {
                    wrong.push(format!("{name}: got “{text}” ({}), expected “{name}{expected}”", e.kind()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A 1 GB file is refused from its size alone: the test makes it sparse, so nothing is written or read.
#[test]
fn a_one_gigabyte_file_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["huge.csv", "huge.xlsx"] {
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).expect("create");
        file.set_len(1024 * 1024 * 1024).expect("sparse");
        let e = table::open(&path, &Options::default(), &Limits::default()).err().expect("refused");
        assert_eq!(e.to_string(), format!("{name}: is 1.0 GB, over the 256.0 MB a file may have"));
    }
}

/// A million-row CSV streams: read whole with the memory of a few rows. The reading runs in a process of
/// its own (this test binary again, running only `million_row_child`), so other tests' memory does not
/// count; its peak resident memory may grow by a few megabytes, not by the file's 48 MB.
#[test]
fn a_million_row_csv_is_read_in_flat_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("million.csv");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        writeln!(out, "Nom;Pays;Ville;Montant").expect("write");
        for i in 0..1_000_000 {
            writeln!(out, "Université numéro {i};France;Lyon;{i},50").expect("write");
        }
    }
    let size = std::fs::metadata(&path).expect("size").len();
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--ignored", "--exact", "table_files::million_row_child", "--nocapture", "--test-threads=1"])
        .env("LIAISON_TABLE_CHILD", &path)
        .output()
        .expect("child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let grown: u64 = stdout
        .lines()
        .find_map(|l| l.split("grown=").nth(1))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no measure in {stdout}"));
    assert!(grown < 16 * 1024 * 1024, "peak memory grew by {grown} bytes reading a {size}-byte file");
}

#[test]
#[ignore = "run in its own process by a_million_row_csv_is_read_in_flat_memory"]
fn million_row_child() {
    let path = PathBuf::from(std::env::var_os("LIAISON_TABLE_CHILD").expect("run by its parent test"));
    let before = peak_rss_kb().expect("VmHWM");
    let mut table = open(&path, &Options::default());
    let mut count = 0usize;
    let mut last = None;
    for row in table.by_ref() {
        last = Some(row.expect("row"));
        count += 1;
    }
    assert_eq!(count, 1_000_000);
    assert_eq!(last.map(|r| r.number), Some(1_000_001));
    let after = peak_rss_kb().expect("VmHWM");
    println!("grown={}", after.saturating_sub(before) * 1024);
}

/// The process's peak resident memory (Linux), in KiB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
