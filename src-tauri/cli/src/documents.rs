//! `liaison documents`: files attached to records (a signed agreement, a CV), kept in the store beside the
//! database and carried by sync to the laptops that lack them. The core stores and checks; this prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use liaison_core::records::document::{self, Document};
use liaison_core::Clock;
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::print_json;
use crate::{Error, Result};

#[derive(Subcommand, Debug)]
pub(crate) enum DocumentsCommand {
    /// Attach a file to a record (any kind): copied into the store beside the database, sent to the other
    /// laptops with the next sync file
    Attach {
        /// The record's id
        #[arg(value_parser = crate::record_id::parse)]
        record: Uuid,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// A record's documents, newest first; "not here yet" for a file that comes with the next sync
    List {
        #[arg(value_parser = crate::record_id::parse)]
        record: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Write a document's file out (to a file, or into a folder under its own name)
    Get {
        /// The document's id (as `documents list` shows it)
        #[arg(value_parser = crate::record_id::parse)]
        document: Uuid,
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
}

pub(crate) fn documents(
    conn: &mut Connection,
    clock: &dyn Clock,
    db: &Path,
    cmd: DocumentsCommand,
    out: &mut impl Write,
) -> Result<()> {
    let store = document::store_beside(db);
    match cmd {
        DocumentsCommand::Attach { record, file, json } => {
            if !file.is_file() {
                return Err(Error::Usage(format!("{} is not a file", file.display())));
            }
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let (sha, size) = document::store_file_for(conn, &store, record, &file)?;
            let attached =
                liaison_core::write(conn, |tx| document::attach(tx, clock, record, &name, &sha, size));
            let doc = match attached {
                Ok(doc) => doc,
                Err(e) => {
                    // Nothing points to the stored copy: leave none behind.
                    let _ = document::discard(conn, &store, &sha);
                    return Err(e.into());
                }
            };
            if json {
                return print_json(out, &doc);
            }
            writeln!(out, "{}", doc.id)?;
            Ok(())
        }
        DocumentsCommand::List { record, json } => {
            if liaison_core::reference::kind_of(conn, record)?.is_none() {
                return Err(liaison_core::Error::NotFound { entity: "record", id: record.to_string() }.into());
            }
            let docs = document::list(conn, &store, record)?;
            if json {
                return print_json(out, &docs);
            }
            if docs.is_empty() {
                writeln!(out, "No documents")?;
            }
            for d in &docs {
                writeln!(out, "{}", line(d))?;
            }
            Ok(())
        }
        DocumentsCommand::Get { document: id, out: target } => {
            let doc = document::get(conn, Some(&store), id)?;
            let source = document::file_of(conn, &store, id)?;
            // A folder takes the file under its own name (the name as attached, without any folder in it).
            let target = if target.is_dir() {
                let name = Path::new(&doc.name)
                    .file_name()
                    .map(|n| n.to_owned())
                    .unwrap_or_else(|| "document".into());
                target.join(name)
            } else {
                target
            };
            let bytes = std::fs::read(&source).map_err(|e| Error::Read(source.display().to_string(), e))?;
            liaison_core::files::write_atomically(&target, &bytes)?;
            writeln!(out, "{}", target.display())?;
            Ok(())
        }
    }
}

/// One document in a line: id, name, size, and whether its file is here.
fn line(d: &Document) -> String {
    let size = if d.size >= 1_000_000 {
        format!("{:.1} MB", d.size as f64 / 1_000_000.0)
    } else if d.size >= 1_000 {
        format!("{:.1} kB", d.size as f64 / 1_000.0)
    } else {
        format!("{} B", d.size)
    };
    let here = if d.available { "" } else { "  (not here yet: it comes with the next sync)" };
    format!(
        "{}  {}  {size}{}{here}",
        d.id,
        d.name,
        d.added_at.as_deref().map(|a| format!("  {a}")).unwrap_or_default()
    )
}
