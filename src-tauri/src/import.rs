//! Import in the app, as `liaison import` does it: the file comes from a native open dialog the shell opens
//! or from a file dropped on the window (the OS gives the shell its path); the webview never names a path,
//! it holds an opaque token for the file the shell keeps. The shell previews it (the core's detection and
//! column mapping, with what the user overrides), runs the dry run and the import as jobs with progress and
//! Cancel (a cancelled import rolls back whole), keeps each run's per-row plan and gives the UI the window of
//! rows its table shows (a plan of 100,000 rows never crosses IPC whole), and writes the rejects file and the
//! templates where a native save dialog says. The core decides everything else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use liaison_core::columns::{self, TemplateFormat};
use liaison_core::import::{self, Kind, Opened, Options, Request, RowPlan, Summary};
use liaison_core::label::UiLang;
use liaison_core::table::{self, Preview};
use liaison_core::SystemClock;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::jobs::{self, JobEvent};

/// Test seam, for the end-to-end tests only (WebDriver cannot drive a native dialog): when set, no open
/// dialog shows and the file it names is the one chosen.
pub const TEST_OPEN_FILE_ENV: &str = "LIAISON_TEST_OPEN_FILE";

/// The event that tells the UI a file was dropped on the window: its payload is an [`ImportChosen`].
pub const DROPPED_EVENT: &str = "import-dropped";

/// Data rows a preview shows.
const PREVIEW_ROWS: usize = 20;

/// The extensions the open dialog offers, and a dropped file must have.
const EXTENSIONS: [&str; 7] = ["csv", "txt", "tsv", "xlsx", "xls", "ods", "json"];

/// The files chosen for import, each under its token, with the last dry run's or import's outcome.
#[derive(Default)]
pub struct Imports {
    files: Mutex<HashMap<String, Chosen>>,
}

struct Chosen {
    path: PathBuf,
    outcome: Option<Kept>,
}

/// A run's outcome as kept: every row's plan, and where the rows in error and the rows written are among
/// them, for the UI's filters.
struct Kept {
    outcome: ImportOutcome,
    rows: Vec<RowPlan>,
    errors: Vec<usize>,
    written: Vec<usize>,
}

impl Kept {
    fn new(outcome: ImportOutcome, rows: Vec<RowPlan>) -> Kept {
        let at = |wanted: fn(&RowPlan) -> bool| {
            rows.iter().enumerate().filter(|(_, r)| wanted(r)).map(|(i, _)| i).collect::<Vec<_>>()
        };
        let errors = at(|r| r.action == import::Action::Error);
        let written =
            at(|r| r.id.is_some() && matches!(r.action, import::Action::Create | import::Action::Update));
        Kept { outcome, rows, errors, written }
    }

    /// The rows `filter` keeps, from the `offset`th on, `limit` at most.
    fn window(&self, filter: ImportRowFilter, offset: usize, limit: usize) -> ImportRows {
        let limit = limit.min(MAX_WINDOW);
        let (total, rows) = match filter {
            ImportRowFilter::All => {
                (self.rows.len(), self.rows.iter().skip(offset).take(limit).cloned().collect())
            }
            ImportRowFilter::Errors | ImportRowFilter::Written => {
                let at = if filter == ImportRowFilter::Errors { &self.errors } else { &self.written };
                (at.len(), at.iter().skip(offset).take(limit).map(|&i| self.rows[i].clone()).collect())
            }
        };
        ImportRows { total, offset, rows }
    }
}

/// Rows at most in one window of a plan.
const MAX_WINDOW: usize = 1000;

/// Which rows of a plan a window is taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportRowFilter {
    All,
    /// The rows in error.
    Errors,
    /// The rows whose record was created or updated (a real import's, to open them).
    Written,
}

/// A window of a plan's rows, in the file's order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportRows {
    /// The rows the filter keeps, in all.
    #[ts(type = "number")]
    pub total: usize,
    #[ts(type = "number")]
    pub offset: usize,
    pub rows: Vec<RowPlan>,
}

impl Imports {
    fn files(&self) -> MutexGuard<'_, HashMap<String, Chosen>> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps `path` under a new token.
    fn keep(&self, path: PathBuf) -> ImportChosen {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let file = file_name(&path);
        self.files().insert(token.clone(), Chosen { path, outcome: None });
        ImportChosen { token, file }
    }

    fn path(&self, token: &str) -> Result<PathBuf> {
        self.files().get(token).map(|c| c.path.clone()).ok_or_else(gone)
    }
}

fn gone() -> Error {
    Error::Core(liaison_core::Error::Conflict(
        "this file is no longer open for import: choose it again".into(),
    ))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::Core(liaison_core::Error::Io(std::io::Error::other(e.to_string())))
}

/// A file kept for import: its token (all the webview holds) and its name, to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportChosen {
    pub token: String,
    pub file: String,
}

/// A column the user mapped by hand: its header as the file writes it, and the field's key (none leaves the
/// column out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct ImportMapped {
    pub header: String,
    pub field: Option<String>,
}

/// What the user chose over what the core detects: each `None` lets the core detect or recognise it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
#[serde(default)]
pub struct ImportSettings {
    pub kind: Option<Kind>,
    pub sheet: Option<String>,
    pub encoding: Option<String>,
    /// `,` `;` `\t` or another single ASCII character.
    pub delimiter: Option<String>,
    /// The columns mapped by hand (remembered for the next file with the same headers once imported).
    pub map: Vec<ImportMapped>,
}

impl ImportSettings {
    fn request(&self, options: Options, rejects: Option<PathBuf>) -> Result<Request> {
        let delimiter = match self.delimiter.as_deref() {
            None | Some("") => None,
            Some("\\t" | "tab" | "\t") => Some(b'\t'),
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => {
                return Err(Error::Core(liaison_core::Error::Conflict(format!(
                    "“{d}” is not a delimiter: choose one character (, ; or tab)"
                ))))
            }
        };
        Ok(Request {
            kind: self.kind,
            read: table::Options {
                sheet: self.sheet.clone().filter(|s| !s.is_empty()),
                encoding: self.encoding.clone().filter(|e| !e.is_empty()),
                delimiter,
                ..table::Options::default()
            },
            map: self
                .map
                .iter()
                .map(|m| format!("{}={}", m.header, m.field.as_deref().unwrap_or_default()))
                .collect(),
            options,
            rejects,
        })
    }
}

/// A field of a kind of record a column may fill, as the core's column catalogue names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportField {
    pub key: String,
    /// In the reader's language.
    pub label: String,
    /// A row creating a record must fill it.
    pub mandatory: bool,
}

/// A kind of record a file may hold, named in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportKindChoice {
    pub kind: Kind,
    pub label: String,
}

/// A file as the import would read it, before any row is planned.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub token: String,
    /// What was detected or chosen, and how each column maps (by hand, remembered or recognised).
    pub opened: Opened,
    /// The first rows as read (none for a JSON file).
    pub table: Option<Preview>,
    /// For each column, the field the core recognises from its header alone (what "no hand mapping" means).
    pub suggested: Vec<Option<String>>,
    /// The fields of the file's kind.
    pub fields: Vec<ImportField>,
    pub kinds: Vec<ImportKindChoice>,
    /// The encodings and delimiters a text file may be read with.
    pub encodings: Vec<String>,
    pub delimiters: Vec<String>,
}

/// A dry run's or an import's outcome: the summary (its counts); the rows' plans (or results) come a window
/// at a time (`import_rows`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    pub opened: Opened,
    pub summary: Summary,
    /// The rejects file written (its name), when rows were left out.
    pub rejects: Option<String>,
}

/// An import under way: its job (for Cancel) and the rejects file it will write if rows are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportStarted {
    pub job: u32,
    pub rejects: Option<String>,
}

/// The formats a template is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TemplateFileFormat {
    Xlsx,
    Csv,
}

/// Asks for a file to import in a native open dialog; the shell keeps it under a token. `None` when the
/// dialog was cancelled.
#[tauri::command(async)]
pub async fn import_choose(app: AppHandle) -> Result<Option<ImportChosen>> {
    let path = match std::env::var_os(TEST_OPEN_FILE_ENV) {
        Some(file) => Some(PathBuf::from(file)),
        None => {
            let mut dialog = app.dialog().file().add_filter("CSV, Excel, OpenDocument, JSON", &EXTENSIONS);
            if let Ok(documents) = app.path().document_dir() {
                dialog = dialog.set_directory(documents);
            }
            let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
                .await
                .map_err(io)?;
            match chosen {
                Some(chosen) => Some(chosen.into_path().map_err(io)?),
                None => None,
            }
        }
    };
    Ok(path.map(|p| app.state::<Imports>().keep(p)))
}

/// A file dropped on the window (its path from the OS): kept under a token like a chosen one, and the UI
/// told to open the import with it. Only the first file of a drop that the import reads is taken.
pub fn dropped(app: &AppHandle, paths: &[PathBuf]) {
    let Some(path) = paths.iter().find(|p| importable(p)) else { return };
    let chosen = app.state::<Imports>().keep(path.clone());
    let _ = app.emit(DROPPED_EVENT, chosen);
}

fn importable(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The file under `token` as the import would read it with `settings`, and its first rows.
#[tauri::command(async)]
pub fn import_preview(
    imports: State<'_, Imports>,
    ws: State<'_, crate::workspace::Workspace>,
    token: String,
    settings: ImportSettings,
    lang: UiLang,
) -> Result<ImportPreview> {
    let path = imports.path(&token)?;
    let request = settings.request(Options::default(), None)?;
    let (opened, table) = ws.read(|c| import::file::preview(c, &path, &request, PREVIEW_ROWS))?;
    Ok(preview_of(token, opened, table, lang))
}

fn preview_of(token: String, opened: Opened, table: Option<Preview>, lang: UiLang) -> ImportPreview {
    let kind = opened.kind.columns();
    let suggested = match &table {
        Some(t) => columns::recognise(kind, &t.headers, &[])
            .map(|m| m.keys.iter().map(|k| k.map(str::to_owned)).collect())
            .unwrap_or_else(|_| vec![None; t.headers.len()]),
        None => opened.columns.iter().map(|c| c.field.clone()).collect(),
    };
    ImportPreview {
        token,
        suggested,
        fields: columns::columns(kind)
            .iter()
            .map(|c| ImportField {
                key: c.key.to_owned(),
                label: c.label(lang).to_owned(),
                mandatory: c.mandatory,
            })
            .collect(),
        kinds: Kind::ALL
            .iter()
            .map(|&k| ImportKindChoice { kind: k, label: columns::sheet_name(k.columns(), lang).to_owned() })
            .collect(),
        encodings: table::ENCODINGS.iter().map(|e| (*e).to_owned()).collect(),
        delimiters: table::DELIMITERS.iter().map(|d| d.replace("\\t", "\t")).collect(),
        opened,
        table,
    }
}

/// Plans every row of the file under `token` as a job and writes nothing; `import_outcome` then gives the
/// plan. Returns the job's id.
#[tauri::command(async)]
pub fn import_dry_run(
    app: AppHandle,
    token: String,
    settings: ImportSettings,
    create_missing: bool,
    on_event: Channel<JobEvent>,
) -> Result<u32> {
    let options = Options { dry_run: true, skip_invalid: false, create_missing };
    start(&app, token, settings.request(options, None)?, None, on_event)
}

/// Imports the file under `token` as a job: all or nothing, or (`skip_invalid`) the valid rows, the others
/// written to a rejects file chosen in a native save dialog first. `None` when that dialog was cancelled.
#[tauri::command(async)]
pub async fn import_run(
    app: AppHandle,
    token: String,
    settings: ImportSettings,
    skip_invalid: bool,
    create_missing: bool,
    lang: UiLang,
    on_event: Channel<JobEvent>,
) -> Result<Option<ImportStarted>> {
    let path = app.state::<Imports>().path(&token)?;
    let rejects = if skip_invalid {
        let name = rejects_name(&path, lang);
        match save_to(&app, &name, "CSV", "csv").await? {
            Some(file) => Some(file),
            None => return Ok(None),
        }
    } else {
        None
    };
    let options = Options { dry_run: false, skip_invalid, create_missing };
    let request = settings.request(options, rejects.clone())?;
    let job = start(&app, token, request, rejects.as_deref().map(file_name), on_event)?;
    Ok(Some(ImportStarted { job, rejects: rejects.as_deref().map(file_name) }))
}

/// Runs the import `request` asks for on the file under `token` as a job; its outcome is kept for
/// `import_outcome`.
fn start(
    app: &AppHandle,
    token: String,
    request: Request,
    rejects: Option<String>,
    on_event: Channel<JobEvent>,
) -> Result<u32> {
    let imports = app.state::<Imports>();
    let path = imports.path(&token)?;
    if let Some(chosen) = imports.files().get_mut(&token) {
        chosen.outcome = None;
    }
    let handle = app.clone();
    jobs::spawn(app, on_event, move |conn, job| {
        let (outcome, rows) = run(conn, &SystemClock, &path, &request, rejects, job)?;
        let kept = Kept::new(outcome, rows);
        if let Some(chosen) = handle.state::<Imports>().files().get_mut(&token) {
            chosen.outcome = Some(kept);
        }
        Ok(())
    })
}

/// The core's import of the file at `path` as `request` says, and every row's plan; `rejects` is the name of
/// the rejects file, said when rows were left out there.
fn run(
    conn: &mut rusqlite::Connection,
    clock: &dyn liaison_core::Clock,
    path: &Path,
    request: &Request,
    rejects: Option<String>,
    job: &liaison_core::job::Job,
) -> liaison_core::Result<(ImportOutcome, Vec<RowPlan>)> {
    let mut rows = Vec::new();
    let (opened, summary) = import::file(conn, clock, path, request, job, &mut |_| Ok(()), &mut |plan| {
        rows.push(plan.clone());
        Ok(())
    })?;
    // Given only when skipping invalid rows: the core then writes the rows in error there.
    let rejects = rejects.filter(|_| !summary.dry_run && summary.errors > 0);
    Ok((ImportOutcome { opened, summary, rejects }, rows))
}

/// The last dry run's or import's outcome for the file under `token` (none while it runs, or after Cancel).
#[tauri::command(async)]
pub fn import_outcome(imports: State<'_, Imports>, token: String) -> Result<Option<ImportOutcome>> {
    Ok(imports.files().get(&token).ok_or_else(gone)?.outcome.as_ref().map(|k| k.outcome.clone()))
}

/// A window of the last outcome's rows for the file under `token`: those `filter` keeps, from the
/// `offset`th on, `limit` at most (a thousand); none while a run is under way.
#[tauri::command(async)]
pub fn import_rows(
    imports: State<'_, Imports>,
    token: String,
    filter: ImportRowFilter,
    offset: usize,
    limit: usize,
) -> Result<Option<ImportRows>> {
    Ok(imports
        .files()
        .get(&token)
        .ok_or_else(gone)?
        .outcome
        .as_ref()
        .map(|k| k.window(filter, offset, limit)))
}

/// Lets go of the file under `token` (the import flow closed).
#[tauri::command(async)]
pub fn import_forget(imports: State<'_, Imports>, token: String) {
    imports.files().remove(&token);
}

/// Writes the template of `kind` (headers, hints, and in XLSX drop-down lists) where a native save dialog
/// says; the file's name, or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub async fn import_template(
    app: AppHandle,
    kind: Kind,
    format: TemplateFileFormat,
    lang: UiLang,
) -> Result<Option<String>> {
    let (core_format, extension, filter) = match format {
        TemplateFileFormat::Xlsx => (TemplateFormat::Xlsx, "xlsx", "Excel (XLSX)"),
        TemplateFileFormat::Csv => (TemplateFormat::Csv, "csv", "CSV"),
    };
    let name = template_name(kind, lang, extension);
    let Some(path) = save_to(&app, &name, filter, extension).await? else { return Ok(None) };
    columns::write_template(&path, kind.columns(), lang, core_format)?;
    Ok(Some(file_name(&path)))
}

/// `partners-template.xlsx`, `partenaires-modele.xlsx`.
fn template_name(kind: Kind, lang: UiLang, extension: &str) -> String {
    let noun = columns::sheet_name(kind.columns(), lang).to_lowercase();
    let word = match lang {
        UiLang::En => "template",
        UiLang::Fr => "modele",
    };
    format!("{noun}-{word}.{extension}")
}

/// `partenaires-rejects.csv` beside `partenaires.csv` (`-rejets` in French).
fn rejects_name(path: &Path, lang: UiLang) -> String {
    let stem = path.file_stem().map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    let word = match lang {
        UiLang::En => "rejects",
        UiLang::Fr => "rejets",
    };
    format!("{stem}-{word}.csv")
}

/// The file chosen in a native save dialog offering `name` (or, in the end-to-end tests, `name` in the
/// export's test directory).
async fn save_to(app: &AppHandle, name: &str, filter: &str, extension: &str) -> Result<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os(crate::export::TEST_SAVE_DIR_ENV) {
        return Ok(Some(PathBuf::from(dir).join(name)));
    }
    let mut dialog = app.dialog().file().add_filter(filter, &[extension]).set_file_name(name);
    if let Ok(documents) = app.path().document_dir() {
        dialog = dialog.set_directory(documents);
    }
    let chosen =
        tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file()).await.map_err(io)?;
    match chosen {
        Some(chosen) => Ok(Some(chosen.into_path().map_err(io)?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_become_the_request_the_cli_would_make() {
        let settings: ImportSettings = serde_json::from_value(serde_json::json!({
            "kind": "partner",
            "encoding": "windows-1252",
            "delimiter": "\t",
            "sheet": "",
            "map": [{"header": "Site internet", "field": "website"}, {"header": "Notes", "field": null}]
        }))
        .expect("settings as the UI sends them");
        let request =
            settings.request(Options { skip_invalid: true, ..Options::default() }, None).expect("request");
        assert_eq!(request.kind, Some(Kind::Partner));
        assert_eq!(request.read.delimiter, Some(b'\t'));
        assert_eq!(request.read.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(request.read.sheet, None, "an empty sheet lets the core take the first");
        assert_eq!(request.map, vec!["Site internet=website".to_owned(), "Notes=".to_owned()]);
        assert!(request.options.skip_invalid);
        let bad = ImportSettings { delimiter: Some(";;".into()), ..ImportSettings::default() };
        assert!(bad.request(Options::default(), None).is_err(), "a delimiter is one character");
    }

    #[test]
    fn a_dry_run_plans_every_row_then_the_import_keeps_the_valid_rows_and_says_the_rejects_file() {
        let dir = std::env::temp_dir().join(format!("liaison-app-run-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("partenaires.csv");
        // Windows-1252, as Latin-1 writes these characters.
        let bytes: Vec<u8> =
            "Nom;Pays;Ville;Site internet de l'établissement\nUniversité d'essai;France;Nantes;\
                              https://essai.fr\nInstitut Atlantide;Atlantide;Nulle part;\n"
                .chars()
                .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
                .collect();
        std::fs::write(&path, &bytes).expect("file");
        let clock = liaison_core::ManualClock::default();
        let mut conn = liaison_core::open_in_memory().expect("db");
        liaison_core::write(&mut conn, |tx| liaison_core::store::init(tx, "Test office", &clock))
            .expect("init");
        let settings = ImportSettings {
            map: vec![ImportMapped {
                header: "Site internet de l'établissement".into(),
                field: Some("website".into()),
            }],
            ..ImportSettings::default()
        };
        let job = liaison_core::job::Job::silent();

        let dry = settings.request(Options { dry_run: true, ..Options::default() }, None).expect("request");
        let (planned, rows) = run(&mut conn, &clock, &path, &dry, None, &job).expect("dry run");
        let actions: Vec<_> = rows.iter().map(|r| r.action).collect();
        assert_eq!(actions, [import::Action::Create, import::Action::Error]);
        assert_eq!(rows[1].errors[0].column.as_deref(), Some("Pays"), "the error names its column");
        assert_eq!(rows[1].errors[0].code, "not_a_country", "the app words it by its code");
        assert_eq!(planned.rejects, None);

        let rejects = dir.join("partenaires-rejects.csv");
        let real = settings
            .request(Options { skip_invalid: true, ..Options::default() }, Some(rejects.clone()))
            .expect("request");
        let (done, rows) =
            run(&mut conn, &clock, &path, &real, Some(file_name(&rejects)), &job).expect("import");
        assert_eq!((done.summary.created, done.summary.errors, done.summary.written), (1, 1, true));
        assert!(rows[0].id.is_some(), "the record created, to open from the summary");
        assert_eq!(done.rejects.as_deref(), Some("partenaires-rejects.csv"));
        let rejected = std::fs::read_to_string(&rejects).expect("the rejects file");
        assert!(rejected.contains("Atlantide") && !rejected.contains("essai.fr"), "only the row in error");
        let remembered = import::file::preview(&conn, &path, &Request::default(), 1).expect("preview").0;
        assert!(remembered.remembered, "the hand mapping is remembered once imported");

        let cancelled = liaison_core::job::Job::silent();
        cancelled.cancel();
        let again = settings.request(Options::default(), None).expect("request");
        assert!(matches!(
            run(&mut conn, &clock, &path, &again, None, &cancelled),
            Err(liaison_core::Error::Cancelled)
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_plan_is_given_a_window_at_a_time_all_its_rows_its_errors_or_those_written() {
        let plan = |row: usize| RowPlan {
            row,
            action: if row.is_multiple_of(10) { import::Action::Error } else { import::Action::Create },
            id: (!row.is_multiple_of(10)).then(uuid::Uuid::now_v7),
            matched_by: None,
            matched: None,
            changes: Vec::new(),
            errors: Vec::new(),
        };
        let rows: Vec<RowPlan> = (2..100_002).map(plan).collect();
        let outcome = ImportOutcome {
            opened: Opened {
                file: "partenaires.csv".into(),
                format: "csv".into(),
                encoding: None,
                encoding_detected: false,
                delimiter: None,
                sheet: None,
                sheets: Vec::new(),
                kind: Kind::Partner,
                kind_guessed: false,
                columns: Vec::new(),
                unmatched: Vec::new(),
                missing_columns: Vec::new(),
                remembered: false,
            },
            summary: Summary {
                kind: Kind::Partner,
                dry_run: false,
                rows: 100_000,
                created: 90_000,
                updated: 0,
                unchanged: 0,
                errors: 10_000,
                missing: Vec::new(),
                written: true,
            },
            rejects: None,
        };
        let kept = Kept::new(outcome, rows);
        let all = kept.window(ImportRowFilter::All, 50_000, 100);
        assert_eq!((all.total, all.offset, all.rows.len()), (100_000, 50_000, 100));
        assert_eq!(all.rows[0].row, 50_002, "in the file's order");
        let errors = kept.window(ImportRowFilter::Errors, 10, 3);
        assert_eq!(errors.total, 10_000);
        assert_eq!(errors.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [110, 120, 130]);
        let written = kept.window(ImportRowFilter::Written, 0, 12);
        assert_eq!((written.total, written.rows.len()), (90_000, 12));
        assert!(written.rows.iter().all(|r| r.id.is_some()));
        assert_eq!(
            kept.window(ImportRowFilter::All, 0, 1_000_000).rows.len(),
            MAX_WINDOW,
            "a window is bounded"
        );
        assert!(kept.window(ImportRowFilter::Errors, 20_000, 10).rows.is_empty(), "past the end: none");
        let page = serde_json::to_string(&kept.window(ImportRowFilter::All, 0, 200)).expect("JSON");
        assert!(page.len() < 40_000, "a window crosses IPC small: {} bytes", page.len());
    }

    #[test]
    fn a_kept_file_is_known_by_its_token_only_until_forgotten() {
        let imports = Imports::default();
        let a = imports.keep(PathBuf::from("/tmp/partenaires.csv"));
        let b = imports.keep(PathBuf::from("/tmp/partenaires.csv"));
        assert_ne!(a.token, b.token, "each choice has its own token");
        assert_eq!(a.file, "partenaires.csv");
        assert_eq!(imports.path(&a.token).expect("kept"), PathBuf::from("/tmp/partenaires.csv"));
        assert!(imports.path("/tmp/partenaires.csv").is_err(), "a path is no token");
        imports.files().remove(&a.token);
        assert!(imports.path(&a.token).is_err());
    }

    #[test]
    fn a_preview_offers_the_kinds_fields_encodings_and_suggestions_in_the_readers_language() {
        let dir = std::env::temp_dir().join(format!("liaison-app-import-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("partenaires.csv");
        std::fs::write(
            &path,
            "Nom;Pays;Site internet de l'établissement\nFudan;Chine;https://fudan.edu.cn\n",
        )
        .expect("file");
        assert!(importable(&path));
        assert!(!importable(&dir.join("notes.docx")));
        let conn = liaison_core::open_in_memory().expect("db");
        let settings = ImportSettings {
            map: vec![ImportMapped {
                header: "Site internet de l'établissement".into(),
                field: Some("website".into()),
            }],
            ..ImportSettings::default()
        };
        let request = settings.request(Options::default(), None).expect("request");
        let (opened, table) = import::file::preview(&conn, &path, &request, 5).expect("preview");
        let preview = preview_of("t".into(), opened, table, UiLang::Fr);
        assert_eq!(preview.opened.kind, Kind::Partner);
        assert_eq!(preview.opened.columns[2].field.as_deref(), Some("website"), "the hand mapping applies");
        assert_eq!(preview.suggested[2], None, "the core alone does not recognise the column");
        assert_eq!(preview.suggested[1].as_deref(), Some("country"));
        let country = preview.fields.iter().find(|f| f.key == "country").expect("a country field");
        assert_eq!(country.label, "Pays");
        assert!(preview.kinds.iter().any(|k| k.kind == Kind::Exchange && k.label == "Mobilités"));
        assert!(preview.encodings.contains(&"windows-1252".to_owned()));
        assert!(preview.delimiters.contains(&"\t".to_owned()));
        assert_eq!(template_name(Kind::Partner, UiLang::Fr, "xlsx"), "partenaires-modele.xlsx");
        assert_eq!(rejects_name(&path, UiLang::En), "partenaires-rejects.csv");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
