//! `liaison events`: webinars, symposia, workshops, visits.
use std::io::Write;

use rusqlite::Connection;

use crate::output::print_json;
use crate::records::{write_command, Page, RecordKind, SimpleCommand};
use crate::Result;
use liaison_core::records::event::{self, EventQuery};

pub(crate) const EVENTS: RecordKind<event::EventInput, event::Event> = RecordKind {
    noun: "events",
    parse: event::input_from_json,
    create: event::create,
    update: event::update,
    delete: event::delete,
    restore: event::restore,
    label: |e| (e.id, &e.input.title),
};

pub(crate) fn events(conn: &mut Connection, cmd: SimpleCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        SimpleCommand::List { list } => {
            let query = EventQuery { search: list.search.clone(), ..EventQuery::default() };
            let page = list.fetch(|offset, limit| {
                let page = event::list(conn, &EventQuery { offset, limit, ..query.clone() })?;
                Ok(Page::of(page.rows, page.total))
            })?;
            if list.json {
                print_json(out, &page)?;
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
                writeln!(out, "{}", page.footer("events"))?;
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
                    let name = o
                        .labels
                        .as_ref()
                        .map(|l| l.en.text())
                        .or_else(|| o.name.clone())
                        .unwrap_or_else(|| "(pending sync)".into());
                    writeln!(out, "  organiser: {name}")?;
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
