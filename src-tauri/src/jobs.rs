//! Long work started from the UI: each job runs on a thread of its own with the writer, off the async
//! runtime, so reads (lists, pages) keep flowing from the pool; it streams its progress over a channel and
//! stops when the UI cancels it, its transaction rolled back.

use liaison_core::job::{Commit, Job};
use liaison_core::workspace::{self, StartChoice};
use liaison_core::{demo, SystemClock};
use rusqlite::Connection;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use crate::error::{Error, IpcError, Result};
use crate::workspace::{changed, Workspace};

/// Environment variable that offers testers the generated workspaces of `liaison demo --scale` in the app.
pub const TESTING_ENV: &str = "LIAISON_TESTING";

/// What a job tells the UI, in order: progress, then one of done, cancelled or failed.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", rename_all = "snake_case")]
#[ts(export)]
pub enum JobEvent {
    Progress {
        #[ts(type = "number")]
        done: u64,
        #[ts(type = "number")]
        total: u64,
        /// In English ("Exchanges"); the UI words it from the step's name.
        step: String,
    },
    Done,
    /// Cancelled by the user: nothing the job wrote was kept.
    Cancelled,
    Failed {
        error: IpcError,
    },
}

/// Starts `work` on the writer, on a thread of its own; returns the job's id, for `job_cancel`.
pub(crate) fn spawn(
    app: &AppHandle,
    events: Channel<JobEvent>,
    work: impl FnOnce(&mut Connection, &Job) -> liaison_core::Result<()> + Send + 'static,
) -> Result<u32> {
    let progress = events.clone();
    let job = Job::new(move |p| {
        // A closed window drops the channel: the job goes on and ends as it would.
        let _ = progress.send(JobEvent::Progress { done: p.done, total: p.total, step: p.step.clone() });
    });
    let id = app.state::<Workspace>().add_job(job.clone());
    let handle = app.clone();
    std::thread::Builder::new()
        .name(format!("liaison-job-{id}"))
        .spawn(move || {
            let ws = handle.state::<Workspace>();
            let result = work(&mut ws.writer(), &job);
            ws.remove_job(id);
            let event = match result {
                Ok(()) => JobEvent::Done,
                Err(liaison_core::Error::Cancelled) => JobEvent::Cancelled,
                Err(e) => JobEvent::Failed { error: Error::from(e).to_ipc() },
            };
            changed(&handle);
            let _ = events.send(event);
        })
        .map_err(|e| Error::Core(e.into()))?;
    Ok(id)
}

/// The first-run choice as a job: for the demo, `generated` more exchanges (testers) in the same
/// transaction, so Cancel leaves the workspace not set up.
#[tauri::command(async)]
pub fn workspace_start_job(
    app: AppHandle,
    choice: StartChoice,
    name: String,
    generated: u32,
    on_event: Channel<JobEvent>,
) -> Result<u32> {
    let generated = if testing() { generated as usize } else { 0 };
    spawn(&app, on_event, move |conn, job| {
        workspace::start_job(conn, &SystemClock, choice, &name, generated, job)
    })
}

/// Adds `generated` exchanges with the rest in proportion to the open workspace, in one transaction (for
/// testers: refused unless the app was started with `LIAISON_TESTING=1`).
#[tauri::command(async)]
pub fn demo_scale_job(app: AppHandle, generated: u32, on_event: Channel<JobEvent>) -> Result<u32> {
    if !testing() {
        return Err(Error::Core(liaison_core::Error::Conflict(format!(
            "generated data is for testers: start the app with {TESTING_ENV}=1"
        ))));
    }
    spawn(&app, on_event, move |conn, job| {
        demo::scale(conn, &SystemClock, generated as usize, Commit::Once, job).map(|_| ())
    })
}

/// Asks a job to stop; it answers on its channel with `cancelled` once its transaction is rolled back.
/// `false` if it had already ended.
#[tauri::command(async)]
pub fn job_cancel(ws: State<'_, Workspace>, id: u32) -> bool {
    ws.cancel_job(id)
}

/// Whether the app offers testers' tools (generated data).
#[tauri::command(async)]
pub fn testing() -> bool {
    std::env::var(TESTING_ENV).is_ok_and(|v| v == "1")
}
