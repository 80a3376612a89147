//! Build script of the desktop app: compiles the config and the capabilities, and declares the app's own
//! commands so that the capability in tauri.conf.json has to grant each one by name.
//!
//! The command list is read from `generate_handler!` in src/lib.rs, the one place that names them, and the
//! build fails if the main capability does not grant exactly those commands: a command added without its
//! permission (or a permission left behind) is a build error, not a runtime "not allowed".

use std::collections::BTreeSet;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = root.join("src-tauri/src/lib.rs");
    let conf = root.join("tauri.conf.json");
    println!("cargo:rerun-if-changed={}", lib.display());
    println!("cargo:rerun-if-changed={}", conf.display());

    let source = std::fs::read_to_string(&lib).expect("read src-tauri/src/lib.rs");
    let commands = handled_commands(&source);
    assert!(!commands.is_empty(), "no commands found in generate_handler! in src-tauri/src/lib.rs");

    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&conf).expect("read tauri.conf.json"))
            .expect("tauri.conf.json");
    let granted = granted_commands(&conf);
    let handled: BTreeSet<String> = commands.iter().map(|c| c.replace('_', "-")).collect();
    let missing: Vec<_> = handled.difference(&granted).map(|c| format!("allow-{c}")).collect();
    let extra: Vec<_> = granted.difference(&handled).map(|c| format!("allow-{c}")).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "tauri.conf.json's \"main\" capability must grant exactly the commands of generate_handler!: \
         add {missing:?}, remove {extra:?}"
    );

    // tauri-build wants the names for 'static; a build script ends right after, so leaking them is free.
    let names: &'static [&'static str] = Vec::leak(commands.into_iter().map(|c| &*String::leak(c)).collect());
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(names)),
    )
    .expect("tauri-build failed");
}

/// The `commands::name` entries of the `generate_handler![…]` block, in order.
fn handled_commands(source: &str) -> Vec<String> {
    let start = source.find("generate_handler![").expect("generate_handler! in src-tauri/src/lib.rs");
    let block = &source[start..];
    let block = &block[..block.find(']').expect("end of generate_handler!")];
    block
        .split(|c: char| c == ',' || c.is_whitespace() || c == '[')
        .filter_map(|item| item.strip_prefix("commands::"))
        .map(str::to_owned)
        .collect()
}

/// The app's own commands the "main" capability grants (`allow-<command>`; plugin and core permissions
/// carry a `plugin:` prefix and are not the app's).
fn granted_commands(conf: &serde_json::Value) -> BTreeSet<String> {
    let capabilities =
        conf["app"]["security"]["capabilities"].as_array().expect("capabilities in tauri.conf.json");
    let main = capabilities.iter().find(|c| c["identifier"] == "main").expect("the \"main\" capability");
    main["permissions"]
        .as_array()
        .expect("permissions of the main capability")
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(str::to_owned)
        .collect()
}
