//! `liaison sync …` and `liaison init --from`: writing and reading sync files, approving and revoking
//! laptops, and what sync knows. Each file is one transaction; a refused file is named with the reason.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use liaison_core::oplog::conflict::{self, Resolution};
use liaison_core::records::document;
use liaison_core::sync::export::{self, Audience, Protection};
use liaison_core::sync::identity::Standing;
use liaison_core::sync::import::{self, Imported};
use liaison_core::sync::{self as core_sync, folder, status};
use liaison_core::Clock;
use rusqlite::Connection;
use uuid::Uuid;

use crate::{output, progress, Error, Result};

#[derive(Subcommand)]
pub(crate) enum SyncCommand {
    /// Write a sync file: the changes a peer (or every peer) lacks, or a snapshot for a new laptop
    Export {
        /// Where to write it: a file, or a folder for the file's default name (default: this folder)
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// For this peer only (its id or its name): the changes it has not acknowledged
        #[arg(long = "for", value_name = "REPLICA", conflicts_with_all = ["all", "snapshot"])]
        peer: Option<String>,
        /// For every known peer at once (the default)
        #[arg(long, conflicts_with = "snapshot")]
        all: bool,
        /// Everything a new laptop needs to join (`liaison init --from FILE`)
        #[arg(long)]
        snapshot: bool,
        /// Protect the file with the passphrase on this file's first line
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Encrypt the file to the keys of the laptops it is for (the peer's, or every approved peer's):
        /// only they can read it, with no passphrase to share
        #[arg(long, conflicts_with_all = ["passphrase_file", "snapshot"])]
        encrypt: bool,
        #[arg(long)]
        json: bool,
    },
    /// Read sync files, in any order, any number of times: each is applied once, whole or not at all
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The passphrase of protected files, on this file's first line
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// This laptop, its key fingerprint, what it holds from each laptop, what each peer acknowledged, who
    /// waits for approval, and the state digest (equal on two laptops exactly when they hold the same data)
    Status {
        #[arg(long)]
        json: bool,
    },
    /// The laptops of this workspace: name, key fingerprint, standing and what each acknowledged
    Peers {
        #[arg(long)]
        json: bool,
    },
    /// Approve a laptop by its key fingerprint (read it on that laptop with `liaison sync status`): its
    /// changes are applied, here and on every laptop this approval reaches
    Approve { fingerprint: String },
    /// Stop accepting new changes from a lost laptop (its id or name)
    Revoke { replica: String },
    /// The sync files written and read on this laptop, newest first: when, which peer, how many changes
    History {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Fields changed on two laptops without either seeing the other's change: the value shown (the last
    /// writer's) and the one kept beside it, with who and when
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Settle a conflict (its id, or the start of it) with a new change above both values
    Resolve {
        conflict: String,
        /// Which value to keep: mine or theirs (this laptop's value or the other's), or winner or loser (the
        /// value shown or the one kept beside it); for an edit against a deletion, winner leaves the record
        /// deleted and loser restores it
        #[arg(long, value_name = "SIDE", conflicts_with = "value", required_unless_present = "value")]
        keep: Option<String>,
        /// A new value instead, as JSON (`"Shanghai"`, `12`, `null`)
        #[arg(long, value_name = "JSON")]
        value: Option<String>,
    },
    /// Sync through a shared folder (Syncthing, Nextcloud, OneDrive, Dropbox, a network drive): read the
    /// files the other laptops left there (once each, never one still arriving), then write this laptop's
    /// own when it holds something new
    Folder {
        dir: PathBuf,
        /// Keep watching the folder: a pass every --interval seconds until stopped (Ctrl+C)
        #[arg(long)]
        watch: bool,
        #[arg(long, value_name = "SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
        interval: u64,
        /// A passphrase the laptops share, on this file's first line: this laptop's file is encrypted with
        /// it (instead of to the approved laptops' keys) and the others' files are opened with it
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// One JSON object per pass
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn sync(
    conn: &mut Connection,
    clock: &dyn Clock,
    db: &Path,
    cmd: SyncCommand,
    out: &mut impl Write,
) -> Result<()> {
    let documents = document::store_beside(db);
    match cmd {
        SyncCommand::Export { out: target, peer, all: _, snapshot, passphrase_file, encrypt, json } => {
            let audience = match (snapshot, peer) {
                (true, _) => Audience::Snapshot,
                (false, Some(peer)) => Audience::Peer(find_replica(conn, &peer)?),
                (false, None) => Audience::Everyone,
            };
            let passphrase = passphrase_file.as_deref().map(read_passphrase).transpose()?;
            let protection = match (&passphrase, encrypt) {
                (Some(passphrase), _) => Some(Protection::Passphrase(passphrase)),
                (None, true) => Some(Protection::PeersKeys),
                (None, false) => None,
            };
            let name = export::default_name(conn, clock, audience)?;
            let path = match target {
                Some(p) if p.is_dir() => p.join(name),
                Some(p) => p,
                None => PathBuf::from(name),
            };
            let written = core_sync::export_file(
                conn,
                clock,
                audience,
                &path,
                protection,
                Some(&documents),
                &progress::job(),
            )?;
            if json {
                output::print_json(out, &written)?;
            } else {
                writeln!(
                    out,
                    "Wrote {} for {}: {}, {}, {}",
                    written.path,
                    match audience {
                        Audience::Snapshot => "a new laptop (snapshot)".to_owned(),
                        Audience::Everyone => "every peer".to_owned(),
                        Audience::Peer(_) => format!("\"{}\"", written.peer_name.clone().unwrap_or_default()),
                    },
                    count(written.ops, "change"),
                    count(written.documents, "document"),
                    human_bytes(written.bytes)
                )?;
            }
            Ok(())
        }
        SyncCommand::Folder { dir, watch, interval, passphrase_file, json } => {
            let passphrase = passphrase_file.as_deref().map(read_passphrase).transpose()?;
            let mut folder = folder::Folder::new(&dir)?;
            loop {
                match folder.pass(conn, clock, passphrase.as_deref(), Some(&documents), &progress::job()) {
                    Ok(pass) if json => output::print_json(out, &pass)?,
                    Ok(pass) => say_pass(out, &pass, watch)?,
                    // Watching goes on past a pass that failed (a busy disk, a folder gone a moment).
                    Err(e) if watch && !matches!(e, liaison_core::Error::Cancelled) => {
                        eprintln!("error: {e}")
                    }
                    Err(e) => return Err(e.into()),
                }
                out.flush()?;
                if !watch {
                    return Ok(());
                }
                std::thread::sleep(std::time::Duration::from_secs(interval));
            }
        }
        SyncCommand::Import { files, passphrase_file, json } => {
            let passphrase = passphrase_file.as_deref().map(read_passphrase).transpose()?;
            let mut reports = Vec::new();
            let mut failed = 0;
            for file in &files {
                match core_sync::import_file(
                    conn,
                    clock,
                    file,
                    passphrase.as_deref(),
                    Some(&documents),
                    &progress::job(),
                ) {
                    Ok(report) => {
                        if !json {
                            say_imported(out, file, &report)?;
                        }
                        reports.push(
                            serde_json::json!({ "file": file.display().to_string(), "imported": report }),
                        );
                    }
                    Err(e) => {
                        failed += 1;
                        let message = match &e {
                            liaison_core::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
                                "no such file".to_owned()
                            }
                            other => other.to_string(),
                        };
                        if !json {
                            eprintln!("{}: refused: {message}", file.display());
                        }
                        reports.push(serde_json::json!({
                            "file": file.display().to_string(),
                            "error": { "kind": e.kind(), "message": message }
                        }));
                    }
                }
            }
            if json {
                output::print_json(out, &reports)?;
            }
            if failed > 0 {
                return Err(Error::Usage(format!(
                    "{failed} of {} files refused; nothing of them was written",
                    files.len()
                )));
            }
            Ok(())
        }
        SyncCommand::Status { json } => {
            let s = status::status(conn, clock)?;
            if json {
                return output::print_json(out, &s);
            }
            writeln!(out, "This laptop: \"{}\" ({})", s.name, s.replica)?;
            writeln!(
                out,
                "Key fingerprint: {}",
                if s.fingerprint.is_empty() { "made on first export" } else { &s.fingerprint }
            )?;
            writeln!(out, "Workspace: {}", s.workspace)?;
            writeln!(out, "Clock: {}", s.clock)?;
            if let Some(behind) = s.clock_behind_ms {
                writeln!(
                    out,
                    "Warning: this laptop's clock is {} behind the latest change it has seen: check its date and time",
                    human_duration(behind)
                )?;
            }
            if s.future > 0 {
                writeln!(
                    out,
                    "Kept until their time comes: {} dated more than a day ahead (another laptop's clock is wrong?)",
                    count(s.future, "change")
                )?;
            }
            writeln!(out, "Holds:")?;
            for h in &s.holds {
                writeln!(out, "  {:<28} up to change {}", h.name, h.seq)?;
            }
            say_peers(out, &s.peers)?;
            if !s.waiting.is_empty() {
                writeln!(out, "Waiting for approval:")?;
                for w in &s.waiting {
                    writeln!(
                        out,
                        "  \"{}\" ({}), fingerprint {}",
                        w.name,
                        count(w.ops, "change"),
                        w.fingerprint
                    )?;
                }
                writeln!(out, "  approve with: liaison sync approve FINGERPRINT")?;
            }
            if s.quarantined > 0 {
                writeln!(out, "Kept for a newer version of Liaison: {} changes", s.quarantined)?;
            }
            writeln!(out, "State digest: {}", s.digest)?;
            Ok(())
        }
        SyncCommand::Peers { json } => {
            let peers = status::peers(conn)?;
            if json {
                return output::print_json(out, &peers);
            }
            say_peers(out, &peers)
        }
        SyncCommand::Approve { fingerprint } => {
            let (approved, applied) =
                liaison_core::write(conn, |tx| import::approve(tx, clock, &fingerprint))?;
            writeln!(
                out,
                "Approved \"{}\" ({}): {applied} changes applied; the approval travels with your next sync file",
                approved.name, approved.fingerprint
            )?;
            Ok(())
        }
        SyncCommand::History { limit, json } => {
            let files = status::history(conn, limit)?;
            if json {
                return output::print_json(out, &files);
            }
            if files.is_empty() {
                writeln!(out, "No sync file written or read yet")?;
            }
            for f in &files {
                let peer = f.peer_name.clone().unwrap_or_else(|| "every peer".into());
                let n = |v: i64| u64::try_from(v).unwrap_or(0);
                let what = if f.direction == "in" {
                    format!("read from \"{peer}\": {} of {}", count(n(f.new_ops), "new change"), f.ops)
                } else {
                    format!("written for \"{peer}\": {}", count(n(f.ops), "change"))
                };
                writeln!(out, "{}  {what}, {} ({})", f.at, count(n(f.documents), "document"), f.result)?;
            }
            Ok(())
        }
        SyncCommand::Conflicts { json } => {
            let conflicts = conflict::list(conn)?;
            if json {
                return output::print_json(out, &conflicts);
            }
            if conflicts.is_empty() {
                writeln!(out, "No conflicts")?;
            }
            for c in &conflicts {
                if c.edit_against_delete {
                    writeln!(
                        out,
                        "{}  {} {}: deleted by \"{}\" ({}) while \"{}\" edited it ({})",
                        c.id,
                        c.record_table,
                        c.record_id,
                        c.winner.author,
                        c.winner.at,
                        c.loser.author,
                        c.loser.at
                    )?;
                } else {
                    writeln!(
                        out,
                        "{}  {} {} {}: shown {} by \"{}\" ({}); kept {} by \"{}\" ({})",
                        c.id,
                        c.record_table,
                        c.record_id,
                        c.field,
                        c.winner.value,
                        c.winner.author,
                        c.winner.at,
                        c.loser.value,
                        c.loser.author,
                        c.loser.at
                    )?;
                }
            }
            Ok(())
        }
        SyncCommand::Resolve { conflict: id, keep, value } => {
            let me = liaison_core::store::replica(conn)?.map(|r| r.id);
            let resolution = match (keep.as_deref(), value) {
                (_, Some(v)) => Resolution::Value(serde_json::from_str(&v).map_err(|_| {
                    Error::Usage(format!("--value {v}: not JSON (text goes in quotes: '\"Shanghai\"')"))
                })?),
                (Some("winner"), None) => Resolution::Winner,
                (Some("loser"), None) => Resolution::Loser,
                (Some(side @ ("mine" | "theirs")), None) => {
                    let c = conflict::list(conn)?
                        .into_iter()
                        .find(|c| c.id.starts_with(&id.to_lowercase()))
                        .ok_or_else(|| {
                            Error::Usage(format!("no conflict {id}: see `liaison sync conflicts`"))
                        })?;
                    let mine_won = Some(c.winner.origin) == me;
                    let mine_lost = Some(c.loser.origin) == me;
                    match (side, mine_won, mine_lost) {
                        ("mine", true, _) | ("theirs", false, true) => Resolution::Winner,
                        ("mine", _, true) | ("theirs", true, _) => Resolution::Loser,
                        _ => {
                            return Err(Error::Usage(
                                "neither value was written on this laptop: keep winner or loser".into(),
                            ))
                        }
                    }
                }
                (Some(other), None) => {
                    return Err(Error::Usage(format!("--keep {other}: choose mine, theirs, winner or loser")))
                }
                (None, None) => {
                    return Err(Error::Usage("say what to keep: --keep SIDE or --value JSON".into()))
                }
            };
            let settled = liaison_core::write(conn, |tx| conflict::resolve(tx, clock, &id, resolution))?;
            writeln!(
                out,
                "Settled {} ({} {} {}); the settlement travels with your next sync file",
                settled.id, settled.record_table, settled.record_id, settled.field
            )?;
            Ok(())
        }
        SyncCommand::Revoke { replica } => {
            let id = find_replica(conn, &replica)?;
            let until = liaison_core::write(conn, |tx| import::revoke(tx, clock, id))?;
            writeln!(
                out,
                "Revoked {replica}: its changes after the {until} this laptop holds will be refused here and on every \
                 laptop this revocation reaches"
            )?;
            Ok(())
        }
    }
}

/// `liaison init --from FILE --name NAME`: joins the workspace of a snapshot.
pub(crate) fn join(
    conn: &mut Connection,
    clock: &dyn Clock,
    db: &Path,
    file: &Path,
    name: &str,
    passphrase_file: Option<&Path>,
    out: &mut impl Write,
) -> Result<()> {
    let passphrase = passphrase_file.map(read_passphrase).transpose()?;
    let documents = document::store_beside(db);
    let report =
        core_sync::join(conn, clock, file, name, passphrase.as_deref(), Some(&documents), &progress::job())
            .map_err(|e| Error::Usage(format!("{}: {e}", file.display())))?;
    let s = status::status(conn, clock)?;
    writeln!(
        out,
        "Joined the workspace of \"{}\" as \"{}\" ({}): {}, {}",
        report.sender_name,
        s.name,
        s.replica,
        count(report.new_ops, "change"),
        count(report.documents, "document")
    )?;
    writeln!(out, "Key fingerprint: {}", s.fingerprint)?;
    writeln!(
        out,
        "Next: send a file to \"{}\" (liaison sync export --for \"{}\") and ask them to approve this fingerprint",
        report.sender_name, report.sender_name
    )?;
    Ok(())
}

/// One pass over a shared folder, in lines; a watching pass that did nothing says nothing.
fn say_pass(out: &mut impl Write, pass: &folder::FolderPass, watch: bool) -> Result<()> {
    for f in &pass.imported {
        say_imported(out, Path::new(&f.file), &f.imported)?;
    }
    for r in &pass.refused {
        writeln!(out, "{}: refused, nothing of it was imported: {}", r.file, r.reason)?;
    }
    if pass.still_arriving > 0 {
        writeln!(out, "{} still arriving: read at the next pass", count(pass.still_arriving, "file"))?;
    }
    match &pass.written {
        Some(w) => {
            writeln!(out, "wrote {}: {}, {}", w.path, count(w.ops, "change"), count(w.documents, "document"))?
        }
        None if pass.waiting_for_approval && !watch => writeln!(
            out,
            "this laptop's file waits: no laptop is approved here yet to encrypt it to (approve one, or give \
             --passphrase-file)"
        )?,
        None if !watch => writeln!(out, "nothing new to write")?,
        None => {}
    }
    Ok(())
}

fn say_imported(out: &mut impl Write, file: &Path, r: &Imported) -> Result<()> {
    if r.already_imported {
        writeln!(out, "{}: already imported, nothing to do", file.display())?;
        return Ok(());
    }
    write!(
        out,
        "{}: from \"{}\": {}, {} already held, {}",
        file.display(),
        r.sender_name,
        count(r.new_ops, "new change"),
        r.already_held,
        count(r.documents, "document")
    )?;
    if r.future > 0 {
        write!(
            out,
            ", {} dated more than a day ahead kept until then (a clock is wrong?)",
            count(r.future, "change")
        )?;
    }
    if r.refused > 0 {
        write!(out, ", {} refused (made after a revocation)", r.refused)?;
    }
    if r.conflicts > 0 {
        write!(out, ", {} (see `liaison sync conflicts`)", count(r.conflicts, "conflict"))?;
    }
    writeln!(out)?;
    for w in &r.waiting {
        writeln!(
            out,
            "  {} from \"{}\" wait for approval: check fingerprint {} with them, then run `liaison sync approve {}`",
            count(w.ops, "change"),
            w.name,
            w.fingerprint,
            w.fingerprint
        )?;
    }
    Ok(())
}

fn say_peers(out: &mut impl Write, peers: &[status::Peer]) -> Result<()> {
    if peers.is_empty() {
        writeln!(out, "No other laptop yet: write a snapshot for one with `liaison sync export --snapshot`")?;
        return Ok(());
    }
    writeln!(out, "Peers:")?;
    for p in peers {
        let standing = match p.standing {
            Standing::Approved => "approved",
            Standing::Waiting => "waiting for approval",
            Standing::Revoked => "revoked",
        };
        writeln!(
            out,
            "  \"{}\" {} — {standing}; fingerprint {}; last received {}; last sent {}",
            p.name,
            p.id,
            p.fingerprint.as_deref().unwrap_or("unknown"),
            p.last_received.as_deref().unwrap_or("never"),
            p.last_sent.as_deref().unwrap_or("never")
        )?;
        for h in &p.acknowledged {
            writeln!(out, "      has {} up to change {}", h.name, h.seq)?;
        }
    }
    Ok(())
}

/// A replica named by its id, or by its name (case and accents aside).
fn find_replica(conn: &Connection, text: &str) -> Result<Uuid> {
    if let Ok(id) = Uuid::parse_str(text.trim()) {
        return Ok(id);
    }
    let wanted = liaison_core::text::fold(text.trim());
    let found: Vec<Uuid> = status::peers(conn)?
        .into_iter()
        .filter(|p| liaison_core::text::fold(&p.name) == wanted)
        .map(|p| p.id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::Usage(format!(
            "no laptop named \"{text}\" in this workspace: see `liaison sync peers`"
        ))),
        _ => Err(Error::Usage(format!(
            "several laptops are named \"{text}\": give its id (see `liaison sync peers`)"
        ))),
    }
}

fn read_passphrase(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read(path.display().to_string(), e))?;
    let line = text.lines().next().unwrap_or_default().to_owned();
    if line.is_empty() {
        return Err(Error::Usage(format!("{}: the passphrase file is empty", path.display())));
    }
    Ok(line)
}

/// "3 hours", "2 days".
fn human_duration(ms: i64) -> String {
    let minutes = ms / 60_000;
    match minutes {
        m if m >= 2 * 24 * 60 => format!("{} days", m / (24 * 60)),
        m if m >= 120 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    }
}

/// "1 change", "2 changes".
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / f64::from(1 << 20)),
        n if n >= 1 << 10 => format!("{:.1} kB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}
