//! The Sync page's commands: what sync knows (this laptop, its peers, the laptops waiting for approval, the
//! files written and read), approving a laptop, writing a sync file where the user chooses in a native save
//! dialog, and reading the sync files chosen in a native open dialog. Writing and reading run as jobs with
//! progress and Cancel; each file read is its own transaction, so a refused file changes nothing and does
//! not stop the others. The core does the work; the webview never names a path.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use liaison_core::oplog::conflict::{self, Conflict, Resolution};
use liaison_core::sync::export::{self, Audience, Protection, Written};
use liaison_core::sync::import::{self as sync_import, Imported, Waiting};
use liaison_core::sync::status::{self, FileLog, SyncStatus};
use liaison_core::{sync, SystemClock};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, IpcError, Result};
use crate::export::save_dialog;
use crate::jobs::{spawn, JobEvent};
use crate::workspace::Workspace;

/// Test seam: the sync files the open dialog would have returned, separated by the platform's path
/// separator (`:` on Linux). WebDriver cannot drive a native dialog.
pub const TEST_OPEN_FILES_ENV: &str = "LIAISON_TEST_SYNC_FILES";

/// Files the Sync page shows in its history.
const HISTORY: u32 = 50;

/// The event that tells the UI sync files were dropped on the window: its payload is a [`SyncDropped`].
pub const DROPPED_EVENT: &str = "sync-dropped";

/// Sync files dropped on the window, under a token, until the page reads them (`sync_receive_dropped`).
#[derive(Default)]
pub struct SyncDrops {
    drops: Mutex<HashMap<Uuid, Vec<PathBuf>>>,
}

/// Sync files dropped on the window: the token to read them with and their names.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncDropped {
    pub token: Uuid,
    pub files: Vec<String>,
}

/// Whether the file is a sync file (by its extension; its contents are checked when it is read).
pub fn is_sync_file(path: &std::path::Path) -> bool {
    path.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("liaison"))
}

/// Sync files dropped on the window (their paths from the OS): kept under a token, and the UI told, which
/// reads them with `sync_receive_dropped`. Returns whether the drop held any.
pub fn dropped(app: &AppHandle, paths: &[PathBuf]) -> bool {
    let files: Vec<PathBuf> = paths.iter().filter(|p| is_sync_file(p)).cloned().collect();
    if files.is_empty() {
        return false;
    }
    let token = Uuid::new_v4();
    let names = files.iter().map(|p| name_of(p)).collect();
    app.state::<SyncDrops>().drops.lock().unwrap_or_else(PoisonError::into_inner).insert(token, files);
    let _ = app.emit(DROPPED_EVENT, SyncDropped { token, files: names });
    true
}

fn name_of(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().into_owned())
}

/// The outcomes of the jobs that wrote or read sync files, under the ticket their command returned, until
/// the page takes them.
#[derive(Default)]
pub struct SyncOutcomes {
    outcomes: Mutex<HashMap<Uuid, SyncOutcome>>,
}

impl SyncOutcomes {
    fn put(&self, ticket: Uuid, outcome: SyncOutcome) {
        self.outcomes.lock().unwrap_or_else(PoisonError::into_inner).insert(ticket, outcome);
    }

    fn take(&self, ticket: Uuid) -> Option<SyncOutcome> {
        self.outcomes.lock().unwrap_or_else(PoisonError::into_inner).remove(&ticket)
    }
}

/// A sync job started: its id (for Cancel), the ticket its outcome is kept under, and the file's name when it
/// writes one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncStarted {
    pub job: u32,
    pub ticket: Uuid,
    pub file: Option<String>,
}

/// What a sync job did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SyncOutcome {
    /// The file written, and what it holds.
    Sent { file: String, written: Written },
    /// Each file read, in the order chosen.
    Received { files: Vec<FileRead> },
}

/// One sync file read: what came in, or why it was refused (nothing of it was written then).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FileRead {
    pub file: String,
    pub imported: Option<Imported>,
    pub error: Option<IpcError>,
}

/// This laptop, its peers, the laptops waiting for approval, the state digest.
#[tauri::command(async)]
pub fn sync_status(ws: State<'_, Workspace>) -> Result<SyncStatus> {
    ws.read(|c| status::status(c, &SystemClock))
}

/// The laptops whose changes wait for approval (the sidebar's badge; no digest computed).
#[tauri::command(async)]
pub fn sync_waiting(ws: State<'_, Workspace>) -> Result<Vec<Waiting>> {
    ws.read(sync_import::waiting)
}

/// The sync files written and read here, newest first.
#[tauri::command(async)]
pub fn sync_history(ws: State<'_, Workspace>) -> Result<Vec<FileLog>> {
    ws.read(|c| status::history(c, HISTORY))
}

/// What an approval did: the laptop approved and the changes of its that were waiting and are now applied.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Approved {
    pub name: String,
    #[ts(type = "number")]
    pub applied: u64,
}

/// Approves the laptop with this key fingerprint: what it sent is applied, and the approval travels.
#[tauri::command(async)]
pub fn sync_approve(app: AppHandle, ws: State<'_, Workspace>, fingerprint: String) -> Result<Approved> {
    let (waiting, applied) = ws.write(&app, |tx, clock| sync_import::approve(tx, clock, &fingerprint))?;
    Ok(Approved { name: waiting.name, applied })
}

/// Asks where to write a sync file for `peer` (every peer when `None`), or a snapshot for a new laptop, in a
/// native save dialog under its readable default name, then writes it as a job; `passphrase` protects it.
/// `None` when the dialog was cancelled. `sync_outcome` then says what the file holds.
#[tauri::command(async)]
pub async fn sync_send(
    app: AppHandle,
    peer: Option<Uuid>,
    snapshot: bool,
    passphrase: Option<String>,
    on_event: Channel<JobEvent>,
) -> Result<Option<SyncStarted>> {
    let audience = match (snapshot, peer) {
        (true, _) => Audience::Snapshot,
        (false, Some(peer)) => Audience::Peer(peer),
        (false, None) => Audience::Everyone,
    };
    let ws = app.state::<Workspace>();
    let name = ws.read(|c| export::default_name(c, &SystemClock, audience))?;
    let Some(path) = save_dialog(&app, "Liaison sync file", "liaison", &name).await? else {
        return Ok(None);
    };
    let file = path.file_name().map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());
    let documents = ws.documents();
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let handle = app.clone();
    let shown = file.clone();
    let ticket = Uuid::new_v4();
    let job = spawn(&app, on_event, move |conn, job| {
        let protection = passphrase.as_deref().map(Protection::Passphrase);
        let written =
            sync::export_file(conn, &SystemClock, audience, &path, protection, Some(&documents), job)?;
        handle.state::<SyncOutcomes>().put(ticket, SyncOutcome::Sent { file: shown, written });
        Ok(())
    })?;
    Ok(Some(SyncStarted { job, ticket, file: Some(file) }))
}

/// Asks which sync files to read in a native open dialog (several at once), then reads them as a job, each
/// file its own transaction. `None` when the dialog was cancelled. `sync_outcome` then says what each did.
#[tauri::command(async)]
pub async fn sync_receive(
    app: AppHandle,
    passphrase: Option<String>,
    on_event: Channel<JobEvent>,
) -> Result<Option<SyncStarted>> {
    let Some(paths) = open_dialog(&app, true).await? else { return Ok(None) };
    receive(&app, paths, passphrase, on_event).map(Some)
}

/// The sync files chosen in a native open dialog (one, or several with `many`); `None` when cancelled.
async fn open_dialog(app: &AppHandle, many: bool) -> Result<Option<Vec<PathBuf>>> {
    if let Some(files) = std::env::var_os(TEST_OPEN_FILES_ENV) {
        let paths: Vec<PathBuf> = std::env::split_paths(&files).collect();
        return Ok(Some(if many { paths } else { paths.into_iter().take(1).collect() }));
    }
    let io = |e: String| liaison_core::Error::Io(std::io::Error::other(e));
    let mut dialog = app.dialog().file().add_filter("Liaison sync file", &["liaison"]);
    if let Ok(documents) = app.path().document_dir() {
        dialog = dialog.set_directory(documents);
    }
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        if many {
            dialog.blocking_pick_files()
        } else {
            dialog.blocking_pick_file().map(|f| vec![f])
        }
    })
    .await
    .map_err(|e| io(e.to_string()))?;
    let Some(chosen) = chosen else { return Ok(None) };
    let paths = chosen
        .into_iter()
        .map(|f| f.into_path().map_err(|e| io(e.to_string())))
        .collect::<std::result::Result<Vec<PathBuf>, _>>()?;
    Ok(Some(paths))
}

/// The first-run choice "Join a workspace from a file": asks for the snapshot file another laptop made in a
/// native open dialog, then joins its workspace as a job (this laptop named `name`, with an id and key of its
/// own; `passphrase` opens a protected file). `None` when the dialog was cancelled. `sync_outcome` then says
/// what came in.
#[tauri::command(async)]
pub async fn workspace_join(
    app: AppHandle,
    name: String,
    passphrase: Option<String>,
    on_event: Channel<JobEvent>,
) -> Result<Option<SyncStarted>> {
    let Some(paths) = open_dialog(&app, false).await? else { return Ok(None) };
    let Some(path) = paths.into_iter().next() else { return Ok(None) };
    let documents = app.state::<Workspace>().documents();
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let handle = app.clone();
    let ticket = Uuid::new_v4();
    let file = name_of(&path);
    let shown = file.clone();
    let job = spawn(&app, on_event, move |conn, job| {
        let imported =
            sync::join(conn, &SystemClock, &path, &name, passphrase.as_deref(), Some(&documents), job)?;
        let files = vec![FileRead { file: shown, imported: Some(imported), error: None }];
        handle.state::<SyncOutcomes>().put(ticket, SyncOutcome::Received { files });
        Ok(())
    })?;
    Ok(Some(SyncStarted { job, ticket, file: Some(file) }))
}

/// Reads `paths` as a job (see [`sync_receive`]); files dropped on the window come here too.
pub fn receive(
    app: &AppHandle,
    paths: Vec<PathBuf>,
    passphrase: Option<String>,
    on_event: Channel<JobEvent>,
) -> Result<SyncStarted> {
    let documents = app.state::<Workspace>().documents();
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let handle = app.clone();
    let ticket = Uuid::new_v4();
    let job = spawn(app, on_event, move |conn, job| {
        let mut files = Vec::with_capacity(paths.len());
        for path in &paths {
            job.check()?;
            let file = name_of(path);
            let read = match sync::import_file(
                conn,
                &SystemClock,
                path,
                passphrase.as_deref(),
                Some(&documents),
                job,
            ) {
                Ok(imported) => FileRead { file, imported: Some(imported), error: None },
                Err(liaison_core::Error::Cancelled) => return Err(liaison_core::Error::Cancelled),
                Err(e) => FileRead { file, imported: None, error: Some(Error::from(e).to_ipc()) },
            };
            files.push(read);
        }
        handle.state::<SyncOutcomes>().put(ticket, SyncOutcome::Received { files });
        Ok(())
    })?;
    Ok(SyncStarted { job, ticket, file: None })
}

/// Reads the sync files dropped on the window under `token` as a job (see [`sync_receive`]).
#[tauri::command(async)]
pub fn sync_receive_dropped(
    app: AppHandle,
    token: Uuid,
    passphrase: Option<String>,
    on_event: Channel<JobEvent>,
) -> Result<SyncStarted> {
    let paths = app.state::<SyncDrops>().drops.lock().unwrap_or_else(PoisonError::into_inner).remove(&token);
    let paths = paths.ok_or_else(|| {
        Error::Core(liaison_core::Error::NotFound { entity: "dropped files", id: token.to_string() })
    })?;
    receive(&app, paths, passphrase, on_event)
}

/// Every open conflict, oldest first: the same on every laptop that holds the same changes.
#[tauri::command(async)]
pub fn sync_conflicts(ws: State<'_, Workspace>) -> Result<Vec<Conflict>> {
    ws.read(conflict::list)
}

/// Which value settles a conflict.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ConflictChoice {
    /// The value shown (for an edit against a deletion: leave it deleted).
    Shown,
    /// The value kept beside it (for an edit against a deletion: restore the record).
    Kept,
    /// A new value, given beside the choice.
    New,
}

/// Settles the conflict `id` with the value chosen, or with `value` (JSON, as the record shows the field;
/// null empties it) for a new one: a change above both, which travels like any other.
#[tauri::command(async)]
pub fn sync_resolve(
    app: AppHandle,
    ws: State<'_, Workspace>,
    id: String,
    choice: ConflictChoice,
    value: Option<serde_json::Value>,
) -> Result<Conflict> {
    let resolution = match choice {
        ConflictChoice::Shown => Resolution::Winner,
        ConflictChoice::Kept => Resolution::Loser,
        ConflictChoice::New => Resolution::Value(value.unwrap_or(serde_json::Value::Null)),
    };
    ws.write(&app, |tx, clock| conflict::resolve(tx, clock, &id, resolution))
}

/// What a finished sync job did (once: the outcome is then forgotten).
#[tauri::command(async)]
pub fn sync_outcome(outcomes: State<'_, SyncOutcomes>, ticket: Uuid) -> Result<SyncOutcome> {
    outcomes.take(ticket).ok_or_else(|| {
        Error::Core(liaison_core::Error::NotFound { entity: "sync job", id: ticket.to_string() })
    })
}
