//! Build script of the desktop app: compiles the config and the capabilities, and declares the app's own
//! commands so that the capability in tauri.conf.json has to grant each one by name.
//!
//! The command list is read from `generate_handler!` in src/lib.rs, the one place that names them, and the
//! build fails if the main capability does not grant exactly those commands: a command added without its
//! permission (or a permission left behind) is a build error, not a runtime "not allowed".

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    // Read at run time, not baked in with env!: a build script compiled for one checkout may be reused from
    // the shared target directory by another checkout of the same source.
    let root = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let lib = root.join("src-tauri/src/lib.rs");
    let conf = root.join("tauri.conf.json");
    println!("cargo:rerun-if-changed={}", lib.display());
    println!("cargo:rerun-if-changed={}", conf.display());

    let source = read(&lib)?;
    let commands = handled_commands(&source)?;
    if commands.is_empty() {
        return Err(failure("no commands found in generate_handler! in src-tauri/src/lib.rs"));
    }

    let conf: serde_json::Value = serde_json::from_str(&read(&conf)?)
        .map_err(|e| failure(format!("{} is not valid JSON: {e}", conf.display())))?;
    let granted = granted_commands(&conf)?;
    let handled: BTreeSet<String> = commands.iter().map(|c| c.replace('_', "-")).collect();
    let missing: Vec<_> = handled.difference(&granted).map(|c| format!("allow-{c}")).collect();
    let extra: Vec<_> = granted.difference(&handled).map(|c| format!("allow-{c}")).collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(failure(format!(
            "tauri.conf.json's \"main\" capability must grant exactly the commands of generate_handler!: \
             add {missing:?}, remove {extra:?}"
        )));
    }

    // tauri-build wants the names for 'static; a build script ends right after, so leaking them is free.
    let names: &'static [&'static str] = Vec::leak(commands.into_iter().map(|c| &*String::leak(c)).collect());
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(names)),
    )
    .map_err(|e| failure(format!("tauri-build failed: {e:#}")))?;
    Ok(())
}

/// A build failure in words for the developer. `main`'s error is printed with `{:?}`, so Debug shows the
/// message as written (a `String` turned into an error would print quoted, its quotes escaped).
struct BuildError(String);

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for BuildError {}

fn failure(message: impl Into<String>) -> Box<dyn Error> {
    Box::new(BuildError(message.into()))
}

fn read(path: &Path) -> Result<String, Box<dyn Error>> {
    std::fs::read_to_string(path).map_err(|e| failure(format!("cannot read {}: {e}", path.display())))
}

/// The `module::name` entries of the `generate_handler![…]` block (their names), in order.
fn handled_commands(source: &str) -> Result<Vec<String>, Box<dyn Error>> {
    let start = source
        .find("generate_handler![")
        .ok_or_else(|| failure("no generate_handler![…] in src-tauri/src/lib.rs"))?;
    let block = &source[start..];
    let end = block
        .find(']')
        .ok_or_else(|| failure("generate_handler![ in src-tauri/src/lib.rs has no closing ]"))?;
    Ok(block[..end]
        .split(|c: char| c == ',' || c.is_whitespace() || c == '[')
        .filter_map(|item| item.rsplit_once("::").map(|(_, name)| name))
        .map(str::to_owned)
        .collect())
}

/// The app's own commands the "main" capability grants (`allow-<command>`; plugin and core permissions
/// carry a `plugin:` prefix and are not the app's).
fn granted_commands(conf: &serde_json::Value) -> Result<BTreeSet<String>, Box<dyn Error>> {
    let capabilities = conf["app"]["security"]["capabilities"]
        .as_array()
        .ok_or_else(|| failure("tauri.conf.json has no app.security.capabilities array"))?;
    let main = capabilities
        .iter()
        .find(|c| c["identifier"] == "main")
        .ok_or_else(|| failure("tauri.conf.json has no capability with \"identifier\": \"main\""))?;
    let permissions = main["permissions"]
        .as_array()
        .ok_or_else(|| failure("the \"main\" capability in tauri.conf.json has no \"permissions\" array"))?;
    Ok(permissions
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(str::to_owned)
        .collect())
}
