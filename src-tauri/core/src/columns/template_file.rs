//! Template files a person fills in to import records: the header row of a kind's columns in English or
//! French, a row of hints (mandatory, form, allowed values) and, in XLSX, drop-down lists for vocabularies
//! and yes/no (their values kept on a hidden sheet, as Excel caps a list written inline at 255 characters).
//! Written whole or not at all. A template's hint row read back is recognised ([`is_hint_row`]) and refused
//! in words rather than cell by cell.

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Color, DataValidation, Format, Formula, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::files::write_atomically;
use crate::label::UiLang;
use crate::table::{Cell, Row};

use super::header::key;
use super::{columns, template, RecordKind};

/// The rows a template's validation lists cover.
const TEMPLATE_ROWS: u32 = 2000;

/// The file formats a template is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    /// UTF-8 with a BOM (so Excel reads accents and scripts right); `,` for English, `;` for French, as Excel
    /// in each language expects.
    Csv,
    Xlsx,
}

impl TemplateFormat {
    pub fn parse(text: &str) -> Option<TemplateFormat> {
        match key(text).as_str() {
            "csv" => Some(TemplateFormat::Csv),
            "xlsx" => Some(TemplateFormat::Xlsx),
            _ => None,
        }
    }
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

/// Writes the template of `kind` for a reader of `lang` to `path`.
pub fn write_template(path: &Path, kind: RecordKind, lang: UiLang, format: TemplateFormat) -> Result<()> {
    let bytes = match format {
        TemplateFormat::Csv => csv_bytes(kind, lang)?,
        TemplateFormat::Xlsx => xlsx_bytes(kind, lang).map_err(xlsx_error)?,
    };
    write_atomically(path, &bytes)
}

fn csv_bytes(kind: RecordKind, lang: UiLang) -> Result<Vec<u8>> {
    let t = template(kind, lang);
    let mut out = Vec::new();
    out.write_all("\u{feff}".as_bytes())?;
    {
        let delimiter = if lang == UiLang::Fr { b';' } else { b',' };
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(&mut out);
        let io = |e: csv::Error| Error::Io(std::io::Error::other(e.to_string()));
        w.write_record(&t.headers).map_err(io)?;
        w.write_record(&t.hints).map_err(io)?;
        w.flush()?;
    }
    Ok(out)
}

fn xlsx_bytes(kind: RecordKind, lang: UiLang) -> std::result::Result<Vec<u8>, XlsxError> {
    let t = template(kind, lang);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let hint = Format::new().set_italic().set_font_color(Color::Gray).set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name(super::sheet_name(kind, lang))?;
    for (col, (header, text)) in t.headers.iter().zip(&t.hints).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, header, &bold)?;
        sheet.write_string_with_format(1, col, text, &hint)?;
        let width = header.chars().count().clamp(12, 40) as f64 + 2.0;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    let lists_name = if lang == UiLang::Fr { "Listes" } else { "Lists" };
    let mut lists: Vec<(u16, Vec<String>)> = Vec::new();
    for (col, allowed) in t.allowed.iter().enumerate() {
        if let Some(values) = allowed {
            lists.push((col as u16, values.clone()));
        }
    }
    for (i, (col, values)) in lists.iter().enumerate() {
        let letter = column_letter(i);
        let range = format!("='{lists_name}'!${letter}$1:${letter}${}", values.len().max(1));
        let validation = DataValidation::new().allow_list_formula(Formula::new(range));
        sheet.add_data_validation(2, *col, TEMPLATE_ROWS, *col, &validation)?;
    }
    if !lists.is_empty() {
        let values_sheet = book.add_worksheet();
        values_sheet.set_name(lists_name)?;
        for (i, (_, values)) in lists.iter().enumerate() {
            for (row, value) in values.iter().enumerate() {
                values_sheet.write_string(row as u32, i as u16, value)?;
            }
        }
        values_sheet.set_hidden(true);
    }
    book.save_to_buffer()
}

/// A spreadsheet's column letters: 0 → A, 25 → Z, 26 → AA.
fn column_letter(mut i: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Whether `row` is a template's row of hints (in either language) left in a filled-in template: most of
/// its filled cells are the hints of their columns. Only the first rows under the header are looked at.
pub fn is_hint_row(kind: RecordKind, mapping: &super::Mapping, row: &Row) -> bool {
    if row.number > 5 {
        return false;
    }
    let mut filled = 0;
    let mut hints = 0;
    for (i, k) in mapping.keys.iter().enumerate() {
        let (Some(k), Some(Cell::Text(text))) = (k, row.cells.get(i)) else { continue };
        if text.trim().is_empty() {
            continue;
        }
        filled += 1;
        if let Some(c) = columns(kind).iter().find(|c| c.key == *k) {
            if UiLang::ALL.iter().any(|lang| super::header::hint(c, *lang) == text.trim()) {
                hints += 1;
            }
        }
    }
    filled > 0 && hints * 2 > filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_like_a_spreadsheets() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn a_csv_template_has_headers_and_hints_in_the_readers_language() {
        let bytes = csv_bytes(RecordKind::Partner, UiLang::Fr).expect("written");
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.starts_with("\u{feff}Identifiant Liaison;Nom;"), "{text}");
        assert!(text.contains("obligatoire"));
        let en =
            String::from_utf8(csv_bytes(RecordKind::Exchange, UiLang::En).expect("written")).expect("UTF-8");
        assert!(en.starts_with("\u{feff}Liaison id,Person,Direction,"), "{en}");
    }

    #[test]
    fn an_xlsx_template_has_a_sheet_of_lists_and_reads_back_with_its_headers() {
        let dir = std::env::temp_dir().join(format!("liaison-template-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let path = dir.join("exchanges.xlsx");
        write_template(&path, RecordKind::Exchange, UiLang::Fr, TemplateFormat::Xlsx).expect("written");
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("an XLSX file");
        assert_eq!(book.sheet_names(), ["Mobilités", "Listes"]);
        let sheet = book.worksheet_range("Mobilités").expect("the sheet");
        let header: Vec<String> =
            sheet.rows().next().expect("a header").iter().map(|c| c.to_string()).collect();
        assert_eq!(header, template(RecordKind::Exchange, UiLang::Fr).headers);
        let lists = book.worksheet_range("Listes").expect("the lists");
        let first: Vec<String> = lists.rows().map(|r| r[0].to_string()).filter(|s| !s.is_empty()).collect();
        assert_eq!(first, ["Entrante", "Sortante"], "the first list is Sens");
        std::fs::remove_dir_all(&dir).expect("cleaned");
    }

    #[test]
    fn a_hint_row_left_in_a_template_is_recognised() {
        for lang in UiLang::ALL {
            let t = template(RecordKind::Partner, lang);
            let mapping = super::super::recognise(RecordKind::Partner, &t.headers, &[]).expect("mapped");
            let hints = Row { number: 2, cells: t.hints.iter().map(|h| Cell::Text(h.clone())).collect() };
            assert!(is_hint_row(RecordKind::Partner, &mapping, &hints));
            let data = Row { number: 3, cells: vec![Cell::Empty, Cell::Text("Fudan".into())] };
            assert!(!is_hint_row(RecordKind::Partner, &mapping, &data));
        }
    }
}
