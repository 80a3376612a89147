//! An application's columns: its call, principal investigator and lead organisation by name, its partner
//! organisations as entries (`organisation | role`), amounts in the call's currency's major unit, its
//! reviews as entries (`reviewer | criterion: score; criterion: score | comment`), criteria named as the
//! call names them.

use rusqlite::params;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::Result;
use crate::table::Cell;
use crate::validate::quote;

use super::cells::{entries_text, Cells};
use super::header::key;
use super::reference::Found;
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{value, Column, Out, Problem, RecordKind, Vocab, ID};

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("call_id", "Call", "Appel à projets", Reference(RecordKind::Call))
        .mandatory()
        .also(&["Appel", "Call for projects"]),
    Column::new("reference", "Reference", "Référence", V::Text).also(&[
        "Ref",
        "Application number",
        "Numéro de dossier",
    ]),
    Column::new("acronym", "Acronym", "Acronyme", V::Text).also(&["Sigle", "Project acronym"]),
    Column::new("title", "Title", "Intitulé", V::Text).mandatory().also(&[
        "Project title",
        "Titre",
        "Titre du projet",
    ]),
    Column::new(
        "pi_id",
        "Principal investigator",
        "Responsable scientifique",
        Reference(RecordKind::Contact),
    )
    .also(&["PI", "Coordinator", "Coordinateur", "Porteur de projet"]),
    Column::new("lead_id", "Lead organisation", "Porteur", Reference(RecordKind::Partner))
        .mandatory()
        .also(&["Lead", "Lead institution", "Établissement porteur"]),
    Column::new("partners", "Partner organisations", "Organisations partenaires", V::Entries)
        .own()
        .form("organisation | role")
        .also(&["Partners", "Partenaires"]),
    Column::new("requested", "Requested amount", "Montant demandé", V::Amount).also(&[
        "Requested",
        "Amount requested",
        "Demande",
    ]),
    Column::new("cofunding", "Co-funding", "Cofinancement", V::Amount).also(&["Cofunding", "Co-financement"]),
    Column::new("duration_months", "Duration", "Durée", V::Integer).also(&[
        "Duration (months)",
        "Durée (mois)",
        "Months",
        "Mois",
    ]),
    Column::new("status", "Status", "Statut", Vocabulary(Vocab::ApplicationStatus)),
    Column::new("reviews", "Reviews", "Évaluations", V::Entries)
        .own()
        .form("reviewer | criterion: score; criterion: score | comment")
        .also(&["Review", "Évaluation", "Scores", "Notes des évaluateurs"]),
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
    if c.mapped("reviews") {
        let reviews = reviews(c, call)?;
        c.set("reviews", Value::Array(reviews));
    }
    Ok(())
}

/// The call's criteria: (id, name).
fn criteria(conn: &rusqlite::Connection, call: Uuid) -> Result<Vec<(Uuid, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name FROM call_criterion WHERE call_id = ?1 AND deleted = 0 ORDER BY name",
        )?
        .query_map(params![call], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

fn reviews(c: &mut Cells, call: Option<Uuid>) -> Result<Vec<Value>> {
    let entries = c.entries("reviews").unwrap_or_default();
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let Some(call) = call else {
        c.problem(
            "reviews",
            Problem::new(
                "reviews_need_call",
                "reviews are scored on the call's criteria: fill the Call column",
            ),
        );
        return Ok(Vec::new());
    };
    let criteria = criteria(c.resolver.conn(), call)?;
    let mut out = Vec::new();
    for parts in entries {
        let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
        let reviewer =
            if part(0).is_empty() { None } else { c.reference("reviews", RecordKind::Contact, &part(0))? };
        let mut scores = Vec::new();
        for item in value::items(&part(1), false) {
            let Some((name, score)) = item.rsplit_once(':') else {
                c.problem(
                    "reviews",
                    Problem::new(
                        "not_a_score",
                        format!("{} is not a score; write criterion: score", quote(&item)),
                    )
                    .with("value", item.as_str()),
                );
                continue;
            };
            let Some((id, _)) = criteria.iter().find(|(_, n)| key(n) == key(name)) else {
                let names: Vec<&str> = criteria.iter().map(|(_, n)| n.as_str()).collect();
                c.problem(
                    "reviews",
                    Problem::new(
                        "no_such_criterion",
                        format!(
                            "the call has no criterion {}; its criteria are {}",
                            quote(name.trim()),
                            names.join(", ")
                        ),
                    )
                    .with("value", name.trim())
                    .with("allowed", names.join(", ")),
                );
                continue;
            };
            match value::number(&Cell::Text(score.trim().to_owned())) {
                Ok(score) => scores.push(json!({ "criterion_id": id, "score": score })),
                Err(e) => c.problem("reviews", e),
            }
        }
        let comment =
            Some(parts.get(2..).map(|rest| rest.join(" | ")).unwrap_or_default()).filter(|t| !t.is_empty());
        out.push(json!({ "reviewer_id": reviewer, "scores": scores, "comment": comment }));
    }
    Ok(out)
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    let call = line.str("call_id").and_then(|c| Uuid::parse_str(&c).ok());
    line.digits = match call {
        Some(call) => value::minor_digits(call_currency(line.conn(), call)?.as_deref()),
        None => 2,
    };
    let partners = super::project::org_roles_text(line, "partners")?;
    let criteria = match call {
        Some(call) => criteria(line.conn(), call)?,
        None => Vec::new(),
    };
    let mut reviews = Vec::new();
    for r in line.input.get("reviews").and_then(Value::as_array).cloned().unwrap_or_default() {
        let reviewer =
            match r.get("reviewer_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok()) {
                Some(id) => line.name(RecordKind::Contact, id)?,
                None => String::new(),
            };
        let scores: Vec<String> = r
            .get("scores")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|s| {
                let id = s.get("criterion_id").and_then(Value::as_str).unwrap_or_default();
                let name = criteria.iter().find(|(c, _)| c.to_string() == id).map_or(id, |(_, n)| n.as_str());
                format!("{name}: {}", s.get("score").and_then(Value::as_f64).unwrap_or_default())
            })
            .collect();
        let comment = r.get("comment").and_then(Value::as_str).unwrap_or_default().replace('\n', " ");
        reviews.push(vec![reviewer, scores.join("; "), comment]);
    }
    let reviews = if reviews.is_empty() { Out::Empty } else { Out::Text(entries_text(&reviews)) };
    line.fill(|_, column| {
        Ok(match column.key {
            "partners" => partners.clone(),
            "reviews" => reviews.clone(),
            _ => Out::Empty,
        })
    })
}
