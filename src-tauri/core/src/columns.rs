//! The column catalogue that import and export share: for each kind of record, its columns (a stable key,
//! the header in English and French, the kind of value, whether it is mandatory, the allowed values); a
//! record as a row of typed cells; a row read back into the record's JSON input (the CLI's shape, so the
//! core's own validation runs on it unchanged), with each cell's problem said in words; header recognition;
//! and the template a person fills in. A row written by [`row_of`] reads back by [`input_of`] into the same
//! input, field for field; fields a file has no column for are kept by [`overlay`] when a row updates a
//! record.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;
use crate::label::UiLang;
use crate::table::Row;

pub mod country;
pub mod header;
pub mod problem;
pub mod value;
pub mod vocab;

mod agreement;
mod application;
mod call;
mod cells;
mod contact;
mod event;
mod exchange;
mod partner;
mod project;
mod reference;
mod row;
mod template_file;

pub use header::{guess_kind, recognise, Mapping};
pub use problem::Problem;
pub use reference::home_institution;
pub use reference::{Found, Listed, Resolver};
pub use row::Rows;
pub use template_file::{is_hint_row, write_template, TemplateFormat};
pub use vocab::Vocab;

/// A sheet's name: the kind, plural, in the reader's language.
pub fn sheet_name(kind: RecordKind, lang: UiLang) -> &'static str {
    match (kind, lang) {
        (RecordKind::Partner, UiLang::En) => "Partners",
        (RecordKind::Partner, UiLang::Fr) => "Partenaires",
        (RecordKind::Contact, _) => "Contacts",
        (RecordKind::Agreement, UiLang::En) => "Agreements",
        (RecordKind::Agreement, UiLang::Fr) => "Accords",
        (RecordKind::Exchange, UiLang::En) => "Exchanges",
        (RecordKind::Exchange, UiLang::Fr) => "Mobilités",
        (RecordKind::Project, UiLang::En) => "Projects",
        (RecordKind::Project, UiLang::Fr) => "Projets",
        (RecordKind::Event, UiLang::En) => "Events",
        (RecordKind::Event, UiLang::Fr) => "Événements",
        (RecordKind::Call, UiLang::En) => "Calls",
        (RecordKind::Call, UiLang::Fr) => "Appels",
        (RecordKind::Application, UiLang::En) => "Applications",
        (RecordKind::Application, UiLang::Fr) => "Candidatures",
    }
}

/// The kinds of record a file can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Partner,
    Contact,
    Agreement,
    Exchange,
    Project,
    Event,
    Call,
    Application,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Partner,
        RecordKind::Contact,
        RecordKind::Agreement,
        RecordKind::Exchange,
        RecordKind::Project,
        RecordKind::Event,
        RecordKind::Call,
        RecordKind::Application,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Partner => "partner",
            RecordKind::Contact => "contact",
            RecordKind::Agreement => "agreement",
            RecordKind::Exchange => "exchange",
            RecordKind::Project => "project",
            RecordKind::Event => "event",
            RecordKind::Call => "call",
            RecordKind::Application => "application",
        }
    }

    /// A kind from its name, singular or plural, in English or French ("partners", "accords").
    pub fn parse(text: &str) -> Option<RecordKind> {
        let word = header::key(text);
        let word = word.strip_suffix('s').unwrap_or(&word);
        Some(match word {
            "partner" | "partenaire" | "organisation" | "organization" | "etablissement" => {
                RecordKind::Partner
            }
            "contact" | "person" | "people" | "personne" => RecordKind::Contact,
            "agreement" | "accord" | "convention" => RecordKind::Agreement,
            "exchange" | "mobility" | "mobilitie" | "mobilite" | "echange" => RecordKind::Exchange,
            "project" | "projet" => RecordKind::Project,
            "event" | "evenement" => RecordKind::Event,
            "call" | "appel" | "appel a projet" => RecordKind::Call,
            "application" | "candidature" => RecordKind::Application,
            _ => return None,
        })
    }

    /// What a record of this kind is called in messages ("no partner named …").
    pub fn noun(self) -> &'static str {
        self.as_str()
    }
}

/// What a column holds, which says how its cells are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "of", rename_all = "snake_case")]
pub enum ValueKind {
    /// Liaison's id of the row's record: a row that carries one updates that record.
    Id,
    Text,
    /// A calendar date: written as a date cell, read in the forms of [`value::date`].
    Date,
    /// A moment on the clock of the record's time zone (a call's deadline).
    Moment,
    Integer,
    /// An academic year by the year it starts in (2025 for 2025/2026).
    Year,
    /// An amount in the currency's major unit (euros, yen), stored in its minor unit.
    Amount,
    Number,
    YesNo,
    /// ISO 3166-1 alpha-2, or a name ([`country::parse`]).
    Country,
    /// A BCP-47 tag or a language's name.
    Language,
    /// ISO 4217.
    Currency,
    /// An IANA time zone ("Europe/Paris").
    TimeZone,
    Email,
    Phone,
    Url,
    /// An ISCED-F 2013 field or an alliance field.
    Field,
    /// An organisation identifier of one scheme (its code: `ror`, `erasmus`, `schac`, `pic`…).
    Identifier(&'static str),
    Vocabulary(Vocab),
    /// Another record, named by its readable name (or its Liaison id).
    Reference(RecordKind),
    /// A nested list, one entry a line, the entry's parts separated by ` | ` (an agreement's conditions).
    Entries,
}

/// One column of a kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Column {
    /// Stable: the field's name in the record's JSON input, or a name of its own for a flattened part
    /// (`name_fr`, `ror`, `organisation`).
    pub key: &'static str,
    pub en: &'static str,
    pub fr: &'static str,
    pub value: ValueKind,
    /// A row creating a record must fill it.
    pub mandatory: bool,
    /// Several values in one cell, separated by `;` (or line breaks).
    pub many: bool,
    /// Other headers people write for it (compared like labels).
    pub synonyms: &'static [&'static str],
    /// Filled from the JSON input's field of the same name (otherwise the kind's own code fills it).
    #[serde(skip)]
    pub(crate) plain: bool,
    /// What a template's hint row says beside the kind of value ("entries: organisation | role").
    #[serde(skip)]
    pub(crate) form: &'static str,
}

impl Column {
    pub(crate) const fn new(
        key: &'static str,
        en: &'static str,
        fr: &'static str,
        value: ValueKind,
    ) -> Column {
        Column { key, en, fr, value, mandatory: false, many: false, synonyms: &[], plain: true, form: "" }
    }

    pub(crate) const fn mandatory(self) -> Column {
        Column { mandatory: true, ..self }
    }

    pub(crate) const fn many(self) -> Column {
        Column { many: true, ..self }
    }

    pub(crate) const fn also(self, synonyms: &'static [&'static str]) -> Column {
        Column { synonyms, ..self }
    }

    /// Filled by the kind's own code rather than from the JSON field of the same name.
    pub(crate) const fn own(self) -> Column {
        Column { plain: false, ..self }
    }

    pub(crate) const fn form(self, form: &'static str) -> Column {
        Column { form, ..self }
    }

    /// The header for a reader of `lang`.
    pub fn label(&self, lang: UiLang) -> &'static str {
        match lang {
            UiLang::En => self.en,
            UiLang::Fr => self.fr,
        }
    }

    /// The values a cell may take, for a vocabulary or a yes/no column (a template's validation list).
    pub fn allowed(&self, lang: UiLang) -> Option<Vec<String>> {
        match self.value {
            ValueKind::Vocabulary(vocab) => Some(vocab.labels(lang)),
            ValueKind::YesNo => Some(match lang {
                UiLang::En => vec!["yes".into(), "no".into()],
                UiLang::Fr => vec!["oui".into(), "non".into()],
            }),
            _ => None,
        }
    }
}

/// The liaison-id column every kind starts with.
pub(crate) const ID: Column =
    Column::new("id", "Liaison id", "Identifiant Liaison", ValueKind::Id).own().also(&["uuid", "liaison_id"]);

/// A cell as written to a file: typed, so a date is written as a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Out {
    Empty,
    Text(String),
    Integer(i64),
    Number(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Bool(bool),
}

impl Out {
    /// The cell as a reader of a file reads it back ([`crate::table::Cell`]): what [`input_of`] receives.
    pub fn to_cell(&self) -> crate::table::Cell {
        use crate::table::Cell;
        match self {
            Out::Empty => Cell::Empty,
            Out::Text(t) => Cell::Text(t.clone()),
            Out::Integer(i) => Cell::Number(*i as f64),
            Out::Number(n) => Cell::Number(*n),
            Out::Date(d) => Cell::Date(*d),
            Out::DateTime(dt) => Cell::DateTime(*dt),
            Out::Bool(b) => Cell::Bool(*b),
        }
    }

    /// The cell as text, as a CSV file writes it (dates as yyyy-mm-dd, yes/no in `lang`).
    pub fn text(&self, lang: UiLang) -> String {
        match self {
            Out::Empty => String::new(),
            Out::Text(t) => t.clone(),
            Out::Integer(i) => i.to_string(),
            Out::Number(n) => n.to_string(),
            Out::Date(d) => d.format("%Y-%m-%d").to_string(),
            Out::DateTime(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
            Out::Bool(b) => match (lang, b) {
                (UiLang::En, true) => "yes".into(),
                (UiLang::En, false) => "no".into(),
                (UiLang::Fr, true) => "oui".into(),
                (UiLang::Fr, false) => "non".into(),
            },
        }
    }
}

/// What is wrong with one cell of a row, in words, where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellProblem {
    /// The row's number in the file.
    pub row: usize,
    /// The column's header as written in the file.
    pub column: String,
    /// The column's key.
    pub key: &'static str,
    /// Its code (see [`problem::CODES`]) and the values that word it.
    pub code: &'static str,
    pub params: std::collections::BTreeMap<String, String>,
    pub message: String,
    /// Set when the cell names a record that does not exist: the plan can offer to create it.
    pub missing: Option<Missing>,
}

/// A record named in a cell and found nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub kind: RecordKind,
    pub name: String,
}

/// The columns of `kind`, in the order a template and an export write them.
pub fn columns(kind: RecordKind) -> &'static [Column] {
    match kind {
        RecordKind::Partner => partner::COLUMNS,
        RecordKind::Contact => contact::COLUMNS,
        RecordKind::Agreement => agreement::COLUMNS,
        RecordKind::Exchange => exchange::COLUMNS,
        RecordKind::Project => project::COLUMNS,
        RecordKind::Event => event::COLUMNS,
        RecordKind::Call => call::COLUMNS,
        RecordKind::Application => application::COLUMNS,
    }
}

/// The column of `kind` with `key`.
pub fn column(kind: RecordKind, key: &str) -> Option<&'static Column> {
    columns(kind).iter().find(|c| c.key == key)
}

/// The header row for a reader of `lang`.
pub fn headers(kind: RecordKind, lang: UiLang) -> Vec<&'static str> {
    columns(kind).iter().map(|c| c.label(lang)).collect()
}

/// The record `id` of `kind` as a row of [`columns`], references named in `lang`. For many rows, keep a
/// [`Rows`].
pub fn row_of(conn: &Connection, kind: RecordKind, id: Uuid, lang: UiLang) -> Result<Vec<Out>> {
    Rows::new(conn, lang).row(kind, id)
}

/// A row of the file read into the JSON input of `kind` (the shape `input_from_json` takes), with the
/// problems of its cells. Only mapped columns are in it, so that, laid over an existing record with
/// [`overlay`], a file with a few columns changes those fields only. The Liaison id, when the row has one,
/// is under `id` (the records' `input_from_json` ignores it). For many rows, keep a [`Resolver`] and call
/// [`input_with`].
pub fn input_of(
    conn: &Connection,
    kind: RecordKind,
    mapping: &Mapping,
    row: &Row,
) -> Result<(Value, Vec<CellProblem>)> {
    input_with(&mut Resolver::new(conn), kind, mapping, row)
}

/// [`input_of`] with a resolver kept from row to row (it reads each kind's names once).
pub fn input_with(
    resolver: &mut Resolver,
    kind: RecordKind,
    mapping: &Mapping,
    row: &Row,
) -> Result<(Value, Vec<CellProblem>)> {
    if is_hint_row(kind, mapping, row) {
        let problem = CellProblem {
            row: row.number,
            column: mapping.headers.first().cloned().unwrap_or_default(),
            key: "",
            code: "hint_row",
            params: Default::default(),
            message: "this is the template's row of hints: delete it and write one record a row".into(),
            missing: None,
        };
        return Ok((Value::Object(serde_json::Map::new()), vec![problem]));
    }
    let mut cells = cells::Cells::new(resolver, kind, mapping, row);
    match kind {
        RecordKind::Partner => partner::input(&mut cells)?,
        RecordKind::Contact => contact::input(&mut cells)?,
        RecordKind::Agreement => agreement::input(&mut cells)?,
        RecordKind::Exchange => exchange::input(&mut cells)?,
        RecordKind::Project => project::input(&mut cells)?,
        RecordKind::Event => event::input(&mut cells)?,
        RecordKind::Call => call::input(&mut cells)?,
        RecordKind::Application => application::input(&mut cells)?,
    }
    Ok(cells.finish())
}

/// An existing record's input with a row's fields laid over it: the row's fields replace the record's, the
/// fields the file has no column for stay as they are.
pub fn overlay(existing: &Value, imported: &Value) -> Value {
    let mut out = existing.clone();
    if let (Some(out), Some(imported)) = (out.as_object_mut(), imported.as_object()) {
        for (k, v) in imported {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// A template: the header row, a row of hints (mandatory, allowed values, format), and for each column the
/// values a validation list offers (vocabularies and yes/no).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub headers: Vec<String>,
    pub hints: Vec<String>,
    pub allowed: Vec<Option<Vec<String>>>,
}

/// The template of `kind` for a reader of `lang`.
pub fn template(kind: RecordKind, lang: UiLang) -> Template {
    let columns = columns(kind);
    Template {
        headers: columns.iter().map(|c| c.label(lang).to_owned()).collect(),
        hints: columns.iter().map(|c| header::hint(c, lang)).collect(),
        allowed: columns.iter().map(|c| c.allowed(lang)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::records;
    use crate::table::Cell;
    use crate::workspace::{self, StartChoice};

    fn demo() -> Connection {
        workspace::demo_database()
    }

    fn table(kind: RecordKind) -> &'static str {
        kind.as_str()
    }

    /// The record's input as JSON with the ids of its nested rows left out and its lists in a stable order.
    fn normal(v: Value, top: bool) -> Value {
        match v {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(k, _)| top || k != "id")
                    .map(|(k, v)| (k, normal(v, false)))
                    .collect(),
            ),
            Value::Array(items) => {
                let mut items: Vec<Value> = items.into_iter().map(|v| normal(v, false)).collect();
                items.sort_by_key(|v| v.to_string());
                Value::Array(items)
            }
            other => other,
        }
    }

    fn stored(conn: &Connection, kind: RecordKind, id: Uuid) -> Value {
        let day = NaiveDate::from_ymd_opt(2000, 1, 1).expect("as the test sets it up");
        let v = match kind {
            RecordKind::Partner => {
                serde_json::to_value(records::partner::get(conn, id).expect("as the test sets it up").input)
            }
            RecordKind::Contact => {
                serde_json::to_value(records::contact::get(conn, id).expect("as the test sets it up").input)
            }
            RecordKind::Agreement => serde_json::to_value(
                records::agreement::get(conn, id, day).expect("as the test sets it up").input,
            ),
            RecordKind::Exchange => {
                serde_json::to_value(records::exchange::get(conn, id).expect("as the test sets it up").input)
            }
            RecordKind::Project => {
                serde_json::to_value(records::project::get(conn, id).expect("as the test sets it up").input)
            }
            RecordKind::Event => {
                serde_json::to_value(records::event::get(conn, id).expect("as the test sets it up").input)
            }
            RecordKind::Call => {
                serde_json::to_value(records::call::get(conn, id).expect("as the test sets it up").input)
            }
            RecordKind::Application => serde_json::to_value(
                records::application::get(conn, id).expect("as the test sets it up").input,
            ),
        };
        normal(v.expect("as the test sets it up"), true)
    }

    /// The JSON read back through the record's own `input_from_json`, as the import will.
    fn parsed(kind: RecordKind, json: &Value) -> Value {
        let text = json.to_string();
        let v = match kind {
            RecordKind::Partner => serde_json::to_value(
                records::partner::input_from_json(&text).expect("as the test sets it up"),
            ),
            RecordKind::Contact => serde_json::to_value(
                records::contact::input_from_json(&text).expect("as the test sets it up"),
            ),
            RecordKind::Agreement => serde_json::to_value(
                records::agreement::input_from_json(&text).expect("as the test sets it up"),
            ),
            RecordKind::Exchange => serde_json::to_value(
                records::exchange::input_from_json(&text).expect("as the test sets it up"),
            ),
            RecordKind::Project => serde_json::to_value(
                records::project::input_from_json(&text).expect("as the test sets it up"),
            ),
            RecordKind::Event => {
                serde_json::to_value(records::event::input_from_json(&text).expect("as the test sets it up"))
            }
            RecordKind::Call => {
                serde_json::to_value(records::call::input_from_json(&text).expect("as the test sets it up"))
            }
            RecordKind::Application => serde_json::to_value(
                records::application::input_from_json(&text).expect("as the test sets it up"),
            ),
        };
        normal(v.expect("as the test sets it up"), true)
    }

    #[test]
    fn every_demo_record_reads_back_from_its_row_field_for_field_in_both_languages() {
        let conn = demo();
        for lang in UiLang::ALL {
            let mut rows = Rows::new(&conn, lang);
            let mut resolver = Resolver::new(&conn);
            for kind in RecordKind::ALL {
                let headers: Vec<String> = headers(kind, lang).iter().map(|h| (*h).to_owned()).collect();
                let mapping = recognise(kind, &headers, &[]).expect("as the test sets it up");
                assert!(mapping.unmatched.is_empty(), "{kind:?} {lang:?}: {:?}", mapping.unmatched);
                assert!(
                    mapping.keys.iter().all(Option::is_some),
                    "{kind:?}: every header is its own column's"
                );
                let ids: Vec<Uuid> = conn
                    .prepare(&format!("SELECT id FROM {} WHERE deleted = 0", table(kind)))
                    .expect("as the test sets it up")
                    .query_map([], |r| r.get(0))
                    .expect("as the test sets it up")
                    .collect::<rusqlite::Result<_>>()
                    .expect("as the test sets it up");
                assert!(!ids.is_empty(), "the demo has {kind:?}s");
                for id in ids {
                    let out = rows.row(kind, id).expect("as the test sets it up");
                    assert_eq!(out.len(), headers.len());
                    let row = Row { number: 2, cells: out.iter().map(Out::to_cell).collect() };
                    let (json, problems) =
                        input_with(&mut resolver, kind, &mapping, &row).expect("as the test sets it up");
                    assert!(problems.is_empty(), "{kind:?} {id}: {problems:#?}\n{out:#?}");
                    assert_eq!(
                        json.get("id"),
                        Some(&serde_json::json!(id)),
                        "the row carries its record's id"
                    );
                    let mut back = parsed(kind, &json);
                    back.as_object_mut().expect("as the test sets it up").remove("id");
                    assert_eq!(back, stored(&conn, kind, id), "{kind:?} {id} in {lang:?}:\n{out:#?}");
                    // A CSV file has text only: the same row as text reads back the same.
                    let texts =
                        Row { number: 2, cells: out.iter().map(|o| Cell::Text(o.text(lang))).collect() };
                    let (json, problems) =
                        input_with(&mut resolver, kind, &mapping, &texts).expect("as the test sets it up");
                    assert!(problems.is_empty(), "{kind:?} {id} as text: {problems:#?}");
                    let mut back = parsed(kind, &json);
                    back.as_object_mut().expect("as the test sets it up").remove("id");
                    assert_eq!(back, stored(&conn, kind, id), "{kind:?} {id} as text in {lang:?}");
                }
            }
        }
    }

    /// Writes `json` as a new record of `kind` (or over `id`) through the record's own validation.
    fn write(conn: &mut Connection, kind: RecordKind, id: Option<Uuid>, json: &Value) -> Uuid {
        let clock = ManualClock::new();
        let mut json = json.clone();
        json.as_object_mut().expect("an object").remove("id");
        let text = json.to_string();
        macro_rules! save {
            ($module:ident) => {{
                let input = records::$module::input_from_json(&text).expect("valid JSON input");
                crate::write(conn, |tx| match id {
                    Some(id) => records::$module::update(tx, &clock, id, &input).map(|r| r.id),
                    None => records::$module::create(tx, &clock, &input).map(|r| r.id),
                })
            }};
        }
        let saved = match kind {
            RecordKind::Partner => save!(partner),
            RecordKind::Contact => save!(contact),
            RecordKind::Agreement => save!(agreement),
            RecordKind::Exchange => save!(exchange),
            RecordKind::Project => save!(project),
            RecordKind::Event => save!(event),
            RecordKind::Call => save!(call),
            RecordKind::Application => save!(application),
        };
        saved.unwrap_or_else(|e| panic!("{kind:?} {json}: {e}"))
    }

    #[test]
    fn the_demo_exported_as_rows_imports_into_an_empty_workspace_as_the_same_records() {
        let demo = demo();
        let mut empty = crate::open_in_memory().expect("a database");
        let clock = ManualClock::new();
        crate::write(&mut empty, |tx| workspace::start(tx, &clock, StartChoice::Empty, "Shanghai"))
            .expect("set up");
        let lang = UiLang::Fr;
        let mut from = Rows::new(&demo, lang);
        let order = [
            RecordKind::Partner,
            RecordKind::Contact,
            RecordKind::Agreement,
            RecordKind::Call,
            RecordKind::Project,
            RecordKind::Exchange,
            RecordKind::Event,
            RecordKind::Application,
        ];
        let mut made: Vec<(RecordKind, Uuid, Vec<Out>)> = Vec::new();
        for kind in order {
            let headers: Vec<String> = headers(kind, lang).iter().map(|h| (*h).to_owned()).collect();
            let mapping = recognise(kind, &headers, &[]).expect("the catalogue's own headers");
            let ids: Vec<Uuid> = demo
                .prepare(&format!("SELECT id FROM {} WHERE deleted = 0 ORDER BY id", table(kind)))
                .expect("a query")
                .query_map([], |r| r.get(0))
                .expect("ids")
                .collect::<rusqlite::Result<_>>()
                .expect("ids");
            let rows: Vec<(Vec<Out>, Row)> = ids
                .iter()
                .map(|id| {
                    let out = from.row(kind, *id).expect("a row");
                    let row = Row { number: 2, cells: out.iter().map(Out::to_cell).collect() };
                    (out, row)
                })
                .collect();
            // Records that name others of their kind (a unit's parent, a framework agreement) go in twice:
            // first without that reference, then whole once every record of the kind is there.
            let mut created = Vec::new();
            for (out, row) in &rows {
                let (mut json, problems) = input_of(&empty, kind, &mapping, row).expect("read");
                let own_kind: Vec<&CellProblem> = problems.iter().filter(|p| p.key != "parent_id").collect();
                assert!(own_kind.is_empty(), "{kind:?}: {own_kind:#?}");
                json.as_object_mut().expect("an object").remove("parent_id");
                created.push((write(&mut empty, kind, None, &json), out.clone(), row.clone()));
            }
            for (id, out, row) in created {
                let (mut json, problems) = input_of(&empty, kind, &mapping, &row).expect("read");
                assert!(problems.is_empty(), "{kind:?}: {problems:#?}");
                json["id"] = serde_json::json!(id);
                write(&mut empty, kind, Some(id), &json);
                made.push((kind, id, out));
            }
        }
        let mut back = Rows::new(&empty, lang);
        for (kind, id, out) in made {
            let again = back.row(kind, id).expect("a row");
            // Every cell but the Liaison id, which is the new workspace's own.
            assert_eq!(again[1..], out[1..], "{kind:?} {id}");
        }
    }

    fn row(cells: &[&str]) -> Row {
        Row { number: 14, cells: cells.iter().map(|c| Cell::Text((*c).to_owned())).collect() }
    }

    fn strings(headers: &[&str]) -> Vec<String> {
        headers.iter().map(|h| (*h).to_owned()).collect()
    }

    #[test]
    fn a_french_partner_row_becomes_partner_input() {
        let conn = demo();
        let headers = strings(&["Nom", "Pays", "Ville", "Site web", "Sigle", "Type", "ROR", "Autres noms"]);
        let mapping = recognise(RecordKind::Partner, &headers, &[]).expect("as the test sets it up");
        let (json, problems) = input_of(
            &conn,
            RecordKind::Partner,
            &mapping,
            &row(&[
                "上海大学",
                "Chine",
                "Shanghai",
                "www.shu.edu.cn",
                "SHU",
                "Université",
                "",
                "Shanghai University [en]",
            ]),
        )
        .expect("as the test sets it up");
        assert!(problems.is_empty(), "{problems:?}");
        let input = records::partner::input_from_json(&json.to_string()).expect("as the test sets it up");
        assert_eq!(input.country.as_deref(), Some("CN"));
        assert_eq!(input.website.as_deref(), Some("https://www.shu.edu.cn"));
        assert_eq!(input.kind, crate::kinds::OrgKind::University);
        assert_eq!(input.names[0].value, "上海大学");
        assert_eq!(input.names[0].lang, "zh-Hans", "Han script in China");
        assert!(input.names[0].primary);
        assert_eq!(
            (input.names[1].value.as_str(), input.names[1].lang.as_str()),
            ("Shanghai University", "en")
        );
        assert!(input.identifiers.is_empty());
    }

    #[test]
    fn each_problem_names_row_column_and_what_is_wrong() {
        let conn = demo();
        let headers = strings(&["Nom", "Pays", "Type", "Statut"]);
        let mapping = recognise(RecordKind::Partner, &headers, &[]).expect("as the test sets it up");
        let (_, problems) =
            input_of(&conn, RecordKind::Partner, &mapping, &row(&["", "Chinee", "Planète", "Actif"]))
                .expect("as the test sets it up");
        let said: Vec<(usize, &str, &str)> =
            problems.iter().map(|p| (p.row, p.column.as_str(), p.message.as_str())).collect();
        assert!(
            said.contains(&(
                14,
                "Pays",
                "\"Chinee\" is not a country; write an ISO code such as CN or a name such as Chine"
            )),
            "{said:?}"
        );
        assert!(
            said.iter().any(|(_, c, m)| *c == "Type" && m.contains("is not a kind of organisation")),
            "{said:?}"
        );
        assert!(said.iter().any(|(_, c, _)| *c == "Nom"), "an empty name: {said:?}");
        assert!(!said.iter().any(|(_, c, _)| *c == "Statut"), "Actif is a status: {said:?}");
        let codes: Vec<(&str, &str, Option<&str>)> = problems
            .iter()
            .map(|p| (p.column.as_str(), p.code, p.params.get("value").map(String::as_str)))
            .collect();
        assert!(codes.contains(&("Pays", "not_a_country", Some("Chinee"))), "{codes:?}");
        assert!(codes.contains(&("Type", "not_in_vocabulary", Some("Planète"))), "{codes:?}");
        assert!(codes.contains(&("Nom", "empty_mandatory", None)), "{codes:?}");
        let (_, problems) = input_of(
            &conn,
            RecordKind::Exchange,
            &recognise(
                RecordKind::Exchange,
                &strings(&["Établissement d'accueil", "Montant", "Début prévu"]),
                &[],
            )
            .expect("as the test sets it up"),
            &row(&["Université de Nulle Part", "beaucoup", "32/13/2026"]),
        )
        .expect("as the test sets it up");
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        for code in ["no_record_named", "not_an_amount", "not_a_date"] {
            assert!(codes.contains(&code), "{code} in {problems:?}");
        }
        assert!(problems.iter().all(|p| problem::CODES.contains(&p.code)), "{problems:?}");
    }

    #[test]
    fn an_exchange_row_finds_its_organisations_by_any_name_and_says_which_it_cannot() {
        let conn = demo();
        let headers = strings(&[
            "Personne",
            "Sens",
            "Catégorie",
            "Établissement d’origine",
            "Établissement d'accueil",
            "Montant",
            "Devise",
            "Début prévu",
        ]);
        let mapping = recognise(RecordKind::Exchange, &headers, &[]).expect("as the test sets it up");
        assert!(mapping.unmatched.is_empty(), "{:?}", mapping.unmatched);
        let person: String = conn
            .query_row("SELECT name FROM contact_summary LIMIT 1", [], |r| r.get(0))
            .expect("as the test sets it up");
        let (json, problems) = input_of(
            &conn,
            RecordKind::Exchange,
            &mapping,
            &row(&[
                &person,
                "Entrante",
                "Doctorant",
                "复旦大学",
                "Université Jean Moulin Lyon 3",
                "1 350,50",
                "€",
                "01/09/2026",
            ]),
        )
        .expect("as the test sets it up");
        assert!(problems.is_empty(), "{problems:?}");
        let input = records::exchange::input_from_json(&json.to_string()).expect("as the test sets it up");
        assert_eq!(input.amount, Some(135_050));
        assert_eq!(input.currency.as_deref(), Some("EUR"));
        assert_eq!(input.planned_start.as_deref(), Some("2026-09-01"));
        assert!(input.home_id.is_some() && input.host_id.is_some() && input.person_id.is_some());
        let (_, problems) = input_of(
            &conn,
            RecordKind::Exchange,
            &mapping,
            &row(&[&person, "incoming", "student", "Université de Nulle Part", "", "", "", ""]),
        )
        .expect("as the test sets it up");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message, "no partner named \"Université de Nulle Part\"");
        assert_eq!(
            problems[0].missing,
            Some(Missing { kind: RecordKind::Partner, name: "Université de Nulle Part".into() }),
            "the plan can offer to create it"
        );
    }

    #[test]
    fn an_agreement_row_naming_one_partner_gets_the_home_institution_as_the_other_party() {
        let conn = demo();
        let home = home_institution(&conn)
            .expect("as the test sets it up")
            .expect("the demo has agreements with French parties");
        let headers =
            strings(&["Intitulé", "Type", "Partenaire", "Date de signature", "Reconduction tacite"]);
        let mapping = recognise(RecordKind::Agreement, &headers, &[]).expect("as the test sets it up");
        let (json, problems) = input_of(
            &conn,
            RecordKind::Agreement,
            &mapping,
            &row(&["Échange avec Tohoku", "Échange d’étudiants", "東北大学", "15/03/2026", "oui"]),
        )
        .expect("as the test sets it up");
        assert!(problems.is_empty(), "{problems:?}");
        let input = records::agreement::input_from_json(&json.to_string()).expect("as the test sets it up");
        assert_eq!(input.parties.len(), 2);
        assert_eq!(input.parties[0].partner_id, Some(home));
        assert_eq!(input.signed_date.as_deref(), Some("2026-03-15"));
        assert!(input.auto_renewal);
    }

    #[test]
    fn overlay_keeps_the_fields_the_file_has_no_column_for() {
        let existing = serde_json::json!({"title": "A", "notes": "keep", "fields": ["0731"]});
        let imported = serde_json::json!({"title": "B", "fields": []});
        assert_eq!(
            overlay(&existing, &imported),
            serde_json::json!({"title": "B", "notes": "keep", "fields": []})
        );
    }

    #[test]
    fn templates_have_a_header_a_hint_and_lists_for_every_column() {
        for kind in RecordKind::ALL {
            for lang in UiLang::ALL {
                let t = template(kind, lang);
                assert_eq!(t.headers.len(), columns(kind).len());
                assert_eq!(t.hints.len(), t.headers.len());
                assert_eq!(t.allowed.len(), t.headers.len());
                let mut seen = std::collections::HashSet::new();
                for h in &t.headers {
                    assert!(seen.insert(header::key(h)), "{kind:?}: two columns are headed {h}");
                }
            }
        }
        let t = template(RecordKind::Exchange, UiLang::Fr);
        let at = t.headers.iter().position(|h| h == "Sens").expect("as the test sets it up");
        assert_eq!(t.allowed[at], Some(vec!["Entrante".to_owned(), "Sortante".to_owned()]));
        assert!(t.hints[at].starts_with("obligatoire"));
    }

    #[test]
    fn kinds_are_named_in_english_and_french() {
        assert_eq!(RecordKind::parse("partners"), Some(RecordKind::Partner));
        assert_eq!(RecordKind::parse("Accords"), Some(RecordKind::Agreement));
        assert_eq!(RecordKind::parse("mobilités"), Some(RecordKind::Exchange));
        assert_eq!(RecordKind::parse("planets"), None);
    }
}
