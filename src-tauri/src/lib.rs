//! The desktop shell: opens the workspace database, registers the plugins and the commands. Holds no domain
//! logic; every command is a thin call into `liaison-core`.

mod commands;
mod error;

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

use liaison_core::Tx;
use liaison_core::{store, Clock, SystemClock};
use rusqlite::Connection;
use tauri::{Emitter, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use error::Result;

/// The open workspace: one connection, used by one command at a time.
pub struct Workspace {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Workspace {
    fn path_text(&self) -> String {
        self.path.display().to_string()
    }

    /// Where attached documents are stored: beside the database.
    fn documents(&self) -> PathBuf {
        liaison_core::records::document::store_beside(&self.path)
    }

    /// The connection. A command that panicked while holding it dropped its transaction, which rolled back,
    /// so the connection is still sound and later commands may use it.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> liaison_core::Result<T>) -> Result<T> {
        Ok(f(&self.conn())?)
    }

    /// One transaction; then a `changed` event so the UI refetches what it shows.
    fn write<T>(
        &self,
        app: &tauri::AppHandle,
        f: impl FnOnce(&Tx, &dyn Clock) -> liaison_core::Result<T>,
    ) -> Result<T> {
        let out = liaison_core::write(&mut self.conn(), |tx| f(tx, &SystemClock))?;
        // A failed emit only delays the refresh until the user's next action.
        let _ = app.emit("changed", ());
        Ok(out)
    }
}

pub fn run() {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            // `$LIAISON_DB`, else the OS app-data directory: the same file the CLI opens by default.
            let path = store::default_path();
            let conn =
                match liaison_core::open(&path).and_then(|conn| store::check(&conn, &path).map(|()| conn)) {
                    Ok(conn) => conn,
                    Err(e) => {
                        // Said in a window, not only on stderr: a desktop user never sees the terminal.
                        app.dialog()
                            .message(format!("Liaison cannot open its database {}:\n\n{e}", path.display()))
                            .title("Liaison")
                            .kind(MessageDialogKind::Error)
                            .blocking_show();
                        return Err(e.into());
                    }
                };
            app.manage(Workspace { conn: Mutex::new(conn), path });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::workspace_status,
            commands::workspace_start,
            commands::partners_list,
            commands::partner_countries,
            commands::partner_get,
            commands::partner_create,
            commands::partner_update,
            commands::partner_delete,
            commands::partner_restore,
            commands::contacts_list,
            commands::contact_get,
            commands::contact_create,
            commands::contact_update,
            commands::contact_delete,
            commands::contact_restore,
            commands::search,
            commands::history,
            commands::agreements_list,
            commands::agreement_get,
            commands::agreement_create,
            commands::agreement_update,
            commands::agreement_delete,
            commands::agreement_restore,
            commands::exchanges_list,
            commands::exchange_get,
            commands::exchange_create,
            commands::exchange_update,
            commands::exchange_delete,
            commands::exchange_restore,
            commands::exchange_cohorts,
            commands::dependants,
            commands::calls_list,
            commands::call_get,
            commands::call_create,
            commands::call_update,
            commands::call_delete,
            commands::call_restore,
            commands::applications_list,
            commands::application_get,
            commands::application_create,
            commands::application_update,
            commands::application_delete,
            commands::application_restore,
            commands::projects_list,
            commands::project_get,
            commands::project_create,
            commands::project_update,
            commands::project_delete,
            commands::project_restore,
            commands::events_list,
            commands::event_get,
            commands::event_create,
            commands::event_update,
            commands::event_delete,
            commands::event_restore,
            commands::reminders,
            commands::reminders_export,
            commands::dashboard,
            commands::documents_list,
            commands::document_attach,
            commands::document_open,
            commands::document_remove,
            commands::document_restore,
            commands::rules,
            commands::review_score,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Liaison could not start: {e}");
            std::process::exit(1);
        }
    }
}
