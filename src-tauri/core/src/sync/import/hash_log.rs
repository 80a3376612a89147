//! The hashes of one origin's ops in a sync file, in `seq` order, kept until the ranges its origin signed
//! arrive (they follow the ops): in memory up to a bound, then in a temporary file, so that a file of any
//! number of ops is checked in flat memory. The temporary file is removed when the log is dropped.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use crate::error::Result;

/// One op: its `seq` and the SHA-256 of its wire encoding.
pub(super) type Entry = (i64, [u8; 32]);

const ENTRY_BYTES: usize = 8 + 32;

/// How many entries stay in memory before the log moves to a file (4 MB).
const IN_MEMORY: usize = 100_000;

pub(super) struct HashLog {
    memory: Vec<Entry>,
    spilled: Option<Spill>,
    len: usize,
    last: Option<i64>,
    in_memory: usize,
}

struct Spill {
    path: PathBuf,
    writer: BufWriter<File>,
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl HashLog {
    pub(super) fn new() -> Self {
        Self::with_bound(IN_MEMORY)
    }

    fn with_bound(in_memory: usize) -> Self {
        HashLog { memory: Vec::new(), spilled: None, len: 0, last: None, in_memory }
    }

    pub(super) fn last_seq(&self) -> Option<i64> {
        self.last
    }

    pub(super) fn push(&mut self, entry: Entry) -> Result<()> {
        self.len += 1;
        self.last = Some(entry.0);
        if self.spilled.is_none() && self.memory.len() < self.in_memory {
            self.memory.push(entry);
            return Ok(());
        }
        if self.spilled.is_none() {
            let path = std::env::temp_dir().join(format!("liaison-import-{}.hashes", uuid::Uuid::new_v4()));
            let file = File::options().read(true).write(true).create_new(true).open(&path)?;
            let mut spill = Spill { path, writer: BufWriter::new(file) };
            for kept in self.memory.drain(..) {
                write_entry(&mut spill.writer, &kept)?;
            }
            self.memory = Vec::new();
            self.spilled = Some(spill);
        }
        if let Some(spill) = self.spilled.as_mut() {
            write_entry(&mut spill.writer, &entry)?;
        }
        Ok(())
    }

    /// The entries in `seq` order, to be read in one pass.
    pub(super) fn reader(&mut self) -> Result<Reader<'_>> {
        match self.spilled.as_mut() {
            None => Ok(Reader::Memory(&self.memory, 0)),
            Some(spill) => {
                spill.writer.flush()?;
                let file = spill.writer.get_mut();
                file.seek(SeekFrom::Start(0))?;
                Ok(Reader::File(std::io::BufReader::new(file), self.len))
            }
        }
    }
}

fn write_entry(out: &mut impl Write, (seq, hash): &Entry) -> Result<()> {
    out.write_all(&seq.to_le_bytes())?;
    out.write_all(hash)?;
    Ok(())
}

/// The entries of a log, in order.
pub(super) enum Reader<'a> {
    Memory(&'a [Entry], usize),
    File(std::io::BufReader<&'a mut File>, usize),
}

impl Reader<'_> {
    pub(super) fn next_entry(&mut self) -> Result<Option<Entry>> {
        match self {
            Reader::Memory(entries, at) => {
                let entry = entries.get(*at).copied();
                *at += 1;
                Ok(entry)
            }
            Reader::File(reader, left) => {
                if *left == 0 {
                    return Ok(None);
                }
                *left -= 1;
                let mut bytes = [0u8; ENTRY_BYTES];
                reader.read_exact(&mut bytes)?;
                let mut seq = [0u8; 8];
                seq.copy_from_slice(&bytes[..8]);
                let mut hash = [0u8; 32];
                hash.copy_from_slice(&bytes[8..]);
                Ok(Some((i64::from_le_bytes(seq), hash)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(log: &mut HashLog) -> Vec<Entry> {
        let mut reader = log.reader().expect("reader");
        let mut out = Vec::new();
        while let Some(e) = reader.next_entry().expect("entry") {
            out.push(e);
        }
        out
    }

    #[test]
    fn entries_read_back_in_order_in_memory_and_once_moved_to_a_file() {
        let entries: Vec<Entry> = (1..=10).map(|i| (i * 3, [i as u8; 32])).collect();
        let mut small = HashLog::with_bound(4);
        let mut large = HashLog::with_bound(100);
        for e in &entries {
            small.push(*e).expect("push");
            large.push(*e).expect("push");
        }
        assert!(small.spilled.is_some() && large.spilled.is_none());
        assert_eq!(all(&mut small), entries);
        assert_eq!(all(&mut small), entries, "read again from the start");
        assert_eq!(all(&mut large), entries);
        assert_eq!(small.last_seq(), Some(30));
        let path = small.spilled.as_ref().map(|s| s.path.clone()).expect("a file");
        drop(small);
        assert!(!path.exists(), "the temporary file is removed");
    }
}
