//! The CLI as a process, for the tests that run it: the `liaison` binary built beside this test binary, on
//! the database a test names (never the one `LIAISON_DB` points to).

use std::path::{Path, PathBuf};

/// The `liaison` binary beside this test binary (`cargo test --workspace` builds it, and so does
/// `cargo build -p liaison-cli`).
pub fn liaison_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join(format!("liaison{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build the CLI first (`cargo build -p liaison-cli`, or `cargo test --workspace`)",
        bin.display()
    );
    bin
}

/// `liaison --db DB`, to run and check with assert_cmd.
pub fn liaison(db: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(liaison_bin());
    cmd.arg("--db").arg(db).env_remove("LIAISON_DB");
    cmd
}

/// `liaison --db DB` as a plain process, for tests that start, watch or kill it.
pub fn liaison_process(db: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(liaison_bin());
    cmd.arg("--db").arg(db).env_remove("LIAISON_DB");
    cmd
}
