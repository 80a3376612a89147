//! `liaison applications`: applications to calls, with their eligibility, score and rank.
use std::io::Write;

use clap::Subcommand;
use liaison_core::kinds::ApplicationStatus;
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{one_of, print_json, suffix};
use crate::records::{write_command, ListArgs, Page, RecordKind, WriteCommand};
use crate::Result;
use liaison_core::records::application::{self, ApplicationQuery};

#[derive(Subcommand)]
pub(crate) enum ApplicationCommand {
    /// List applications, in rank order within each call
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only the applications to this call (its id)
        #[arg(long, value_parser = crate::record_id::parse)]
        call: Option<Uuid>,
        /// Only applications with this status
        #[arg(long, value_parser = one_of(ApplicationStatus::ALL, ApplicationStatus::as_str))]
        status: Option<ApplicationStatus>,
    },
    /// Show one application with its computed eligibility, reviews, score and rank
    Show {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

pub(crate) const APPLICATIONS: RecordKind<application::ApplicationInput, application::Application> =
    RecordKind {
        noun: "applications",
        parse: application::input_from_json,
        create: application::create,
        update: application::update,
        delete: application::delete,
        restore: application::restore,
        label: |a| (a.id, &a.input.title),
    };

pub(crate) fn applications(
    conn: &mut Connection,
    cmd: ApplicationCommand,
    out: &mut impl Write,
) -> Result<()> {
    match cmd {
        ApplicationCommand::List { list, call, status } => {
            let query = ApplicationQuery {
                search: list.search.clone(),
                call_id: call,
                status,
                ..ApplicationQuery::default()
            };
            let page = list.fetch(|offset, limit| {
                let page = application::list(conn, &ApplicationQuery { offset, limit, ..query.clone() })?;
                Ok(Page::of(page.rows, page.total))
            })?;
            if list.json {
                print_json(out, &page)?;
            } else {
                for a in &page.rows {
                    let rank = a.rank.map(|r| format!("#{r}")).unwrap_or_else(|| "—".into());
                    let eligible = if a.eligible { "eligible" } else { "ineligible" };
                    writeln!(out, "{}  {rank:>4}  {} ({}, {eligible})", a.id, a.title, a.status.as_str())?;
                }
                writeln!(out, "{}", page.footer("applications"))?;
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
                let lead = a.lead_labels.as_ref().map(|l| l.en.text()).or_else(|| a.lead_name.clone());
                writeln!(out, "  lead: {}", lead.as_deref().unwrap_or("(pending sync)"))?;
                for p in &a.partners_read {
                    writeln!(
                        out,
                        "  partner: {}{}",
                        p.labels
                            .as_ref()
                            .map(|l| l.en.text())
                            .or_else(|| p.name.clone())
                            .unwrap_or_else(|| "(pending sync)".into()),
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
