//! Header recognition: a file's header matches a column by the column's key or its English or French
//! label, or a common synonym, case, accents, punctuation and surrounding spaces aside (`Nom`, `Pays`,
//! `Site web`, `Date de signature`); manual `Column=field` mappings override it; headers that match nothing
//! are listed, never a reason to refuse a file. Also guesses the kind of record from the headers.

use serde::Serialize;

use crate::error::{Error, FieldError, Result};
use crate::label::UiLang;
use crate::text::fold;

use super::{columns, Column, RecordKind, ValueKind};

/// The form headers and words are compared in: folded (lower case, accents removed), every run of
/// punctuation and spaces made one space, trimmed. "Date d’entrée en vigueur" → "date d entree en vigueur".
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in fold(text).chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// Which column each of a file's columns fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapping {
    pub kind: RecordKind,
    /// The file's headers, as written, in order.
    pub headers: Vec<String>,
    /// For each of the file's columns, the key of the column it fills, if any.
    pub keys: Vec<Option<&'static str>>,
    /// The headers that fill no column: left out of the import (listed so the user can map them by hand).
    pub unmatched: Vec<String>,
}

impl Mapping {
    /// The mandatory columns no header fills: a row creating a record cannot fill them.
    pub fn missing_mandatory(&self) -> Vec<&'static Column> {
        columns(self.kind).iter().filter(|c| c.mandatory && !self.keys.contains(&Some(c.key))).collect()
    }

    /// Whether some header fills the column `key`.
    pub fn has(&self, key: &str) -> bool {
        self.keys.contains(&Some(key))
    }
}

/// The column of `kind` a header names, if any.
pub fn column_for(kind: RecordKind, header: &str) -> Option<&'static Column> {
    let wanted = key(header);
    if wanted.is_empty() {
        return None;
    }
    let cols = columns(kind);
    cols.iter()
        .find(|c| key(c.key) == wanted)
        .or_else(|| cols.iter().find(|c| key(c.en) == wanted || key(c.fr) == wanted))
        .or_else(|| cols.iter().find(|c| c.synonyms.iter().any(|s| key(s) == wanted)))
}

/// Maps a file's headers to the columns of `kind`. `overrides` are `Column=field` (a header, then a
/// column's key or label; an empty field leaves the column out); an override naming a header the file does
/// not have, or a field `kind` does not have, is an error naming it. A column filled by two headers takes
/// the first; the second is listed as unmatched.
pub fn recognise(kind: RecordKind, headers: &[String], overrides: &[String]) -> Result<Mapping> {
    let mut forced: Vec<(usize, Option<&'static str>)> = Vec::new();
    let mut errors = Vec::new();
    for o in overrides {
        let Some((header, field)) = o.split_once('=') else {
            errors.push(map_error(format!("“{o}” is not a mapping; write it as Column=field")));
            continue;
        };
        let Some(at) = headers.iter().position(|h| key(h) == key(header)) else {
            errors.push(map_error(format!("the file has no column “{}”", header.trim())));
            continue;
        };
        if field.trim().is_empty() {
            forced.push((at, None));
            continue;
        }
        match column_for(kind, field) {
            Some(c) => forced.push((at, Some(c.key))),
            None => errors.push(map_error(format!(
                "a {} has no field “{}”; the fields are {}",
                kind.noun(),
                field.trim(),
                columns(kind).iter().map(|c| c.key).collect::<Vec<_>>().join(", ")
            ))),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut keys: Vec<Option<&'static str>> = Vec::with_capacity(headers.len());
    let mut unmatched = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let found = match forced.iter().rev().find(|(at, _)| *at == i) {
            Some((_, forced)) => *forced,
            None => column_for(kind, header).map(|c| c.key),
        };
        // A column a later override gives to this header is not taken by an earlier one.
        let taken_later = |k: &str| forced.iter().any(|(at, f)| *at != i && *f == Some(k));
        match found {
            Some(k)
                if !keys.contains(&Some(k)) && (forced.iter().any(|(at, _)| *at == i) || !taken_later(k)) =>
            {
                keys.push(Some(k))
            }
            _ => {
                keys.push(None);
                if !header.trim().is_empty() && !forced.iter().any(|(at, f)| *at == i && f.is_none()) {
                    unmatched.push(header.clone());
                }
            }
        }
    }
    Ok(Mapping { kind, headers: headers.to_vec(), keys, unmatched })
}

fn map_error(message: String) -> FieldError {
    FieldError { field: "map".into(), code: "mapping".into(), message }
}

/// The kind of record a file's headers most likely describe, with the share of its headers that kind
/// recognises (0 to 1). Headers every kind has ("Notes", "Status") do not decide; `None` when no kind
/// recognises a header of its own.
pub fn guess_kind(headers: &[String]) -> Option<(RecordKind, f64)> {
    let named: Vec<&String> = headers.iter().filter(|h| !key(h).is_empty()).collect();
    if named.is_empty() {
        return None;
    }
    let mut best: Option<(RecordKind, f64, usize)> = None;
    for kind in RecordKind::ALL {
        let mut matched = 0usize;
        let mut distinctive = 0usize;
        for h in &named {
            if column_for(kind, h).is_some() {
                matched += 1;
                let shared =
                    RecordKind::ALL.iter().filter(|k| **k != kind && column_for(**k, h).is_some()).count();
                if shared == 0 {
                    distinctive += 2;
                } else if shared <= 2 {
                    distinctive += 1;
                }
            }
        }
        let score = matched as f64 / named.len() as f64;
        let better = match best {
            None => distinctive > 0,
            Some((_, s, d)) => distinctive > d || (distinctive == d && score > s),
        };
        if better && distinctive > 0 {
            best = Some((kind, score, distinctive));
        }
    }
    best.map(|(k, s, _)| (k, s))
}

/// A template's hint for a column: mandatory or not, the form of the value, the allowed values.
pub fn hint(c: &Column, lang: UiLang) -> String {
    let fr = lang == UiLang::Fr;
    let mut parts: Vec<String> = Vec::new();
    parts.push(
        if c.mandatory {
            if fr {
                "obligatoire"
            } else {
                "mandatory"
            }
        } else if fr {
            "facultatif"
        } else {
            "optional"
        }
        .into(),
    );
    let form: String = match c.value {
        ValueKind::Id => {
            (if fr { "laisser vide pour un nouvel enregistrement" } else { "leave empty for a new record" })
                .into()
        }
        ValueKind::Date => {
            (if fr { "date : 31/12/2026 ou 2026-12-31" } else { "date: 31/12/2026 or 2026-12-31" }).into()
        }
        ValueKind::Moment => (if fr {
            "date et heure : 01/09/2026 09:00 (heure du fuseau)"
        } else {
            "date and time: 01/09/2026 09:00 (in the time zone)"
        })
        .into(),
        ValueKind::Integer => (if fr { "nombre entier" } else { "whole number" }).into(),
        ValueKind::Year => {
            (if fr { "année universitaire : 2025/2026" } else { "academic year: 2025/2026" }).into()
        }
        ValueKind::Amount => (if fr { "montant : 1 350,50" } else { "amount: 1,350.50" }).into(),
        ValueKind::Number => (if fr { "nombre : 2,5" } else { "number: 2.5" }).into(),
        ValueKind::YesNo => (if fr { "oui ou non" } else { "yes or no" }).into(),
        ValueKind::Country => {
            (if fr { "pays : CN, Chine ou 中国" } else { "country: CN, China or 中国" }).into()
        }
        ValueKind::Language => {
            (if fr { "langue : fr, zh-Hans, ja ou Français" } else { "language: fr, zh-Hans, ja or French" })
                .into()
        }
        ValueKind::Currency => (if fr { "devise : EUR, CNY, JPY" } else { "currency: EUR, CNY, JPY" }).into(),
        ValueKind::TimeZone => (if fr { "fuseau : Europe/Paris" } else { "time zone: Europe/Paris" }).into(),
        ValueKind::Email => "e-mail".into(),
        ValueKind::Phone => {
            (if fr { "téléphone : +86 21 6564 2222" } else { "phone: +86 21 6564 2222" }).into()
        }
        ValueKind::Url => (if fr { "adresse web : https://…" } else { "web address: https://…" }).into(),
        ValueKind::Field => (if fr {
            "domaine : code CITE-F (0731) ou Santé, Ingénierie…"
        } else {
            "field: ISCED-F code (0731) or Health, Engineering…"
        })
        .into(),
        ValueKind::Identifier(scheme) => {
            let example = crate::kinds::IdScheme::from_stored(scheme).example();
            format!("{} {example}", if fr { "ex." } else { "e.g." })
        }
        ValueKind::Vocabulary(vocab) => {
            format!("{} {}", if fr { "valeurs :" } else { "one of:" }, vocab.labels(lang).join(", "))
        }
        ValueKind::Reference(kind) => match (kind, fr) {
            (RecordKind::Partner, false) => "organisation's name, acronym or identifier".into(),
            (RecordKind::Partner, true) => "nom, sigle ou identifiant de l'organisation".into(),
            (RecordKind::Contact, false) => "person's name or e-mail".into(),
            (RecordKind::Contact, true) => "nom ou e-mail de la personne".into(),
            (_, false) => "reference or title".into(),
            (_, true) => "référence ou intitulé".into(),
        },
        ValueKind::Entries => {
            format!("{} {}", if fr { "une ligne par élément :" } else { "one line each:" }, c.form)
        }
        ValueKind::Text => String::new(),
    };
    if !form.is_empty() {
        parts.push(form);
    }
    if c.many {
        parts.push((if fr { "plusieurs : séparer par ;" } else { "several: separate with ;" }).into());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(headers: &[&str]) -> Vec<String> {
        headers.iter().map(|h| (*h).to_owned()).collect()
    }

    #[test]
    fn keys_fold_case_accents_and_punctuation() {
        assert_eq!(key("  Date d’entrée en vigueur "), "date d entree en vigueur");
        assert_eq!(key("SITE-WEB"), "site web");
        assert_eq!(key("Pays*"), "pays");
        assert_eq!(key("国家"), "国家");
    }

    #[test]
    fn french_and_english_headers_find_their_columns() {
        let headers = strings(&[
            "Nom",
            "Pays",
            "Ville",
            "Site web",
            "Sigle",
            "ROR",
            "Code Erasmus",
            "Couleur préférée",
        ]);
        let m = recognise(RecordKind::Partner, &headers, &[]).expect("as the test sets it up");
        assert_eq!(
            m.keys,
            [
                Some("name"),
                Some("country"),
                Some("city"),
                Some("website"),
                Some("acronym"),
                Some("ror"),
                Some("erasmus"),
                None
            ]
        );
        assert_eq!(m.unmatched, ["Couleur préférée"], "listed, not refused");
        let m =
            recognise(RecordKind::Agreement, &strings(&["date de signature", "PARTENAIRE", "Intitulé"]), &[])
                .expect("as the test sets it up");
        assert_eq!(m.keys, [Some("signed_date"), Some("partner"), Some("title")]);
        let m =
            recognise(RecordKind::Exchange, &strings(&["home_id", "Établissement d'accueil", "e-mail"]), &[])
                .expect("as the test sets it up");
        assert_eq!(m.keys[..2], [Some("home_id"), Some("host_id")]);
    }

    #[test]
    fn manual_mappings_override_and_errors_name_what_is_wrong() {
        let headers = strings(&["Établissement", "Land", "Nom"]);
        let m = recognise(RecordKind::Partner, &headers, &["Land=country".into(), "Nom=".into()])
            .expect("as the test sets it up");
        assert_eq!(m.keys, [Some("name"), Some("country"), None], "Établissement is a synonym of Nom");
        assert!(m.unmatched.is_empty(), "a column left out by hand is not listed as unmatched");
        let m = recognise(RecordKind::Partner, &headers, &["Établissement=Nom".into()])
            .expect("as the test sets it up");
        assert_eq!(m.keys[0], Some("name"), "by label; the header Nom gives way");
        assert_eq!(m.keys[2], None);
        let e = recognise(RecordKind::Partner, &headers, &["Colour=country".into()]).expect_err("refused");
        assert!(e.to_string().contains("no column “Colour”"), "{e}");
        let e = recognise(RecordKind::Partner, &headers, &["Land=planet".into()]).expect_err("refused");
        assert!(e.to_string().contains("no field “planet”"), "{e}");
        assert!(recognise(RecordKind::Partner, &headers, &["Land".into()]).is_err());
    }

    #[test]
    fn chinese_and_japanese_headers_find_their_columns() {
        let m = recognise(RecordKind::Partner, &strings(&["名称", "简称", "国家", "城市", "网址"]), &[])
            .expect("mapped");
        assert_eq!(m.keys, [Some("name"), Some("acronym"), Some("country"), Some("city"), Some("website")]);
        let m = recognise(
            RecordKind::Partner,
            &strings(&["機関名", "略称", "国名", "都市", "ウェブサイト"]),
            &[],
        )
        .expect("mapped");
        assert_eq!(m.keys, [Some("name"), Some("acronym"), Some("country"), Some("city"), Some("website")]);
        assert_eq!(
            guess_kind(&strings(&["姓名", "邮箱", "单位", "职务"])).map(|g| g.0),
            Some(RecordKind::Contact)
        );
    }

    #[test]
    fn a_column_named_twice_takes_the_first() {
        let m =
            recognise(RecordKind::Partner, &strings(&["Name", "Nom"]), &[]).expect("as the test sets it up");
        assert_eq!(m.keys, [Some("name"), None]);
        assert_eq!(m.unmatched, ["Nom"]);
    }

    #[test]
    fn the_kind_is_guessed_from_the_headers() {
        let guess = |h: &[&str]| guess_kind(&strings(h)).map(|g| g.0);
        assert_eq!(guess(&["Nom", "Pays", "Ville", "Sigle"]), Some(RecordKind::Partner));
        assert_eq!(
            guess(&["Personne", "Établissement d’origine", "Établissement d’accueil", "Sens"]),
            Some(RecordKind::Exchange)
        );
        assert_eq!(guess(&["Prénom", "Nom de famille", "E-mails"]), Some(RecordKind::Contact));
        assert_eq!(guess(&["Title", "Kind", "Signature date", "Partner"]), Some(RecordKind::Agreement));
        assert_eq!(guess(&["Call", "Lead organisation", "Requested amount"]), Some(RecordKind::Application));
        assert_eq!(guess(&["Notes"]), None, "nothing distinctive");
        assert_eq!(guess(&[]), None);
        let (_, score) = guess_kind(&strings(&["Nom", "Pays", "Couleur"])).expect("as the test sets it up");
        assert!((score - 2.0 / 3.0).abs() < 1e-9, "{score}");
    }

    #[test]
    fn every_kinds_own_headers_are_guessed_as_that_kind() {
        for kind in RecordKind::ALL {
            for lang in UiLang::ALL {
                let headers: Vec<String> = columns(kind).iter().map(|c| c.label(lang).to_owned()).collect();
                assert_eq!(guess_kind(&headers), Some((kind, 1.0)), "{kind:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn no_synonym_is_shadowed_by_another_columns_label_in_its_kind() {
        for kind in RecordKind::ALL {
            for c in columns(kind) {
                for s in c.synonyms {
                    let found = column_for(kind, s).map(|f| f.key);
                    assert_eq!(found, Some(c.key), "{kind:?}: the synonym {s} of {} finds {found:?}", c.key);
                }
            }
        }
    }

    #[test]
    fn hints_say_mandatory_form_and_values() {
        let kind = super::super::column(RecordKind::Partner, "kind").expect("as the test sets it up");
        let h = hint(kind, UiLang::Fr);
        assert!(h.starts_with("facultatif") && h.contains("Université, École"), "{h}");
        let name = super::super::column(RecordKind::Partner, "name").expect("as the test sets it up");
        assert!(hint(name, UiLang::En).starts_with("mandatory"));
    }
}
