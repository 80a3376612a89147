//! The desktop shell: opens the workspace database, registers the plugins and the commands. Holds no domain
//! logic; every command is a thin call into `liaison-core`.

mod commands;
mod error;

use std::path::PathBuf;
use std::sync::Mutex;

use liaison_core::{db, Clock, SystemClock};
use rusqlite::{Connection, Transaction};
use tauri::{Emitter, Manager};

use error::{Error, Result};

/// The open workspace: one connection, used by one command at a time.
pub struct Workspace {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Workspace {
    fn path_text(&self) -> String {
        self.path.display().to_string()
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> liaison_core::Result<T>) -> Result<T> {
        let conn = self.conn.lock().map_err(|_| Error::Poisoned)?;
        Ok(f(&conn)?)
    }

    fn with_conn<T>(
        &self,
        app: &tauri::AppHandle,
        f: impl FnOnce(&mut Connection, &dyn Clock) -> liaison_core::Result<T>,
    ) -> Result<T> {
        let mut conn = self.conn.lock().map_err(|_| Error::Poisoned)?;
        let out = f(&mut conn, &SystemClock)?;
        // The UI refetches what it shows; a failed emit only delays that until the next action.
        let _ = app.emit("changed", ());
        Ok(out)
    }

    fn write<T>(
        &self,
        app: &tauri::AppHandle,
        f: impl FnOnce(&Transaction, &dyn Clock) -> liaison_core::Result<T>,
    ) -> Result<T> {
        self.with_conn(app, |conn, clock| liaison_core::write(conn, |tx| f(tx, clock)))
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
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            // `$LIAISON_DB`, else the OS app-data directory: the same file the CLI opens by default.
            let path = db::default_path();
            let conn = db::open(&path)?;
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
