//! A file imported end to end: opened ([`crate::table`]: CSV and text, XLSX, XLS, ODS; or JSON in the CLI's
//! own shape), its kind guessed from its headers unless given, its columns mapped (recognised, given by
//! hand, or remembered from the last file with the same headers), then planned and written by
//! [`super::plan::run`]; the rows left out by `skip_invalid` go to a rejects file once the rest is committed.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::columns::{self, Mapping};
use crate::error::{Error, FieldError, Result};
use crate::job::Job;
use crate::table::{self, file_error, Limits};

use super::mapping_memory;
use super::plan::{self, Options, Prepared, RowPlan, Source, Sources, Summary};
use super::record::Kind;
use super::rejects::Rejects;

/// What the user asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    /// The kind of record the file holds; guessed from its headers when `None`.
    pub kind: Option<Kind>,
    /// Sheet, encoding and delimiter, when not to be detected.
    pub read: table::Options,
    /// Columns mapped by hand: `Column=field` (an empty field leaves the column out).
    pub map: Vec<String>,
    pub options: Options,
    /// Where the rows left out by `skip_invalid` are written.
    pub rejects: Option<PathBuf>,
}

/// One of the file's columns and the field it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportColumn")]
pub struct Column {
    pub header: String,
    /// The column's key in the catalogue (`country`, `name_fr`, `ror`); none when left out.
    pub field: Option<String>,
}

/// The file as opened: what was detected or chosen, and how its columns map.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, rename = "ImportFile")]
pub struct Opened {
    pub file: String,
    /// `csv`, `xlsx`, `xls`, `ods` or `json`.
    pub format: String,
    pub encoding: Option<String>,
    pub encoding_detected: bool,
    /// The delimiter as text (`;`, `,`, `\t`).
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    pub kind: Kind,
    /// The kind was guessed from the headers (said to the user), not given.
    pub kind_guessed: bool,
    pub columns: Vec<Column>,
    /// Headers that fill no field: left out.
    pub unmatched: Vec<String>,
    /// Mandatory fields no column fills (rows creating records will fail).
    pub missing_columns: Vec<String>,
    /// The mapping came from the last file with the same headers.
    pub remembered: bool,
}

/// Imports the file at `path` as `request` says. `on_opened` hears what was opened before any row is
/// planned; `on_row` hears each row's plan (see [`plan::run`]).
pub fn file(
    conn: &mut rusqlite::Connection,
    clock: &dyn Clock,
    path: &Path,
    request: &Request,
    job: &Job,
    on_opened: &mut dyn FnMut(&Opened) -> Result<()>,
    on_row: &mut dyn FnMut(&RowPlan) -> Result<()>,
) -> Result<(Opened, Summary)> {
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        return json_file(conn, clock, path, request, job, on_opened, on_row);
    }
    let table = table::open(path, &request.read, &Limits::default())?;
    let headers = table.headers.clone();
    let (opened, mapping) = opened(conn, &table, request)?;
    on_opened(&opened)?;
    let sources = sources(&mapping);
    let mut rejects = match (&request.rejects, request.options.skip_invalid) {
        (Some(_), true) => Some(Rejects::new(&headers, table.delimiter.unwrap_or(b','))?),
        _ => None,
    };
    let summary = plan::run(
        conn,
        clock,
        opened.kind,
        Source::Table { rows: Box::new(table), mapping: &mapping },
        0,
        &sources,
        request.options,
        job,
        &mut |plan, row| {
            if let (Some(rejects), plan::Action::Error) = (rejects.as_mut(), plan.action) {
                rejects.add(&row.cells, &plan.errors)?;
            }
            on_row(plan)
        },
    )?;
    finish(conn, clock, request, &opened, &headers, rejects, &summary)?;
    Ok((opened, summary))
}

/// What [`file`] would open and how it would map the columns, with the first `rows` rows as read (none for
/// JSON), planning no row and writing nothing: for the app's preview before a dry run.
pub fn preview(
    conn: &rusqlite::Connection,
    path: &Path,
    request: &Request,
    rows: usize,
) -> Result<(Opened, Option<table::Preview>)> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        let (opened, _) = json_items(path, request)?;
        return Ok((opened, None));
    }
    let table = table::open(path, &request.read, &Limits::default())?;
    let (opened, _) = opened(conn, &table, request)?;
    Ok((opened, Some(table.preview(rows)?)))
}

/// The table as opened, its kind (given or guessed) and its column mapping (by hand, else remembered for
/// these headers, else recognised).
fn opened(conn: &rusqlite::Connection, table: &table::Table, request: &Request) -> Result<(Opened, Mapping)> {
    let headers = &table.headers;
    let (kind, kind_guessed) = kind_of(&table.file, request.kind, headers)?;
    let remembered_map = if request.map.is_empty() {
        mapping_memory::recall(conn, kind, headers)?
            .map(|pairs| pairs.into_iter().map(|(h, f)| format!("{h}={f}")).collect::<Vec<_>>())
    } else {
        None
    };
    let overrides = remembered_map.clone().unwrap_or_else(|| request.map.clone());
    let mapping = columns::recognise(kind.columns(), headers, &overrides)?;
    let opened = Opened {
        file: table.file.clone(),
        format: serde_json::to_value(table.format)?.as_str().unwrap_or_default().to_owned(),
        encoding: table.encoding.clone(),
        encoding_detected: table.encoding_detected,
        delimiter: table.delimiter.map(|d| char::from(d).to_string()),
        sheet: table.sheet.clone(),
        sheets: table.sheets.clone(),
        kind,
        kind_guessed,
        columns: headers
            .iter()
            .zip(&mapping.keys)
            .map(|(h, k)| Column { header: h.clone(), field: k.map(str::to_owned) })
            .collect(),
        unmatched: mapping.unmatched.clone(),
        missing_columns: mapping.missing_mandatory().iter().map(|c| c.key.to_owned()).collect(),
        remembered: remembered_map.is_some(),
    };
    Ok((opened, mapping))
}

/// After the run: the rejects file once the valid rows are in, and a mapping given by hand remembered.
fn finish(
    conn: &rusqlite::Connection,
    clock: &dyn Clock,
    request: &Request,
    opened: &Opened,
    headers: &[String],
    rejects: Option<Rejects>,
    summary: &Summary,
) -> Result<()> {
    if request.options.dry_run {
        return Ok(());
    }
    if let (Some(rejects), Some(path)) = (rejects, &request.rejects) {
        if !rejects.is_empty() {
            rejects.write(path)?;
        }
    }
    if !request.map.is_empty() && (summary.errors == 0 || request.options.skip_invalid) {
        let pairs: Vec<(String, String)> = request
            .map
            .iter()
            .filter_map(|m| m.split_once('='))
            .map(|(h, f)| (h.trim().to_owned(), f.trim().to_owned()))
            .collect();
        mapping_memory::remember(conn, clock, opened.kind, headers, &pairs)?;
    }
    Ok(())
}

fn kind_of(file: &str, given: Option<Kind>, headers: &[String]) -> Result<(Kind, bool)> {
    if let Some(kind) = given {
        return Ok((kind, false));
    }
    match columns::guess_kind(headers) {
        Some((kind, _)) => Ok((Kind::of(kind), true)),
        None => Err(file_error(
            file,
            None,
            None,
            "its headers do not say which kind of record it holds: say it (--entity partners, contacts, agreements, exchanges, projects, events, calls or applications)",
        )),
    }
}

/// Where each input field comes from, to name the file's column in a validation error.
fn sources(mapping: &Mapping) -> Sources {
    let mut fields = Vec::new();
    for (header, key) in mapping.headers.iter().zip(&mapping.keys) {
        let Some(key) = key else { continue };
        let path = match *key {
            "name" | "name_en" | "name_fr" | "other_names" | "name_lang" => "names",
            "ror" | "erasmus" | "schac" | "pic" | "wikidata" | "isni" => "identifiers",
            other => other,
        };
        fields.push((path.to_owned(), header.clone()));
    }
    Sources { fields }
}

/// A JSON file in the CLI's shape: an array of records as `show --json` prints them (or their inputs).
fn json_file(
    conn: &mut rusqlite::Connection,
    clock: &dyn Clock,
    path: &Path,
    request: &Request,
    job: &Job,
    on_opened: &mut dyn FnMut(&Opened) -> Result<()>,
    on_row: &mut dyn FnMut(&RowPlan) -> Result<()>,
) -> Result<(Opened, Summary)> {
    let (opened, items) = json_items(path, request)?;
    let kind = opened.kind;
    on_opened(&opened)?;
    let total = items.len() as u64;
    let rows = items.into_iter().enumerate().map(|(i, mut input)| {
        let id = input
            .as_object_mut()
            .and_then(|o| o.remove("id"))
            .and_then(|id| id.as_str().and_then(|t| Uuid::parse_str(t).ok()));
        Ok(Prepared {
            number: i + 1,
            id,
            input,
            named: Vec::new(),
            problems: Vec::new(),
            cells: Vec::new(),
            waits: false,
        })
    });
    let summary = plan::run(
        conn,
        clock,
        kind,
        Source::Prepared(Box::new(rows)),
        total,
        &Sources::default(),
        request.options,
        job,
        &mut |plan, _| on_row(plan),
    )?;
    Ok((opened, summary))
}

/// A JSON file's records, and the file as opened (its kind given or guessed from the first record's keys).
fn json_items(path: &Path, request: &Request) -> Result<(Opened, Vec<Value>)> {
    let name =
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let size = std::fs::metadata(path)
        .map_err(|e| file_error(&name, None, None, format!("cannot be read: {e}")))?
        .len();
    if size > Limits::default().file_bytes {
        return Err(file_error(&name, None, None, "is too large to import"));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| file_error(&name, None, None, format!("cannot be read: {e}")))?;
    let items: Vec<Value> = match crate::json::from_str::<Value>(&text)? {
        Value::Array(items) => items,
        Value::Object(fields) => match fields.get("rows") {
            Some(Value::Array(items)) => items.clone(),
            _ => vec![Value::Object(fields)],
        },
        _ => return Err(file_error(&name, None, None, "is not a list of records")),
    };
    let headers: Vec<String> =
        items.first().and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let (kind, kind_guessed) = kind_of(&name, request.kind, &headers)?;
    let opened = Opened {
        file: name,
        format: "json".into(),
        encoding: Some("UTF-8".into()),
        encoding_detected: false,
        delimiter: None,
        sheet: None,
        sheets: Vec::new(),
        kind,
        kind_guessed,
        columns: headers.iter().map(|h| Column { header: h.clone(), field: Some(h.clone()) }).collect(),
        unmatched: Vec::new(),
        missing_columns: Vec::new(),
        remembered: false,
    };
    Ok((opened, items))
}

/// `Column=field` mappings checked for their form only (the fields are checked against the file's kind).
pub fn check_map(map: &[String]) -> Result<()> {
    let bad: Vec<FieldError> = map
        .iter()
        .filter(|m| !m.contains('='))
        .map(|m| FieldError {
            field: "map".into(),
            code: "mapping".into(),
            message: format!("{} is not a mapping; write it as Column=field", crate::validate::quote(m)),
        })
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(bad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn a_preview_shows_the_first_rows_and_the_mapping_a_run_would_use_remembered_mapping_included() {
        let conn = crate::open_in_memory().expect("db");
        let dir = std::env::temp_dir().join(format!("liaison-preview-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("partenaires.csv");
        let (text, _, _) = encoding_rs::WINDOWS_1252.encode(
            "Nom;Pays;Ville;Site de l'établissement\nUniversité de Montréal;Canada;Montréal;https://umontreal.ca\n\
             Fudan;Chine;Shanghai;https://fudan.edu.cn\nTongji;Chine;Shanghai;\n",
        );
        std::fs::write(&path, &text).expect("file");
        let (opened, rows) = preview(&conn, &path, &Request::default(), 2).expect("preview");
        let rows = rows.expect("a table's rows");
        assert_eq!((opened.kind, opened.kind_guessed), (Kind::Partner, true), "guessed from the headers");
        assert_eq!(opened.delimiter.as_deref(), Some(";"));
        assert_eq!(opened.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(opened.unmatched, vec!["Site de l'établissement".to_owned()]);
        assert_eq!(rows.rows.len(), 2, "only the rows asked for");
        assert!(rows.more, "the file has more rows than shown");
        assert_eq!(rows.rows[0].cells[0], crate::table::Cell::Text("Université de Montréal".into()));

        let headers = rows.headers.clone();
        let mapping = vec![("Site de l'établissement".to_owned(), "website".to_owned())];
        mapping_memory::remember(&conn, &ManualClock::default(), Kind::Partner, &headers, &mapping)
            .expect("kept");
        let (again, _) = preview(&conn, &path, &Request::default(), 2).expect("preview");
        assert!(again.remembered, "the hand mapping of the last file with these headers");
        assert_eq!(again.columns[3].field.as_deref(), Some("website"));
        assert!(again.unmatched.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
