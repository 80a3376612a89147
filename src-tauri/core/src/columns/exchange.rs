//! An exchange's columns: the person, home and host organisations, unit and agreement by name; the
//! agreement's condition it counts against, described by its mobility, sending and receiving organisations
//! and first year; the amount in the currency's major unit.

use rusqlite::params;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::Result;

use super::cells::{entries_text, Cells};
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{value, Column, Out, Problem, RecordKind, Vocab, ID};

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("person_id", "Person", "Personne", Reference(RecordKind::Contact)).mandatory().also(&[
        "Student",
        "Étudiant",
        "Participant",
        "Nom et prénom",
        "Name",
        "Nom",
        "姓名",
        "氏名",
    ]),
    Column::new("direction", "Direction", "Sens", Vocabulary(Vocab::Direction)).mandatory().also(&[
        "Incoming/outgoing",
        "Entrant/sortant",
        "Sens de la mobilité",
    ]),
    Column::new("category", "Category", "Catégorie", Vocabulary(Vocab::ExchangeCategory))
        .mandatory()
        .also(&["Public", "Type of participant"]),
    Column::new("programme", "Programme", "Programme", Vocabulary(Vocab::Programme)).also(&[
        "Program",
        "Scheme",
        "Dispositif",
    ]),
    Column::new("home_id", "Home organisation", "Établissement d’origine", Reference(RecordKind::Partner))
        .also(&[
            "Home",
            "Home institution",
            "Home university",
            "Sending institution",
            "Université d'origine",
            "Origine",
            "From",
        ]),
    Column::new("host_id", "Host organisation", "Établissement d’accueil", Reference(RecordKind::Partner))
        .also(&[
            "Host",
            "Host institution",
            "Host university",
            "Receiving institution",
            "Université d'accueil",
            "Accueil",
            "Destination",
            "To",
        ]),
    Column::new("unit_id", "Lyon unit", "Composante lyonnaise", Reference(RecordKind::Partner))
        .also(&["Unit", "Composante"]),
    Column::new("agreement_id", "Agreement", "Accord", Reference(RecordKind::Agreement))
        .also(&["Convention", "Agreement reference"]),
    Column::new("condition_id", "Condition of the agreement", "Condition de l’accord", V::Entries)
        .own()
        .form("mobility type | sending organisation | receiving organisation | first academic year"),
    Column::new("academic_year", "Academic year", "Année universitaire", V::Year)
        .also(&["Year", "Année", "学年"]),
    Column::new("planned_start", "Planned start", "Début prévu", V::Date).also(&[
        "Start date",
        "Date de début",
        "Début",
        "Arrival",
        "Date d'arrivée",
    ]),
    Column::new("planned_end", "Planned end", "Fin prévue", V::Date).also(&[
        "End date",
        "Date de fin",
        "Fin",
        "Departure",
        "Date de départ",
    ]),
    Column::new("actual_start", "Actual start", "Début effectif", V::Date),
    Column::new("actual_end", "Actual end", "Fin effective", V::Date),
    Column::new("level", "Level", "Niveau", Vocabulary(Vocab::Level)).also(&[
        "Study level",
        "Niveau d'études",
        "EQF",
    ]),
    Column::new("field", "Field", "Domaine", V::Field).also(&[
        "ISCED",
        "Field of study",
        "Discipline",
        "Domaine d'études",
    ]),
    Column::new("language", "Language", "Langue", V::Language)
        .also(&["Language of study", "Langue d'enseignement"]),
    Column::new("cefr", "CEFR level", "Niveau CECRL", Vocabulary(Vocab::Cefr)).also(&["CEFR", "CECRL"]),
    Column::new("funding", "Funding", "Financement", V::Text).also(&["Scholarship", "Bourse", "Financeur"]),
    Column::new("amount", "Amount", "Montant", V::Amount).also(&["Montant de la bourse", "Grant"]),
    Column::new("currency", "Currency", "Devise", V::Currency).also(&["Monnaie"]),
    Column::new("status", "Status", "Statut", Vocabulary(Vocab::ExchangeStatus)),
    Column::new("cohort", "Cohort", "Cohorte", V::Text).also(&["Group", "Groupe", "Promotion"]),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

/// The decimals of the currency a row writes, else of the record's stored one.
pub(crate) fn digits_of(c: &mut Cells, table: &str) -> Result<u32> {
    if c.mapped("currency") {
        return Ok(value::minor_digits(c.text("currency").map(|t| value::currency(&t)).as_deref()));
    }
    let stored: Option<String> =
        match c.get("id").and_then(Value::as_str).and_then(|i| Uuid::parse_str(i).ok()) {
            Some(id) => c
                .resolver
                .conn()
                .query_row(&format!("SELECT currency FROM {table} WHERE id = ?1"), params![id], |r| r.get(0))
                .unwrap_or(None),
            None => None,
        };
    Ok(value::minor_digits(stored.as_deref()))
}

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.digits = digits_of(c, "exchange")?;
    c.plain()?;
    if c.mapped("condition_id") {
        let condition = match c.entries("condition_id").and_then(|e| e.into_iter().next()) {
            Some(parts) => condition(c, &parts)?,
            None => None,
        };
        c.set("condition_id", condition.map_or(Value::Null, |id| json!(id)));
    }
    Ok(())
}

/// The condition of the row's agreement that `parts` (mobility, sending, receiving, first year) describe.
fn condition(c: &mut Cells, parts: &[String]) -> Result<Option<Uuid>> {
    let part = |i: usize| parts.get(i).map(String::as_str).unwrap_or_default();
    let Some(agreement) = c.get("agreement_id").and_then(Value::as_str).and_then(|a| Uuid::parse_str(a).ok())
    else {
        c.problem(
            "condition_id",
            Problem::new(
                "condition_needs_agreement",
                "a condition needs the agreement it belongs to: fill the Agreement column",
            ),
        );
        return Ok(None);
    };
    let Some(mobility) = Vocab::MobilityType.parse(part(0)) else {
        c.problem("condition_id", Problem::vocabulary(Vocab::MobilityType, part(0)));
        return Ok(None);
    };
    let sending =
        if part(1).is_empty() { None } else { c.reference("condition_id", RecordKind::Partner, part(1))? };
    let receiving =
        if part(2).is_empty() { None } else { c.reference("condition_id", RecordKind::Partner, part(2))? };
    let first_year: Option<i64> = part(3).split('/').next().and_then(|y| y.trim().parse().ok());
    let found: Option<Uuid> = c
        .resolver
        .conn()
        .prepare_cached(
            "SELECT id FROM agreement_condition WHERE agreement_id = ?1 AND deleted = 0 AND mobility = ?2
               AND sending_id IS ?3 AND receiving_id IS ?4 AND (?5 IS NULL OR first_year IS ?5)
             ORDER BY id LIMIT 1",
        )?
        .query_row(params![agreement, mobility, sending, receiving, first_year], |r| r.get(0))
        .ok();
    if found.is_none() {
        let condition = parts.join(" | ");
        c.problem(
            "condition_id",
            Problem::new("no_such_condition", format!("the agreement has no condition “{condition}”"))
                .with("value", condition),
        );
    }
    Ok(found)
}

/// A condition as the parts of its cell.
pub(crate) fn condition_parts(line: &mut Line, id: Uuid) -> Result<Vec<String>> {
    type Stored = (String, Option<Uuid>, Option<Uuid>, Option<i64>);
    let row: Option<Stored> = line
        .conn()
        .prepare_cached(
            "SELECT mobility, sending_id, receiving_id, first_year FROM agreement_condition WHERE id = ?1",
        )?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .ok();
    let Some((mobility, sending, receiving, first_year)) = row else { return Ok(vec![id.to_string()]) };
    let lang = line.lang();
    let mut parts = vec![Vocab::MobilityType.label(&mobility, lang)];
    for org in [sending, receiving] {
        parts.push(match org {
            Some(id) => line.name(RecordKind::Partner, id)?,
            None => String::new(),
        });
    }
    parts.push(first_year.map(|y| y.to_string()).unwrap_or_default());
    Ok(parts)
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    line.digits = value::minor_digits(line.str("currency").as_deref());
    let condition = line.str("condition_id").and_then(|c| Uuid::parse_str(&c).ok());
    let condition = match condition {
        Some(id) => match line.rows.conditions.get(&id) {
            Some(text) => Some(text.clone()),
            None => {
                let text = entries_text(&[condition_parts(line, id)?]);
                let kept = &mut line.rows.conditions;
                if kept.len() >= super::row::KEPT {
                    kept.clear();
                }
                kept.insert(id, text.clone());
                Some(text)
            }
        },
        None => None,
    };
    line.fill(|_, column| {
        Ok(match column.key {
            "condition_id" => condition.clone().map_or(Out::Empty, Out::Text),
            _ => Out::Empty,
        })
    })
}
