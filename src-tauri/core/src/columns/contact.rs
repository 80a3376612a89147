//! A contact's columns: names, e-mails, phones and languages, and the affiliation flattened to the
//! organisation, role and dates of the first one, the others as entries (`organisation | role | start | end`).

use serde_json::{json, Value};

use crate::error::Result;
use crate::table::Cell;

use super::cells::{entries_text, Cells};
use super::row::Line;
use super::ValueKind::{self as V, Reference};
use super::{value, Column, Out, RecordKind, ID};

const AFFILIATION_KEYS: [&str; 5] = ["organisation", "role", "start_date", "end_date", "other_affiliations"];

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("given_name", "Given name", "Prénom", V::Text).also(&["First name", "Forename", "名"]),
    Column::new("family_name", "Family name", "Nom de famille", V::Text)
        .also(&["Last name", "Surname", "Nom", "Nom d'usage", "姓"]),
    Column::new("native_name", "Name in native script", "Nom dans l’écriture d’origine", V::Text)
        .also(&["Native name", "Nom d'origine", "中文名", "漢字"]),
    Column::new("title", "Title", "Civilité / titre", V::Text).also(&["Civilité", "Titre", "Honorific"]),
    Column::new("emails", "E-mails", "E-mails", V::Email).many().also(&["E-mail", "Email", "Mail", "Courriel", "Adresse e-mail", "邮箱", "メール"]),
    Column::new("phones", "Phones", "Téléphones", V::Phone).many().also(&["Phone", "Téléphone", "Tel", "Tél", "Mobile", "电话", "電話"]),
    Column::new("languages", "Languages", "Langues", V::Language).many().also(&["Language", "Langue"]),
    Column::new("organisation", "Organisation", "Organisation", Reference(RecordKind::Partner)).own().also(&[
        "Organization",
        "Institution",
        "Établissement",
        "Affiliation",
        "University",
        "Université",
        "单位",
        "所属",
    ]),
    Column::new("role", "Role", "Fonction", V::Text).own().also(&["Position", "Poste", "Job title", "Rôle", "职务", "役職"]),
    Column::new("start_date", "Start date", "Date de début", V::Date).own().also(&["Since", "Depuis"]),
    Column::new("end_date", "End date", "Date de fin", V::Date).own().also(&["Until", "Jusqu'au"]),
    Column::new("other_affiliations", "Other affiliations", "Autres rattachements", V::Entries)
        .own()
        .form("organisation | role | start date | end date"),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.plain()?;
    if !AFFILIATION_KEYS.iter().any(|k| c.mapped(k)) {
        return Ok(());
    }
    let mut affiliations: Vec<Value> = Vec::new();
    if let Some(org) = c.text("organisation") {
        if let Some(id) = c.reference("organisation", RecordKind::Partner, &org)? {
            let date = |c: &mut Cells, key: &str| c.parse(key, value::date).map(|d| d.format("%Y-%m-%d").to_string());
            let (start, end) = (date(c, "start_date"), date(c, "end_date"));
            affiliations.push(json!({ "partner_id": id, "role": c.text("role"), "start_date": start, "end_date": end }));
        }
    } else if c.text("role").is_some() || c.text("start_date").is_some() {
        c.problem("organisation", "a role or a date needs the organisation it is at: fill the Organisation column");
    }
    for parts in c.entries("other_affiliations").unwrap_or_default() {
        let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
        let Some(id) = c.reference("other_affiliations", RecordKind::Partner, &part(0))? else { continue };
        let mut date = |i: usize| -> Option<String> {
            let text = part(i);
            if text.is_empty() {
                return None;
            }
            match value::date(&Cell::Text(text)) {
                Ok(d) => Some(d.format("%Y-%m-%d").to_string()),
                Err(e) => {
                    c.problem("other_affiliations", e);
                    None
                }
            }
        };
        let (start, end) = (date(2), date(3));
        let role = Some(part(1)).filter(|r| !r.is_empty());
        affiliations.push(json!({ "partner_id": id, "role": role, "start_date": start, "end_date": end }));
    }
    c.set("affiliations", Value::Array(affiliations));
    Ok(())
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    let affiliations: Vec<Value> = line.input.get("affiliations").and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut first: Option<(String, Value)> = None;
    let mut others = Vec::new();
    for a in &affiliations {
        let name = match a.get("partner_id").and_then(Value::as_str).and_then(|p| uuid::Uuid::parse_str(p).ok()) {
            Some(id) => line.name(RecordKind::Partner, id)?,
            None => continue,
        };
        if first.is_none() {
            first = Some((name, a.clone()));
        } else {
            others.push(vec![name, text(a.get("role")), text(a.get("start_date")), text(a.get("end_date"))]);
        }
    }
    let others = entries_text(&others);
    line.fill(|line, column| {
        let Some((name, a)) = &first else { return Ok(Out::Empty) };
        Ok(match column.key {
            "organisation" => Out::Text(name.clone()),
            "role" => line.one(V::Text, a.get("role").unwrap_or(&Value::Null))?,
            "start_date" => line.one(V::Date, a.get("start_date").unwrap_or(&Value::Null))?,
            "end_date" => line.one(V::Date, a.get("end_date").unwrap_or(&Value::Null))?,
            "other_affiliations" if !others.is_empty() => Out::Text(others.clone()),
            _ => Out::Empty,
        })
    })
}
