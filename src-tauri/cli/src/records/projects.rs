//! `liaison projects`: flagship projects, joint labs and the like.
use std::io::Write;

use rusqlite::Connection;

use crate::output::{print_json, suffix};
use crate::records::{write_command, Page, RecordKind, SimpleCommand};
use crate::Result;
use liaison_core::records::project::{self, ProjectQuery};

pub(crate) const PROJECTS: RecordKind<project::ProjectInput, project::Project> = RecordKind {
    noun: "projects",
    parse: project::input_from_json,
    create: project::create,
    update: project::update,
    delete: project::delete,
    restore: project::restore,
    label: |p| (p.id, &p.input.title),
};

pub(crate) fn projects(conn: &mut Connection, cmd: SimpleCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        SimpleCommand::List { list } => {
            let query = ProjectQuery { search: list.search.clone(), ..ProjectQuery::default() };
            let page = list.fetch(|offset, limit| {
                let page = project::list(conn, &ProjectQuery { offset, limit, ..query.clone() })?;
                Ok(Page::of(page.rows, page.total))
            })?;
            if list.json {
                print_json(out, &page)?;
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
                writeln!(out, "{}", page.footer("projects"))?;
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
                    let name = partner
                        .labels
                        .as_ref()
                        .map(|l| l.en.text())
                        .or_else(|| partner.name.clone())
                        .unwrap_or_else(|| "(pending sync)".into());
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
