//! `liaison contacts`: people at partner organisations.
use std::io::Write;

use clap::Subcommand;
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{print_json, suffix};
use crate::records::{write_command, ListArgs, Page, RecordKind, WriteCommand};
use crate::Result;
use liaison_core::records::contact::{self, ContactQuery};

#[derive(Subcommand)]
pub(crate) enum ContactCommand {
    /// List contacts, sorted by family name
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only people affiliated with this partner (its id)
        #[arg(long, value_parser = crate::record_id::parse)]
        partner: Option<Uuid>,
    },
    /// Show one contact
    Show {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Erase a person for good (GDPR): their values are blanked here, in the history and in every laptop's
    /// copy once the erasure reaches it; nothing can bring them back
    Erase {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

pub(crate) const CONTACTS: RecordKind<contact::ContactInput, contact::Contact> = RecordKind {
    noun: "contacts",
    parse: contact::input_from_json,
    create: contact::create,
    update: contact::update,
    delete: contact::delete,
    restore: contact::restore,
    label: |c| (c.id, &c.name),
};

pub(crate) fn contacts(conn: &mut Connection, cmd: ContactCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        ContactCommand::List { list, partner } => {
            let query =
                ContactQuery { search: list.search.clone(), partner_id: partner, ..ContactQuery::default() };
            let page = list.fetch(|offset, limit| {
                let page = contact::list(conn, &ContactQuery { offset, limit, ..query.clone() })?;
                Ok(Page::of(page.rows, page.total))
            })?;
            if list.json {
                print_json(out, &page)?;
            } else {
                for row in &page.rows {
                    let organisation = row
                        .organisation_labels
                        .as_ref()
                        .map(|l| l.en.text())
                        .or_else(|| row.organisation.clone());
                    writeln!(out, "{}  {}{}", row.id, row.name, suffix(organisation.as_deref()))?;
                }
                writeln!(out, "{}", page.footer("contacts"))?;
            }
        }
        ContactCommand::Erase { id } => {
            let clock = liaison_core::SystemClock;
            liaison_core::write(conn, |tx| contact::erase(tx, &clock, id))?;
            liaison_core::store::checkpoint(conn)?;
            writeln!(out, "Erased {id}: the erasure travels with your next sync file")?;
        }
        ContactCommand::Show { id, json } => {
            let c = contact::get(conn, id)?;
            if json {
                print_json(out, &c)?;
            } else {
                writeln!(out, "{}{}", c.name, if c.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", c.id)?;
                for e in &c.input.emails {
                    writeln!(out, "  e-mail: {e}")?;
                }
                for p in &c.input.phones {
                    writeln!(out, "  phone: {p}")?;
                }
                if !c.input.languages.is_empty() {
                    writeln!(out, "  languages: {}", c.input.languages.join(", "))?;
                }
                for a in &c.affiliations_read {
                    let period = match (&a.start_date, &a.end_date) {
                        (Some(s), Some(e)) => format!(" [{s} – {e}]"),
                        (Some(s), None) => format!(" [since {s}]"),
                        (None, Some(e)) => format!(" [until {e}]"),
                        (None, None) => String::new(),
                    };
                    writeln!(
                        out,
                        "  at: {}{}{period}",
                        a.partner_labels
                            .as_ref()
                            .map(|l| l.en.text())
                            .or_else(|| a.partner_name.clone())
                            .unwrap_or_else(|| "(pending sync)".into()),
                        suffix(a.role.as_deref())
                    )?;
                }
                if let Some(n) = &c.input.notes {
                    writeln!(out, "  notes: {n}")?;
                }
            }
        }
        ContactCommand::Write(cmd) => write_command(conn, &CONTACTS, cmd, out)?,
    }
    Ok(())
}
