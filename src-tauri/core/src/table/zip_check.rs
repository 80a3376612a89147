//! The zip archive an XLSX or ODS is, checked before a spreadsheet parser inflates any of it: calamine
//! bounds no decompression, so a small file could inflate to gigabytes. The central directory's entry
//! count, declared sizes and ratios are checked first, then every part is inflated once into nothing,
//! counting, so a part lying about its size is caught too; an ODS's sheets are measured on the way
//! (their repeated rows and columns), since calamine loads every ODS sheet whole.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use zip::result::ZipError;
use zip::ZipArchive;

use super::{bytes_text, file_error, Format, Limits};
use crate::error::{Error, Result};

/// More parts than any real workbook has (a workbook of 200 sheets with images has a few thousand).
const MAX_ENTRIES: usize = 10_000;
/// Parts smaller than this once inflated are never a bomb, whatever their ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

/// Whether a zip archive is an XLSX or an ODS.
pub(crate) fn zip_format<R: Read + Seek>(name: &str, reader: &mut R) -> Result<Format> {
    let format = {
        let mut zip = ZipArchive::new(&mut *reader).map_err(|e| damaged(name, &e))?;
        if zip.index_for_name("xl/workbook.xml").is_some() {
            Format::Xlsx
        } else if zip.index_for_name("xl/workbook.bin").is_some() {
            return Err(file_error(
                name,
                None,
                None,
                "is an Excel binary workbook (XLSB), which is not read: save it as XLSX",
            ));
        } else if is_ods(&mut zip) {
            Format::Ods
        } else {
            return Err(file_error(name, None, None, "is a zip archive, not a spreadsheet (XLSX or ODS)"));
        }
    };
    reader.rewind().map_err(|e| file_error(name, None, None, format!("cannot be read: {e}")))?;
    Ok(format)
}

fn is_ods<R: Read + Seek>(zip: &mut ZipArchive<R>) -> bool {
    let Ok(mimetype) = zip.by_name("mimetype") else { return zip.index_for_name("content.xml").is_some() };
    let mut text = Vec::new();
    if mimetype.take(128).read_to_end(&mut text).is_err() {
        return false;
    }
    text.starts_with(b"application/vnd.oasis.opendocument.spreadsheet")
}

fn damaged(name: &str, e: &ZipError) -> Error {
    file_error(name, None, None, format!("is damaged or truncated: it cannot be opened as a workbook ({e})"))
}

/// Checks an XLSX or ODS against the limits before it is parsed; the reader is rewound after.
pub(crate) fn check<R: Read + Seek>(
    name: &str,
    format: Format,
    reader: &mut R,
    limits: &Limits,
) -> Result<()> {
    {
        let mut zip = ZipArchive::new(&mut *reader).map_err(|e| damaged(name, &e))?;
        if zip.len() > MAX_ENTRIES {
            return Err(file_error(
                name,
                None,
                None,
                format!("holds {} parts, more than a workbook has ({MAX_ENTRIES}): refused", zip.len()),
            ));
        }
        let mut declared: u64 = 0;
        let mut parts = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| damaged(name, &e))?;
            declared = declared.saturating_add(entry.size());
            parts.push((
                String::from_utf8_lossy(entry.name_raw()).into_owned(),
                entry.size(),
                entry.compressed_size(),
            ));
        }
        if declared > limits.inflated_bytes {
            return Err(file_error(
                name,
                None,
                None,
                format!(
                    "is refused: it declares {} once inflated, over the {} a workbook may take (a zip bomb?)",
                    bytes_text(declared),
                    bytes_text(limits.inflated_bytes)
                ),
            ));
        }
        for (part, size, compressed) in &parts {
            check_ratio(name, part, *size, *compressed, limits)?;
        }
        let mut inflated: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip.by_index(i).map_err(|e| match e {
                ZipError::UnsupportedArchive(m) if m.contains("encrypt") || m.contains("assword") => {
                    file_error(
                        name,
                        None,
                        None,
                        "is password-protected: remove the password and save it again",
                    )
                }
                e => damaged(name, &e),
            })?;
            if entry.is_dir() {
                continue;
            }
            let part = String::from_utf8_lossy(entry.name_raw()).into_owned();
            let (declared, compressed) = (entry.size(), entry.compressed_size());
            let budget = limits.inflated_bytes.saturating_sub(inflated);
            // One byte over the budget is enough to refuse.
            let mut counted = Counted { inner: entry, count: 0 };
            let counted_len = if format == Format::Ods && part == "content.xml" {
                let sheets =
                    measure_ods(&mut Limited { inner: &mut counted, left: budget.saturating_add(1) })
                        .map_err(|e| ods_error(name, e, declared))?;
                check_ods_sheets(name, &sheets, limits)?;
                std::io::copy(&mut (&mut counted).take(budget.saturating_add(1)), &mut std::io::sink())
                    .map_err(|e| part_error(name, &part, &e, declared))?;
                counted.count
            } else {
                std::io::copy(&mut (&mut counted).take(budget.saturating_add(1)), &mut std::io::sink())
                    .map_err(|e| part_error(name, &part, &e, declared))?
            };
            inflated = inflated.saturating_add(counted_len);
            if inflated > limits.inflated_bytes {
                return Err(bomb(name, limits));
            }
            if counted_len > declared {
                return Err(lying(name, &part, declared));
            }
            check_ratio(name, &part, counted_len, compressed, limits)?;
        }
    }
    reader.rewind().map_err(|e| file_error(name, None, None, format!("cannot be read: {e}")))?;
    Ok(())
}

fn check_ratio(name: &str, part: &str, size: u64, compressed: u64, limits: &Limits) -> Result<()> {
    if size > RATIO_FLOOR && size / compressed.max(1) > limits.inflation_ratio {
        return Err(file_error(
            name,
            None,
            None,
            format!(
                "is refused: its part {part} inflates {} times (from {} to {}), more than the {} times a \
                 real workbook does (a zip bomb?)",
                size / compressed.max(1),
                bytes_text(compressed),
                bytes_text(size),
                limits.inflation_ratio
            ),
        ));
    }
    Ok(())
}

fn bomb(name: &str, limits: &Limits) -> Error {
    file_error(
        name,
        None,
        None,
        format!(
            "is refused: it inflates to more than {}, the most a workbook may take (a zip bomb?)",
            bytes_text(limits.inflated_bytes)
        ),
    )
}

fn lying(name: &str, part: &str, declared: u64) -> Error {
    file_error(
        name,
        None,
        None,
        format!(
            "is refused: its part {part} inflates to more than the {} it declares (a zip bomb, or damage)",
            bytes_text(declared)
        ),
    )
}

fn part_error(name: &str, part: &str, e: &std::io::Error, declared: u64) -> Error {
    // The zip reader stops a part at its declared size itself.
    if e.to_string().contains("larger than its declared") {
        return lying(name, part, declared);
    }
    file_error(name, None, None, format!("is damaged or truncated: its part {part} cannot be inflated ({e})"))
}

struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// A reader that fails, rather than ends, past its budget, so a parser on it stops with an error.
struct Limited<'a, R> {
    inner: &'a mut R,
    left: u64,
}

impl<R: Read> Read for Limited<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("over the inflation budget"));
        }
        let max = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// One ODS sheet's extent as calamine will load it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct OdsSheet {
    pub name: String,
    /// Rows from the first to the last holding something, repeats expanded.
    pub rows: u64,
    /// Columns from the first to the last holding something, repeats expanded.
    pub columns: u64,
    /// Cells calamine keeps while reading the sheet (each row element's cells up to its last value).
    pub stored: u64,
}

enum OdsScanError {
    Io(std::io::Error),
    Xml(String),
}

fn ods_error(name: &str, e: OdsScanError, declared: u64) -> Error {
    match e {
        OdsScanError::Io(e) if e.to_string().contains("inflation budget") => file_error(
            name,
            None,
            None,
            "is refused: its sheets inflate to more than a workbook may (a zip bomb?)",
        ),
        OdsScanError::Io(e) => part_error(name, "content.xml", &e, declared),
        OdsScanError::Xml(e) => file_error(
            name,
            None,
            None,
            format!("is damaged: its sheets (content.xml) are not readable ({e})"),
        ),
    }
}

fn repeat(e: &BytesStart<'_>, attribute: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == attribute)
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

fn has_value(e: &BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| matches!(a.key.as_ref(), "office:value-type" | "table:formula"))
}

/// Streams an ODS's content.xml and measures each sheet, keeping nothing of its cells.
fn measure_ods<R: Read>(content: R) -> Result<Vec<OdsSheet>, OdsScanError> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut sheet: Option<(OdsSheet, u64, Option<u64>, u64, u64, u64)> = None;
    // Per row element: its repeat, the column reached, first and last columns with a value.
    let mut row: Option<(u64, u64, Option<u64>, u64)> = None;
    // Inside a cell: (its first column, its repeat, whether it holds something).
    let mut cell: Option<(u64, u64, bool)> = None;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).map_err(|e| match e {
            quick_xml::Error::Io(io) => OdsScanError::Io(std::io::Error::new(io.kind(), io.to_string())),
            other => OdsScanError::Xml(other.to_string()),
        })?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" => {
                    let name = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "table:name")
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    // (sheet, row index, first row with a value, last row end, first column, last column)
                    sheet = Some((OdsSheet { name, ..OdsSheet::default() }, 0, None, 0, u64::MAX, 0));
                }
                "table:table-row" => {
                    row = Some((repeat(e, "table:number-rows-repeated"), 0, None, 0));
                    if empty {
                        end_row(&mut sheet, &mut row);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let reps = repeat(e, "table:number-columns-repeated");
                    let at = row.as_ref().map_or(0, |r| r.1);
                    cell = Some((at, reps, has_value(e)));
                    if empty {
                        end_cell(&mut row, &mut cell);
                    }
                }
                _ => {
                    if let Some(c) = cell.as_mut() {
                        c.2 = true;
                    }
                }
            }
        }
        match &event {
            Event::Text(t) if !t.trim().is_empty() => {
                if let Some(c) = cell.as_mut() {
                    c.2 = true;
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => end_cell(&mut row, &mut cell),
                "table:table-row" => end_row(&mut sheet, &mut row),
                "table:table" => {
                    if let Some((mut s, _, first, last_end, col_min, col_max)) = sheet.take() {
                        if let Some(first) = first {
                            s.rows = last_end - first;
                            s.columns = col_max.saturating_sub(col_min) + 1;
                        }
                        sheets.push(s);
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(sheets),
            _ => {}
        }
    }
}

fn end_cell(row: &mut Option<(u64, u64, Option<u64>, u64)>, cell: &mut Option<(u64, u64, bool)>) {
    if let (Some(r), Some((at, reps, value))) = (row.as_mut(), cell.take()) {
        let end = at.saturating_add(reps);
        if value {
            r.2 = Some(r.2.map_or(at, |first| first.min(at)));
            r.3 = end;
        }
        r.1 = end;
    }
}

#[allow(clippy::type_complexity)]
fn end_row(
    sheet: &mut Option<(OdsSheet, u64, Option<u64>, u64, u64, u64)>,
    row: &mut Option<(u64, u64, Option<u64>, u64)>,
) {
    if let (Some(s), Some((reps, _, first_col, last_col_end))) = (sheet.as_mut(), row.take()) {
        let at = s.1;
        s.1 = at.saturating_add(reps);
        if let Some(first_col) = first_col {
            s.2 = Some(s.2.unwrap_or(at));
            s.3 = at.saturating_add(reps);
            s.4 = s.4.min(first_col);
            s.5 = s.5.max(last_col_end.saturating_sub(1));
            s.0.stored = s.0.stored.saturating_add(last_col_end);
        }
    }
}

fn check_ods_sheets(name: &str, sheets: &[OdsSheet], limits: &Limits) -> Result<()> {
    let mut total: u64 = 0;
    for s in sheets {
        if s.rows > limits.rows as u64 + 1 || s.columns > limits.columns as u64 {
            return Err(file_error(
                name,
                None,
                None,
                format!(
                    "is refused: its sheet “{}” spans {} rows × {} columns, over the {} rows and {} columns a \
                     file may have",
                    s.name, s.rows, s.columns, limits.rows, limits.columns
                ),
            ));
        }
        total = total.saturating_add(s.rows.saturating_mul(s.columns)).saturating_add(s.stored);
    }
    if total > limits.cells {
        return Err(file_error(
            name,
            None,
            None,
            format!(
                "is refused: its sheets span {total} cells in all, over the {} an ODS file may have (it is read \
                 whole): save it as XLSX",
                limits.cells
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure(xml: &str) -> Vec<OdsSheet> {
        match measure_ods(xml.as_bytes()) {
            Ok(sheets) => sheets,
            Err(_) => panic!("unreadable"),
        }
    }

    #[test]
    fn an_ods_sheet_is_measured_with_its_repeats_expanded() {
        let sheets = measure(
            r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="Partners">
              <table:table-row><table:table-cell office:value-type="string"><text:p>Nom</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="string"><text:p>Pays</text:p></table:table-cell></table:table-row>
              <table:table-row table:number-rows-repeated="9"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>
              <table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            </table:table>
            <table:table table:name="Empty"><table:table-row table:number-rows-repeated="5"><table:table-cell table:number-columns-repeated="9"/></table:table-row></table:table>
            </office:spreadsheet></office:body></office:document-content>"#,
        );
        assert_eq!(sheets.len(), 2);
        assert_eq!((sheets[0].name.as_str(), sheets[0].rows, sheets[0].columns), ("Partners", 10, 5));
        assert_eq!((sheets[1].rows, sheets[1].columns), (0, 0));
    }

    #[test]
    fn a_repeated_value_counts_as_every_cell_it_fills() {
        let sheets = measure(
            r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="500"/></table:table-row></table:table>"#,
        );
        assert_eq!((sheets[0].rows, sheets[0].columns), (1_000_000, 500));
        let limits = Limits::default();
        assert!(check_ods_sheets("x.ods", &sheets, &limits).is_err());
    }
}
