//! The commands the UI may call: each turns its arguments into one core call and returns the result. Writes
//! run in one transaction and announce themselves with a `changed` event.

use liaison_core::contact::{self, Contact, ContactInput, ContactPage, ContactQuery};
use liaison_core::oplog::{self, HistoryEntry};
use liaison_core::partner::{self, Partner, PartnerInput, PartnerPage, PartnerQuery};
use liaison_core::search::{self, SearchHit};
use liaison_core::workspace::{self, StartChoice, WorkspaceStatus};
use tauri::{AppHandle, State};
use uuid::Uuid;

use crate::error::Result;
use crate::Workspace;

#[tauri::command(async)]
pub fn workspace_status(ws: State<'_, Workspace>) -> Result<WorkspaceStatus> {
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
pub fn search(ws: State<'_, Workspace>, query: String, limit: u32) -> Result<Vec<SearchHit>> {
    ws.read(|c| search::search(c, &query, limit.clamp(1, 200)))
}

#[tauri::command(async)]
pub fn history(ws: State<'_, Workspace>, id: Uuid) -> Result<Vec<HistoryEntry>> {
    ws.read(|c| oplog::history(c, id))
}
