//! `liaison`: the command-line face of Liaison, for scripting and benchmarks. Every command is a thin call
//! into `liaison-core` on the same database file as the app. Bad input exits non-zero with one line on
//! stderr and writes nothing. This file holds the arguments (clap); each area prints in its own module.

mod dashboard;
mod documents;
mod export;
mod import;
mod output;
mod progress;
mod record_id;
mod records;
mod report;
mod search;
mod sync;
mod template;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use liaison_core::{store, SystemClock};
use uuid::Uuid;

use records::agreements::AgreementCommand;
use records::applications::ApplicationCommand;
use records::calls::CallCommand;
use records::contacts::ContactCommand;
use records::exchanges::ExchangeCommand;
use records::partners::PartnerCommand;
use records::SimpleCommand;

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison: the alliance's partners, contacts and their history, offline"
)]
struct Cli {
    /// Database file (default: $LIAISON_DB, else liaison.sqlite3 in the OS app-data directory)
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Set up the database and name this replica ("Shanghai office"); with --from, join the workspace of a
    /// snapshot file instead of starting a new one
    Init {
        #[arg(long)]
        name: String,
        /// A snapshot written by `liaison sync export --snapshot` on a laptop of the workspace to join
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// The snapshot's passphrase, on this file's first line
        #[arg(long, value_name = "FILE", requires = "from")]
        passphrase_file: Option<PathBuf>,
    },
    /// Load the demo workspace (the alliance's partners and sample contacts) into an empty database
    Demo {
        /// Only if the database has not been set up yet; otherwise do nothing
        #[arg(long)]
        if_new: bool,
        /// Instead of the demo, add N generated exchanges with the other records in proportion (one person
        /// per two, one partner per 500, one agreement per 100, one project per 1,000, one event per 250, one
        /// call per 10,000 with 50 applications each), for scale tests
        #[arg(long, value_name = "N", conflicts_with = "if_new")]
        scale: Option<usize>,
    },
    /// Partner organisations
    #[command(subcommand)]
    Partners(PartnerCommand),
    /// People at partner organisations
    #[command(subcommand)]
    Contacts(ContactCommand),
    /// Cooperation agreements between two or more organisations
    #[command(subcommand)]
    Agreements(AgreementCommand),
    /// Mobility: students, doctoral students, staff and researchers moving in or out
    #[command(subcommand)]
    Exchanges(ExchangeCommand),
    /// Projects: flagship projects, joint labs, research units, training programmes, offices
    #[command(subcommand)]
    Projects(SimpleCommand),
    /// Events: webinars, symposia, workshops, visits
    #[command(subcommand)]
    Events(SimpleCommand),
    /// Calls for projects, with their eligibility rules and evaluation criteria
    #[command(subcommand)]
    Calls(CallCommand),
    /// Applications to calls, with their computed eligibility, score and rank
    #[command(subcommand)]
    Applications(ApplicationCommand),
    /// Search every kind of record by any name, title, acronym, city or identifier; exchanges come with
    /// their person, and cohorts by name
    Search {
        query: String,
        #[arg(long)]
        json: bool,
        /// At most this many results, 1 to 200
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
        limit: u32,
    },
    /// Key figures per zone and academic year: partners, agreements in force, exchanges in and out, calls
    Dashboard {
        /// Count this academic year's exchanges (2025 for 2025/2026); all years when absent
        #[arg(long)]
        year: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// What is overdue, then what is due soon: agreements expiring (and notice dates), call deadlines,
    /// exchanges starting
    Reminders {
        #[command(subcommand)]
        action: Option<RemindersCommand>,
        /// How many days ahead to look
        #[arg(long, default_value_t = 90)]
        within: u32,
        #[arg(long)]
        json: bool,
        /// Also write them as an iCalendar file (.ics) for a calendar application
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
    },
    /// Sync by file exchange with the other laptops of the workspace (e-mail, USB stick, shared folder)
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// A report (agreement portfolio, mobility statistics, CSC campaign, call outcomes, projects and events,
    /// a zone's year, data quality), printed or written to XLSX, PDF or JSON; --list says which and their
    /// filters
    Report(report::ReportArgs),
    /// Write a list (with the same filters as `liaison KIND list`) to a CSV, XLSX, JSON or vCard file
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Import a CSV, text, XLSX, XLS, ODS or JSON file of records: re-importing updates, never duplicates;
    /// all or nothing unless --skip-invalid; --dry-run says what would happen to each row
    Import(import::ImportArgs),
    /// Write the template a person fills in to import records of a kind: headers in English or French, a
    /// row of hints, drop-down lists in XLSX (needs no workspace)
    Template(template::TemplateArgs),
    /// Files attached to records (a signed agreement, a CV): attach, list, get; they travel with sync
    #[command(subcommand)]
    Documents(documents::DocumentsCommand),
    /// Changes to a record: who, when, which fields, old → new
    History {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum RemindersCommand {
    /// Dismiss a record's overdue reminders on this laptop (kept here, not synced): they are no longer
    /// listed, though the record has not moved on
    Dismiss {
        /// The record's id (as `liaison reminders` shows it)
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        /// Only this kind: agreement_notice, agreement_expiry, call_deadline or exchange_start
        #[arg(long)]
        kind: Option<String>,
    },
}

impl Command {
    /// Whether the command writes to the database.
    fn writes(&self) -> bool {
        matches!(
            self,
            Command::Init { .. }
                | Command::Demo { .. }
                | Command::Reminders { action: Some(_), .. }
                | Command::Sync(
                    sync::SyncCommand::Export { .. }
                    | sync::SyncCommand::Import { .. }
                    // Status writes nothing, but a copied file must first take its own replica and key: the
                    // fingerprint it shows is the one another laptop will approve.
                    | sync::SyncCommand::Status { .. }
                    | sync::SyncCommand::Approve { .. }
                    | sync::SyncCommand::Revoke { .. }
                    | sync::SyncCommand::Resolve { .. }
                    | sync::SyncCommand::Folder { .. }
                )
                | Command::Import(import::ImportArgs { dry_run: false, .. })
                | Command::Documents(documents::DocumentsCommand::Attach { .. })
                | Command::Partners(PartnerCommand::Write(_))
                | Command::Contacts(ContactCommand::Write(_))
                | Command::Agreements(AgreementCommand::Write(_))
                | Command::Exchanges(ExchangeCommand::Write(_))
                | Command::Projects(SimpleCommand::Write(_))
                | Command::Events(SimpleCommand::Write(_))
                | Command::Calls(CallCommand::Write(_))
                | Command::Applications(ApplicationCommand::Write(_))
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Core(#[from] liaison_core::Error),
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Pdf(liaison_pdf::Error),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// The allocator the benches use too (see the workspace's Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return output::arguments_refused(&e),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`liaison history ID | head`) has had all it wanted.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    if let Command::Template(args) = &cli.command {
        return template::template(args, &mut output::Shown::new(std::io::stdout().lock()));
    }
    let path = cli.db.unwrap_or_else(store::default_path);
    // Only setting a workspace up creates its file: a mistyped --db must not answer "0 of 0" from a new one.
    let creates = matches!(cli.command, Command::Init { .. } | Command::Demo { .. });
    if !creates && !path.exists() {
        return Err(Error::Usage(format!(
            "there is no workspace at {}: check --db (or $LIAISON_DB), or set one up with `liaison init --name NAME` \
             or `liaison demo`",
            path.display()
        )));
    }
    // A command that writes checks the file for damage first (reading all of it); one that reads does not.
    let mut conn =
        if cli.command.writes() { liaison_core::open_to_write(&path)? } else { liaison_core::open(&path)? };
    conn.busy_handler(Some(progress::wait_in_line)).map_err(liaison_core::Error::from)?;
    let clock = SystemClock;
    // Text stored before the input rules, or received by sync, cannot steer the terminal.
    let mut out = output::Shown::new(std::io::stdout().lock());
    let out = &mut out;
    match cli.command {
        Command::Init { name, from: None, .. } => workspace::init(&mut conn, &clock, &path, &name, out),
        Command::Init { name, from: Some(file), passphrase_file } => {
            sync::join(&mut conn, &clock, &path, &file, &name, passphrase_file.as_deref(), out)
        }
        Command::Sync(cmd) => sync::sync(&mut conn, &clock, &path, cmd, out),
        Command::Demo { scale: Some(n), .. } => workspace::scale(&mut conn, &clock, &path, n, out),
        Command::Demo { if_new, scale: None } => workspace::demo(&mut conn, &clock, &path, if_new, out),
        Command::Partners(cmd) => records::partners::partners(&mut conn, cmd, out),
        Command::Contacts(cmd) => records::contacts::contacts(&mut conn, cmd, out),
        Command::Agreements(cmd) => records::agreements::agreements(&mut conn, cmd, out),
        Command::Exchanges(cmd) => records::exchanges::exchanges(&mut conn, cmd, out),
        Command::Calls(cmd) => records::calls::calls(&mut conn, cmd, out),
        Command::Projects(cmd) => records::projects::projects(&mut conn, cmd, out),
        Command::Events(cmd) => records::events::events(&mut conn, cmd, out),
        Command::Applications(cmd) => records::applications::applications(&mut conn, cmd, out),
        Command::Search { query, json, limit } => search::search(&conn, &query, json, limit, out),
        Command::Dashboard { year, json } => dashboard::dashboard(&conn, &clock, year, json, out),
        Command::Reminders { action: Some(RemindersCommand::Dismiss { id, kind }), .. } => {
            dashboard::dismiss(&mut conn, &clock, id, kind, out)
        }
        Command::Reminders { action: None, within, json, ics } => {
            dashboard::reminders(&conn, &clock, within, json, ics, out)
        }
        Command::History { id, json } => search::history(&conn, id, json, out),
        Command::Documents(cmd) => documents::documents(&mut conn, &clock, &path, cmd, out),
        Command::Import(args) => import::import(&mut conn, &clock, args, out),
        Command::Export(cmd) => export::export(&conn, cmd, out),
        Command::Report(args) => report::report(&conn, &clock, args, out),
        Command::Template(args) => template::template(&args, out),
    }
}
