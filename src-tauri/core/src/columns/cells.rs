//! One row's cells on their way into a record's JSON input: each mapped cell read by its column's kind of
//! value, what is wrong said in words with the row and the header as the file writes them.

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::error::Result;
use crate::table::{Cell, Row};
use crate::validate::quote;

use super::header::Mapping;
use super::problem::Problem;
use super::reference::{Found, Resolver};
use super::{country, value, CellProblem, Column, Missing, RecordKind, ValueKind};

pub(crate) struct Cells<'r, 'c> {
    pub resolver: &'r mut Resolver<'c>,
    kind: RecordKind,
    row: usize,
    /// The mapped columns: the column, the file's header, the cell.
    mapped: Vec<(&'static Column, String, Cell)>,
    problems: Vec<CellProblem>,
    out: Map<String, Value>,
    /// The decimals of the row's currency, for amounts.
    pub digits: u32,
}

impl<'r, 'c> Cells<'r, 'c> {
    pub fn new(
        resolver: &'r mut Resolver<'c>,
        kind: RecordKind,
        mapping: &Mapping,
        row: &Row,
    ) -> Cells<'r, 'c> {
        let mut mapped = Vec::new();
        for (i, key) in mapping.keys.iter().enumerate() {
            let Some(column) = key.and_then(|k| super::column(kind, k)) else { continue };
            let cell = row.cells.get(i).cloned().unwrap_or(Cell::Empty);
            mapped.push((column, mapping.headers.get(i).cloned().unwrap_or_default(), cell));
        }
        Cells { resolver, kind, row: row.number, mapped, problems: Vec::new(), out: Map::new(), digits: 2 }
    }

    pub fn finish(self) -> (Value, Vec<CellProblem>) {
        (Value::Object(self.out), self.problems)
    }

    /// Whether the file has a column for `key`.
    pub fn mapped(&self, key: &str) -> bool {
        self.mapped.iter().any(|(c, _, _)| c.key == key)
    }

    /// The cell of `key`, when mapped and not empty. A spreadsheet's error value (`#N/A`) is a problem.
    pub fn cell(&mut self, key: &str) -> Option<Cell> {
        let (_, _, cell) = self.mapped.iter().find(|(c, _, _)| c.key == key)?;
        if cell.is_empty() {
            return None;
        }
        if let Cell::Error(e) = cell {
            let problem = Problem::new(
                "spreadsheet_error",
                format!("the cell holds the spreadsheet error {e}; write a value or leave it empty"),
            )
            .with("value", e.as_str());
            self.problem(key, problem);
            return None;
        }
        Some(cell.clone())
    }

    pub fn problem(&mut self, key: &str, problem: Problem) {
        self.problem_missing(key, problem, None);
    }

    fn problem_missing(&mut self, key: &str, problem: Problem, missing: Option<Missing>) {
        let (column, header) = match self.mapped.iter().find(|(c, _, _)| c.key == key) {
            Some((c, h, _)) => (c.key, h.clone()),
            None => (super::column(self.kind, key).map_or("", |c| c.key), key.to_owned()),
        };
        self.problems.push(CellProblem {
            row: self.row,
            column: header,
            key: column,
            code: problem.code,
            params: problem.params,
            message: problem.message,
            missing,
        });
    }

    pub fn set(&mut self, field: &str, v: Value) {
        self.out.insert(field.to_owned(), v);
    }

    pub fn get(&self, field: &str) -> Option<&Value> {
        self.out.get(field)
    }

    /// The cell of `key` as text.
    pub fn text(&mut self, key: &str) -> Option<String> {
        self.cell(key).and_then(|c| value::text(&c))
    }

    /// The cell of `key` read by `parse`; a problem (and `None`) when it cannot be.
    pub fn parse<T>(
        &mut self,
        key: &str,
        parse: impl Fn(&Cell) -> std::result::Result<T, Problem>,
    ) -> Option<T> {
        let cell = self.cell(key)?;
        match parse(&cell) {
            Ok(v) => Some(v),
            Err(problem) => {
                self.problem(key, problem);
                None
            }
        }
    }

    /// The record of `target` that `text` names, written in the column `key`; a problem when there is none
    /// or several.
    pub fn reference(&mut self, key: &str, target: RecordKind, text: &str) -> Result<Option<Uuid>> {
        match self.resolver.find(target, text)? {
            Found::One(id) => Ok(Some(id)),
            Found::Nothing => {
                let noun = target.noun();
                // A Liaison id names a record that is not here: nothing to offer to create.
                let text = text.trim();
                let (problem, missing) = if Uuid::parse_str(text).is_ok() {
                    let problem =
                        Problem::new("no_record_with_id", format!("no {noun} has the Liaison id {text}"));
                    (problem, None)
                } else {
                    let missing = Some(Missing { kind: target, name: text.to_owned() });
                    (Problem::new("no_record_named", format!("no {noun} named {}", quote(text))), missing)
                };
                let problem = problem.with("kind", target.noun()).with("value", text);
                self.problem_missing(key, problem, missing);
                Ok(None)
            }
            Found::Many(n) => {
                let how = match target {
                    RecordKind::Partner => "its identifier (ROR, Erasmus code…) or its Liaison id",
                    RecordKind::Contact => "their e-mail or Liaison id",
                    _ => "its reference or Liaison id",
                };
                let message =
                    format!("{n} {}s are named {}; write {how} instead", target.noun(), quote(text.trim()));
                let problem = Problem::new("several_records_named", message)
                    .with("kind", target.noun())
                    .with("value", text.trim())
                    .with("count", n.to_string());
                self.problem(key, problem);
                Ok(None)
            }
        }
    }

    /// Every mapped column filled from the JSON field of the same name.
    pub fn plain(&mut self) -> Result<()> {
        let plain: Vec<&'static Column> =
            self.mapped.iter().map(|(c, _, _)| *c).filter(|c| c.plain).collect();
        for column in plain {
            match self.cell(column.key) {
                None => {
                    if column.mandatory {
                        let problem = Problem::new(
                            "empty_mandatory",
                            format!("{} is empty; a {} needs it", quote(column.en), self.kind.noun()),
                        )
                        .with("kind", self.kind.noun())
                        .with("column", column.en)
                        .with("column_fr", column.fr);
                        self.problem(column.key, problem);
                    } else if column.many {
                        self.set(column.key, json!([]));
                    } else if column.value == ValueKind::YesNo {
                        self.set(column.key, json!(false));
                    } else if !matches!(column.value, ValueKind::Vocabulary(_)) {
                        // An empty vocabulary cell leaves the field to its default (or as it is, on update).
                        self.set(column.key, Value::Null);
                    }
                }
                Some(cell) if column.many => {
                    let text = value::text(&cell).unwrap_or_default();
                    let commas = !matches!(column.value, ValueKind::Text | ValueKind::Reference(_));
                    let mut items = Vec::new();
                    let mut ok = true;
                    for item in value::items(&text, commas) {
                        match self.one(column, &Cell::Text(item))? {
                            Some(v) => items.push(v),
                            None => ok = false,
                        }
                    }
                    if ok {
                        self.set(column.key, Value::Array(items));
                    }
                }
                Some(cell) => {
                    if let Some(v) = self.one(column, &cell)? {
                        self.set(column.key, v);
                    }
                }
            }
        }
        Ok(())
    }

    /// One value of `column` from `cell` as the JSON input takes it; `None` with a problem when it cannot be.
    pub fn one(&mut self, column: &Column, cell: &Cell) -> Result<Option<Value>> {
        let key = column.key;
        let text = value::text(cell).unwrap_or_default();
        let parsed: std::result::Result<Value, Problem> = match column.value {
            ValueKind::Text | ValueKind::Phone | ValueKind::TimeZone | ValueKind::Identifier(_) => {
                Ok(json!(text))
            }
            ValueKind::Email => Ok(json!(text.trim_start_matches("mailto:").trim())),
            ValueKind::Url => Ok(json!(value::url(&text))),
            ValueKind::Language => Ok(json!(value::language(&text))),
            ValueKind::Currency => Ok(json!(value::currency(&text))),
            ValueKind::Date => value::date(cell).map(|d| json!(d.format("%Y-%m-%d").to_string())),
            ValueKind::Moment => value::moment(cell, None).map(|m| json!(m.to_rfc3339())),
            ValueKind::Integer => value::integer(cell).map(|i| json!(i)),
            ValueKind::Year => value::academic_year(cell).map(|y| json!(y)),
            ValueKind::Amount => value::amount(cell, self.digits).map(|a| json!(a)),
            ValueKind::Number => value::number(cell).map(|n| json!(n)),
            ValueKind::YesNo => value::yes_no(cell).map(|b| json!(b)),
            ValueKind::Field => value::field(cell).map(|f| json!(f)),
            ValueKind::Country => country::parse(&text).map(|c| json!(c)).ok_or_else(|| {
                Problem::new(
                    "not_a_country",
                    format!(
                        "{} is not a country; write an ISO code such as CN or a name such as Chine",
                        quote(&text)
                    ),
                )
                .with("value", text.as_str())
            }),
            ValueKind::Vocabulary(vocab) => {
                vocab.parse(&text).map(|c| json!(c)).ok_or_else(|| Problem::vocabulary(vocab, &text))
            }
            ValueKind::Reference(target) => {
                return Ok(self.reference(key, target, &text)?.map(|id| json!(id)));
            }
            ValueKind::Id | ValueKind::Entries => Ok(json!(text)),
        };
        Ok(match parsed {
            Ok(v) => Some(v),
            Err(problem) => {
                self.problem(key, problem);
                None
            }
        })
    }

    /// The Liaison id column: the row updates that record.
    pub fn id(&mut self) {
        if let Some(text) = self.text("id") {
            match Uuid::parse_str(&text) {
                Ok(id) => self.set("id", json!(id)),
                Err(_) => self.problem(
                    "id",
                    Problem::new(
                        "not_a_liaison_id",
                        format!("{} is not a Liaison id; leave it empty for a new record", quote(&text)),
                    )
                    .with("value", text.as_str()),
                ),
            }
        }
    }

    /// The entries of a nested-list cell: one a line, parts separated by `|`, each part trimmed.
    pub fn entries(&mut self, key: &str) -> Option<Vec<Vec<String>>> {
        let text = self.text(key)?;
        Some(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.split('|').map(|p| p.trim().to_owned()).collect())
                .collect(),
        )
    }
}

/// A nested-list cell's text from its entries: one a line, parts separated by ` | `, empty trailing parts
/// left out.
pub(crate) fn entries_text(entries: &[Vec<String>]) -> String {
    entries
        .iter()
        .map(|parts| {
            let end = parts.iter().rposition(|p| !p.is_empty()).map_or(0, |i| i + 1);
            parts[..end].join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
