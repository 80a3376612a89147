//! `liaison calls`: calls for projects, their rules and criteria, and their ranked applications.
use std::io::Write;

use clap::Subcommand;
use liaison_core::kinds::CallStatus;
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{one_of, print_json};
use crate::records::{write_command, ListArgs, Page, RecordKind, WriteCommand};
use crate::Result;
use liaison_core::records::call::{self, CallQuery};

#[derive(Subcommand)]
pub(crate) enum CallCommand {
    /// List calls, latest deadline first
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only calls with this status
        #[arg(long, value_parser = one_of(CallStatus::ALL, CallStatus::as_str))]
        status: Option<CallStatus>,
    },
    /// Show one call with its criteria and its applications in rank order
    Show {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

pub(crate) const CALLS: RecordKind<call::CallInput, call::Call> = RecordKind {
    noun: "calls",
    parse: call::input_from_json,
    create: call::create,
    update: call::update,
    delete: call::delete,
    restore: call::restore,
    label: |c| (c.id, &c.input.title),
};

pub(crate) fn calls(conn: &mut Connection, cmd: CallCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        CallCommand::List { list, status } => {
            let query = CallQuery { search: list.search.clone(), status, ..CallQuery::default() };
            let page = list.fetch(|offset, limit| {
                let page = call::list(conn, &CallQuery { offset, limit, ..query.clone() })?;
                Ok(Page::of(page.rows, page.total))
            })?;
            if list.json {
                print_json(out, &page)?;
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
                writeln!(out, "{}", page.footer("calls"))?;
            }
        }
        CallCommand::Show { id, json } => {
            let c = call::get(conn, id)?;
            if json {
                print_json(out, &c)?;
            } else {
                writeln!(out, "{}{}", c.input.title, if c.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", c.id)?;
                if let Some(funder) = c.funder_labels.as_ref().map(|l| l.en.text()).or(c.funder_name.clone())
                {
                    writeln!(out, "  funder: {funder}")?;
                }
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
