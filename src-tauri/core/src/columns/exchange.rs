//! An exchange's columns: the person, home and host organisations, unit and agreement by name; the
//! agreement's condition it counts against, described by its mobility, sending and receiving organisations
//! and first year; the amount in the currency's major unit.

use rusqlite::params;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::Result;
use crate::records::exchange::ExchangeInput;

use super::cells::{entries_text, Cells};
use super::row::{Datum, Line};
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
    let condition = condition_cell(line, condition)?;
    line.fill(|_, column| {
        Ok(match column.key {
            "condition_id" => condition.clone().map_or(Out::Empty, Out::Text),
            _ => Out::Empty,
        })
    })
}

/// [`row`], from the input itself rather than its JSON value.
pub(super) fn row_of(line: &mut Line, e: &ExchangeInput) -> Result<()> {
    line.digits = value::minor_digits(e.currency.as_deref());
    let condition = condition_cell(line, e.condition_id)?;
    line.fill_from(
        |key| field(e, key),
        |_, column| {
            Ok(match column.key {
                "condition_id" => condition.clone().map_or(Out::Empty, Out::Text),
                _ => Out::Empty,
            })
        },
    )
}

/// The field of the JSON input's key `key`, as [`Line::one`] reads it there.
fn field<'a>(e: &'a ExchangeInput, key: &str) -> Datum<'a> {
    let id = |id: Option<Uuid>| id.map_or(Datum::Null, Datum::Id);
    let text = |text: &'a Option<String>| text.as_deref().map_or(Datum::Null, Datum::Str);
    let int = |n: Option<i64>| n.map_or(Datum::Null, Datum::Int);
    match key {
        "person_id" => id(e.person_id),
        "direction" => Datum::Str(e.direction.as_str()),
        "category" => Datum::Str(e.category.as_str()),
        "programme" => Datum::Str(e.programme.as_str()),
        "home_id" => id(e.home_id),
        "host_id" => id(e.host_id),
        "unit_id" => id(e.unit_id),
        "agreement_id" => id(e.agreement_id),
        "condition_id" => id(e.condition_id),
        "academic_year" => int(e.academic_year),
        "planned_start" => text(&e.planned_start),
        "planned_end" => text(&e.planned_end),
        "actual_start" => text(&e.actual_start),
        "actual_end" => text(&e.actual_end),
        "level" => e.level.map_or(Datum::Null, |l| Datum::Str(l.as_str())),
        "field" => text(&e.field),
        "language" => text(&e.language),
        "cefr" => e.cefr.map_or(Datum::Null, |c| Datum::Str(c.as_str())),
        "funding" => text(&e.funding),
        "amount" => int(e.amount),
        "currency" => text(&e.currency),
        "status" => Datum::Str(e.status.as_str()),
        "cohort" => text(&e.cohort),
        "notes" => text(&e.notes),
        _ => Datum::Null,
    }
}

/// The cell of the condition `id` an exchange counts against, described once per export.
fn condition_cell(line: &mut Line, id: Option<Uuid>) -> Result<Option<String>> {
    Ok(match id {
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::Rows;
    use crate::kinds::{Cefr, Direction, ExchangeCategory, ExchangeStatus, Level, Programme};
    use crate::label::UiLang;
    use crate::records::exchange;
    use crate::workspace;

    #[test]
    fn an_exchange_makes_the_same_row_from_its_input_as_from_its_json() {
        let conn = workspace::demo_database();
        let ids: Vec<Uuid> = conn
            .prepare("SELECT id FROM exchange ORDER BY id")
            .expect("statement")
            .query_map([], |r| r.get(0))
            .expect("ids")
            .collect::<rusqlite::Result<_>>()
            .expect("ids");
        let mut inputs: Vec<(Uuid, ExchangeInput)> =
            ids.iter().map(|id| (*id, exchange::get(&conn, *id).expect("read").input)).collect();
        // Every field filled (from the demo's exchanges that have it), then odd values, and every word of
        // each vocabulary.
        let mut full = inputs[0].1.clone();
        for (_, e) in &inputs {
            macro_rules! fill {
                ($($f:ident),+) => { $(if full.$f.is_none() { full.$f = e.$f.clone(); })+ };
            }
            fill!(person_id, home_id, host_id, unit_id, agreement_id, condition_id, academic_year);
            fill!(planned_start, planned_end, actual_start, actual_end, level, field, language, cefr);
            fill!(funding, amount, currency, cohort, notes);
        }
        let defaults = |f: &mut ExchangeInput| {
            f.planned_end.get_or_insert_with(|| "2026-06-30".into());
            f.actual_start.get_or_insert_with(|| "2025-09-02".into());
            f.actual_end.get_or_insert_with(|| "2026-06-28".into());
            f.level.get_or_insert(Level::ALL[0]);
            f.cefr.get_or_insert(Cefr::ALL[0]);
            f.funding.get_or_insert_with(|| "CSC".into());
            f.amount.get_or_insert(135_050);
            f.currency.get_or_insert_with(|| "EUR".into());
            f.cohort.get_or_insert_with(|| "Tongji 2026".into());
            f.notes.get_or_insert_with(|| "=1+2\nsecond line".into());
            f.field.get_or_insert_with(|| "0421".into());
            f.language.get_or_insert_with(|| "zh-Hans".into());
        };
        defaults(&mut full);
        let unit: Uuid = conn
            .query_row("SELECT id FROM partner WHERE country = 'FR' ORDER BY id LIMIT 1", [], |r| r.get(0))
            .expect("a Lyon unit");
        full.unit_id.get_or_insert(unit);
        let json = serde_json::to_value(&full).expect("json");
        for column in COLUMNS.iter().filter(|c| c.plain && c.key != "id") {
            assert!(!json[column.key].is_null(), "{} is filled", column.key);
        }
        inputs.push((Uuid::new_v4(), full.clone()));
        let odd = ExchangeInput {
            person_id: Some(Uuid::new_v4()),
            agreement_id: Some(Uuid::new_v4()),
            condition_id: Some(Uuid::new_v4()),
            academic_year: Some(-1),
            planned_start: Some("not a date".into()),
            planned_end: Some("31/12/2025".into()),
            field: Some("Santé".into()),
            amount: Some(-5),
            currency: Some("JPY".into()),
            notes: Some(String::new()),
            direction: Direction::from_stored("sideways"),
            level: Some(Level::from_stored("none")),
            ..full.clone()
        };
        inputs.push((Uuid::new_v4(), odd));
        let words =
            [Direction::ALL.len(), ExchangeCategory::ALL.len(), Programme::ALL.len(), Level::ALL.len()]
                .into_iter()
                .chain([Cefr::ALL.len(), ExchangeStatus::ALL.len()])
                .max()
                .unwrap_or(0);
        for i in 0..words {
            let mut e = full.clone();
            e.direction = Direction::ALL[i % Direction::ALL.len()];
            e.category = ExchangeCategory::ALL[i % ExchangeCategory::ALL.len()];
            e.programme = Programme::ALL[i % Programme::ALL.len()];
            e.level = Some(Level::ALL[i % Level::ALL.len()]);
            e.cefr = Some(Cefr::ALL[i % Cefr::ALL.len()]);
            e.status = ExchangeStatus::ALL[i % ExchangeStatus::ALL.len()];
            inputs.push((Uuid::new_v4(), e));
        }
        for lang in [UiLang::En, UiLang::Fr] {
            let (mut typed, mut from_json) = (Rows::new(&conn, lang), Rows::new(&conn, lang));
            for (id, input) in &inputs {
                let json = serde_json::to_value(input).expect("json");
                assert_eq!(
                    typed.exchange_row(*id, input).expect("row"),
                    from_json.row_from(RecordKind::Exchange, *id, json).expect("row"),
                    "{input:?}"
                );
            }
        }
    }
}
