//! Sync by file exchange (see `../shared/design/sync.md` and `docs/sync-format.md`): a replica writes the
//! ops a peer lacks into a signed file; another imports it, in any order, any number of times, and the two
//! converge. Guarantees: an import is one transaction (a refused or failing file changes nothing); an op is
//! applied only when its origin signed it and is approved here; nothing is applied twice.

pub mod bundle;
pub mod digest;
pub mod export;
pub mod folder;
pub mod identity;
pub mod import;
pub mod status;
pub mod vector;

use std::fs::File;
use std::path::Path;

use rusqlite::Connection;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::job::Job;
use crate::store;
use bundle::Kind;
use export::{Audience, Protection, Written};
use identity::Standing;
use import::Imported;

/// Writes a sync file for `audience` at `out`, in one transaction (see [`export::export`]).
pub fn export_file(
    conn: &mut Connection,
    clock: &dyn Clock,
    audience: Audience,
    out: &Path,
    protection: Option<Protection<'_>>,
    documents: Option<&Path>,
    job: &Job,
) -> Result<Written> {
    crate::write(conn, |tx| export::export(tx, clock, audience, out, protection, documents, job))
}

/// Imports one sync file in one transaction: refused or failing, it changes nothing.
pub fn import_file(
    conn: &mut Connection,
    clock: &dyn Clock,
    path: &Path,
    passphrase: Option<&str>,
    documents: Option<&Path>,
    job: &Job,
) -> Result<Imported> {
    let file = File::open(path)?;
    crate::write(conn, |tx| import::import(tx, clock, file, passphrase, documents, None, job))
}

/// Joins the workspace a snapshot file comes from: the empty database takes the workspace's id, a replica
/// id and key of its own and the name given, imports everything, and trusts the snapshot's sender (the
/// person joining chose its file). One transaction.
#[allow(clippy::too_many_arguments)]
pub fn join(
    conn: &mut Connection,
    clock: &dyn Clock,
    path: &Path,
    name: &str,
    passphrase: Option<&str>,
    documents: Option<&Path>,
    job: &Job,
) -> Result<Imported> {
    let header = bundle::open(File::open(path)?)?.header;
    if header.kind != Kind::Snapshot {
        return Err(Error::Bundle(
            "this sync file is not a snapshot: a new laptop joins from a file made with \
             `liaison sync export --snapshot` (or \"Bring a new laptop in\" in the app)"
                .into(),
        ));
    }
    crate::write(conn, |tx| {
        store::join(tx, name, header.workspace, clock)?;
        let report =
            import::import(tx, clock, File::open(path)?, passphrase, documents, Some(header.sender), job)?;
        if identity::member(tx, header.sender)?.map(|m| m.standing) != Some(Standing::Approved) {
            identity::approve(tx, clock, header.sender, &header.sender_name, &header.sender_key)?;
        }
        // This replica's own roster row waits for its first file: until then it holds exactly what the
        // snapshot held, and the two state digests agree.
        Ok(report)
    })
}

/// A file name a person can read: `liaison-shanghai-to-lyon-2026-12-05.liaison`, from the first word of each
/// replica's name.
pub fn file_name(sender: &str, peer: Option<&str>, snapshot: bool, date: chrono::NaiveDate) -> String {
    let to = match (snapshot, peer) {
        (true, _) => "snapshot".to_owned(),
        (false, Some(peer)) => format!("to-{}", slug(peer)),
        (false, None) => "to-everyone".to_owned(),
    };
    format!("liaison-{}-{to}-{}.liaison", slug(sender), date.format("%Y-%m-%d"))
}

pub(crate) fn slug(name: &str) -> String {
    let folded = crate::text::fold(name);
    let word: String = folded
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("replica")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if word.is_empty() {
        "replica".to_owned()
    } else {
        word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_after_its_sender_and_peer() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("a date");
        assert_eq!(
            file_name("Shanghai office", Some("Lyon head office"), false, day),
            "liaison-shanghai-to-lyon-2026-12-05.liaison"
        );
        assert_eq!(file_name("Lyon", None, false, day), "liaison-lyon-to-everyone-2026-12-05.liaison");
        assert_eq!(
            file_name("Université d'Ottawa", None, true, day),
            "liaison-universite-snapshot-2026-12-05.liaison"
        );
        assert_eq!(file_name("東京", None, true, day), "liaison-replica-snapshot-2026-12-05.liaison");
    }
}
