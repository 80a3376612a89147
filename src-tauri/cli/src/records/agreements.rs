//! `liaison agreements`: cooperation agreements, their parties and conditions, and the places used.
use std::io::Write;

use clap::Subcommand;
use liaison_core::kinds::{AgreementKind, AgreementStatus};
use liaison_core::{Clock, SystemClock};
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{one_of, print_json, suffix};
use crate::records::{write_command, ListArgs, Page, RecordKind, WriteCommand};
use crate::Result;
use liaison_core::records::agreement::{self, AgreementQuery};

#[derive(Subcommand)]
pub(crate) enum AgreementCommand {
    /// List agreements, sorted by title
    List {
        #[command(flatten)]
        list: ListArgs,
        /// Only this kind of agreement
        #[arg(long, value_parser = one_of(AgreementKind::ALL, AgreementKind::as_str))]
        kind: Option<AgreementKind>,
        /// Status as it stands today
        #[arg(long, value_parser = one_of(AgreementStatus::ALL, AgreementStatus::as_str))]
        status: Option<AgreementStatus>,
        /// Agreements this partner (its id) is a party to
        #[arg(long, value_parser = crate::record_id::parse)]
        partner: Option<Uuid>,
    },
    /// Show one agreement with its parties, conditions and places used
    Show {
        #[arg(value_parser = crate::record_id::parse)]
        id: Uuid,
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Write(WriteCommand),
}

pub(crate) const AGREEMENTS: RecordKind<agreement::AgreementInput, agreement::Agreement> = RecordKind {
    noun: "agreements",
    parse: agreement::input_from_json,
    create: agreement::create,
    update: agreement::update,
    delete: agreement::delete,
    restore: agreement::restore,
    label: |a| (a.id, &a.input.title),
};

pub(crate) fn agreements(conn: &mut Connection, cmd: AgreementCommand, out: &mut impl Write) -> Result<()> {
    let today = SystemClock.now().date_naive();
    match cmd {
        AgreementCommand::List { list, kind, status, partner } => {
            let query = AgreementQuery {
                search: list.search.clone(),
                kind,
                status,
                partner_id: partner,
                ..AgreementQuery::default()
            };
            let page = list.fetch(|offset, limit| {
                let page = agreement::list(conn, &AgreementQuery { offset, limit, ..query.clone() }, today)?;
                Ok(Page::of(page.rows, page.total))
            })?;
            if list.json {
                print_json(out, &page)?;
            } else {
                for row in &page.rows {
                    let code = row.code.as_deref().map(|c| format!("[{c}] ")).unwrap_or_default();
                    let parties: Vec<String> = row.party_labels.iter().map(|l| l.en.text()).collect();
                    writeln!(
                        out,
                        "{}  {code}{} ({}, {}){}",
                        row.id,
                        row.title,
                        row.kind.as_str(),
                        row.status.as_str(),
                        suffix(Some(parties.join(" · ")).as_deref().filter(|p| !p.is_empty()))
                    )?;
                }
                writeln!(out, "{}", page.footer("agreements"))?;
            }
        }
        AgreementCommand::Show { id, json } => {
            let a = agreement::get(conn, id, today)?;
            if json {
                print_json(out, &a)?;
            } else {
                writeln!(out, "{}{}", a.input.title, if a.deleted { "  [deleted]" } else { "" })?;
                writeln!(out, "  id: {}", a.id)?;
                if let Some(code) = &a.input.code {
                    writeln!(out, "  code: {code}")?;
                }
                writeln!(out, "  kind: {}  status: {}", a.input.kind.as_str(), a.effective_status.as_str())?;
                let dates = [
                    ("signed", &a.input.signed_date),
                    ("from", &a.input.start_date),
                    ("to", &a.input.end_date),
                ]
                .into_iter()
                .filter_map(|(label, d)| d.as_ref().map(|d| format!("{label} {d}")))
                .collect::<Vec<_>>();
                if !dates.is_empty() {
                    writeln!(out, "  dates: {}", dates.join(", "))?;
                }
                if let Some(parent) = a.input.parent_id {
                    writeln!(
                        out,
                        "  under: {} ({parent})",
                        a.parent_title.as_deref().unwrap_or("pending sync")
                    )?;
                }
                for p in &a.parties_read {
                    writeln!(
                        out,
                        "  party: {}{}",
                        p.partner_labels
                            .as_ref()
                            .map(|l| l.en.text())
                            .or_else(|| p.partner_name.clone())
                            .unwrap_or_else(|| "(pending sync)".into()),
                        suffix(p.role.as_deref())
                    )?;
                }
                if !a.input.fields.is_empty() {
                    let fields: Vec<String> = a
                        .input
                        .fields
                        .iter()
                        .map(|f| match liaison_core::kinds::isced::label_en(f) {
                            Some(label) => format!("{f} {label}"),
                            None => f.clone(),
                        })
                        .collect();
                    writeln!(out, "  fields: {}", fields.join(", "))?;
                }
                for c in &a.conditions_read {
                    let quota = match (c.places, c.months) {
                        (Some(p), _) => format!("{p} places/year"),
                        (None, Some(m)) => format!("{m} months/year"),
                        (None, None) => "no quota".into(),
                    };
                    writeln!(
                        out,
                        "  condition: {} {} → {}, {quota}",
                        c.mobility.as_str(),
                        side(&c.sending_labels, &c.sending_name),
                        side(&c.receiving_labels, &c.receiving_name)
                    )?;
                }
                for u in &a.usage {
                    let places = u.places.map(|p| p.to_string()).unwrap_or_else(|| "–".into());
                    let way = a
                        .conditions_read
                        .iter()
                        .find(|c| c.id == u.condition_id)
                        .map(|c| {
                            format!(
                                " {} → {}",
                                side(&c.sending_labels, &c.sending_name),
                                side(&c.receiving_labels, &c.receiving_name)
                            )
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

/// A condition's side by its English name with its own script beside, "?" when it is not here.
fn side(labels: &Option<liaison_core::label::Labels>, name: &Option<String>) -> String {
    labels.as_ref().map(|l| l.en.text()).or_else(|| name.clone()).unwrap_or_else(|| "?".into())
}
