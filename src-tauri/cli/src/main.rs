//! `liaison`: the command-line face of Liaison, for scripting and benchmarks. Every command is a thin call
//! into `liaison-core` on the same database file as the app. Bad input exits non-zero with one line on
//! stderr and writes nothing.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use liaison_core::kinds::{AgreementKind, AgreementStatus, ApplicationStatus, CallStatus, Direction};
use liaison_core::kinds::{OrgKind, PartnerStatus, Zone};
use liaison_core::records::agreement::{self, AgreementQuery};
use liaison_core::records::application::{self, ApplicationQuery};
use liaison_core::records::call::{self, CallQuery};
use liaison_core::records::contact::{self, ContactQuery};
use liaison_core::records::event::{self, EventQuery};
use liaison_core::records::exchange::{self, ExchangeQuery};
use liaison_core::records::partner::{self, PartnerQuery};
use liaison_core::records::project::{self, ProjectQuery};
use liaison_core::Tx;
use liaison_core::{dashboard, demo, oplog, reference, reminder, search, store, Clock, SystemClock};
use rusqlite::Connection;
use uuid::Uuid;

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
    /// Set up the database and name this replica ("Shanghai office")
    Init {
        #[arg(long)]
        name: String,
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
        #[arg(long, default_value_t = 20)]
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
    /// What is due soon: agreements expiring (and notice dates), call deadlines, exchanges starting
    Reminders {
        /// How many days ahead to look
        #[arg(long, default_value_t = 90)]
        within: u32,
        #[arg(long)]
        json: bool,
        /// Also write them as an iCalendar file (.ics) for a calendar application
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
    },
    /// Changes to a record: who, when, which fields, old → new
    History {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct ListArgs {
    /// Only records matching this text (any script, accents ignored)
    #[arg(long)]
    search: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    json: bool,
    /// At most this many records (max 500)
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

#[derive(Args)]
struct JsonInput {
    /// JSON file with the record's fields, or - for standard input
    #[arg(long = "json", value_name = "FILE|-")]
    file: String,
}

#[derive(Subcommand)]
enum PartnerCommand {
    /// List partners, sorted by name
    List {
        #[command(flatten)]
        list: ListArgs,
        /// brazil, canada, china, japan, france_europe or other
        #[arg(long)]
        zone: Option<String>,
        /// ISO 3166-1 code, such as CN
        #[arg(long)]
        country: Option<String>,
        /// university, school, laboratory, funder, government_agency, company or other
        #[arg(long)]
        kind: Option<String>,
        /// active, prospect or inactive
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one partner
    Show {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

#[derive(Subcommand)]
enum ContactCommand {
    /// List contacts, sorted by family name
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only people affiliated with this partner (its id)
        #[arg(long)]
        partner: Option<Uuid>,
    },
    /// Show one contact
    Show {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

#[derive(Subcommand)]
enum AgreementCommand {
    /// List agreements, sorted by title
    List {
        #[command(flatten)]
        list: ListArgs,
        /// framework, mou, student_exchange, double_degree, cotutelle, research, lab_collaboration,
        /// office_hosting, scholarship or erasmus_type
        #[arg(long)]
        kind: Option<String>,
        /// Status as it stands today: idea, negotiation, under_signature, active, renewal_pending, expired,
        /// terminated or superseded
        #[arg(long)]
        status: Option<String>,
        /// Agreements this partner (its id) is a party to
        #[arg(long)]
        partner: Option<Uuid>,
    },
    /// Show one agreement with its parties, conditions and places used
    Show {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

#[derive(Subcommand)]
enum ExchangeCommand {
    /// List exchanges, latest academic year first
    List {
        #[command(flatten)]
        list: ListArgs,
        /// incoming or outgoing
        #[arg(long)]
        direction: Option<String>,
        /// Academic year it starts in (2025 for 2025/2026)
        #[arg(long)]
        year: Option<i64>,
        /// Exchanges counted against this agreement (its id)
        #[arg(long)]
        agreement: Option<Uuid>,
        /// Exchanges of this cohort ("Tongji urban planning 2026")
        #[arg(long)]
        cohort: Option<String>,
        /// Leave out cancelled and withdrawn exchanges (those the dashboard does not count)
        #[arg(long)]
        counted: bool,
    },
    /// Show one exchange
    Show {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

#[derive(Subcommand)]
enum CallCommand {
    /// List calls, latest deadline first
    List {
        #[command(flatten)]
        list: ListArgs,
        /// draft, open, closed, evaluation, decided or cancelled
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one call with its criteria and its applications in rank order
    Show {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

#[derive(Subcommand)]
enum ApplicationCommand {
    /// List applications, in rank order within each call
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only the applications to this call (its id)
        #[arg(long)]
        call: Option<Uuid>,
        /// draft, submitted, eligible, ineligible, under_evaluation, selected, reserve, rejected, funded,
        /// closed or withdrawn
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one application with its computed eligibility, reviews, score and rank
    Show {
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

/// Listing, showing and writing a kind of record with no filters of its own.
#[derive(Subcommand)]
enum SimpleCommand {
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
enum WriteCommand {
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

type CoreResult<T> = liaison_core::Result<T>;

/// How one kind of record is read from JSON and written, for [`write_command`].
struct RecordKind<I, R> {
    /// The CLI's name for the kind: `partners`, `contacts`.
    noun: &'static str,
    parse: fn(&str) -> CoreResult<I>,
    create: fn(&Tx, &dyn Clock, &I) -> CoreResult<R>,
    update: fn(&Tx, &dyn Clock, Uuid, &I) -> CoreResult<R>,
    delete: fn(&Tx, &dyn Clock, Uuid) -> CoreResult<()>,
    restore: fn(&Tx, &dyn Clock, Uuid) -> CoreResult<()>,
    /// The record's id and display name.
    label: fn(&R) -> (Uuid, &str),
}

fn write_command<I, R>(
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

const PARTNERS: RecordKind<partner::PartnerInput, partner::Partner> = RecordKind {
    noun: "partners",
    parse: partner::input_from_json,
    create: partner::create,
    update: partner::update,
    delete: partner::delete,
    restore: partner::restore,
    label: |p| (p.id, &p.name),
};

const AGREEMENTS: RecordKind<agreement::AgreementInput, agreement::Agreement> = RecordKind {
    noun: "agreements",
    parse: agreement::input_from_json,
    create: agreement::create,
    update: agreement::update,
    delete: agreement::delete,
    restore: agreement::restore,
    label: |a| (a.id, &a.title),
};

const EXCHANGES: RecordKind<exchange::ExchangeInput, exchange::Exchange> = RecordKind {
    noun: "exchanges",
    parse: exchange::input_from_json,
    create: exchange::create,
    update: exchange::update,
    delete: exchange::delete,
    restore: exchange::restore,
    label: |e| (e.id, e.person_name.as_deref().unwrap_or("exchange")),
};

const CALLS: RecordKind<call::CallInput, call::Call> = RecordKind {
    noun: "calls",
    parse: call::input_from_json,
    create: call::create,
    update: call::update,
    delete: call::delete,
    restore: call::restore,
    label: |c| (c.id, &c.input.title),
};

const APPLICATIONS: RecordKind<application::ApplicationInput, application::Application> = RecordKind {
    noun: "applications",
    parse: application::input_from_json,
    create: application::create,
    update: application::update,
    delete: application::delete,
    restore: application::restore,
    label: |a| (a.id, &a.input.title),
};

const PROJECTS: RecordKind<project::ProjectInput, project::Project> = RecordKind {
    noun: "projects",
    parse: project::input_from_json,
    create: project::create,
    update: project::update,
    delete: project::delete,
    restore: project::restore,
    label: |p| (p.id, &p.input.title),
};

const EVENTS: RecordKind<event::EventInput, event::Event> = RecordKind {
    noun: "events",
    parse: event::input_from_json,
    create: event::create,
    update: event::update,
    delete: event::delete,
    restore: event::restore,
    label: |e| (e.id, &e.input.title),
};

const CONTACTS: RecordKind<contact::ContactInput, contact::Contact> = RecordKind {
    noun: "contacts",
    parse: contact::input_from_json,
    create: contact::create,
    update: contact::update,
    delete: contact::delete,
    restore: contact::restore,
    label: |c| (c.id, &c.name),
};

#[derive(Debug, thiserror::Error)]
enum Error {
    #[error(transparent)]
    Core(#[from] liaison_core::Error),
    #[error("cannot read {0}: {1}")]
    Read(String, std::io::Error),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

type Result<T> = std::result::Result<T, Error>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let path = cli.db.unwrap_or_else(store::default_path);
    let mut conn = liaison_core::open(&path)?;
    let clock = SystemClock;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Init { name } => {
            let replica = liaison_core::write(&mut conn, |tx| store::init(tx, &name, &clock))?;
            writeln!(out, "Initialised {} as \"{}\" (replica {})", path.display(), replica.name, replica.id)?;
        }
        Command::Demo { scale: Some(n), .. } => {
            let started = std::time::Instant::now();
            let added = demo::scale(&mut conn, &clock, n, &mut |done| {
                eprint!("\r{done} of {n} exchanges…");
            })?;
            eprintln!();
            writeln!(
                out,
                "Added {n} generated exchanges, with {} partners, {} agreements, {} projects, {} events, {} calls and {} applications, to {} in {:.0} s",
                added.partners,
                added.agreements,
                added.projects,
                added.events,
                added.calls,
                added.applications,
                path.display(),
                started.elapsed().as_secs_f64()
            )?;
        }
        Command::Demo { if_new, scale: None } => {
            let loaded = liaison_core::write(&mut conn, |tx| {
                if store::replica(tx)?.is_none() {
                    store::init(tx, "Demo workspace", &clock)?;
                } else if if_new {
                    return Ok(None);
                }
                demo::load(tx, &clock).map(Some)
            })?;
            match loaded {
                Some(counts) => writeln!(
                    out,
                    "Loaded the demo: {} partners, {} contacts, {} agreements, {} exchanges, {} projects, {} events, {} calls, {} applications into {}",
                    counts.partners,
                    counts.contacts,
                    counts.agreements,
                    counts.exchanges,
                    counts.projects,
                    counts.events,
                    counts.calls,
                    counts.applications,
                    path.display()
                )?,
                None => writeln!(out, "{} is already set up; the demo was not loaded", path.display())?,
            }
        }
        Command::Partners(cmd) => partners(&mut conn, cmd, &mut out)?,
        Command::Contacts(cmd) => contacts(&mut conn, cmd, &mut out)?,
        Command::Agreements(cmd) => agreements(&mut conn, cmd, &mut out)?,
        Command::Exchanges(cmd) => exchanges(&mut conn, cmd, &mut out)?,
        Command::Calls(cmd) => calls(&mut conn, cmd, &mut out)?,
        Command::Projects(cmd) => projects(&mut conn, cmd, &mut out)?,
        Command::Events(cmd) => events(&mut conn, cmd, &mut out)?,
        Command::Applications(cmd) => applications(&mut conn, cmd, &mut out)?,
        Command::Search { query, json, limit } => {
            let hits = search::search(&conn, &query, limit.clamp(1, 200))?;
            if json {
                print_json(&mut out, &hits)?;
            } else {
                for hit in hits {
                    let entity = match hit.entity {
                        search::Entity::Partner => "partner",
                        search::Entity::Contact => "contact",
                        search::Entity::Agreement => "agreement",
                        search::Entity::Call => "call",
                        search::Entity::Application => "application",
                        search::Entity::Project => "project",
                        search::Entity::Event => "event",
                        search::Entity::Exchange => "exchange",
                        search::Entity::Cohort => "cohort",
                    };
                    // A cohort is a name, not a record: no id to show (`exchanges list --cohort NAME`).
                    let id = if hit.entity == search::Entity::Cohort {
                        "–".to_owned()
                    } else {
                        hit.id.to_string()
                    };
                    writeln!(out, "{id:<36}  {entity:<8} {}{}", hit.title, suffix(hit.subtitle.as_deref()))?;
                }
            }
        }
        Command::Dashboard { year, json } => {
            let d = dashboard::figures(
                &conn,
                &dashboard::DashboardQuery { academic_year: year, years: 10 },
                clock.now().date_naive(),
            )?;
            if json {
                print_json(&mut out, &d)?;
            } else {
                let label =
                    year.map(liaison_core::kinds::academic_year_label).unwrap_or_else(|| "all years".into());
                writeln!(
                    out,
                    "{:<14} {:>9} {:>11} {:>9} {:>9} {:>13}   exchanges: {label}",
                    "zone", "partners", "agreements", "incoming", "outgoing", "applications"
                )?;
                for z in &d.zones {
                    writeln!(
                        out,
                        "{:<14} {:>9} {:>11} {:>9} {:>9} {:>13}",
                        z.zone.as_str(),
                        z.partners,
                        z.active_agreements,
                        z.incoming,
                        z.outgoing,
                        z.applications
                    )?;
                }
                let partners: i64 = d.zones.iter().map(|z| z.partners).sum();
                let applications: i64 = d.applications.iter().map(|s| s.count).sum();
                writeln!(
                    out,
                    "{:<14} {:>9} {:>11} {:>9} {:>9} {:>13}",
                    "all zones",
                    partners,
                    d.agreements_in_force,
                    d.totals.incoming,
                    d.totals.outgoing,
                    applications
                )?;
                if d.totals.without_zone > 0 {
                    writeln!(
                        out,
                        "(of which {} in no zone: no organisation on the other side, or a deleted one)",
                        d.totals.without_zone
                    )?;
                }
                writeln!(out, "open calls: {}", d.open_calls)?;
                let apps: Vec<String> =
                    d.applications.iter().map(|s| format!("{} {}", s.count, s.status.as_str())).collect();
                writeln!(
                    out,
                    "applications: {}",
                    if apps.is_empty() { "none".into() } else { apps.join(", ") }
                )?;
            }
        }
        Command::Reminders { within, json, ics } => {
            let now = clock.now();
            let due = reminder::upcoming(&conn, now.date_naive(), within)?;
            if let Some(file) = ics {
                liaison_core::files::write_atomically(&file, reminder::to_ics(&due, now).as_bytes())?;
            }
            if json {
                print_json(&mut out, &due)?;
            } else {
                for r in &due {
                    let what = match r.kind {
                        reminder::ReminderKind::AgreementNotice => "notice due",
                        reminder::ReminderKind::AgreementExpiry => "agreement expires",
                        reminder::ReminderKind::CallDeadline => "call deadline",
                        reminder::ReminderKind::ExchangeStart => "exchange starts",
                    };
                    writeln!(out, "{}  {what:<17}  {}{}", r.date, r.title, suffix(r.detail.as_deref()))?;
                }
                writeln!(out, "{} reminders in the next {within} days", due.len())?;
            }
        }
        Command::History { id, json } => {
            let entries = oplog::history(&conn, id)?;
            if entries.is_empty() {
                return Err(Error::Usage(format!("no history for {id}: no record has that id")));
            }
            if json {
                print_json(&mut out, &entries)?;
            } else {
                for entry in entries {
                    writeln!(out, "{}  {}", entry.at, entry.author)?;
                    for c in entry.changes {
                        writeln!(out, "    {}.{}: {} → {}", c.table, c.column, c.old, c.new)?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn suffix(text: Option<&str>) -> String {
    text.map(|t| format!(" — {t}")).unwrap_or_default()
}

fn print_json<T: serde::Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(liaison_core::Error::from)?;
    writeln!(out, "{text}")?;
    Ok(())
}

fn read_input(file: &str) -> Result<String> {
    let mut text = String::new();
    if file == "-" {
        std::io::stdin().read_to_string(&mut text).map_err(|e| Error::Read("standard input".into(), e))?;
    } else {
        text = std::fs::read_to_string(file).map_err(|e| Error::Read(file.to_owned(), e))?;
    }
    Ok(text)
}

fn parse_option<T>(
    value: Option<String>,
    parse: fn(&str) -> Option<T>,
    what: &str,
    allowed: &str,
) -> Result<Option<T>> {
    value
        .map(|v| parse(&v).ok_or_else(|| Error::Usage(format!("--{what}: \"{v}\" is not one of {allowed}"))))
        .transpose()
}

fn partners(conn: &mut Connection, cmd: PartnerCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        PartnerCommand::List { list, zone, country, kind, status } => {
            let query = PartnerQuery {
                search: list.search,
                zone: parse_option(
                    zone,
                    Zone::parse,
                    "zone",
                    "brazil, canada, china, japan, france_europe, other",
                )?,
                country,
                kind: parse_option(
                    kind,
                    OrgKind::parse,
                    "kind",
                    "university, school, laboratory, funder, government_agency, company, other",
                )?,
                status: parse_option(status, PartnerStatus::parse, "status", "active, prospect, inactive")?,
                limit: list.limit.clamp(1, 500),
                ..PartnerQuery::default()
            };
            let page = partner::list(conn, &query)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for row in &page.rows {
                    let place = [row.city.as_deref(), row.country.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", ");
                    let acronym = row.acronym.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
                    writeln!(
                        out,
                        "{}  {}{acronym}{}",
                        row.id,
                        row.name,
                        suffix(Some(&place).filter(|p| !p.is_empty()).map(String::as_str))
                    )?;
                }
                writeln!(out, "{} of {} partners", page.rows.len(), page.total)?;
            }
        }
        PartnerCommand::Show { id, json } => {
            let p = partner::get(conn, id)?;
            if json {
                print_json(out, &p)?;
            } else {
                writeln!(out, "{}{}", p.name, if p.deleted { "  [deleted]" } else { "" })?;
                for n in p.names.iter().filter(|n| !n.primary) {
                    writeln!(out, "  also: {} [{}]", n.value, n.lang)?;
                }
                writeln!(out, "  id: {}", p.id)?;
                writeln!(
                    out,
                    "  kind: {}  status: {}  zone: {}",
                    p.kind.as_str(),
                    p.status.as_str(),
                    p.zone.as_str()
                )?;
                if let Some(a) = &p.acronym {
                    writeln!(out, "  acronym: {a}")?;
                }
                let place = [p.city.as_deref(), p.country.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                if !place.is_empty() {
                    writeln!(out, "  place: {place}")?;
                }
                if let Some(w) = &p.website {
                    writeln!(out, "  website: {w}")?;
                }
                if let Some(parent) = &p.parent_id {
                    writeln!(
                        out,
                        "  parent: {} ({parent})",
                        p.parent_name.as_deref().unwrap_or("pending sync")
                    )?;
                }
                for i in &p.identifiers {
                    writeln!(out, "  {}: {}", i.scheme.as_str(), i.value)?;
                }
                if !p.tags.is_empty() {
                    writeln!(out, "  tags: {}", p.tags.join(", "))?;
                }
                for c in &p.contacts {
                    writeln!(out, "  contact: {}{}", c.name, suffix(c.role.as_deref()))?;
                }
                if let Some(n) = &p.notes {
                    writeln!(out, "  notes: {n}")?;
                }
            }
        }
        PartnerCommand::Write(cmd) => write_command(conn, &PARTNERS, cmd, out)?,
    }
    Ok(())
}

fn contacts(conn: &mut Connection, cmd: ContactCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        ContactCommand::List { list, partner } => {
            let query = ContactQuery {
                search: list.search,
                partner_id: partner,
                limit: list.limit.clamp(1, 500),
                ..ContactQuery::default()
            };
            let page = contact::list(conn, &query)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for row in &page.rows {
                    writeln!(out, "{}  {}{}", row.id, row.name, suffix(row.organisation.as_deref()))?;
                }
                writeln!(out, "{} of {} contacts", page.rows.len(), page.total)?;
            }
        }
        ContactCommand::Show { id, json } => {
            let c = contact::get(conn, id)?;
            if json {
                print_json(out, &c)?;
            } else {
                writeln!(out, "{}{}", c.name, if c.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", c.id)?;
                for e in &c.emails {
                    writeln!(out, "  e-mail: {e}")?;
                }
                for p in &c.phones {
                    writeln!(out, "  phone: {p}")?;
                }
                if !c.languages.is_empty() {
                    writeln!(out, "  languages: {}", c.languages.join(", "))?;
                }
                for a in &c.affiliations {
                    let period = match (&a.start_date, &a.end_date) {
                        (Some(s), Some(e)) => format!(" [{s} – {e}]"),
                        (Some(s), None) => format!(" [since {s}]"),
                        (None, Some(e)) => format!(" [until {e}]"),
                        (None, None) => String::new(),
                    };
                    writeln!(
                        out,
                        "  at: {}{}{period}",
                        a.partner_name.as_deref().unwrap_or("(pending sync)"),
                        suffix(a.role.as_deref())
                    )?;
                }
                if let Some(n) = &c.notes {
                    writeln!(out, "  notes: {n}")?;
                }
            }
        }
        ContactCommand::Write(cmd) => write_command(conn, &CONTACTS, cmd, out)?,
    }
    Ok(())
}

fn agreements(conn: &mut Connection, cmd: AgreementCommand, out: &mut impl Write) -> Result<()> {
    let today = SystemClock.now().date_naive();
    match cmd {
        AgreementCommand::List { list, kind, status, partner } => {
            let query = AgreementQuery {
                search: list.search,
                kind: parse_option(
                    kind,
                    AgreementKind::parse,
                    "kind",
                    &names(AgreementKind::ALL, |k| k.as_str()),
                )?,
                status: parse_option(
                    status,
                    AgreementStatus::parse,
                    "status",
                    &names(AgreementStatus::ALL, |k| k.as_str()),
                )?,
                partner_id: partner,
                limit: list.limit.clamp(1, 500),
                ..AgreementQuery::default()
            };
            let page = agreement::list(conn, &query, today)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for row in &page.rows {
                    let code = row.code.as_deref().map(|c| format!("[{c}] ")).unwrap_or_default();
                    writeln!(
                        out,
                        "{}  {code}{} ({}, {}){}",
                        row.id,
                        row.title,
                        row.kind.as_str(),
                        row.status.as_str(),
                        suffix(Some(row.parties.as_str()).filter(|p| !p.is_empty()))
                    )?;
                }
                writeln!(out, "{} of {} agreements", page.rows.len(), page.total)?;
            }
        }
        AgreementCommand::Show { id, json } => {
            let a = agreement::get(conn, id, today)?;
            if json {
                print_json(out, &a)?;
            } else {
                writeln!(out, "{}{}", a.title, if a.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", a.id)?;
                if let Some(code) = &a.code {
                    writeln!(out, "  code: {code}")?;
                }
                writeln!(out, "  kind: {}  status: {}", a.kind.as_str(), a.effective_status.as_str())?;
                let dates = [("signed", &a.signed_date), ("from", &a.start_date), ("to", &a.end_date)]
                    .into_iter()
                    .filter_map(|(label, d)| d.as_ref().map(|d| format!("{label} {d}")))
                    .collect::<Vec<_>>();
                if !dates.is_empty() {
                    writeln!(out, "  dates: {}", dates.join(", "))?;
                }
                if let Some(parent) = a.parent_id {
                    writeln!(
                        out,
                        "  under: {} ({parent})",
                        a.parent_title.as_deref().unwrap_or("pending sync")
                    )?;
                }
                for p in &a.parties {
                    writeln!(
                        out,
                        "  party: {}{}",
                        p.partner_name.as_deref().unwrap_or("(pending sync)"),
                        suffix(p.role.as_deref())
                    )?;
                }
                if !a.fields.is_empty() {
                    writeln!(out, "  fields: {}", a.fields.join(", "))?;
                }
                for c in &a.conditions {
                    let quota = match (c.places, c.months) {
                        (Some(p), _) => format!("{p} places/year"),
                        (None, Some(m)) => format!("{m} months/year"),
                        (None, None) => "no quota".into(),
                    };
                    writeln!(
                        out,
                        "  condition: {} {} → {}, {quota}",
                        c.mobility.as_str(),
                        c.sending_name.as_deref().unwrap_or("?"),
                        c.receiving_name.as_deref().unwrap_or("?")
                    )?;
                }
                for u in &a.usage {
                    let places = u.places.map(|p| p.to_string()).unwrap_or_else(|| "–".into());
                    let way = a
                        .conditions
                        .iter()
                        .find(|c| c.id == u.condition_id)
                        .map(|c| {
                            let name = |n: &Option<String>| n.clone().unwrap_or_else(|| "?".into());
                            format!(" {} → {}", name(&c.sending_name), name(&c.receiving_name))
                        })
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  used {}{way}: {} of {places}",
                        liaison_core::kinds::academic_year_label(u.academic_year),
                        u.used
                    )?;
                }
                for b in &a.balance {
                    writeln!(
                        out,
                        "  balance {}: {} in, {} out",
                        liaison_core::kinds::academic_year_label(b.academic_year),
                        b.incoming,
                        b.outgoing
                    )?;
                }
            }
        }
        AgreementCommand::Write(cmd) => write_command(conn, &AGREEMENTS, cmd, out)?,
    }
    Ok(())
}

fn exchanges(conn: &mut Connection, cmd: ExchangeCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        ExchangeCommand::List { list, direction, year, agreement, cohort, counted } => {
            let query = ExchangeQuery {
                search: list.search,
                direction: parse_option(direction, Direction::parse, "direction", "incoming, outgoing")?,
                academic_year: year,
                agreement_id: agreement,
                cohort,
                counted: counted.then_some(true),
                limit: list.limit.clamp(1, 500),
                ..ExchangeQuery::default()
            };
            let page = exchange::list(conn, &query)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for e in &page.rows {
                    writeln!(out, "{}  {}", e.id, exchange_line(e))?;
                }
                let more = if page.total_capped { "+" } else { "" };
                writeln!(out, "{} of {}{more} exchanges", page.rows.len(), page.total)?;
            }
        }
        ExchangeCommand::Show { id, json } => {
            let e = exchange::get(conn, id)?;
            if json {
                print_json(out, &e)?;
            } else {
                writeln!(out, "{}{}", exchange_line(&e), if e.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", e.id)?;
                writeln!(
                    out,
                    "  programme: {}  status: {}",
                    e.input.programme.as_str(),
                    e.input.status.as_str()
                )?;
                if let Some(a) = &e.agreement_title {
                    writeln!(out, "  agreement: {a}")?;
                }
                let dates = [&e.input.planned_start, &e.input.planned_end];
                if let [Some(s), Some(t)] = dates {
                    writeln!(out, "  planned: {s} – {t}")?;
                }
                if let Some(c) = &e.input.cohort {
                    writeln!(out, "  cohort: {c}")?;
                }
            }
        }
        ExchangeCommand::Write(cmd) => write_command(conn, &EXCHANGES, cmd, out)?,
    }
    Ok(())
}

/// "2025/2026  incoming doctoral  Li Wei  复旦大学 → ENS de Lyon".
fn exchange_line(e: &exchange::Exchange) -> String {
    format!(
        "{}  {} {}  {}  {} → {}",
        e.academic_year_label.as_deref().unwrap_or("—"),
        e.input.direction.as_str(),
        e.input.category.as_str(),
        e.person_name.as_deref().unwrap_or("(pending sync)"),
        e.home_name.as_deref().unwrap_or("?"),
        e.host_name.as_deref().unwrap_or("?")
    )
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> String {
    all.iter().map(|t| name(*t)).collect::<Vec<_>>().join(", ")
}

fn calls(conn: &mut Connection, cmd: CallCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        CallCommand::List { list, status } => {
            let query = CallQuery {
                search: list.search,
                status: parse_option(
                    status,
                    CallStatus::parse,
                    "status",
                    &names(CallStatus::ALL, |s| s.as_str()),
                )?,
                limit: list.limit.clamp(1, 500),
                ..CallQuery::default()
            };
            let page = call::list(conn, &query)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for c in &page.rows {
                    writeln!(
                        out,
                        "{}  {} ({}, deadline {}, {} applications)",
                        c.id,
                        c.title,
                        c.status.as_str(),
                        c.deadline_at.as_deref().unwrap_or("—"),
                        c.applications
                    )?;
                }
                writeln!(out, "{} of {} calls", page.rows.len(), page.total)?;
            }
        }
        CallCommand::Show { id, json } => {
            let c = call::get(conn, id)?;
            if json {
                print_json(out, &c)?;
            } else {
                writeln!(out, "{}{}", c.input.title, if c.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", c.id)?;
                writeln!(
                    out,
                    "  status: {}  deadline: {}",
                    c.input.status.as_str(),
                    c.input.deadline_at.as_deref().unwrap_or("—")
                )?;
                for k in &c.criteria_read {
                    let threshold = k.threshold.map(|t| format!(", threshold {t}")).unwrap_or_default();
                    writeln!(
                        out,
                        "  criterion: {} (weight {}, out of {}{threshold})",
                        k.name, k.weight, k.max_score
                    )?;
                }
                for a in &c.applications {
                    let rank = a.rank.map(|r| format!("#{r}")).unwrap_or_else(|| "—".into());
                    let score = a.score.map(|s| format!("{s:.1}")).unwrap_or_else(|| "unscored".into());
                    let why = if a.eligible {
                        String::new()
                    } else {
                        format!(
                            " ineligible: {}",
                            a.ineligible_because
                                .iter()
                                .map(|c| c.message.as_str())
                                .collect::<Vec<_>>()
                                .join("; ")
                        )
                    };
                    writeln!(out, "  {rank:>4}  {score:>8}  {} [{}]{why}", a.title, a.status.as_str())?;
                }
            }
        }
        CallCommand::Write(cmd) => write_command(conn, &CALLS, cmd, out)?,
    }
    Ok(())
}

fn applications(conn: &mut Connection, cmd: ApplicationCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        ApplicationCommand::List { list, call, status } => {
            let query = ApplicationQuery {
                search: list.search,
                call_id: call,
                status: parse_option(
                    status,
                    ApplicationStatus::parse,
                    "status",
                    &names(ApplicationStatus::ALL, |s| s.as_str()),
                )?,
                limit: list.limit.clamp(1, 500),
                ..ApplicationQuery::default()
            };
            let page = application::list(conn, &query)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for a in &page.rows {
                    let rank = a.rank.map(|r| format!("#{r}")).unwrap_or_else(|| "—".into());
                    let eligible = if a.eligible { "eligible" } else { "ineligible" };
                    writeln!(out, "{}  {rank:>4}  {} ({}, {eligible})", a.id, a.title, a.status.as_str())?;
                }
                writeln!(out, "{} of {} applications", page.rows.len(), page.total)?;
            }
        }
        ApplicationCommand::Show { id, json } => {
            let a = application::get(conn, id)?;
            if json {
                print_json(out, &a)?;
            } else {
                writeln!(out, "{}{}", a.input.title, if a.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", a.id)?;
                writeln!(out, "  call: {}", a.call_title.as_deref().unwrap_or("(pending sync)"))?;
                writeln!(out, "  lead: {}", a.lead_name.as_deref().unwrap_or("(pending sync)"))?;
                for p in &a.partners_read {
                    writeln!(
                        out,
                        "  partner: {}{}",
                        p.name.as_deref().unwrap_or("(pending sync)"),
                        suffix(p.role.as_deref())
                    )?;
                }
                writeln!(out, "  status: {}", a.input.status.as_str())?;
                let e = &a.assessment.eligibility;
                writeln!(out, "  eligibility: {}", if e.eligible { "eligible" } else { "ineligible" })?;
                for c in &e.checks {
                    writeln!(out, "    {} {}", if c.ok { "✔" } else { "✘" }, c.message)?;
                }
                match a.assessment.score {
                    Some(s) => writeln!(out, "  score: {s:.1} / 100")?,
                    None => writeln!(out, "  score: no complete review yet")?,
                }
                for avg in a.assessment.averages.iter().filter(|x| x.below_threshold) {
                    writeln!(out, "  below threshold: {} ({:.1})", avg.name, avg.average)?;
                }
                if let Some(rank) = a.assessment.rank {
                    writeln!(out, "  rank: {rank}")?;
                }
            }
        }
        ApplicationCommand::Write(cmd) => write_command(conn, &APPLICATIONS, cmd, out)?,
    }
    Ok(())
}

fn projects(conn: &mut Connection, cmd: SimpleCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        SimpleCommand::List { list } => {
            let query = ProjectQuery {
                search: list.search,
                limit: list.limit.clamp(1, 500),
                ..ProjectQuery::default()
            };
            let page = project::list(conn, &query)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for p in &page.rows {
                    let dates = [p.start_date.as_deref(), p.end_date.as_deref()]
                        .map(|d| d.unwrap_or("…"))
                        .join(" – ");
                    writeln!(
                        out,
                        "{}  {} ({}, {}, {dates})",
                        p.id,
                        p.title,
                        p.kind.as_str(),
                        p.status.as_str()
                    )?;
                }
                writeln!(out, "{} of {} projects", page.rows.len(), page.total)?;
            }
        }
        SimpleCommand::Show { id, json } => {
            let p = project::get(conn, id)?;
            if json {
                print_json(out, &p)?;
            } else {
                writeln!(out, "{}{}", p.input.title, if p.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", p.id)?;
                writeln!(out, "  kind: {}  status: {}", p.input.kind.as_str(), p.input.status.as_str())?;
                for partner in &p.partners_read {
                    let name = partner.name.as_deref().unwrap_or("(pending sync)");
                    writeln!(out, "  partner: {name}{}", suffix(partner.role.as_deref()))?;
                }
                for a in &p.agreements_read {
                    writeln!(out, "  agreement: {}", a.name.as_deref().unwrap_or("(pending sync)"))?;
                }
            }
        }
        SimpleCommand::Write(cmd) => write_command(conn, &PROJECTS, cmd, out)?,
    }
    Ok(())
}

fn events(conn: &mut Connection, cmd: SimpleCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        SimpleCommand::List { list } => {
            let query =
                EventQuery { search: list.search, limit: list.limit.clamp(1, 500), ..EventQuery::default() };
            let page = event::list(conn, &query)?;
            if list.json {
                print_json(out, &page.rows)?;
            } else {
                for e in &page.rows {
                    let place =
                        if e.online { "online".to_owned() } else { e.venue.clone().unwrap_or_default() };
                    let people = e
                        .attended
                        .or(e.registered)
                        .map(|n| format!(", {n} participants"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "{}  {}  {} ({}, {place}{people})",
                        e.id,
                        e.start_date.as_deref().unwrap_or("—"),
                        e.title,
                        e.kind.as_str()
                    )?;
                }
                writeln!(out, "{} of {} events", page.rows.len(), page.total)?;
            }
        }
        SimpleCommand::Show { id, json } => {
            let e = event::get(conn, id)?;
            if json {
                print_json(out, &e)?;
            } else {
                writeln!(out, "{}{}", e.input.title, if e.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", e.id)?;
                writeln!(
                    out,
                    "  kind: {}  date: {}",
                    e.input.kind.as_str(),
                    e.input.start_date.as_deref().unwrap_or("—")
                )?;
                for o in &e.organisers_read {
                    writeln!(out, "  organiser: {}", o.name.as_deref().unwrap_or("(pending sync)"))?;
                }
                if let (Some(r), a) = (e.input.registered, e.input.attended) {
                    writeln!(
                        out,
                        "  registered: {r}{}",
                        a.map(|a| format!(", attended: {a}")).unwrap_or_default()
                    )?;
                }
            }
        }
        SimpleCommand::Write(cmd) => write_command(conn, &EVENTS, cmd, out)?,
    }
    Ok(())
}
