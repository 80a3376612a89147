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
use serde::Serialize;
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
    /// At most this many records; the rest are paged with --offset, or all read with --all
    #[arg(long, default_value_t = 50, value_parser = at_least_one)]
    pub(crate) limit: u32,
    /// Skip this many records first: the next page starts where one ended (its `next_offset` in JSON)
    #[arg(long, default_value_t = 0)]
    pub(crate) offset: u32,
    /// Every matching record, however many (read from the database a page at a time)
    #[arg(long, conflicts_with = "limit")]
    pub(crate) all: bool,
}

fn at_least_one(text: &str) -> std::result::Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("give a number of records, 1 or more (--all reads every one)".into()),
    }
}

/// One page of a list as the core gives it.
pub(crate) struct Page<R> {
    pub(crate) rows: Vec<R>,
    pub(crate) total: u32,
    /// The count stopped at `total`: there may be more.
    pub(crate) capped: bool,
}

impl<R> Page<R> {
    pub(crate) fn of(rows: Vec<R>, total: u32) -> Self {
        Page { rows, total, capped: false }
    }
}

/// A list as the CLI prints it: the rows asked for, and where they sit in the whole list.
#[derive(Serialize)]
pub(crate) struct Listed<R> {
    /// Records matching the filters, all pages together.
    pub(crate) total: u32,
    /// `total` is where counting stopped (exchanges count up to 10,000): there are more.
    pub(crate) total_capped: bool,
    pub(crate) offset: u32,
    /// Where the rows after these start (`--offset`); `null` when these are the last.
    pub(crate) next_offset: Option<u32>,
    pub(crate) rows: Vec<R>,
}

impl ListArgs {
    /// The rows asked for (`--limit` of them from `--offset`, or all with `--all`), read a core page at a
    /// time: the core serves a page of at most a few hundred rows, and no cap of its own is hidden here.
    pub(crate) fn fetch<R>(
        &self,
        mut page: impl FnMut(u32, u32) -> CoreResult<Page<R>>,
    ) -> Result<Listed<R>> {
        let wanted = if self.all { usize::MAX } else { self.limit as usize };
        let mut rows = Vec::new();
        let mut offset = self.offset;
        let (mut total, mut capped) = (0, false);
        while rows.len() < wanted {
            let left = u32::try_from(wanted - rows.len()).unwrap_or(u32::MAX);
            let got = page(offset, left)?;
            (total, capped) = (got.total, got.capped);
            if got.rows.is_empty() {
                break;
            }
            offset = offset.saturating_add(u32::try_from(got.rows.len()).unwrap_or(u32::MAX));
            rows.extend(got.rows);
        }
        let more = if capped { !page(offset, 1)?.rows.is_empty() } else { offset < total };
        Ok(Listed {
            total,
            total_capped: capped,
            offset: self.offset,
            next_offset: more.then_some(offset),
            rows,
        })
    }
}

impl<R> Listed<R> {
    /// The list's last line: "50 of 2000 partners", and how to read the rest.
    pub(crate) fn footer(&self, noun: &str) -> String {
        let plus = if self.total_capped { "+" } else { "" };
        let from = if self.offset > 0 { format!(" from {}", self.offset) } else { String::new() };
        let next = self
            .next_offset
            .map(|n| format!(" (the next with --offset {n}, or every one with --all)"))
            .unwrap_or_default();
        format!("{} of {}{plus} {noun}{from}{next}", self.rows.len(), self.total)
    }
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
        #[arg(value_parser = crate::record_id::parse)]
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
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[command(flatten)]
        input: JsonInput,
    },
    /// Delete a record (it is kept, so it can be restored); refused while other records point to it
    Delete {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        /// Delete even though other records point to it
        #[arg(long)]
        force: bool,
    },
    /// Bring back a deleted record
    Restore {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
    },
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
