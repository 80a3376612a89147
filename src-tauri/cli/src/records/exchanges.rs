//! `liaison exchanges`: mobility in and out.
use std::io::Write;

use clap::Subcommand;
use liaison_core::kinds::Direction;
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{one_of, print_json};
use crate::records::{write_command, ListArgs, Page, RecordKind, WriteCommand};
use crate::Result;
use liaison_core::records::exchange::{self, ExchangeQuery};

#[derive(Subcommand)]
pub(crate) enum ExchangeCommand {
    /// List exchanges, latest academic year first
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only exchanges in this direction
        #[arg(long, value_parser = one_of(Direction::ALL, Direction::as_str))]
        direction: Option<Direction>,
        /// Academic year it starts in (2025 for 2025/2026)
        #[arg(long)]
        year: Option<i64>,
        /// Exchanges counted against this agreement (its id)
        #[arg(long, value_parser = crate::record_id::parse)]
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
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

pub(crate) const EXCHANGES: RecordKind<exchange::ExchangeInput, exchange::Exchange> = RecordKind {
    noun: "exchanges",
    parse: exchange::input_from_json,
    create: exchange::create,
    update: exchange::update,
    delete: exchange::delete,
    restore: exchange::restore,
    label: |e| (e.id, e.person_name.as_deref().unwrap_or("exchange")),
};

pub(crate) fn exchanges(conn: &mut Connection, cmd: ExchangeCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        ExchangeCommand::List { list, direction, year, agreement, cohort, counted } => {
            let query = ExchangeQuery {
                search: list.search.clone(),
                direction,
                academic_year: year,
                agreement_id: agreement,
                cohort,
                counted: counted.then_some(true),
                ..ExchangeQuery::default()
            };
            let page = list.fetch(|offset, limit| {
                let page = exchange::list(conn, &ExchangeQuery { offset, limit, ..query.clone() })?;
                Ok(Page { rows: page.rows, total: page.total, capped: page.total_capped })
            })?;
            if list.json {
                print_json(out, &page)?;
            } else {
                for e in &page.rows {
                    writeln!(out, "{}  {}", e.id, exchange_line(e))?;
                }
                writeln!(out, "{}", page.footer("exchanges"))?;
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

/// "2025/2026  incoming doctoral  Li Wei  Fudan University (复旦大学) → ENS de Lyon".
pub(crate) fn exchange_line(e: &exchange::Exchange) -> String {
    format!(
        "{}  {} {}  {}  {} → {}",
        e.academic_year_label.as_deref().unwrap_or("—"),
        e.input.direction.as_str(),
        e.input.category.as_str(),
        e.person_name.as_deref().unwrap_or("(pending sync)"),
        e.home_labels
            .as_ref()
            .map_or_else(|| e.home_name.clone().unwrap_or_else(|| "?".into()), |l| l.en.text()),
        e.host_labels
            .as_ref()
            .map_or_else(|| e.host_name.clone().unwrap_or_else(|| "?".into()), |l| l.en.text())
    )
}
