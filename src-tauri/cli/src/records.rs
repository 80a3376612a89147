//! The record commands (`partners`, `contacts`, … `events`): their shared arguments and the write commands
//! every kind shares (add, update, delete, restore), one module per kind for its list and show.

pub(crate) mod agreements;
pub(crate) mod applications;
pub(crate) mod calls;
pub(crate) mod contacts;
pub(crate) mod events;
pub(crate) mod exchanges;
pub(crate) mod partners;
pub(crate) mod projects;

use std::io::Write;

use clap::{Args, Subcommand};
use liaison_core::{reference, Clock, SystemClock, Tx};
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::read_input;
use crate::{Error, Result};

#[derive(Args)]
pub(crate) struct ListArgs {
    /// Only records matching this text (any script, accents ignored)
    #[arg(long)]
    pub(crate) search: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
    /// At most this many records (max 500)
    #[arg(long, default_value_t = 50)]
    pub(crate) limit: u32,
}

#[derive(Args)]
pub(crate) struct JsonInput {
    /// JSON file with the record's fields, or - for standard input
    #[arg(long = "json", value_name = "FILE|-")]
    pub(crate) file: String,
}

/// Listing, showing and writing a kind of record with no filters of its own.
#[derive(Subcommand)]
pub(crate) enum SimpleCommand {
    /// List records, latest first (by relevance with --search)
    List {
        #[command(flatten)]
        list: ListArgs,
    },
    /// Show one record
    Show {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

/// The write commands every kind of record shares.
#[derive(Subcommand)]
pub(crate) enum WriteCommand {
    /// Create a record from JSON (see docs/cli.md); prints its id
    Add(JsonInput),
    /// Replace a record's fields with JSON (the output of `show --json` is accepted)
    Update {
        id: Uuid,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Delete a record (it is kept, so it can be restored); refused while other records point to it
    Delete {
        id: Uuid,
        /// Delete even though other records point to it
        #[arg(long)]
        force: bool,
    },
    /// Bring back a deleted record
    Restore { id: Uuid },
}

pub(crate) type CoreResult<T> = liaison_core::Result<T>;

/// How one kind of record is read from JSON and written, for [`write_command`].
pub(crate) struct RecordKind<I, R> {
    /// The CLI's name for the kind: `partners`, `contacts`.
    pub(crate) noun: &'static str,
    pub(crate) parse: fn(&str) -> CoreResult<I>,
    pub(crate) create: fn(&Tx, &dyn Clock, &I) -> CoreResult<R>,
    pub(crate) update: fn(&Tx, &dyn Clock, Uuid, &I) -> CoreResult<R>,
    pub(crate) delete: fn(&Tx, &dyn Clock, Uuid) -> CoreResult<()>,
    pub(crate) restore: fn(&Tx, &dyn Clock, Uuid) -> CoreResult<()>,
    /// The record's id and display name.
    pub(crate) label: fn(&R) -> (Uuid, &str),
}

pub(crate) fn write_command<I, R>(
    conn: &mut Connection,
    kind: &RecordKind<I, R>,
    cmd: WriteCommand,
    out: &mut impl Write,
) -> Result<()> {
    let clock = SystemClock;
    match cmd {
        WriteCommand::Add(input) => {
            let input = (kind.parse)(&read_input(&input.file)?)?;
            let record = liaison_core::write(conn, |tx| (kind.create)(tx, &clock, &input))?;
            writeln!(out, "{}", (kind.label)(&record).0)?;
        }
        WriteCommand::Update { id, input } => {
            let input = (kind.parse)(&read_input(&input.file)?)?;
            let record = liaison_core::write(conn, |tx| (kind.update)(tx, &clock, id, &input))?;
            let (id, name) = (kind.label)(&record);
            writeln!(out, "Updated {name} ({id})")?;
        }
        WriteCommand::Delete { id, force } => {
            let dependants = reference::dependants(conn, id)?;
            if !dependants.is_empty() && !force {
                return Err(Error::Usage(format!(
                    "{id} is pointed to by {}; pass --force to delete it anyway",
                    reference::describe(&dependants)
                )));
            }
            liaison_core::write(conn, |tx| (kind.delete)(tx, &clock, id))?;
            writeln!(out, "Deleted {id} (restore with `liaison {} restore {id}`)", kind.noun)?;
        }
        WriteCommand::Restore { id } => {
            liaison_core::write(conn, |tx| (kind.restore)(tx, &clock, id))?;
            writeln!(out, "Restored {id}")?;
        }
    }
    Ok(())
}
