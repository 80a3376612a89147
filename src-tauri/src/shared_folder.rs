//! The shared folder in the app: the folder the user chose in a native dialog (kept in the app's settings
//! on this computer, never synced), watched by a thread of its own that makes a pass every few seconds (see
//! `liaison_core::sync::folder`): it imports what the other laptops leave there and writes this laptop's
//! file when it holds something new. The Sync page shows the folder and what the last pass did.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use liaison_core::job::Job;
use liaison_core::sync::folder::{Folder, FolderPass, FolderRefusal};
use liaison_core::SystemClock;
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::error::Result;
use crate::workspace::{changed, Workspace};

/// Test seam: the folder the folder dialog would have returned.
pub const TEST_FOLDER_ENV: &str = "LIAISON_TEST_SYNC_FOLDER";

/// Seconds between passes: the debounce of writing after changes, and the delay before a peer's file is read.
const INTERVAL: Duration = Duration::from_secs(3);

/// The chosen folder and the watcher's last word. Choosing another folder (or none) ends the running
/// watcher at its next wake-up (its generation is no longer the current one).
#[derive(Default)]
pub struct SharedFolder {
    state: Arc<Mutex<Watched>>,
    generation: Arc<AtomicU64>,
}

#[derive(Default)]
struct Watched {
    dir: Option<PathBuf>,
    last: Option<LastPass>,
    /// Files refused and not read since: a refusal is said once by the passes, and kept here until the file
    /// comes in (a new copy) so the page keeps saying it.
    refused: Vec<FolderRefusal>,
}

/// What the Sync page shows of the shared folder.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SharedFolderState {
    pub dir: Option<String>,
    pub last: Option<LastPass>,
    pub refused: Vec<FolderRefusal>,
}

/// The watcher's last pass: when, and what it did (or why it failed).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LastPass {
    /// RFC 3339.
    pub at: String,
    pub pass: Option<FolderPass>,
    pub error: Option<String>,
}

fn settings_file(app: &AppHandle) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|d| d.join("sync-folder.txt"))
}

impl SharedFolder {
    fn view(&self) -> SharedFolderState {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        SharedFolderState {
            dir: state.dir.as_ref().map(|d| d.display().to_string()),
            last: state.last.clone(),
            refused: state.refused.clone(),
        }
    }
}

/// At start: watch the folder chosen before, if any (and still there).
pub fn resume(app: &AppHandle) {
    let Some(file) = settings_file(app) else { return };
    let Ok(text) = std::fs::read_to_string(file) else { return };
    let dir = PathBuf::from(text.trim());
    if !text.trim().is_empty() {
        watch(app, Some(dir));
    }
}

/// Watches `dir` from now on (none: stops), remembering the choice for the next start.
fn watch(app: &AppHandle, dir: Option<PathBuf>) {
    let shared = app.state::<SharedFolder>();
    let generation = shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
    {
        let mut state = shared.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.dir.clone_from(&dir);
        state.last = None;
        state.refused.clear();
    }
    let Some(dir) = dir else { return };
    let (state, current) = (shared.state.clone(), shared.generation.clone());
    let handle = app.clone();
    let _ = std::thread::Builder::new().name("liaison-shared-folder".into()).spawn(move || {
        let mut folder = None;
        while current.load(Ordering::SeqCst) == generation {
            let result = (|| -> liaison_core::Result<FolderPass> {
                let folder = match &mut folder {
                    Some(f) => f,
                    None => folder.insert(Folder::new(&dir)?),
                };
                let ws = handle.state::<Workspace>();
                let documents = ws.documents();
                let mut conn = ws.writer();
                folder.pass(&mut conn, &SystemClock, None, Some(&documents), &Job::silent())
            })();
            if result.as_ref().is_ok_and(|p| !p.imported.is_empty()) {
                changed(&handle);
            }
            let last = LastPass {
                at: chrono::Utc::now().to_rfc3339(),
                error: result.as_ref().err().map(|e| e.to_string()),
                pass: result.ok(),
            };
            // Checked under the lock: a folder chosen meanwhile has its own watcher and its own state.
            let mut watched = state.lock().unwrap_or_else(PoisonError::into_inner);
            if current.load(Ordering::SeqCst) == generation {
                if let Some(pass) = &last.pass {
                    watched.refused.retain(|r| {
                        !pass.imported.iter().any(|f| f.file == r.file)
                            && !pass.refused.iter().any(|n| n.file == r.file)
                    });
                    watched.refused.extend(pass.refused.iter().cloned());
                }
                watched.last = Some(last);
            }
            drop(watched);
            std::thread::sleep(INTERVAL);
        }
    });
}

/// The shared folder and what its last pass did.
#[tauri::command(async)]
pub fn shared_folder_state(shared: State<'_, SharedFolder>) -> SharedFolderState {
    shared.view()
}

/// Asks for the shared folder in a native dialog and watches it from now on; the state unchanged when the
/// dialog was cancelled.
#[tauri::command(async)]
pub async fn shared_folder_choose(app: AppHandle) -> Result<SharedFolderState> {
    let dir = match std::env::var_os(TEST_FOLDER_ENV) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            let dialog = app.dialog().file();
            let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_folder())
                .await
                .map_err(|e| liaison_core::Error::Io(std::io::Error::other(e.to_string())))?;
            match chosen {
                Some(f) => Some(
                    f.into_path()
                        .map_err(|e| liaison_core::Error::Io(std::io::Error::other(e.to_string())))?,
                ),
                None => None,
            }
        }
    };
    let Some(dir) = dir else { return Ok(app.state::<SharedFolder>().view()) };
    // Refused before it is remembered: a folder that is not one.
    Folder::new(&dir)?;
    remember(&app, Some(&dir))?;
    watch(&app, Some(dir));
    Ok(app.state::<SharedFolder>().view())
}

/// Stops using the shared folder (the files in it stay).
#[tauri::command(async)]
pub fn shared_folder_stop(app: AppHandle) -> Result<SharedFolderState> {
    remember(&app, None)?;
    watch(&app, None);
    Ok(app.state::<SharedFolder>().view())
}

fn remember(app: &AppHandle, dir: Option<&std::path::Path>) -> Result<()> {
    let Some(file) = settings_file(app) else { return Ok(()) };
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(liaison_core::Error::Io)?;
    }
    let text = dir.map(|d| d.display().to_string()).unwrap_or_default();
    liaison_core::files::write_atomically(&file, text.as_bytes())?;
    Ok(())
}
