//! `liaison search` and `liaison history`: finding a record, and reading what happened to it.

use std::io::Write;

use liaison_core::label::UiLang;
use liaison_core::{oplog, search};
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{print_json, suffix};
use crate::{Error, Result};

/// The best matches among every kind of record.
pub(crate) fn search(
    conn: &Connection,
    query: &str,
    json: bool,
    limit: u32,
    out: &mut impl Write,
) -> Result<()> {
    // Text is read by a person: partners by their English name with their own script beside.
    let hits = search::search_as(conn, query, limit, (!json).then_some(UiLang::En))?;
    if json {
        print_json(out, &hits)?;
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
            let id = if hit.entity == search::Entity::Cohort { "–".to_owned() } else { hit.id.to_string() };
            let title = match &hit.native {
                Some(native) => format!("{} ({native})", hit.title),
                None => hit.title.clone(),
            };
            writeln!(out, "{id:<36}  {entity:<8} {title}{}", suffix(hit.subtitle.as_deref()))?;
        }
    }
    Ok(())
}

/// A record's changes, oldest first.
pub(crate) fn history(conn: &Connection, id: Uuid, json: bool, out: &mut impl Write) -> Result<()> {
    let entries = oplog::history(conn, id)?;
    if entries.is_empty() {
        return Err(Error::Usage(format!("no history for {id}: no record has that id")));
    }
    if json {
        print_json(out, &entries)?;
    } else {
        for entry in entries {
            writeln!(out, "{}  {}", entry.at, entry.author)?;
            for c in entry.changes {
                writeln!(out, "    {}.{}: {} → {}", c.table, c.column, c.old, c.new)?;
            }
        }
    }
    Ok(())
}
