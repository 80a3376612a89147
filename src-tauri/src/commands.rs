//! The commands the UI may call: each turns its arguments into one core call and returns the result. Writes
//! run in one transaction and announce themselves with a `changed` event.

use liaison_core::dashboard::{self, Dashboard, DashboardQuery};
use liaison_core::label::UiLang;
use liaison_core::oplog::{self, HistoryEntry};
use liaison_core::records::agreement::{self, Agreement, AgreementInput, AgreementPage, AgreementQuery};
use liaison_core::records::application::{
    self, Application, ApplicationInput, ApplicationPage, ApplicationQuery,
};
use liaison_core::records::call::{self, Call, CallInput, CallPage, CallQuery};
use liaison_core::records::contact::{self, Contact, ContactInput, ContactPage, ContactQuery};
use liaison_core::records::document::{self, Document};
use liaison_core::records::event::{self, Event, EventInput, EventPage, EventQuery};
use liaison_core::records::exchange::{self, Exchange, ExchangeInput, ExchangePage, ExchangeQuery};
use liaison_core::records::partner::{self, Partner, PartnerInput, PartnerPage, PartnerQuery};
use liaison_core::records::project::{self, Project, ProjectInput, ProjectPage, ProjectQuery};
use liaison_core::reference::{self, Dependants};
use liaison_core::reminder::{self, Reminder};
use liaison_core::search::{self, SearchHit};
use liaison_core::workspace::{self, StartChoice, WorkspaceStatus};
use liaison_core::{Clock, SystemClock};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use uuid::Uuid;

use crate::error::Result;
use crate::workspace::Workspace;

#[tauri::command(async)]
pub fn workspace_status(ws: State<'_, Workspace>) -> Result<WorkspaceStatus> {
    ws.read(|c| workspace::status(c, &ws.path_text()))
}

/// Renames this computer (the replica) as the history shows it.
#[tauri::command(async)]
pub fn replica_rename(app: AppHandle, ws: State<'_, Workspace>, name: String) -> Result<WorkspaceStatus> {
    ws.write(&app, |tx, clock| liaison_core::store::init(tx, &name, clock))?;
    ws.read(|c| workspace::status(c, &ws.path_text()))
}

#[tauri::command(async)]
pub fn workspace_start(
    app: AppHandle,
    ws: State<'_, Workspace>,
    choice: StartChoice,
    name: String,
) -> Result<WorkspaceStatus> {
    ws.write(&app, |tx, clock| workspace::start(tx, clock, choice, &name))?;
    ws.read(|c| workspace::status(c, &ws.path_text()))
}

#[tauri::command(async)]
pub fn partners_list(ws: State<'_, Workspace>, query: PartnerQuery) -> Result<PartnerPage> {
    ws.read(|c| partner::list(c, &query))
}

#[tauri::command(async)]
pub fn partner_countries(ws: State<'_, Workspace>) -> Result<Vec<String>> {
    ws.read(partner::countries)
}

#[tauri::command(async)]
pub fn partner_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Partner> {
    ws.read(|c| partner::get(c, id))
}

#[tauri::command(async)]
pub fn partner_create(app: AppHandle, ws: State<'_, Workspace>, input: PartnerInput) -> Result<Partner> {
    ws.write(&app, |tx, clock| partner::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn partner_update(
    app: AppHandle,
    ws: State<'_, Workspace>,
    id: Uuid,
    input: PartnerInput,
) -> Result<Partner> {
    ws.write(&app, |tx, clock| partner::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn partner_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| partner::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn partner_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| partner::restore(tx, clock, id))
}

#[tauri::command(async)]
pub fn contacts_list(ws: State<'_, Workspace>, query: ContactQuery) -> Result<ContactPage> {
    ws.read(|c| contact::list(c, &query))
}

#[tauri::command(async)]
pub fn contact_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Contact> {
    ws.read(|c| contact::get(c, id))
}

#[tauri::command(async)]
pub fn contact_create(app: AppHandle, ws: State<'_, Workspace>, input: ContactInput) -> Result<Contact> {
    ws.write(&app, |tx, clock| contact::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn contact_update(
    app: AppHandle,
    ws: State<'_, Workspace>,
    id: Uuid,
    input: ContactInput,
) -> Result<Contact> {
    ws.write(&app, |tx, clock| contact::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn contact_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| contact::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn contact_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| contact::restore(tx, clock, id))
}

#[tauri::command(async)]
pub fn search(
    ws: State<'_, Workspace>,
    query: String,
    limit: u32,
    lang: Option<UiLang>,
) -> Result<Vec<SearchHit>> {
    ws.read(|c| search::search_as(c, &query, limit.clamp(1, 200), lang))
}

#[tauri::command(async)]
pub fn history(ws: State<'_, Workspace>, id: Uuid) -> Result<Vec<HistoryEntry>> {
    ws.read(|c| oplog::history(c, id))
}

fn today() -> chrono::NaiveDate {
    SystemClock.now().date_naive()
}

#[tauri::command(async)]
pub fn agreements_list(ws: State<'_, Workspace>, query: AgreementQuery) -> Result<AgreementPage> {
    ws.read(|c| agreement::list(c, &query, today()))
}

#[tauri::command(async)]
pub fn agreement_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Agreement> {
    ws.read(|c| agreement::get(c, id, today()))
}

#[tauri::command(async)]
pub fn agreement_create(
    app: AppHandle,
    ws: State<'_, Workspace>,
    input: AgreementInput,
) -> Result<Agreement> {
    ws.write(&app, |tx, clock| agreement::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn agreement_update(
    app: AppHandle,
    ws: State<'_, Workspace>,
    id: Uuid,
    input: AgreementInput,
) -> Result<Agreement> {
    ws.write(&app, |tx, clock| agreement::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn agreement_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| agreement::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn agreement_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| agreement::restore(tx, clock, id))
}

#[tauri::command(async)]
pub fn exchanges_list(ws: State<'_, Workspace>, query: ExchangeQuery) -> Result<ExchangePage> {
    ws.read(|c| exchange::list(c, &query))
}

#[tauri::command(async)]
pub fn exchange_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Exchange> {
    ws.read(|c| exchange::get(c, id))
}

#[tauri::command(async)]
pub fn exchange_create(app: AppHandle, ws: State<'_, Workspace>, input: ExchangeInput) -> Result<Exchange> {
    ws.write(&app, |tx, clock| exchange::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn exchange_update(
    app: AppHandle,
    ws: State<'_, Workspace>,
    id: Uuid,
    input: ExchangeInput,
) -> Result<Exchange> {
    ws.write(&app, |tx, clock| exchange::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn exchange_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| exchange::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn exchange_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| exchange::restore(tx, clock, id))
}

#[tauri::command(async)]
pub fn exchange_cohorts(ws: State<'_, Workspace>) -> Result<Vec<String>> {
    ws.read(exchange::cohorts)
}

/// What points to a record, for the confirmation before deleting it.
#[tauri::command(async)]
pub fn dependants(ws: State<'_, Workspace>, id: Uuid) -> Result<Vec<Dependants>> {
    ws.read(|c| reference::dependants(c, id))
}

#[tauri::command(async)]
pub fn calls_list(ws: State<'_, Workspace>, query: CallQuery) -> Result<CallPage> {
    ws.read(|c| call::list(c, &query))
}

#[tauri::command(async)]
pub fn call_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Call> {
    ws.read(|c| call::get(c, id))
}

#[tauri::command(async)]
pub fn call_create(app: AppHandle, ws: State<'_, Workspace>, input: CallInput) -> Result<Call> {
    ws.write(&app, |tx, clock| call::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn call_update(app: AppHandle, ws: State<'_, Workspace>, id: Uuid, input: CallInput) -> Result<Call> {
    ws.write(&app, |tx, clock| call::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn call_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| call::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn call_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| call::restore(tx, clock, id))
}

#[tauri::command(async)]
pub fn applications_list(ws: State<'_, Workspace>, query: ApplicationQuery) -> Result<ApplicationPage> {
    ws.read(|c| application::list(c, &query))
}

#[tauri::command(async)]
pub fn application_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Application> {
    ws.read(|c| application::get(c, id))
}

#[tauri::command(async)]
pub fn application_create(
    app: AppHandle,
    ws: State<'_, Workspace>,
    input: ApplicationInput,
) -> Result<Application> {
    ws.write(&app, |tx, clock| application::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn application_update(
    app: AppHandle,
    ws: State<'_, Workspace>,
    id: Uuid,
    input: ApplicationInput,
) -> Result<Application> {
    ws.write(&app, |tx, clock| application::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn application_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| application::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn application_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| application::restore(tx, clock, id))
}

#[tauri::command(async)]
pub fn projects_list(ws: State<'_, Workspace>, query: ProjectQuery) -> Result<ProjectPage> {
    ws.read(|c| project::list(c, &query))
}

#[tauri::command(async)]
pub fn project_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Project> {
    ws.read(|c| project::get(c, id))
}

#[tauri::command(async)]
pub fn project_create(app: AppHandle, ws: State<'_, Workspace>, input: ProjectInput) -> Result<Project> {
    ws.write(&app, |tx, clock| project::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn project_update(
    app: AppHandle,
    ws: State<'_, Workspace>,
    id: Uuid,
    input: ProjectInput,
) -> Result<Project> {
    ws.write(&app, |tx, clock| project::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn project_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| project::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn project_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| project::restore(tx, clock, id))
}

#[tauri::command(async)]
pub fn events_list(ws: State<'_, Workspace>, query: EventQuery) -> Result<EventPage> {
    ws.read(|c| event::list(c, &query))
}

#[tauri::command(async)]
pub fn event_get(ws: State<'_, Workspace>, id: Uuid) -> Result<Event> {
    ws.read(|c| event::get(c, id))
}

#[tauri::command(async)]
pub fn event_create(app: AppHandle, ws: State<'_, Workspace>, input: EventInput) -> Result<Event> {
    ws.write(&app, |tx, clock| event::create(tx, clock, &input))
}

#[tauri::command(async)]
pub fn event_update(app: AppHandle, ws: State<'_, Workspace>, id: Uuid, input: EventInput) -> Result<Event> {
    ws.write(&app, |tx, clock| event::update(tx, clock, id, &input))
}

#[tauri::command(async)]
pub fn event_delete(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| event::delete(tx, clock, id))
}

#[tauri::command(async)]
pub fn event_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| event::restore(tx, clock, id))
}

/// What is due in the next `within_days` days.
#[tauri::command(async)]
pub fn reminders(ws: State<'_, Workspace>, within_days: u32) -> Result<Vec<Reminder>> {
    ws.read(|c| reminder::upcoming(c, today(), within_days.min(3660)))
}

/// Dismisses a reminder on this laptop (not synced): it is no longer listed, nor exported.
#[tauri::command(async)]
pub fn reminder_dismiss(
    app: AppHandle,
    ws: State<'_, Workspace>,
    kind: reminder::ReminderKind,
    record_id: Uuid,
    date: String,
) -> Result<()> {
    ws.write(&app, |tx, clock| reminder::dismiss(tx, kind, record_id, &date, clock.now()))
}

/// Lists a dismissed reminder again (undo).
#[tauri::command(async)]
pub fn reminder_undismiss(
    app: AppHandle,
    ws: State<'_, Workspace>,
    kind: reminder::ReminderKind,
    record_id: Uuid,
    date: String,
) -> Result<()> {
    ws.write(&app, |tx, _| reminder::undismiss(tx, kind, record_id, &date))
}

/// Saves the reminders as an .ics file where the user chooses in a native dialog; the path written, or
/// `None` when the dialog was cancelled.
#[tauri::command(async)]
pub async fn reminders_export(app: AppHandle, within_days: u32) -> Result<Option<String>> {
    let dialog = app.dialog().file().add_filter("iCalendar", &["ics"]).set_file_name("liaison-reminders.ics");
    let Some(path) = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| liaison_core::Error::Io(std::io::Error::other(e.to_string())))?
    else {
        return Ok(None);
    };
    let path = path.into_path().map_err(|e| liaison_core::Error::Io(std::io::Error::other(e.to_string())))?;
    let ws = app.state::<Workspace>();
    let due = ws.read(|c| reminder::upcoming(c, today(), within_days.min(3660)))?;
    liaison_core::files::write_atomically(&path, reminder::to_ics(&due, SystemClock.now()).as_bytes())?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(async)]
pub fn dashboard(ws: State<'_, Workspace>, query: DashboardQuery) -> Result<Dashboard> {
    ws.read(|c| dashboard::figures(c, &query, today()))
}

fn io(e: impl std::fmt::Display) -> liaison_core::Error {
    liaison_core::Error::Io(std::io::Error::other(e.to_string()))
}

#[tauri::command(async)]
pub fn documents_list(ws: State<'_, Workspace>, owner: Uuid) -> Result<Vec<Document>> {
    let store = ws.documents();
    ws.read(|c| document::list(c, &store, owner))
}

/// Attaches files the user picks in a native dialog to a record; the documents attached (none if cancelled).
#[tauri::command(async)]
pub async fn document_attach(app: AppHandle, owner: Uuid) -> Result<Vec<Document>> {
    let dialog = app.dialog().file();
    let Some(files) =
        tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_files()).await.map_err(io)?
    else {
        return Ok(Vec::new());
    };
    let ws = app.state::<Workspace>();
    let store = ws.documents();
    let mut stored = Vec::new();
    for file in files {
        let path = file.into_path().map_err(io)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (sha, size) = ws.read(|c| document::store_file_for(c, &store, owner, &path))?;
        stored.push((name, sha, size));
    }
    let attached = ws.write(&app, |tx, clock| {
        stored.iter().map(|(name, sha, size)| document::attach(tx, clock, owner, name, sha, *size)).collect()
    });
    if attached.is_err() {
        // The record went while the files were copied: leave no file behind that no document points to.
        for (_, sha, _) in &stored {
            let _ = ws.read(|c| document::discard(c, &store, sha));
        }
    }
    attached
}

/// Opens a document with the system's viewer for its type.
#[tauri::command(async)]
pub fn document_open(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    let store = ws.documents();
    let dir = viewer_dir(&app)?;
    let path = ws.read(|c| document::open_copy(c, &store, &dir, id))?;
    app.opener().open_path(path.display().to_string(), None::<&str>).map_err(io)?;
    Ok(())
}

#[tauri::command(async)]
pub fn document_remove(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| document::remove(tx, clock, id))?;
    let store = ws.documents();
    ws.read(|c| document::put_file_aside(c, &store, id))
}

#[tauri::command(async)]
pub fn document_restore(app: AppHandle, ws: State<'_, Workspace>, id: Uuid) -> Result<()> {
    ws.write(&app, |tx, clock| document::restore(tx, clock, id))?;
    let store = ws.documents();
    ws.read(|c| document::bring_file_back(c, &store, id))
}

/// Where documents are copied under their own names for the system viewer (see `document::open_copy`).
pub fn viewer_dir(app: &AppHandle) -> Result<std::path::PathBuf> {
    Ok(app.path().app_cache_dir().map_err(io)?.join("open"))
}

/// The vocabularies and the rules forms apply before saving (status moves, a country's zone).
#[tauri::command]
pub fn rules() -> liaison_core::rules::Rules {
    liaison_core::rules::rules()
}

/// A review's weighted score as it will be kept, for the form to show before saving.
#[tauri::command]
pub fn review_score(
    criteria: Vec<liaison_core::records::call::Criterion>,
    scores: Vec<liaison_core::records::application::Score>,
) -> Option<f64> {
    liaison_core::rules::review_score(&criteria, &scores)
}
