//! Files Liaison writes (exports, calendars, reports): written whole or not at all — to a temporary file
//! beside the target, synced to disk, then renamed over it — so a crash never leaves a torn file.

use std::io::Write;
use std::path::Path;

use crate::error::Result;

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("liaison-tmp");
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(written.map_err(|e| std::io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))?)
}

#[cfg(test)]
mod tests {
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

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("liaison-files-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
