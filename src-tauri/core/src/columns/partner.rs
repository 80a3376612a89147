//! A partner's columns: its names flattened to the primary name (with its language), its English and French
//! names and its other names (`東北大学 [ja]`), one column per identifier scheme, and its plain fields.

use serde_json::{json, Value};

use crate::error::Result;
use crate::kinds::IdScheme;
use crate::records::partner::{self, NameInput};
use crate::text::is_cjk;

use super::cells::Cells;
use super::row::Line;
use super::ValueKind::{self as V, Reference, Vocabulary};
use super::{value, Column, Out, Problem, RecordKind, Vocab, ID};

const NAME_KEYS: [&str; 5] = ["name", "name_lang", "name_en", "name_fr", "other_names"];

pub(super) const COLUMNS: &[Column] = &[
    ID,
    Column::new("name", "Name", "Nom", V::Text).mandatory().own().also(&[
        "Institution",
        "Établissement",
        "Organisation",
        "Organization",
        "University",
        "Université",
        "Nom de l'établissement",
        "Institution name",
        "Partner",
        "Partenaire",
        "名称",
        "机构",
        "大学",
        "機関名",
    ]),
    Column::new("name_lang", "Name language", "Langue du nom", V::Language).own(),
    Column::new("name_en", "Name in English", "Nom en anglais", V::Text)
        .own()
        .also(&["English name", "Nom anglais"]),
    Column::new("name_fr", "Name in French", "Nom en français", V::Text)
        .own()
        .also(&["French name", "Nom français"]),
    Column::new("other_names", "Other names", "Autres noms", V::Text)
        .own()
        .many()
        .form("name [language tag]"),
    Column::new("acronym", "Acronym", "Sigle", V::Text).also(&[
        "Acronyme",
        "Abbreviation",
        "Short name",
        "简称",
        "略称",
    ]),
    Column::new("kind", "Kind", "Type", Vocabulary(Vocab::OrgKind)).also(&[
        "Type of organisation",
        "Type d'organisation",
        "Organisation type",
    ]),
    Column::new("country", "Country", "Pays", V::Country).also(&[
        "Country code",
        "Code pays",
        "国家",
        "国",
        "国名",
    ]),
    Column::new("city", "City", "Ville", V::Text).also(&["Town", "城市", "都市"]),
    Column::new("zone", "Zone", "Zone", Vocabulary(Vocab::Zone)).also(&["Region", "Région"]),
    Column::new("website", "Website", "Site web", V::Url).also(&[
        "Web",
        "URL",
        "Site",
        "Site internet",
        "Web site",
        "网址",
        "ウェブサイト",
        "ホームページ",
    ]),
    Column::new("status", "Status", "Statut", Vocabulary(Vocab::PartnerStatus)),
    Column::new("parent_id", "Parent organisation", "Organisation parente", Reference(RecordKind::Partner))
        .also(&["Parent", "Parent institution", "Établissement de rattachement"]),
    Column::new("ror", "ROR", "ROR", V::Identifier("ror")).own().many().also(&["ROR id", "ROR ID"]),
    Column::new("erasmus", "Erasmus code", "Code Erasmus", V::Identifier("erasmus"))
        .own()
        .many()
        .also(&["Erasmus", "Erasmus ID"]),
    Column::new("schac", "SCHAC", "SCHAC", V::Identifier("schac")).own().many().also(&["SCHAC code"]),
    Column::new("pic", "PIC", "PIC", V::Identifier("pic")).own().many().also(&["PIC number", "Numéro PIC"]),
    Column::new("wikidata", "Wikidata", "Wikidata", V::Identifier("wikidata")).own().many(),
    Column::new("isni", "ISNI", "ISNI", V::Identifier("isni")).own().many(),
    Column::new("tags", "Tags", "Étiquettes", V::Text).many().also(&["Tag", "Mots-clés", "Keywords"]),
    Column::new("notes", "Notes", "Notes", V::Text).also(&[
        "Note",
        "Comments",
        "Commentaires",
        "Remarques",
        "备注",
    ]),
];

/// The language of a name written without one: from its script, else from the organisation's country.
pub(crate) fn guess_lang(name: &str, country: Option<&str>) -> &'static str {
    let kana = name.chars().any(|c| matches!(c as u32, 0x3040..=0x30FF));
    let hangul = name.chars().any(|c| matches!(c as u32, 0xAC00..=0xD7AF));
    if kana {
        return "ja";
    }
    if hangul {
        return "ko";
    }
    if name.chars().any(is_cjk) {
        return match country {
            Some("JP") => "ja",
            Some("TW" | "HK" | "MO") => "zh-Hant",
            _ => "zh-Hans",
        };
    }
    match country {
        Some("FR" | "BE" | "CH" | "LU" | "MC" | "SN" | "CI" | "MA" | "TN" | "DZ") => "fr",
        Some("BR") => "pt-BR",
        Some("PT") => "pt",
        Some("ES" | "MX" | "AR" | "CL" | "CO" | "PE" | "UY" | "PY" | "BO" | "EC" | "VE") => "es",
        Some("DE" | "AT") => "de",
        Some("IT") => "it",
        _ => "en",
    }
}

/// `東北大学 [ja]` → (東北大学, ja); a name with no tag gets none.
fn tagged(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    if let Some(open) = text.rfind('[') {
        if text.ends_with(']') {
            let tag = text[open + 1..text.len() - 1].trim();
            if !tag.is_empty() && !tag.contains(' ') {
                return (text[..open].trim().to_owned(), Some(tag.to_owned()));
            }
        }
    }
    (text.to_owned(), None)
}

pub(super) fn input(c: &mut Cells) -> Result<()> {
    c.id();
    c.plain()?;
    let existing = match c.get("id").and_then(Value::as_str).and_then(|id| uuid::Uuid::parse_str(id).ok()) {
        Some(id) if crate::store::live(c.resolver.conn(), "partner", id)? => {
            Some(partner::get(c.resolver.conn(), id)?.input)
        }
        _ => None,
    };
    let country = c
        .get("country")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| existing.as_ref().and_then(|e| e.country.clone()));
    if NAME_KEYS.iter().any(|k| c.mapped(k)) {
        names(c, existing.as_ref().map_or(&[][..], |e| &e.names), country.as_deref());
    }
    identifiers(c, existing.as_ref().map_or(&[][..], |e| &e.identifiers));
    Ok(())
}

/// The names from the name columns; those of an existing partner that the file has no column for stay.
fn names(c: &mut Cells, existing: &[NameInput], country: Option<&str>) {
    let kept = |primary: bool, lang: Option<&str>| -> Vec<NameInput> {
        existing
            .iter()
            .filter(|n| n.primary == primary)
            .filter(|n| match lang {
                Some(lang) => n.lang == lang,
                None => n.lang != "en" && n.lang != "fr",
            })
            .map(|n| NameInput { id: None, ..n.clone() })
            .collect()
    };
    let mut names: Vec<NameInput> = Vec::new();
    if c.mapped("name") {
        match c.text("name") {
            Some(value) => {
                let lang = c.text("name_lang").map(|l| value::language(&l)).unwrap_or_else(|| {
                    existing
                        .iter()
                        .find(|n| n.primary && n.value == value)
                        .map_or_else(|| guess_lang(&value, country).to_owned(), |n| n.lang.clone())
                });
                names.push(NameInput { id: None, value, lang, primary: true });
            }
            None => c.problem(
                "name",
                Problem::new("empty_mandatory", "the name is empty; a partner needs one")
                    .with("kind", "partner")
                    .with("column", "Name")
                    .with("column_fr", "Nom"),
            ),
        }
    } else {
        names.extend(existing.iter().filter(|n| n.primary).map(|n| NameInput { id: None, ..n.clone() }));
    }
    for (key, lang) in [("name_en", "en"), ("name_fr", "fr")] {
        if c.mapped(key) {
            if let Some(value) = c.text(key) {
                names.push(NameInput { id: None, value, lang: lang.into(), primary: false });
            }
        } else {
            names.extend(kept(false, Some(lang)));
        }
    }
    if c.mapped("other_names") {
        for item in value::items(&c.text("other_names").unwrap_or_default(), false) {
            let (value, tag) = tagged(&item);
            let lang = tag.unwrap_or_else(|| guess_lang(&value, country).to_owned());
            names.push(NameInput { id: None, value, lang, primary: false });
        }
    } else {
        names.extend(kept(false, None));
    }
    let mut unique: Vec<NameInput> = Vec::new();
    for n in names {
        if !unique.iter().any(|u| u.value == n.value && u.lang == n.lang) {
            unique.push(n);
        }
    }
    c.set("names", json!(unique));
}

/// The identifiers from the scheme columns; those of schemes the file has no column for stay.
fn identifiers(c: &mut Cells, existing: &[partner::IdentifierInput]) {
    let schemes: Vec<IdScheme> = IdScheme::ALL.to_vec();
    if !schemes.iter().any(|s| c.mapped(s.as_str())) {
        return;
    }
    let mut out = Vec::new();
    for scheme in schemes {
        if c.mapped(scheme.as_str()) {
            for item in value::items(&c.text(scheme.as_str()).unwrap_or_default(), false) {
                out.push(json!({ "scheme": scheme.as_str(), "value": item }));
            }
        } else {
            for e in existing.iter().filter(|e| e.scheme == scheme) {
                out.push(json!({ "scheme": scheme.as_str(), "value": e.value }));
            }
        }
    }
    // Schemes a newer version knows, which this one has no column for, stay as they are.
    for e in existing.iter().filter(|e| !e.scheme.is_known()) {
        out.push(json!({ "scheme": e.scheme.as_str(), "value": e.value }));
    }
    c.set("identifiers", Value::Array(out));
}

pub(super) fn row(line: &mut Line) -> Result<()> {
    let input: partner::PartnerInput = serde_json::from_value(line.input.clone())?;
    let primary_at = input.names.iter().position(|n| n.primary).or((!input.names.is_empty()).then_some(0));
    let primary = primary_at.map(|i| input.names[i].clone());
    let mut rest: Vec<&NameInput> =
        input.names.iter().enumerate().filter(|(i, _)| Some(*i) != primary_at).map(|(_, n)| n).collect();
    let take = |rest: &mut Vec<&NameInput>, lang: &str| -> Option<String> {
        let at = rest.iter().position(|n| n.lang == lang)?;
        Some(rest.remove(at).value.clone())
    };
    let en = take(&mut rest, "en");
    let fr = take(&mut rest, "fr");
    let others: Vec<String> = rest.iter().map(|n| format!("{} [{}]", n.value, n.lang)).collect();
    let text = |t: Option<String>| t.filter(|t| !t.is_empty()).map_or(Out::Empty, Out::Text);
    line.fill(|_, column| {
        Ok(match column.key {
            "name" => text(primary.as_ref().map(|p| p.value.clone())),
            "name_lang" => text(primary.as_ref().map(|p| p.lang.clone())),
            "name_en" => text(en.clone()),
            "name_fr" => text(fr.clone()),
            "other_names" => text(Some(others.join("; "))),
            scheme => {
                let values: Vec<&str> = input
                    .identifiers
                    .iter()
                    .filter(|i| i.scheme.as_str() == scheme)
                    .map(|i| i.value.as_str())
                    .collect();
                text(Some(values.join("; ")))
            }
        })
    })
}
