//! The desktop app's entry point: starts the Tauri shell defined in lib.rs.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The allocator the CLI and the benches use too (see the workspace's Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    liaison_app::run();
}
