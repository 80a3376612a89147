//! A contact's columns: names, e-mails, phones and languages, and the affiliation flattened to the
//! organisation, role and dates of the first one, the others as entries (`organisation | role | start | end`).

use serde_json::{json, Value};

use crate::error::Result;
use crate::table::Cell;

use super::cells::{entries_text, Cells};
use super::row::Line;
use super::ValueKind::{self as V, Reference};
use super::{value, Column, Out, Problem, RecordKind, ID};

const AFFILIATION_KEYS: [&str; 5] = ["organisation", "role", "start_date", "end_date", "other_affiliations"];

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("name", "Full name", "Nom complet", V::Text).own().also(&[
        "Name",
        "Nom et prénom",
        "Prénom et nom",
        "Person",
        "Personne",
        "姓名",
        "氏名",
    ]),
    Column::new("given_name", "Given name", "Prénom", V::Text).also(&["First name", "Forename", "名"]),
    Column::new("family_name", "Family name", "Nom de famille", V::Text).also(&[
        "Last name",
        "Surname",
        "Nom",
        "Nom d'usage",
        "姓",
    ]),
    Column::new("native_name", "Name in native script", "Nom dans l’écriture d’origine", V::Text).also(&[
        "Native name",
        "Nom d'origine",
        "中文名",
        "漢字",
    ]),
    Column::new("title", "Title", "Civilité / titre", V::Text).also(&["Civilité", "Titre", "Honorific"]),
    Column::new("emails", "E-mails", "E-mails", V::Email).many().also(&[
        "E-mail",
        "Email",
        "Mail",
        "Courriel",
        "Adresse e-mail",
        "邮箱",
        "メール",
    ]),
    Column::new("phones", "Phones", "Téléphones", V::Phone).many().also(&[
        "Phone",
        "Téléphone",
        "Tel",
        "Tél",
        "Mobile",
        "电话",
        "電話",
    ]),
    Column::new("languages", "Languages", "Langues", V::Language).many().also(&["Language", "Langue"]),
    Column::new("organisation", "Organisation", "Organisation", Reference(RecordKind::Partner)).own().also(
        &[
            "Organization",
            "Institution",
            "Établissement",
            "Affiliation",
            "University",
            "Université",
            "单位",
            "所属",
        ],
    ),
    Column::new("role", "Role", "Fonction", V::Text).own().also(&[
        "Position",
        "Poste",
        "Job title",
        "Rôle",
        "职务",
        "役職",
    ]),
    Column::new("start_date", "Start date", "Date de début", V::Date).own().also(&["Since", "Depuis"]),
    Column::new("end_date", "End date", "Date de fin", V::Date).own().also(&["Until", "Jusqu'au"]),
    Column::new("other_affiliations", "Other affiliations", "Autres rattachements", V::Entries)
        .own()
        .form("organisation | role | start date | end date"),
    Column::new("notes", "Notes", "Notes", V::Text).also(&["Note", "Comments", "Commentaires", "Remarques"]),
];

/// A full name split as a person reads it: a name in Chinese or Japanese script is the native name; a word
/// in capitals is the family name ("Wei WANG", "WANG Wei"); "Family, Given"; else the last word is the family
/// name.
fn split_name(full: &str) -> (Option<String>, Option<String>, Option<String>) {
    let full = full.trim();
    if full.chars().any(crate::text::is_cjk) {
        return (None, None, Some(full.to_owned()));
    }
    if let Some((family, given)) = full.split_once(',') {
        return (
            Some(given.trim().to_owned()).filter(|g| !g.is_empty()),
            Some(family.trim().to_owned()),
            None,
        );
    }
    let words: Vec<&str> = full.split_whitespace().collect();
    let capital =
        |w: &&str| w.chars().filter(|c| c.is_alphabetic()).count() > 1 && !w.chars().any(char::is_lowercase);
    let (family, given): (Vec<&str>, Vec<&str>) = if words.iter().any(capital) && !words.iter().all(capital) {
        words.iter().copied().partition(|w| capital(w))
    } else {
        match words.split_last() {
            Some((last, rest)) => (vec![*last], rest.to_vec()),
            None => (Vec::new(), Vec::new()),
        }
    };
    let join = |w: Vec<&str>| Some(w.join(" ")).filter(|t| !t.is_empty());
    (join(given), join(family), None)
}

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.plain()?;
    // A full name fills the name fields only when the file has none of them.
    if !["given_name", "family_name", "native_name"].iter().any(|k| c.mapped(k)) {
        if let Some(full) = c.text("name") {
            let (given, family, native) = split_name(&full);
            c.set("given_name", json!(given));
            c.set("family_name", json!(family));
            c.set("native_name", json!(native));
        }
    }
    if !AFFILIATION_KEYS.iter().any(|k| c.mapped(k)) {
        return Ok(());
    }
    let mut affiliations: Vec<Value> = Vec::new();
    if let Some(org) = c.text("organisation") {
        if let Some(id) = c.reference("organisation", RecordKind::Partner, &org)? {
            let date = |c: &mut Cells, key: &str| {
                c.parse(key, value::date).map(|d| d.format("%Y-%m-%d").to_string())
            };
            let (start, end) = (date(c, "start_date"), date(c, "end_date"));
            affiliations.push(
                json!({ "partner_id": id, "role": c.text("role"), "start_date": start, "end_date": end }),
            );
        }
    } else if c.text("role").is_some() || c.text("start_date").is_some() {
        c.problem(
            "organisation",
            Problem::new(
                "affiliation_needs_organisation",
                "a role or a date needs the organisation it is at: fill the Organisation column",
            ),
        );
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
    let affiliations: Vec<Value> =
        line.input.get("affiliations").and_then(Value::as_array).cloned().unwrap_or_default();
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut first: Option<(String, Value)> = None;
    let mut others = Vec::new();
    for a in &affiliations {
        let name =
            match a.get("partner_id").and_then(Value::as_str).and_then(|p| uuid::Uuid::parse_str(p).ok()) {
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
    let full: String = line
        .conn()
        .prepare_cached("SELECT name FROM contact_summary WHERE id = ?1")?
        .query_row(rusqlite::params![line.id], |r| r.get(0))
        .unwrap_or_default();
    line.fill(|line, column| {
        if column.key == "name" {
            return Ok(if full.is_empty() { Out::Empty } else { Out::Text(full.clone()) });
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_name_is_split_as_a_person_reads_it() {
        let split = |t: &str| split_name(t);
        assert_eq!(split("Wei WANG"), (Some("Wei".into()), Some("WANG".into()), None));
        assert_eq!(split("WANG Wei"), (Some("Wei".into()), Some("WANG".into()), None));
        assert_eq!(split("Dupont, Marie"), (Some("Marie".into()), Some("Dupont".into()), None));
        assert_eq!(split("Marie-Claire Dupont"), (Some("Marie-Claire".into()), Some("Dupont".into()), None));
        assert_eq!(split("田中 花子"), (None, None, Some("田中 花子".into())));
        assert_eq!(split("王伟"), (None, None, Some("王伟".into())));
    }
}
