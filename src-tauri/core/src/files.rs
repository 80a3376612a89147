//! Files Liaison writes (exports, calendars, reports): written whole or not at all — to a temporary file
//! beside the target, synced to disk, then renamed over it — so a crash never leaves a torn file.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Result;

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Writes `path` whole or not at all from what `write` streams into it (a million rows in flat memory):
/// into a temporary file beside it, synced and renamed over it once `write` has succeeded. If `write` fails
/// (or is cancelled), the temporary file is removed and `path` is left as it was.
pub fn write_atomically_with<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T>,
) -> Result<T> {
    let tmp = temporary_beside(path);
    let cannot = |e: std::io::Error| {
        crate::Error::Io(std::io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))
    };
    let file = File::create(&tmp).map_err(cannot)?;
    let mut out = BufWriter::with_capacity(256 * 1024, file);
    let written = write(&mut out).and_then(|value| {
        let file = out.into_inner().map_err(|e| cannot(e.into_error()))?;
        file.sync_all().map_err(cannot)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(cannot)?;
        Ok(value)
    });
    match written {
        Ok(value) => {
            sync_directory(path);
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// `out.csv` → `out.csv.liaison-tmp`: beside the target (so the rename stays on one file system) and named
/// after the whole file name, so that `out.csv` and `out.xlsx` written at once do not share it.
fn temporary_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".liaison-tmp");
    path.with_file_name(name)
}

/// The rename itself is made durable by syncing the directory that holds it (where the platform can).
fn sync_directory(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_file_is_left() {
        let dir = tempfile_dir();
        let path = dir.join("out.ics");
        std::fs::write(&path, "old").expect("seed");
        super::write_atomically(&path, b"new contents").expect("written");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new contents");
        assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1, "no temporary file left beside it");
        let missing = dir.join("no-such-dir").join("x.ics");
        assert!(super::write_atomically(&missing, b"x").is_err(), "an unwritable place is an error");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_stream_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile_dir();
        let path = dir.join("out.csv");
        std::fs::write(&path, "old").expect("seed");
        let failed = super::write_atomically_with(&path, |w| {
            w.write_all(b"half a file")?;
            Err::<(), _>(crate::Error::Cancelled)
        });
        assert!(matches!(failed, Err(crate::Error::Cancelled)));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old", "the target is untouched");
        assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1, "no temporary file left beside it");
        let rows = super::write_atomically_with(&path, |w| {
            for i in 0..1000 {
                writeln!(w, "row {i}")?;
            }
            Ok(1000)
        });
        assert_eq!(rows.expect("written"), 1000, "what the writer returns is handed back");
        assert!(std::fs::read_to_string(&path).expect("read").ends_with("row 999\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("liaison-files-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
