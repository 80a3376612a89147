//! `liaison partners`: list, show, add, update, delete and restore partner organisations.
use std::io::Write;

use clap::Subcommand;
use liaison_core::kinds::{OrgKind, PartnerStatus, Zone};
use liaison_core::label::UiLang;
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{one_of, print_json, suffix};
use crate::records::{write_command, ListArgs, Page, RecordKind, WriteCommand};
use crate::Result;
use liaison_core::records::partner::{self, PartnerQuery};

#[derive(Subcommand)]
pub(crate) enum PartnerCommand {
    /// List partners, sorted by name
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only partners of this zone
        #[arg(long, value_parser = one_of(Zone::ALL, Zone::as_str))]
        zone: Option<Zone>,
        /// ISO 3166-1 code, such as CN
        #[arg(long)]
        country: Option<String>,
        /// Only this kind of organisation
        #[arg(long, value_parser = one_of(OrgKind::ALL, OrgKind::as_str))]
        kind: Option<OrgKind>,
        /// Only partners with this status
        #[arg(long, value_parser = one_of(PartnerStatus::ALL, PartnerStatus::as_str))]
        status: Option<PartnerStatus>,
    },
    /// Show one partner
    Show {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

pub(crate) const PARTNERS: RecordKind<partner::PartnerInput, partner::Partner> = RecordKind {
    noun: "partners",
    parse: partner::input_from_json,
    create: partner::create,
    update: partner::update,
    delete: partner::delete,
    restore: partner::restore,
    label: |p| (p.id, &p.name),
};

pub(crate) fn partners(conn: &mut Connection, cmd: PartnerCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        PartnerCommand::List { list, zone, country, kind, status } => {
            let query = PartnerQuery {
                search: list.search.clone(),
                zone,
                country,
                kind,
                status,
                // Text is read by a person: names in English with their own script beside; JSON keeps the
                // primary names (every name is in `partners show --json`).
                lang: (!list.json).then_some(UiLang::En),
                ..PartnerQuery::default()
            };
            let page = list.fetch(|offset, limit| {
                let page = partner::list(conn, &PartnerQuery { offset, limit, ..query.clone() })?;
                Ok(Page::of(page.rows, page.total))
            })?;
            if list.json {
                print_json(out, &page)?;
            } else {
                for row in &page.rows {
                    let place = [row.city.as_deref(), row.country.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", ");
                    let acronym = row.acronym.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
                    let name = match &row.native {
                        Some(native) => format!("{} ({native})", row.name),
                        None => row.name.clone(),
                    };
                    writeln!(
                        out,
                        "{}  {name}{acronym}{}",
                        row.id,
                        suffix(Some(&place).filter(|p| !p.is_empty()).map(String::as_str))
                    )?;
                }
                writeln!(out, "{}", page.footer("partners"))?;
            }
        }
        PartnerCommand::Show { id, json } => {
            let p = partner::get(conn, id)?;
            if json {
                print_json(out, &p)?;
            } else {
                writeln!(out, "{}{}", p.labels.en.text(), if p.deleted { "  [deleted]" } else { "" })?;
                for n in p.input.names.iter().filter(|n| !n.primary) {
                    writeln!(out, "  also: {} [{}]", n.value, n.lang)?;
                }
                writeln!(out, "  id: {}", p.id)?;
                writeln!(
                    out,
                    "  kind: {}  status: {}  zone: {}",
                    p.input.kind.as_str(),
                    p.input.status.as_str(),
                    p.input.zone.map_or("?", |z| z.as_str())
                )?;
                if let Some(a) = &p.input.acronym {
                    writeln!(out, "  acronym: {a}")?;
                }
                let place = [p.input.city.as_deref(), p.input.country.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                if !place.is_empty() {
                    writeln!(out, "  place: {place}")?;
                }
                if let Some(w) = &p.input.website {
                    writeln!(out, "  website: {w}")?;
                }
                if let Some(parent) = &p.input.parent_id {
                    writeln!(
                        out,
                        "  parent: {} ({parent})",
                        p.parent_labels
                            .as_ref()
                            .map(|l| l.en.text())
                            .or_else(|| p.parent_name.clone())
                            .unwrap_or_else(|| "pending sync".into())
                    )?;
                }
                for i in &p.input.identifiers {
                    writeln!(out, "  {}: {}", i.scheme.as_str(), i.value)?;
                }
                if !p.input.tags.is_empty() {
                    writeln!(out, "  tags: {}", p.input.tags.join(", "))?;
                }
                for c in &p.contacts {
                    writeln!(out, "  contact: {}{}", c.name, suffix(c.role.as_deref()))?;
                }
                if let Some(n) = &p.input.notes {
                    writeln!(out, "  notes: {n}")?;
                }
            }
        }
        PartnerCommand::Write(cmd) => write_command(conn, &PARTNERS, cmd, out)?,
    }
    Ok(())
}
