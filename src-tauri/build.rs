//! Build script of the desktop app: compiles the config and the capabilities, and declares the app's own
//! commands so that the capability in tauri.conf.json has to grant each one by name.

const COMMANDS: &[&str] = &[
    "workspace_status",
    "workspace_start",
    "partners_list",
    "partner_countries",
    "partner_get",
    "partner_create",
    "partner_update",
    "partner_delete",
    "partner_restore",
    "contacts_list",
    "contact_get",
    "contact_create",
    "contact_update",
    "contact_delete",
    "contact_restore",
    "search",
    "history",
    "agreements_list",
    "agreement_get",
    "agreement_create",
    "agreement_update",
    "agreement_delete",
    "agreement_restore",
    "exchanges_list",
    "exchange_get",
    "exchange_create",
    "exchange_update",
    "exchange_delete",
    "exchange_restore",
    "exchange_cohorts",
    "dependants",
    "calls_list",
    "call_get",
    "call_create",
    "call_update",
    "call_delete",
    "call_restore",
    "applications_list",
    "application_get",
    "application_create",
    "application_update",
    "application_delete",
    "application_restore",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
