//! A call's columns: its dates as date-times on the clock of its time zone, its eligibility rules
//! flattened to four columns, its criteria as entries (`name | weight | max score | threshold`), its amounts
//! in the currency's major unit.

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::error::Result;
use crate::table::Cell;

use super::cells::{entries_text, Cells};
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{value, Column, Out, Problem, RecordKind, Vocab, ID};

const MOMENTS: [&str; 3] = ["opens_at", "deadline_at", "results_at"];
const RULES: [&str; 4] = ["min_partners", "min_countries", "required_zones", "lyon_lead_required"];

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("code", "Reference", "Référence", V::Text).also(&["Code", "Call code", "Ref"]),
    Column::new("title", "Title", "Intitulé", V::Text)
        .mandatory()
        .also(&["Call", "Appel", "Name", "Nom", "Titre"]),
    Column::new("programme", "Programme", "Programme", V::Text).also(&["Program", "Dispositif"]),
    Column::new("funder_id", "Funder", "Financeur", Reference(RecordKind::Partner))
        .also(&["Funding body", "Bailleur"]),
    Column::new("opens_at", "Opens", "Ouverture", V::Moment).own().also(&[
        "Opening",
        "Opening date",
        "Date d'ouverture",
    ]),
    Column::new("deadline_at", "Deadline", "Date limite", V::Moment).own().also(&[
        "Closing date",
        "Clôture",
        "Date de clôture",
    ]),
    Column::new("results_at", "Results", "Résultats", V::Moment)
        .own()
        .also(&["Results date", "Date des résultats"]),
    Column::new("time_zone", "Time zone", "Fuseau horaire", V::TimeZone).also(&["Timezone", "Fuseau"]),
    Column::new("budget", "Budget", "Budget", V::Amount).also(&["Total budget", "Enveloppe"]),
    Column::new("max_award", "Maximum award", "Montant maximal par projet", V::Amount)
        .also(&["Max award", "Plafond"]),
    Column::new("currency", "Currency", "Devise", V::Currency).also(&["Monnaie"]),
    Column::new("min_partners", "Minimum organisations", "Organisations minimum", V::Integer).own(),
    Column::new("min_countries", "Minimum countries", "Pays minimum", V::Integer).own(),
    Column::new("required_zones", "Required zones", "Zones requises", Vocabulary(Vocab::Zone)).own().many(),
    Column::new("lyon_lead_required", "Lyon lead", "Porteur lyonnais", V::YesNo).own(),
    Column::new("criteria", "Evaluation criteria", "Critères d’évaluation", V::Entries)
        .own()
        .form("name | weight | maximum score | threshold")
        .also(&["Criteria", "Critères"]),
    Column::new("status", "Status", "Statut", Vocabulary(Vocab::CallStatus)),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

fn existing(c: &Cells) -> Result<Option<crate::records::call::CallInput>> {
    match c.get("id").and_then(Value::as_str).and_then(|i| Uuid::parse_str(i).ok()) {
        Some(id) if crate::store::live(c.resolver.conn(), "call", id)? => {
            Ok(Some(crate::records::call::get(c.resolver.conn(), id)?.input))
        }
        _ => Ok(None),
    }
}

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.digits = super::exchange::digits_of(c, "call")?;
    c.plain()?;
    let existing = existing(c)?;
    let zone = if c.mapped("time_zone") {
        c.get("time_zone").and_then(Value::as_str).map(str::to_owned)
    } else {
        existing.as_ref().and_then(|e| e.time_zone.clone())
    };
    for key in MOMENTS {
        if c.mapped(key) {
            let moment = c.parse(key, |cell| value::moment(cell, zone.as_deref())).map(|m| m.to_rfc3339());
            c.set(key, moment.map_or(Value::Null, Value::String));
        }
    }
    if RULES.iter().any(|k| c.mapped(k)) {
        let mut rules: Map<String, Value> = match existing.as_ref().map(|e| serde_json::to_value(&e.rules)) {
            Some(Ok(Value::Object(m))) => m,
            _ => Map::new(),
        };
        for key in ["min_partners", "min_countries"] {
            if c.mapped(key) {
                rules.insert(key.into(), c.parse(key, value::integer).map_or(Value::Null, |n| json!(n)));
            }
        }
        if c.mapped("required_zones") {
            let mut zones = Vec::new();
            for item in value::items(&c.text("required_zones").unwrap_or_default(), true) {
                match Vocab::Zone.parse(&item) {
                    Some(z) => zones.push(json!(z)),
                    None => c.problem("required_zones", Problem::vocabulary(Vocab::Zone, &item)),
                }
            }
            rules.insert("required_zones".into(), Value::Array(zones));
        }
        if c.mapped("lyon_lead_required") {
            rules.insert(
                "lyon_lead_required".into(),
                json!(c.parse("lyon_lead_required", value::yes_no).unwrap_or(false)),
            );
        }
        c.set("rules", Value::Object(rules));
    }
    if c.mapped("criteria") {
        let mut criteria = Vec::new();
        for parts in c.entries("criteria").unwrap_or_default() {
            let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
            let mut number = |i: usize, what: &str| -> Option<f64> {
                if part(i).is_empty() {
                    return None;
                }
                match value::number(&Cell::Text(part(i))) {
                    Ok(n) => Some(n),
                    Err(e) => {
                        let message = format!("{what} of “{}”: {e}", part(0));
                        let problem = Problem::new("criterion_value", message)
                            .with("criterion", part(0))
                            .with("value", part(i));
                        c.problem("criteria", problem);
                        None
                    }
                }
            };
            let (weight, max_score, threshold) =
                (number(1, "weight"), number(2, "maximum score"), number(3, "threshold"));
            match (weight, max_score) {
                (Some(weight), Some(max_score)) => {
                    criteria.push(json!({ "name": part(0), "weight": weight, "max_score": max_score, "threshold": threshold }))
                }
                _ => c.problem(
                    "criteria",
                    Problem::new(
                        "criterion_incomplete",
                        format!("the criterion “{}” needs a weight and a maximum score: name | weight | maximum score | threshold", part(0)),
                    )
                    .with("criterion", part(0)),
                ),
            }
        }
        c.set("criteria", Value::Array(criteria));
    }
    Ok(())
}

/// A moment as a date-time cell on its own clock when the call's time zone reads it back the same, else as
/// its RFC 3339 text.
fn moment_out(stored: Option<&str>, zone: Option<&str>) -> Out {
    let Some(stored) = stored else { return Out::Empty };
    match value::local_time(stored) {
        Some(local) => {
            let back = value::moment(&Cell::DateTime(local), zone).ok();
            let same = chrono::DateTime::parse_from_rfc3339(stored).ok();
            if back.is_some()
                && back.map(|b| (b, b.offset().local_minus_utc()))
                    == same.map(|s| (s, s.offset().local_minus_utc()))
            {
                Out::DateTime(local)
            } else {
                Out::Text(stored.to_owned())
            }
        }
        None => Out::Text(stored.to_owned()),
    }
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    line.digits = value::minor_digits(line.str("currency").as_deref());
    let zone = line.str("time_zone");
    let rules = line.input.get("rules").cloned().unwrap_or(Value::Null);
    let criteria: Vec<Vec<String>> = line
        .input
        .get("criteria")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|k| {
            let num = |f: &str| k.get(f).and_then(Value::as_f64).map(|n| n.to_string()).unwrap_or_default();
            vec![
                k.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
                num("weight"),
                num("max_score"),
                num("threshold"),
            ]
        })
        .collect();
    line.fill(|line, column| {
        Ok(match column.key {
            k if MOMENTS.contains(&k) => moment_out(line.str(k).as_deref(), zone.as_deref()),
            "min_partners" | "min_countries" => {
                line.one(V::Integer, rules.get(column.key).unwrap_or(&Value::Null))?
            }
            "required_zones" => line.plain(column, rules.get("required_zones").unwrap_or(&Value::Null))?,
            "lyon_lead_required" => {
                line.one(V::YesNo, rules.get("lyon_lead_required").unwrap_or(&Value::Null))?
            }
            "criteria" if !criteria.is_empty() => Out::Text(entries_text(&criteria)),
            _ => Out::Empty,
        })
    })
}
