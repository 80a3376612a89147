//! The import's one pass over a file's rows, for a dry run and for the real thing alike: each row is
//! matched, laid over the record it updates, validated and written by the record's own rules in one
//! transaction, and what happened is said per row (create, update which fields old → new, unchanged, error
//! naming row and column). A row that fails or changes nothing writes nothing (no op, no clock tick): a row
//! that may write before it can fail (an update, organisations named) does it inside a savepoint, a row that
//! creates a record is checked whole before it writes. Each record gets its own clock reading and ops as
//! when written alone, from the replica's state read once for the import. A dry run then rolls everything
//! back; a real import commits only if no row failed, unless asked to keep the valid rows. Rows are handled
//! one at a time and derived rows settled every [`BATCH`] rows, so memory stays flat however long the file.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::columns::{self, Mapping, Problem, Resolver};
use crate::error::{Error, FieldError, Result};
use crate::job::Job;
use crate::store::Tx;
use crate::table::{Cell, Row};
use crate::text::fold;

use super::matching::{Found, Matcher};
use super::merge;
use super::record::Kind;

/// Rows between two settlings of derived rows (and two progress reports at most).
const BATCH: usize = 1000;

/// Rows at most kept to be tried again at the end of the file (past it, a row's error stands at once).
const WAITING: usize = 10_000;

/// A row tried again once the rest of the file is in.
enum Waiting<'m> {
    Row(Row, &'m Mapping),
    Prepared(Prepared),
}

/// What happens to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportAction")]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Error,
}

/// One field an update changes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, rename = "ImportChange")]
pub struct Change {
    /// The record's field (`country`, `names`).
    pub field: String,
    /// The file's column it comes from, as written in the file.
    pub column: Option<String>,
    #[ts(type = "unknown")]
    pub old: Value,
    #[ts(type = "unknown")]
    pub new: Value,
}

/// What is wrong with a row, where: its number as the spreadsheet shows it and the column as written in
/// the file (none when the row as a whole is at fault). The app words it from its code and params in the
/// reader's language: a code of [`columns::problem::CODES`], or a record rule's field code with the field
/// in `params.field`; `message` says it in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportRowError")]
pub struct RowError {
    #[ts(type = "number")]
    pub row: usize,
    pub column: Option<String>,
    pub code: String,
    #[ts(type = "Record<string, string>")]
    pub params: std::collections::BTreeMap<String, String>,
    pub message: String,
}

impl RowError {
    pub fn new(row: usize, column: Option<String>, problem: Problem) -> RowError {
        RowError {
            row,
            column,
            code: problem.code.to_owned(),
            params: problem.params,
            message: problem.message,
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(f, "row {}, column {column}: {}", self.row, self.message),
            None => write!(f, "row {}: {}", self.row, self.message),
        }
    }
}

/// What happens (or, in a dry run, would happen) to one row.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export, rename = "ImportRowPlan")]
pub struct RowPlan {
    #[ts(type = "number")]
    pub row: usize,
    pub action: Action,
    /// The record created or updated (in a dry run, a created record's id is not kept).
    #[ts(type = "string | null")]
    pub id: Option<Uuid>,
    /// How the record updated was found, in English ("ROR 013q1eq08", "its id").
    pub matched_by: Option<String>,
    /// The same, as the app words it in the reader's language.
    pub matched: Option<super::matching::By>,
    pub changes: Vec<Change>,
    pub errors: Vec<RowError>,
}

/// An organisation a file names that is no partner here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportMissing")]
pub struct Missing {
    /// As the file writes it (the first row's spelling).
    pub name: String,
    /// The column it is named in.
    pub column: Option<String>,
    /// The rows naming it (the first hundred).
    #[ts(type = "number[]")]
    pub rows: Vec<usize>,
    /// Created as a minimal partner (`create_missing`); otherwise each row naming it is an error.
    pub created: bool,
}

/// The whole import's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, rename = "ImportSummary")]
pub struct Summary {
    pub kind: Kind,
    pub dry_run: bool,
    #[ts(type = "number")]
    pub rows: usize,
    #[ts(type = "number")]
    pub created: usize,
    #[ts(type = "number")]
    pub updated: usize,
    #[ts(type = "number")]
    pub unchanged: usize,
    /// Rows in error.
    #[ts(type = "number")]
    pub errors: usize,
    pub missing: Vec<Missing>,
    /// Whether anything was written: false for a dry run, and for an all-or-nothing import with errors.
    pub written: bool,
}

/// How an import runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export, rename = "ImportOptions")]
#[serde(default)]
pub struct Options {
    /// Say what would happen, write nothing.
    pub dry_run: bool,
    /// Import the valid rows and leave out the rows in error (the caller writes them to a rejects file);
    /// otherwise any error means nothing is written.
    pub skip_invalid: bool,
    /// Create a minimal partner for each organisation named that is none here.
    pub create_missing: bool,
}

/// An organisation a row names by text, to be found among the partners: where its id goes in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// Path in the record's input (`host_id`, `parties[1].partner_id`, `partners[0].partner_id`).
    pub path: String,
    pub column: Option<String>,
    pub text: String,
}

/// One row of a file as the column catalogue read it into the record's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The row's number as the spreadsheet shows it.
    pub number: usize,
    /// Liaison's id, when the file has the column (an exported file).
    pub id: Option<Uuid>,
    /// The record's input (the CLI's JSON shape) from the row's mapped cells: only the fields the file has.
    pub input: Value,
    /// Organisations named by text, resolved here.
    pub named: Vec<Named>,
    /// Cells that could not be read, each naming its column.
    pub problems: Vec<RowError>,
    /// The row's cells as read, for a rejects file (empty when the rows did not come from a table).
    pub cells: Vec<Cell>,
    /// Some cell names a record that is not here: a later row of the file may create it.
    pub waits: bool,
}

/// Where an import's rows come from.
pub enum Source<'a> {
    /// Rows already read into inputs (a JSON file in the CLI's shape).
    Prepared(Box<dyn Iterator<Item = Result<Prepared>> + 'a>),
    /// A table's rows, read into inputs through a column mapping; the names in their cells are looked up in
    /// the import's own transaction, so organisations it creates are found by later rows.
    Table { rows: Box<dyn Iterator<Item = Result<Row>> + 'a>, mapping: &'a Mapping },
}

/// Where each field of the record's input comes from in the file, to name the column of an error.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sources {
    /// (input path, the file's column header).
    pub fields: Vec<(String, String)>,
}

impl Sources {
    /// The column a field error's path (`names[0].value`, `country`) comes from: its own, else its list's or
    /// field's when one column feeds it.
    pub fn column_of(&self, path: &str) -> Option<String> {
        if let Some((_, column)) = self.fields.iter().find(|(p, _)| p == path) {
            return Some(column.clone());
        }
        let bare = without_indices(path);
        if let Some((_, column)) = self.fields.iter().find(|(p, _)| without_indices(p) == bare) {
            return Some(column.clone());
        }
        let head = path.split(['.', '[']).next().unwrap_or(path);
        self.fields.iter().find(|(p, _)| p.split(['.', '[']).next() == Some(head)).map(|(_, c)| c.clone())
    }
}

fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => skipping = true,
            ']' => skipping = false,
            _ if !skipping => out.push(c),
            _ => {}
        }
    }
    out
}

/// Runs an import of `rows` of `kind` in one transaction (see the module's guarantee). `on_row` hears each
/// row's plan, with the row, as it is made (to print it, or keep a rejected row); `total` is for progress (0
/// if unknown). Cancelling the job rolls everything back.
#[allow(clippy::too_many_arguments)]
pub fn run(
    conn: &mut Connection,
    clock: &dyn Clock,
    kind: Kind,
    source: Source<'_>,
    total: u64,
    sources: &Sources,
    options: Options,
    job: &Job,
    on_row: &mut dyn FnMut(&RowPlan, &Prepared) -> Result<()>,
) -> Result<Summary> {
    super::matching::create_tables(conn)?;
    let tx = Tx::begin(conn, crate::derive::settle)?;
    let origin: Option<i64> = tx
        .query_row("SELECT r.num FROM replica_state s JOIN replica r ON r.id = s.replica_id", [], |r| {
            r.get(0)
        })
        .optional()?;
    let origin = origin.ok_or(Error::NotInitialised)?;
    let mut state = State {
        kind,
        clock,
        options,
        sources,
        origin,
        today: clock.now().date_naive(),
        matcher: Matcher::prepare(&tx, kind)?,
        missing: Vec::new(),
        missing_index: HashMap::new(),
        created_names: false,
        waits: false,
        in_savepoint: false,
    };
    // One reading of the replica's clock and op numbering for the whole import, not one per record.
    crate::oplog::hold(&tx)?;
    let mut summary = Summary {
        kind,
        dry_run: options.dry_run,
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        errors: 0,
        missing: Vec::new(),
        written: false,
    };
    let mut resolver = Resolver::new(&tx);
    let (mut prepared, mut table) = match source {
        Source::Prepared(rows) => (Some(rows), None),
        Source::Table { rows, mapping } => (None, Some((rows, mapping))),
    };
    // Rows naming a record the file creates further down wait for the end of the file and are tried again.
    let mut waiting: Vec<Waiting> = Vec::new();
    let mut retrying = false;
    loop {
        job.step("Rows", summary.rows as u64, total.max(summary.rows as u64))?;
        let next = if retrying {
            match waiting.pop() {
                Some(Waiting::Row(row, mapping)) => Some(state.read(&tx, &mut resolver, mapping, row, true)),
                Some(Waiting::Prepared(row)) => Some(Ok(row)),
                None => None,
            }
        } else {
            match (&mut prepared, &mut table) {
                (Some(rows), _) => rows.next(),
                (_, Some((rows, mapping))) => rows
                    .next()
                    .map(|row| state.read(&tx, &mut resolver, mapping, row?, waiting.len() >= WAITING)),
                (None, None) => None,
            }
        };
        let Some(row) = next else {
            if retrying || waiting.is_empty() {
                break;
            }
            retrying = true;
            waiting.reverse();
            resolver.forget();
            state.created_names = false;
            continue;
        };
        let row = row?;
        let plan = state.row(&tx, &row)?;
        if plan.action == Action::Error && state.waits && !retrying && waiting.len() < WAITING {
            waiting.push(match &table {
                Some((_, mapping)) => Waiting::Row(Row { number: row.number, cells: row.cells }, mapping),
                None => Waiting::Prepared(row),
            });
            continue;
        }
        if plan.action == Action::Create && state.kind == Kind::Partner {
            state.created_names = true;
        }
        summary.rows += 1;
        match plan.action {
            Action::Create => summary.created += 1,
            Action::Update => summary.updated += 1,
            Action::Unchanged => summary.unchanged += 1,
            Action::Error => summary.errors += 1,
        }
        on_row(&plan, &row)?;
        if summary.rows.is_multiple_of(BATCH) {
            if options.dry_run {
                // Rolled back at the end: what derived rows would be does not matter, memory does.
                tx.take_touched();
            } else {
                tx.settle()?;
            }
        }
    }
    job.step("Rows", summary.rows as u64, summary.rows as u64)?;
    summary.missing = state.missing;
    let keep = !options.dry_run && (summary.errors == 0 || options.skip_invalid);
    if keep {
        job.check()?;
        tx.commit()?;
        summary.written = summary.created + summary.updated > 0;
    }
    // Otherwise the transaction is dropped: rolled back, the database as it was.
    Ok(summary)
}

struct State<'a> {
    kind: Kind,
    clock: &'a dyn Clock,
    options: Options,
    sources: &'a Sources,
    origin: i64,
    today: chrono::NaiveDate,
    matcher: Matcher,
    missing: Vec<Missing>,
    /// Folded name → index in `missing`, and the partner created for it.
    missing_index: HashMap<String, (usize, Option<Uuid>)>,
    /// Partners were created since the resolver last read their names.
    created_names: bool,
    /// The last row planned failed only for a record it names that is not here (yet).
    waits: bool,
    /// The row under way opened its savepoint.
    in_savepoint: bool,
}

enum Outcome {
    Done(RowPlan),
    /// The row failed: what it wrote is undone.
    Failed(Vec<RowError>),
}

/// Where a row started: the replica's clock and op numbering as held, and the connection's count of rows
/// changed.
struct Before {
    replica: Option<crate::store::ReplicaState>,
    changes: u64,
}

impl State<'_> {
    /// A table's row read into the record's input through the mapping. On its last try (at the end of the
    /// file, for a row that waited), an organisation it names that is none here is looked for again, then
    /// created when asked (`create_missing`) and listed as missing either way.
    fn read(
        &mut self,
        tx: &Tx,
        resolver: &mut Resolver,
        mapping: &Mapping,
        row: Row,
        last_try: bool,
    ) -> Result<Prepared> {
        let record_kind = self.kind.columns();
        let (mut input, mut problems) = columns::input_with(resolver, record_kind, mapping, &row)?;
        // Before its last try a row naming what is not here waits: a later row may create it.
        if last_try && problems.iter().any(|p| p.missing.is_some()) {
            if self.created_names {
                resolver.forget();
                self.created_names = false;
                (input, problems) = columns::input_with(resolver, record_kind, mapping, &row)?;
            }
            let mut created = false;
            for problem in &problems {
                let Some(missing) = &problem.missing else { continue };
                if missing.kind != columns::RecordKind::Partner {
                    continue;
                }
                let named = Named {
                    path: String::new(),
                    column: Some(problem.column.clone()),
                    text: missing.name.clone(),
                };
                if let Ok(_id) = self.organisation(tx, row.number, &named)? {
                    created = true;
                }
            }
            if created {
                resolver.forget();
                (input, problems) = columns::input_with(resolver, record_kind, mapping, &row)?;
            }
        }
        let waits = problems.iter().any(|p| p.missing.is_some());
        let id = input
            .as_object_mut()
            .and_then(|fields| fields.remove("id"))
            .and_then(|id| id.as_str().and_then(|t| Uuid::parse_str(t).ok()));
        let problems = problems
            .into_iter()
            .map(|p| RowError {
                row: p.row,
                column: Some(p.column).filter(|c| !c.is_empty()),
                code: p.code.to_owned(),
                params: p.params,
                message: p.message,
            })
            .collect();
        Ok(Prepared { number: row.number, id, input, named: Vec::new(), problems, cells: row.cells, waits })
    }

    fn row(&mut self, tx: &Tx, row: &Prepared) -> Result<RowPlan> {
        self.waits = row.waits;
        if !row.problems.is_empty() {
            return Ok(failed(row.number, row.problems.clone()));
        }
        let before = Before { replica: tx.held(), changes: tx.total_changes() };
        let outcome = match self.attempt(tx, row) {
            Ok(outcome) => outcome,
            Err(Error::Invalid(fields)) => {
                self.waits = fields.iter().any(|f| f.code == "not_found");
                Outcome::Failed(self.field_errors(row.number, &fields))
            }
            Err(e @ Error::NotFound { .. }) => {
                let problem = Problem::new("record_not_found", e.to_string()).with("kind", self.kind.table());
                Outcome::Failed(vec![RowError::new(row.number, None, problem)])
            }
            Err(Error::Conflict(message)) => {
                let problem = Problem::new("conflict", message.clone()).with("message", message);
                Outcome::Failed(vec![RowError::new(row.number, None, problem)])
            }
            Err(e) => {
                if self.in_savepoint {
                    self.in_savepoint = false;
                    savepoint(tx, "ROLLBACK TO import_row")?;
                    savepoint(tx, "RELEASE import_row")?;
                }
                return Err(e);
            }
        };
        match outcome {
            Outcome::Done(plan) if plan.action != Action::Unchanged => {
                if self.in_savepoint {
                    self.in_savepoint = false;
                    savepoint(tx, "RELEASE import_row")?;
                }
                Ok(plan)
            }
            // Unchanged: whatever the attempt wrote (a clock tick) is undone, so nothing at all changes.
            Outcome::Done(plan) => {
                self.undo(tx, row.number, &before)?;
                if let Some(id) = plan.id {
                    self.matcher.claim(tx, row.number, id, &row.input)?;
                    // The file's id of another workspace is this record: kept though nothing else is.
                    if let Some(old) = row.id.filter(|old| *old != id) {
                        if super::matching::origin(tx, old)? != Some(id) {
                            super::matching::note_origin(tx, old, id)?;
                        }
                    }
                }
                Ok(plan)
            }
            Outcome::Failed(errors) => {
                self.undo(tx, row.number, &before)?;
                Ok(failed(row.number, errors))
            }
        }
    }

    /// Opens the row's savepoint, before its first write that a later error of the same row must undo. A
    /// row that creates a record needs none: the record's own rules are checked before it writes anything,
    /// and what follows its write fails only as the whole import does.
    fn savepoint(&mut self, tx: &Tx) -> Result<()> {
        if !self.in_savepoint {
            savepoint(tx, "SAVEPOINT import_row")?;
            self.in_savepoint = true;
        }
        Ok(())
    }

    /// Undoes what a row that failed or changes nothing wrote: back to its savepoint, and its clock readings
    /// and op numbers given back. Without a savepoint it wrote nothing, or the import stops.
    fn undo(&mut self, tx: &Tx, number: usize, before: &Before) -> Result<()> {
        if self.in_savepoint {
            self.in_savepoint = false;
            savepoint(tx, "ROLLBACK TO import_row")?;
            savepoint(tx, "RELEASE import_row")?;
        } else if tx.total_changes() != before.changes {
            return Err(Error::Corrupt(format!(
                "row {number} failed after writing part of its record, with no savepoint to undo it"
            )));
        }
        tx.hold(before.replica);
        Ok(())
    }

    fn attempt(&mut self, tx: &Tx, row: &Prepared) -> Result<Outcome> {
        let mut input = row.input.clone();
        remap(tx, &mut input)?;
        let mut errors = Vec::new();
        if !row.named.is_empty() {
            // Looking organisations up fills a table of their names; one may be created (`create_missing`).
            self.savepoint(tx)?;
        }
        for named in &row.named {
            match self.organisation(tx, row.number, named)? {
                Ok(id) => set_path(&mut input, &named.path, Value::String(id.to_string())),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Ok(Outcome::Failed(errors));
        }
        let kind = self.kind.table();
        let (id, matched_by) = match self.matcher.find(tx, row.id, &input)? {
            Found::New => (None, None),
            Found::Existing { id, by } => {
                if let Some(old) = row.id.filter(|old| *old != id) {
                    if super::matching::origin(tx, old)? != Some(id) {
                        self.savepoint(tx)?;
                        super::matching::note_origin(tx, old, id)?;
                    }
                }
                (Some(id), Some(by))
            }
            Found::SameAsRow { row: first, by } => {
                let said = by_params(&by);
                let problem = Problem::new(
                    "same_as_row",
                    format!(
                        "this row and row {first} are the same {kind} (same {by}): keep one of them, or merge them"
                    ),
                )
                .with("other", first.to_string())
                .with("kind", kind);
                let problem = Problem { params: problem.params.into_iter().chain(said).collect(), ..problem };
                return Ok(Outcome::Failed(vec![RowError::new(row.number, None, problem)]));
            }
            Found::Ambiguous { count, by } => {
                let said = by_params(&by);
                let problem = Problem::new(
                    "ambiguous_match",
                    format!(
                        "{count} {kind}s here have the same {by}: add Liaison's id column{} to say which one this row is",
                        if self.kind == Kind::Contact { " or an e-mail" } else { "" }
                    ),
                )
                .with("count", count.to_string())
                .with("kind", kind);
                let problem = Problem { params: problem.params.into_iter().chain(said).collect(), ..problem };
                return Ok(Outcome::Failed(vec![RowError::new(row.number, None, problem)]));
            }
        };
        let Some(id) = id else {
            // Ids of list elements (names, parties) belong to a record elsewhere: the new one gets its own.
            let given = input.clone();
            strip_element_ids(&mut input);
            let id = self.kind.write(tx, self.clock, None, &input)?;
            if let Some(old) = row.id {
                super::matching::note_origin(tx, old, id)?;
                // Its elements' ids too (an agreement's conditions, a call's criteria), which other
                // records of a JSON file name.
                if let Some(created) = self.kind.read(tx, id, self.today)? {
                    for (old, new) in element_ids(&given, &created) {
                        super::matching::note_origin(tx, old, new)?;
                    }
                }
            }
            self.matcher.claim(tx, row.number, id, &input)?;
            if self.kind == Kind::Partner {
                self.matcher.note_organisation(tx, id, &input)?;
            }
            return Ok(Outcome::Done(RowPlan {
                row: row.number,
                action: Action::Create,
                id: (!self.options.dry_run).then_some(id),
                matched_by: None,
                matched: None,
                changes: Vec::new(),
                errors: Vec::new(),
            }));
        };
        let before = self
            .kind
            .read(tx, id, self.today)?
            .ok_or_else(|| Error::NotFound { entity: self.kind.table(), id: id.to_string() })?;
        // Only the record's input fields (a JSON file in the read-back shape has more).
        if let (Some(fields), Some(known)) = (input.as_object_mut(), before.as_object()) {
            fields.retain(|k, _| known.contains_key(k));
        }
        // A row with Liaison's id carries whole lists already laid over the record (see `columns`); a row
        // found by its keys carries only the file's elements, merged into the record's.
        let merged = if matched_by.as_ref().is_some_and(|by| by.code == super::matching::BY_ID_CODE) {
            columns::overlay(&before, &input)
        } else {
            merge::overlay(&before, &input)
        };
        let plan = |action, changes| RowPlan {
            row: row.number,
            action,
            id: Some(id),
            matched_by: matched_by.as_ref().map(|by| by.text.clone()),
            matched: matched_by.clone(),
            changes,
            errors: Vec::new(),
        };
        if merged == before {
            return Ok(Outcome::Done(plan(Action::Unchanged, Vec::new())));
        }
        // An update may fail halfway (a person erased since, say): only now is a savepoint needed, so a row
        // found unchanged above opened none.
        self.savepoint(tx)?;
        let ops = self.ops(tx)?;
        self.kind.write(tx, self.clock, Some(id), &merged)?;
        if self.ops(tx)? == ops {
            return Ok(Outcome::Done(plan(Action::Unchanged, Vec::new())));
        }
        let after = self.kind.read(tx, id, self.today)?.unwrap_or(Value::Null);
        self.matcher.claim(tx, row.number, id, &after)?;
        let changes = merge::changes(&before, &after)
            .into_iter()
            .map(|(field, old, new)| Change { column: self.sources.column_of(&field), field, old, new })
            .collect();
        Ok(Outcome::Done(plan(Action::Update, changes)))
    }

    /// The op log's high-water mark for this replica: unchanged when a write logged nothing.
    fn ops(&self, conn: &Tx) -> Result<i64> {
        if let Some(state) = conn.held() {
            return Ok(state.next_seq - 1);
        }
        Ok(conn
            .prepare_cached("SELECT coalesce(max(seq), 0) FROM op WHERE origin = ?1")?
            .query_row(params![self.origin], |r| r.get(0))?)
    }

    /// The partner a row names, or the row's error: none by that name (unless created), or several.
    fn organisation(&mut self, tx: &Tx, number: usize, named: &Named) -> Result<Result<Uuid, RowError>> {
        let text = named.text.trim();
        let found = self.matcher.organisations(tx, text)?;
        match found.as_slice() {
            [id] => return Ok(Ok(*id)),
            [] => {}
            several => {
                let problem = Problem::new(
                    "organisation_ambiguous",
                    format!(
                        "{} names {} partners here: write its full name or an identifier such as its ROR",
                        crate::validate::quote(text),
                        several.len()
                    ),
                )
                .with("value", text)
                .with("count", several.len().to_string());
                return Ok(Err(RowError::new(number, named.column.clone(), problem)));
            }
        }
        let key = fold(text);
        let (index, created) = match self.missing_index.get(&key) {
            Some(&(index, created)) => (index, created),
            None => {
                self.missing.push(Missing {
                    name: text.to_owned(),
                    column: named.column.clone(),
                    rows: Vec::new(),
                    created: self.options.create_missing,
                });
                let index = self.missing.len() - 1;
                self.missing_index.insert(key.clone(), (index, None));
                (index, None)
            }
        };
        if self.missing[index].rows.len() < 100 && !self.missing[index].rows.contains(&number) {
            self.missing[index].rows.push(number);
        }
        if let Some(id) = created {
            return Ok(Ok(id));
        }
        if !self.options.create_missing {
            let problem = Problem::new(
                "organisation_missing",
                format!(
                    "no partner here is named {}: add it first, or import with the option to create missing organisations (--create-missing)",
                    crate::validate::quote(text)
                ),
            )
            .with("value", text);
            return Ok(Err(RowError::new(number, named.column.clone(), problem)));
        }
        // A minimal partner: its name only, in no known language, created once for all the rows naming it.
        let input = serde_json::json!({"names": [{"value": text, "lang": "und", "primary": true}]});
        let id = crate::records::partner::add(
            tx,
            self.clock,
            &crate::records::partner::input_from_json(&input.to_string())?,
        )?;
        self.matcher.note_organisation(tx, id, &input)?;
        Ok(Ok(id))
    }

    fn field_errors(&self, number: usize, fields: &[FieldError]) -> Vec<RowError> {
        fields
            .iter()
            .map(|f| {
                let column = self.sources.column_of(&f.field);
                let message =
                    if column.is_some() { f.message.clone() } else { format!("{}: {}", f.field, f.message) };
                let params = [("field".to_owned(), f.field.clone())].into();
                RowError { row: number, column, code: f.code.clone(), params, message }
            })
            .collect()
    }
}

/// Replaces, anywhere in a row's input, the file's ids of records imported here (by this import, or before)
/// by their ids here.
fn remap(conn: &Connection, value: &mut Value) -> Result<()> {
    match value {
        Value::String(text) => {
            if let Ok(old) = Uuid::parse_str(text) {
                // Kept in the database (in the import's transaction), not in memory: flat for any file.
                if let Some(new) = super::matching::origin(conn, old)? {
                    *text = new.to_string();
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                remap(conn, item)?;
            }
        }
        Value::Object(fields) => {
            for item in fields.values_mut() {
                remap(conn, item)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The ids of a given input's list elements paired with those of the same elements as created: an element is
/// the created one equal to it but for ids.
fn element_ids(given: &Value, created: &Value) -> Vec<(Uuid, Uuid)> {
    let mut pairs = Vec::new();
    let (Some(given), Some(created)) = (given.as_object(), created.as_object()) else { return pairs };
    for (key, items) in given {
        let (Some(items), Some(made)) = (items.as_array(), created.get(key).and_then(Value::as_array)) else {
            continue;
        };
        let mut taken = vec![false; made.len()];
        for item in items {
            let Some(old) = item.get("id").and_then(Value::as_str).and_then(|t| Uuid::parse_str(t).ok())
            else {
                continue;
            };
            let mut bare = item.clone();
            strip_ids(&mut bare);
            let found = (0..made.len()).find(|&i| {
                let mut other = made[i].clone();
                strip_ids(&mut other);
                !taken[i] && other == bare
            });
            if let Some(i) = found {
                taken[i] = true;
                if let Some(new) =
                    made[i].get("id").and_then(Value::as_str).and_then(|t| Uuid::parse_str(t).ok())
                {
                    pairs.push((old, new));
                }
            }
        }
    }
    pairs
}

fn strip_ids(value: &mut Value) {
    if let Value::Object(fields) = value {
        fields.remove("id");
    }
    strip_element_ids(value);
}

/// Removes the `id` of every list element of an input (names, identifiers, parties…).
fn strip_element_ids(input: &mut Value) {
    if let Value::Object(fields) = input {
        for value in fields.values_mut() {
            if let Value::Array(items) = value {
                for item in items {
                    if let Value::Object(element) = item {
                        element.remove("id");
                    }
                    strip_element_ids(item);
                }
            }
        }
    }
}

/// A savepoint statement, prepared once for the whole import rather than parsed for every row.
fn savepoint(conn: &Connection, sql: &str) -> Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

fn failed(number: usize, errors: Vec<RowError>) -> RowPlan {
    RowPlan {
        row: number,
        action: Action::Error,
        id: None,
        matched_by: None,
        matched: None,
        changes: Vec::new(),
        errors,
    }
}

/// How a record was found, as an error's params: in English (`by`), and its code and values for the app
/// (`by_code`, `by_value`…).
fn by_params(by: &super::matching::By) -> Vec<(String, String)> {
    let mut params = vec![("by".to_owned(), by.text.clone()), ("by_code".to_owned(), by.code.clone())];
    params.extend(by.params.iter().map(|(k, v)| (format!("by_{k}"), v.clone())));
    params
}

/// Sets the value at `path` (`host_id`, `parties[1].partner_id`) in `input`, making the objects and list
/// elements on the way.
pub fn set_path(input: &mut Value, path: &str, value: Value) {
    let mut here = input;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        if !here.is_object() {
            *here = Value::Object(serde_json::Map::new());
        }
        let Value::Object(fields) = here else { return };
        let slot = fields.entry(name.to_owned()).or_insert(Value::Null);
        let slot = match index {
            Some(i) => {
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                }
                let Value::Array(items) = slot else { return };
                while items.len() <= i {
                    items.push(Value::Object(serde_json::Map::new()));
                }
                &mut items[i]
            }
            None => slot,
        };
        if parts.peek().is_none() {
            *slot = value;
            return;
        }
        here = slot;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::clock::ManualClock;

    fn workspace() -> (Connection, ManualClock) {
        let mut conn = crate::open_in_memory().expect("db");
        let clock = ManualClock::default();
        crate::write(&mut conn, |tx| crate::store::init(tx, "Lyon", &clock).map(|_| ())).expect("init");
        (conn, clock)
    }

    fn partner_row(number: usize, name: &str, country: &str, ror: Option<&str>) -> Prepared {
        let mut input =
            json!({"names": [{"value": name, "lang": "en", "primary": true}], "country": country});
        if let Some(ror) = ror {
            input["identifiers"] = json!([{"scheme": "ror", "value": ror}]);
        }
        Prepared {
            number,
            id: None,
            input,
            named: Vec::new(),
            problems: Vec::new(),
            cells: Vec::new(),
            waits: false,
        }
    }

    fn sources() -> Sources {
        Sources {
            fields: vec![
                ("names[0].value".into(), "Nom".into()),
                ("country".into(), "Pays".into()),
                ("identifiers[0].value".into(), "ROR".into()),
            ],
        }
    }

    fn import(
        conn: &mut Connection,
        clock: &ManualClock,
        rows: Vec<Prepared>,
        options: Options,
    ) -> (Summary, Vec<RowPlan>) {
        let mut plans = Vec::new();
        let summary = run(
            conn,
            clock,
            Kind::Partner,
            Source::Prepared(Box::new(rows.into_iter().map(Ok))),
            0,
            &sources(),
            options,
            &Job::silent(),
            &mut |p, _| {
                plans.push(p.clone());
                Ok(())
            },
        )
        .expect("import runs");
        (summary, plans)
    }

    fn ops(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM op", [], |r| r.get(0)).expect("count")
    }

    #[test]
    fn a_file_creates_then_updates_and_the_same_file_again_changes_nothing() {
        let (mut conn, clock) = workspace();
        let rows = || {
            vec![
                partner_row(2, "Fudan University", "CN", Some("013q1eq08")),
                partner_row(3, "Tongji University", "CN", None),
            ]
        };
        let (summary, _) = import(&mut conn, &clock, rows(), Options::default());
        assert_eq!((summary.created, summary.errors, summary.written), (2, 0, true));
        let after_first = ops(&conn);
        let (summary, plans) = import(&mut conn, &clock, rows(), Options::default());
        assert_eq!((summary.unchanged, summary.created, summary.written), (2, 0, false), "{plans:?}");
        assert_eq!(ops(&conn), after_first, "no op written the second time");

        // By ROR, whatever the name now says; by name and country otherwise.
        let changed = vec![
            partner_row(2, "Fudan Univ.", "CN", Some("https://ror.org/013q1eq08")),
            partner_row(3, "TONGJI university", "CN", None),
        ];
        let mut renamed = changed;
        renamed[1].input["city"] = json!("Shanghai");
        let (summary, plans) = import(&mut conn, &clock, renamed, Options::default());
        assert_eq!((summary.updated, summary.created), (2, 0), "{plans:?}");
        assert_eq!(plans[0].matched_by.as_deref(), Some("ROR 013q1eq08"));
        let matched = plans[0].matched.as_ref().expect("how it was found");
        assert_eq!((matched.code.as_str(), matched.params["scheme"].as_str()), ("identifier", "ROR"));
        let city = plans[1].changes.iter().find(|c| c.field == "city").expect("city changes");
        assert_eq!((city.old.clone(), city.new.clone()), (Value::Null, json!("Shanghai")));
        let count: i64 = conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).expect("count");
        assert_eq!(count, 2, "updates, never duplicates");
    }

    #[test]
    fn a_bare_name_two_people_here_have_asks_for_the_id_or_an_e_mail() {
        let (mut conn, clock) = workspace();
        let row = |number, emails: Value| Prepared {
            number,
            id: None,
            input: json!({"given_name": "Fang", "family_name": "Wu", "emails": emails}),
            named: Vec::new(),
            problems: Vec::new(),
            cells: Vec::new(),
            waits: false,
        };
        let mut plans = Vec::new();
        let rows = vec![
            row(2, json!(["wufang@shutcm.edu.cn"])),
            row(3, json!(["fang.wu41@example.cn"])),
            row(4, json!([])),
        ];
        let summary = run(
            &mut conn,
            &clock,
            Kind::Contact,
            Source::Prepared(Box::new(rows.into_iter().map(Ok))),
            0,
            &Sources { fields: Vec::new() },
            Options { dry_run: true, ..Options::default() },
            &Job::silent(),
            &mut |p, _| {
                plans.push(p.clone());
                Ok(())
            },
        )
        .expect("import runs");
        assert_eq!(
            (summary.created, summary.errors),
            (2, 1),
            "two people, then a row that says neither: {plans:?}"
        );
        assert!(plans[2].errors[0].message.contains("id column or an e-mail"), "{:?}", plans[2].errors);
        assert_eq!(
            (plans[2].errors[0].code.as_str(), plans[2].errors[0].params["count"].as_str()),
            ("ambiguous_match", "2")
        );
    }

    #[test]
    fn a_dry_run_says_what_would_happen_and_writes_nothing() {
        let (mut conn, clock) = workspace();
        import(&mut conn, &clock, vec![partner_row(2, "Fudan University", "CN", None)], Options::default());
        let before = ops(&conn);
        let rows = vec![
            partner_row(2, "Fudan University", "CN", None),
            partner_row(3, "Fudan University", "CN", Some("013q1eq08")),
            partner_row(4, "Kyoto University", "JP", None),
            partner_row(5, "Nowhere", "Chinee", None),
        ];
        let (summary, plans) =
            import(&mut conn, &clock, rows, Options { dry_run: true, ..Options::default() });
        let actions: Vec<Action> = plans.iter().map(|p| p.action).collect();
        assert_eq!(actions, [Action::Unchanged, Action::Error, Action::Create, Action::Error]);
        assert!(
            plans[1].errors[0].message.contains("row 2"),
            "the same record twice names both rows: {:?}",
            plans[1].errors
        );
        assert_eq!(plans[3].errors[0].column.as_deref(), Some("Pays"), "{:?}", plans[3].errors);
        assert_eq!(plans[3].errors[0].to_string().split(':').next(), Some("row 5, column Pays"));
        let codes: Vec<&str> = [&plans[1], &plans[3]].iter().map(|p| p.errors[0].code.as_str()).collect();
        assert_eq!(codes, ["same_as_row", "country"], "the app words each error by its code (a rule's own)");
        assert_eq!(plans[3].errors[0].params["field"], "country");
        assert_eq!(plans[1].errors[0].params["other"], "2");
        assert_eq!(plans[1].errors[0].params["by_code"], "name_in_country", "{:?}", plans[1].errors);
        assert_eq!(plans[1].errors[0].params["by_value"], "Fudan University");
        assert!(!summary.written);
        assert_eq!(ops(&conn), before);
        let count: i64 = conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).expect("count");
        assert_eq!(count, 1);
    }

    #[test]
    fn one_error_writes_nothing_unless_the_valid_rows_are_wanted() {
        let (mut conn, clock) = workspace();
        let rows = || vec![partner_row(2, "Kyoto University", "JP", None), partner_row(3, "", "JP", None)];
        let (summary, _) = import(&mut conn, &clock, rows(), Options::default());
        assert_eq!((summary.errors, summary.written), (1, false));
        assert_eq!(ops(&conn), 0);
        let (summary, plans) =
            import(&mut conn, &clock, rows(), Options { skip_invalid: true, ..Options::default() });
        assert_eq!((summary.created, summary.errors, summary.written), (1, 1, true));
        assert_eq!(plans[1].errors[0].column.as_deref(), Some("Nom"), "{:?}", plans[1].errors);
    }

    /// (seq, clock reading, table code, an insert's patch left to the row, previous op) of every op, in order.
    fn op_log(conn: &Connection) -> Vec<(i64, i64, i64, bool, Option<i64>)> {
        let mut stmt = conn
            .prepare("SELECT seq, hlc, tbl, patch IS NULL, prev_hlc FROM op ORDER BY seq")
            .expect("as the test sets it up");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .expect("ops read");
        rows.collect::<rusqlite::Result<_>>().expect("ops read")
    }

    #[test]
    fn an_import_logs_each_record_as_if_written_alone_and_a_rejected_row_leaves_no_gap() {
        let (mut imported, clock) = workspace();
        let rows = vec![
            partner_row(2, "Fudan University", "CN", Some("013q1eq08")),
            partner_row(3, "", "JP", None),
            partner_row(4, "Kyoto University", "JP", None),
        ];
        let (summary, _) =
            import(&mut imported, &clock, rows, Options { skip_invalid: true, ..Options::default() });
        assert_eq!((summary.created, summary.errors), (2, 1));

        let (mut alone, clock) = workspace();
        for row in [
            partner_row(2, "Fudan University", "CN", Some("013q1eq08")),
            partner_row(4, "Kyoto University", "JP", None),
        ] {
            crate::write(&mut alone, |tx| Kind::Partner.write(tx, &clock, None, &row.input))
                .expect("written");
        }
        let log = op_log(&imported);
        assert_eq!(log, op_log(&alone), "the same ops, clock readings and seqs as two writes one by one");
        let readings: std::collections::BTreeSet<i64> = log.iter().map(|op| op.1).collect();
        assert_eq!(readings.len(), 2, "one clock reading per record: {log:?}");

        // The clock held during the import was written back: the next write reads on from the last op.
        let (ms, counter): (i64, u32) = imported
            .query_row("SELECT hlc_ms, hlc_counter FROM replica_state", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("state");
        assert_eq!(crate::clock::Hlc { ms, counter }.pack(), log.iter().map(|op| op.1).max().unwrap_or(0));
    }

    #[test]
    fn a_cancelled_import_writes_nothing() {
        let (mut conn, clock) = workspace();
        let job = Job::silent();
        job.cancel();
        let rows = vec![partner_row(2, "Kyoto University", "JP", None)];
        let result = run(
            &mut conn,
            &clock,
            Kind::Partner,
            Source::Prepared(Box::new(rows.into_iter().map(Ok))),
            1,
            &sources(),
            Options::default(),
            &job,
            &mut |_, _| Ok(()),
        );
        assert!(matches!(result, Err(Error::Cancelled)));
        assert_eq!(ops(&conn), 0);
    }

    #[test]
    fn an_organisation_named_is_found_by_any_name_or_created_when_asked() {
        let (mut conn, clock) = workspace();
        import(
            &mut conn,
            &clock,
            vec![partner_row(2, "Fudan University", "CN", Some("013q1eq08"))],
            Options::default(),
        );
        let row = |number: usize, host: &str| Prepared {
            number,
            id: None,
            input: json!({"title": format!("Project {number}"), "kind": "joint_lab"}),
            named: vec![Named {
                path: "partners[0].partner_id".into(),
                column: Some("Partenaire".into()),
                text: host.into(),
            }],
            problems: Vec::new(),
            cells: Vec::new(),
            waits: false,
        };
        let mut plans = Vec::new();
        let rows =
            vec![row(2, "fudan university"), row(3, "Université Inconnue"), row(4, "UNIVERSITE INCONNUE")];
        let summary = run(
            &mut conn,
            &clock,
            Kind::Project,
            Source::Prepared(Box::new(rows.clone().into_iter().map(Ok))),
            0,
            &Sources::default(),
            Options { dry_run: true, ..Options::default() },
            &Job::silent(),
            &mut |p, _| {
                plans.push(p.clone());
                Ok(())
            },
        )
        .expect("runs");
        assert_eq!(plans[0].action, Action::Create, "{plans:?}");
        assert_eq!(plans[1].errors[0].column.as_deref(), Some("Partenaire"));
        assert_eq!(plans[1].errors[0].code, "organisation_missing", "{:?}", plans[1].errors);
        assert_eq!(summary.missing.len(), 1, "one missing organisation, named twice: {:?}", summary.missing);
        assert_eq!(summary.missing[0].rows, vec![3, 4]);
        let summary = run(
            &mut conn,
            &clock,
            Kind::Project,
            Source::Prepared(Box::new(rows.into_iter().map(Ok))),
            0,
            &Sources::default(),
            Options { create_missing: true, ..Options::default() },
            &Job::silent(),
            &mut |_, _| Ok(()),
        )
        .expect("runs");
        assert_eq!((summary.created, summary.errors), (3, 0), "{summary:?}");
        let partners: i64 = conn.query_row("SELECT count(*) FROM partner", [], |r| r.get(0)).expect("count");
        assert_eq!(partners, 2, "the missing organisation is created once");
    }

    #[test]
    fn a_path_is_set_making_what_is_on_the_way() {
        let mut input = json!({"title": "x"});
        set_path(&mut input, "parties[1].partner_id", json!("p"));
        assert_eq!(input, json!({"title": "x", "parties": [{}, {"partner_id": "p"}]}));
    }
}
