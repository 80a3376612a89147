//! An agreement's columns. Its parties are written three ways: "Partner" (the organisations other than the
//! home side) and "Home institution" for a person to read and write, and "Parties" as entries
//! (`organisation | role | signature date | unit | signed by`) for every detail. A row that fills Parties
//! takes its parties from it; otherwise from Partner, with Home institution (by default the workspace's home
//! institution, [`super::home_institution`]) as the other party. Conditions are entries too.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::Result;
use crate::records::agreement::{AgreementInput, PartyInput};
use crate::table::Cell;

use super::cells::{entries_text, Cells};
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{value, Column, Out, Problem, RecordKind, Vocab, ID};

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("code", "Reference", "Référence", V::Text).also(&["Code", "Agreement code", "Ref", "Numéro"]),
    Column::new("title", "Title", "Intitulé", V::Text).mandatory().also(&["Agreement", "Accord", "Name", "Nom", "Titre", "Objet"]),
    Column::new("kind", "Kind", "Type", Vocabulary(Vocab::AgreementKind)).mandatory().also(&["Type of agreement", "Type d'accord", "Nature"]),
    Column::new("status", "Status", "Statut", Vocabulary(Vocab::AgreementStatus)),
    Column::new("partner", "Partner", "Partenaire", Reference(RecordKind::Partner))
        .own()
        .many()
        .also(&["Partner institution", "Partner university", "Établissement partenaire", "Université partenaire", "Partners", "合作院校"]),
    Column::new("home", "Home institution", "Établissement lyonnais", Reference(RecordKind::Partner))
        .own()
        .also(&["Lyon institution", "Établissement d'origine", "Home"]),
    Column::new("parties", "Parties", "Parties", V::Entries)
        .own()
        .form("organisation | role | signature date | unit | signed by"),
    Column::new("parent_id", "Framework agreement", "Accord-cadre de rattachement", Reference(RecordKind::Agreement))
        .also(&["Parent agreement", "Accord-cadre"]),
    Column::new("signed_date", "Signature date", "Date de signature", V::Date).also(&["Signed", "Signed on", "Signé le", "签署日期"]),
    Column::new("start_date", "Start date", "Date d’entrée en vigueur", V::Date).also(&["Start", "Début", "Date de début", "Valid from"]),
    Column::new("end_date", "End date", "Date d’échéance", V::Date).also(&["End", "Fin", "Date de fin", "Expiry", "Expiration", "Valid until"]),
    Column::new("auto_renewal", "Automatic renewal", "Reconduction tacite", V::YesNo).also(&["Renewal", "Reconduction", "Tacit renewal"]),
    Column::new("notice_months", "Notice period (months)", "Préavis (mois)", V::Integer).also(&["Notice", "Préavis"]),
    Column::new("fields", "Fields", "Domaines", V::Field).many().also(&["Field", "Domaine", "ISCED", "Disciplines"]),
    Column::new("conditions", "Cooperation conditions", "Conditions de coopération", V::Entries)
        .own()
        .form("mobility type | sending | receiving | places | months | levels | languages (en B2) | first year | last year")
        .also(&["Conditions"]),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

fn existing(c: &Cells) -> Result<Option<AgreementInput>> {
    match c.get("id").and_then(Value::as_str).and_then(|i| Uuid::parse_str(i).ok()) {
        Some(id) if crate::store::live(c.resolver.conn(), "agreement", id)? => {
            let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
            Ok(Some(crate::records::agreement::get(c.resolver.conn(), id, day)?.input))
        }
        _ => Ok(None),
    }
}

fn date_part(c: &mut Cells, key: &str, text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    match value::date(&Cell::Text(text.to_owned())) {
        Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
        Err(e) => {
            c.problem(key, e);
            None
        }
    }
}

fn optional_ref(c: &mut Cells, key: &str, kind: RecordKind, text: &str) -> Result<Option<Uuid>> {
    if text.is_empty() {
        Ok(None)
    } else {
        c.reference(key, kind, text)
    }
}

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.plain()?;
    let existing = existing(c)?;
    let parties = parties(c, existing.as_ref())?;
    if let Some(parties) = parties {
        c.set("parties", json!(parties));
    }
    if c.mapped("conditions") {
        let mut conditions = Vec::new();
        for parts in c.entries("conditions").unwrap_or_default() {
            if let Some(condition) = condition(c, &parts)? {
                conditions.push(condition);
            }
        }
        c.set("conditions", Value::Array(conditions));
    }
    Ok(())
}

/// The parties from Parties, else from Partner and Home institution; `None` when the file has none of them.
fn parties(c: &mut Cells, existing: Option<&AgreementInput>) -> Result<Option<Vec<PartyInput>>> {
    let named = |c: &mut Cells, key: &str| -> Result<Vec<Uuid>> {
        let mut ids = Vec::new();
        for item in value::items(&c.text(key).unwrap_or_default(), false) {
            if let Some(id) = c.reference(key, RecordKind::Partner, &item)? {
                ids.push(id);
            }
        }
        Ok(ids)
    };
    let partners = named(c, "partner")?;
    let home = named(c, "home")?;
    if let Some(entries) = c.entries("parties") {
        let mut parties = Vec::new();
        for parts in entries {
            let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
            let Some(partner_id) = c.reference("parties", RecordKind::Partner, &part(0))? else { continue };
            parties.push(PartyInput {
                id: None,
                partner_id: Some(partner_id),
                role: Some(part(1)).filter(|r| !r.is_empty()),
                signed_date: date_part(c, "parties", &part(2)),
                unit_id: optional_ref(c, "parties", RecordKind::Partner, &part(3))?,
                signatory_id: optional_ref(c, "parties", RecordKind::Contact, &part(4))?,
            });
        }
        for (key, ids) in [("partner", &partners), ("home", &home)] {
            if ids.iter().any(|id| !parties.iter().any(|p| p.partner_id == Some(*id))) {
                c.problem(
                    key,
                    Problem::new(
                        "party_not_listed",
                        "names an organisation the Parties column does not list; change both, or empty Parties",
                    ),
                );
            }
        }
        return Ok(Some(parties));
    }
    if !c.mapped("partner") && !c.mapped("home") {
        return Ok(None);
    }
    let home = match home.first() {
        Some(home) => Some(*home),
        None if c.text("home").is_some() => None,
        None => {
            let home = c.resolver.home()?;
            if home.is_none() && !partners.is_empty() {
                c.problem(
                    if c.mapped("home") { "home" } else { "partner" },
                    Problem::new(
                        "home_unknown",
                        "the workspace's home institution is not known yet (no agreement names an organisation in France): fill the Home institution column",
                    ),
                );
            }
            home
        }
    };
    let mut parties: Vec<PartyInput> = Vec::new();
    for id in home.into_iter().chain(partners) {
        if parties.iter().any(|p| p.partner_id == Some(id)) {
            continue;
        }
        // A party the agreement already has keeps its role, dates, unit and signatory.
        let kept = existing.and_then(|e| e.parties.iter().find(|p| p.partner_id == Some(id)));
        parties.push(match kept {
            Some(p) => PartyInput { id: None, ..p.clone() },
            None => PartyInput {
                id: None,
                partner_id: Some(id),
                unit_id: None,
                role: None,
                signatory_id: None,
                signed_date: None,
            },
        });
    }
    Ok(Some(parties))
}

/// `mobility | sending | receiving | places | months | levels | languages | first year | last year`.
fn condition(c: &mut Cells, parts: &[String]) -> Result<Option<Value>> {
    let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
    let Some(mobility) = Vocab::MobilityType.parse(&part(0)) else {
        c.problem("conditions", Problem::vocabulary(Vocab::MobilityType, &part(0)));
        return Ok(None);
    };
    let sending = optional_ref(c, "conditions", RecordKind::Partner, &part(1))?;
    let receiving = optional_ref(c, "conditions", RecordKind::Partner, &part(2))?;
    let mut number = |i: usize, year: bool| -> Option<i64> {
        let text = part(i);
        if text.is_empty() {
            return None;
        }
        let cell = Cell::Text(text);
        let read = if year { value::academic_year(&cell) } else { value::integer(&cell) };
        match read {
            Ok(n) => Some(n),
            Err(e) => {
                c.problem("conditions", e);
                None
            }
        }
    };
    let (places, months, first_year, last_year) =
        (number(3, false), number(4, false), number(7, true), number(8, true));
    let mut levels = Vec::new();
    for item in value::items(&part(5), true) {
        match Vocab::Level.parse(&item) {
            Some(level) => levels.push(level),
            None => c.problem(
                "conditions",
                Problem::new("not_a_level", format!("“{item}” is not a level; write EQF 6, EQF 7…"))
                    .with("value", item.as_str()),
            ),
        }
    }
    let mut languages = Vec::new();
    for item in value::items(&part(6), true) {
        let (lang, cefr) = item.rsplit_once([' ', ':']).unwrap_or((item.as_str(), ""));
        match Vocab::Cefr.parse(cefr) {
            Some(cefr) => languages.push(json!({ "lang": value::language(lang), "cefr": cefr })),
            None => c.problem(
                "conditions",
                Problem::new(
                    "not_a_language_level",
                    format!("“{item}” is not a language with its level, such as en B2"),
                )
                .with("value", item.as_str()),
            ),
        }
    }
    Ok(Some(json!({
        "mobility": mobility,
        "sending_id": sending,
        "receiving_id": receiving,
        "places": places,
        "months": months,
        "levels": levels,
        "languages": languages,
        "first_year": first_year,
        "last_year": last_year,
    })))
}

/// Whether the organisation `id` is on the home side: in France.
fn is_home(line: &Line, id: Uuid) -> bool {
    line.conn()
        .query_row("SELECT country = 'FR' FROM partner WHERE id = ?1", rusqlite::params![id], |r| {
            r.get::<_, Option<bool>>(0)
        })
        .ok()
        .flatten()
        .unwrap_or(false)
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    let input: AgreementInput = serde_json::from_value(line.input.clone())?;
    let lang = line.lang();
    let mut home = None;
    let mut partners = Vec::new();
    let mut parties = Vec::new();
    for p in &input.parties {
        let Some(id) = p.partner_id else { continue };
        let name = line.name(RecordKind::Partner, id)?;
        if home.is_none() && is_home(line, id) {
            home = Some(name.clone());
        } else {
            partners.push(name.clone());
        }
        let unit = match p.unit_id {
            Some(u) => line.name(RecordKind::Partner, u)?,
            None => String::new(),
        };
        let signatory = match p.signatory_id {
            Some(s) => line.name(RecordKind::Contact, s)?,
            None => String::new(),
        };
        parties.push(vec![
            name,
            p.role.clone().unwrap_or_default(),
            p.signed_date.clone().unwrap_or_default(),
            unit,
            signatory,
        ]);
    }
    let mut conditions = Vec::new();
    for k in &input.conditions {
        let org = |line: &mut Line, id: Option<Uuid>| -> Result<String> {
            Ok(match id {
                Some(id) => line.name(RecordKind::Partner, id)?,
                None => String::new(),
            })
        };
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        conditions.push(vec![
            Vocab::MobilityType.label(k.mobility.as_str(), lang),
            org(line, k.sending_id)?,
            org(line, k.receiving_id)?,
            number(k.places),
            number(k.months),
            k.levels.iter().map(|l| Vocab::Level.label(l.as_str(), lang)).collect::<Vec<_>>().join(", "),
            k.languages
                .iter()
                .map(|l| format!("{} {}", l.lang, l.cefr.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            number(k.first_year),
            number(k.last_year),
        ]);
    }
    let text = |t: String| if t.is_empty() { Out::Empty } else { Out::Text(t) };
    let (partners, home, parties, conditions) =
        (partners.join("; "), home.unwrap_or_default(), entries_text(&parties), entries_text(&conditions));
    line.fill(|_, column| {
        Ok(match column.key {
            "partner" => text(partners.clone()),
            "home" => text(home.clone()),
            "parties" => text(parties.clone()),
            "conditions" => text(conditions.clone()),
            _ => Out::Empty,
        })
    })
}
