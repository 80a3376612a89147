//! An application's columns: its call, principal investigator and lead organisation by name, its partner
//! organisations as entries (`organisation | role`), amounts in the call's currency's major unit. Reviews are
//! assessment work done in Liaison and have no column: a row updating an application keeps them.

use rusqlite::params;
use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;

use super::cells::Cells;
use super::reference::Found;
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{value, Column, Out, RecordKind, Vocab, ID};

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("call_id", "Call", "Appel à projets", Reference(RecordKind::Call)).mandatory().also(&["Appel", "Call for projects"]),
    Column::new("reference", "Reference", "Référence", V::Text).also(&["Ref", "Application number", "Numéro de dossier"]),
    Column::new("acronym", "Acronym", "Acronyme", V::Text).also(&["Sigle", "Project acronym"]),
    Column::new("title", "Title", "Intitulé", V::Text).mandatory().also(&["Project title", "Titre", "Titre du projet"]),
    Column::new("pi_id", "Principal investigator", "Responsable scientifique", Reference(RecordKind::Contact))
        .also(&["PI", "Coordinator", "Coordinateur", "Porteur de projet"]),
    Column::new("lead_id", "Lead organisation", "Porteur", Reference(RecordKind::Partner))
        .mandatory()
        .also(&["Lead", "Lead institution", "Établissement porteur"]),
    Column::new("partners", "Partner organisations", "Organisations partenaires", V::Entries)
        .own()
        .form("organisation | role")
        .also(&["Partners", "Partenaires"]),
    Column::new("requested", "Requested amount", "Montant demandé", V::Amount).also(&["Requested", "Amount requested", "Demande"]),
    Column::new("cofunding", "Co-funding", "Cofinancement", V::Amount).also(&["Cofunding", "Co-financement"]),
    Column::new("duration_months", "Duration", "Durée", V::Integer).also(&["Duration (months)", "Durée (mois)", "Months", "Mois"]),
    Column::new("status", "Status", "Statut", Vocabulary(Vocab::ApplicationStatus)),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

fn call_currency(conn: &rusqlite::Connection, call: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT currency FROM call WHERE id = ?1")?
        .query_row(params![call], |r| r.get(0))
        .unwrap_or(None))
}

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    // Amounts are in the call's currency: the call the row names, else the one the application has.
    let call = match c.text("call_id") {
        Some(name) => match c.resolver.find(RecordKind::Call, &name)? {
            Found::One(id) => Some(id),
            _ => None,
        },
        None => match c.get("id").and_then(Value::as_str).and_then(|i| Uuid::parse_str(i).ok()) {
            Some(id) => c
                .resolver
                .conn()
                .query_row("SELECT call_id FROM application WHERE id = ?1", params![id], |r| r.get(0))
                .unwrap_or(None),
            None => None,
        },
    };
    c.digits = match call {
        Some(call) => value::minor_digits(call_currency(c.resolver.conn(), call)?.as_deref()),
        None => 2,
    };
    c.plain()?;
    if let Some(partners) = super::project::org_roles(c, "partners")? {
        c.set("partners", Value::Array(partners));
    }
    Ok(())
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    let call = line.str("call_id").and_then(|c| Uuid::parse_str(&c).ok());
    line.digits = match call {
        Some(call) => value::minor_digits(call_currency(line.conn(), call)?.as_deref()),
        None => 2,
    };
    let partners = super::project::org_roles_text(line, "partners")?;
    line.fill(|_, column| Ok(if column.key == "partners" { partners.clone() } else { Out::Empty }))
}
