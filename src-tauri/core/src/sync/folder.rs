//! A shared folder as the carrier of sync files (one synced by Syncthing, Nextcloud, OneDrive, Dropbox, or a
//! network drive): each laptop writes its file for everyone there under its own name, and reads the files
//! the others leave. Guarantees: a file is read only once it has stopped changing (a copy still arriving is
//! left for the next pass), this laptop's own file appears whole (written aside, then renamed), a file read
//! before is not applied again, each file read is its own transaction, so a damaged one changes nothing
//! and does not stop the others, and this laptop's file is encrypted (the folder is someone else's disk).

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::job::Job;
use crate::store;
use crate::sync::bundle;
use crate::sync::export::{Audience, Protection, Written};
use crate::sync::identity::Standing;
use crate::sync::import::Imported;

/// A file younger than this may still be arriving (a sync service writing it in place): it waits.
pub const SETTLE: Duration = Duration::from_secs(2);

/// What one pass over the folder did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FolderPass {
    /// The files read and what each brought (files read before are left out).
    pub imported: Vec<FolderFile>,
    /// The files refused, each with why (in words); a refused file is read again once it changes.
    pub refused: Vec<FolderRefusal>,
    /// Files left for a later pass because they were still changing.
    #[ts(type = "number")]
    pub still_arriving: u64,
    /// This laptop's file, when it was written (there was something the others may lack).
    pub written: Option<Written>,
    /// This laptop has something to write but no approved laptop to encrypt it to (and no passphrase): its
    /// file waits until one is approved.
    pub waiting_for_approval: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FolderFile {
    pub file: String,
    pub imported: Imported,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FolderRefusal {
    pub file: String,
    pub reason: String,
}

/// A shared folder, and the files refused while watching it (by size and time: a new copy is read, the same
/// one is not said again and again).
#[derive(Debug, Default)]
pub struct Folder {
    dir: PathBuf,
    refused: HashMap<PathBuf, (u64, SystemTime)>,
}

impl Folder {
    pub fn new(dir: &Path) -> Result<Folder> {
        if !dir.is_dir() {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a folder", dir.display()),
            )));
        }
        Ok(Folder { dir: dir.to_owned(), ..Folder::default() })
    }

    /// This laptop's file in the folder: `liaison-shanghai-0192f0c4.liaison`, its name's first word and the
    /// start of its id (two laptops may share a first word), no date: each pass replaces it, so the folder
    /// holds one file per laptop.
    fn own_name(conn: &Connection) -> Result<String> {
        let me = store::replica(conn)?.ok_or(Error::NotInitialised)?;
        let id = me.id.simple().to_string();
        Ok(format!("liaison-{}-{}.liaison", super::slug(&me.name), &id[..8]))
    }

    /// Reads what the other laptops left (settled files only, each once), then writes this laptop's file
    /// when it holds something it has not written there yet.
    pub fn pass(
        &mut self,
        conn: &mut Connection,
        clock: &dyn Clock,
        passphrase: Option<&str>,
        documents: Option<&Path>,
        job: &Job,
    ) -> Result<FolderPass> {
        let mut pass = FolderPass::default();
        let own = Self::own_name(conn)?;
        let me_id = store::replica(conn)?.ok_or(Error::NotInitialised)?.id;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                // Hidden names are files on their way (ours, and most sync services' temporary copies).
                name.ends_with(".liaison") && !name.starts_with('.') && name != own && p.is_file()
            })
            .collect();
        files.sort();
        for path in files {
            job.check()?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // A file that went or is locked between the listing and now is looked at again next pass.
            let Some(stamp) = std::fs::metadata(&path).ok().and_then(|m| Some((m.len(), m.modified().ok()?)))
            else {
                pass.still_arriving += 1;
                continue;
            };
            // A time ahead of this clock (a sync service keeps the sender's, whose clock may be ahead) is a
            // file that has arrived, not one still changing.
            if stamp.1.elapsed().is_ok_and(|age| age < SETTLE) {
                pass.still_arriving += 1;
                continue;
            }
            if self.refused.get(&path) == Some(&stamp) {
                continue;
            }
            // A file this laptop wrote under another name (an older version of it, a copy) is not for it.
            let Ok(file) = File::open(&path) else {
                pass.still_arriving += 1;
                continue;
            };
            if bundle::open(file).is_ok_and(|o| o.header.sender == me_id) {
                continue;
            }
            match super::import_file(conn, clock, &path, passphrase, documents, job) {
                Ok(imported) if imported.already_imported => {}
                Ok(imported) => pass.imported.push(FolderFile { file: name, imported }),
                Err(Error::Cancelled) => return Err(Error::Cancelled),
                // The file's own fault (damaged, another workspace's, a stranger's key): said once, read again
                // when it changes.
                Err(e @ Error::Bundle(_)) => {
                    self.refused.insert(path, stamp);
                    pass.refused.push(FolderRefusal { file: name, reason: e.to_string() });
                }
                // This laptop's trouble (its disk, its database): said, and tried again next pass.
                Err(e) => pass.refused.push(FolderRefusal { file: name, reason: e.to_string() }),
            }
        }
        // Written when this laptop holds changes (its own, or others' to relay and acknowledge) that its file
        // in the folder does not: that file's header says what it held (a file made by another run, or
        // deleted since, or not this laptop's, is written again). A folder carried by a service is someone
        // else's disk: the file is encrypted, with the passphrase given, else to the approved laptops' keys;
        // with neither, it waits until a laptop is approved (none could read it).
        let me = super::identity::me(conn)?;
        let held = super::vector::held(conn, me.num)?;
        let target = self.dir.join(&own);
        let current = File::open(&target).ok().and_then(|f| bundle::open(f).ok()).map(|o| o.header);
        let up_to_date = current.is_some_and(|h| {
            h.sender == me.id && h.vector.into_iter().collect::<std::collections::BTreeMap<_, _>>() == held
        });
        let approved = super::identity::roster(conn)?
            .iter()
            .any(|m| m.id != me.id && m.standing == Standing::Approved && m.public_key.is_some());
        let protection = match passphrase {
            Some(p) => Some(Protection::Passphrase(p)),
            None if approved => Some(Protection::PeersKeys),
            None => None,
        };
        if !up_to_date && protection.is_none() {
            pass.waiting_for_approval = true;
        }
        if let Some(protection) = protection.filter(|_| !up_to_date) {
            let aside = self.dir.join(format!(".{own}.part"));
            let written =
                super::export_file(conn, clock, Audience::Everyone, &aside, Some(protection), documents, job)
                    .and_then(|w| {
                        std::fs::rename(&aside, &target)?;
                        Ok(w)
                    })
                    .inspect_err(|_| {
                        let _ = std::fs::remove_file(&aside);
                    })?;
            pass.written = Some(Written { path: target.display().to_string(), ..written });
        }
        Ok(pass)
    }
}
