//! The desktop app's entry point: starts the Tauri shell defined in lib.rs.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    liaison_app::run();
}
