//! The desktop shell: opens the workspace database, registers the plugins and the commands. Holds no domain
//! logic; every command is a thin call into `liaison-core`.

mod commands;
mod error;
mod export;
mod import;
mod jobs;
mod reports;
mod shared_folder;
mod sync;
mod workspace;

use liaison_core::records::document;
use liaison_core::store;
use tauri::Manager;
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use workspace::Workspace;

pub fn run() {
    lighter_webview();
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
        .manage(import::Imports::default())
        .manage(sync::SyncOutcomes::default())
        .manage(sync::SyncDrops::default())
        .manage(shared_folder::SharedFolder::default())
        .on_window_event(|window, event| {
            // The OS gives the dropped file's path to the shell; the page never sees it, nor navigates to it.
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                // Sync files go to the Sync page; any other file to the import.
                if !sync::dropped(window.app_handle(), paths) {
                    import::dropped(window.app_handle(), paths);
                }
            }
        })
        .setup(|app| {
            // `$LIAISON_DB`, else the OS app-data directory: the same file the CLI opens by default.
            let path = store::default_path();
            // Checked for damage before the first write (a migration, the quarantine's replay, a user's edit).
            let conn = match liaison_core::open_to_write(&path) {
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
            let ws = Workspace::new(conn, path)?;
            // No removal can be undone and no viewer of ours reads a copy any more: clear what they kept.
            let store = ws.documents();
            let viewer = commands::viewer_dir(app.handle())?;
            if let Err(e) = document::sweep(&store, &viewer) {
                eprintln!("Liaison could not clear removed documents and viewer copies: {e}");
            }
            app.manage(ws);
            shared_folder::resume(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::workspace_status,
            commands::workspace_start,
            commands::replica_rename,
            jobs::workspace_start_job,
            jobs::demo_scale_job,
            jobs::job_cancel,
            jobs::testing,
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
            export::list_export,
            reports::report_catalogue,
            reports::report_preview,
            reports::report_export,
            import::import_choose,
            import::import_preview,
            import::import_dry_run,
            import::import_run,
            import::import_outcome,
            import::import_rows,
            import::import_forget,
            import::import_template,
            sync::sync_status,
            sync::sync_waiting,
            sync::sync_history,
            sync::sync_approve,
            sync::sync_send,
            sync::sync_receive,
            sync::sync_receive_dropped,
            sync::sync_outcome,
            sync::sync_conflicts,
            sync::sync_resolve,
            sync::workspace_join,
            shared_folder::shared_folder_state,
            shared_folder::shared_folder_choose,
            shared_folder::shared_folder_stop,
            commands::reminder_dismiss,
            commands::reminder_undismiss,
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

/// WebKitGTK's accelerated compositing keeps GL surfaces and tile buffers for every layer of the page: about
/// 200 MiB more in the web process after a tour of the screens (docs/performance.md), for a UI of lists and
/// forms that draws fast enough without it. JavaScriptCore keeps the bytecode and machine code of every screen
/// visited, and grows its heap for a browser's pages: it now sizes its heap as for a small VM and lets go of
/// the code of screens left behind (about 35 MiB less after the tour, lists as fast). Each is set unless the
/// user has set it either way; the web processes WebKit starts inherit them.
fn lighter_webview() {
    #[cfg(target_os = "linux")]
    for (name, value) in [
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ("JSC_forceMiniVMMode", "1"),
        ("JSC_useEagerCodeBlockJettisonTiming", "1"),
        ("JSC_useUnlinkedCodeBlockJettisoning", "1"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}
