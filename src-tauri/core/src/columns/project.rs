//! A project's columns: its partners as entries (`organisation | role`), its agreements by reference, its
//! budget in the currency's major unit.

use serde_json::{json, Value};

use crate::error::Result;

use super::cells::{entries_text, Cells};
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{value, Column, Out, RecordKind, Vocab, ID};

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("code", "Reference", "Référence", V::Text).also(&["Code", "Project code", "Ref"]),
    Column::new("title", "Title", "Titre", V::Text).mandatory().also(&[
        "Project",
        "Projet",
        "Name",
        "Nom",
        "Intitulé",
    ]),
    Column::new("kind", "Kind", "Type", Vocabulary(Vocab::ProjectKind))
        .mandatory()
        .also(&["Type of project"]),
    Column::new("status", "Status", "Statut", Vocabulary(Vocab::ProjectStatus)),
    Column::new("start_date", "Start date", "Date de début", V::Date).also(&["Start", "Début"]),
    Column::new("end_date", "End date", "Date de fin", V::Date).also(&["End", "Fin"]),
    Column::new("budget", "Budget", "Budget", V::Amount).also(&["Amount", "Montant"]),
    Column::new("currency", "Currency", "Devise", V::Currency).also(&["Monnaie"]),
    Column::new("fields", "Fields", "Domaines", V::Field).many().also(&["Field", "Domaine", "ISCED"]),
    Column::new("partners", "Partner organisations", "Établissements partenaires", V::Entries)
        .own()
        .form("organisation | role")
        .also(&["Partners", "Partenaires"]),
    Column::new("agreement_ids", "Agreements", "Accords", Reference(RecordKind::Agreement))
        .many()
        .also(&["Agreement", "Accord"]),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

/// Entries `organisation | role` read into `{partner_id, role}` objects (and more parts, `extra`, named).
pub(crate) fn org_roles(c: &mut Cells, key: &str) -> Result<Option<Vec<Value>>> {
    if !c.mapped(key) {
        return Ok(None);
    }
    let mut out = Vec::new();
    for parts in c.entries(key).unwrap_or_default() {
        let name = parts.first().cloned().unwrap_or_default();
        if let Some(id) = c.reference(key, RecordKind::Partner, &name)? {
            let role = parts.get(1).filter(|r| !r.is_empty()).cloned();
            out.push(json!({ "partner_id": id, "role": role }));
        }
    }
    Ok(Some(out))
}

/// `{partner_id, role}` objects as entries.
pub(crate) fn org_roles_text(line: &mut Line, field: &str) -> Result<Out> {
    let list: Vec<Value> = line.input.get(field).and_then(Value::as_array).cloned().unwrap_or_default();
    let mut entries = Vec::new();
    for p in &list {
        let Some(id) =
            p.get("partner_id").and_then(Value::as_str).and_then(|s| uuid::Uuid::parse_str(s).ok())
        else {
            continue;
        };
        let role = p.get("role").and_then(Value::as_str).unwrap_or_default().to_owned();
        entries.push(vec![line.name(RecordKind::Partner, id)?, role]);
    }
    Ok(if entries.is_empty() { Out::Empty } else { Out::Text(entries_text(&entries)) })
}

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.digits = super::exchange::digits_of(c, "project")?;
    c.plain()?;
    if let Some(partners) = org_roles(c, "partners")? {
        c.set("partners", Value::Array(partners));
    }
    Ok(())
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    line.digits = value::minor_digits(line.str("currency").as_deref());
    let partners = org_roles_text(line, "partners")?;
    line.fill(|_, column| Ok(if column.key == "partners" { partners.clone() } else { Out::Empty }))
}
