//! Applications to a call: a lead organisation and partner organisations (so their countries and zones
//! are known), a principal investigator, amounts, a status workflow, and reviews scoring each criterion.
//! Eligibility is computed from the call's rules and explained rule by rule ("2 countries, 3 required");
//! a review's weighted score, the application's score, its criteria below threshold and its rank in the
//! call are computed from the data and kept, a call at a time, in `application_assessment`, recomputed
//! whenever an application, its call or one of its organisations is written or replayed, so lists sort
//! and page by them in SQL. Writes are validated first: a score above
//! the criterion's maximum, a move the workflow does not allow, or "eligible" for an application the rules
//! reject is a field error and nothing is written.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{kept_or_known, ApplicationStatus, Zone};
use crate::label::{labels_at, Labels};
use crate::oplog::{id_key, optional_id, optional_text, Mutation, Wanted};
use crate::records::call;
use crate::search::index;
use crate::store;
use crate::store::Tx;
use crate::text::clean;
use crate::validate::Report;

pub mod assessment;
pub mod kept;
pub mod list;

pub use assessment::{
    weighted, Assessment, Criterion, CriterionAverage, Eligibility, EligibilityRules, Review, RuleCheck,
    Score,
};
pub use kept::{calls_of, calls_with_partner, reassess, reassess_all};
pub use list::{list, ranked, ApplicationPage, ApplicationQuery, ApplicationRow, ApplicationSort};

use assessment::{eligibility, review, score_of, Organisation};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationPartnerInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    /// Required; `None` only so that a form row left empty gets a field error.
    #[serde(default)]
    pub partner_id: Option<Uuid>,
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReviewInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<Uuid>,
    /// The reviewer (a contact).
    #[serde(default)]
    pub reviewer_id: Option<Uuid>,
    #[serde(default)]
    pub scores: Vec<Score>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// What a user gives to create or edit an application. `applications show --json` output is accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationInput {
    /// Required.
    #[serde(default)]
    pub call_id: Option<Uuid>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub acronym: Option<String>,
    pub title: String,
    /// Principal investigator (a contact).
    #[serde(default)]
    pub pi_id: Option<Uuid>,
    /// Lead organisation; required.
    #[serde(default)]
    pub lead_id: Option<Uuid>,
    #[serde(default)]
    pub partners: Vec<ApplicationPartnerInput>,
    /// In the call's currency's minor unit.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub requested: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub cofunding: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub duration_months: Option<i64>,
    #[serde(default = "default_status")]
    pub status: ApplicationStatus,
    #[serde(default)]
    pub reviews: Vec<ReviewInput>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn default_status() -> ApplicationStatus {
    ApplicationStatus::Draft
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerRole {
    pub partner_id: Uuid,
    pub name: Option<String>,
    /// The organisation's name for each UI language ([`crate::label::pick`]).
    pub labels: Option<Labels>,
    pub country: Option<String>,
    pub role: Option<String>,
}

/// An application as read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Application {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: ApplicationInput,
    pub call_title: Option<String>,
    pub pi_name: Option<String>,
    pub lead_name: Option<String>,
    /// The lead organisation's name for each UI language ([`crate::label::pick`]).
    pub lead_labels: Option<Labels>,
    pub partners_read: Vec<PartnerRole>,
    pub reviews_read: Vec<Review>,
    pub criteria: Vec<Criterion>,
    pub assessment: Assessment,
    pub deleted: bool,
}

pub fn input_from_json(json: &str) -> Result<ApplicationInput> {
    crate::json::input_from_str(json, "an application", READ_ONLY)
}

/// The fields a read-back application adds beside its input: accepted in JSON input and ignored.
const READ_ONLY: &[&str] = &[
    "id",
    "call_title",
    "pi_name",
    "lead_name",
    "lead_labels",
    "partners_read",
    "reviews_read",
    "criteria",
    "assessment",
    "deleted",
];

fn stored_status(conn: &Connection, id: Uuid) -> Result<Option<ApplicationStatus>> {
    Ok(conn
        .prepare_cached("SELECT status FROM application WHERE id = ?1 AND deleted = 0")?
        .query_row(params![id], |r| r.get::<_, String>(0))
        .optional()?
        .map(|s| ApplicationStatus::from_stored(&s)))
}

/// Validation reads the synced tables, not derived rows: a bulk write checks a reference to a record made
/// earlier in the same transaction, before its derived rows are settled.
fn live_partner(conn: &Connection, id: Uuid) -> Result<bool> {
    store::live(conn, "partner", id)
}

fn live_contact(conn: &Connection, id: Uuid) -> Result<bool> {
    store::live(conn, "contact", id)
}

fn check(conn: &Connection, id: Option<Uuid>, input: &ApplicationInput) -> Result<ApplicationInput> {
    let mut report = Report::default();
    crate::validate::texts(&mut report, input);
    kept_or_known(conn, &mut report, "status", input.status, ("application", "status", id))?;
    let mut c = input.clone();
    c.title = input.title.trim().to_owned();
    if c.title.is_empty() {
        report.add("title", "required", "an application needs a title");
    }
    c.reference = clean(input.reference.as_deref());
    c.acronym = clean(input.acronym.as_deref());
    c.notes = clean(input.notes.as_deref());
    let criteria = match input.call_id {
        None => {
            report.add("call_id", "required", "choose the call");
            Vec::new()
        }
        Some(call_id) if !store::live(conn, "call", call_id)? => {
            report.add("call_id", "not_found", format!("no call with id {call_id}"));
            Vec::new()
        }
        Some(call_id) => call::criteria(conn, call_id)?,
    };
    match input.lead_id {
        None => report.add("lead_id", "required", "choose the lead organisation"),
        Some(lead) if !live_partner(conn, lead)? => {
            report.add("lead_id", "not_found", format!("no partner with id {lead}"))
        }
        Some(_) => {}
    }
    if let Some(pi) = input.pi_id {
        if !live_contact(conn, pi)? {
            report.add("pi_id", "not_found", format!("no contact with id {pi}"));
        }
    }
    let mut seen: BTreeSet<Uuid> = input.lead_id.into_iter().collect();
    for (i, p) in input.partners.iter().enumerate() {
        match p.partner_id {
            None => report.add(format!("partners[{i}].partner_id"), "required", "choose the organisation"),
            Some(partner) if !seen.insert(partner) => report.add(
                format!("partners[{i}].partner_id"),
                "duplicate",
                "this organisation is already in the application",
            ),
            Some(partner) if !live_partner(conn, partner)? => report.add(
                format!("partners[{i}].partner_id"),
                "not_found",
                format!("no partner with id {partner}"),
            ),
            Some(_) => {}
        }
        c.partners[i].role = clean(p.role.as_deref());
    }
    for (field, value) in [
        ("requested", input.requested),
        ("cofunding", input.cofunding),
        ("duration_months", input.duration_months),
    ] {
        if value.is_some_and(|v| v < 0) {
            report.add(field, "negative", format!("{field} cannot be negative"));
        }
    }
    for (i, r) in input.reviews.iter().enumerate() {
        if let Some(reviewer) = r.reviewer_id {
            if !live_contact(conn, reviewer)? {
                report.add(
                    format!("reviews[{i}].reviewer_id"),
                    "not_found",
                    format!("no contact with id {reviewer}"),
                );
            }
        }
        for (j, s) in r.scores.iter().enumerate() {
            let at = format!("reviews[{i}].scores[{j}].score");
            match criteria.iter().find(|k| k.id == s.criterion_id) {
                None => report.add(
                    format!("reviews[{i}].scores[{j}].criterion_id"),
                    "not_found",
                    "this criterion is not one of the call's",
                ),
                Some(k) if !(0.0..=k.max_score).contains(&s.score) => report.add(
                    at,
                    "above_max",
                    format!("{} is scored from 0 to {}; {} is out of range", k.name, k.max_score, s.score),
                ),
                Some(_) => {}
            }
        }
        c.reviews[i].comment = clean(r.comment.as_deref());
    }
    if let Some(id) = id {
        if let Some(from) = stored_status(conn, id)? {
            if from != input.status && !from.next().contains(&input.status) {
                report.add(
                    "status",
                    "workflow",
                    format!(
                        "an application cannot go from {} to {} (next: {})",
                        from.as_str(),
                        input.status.as_str(),
                        from.next().iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                );
            }
        }
    }
    if input.status == ApplicationStatus::Eligible {
        if let Some(rules) = input.call_id.map(|c| call::rules(conn, c)).transpose()?.flatten() {
            let organisations =
                organisations_of(conn, input.lead_id, input.partners.iter().filter_map(|p| p.partner_id))?;
            let eligibility = eligibility(&rules, input.lead_id, &organisations);
            if !eligibility.eligible {
                let failed: Vec<String> =
                    eligibility.checks.iter().filter(|c| !c.ok).map(|c| c.message.clone()).collect();
                report.add("status", "ineligible", format!("the rules are not met: {}", failed.join("; ")));
            }
        }
    }
    report.finish()?;
    Ok(c)
}

fn columns(c: &ApplicationInput) -> Vec<(&'static str, Value)> {
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
    vec![
        ("call_id", optional_id(c.call_id)),
        ("reference", optional_text(&c.reference)),
        ("acronym", optional_text(&c.acronym)),
        ("title", Value::Text(c.title.clone())),
        ("pi_id", optional_id(c.pi_id)),
        ("lead_id", optional_id(c.lead_id)),
        ("requested", int(c.requested)),
        ("cofunding", int(c.cofunding)),
        ("duration_months", int(c.duration_months)),
        ("status", Value::Text(c.status.as_str().into())),
        ("notes", optional_text(&c.notes)),
    ]
}

fn write_children(m: &mut Mutation, id: Uuid, c: &ApplicationInput) -> Result<()> {
    let partners: Vec<Wanted> = c
        .partners
        .iter()
        .map(|p| Wanted {
            id: p.id,
            key: id_key(p.partner_id),
            fields: vec![("partner_id", optional_id(p.partner_id)), ("role", optional_text(&p.role))],
        })
        .collect();
    m.reconcile("application_partner", "application_id", id, "coalesce(hex(partner_id), '')", &partners)?;
    let reviews: Vec<Wanted> = c
        .reviews
        .iter()
        .map(|r| {
            let scores: BTreeMap<String, f64> =
                r.scores.iter().map(|s| (s.criterion_id.to_string(), s.score)).collect();
            Wanted {
                id: r.id,
                key: id_key(r.reviewer_id),
                fields: vec![
                    ("reviewer_id", optional_id(r.reviewer_id)),
                    ("scores", Value::Text(serde_json::to_string(&scores).unwrap_or_default())),
                    ("comment", optional_text(&r.comment)),
                ],
            }
        })
        .collect();
    m.reconcile("review", "application_id", id, "coalesce(hex(reviewer_id), '')", &reviews)
}

pub fn create(tx: &Tx, clock: &dyn Clock, input: &ApplicationInput) -> Result<Application> {
    let id = add(tx, clock, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Creates a record without reading it back, for bulk writes (imports, generated data): its derived rows
/// are settled with the transaction's, once.
pub fn add(tx: &Tx, clock: &dyn Clock, input: &ApplicationInput) -> Result<Uuid> {
    let clean = check(tx, None, input)?;
    let id = store::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    m.insert("application", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(id)
}

pub fn update(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ApplicationInput) -> Result<Application> {
    replace(tx, clock, id, input)?;
    tx.settle()?;
    get(tx, id)
}

/// Replaces a record's fields without reading it back, for bulk writes (re-imports).
pub fn replace(tx: &Tx, clock: &dyn Clock, id: Uuid, input: &ApplicationInput) -> Result<()> {
    if stored_status(tx, id)?.is_none() {
        return Err(Error::NotFound { entity: "application", id: id.to_string() });
    }
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("application", id, &columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    Ok(())
}

pub fn delete(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("application", id, true)?;
    Ok(())
}

pub fn restore(tx: &Tx, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("application", id, false)?;
    Ok(())
}

/// What an application's search document is made of.
struct Searched {
    reference: Option<String>,
    acronym: Option<String>,
    title: String,
    lead: Option<String>,
}

/// Rebuilds the application's own derived rows (its search document), or removes them once it is deleted.
pub fn refresh(conn: &Connection, id: Uuid) -> Result<()> {
    let row: Option<Searched> = conn
        .prepare_cached(
            "SELECT a.reference, a.acronym, a.title, p.name FROM application a
             LEFT JOIN partner_summary p ON p.id = a.lead_id WHERE a.id = ?1 AND a.deleted = 0",
        )?
        .query_row(params![id], |r| {
            Ok(Searched {
                reference: r.get("reference")?,
                acronym: r.get("acronym")?,
                title: r.get("title")?,
                lead: r.get("name")?,
            })
        })
        .optional()?;
    match row {
        None => index::remove(conn, id),
        Some(Searched { reference, acronym, title, lead }) => {
            let head = [reference.as_deref(), acronym.as_deref(), Some(title.as_str())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ; ");
            index::put(conn, "application", id, &head, lead.as_deref().unwrap_or(""), true)
        }
    }
}

/// Each organisation of an application: the lead first, then the partners, once each.
fn organisations_of(
    conn: &Connection,
    lead: Option<Uuid>,
    partners: impl Iterator<Item = Uuid>,
) -> Result<Vec<Organisation>> {
    let mut out: Vec<Organisation> = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT country, zone FROM partner WHERE id = ?1")?;
    for id in lead.into_iter().chain(partners) {
        if out.iter().any(|(o, _, _)| *o == id) {
            continue;
        }
        let (country, zone): (Option<String>, Option<String>) =
            stmt.query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.unwrap_or((None, None));
        out.push((id, country, zone.map(|z| Zone::from_stored(&z))));
    }
    Ok(out)
}

fn reviews_of(conn: &Connection, id: Uuid, criteria: &[Criterion]) -> Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.reviewer_id, c.name, r.scores, r.comment FROM review r
         LEFT JOIN contact_summary c ON c.id = r.reviewer_id
         WHERE r.application_id = ?1 AND r.deleted = 0 ORDER BY r.id",
    )?;
    let rows = stmt.query_map(params![id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<String>>(3)?, r.get(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, reviewer_id, reviewer_name, scores, comment) = row?;
        out.push(review(id, reviewer_id, reviewer_name, scores, comment, criteria));
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Application> {
    let row = conn
        .prepare_cached(
            "SELECT a.call_id, a.reference, a.acronym, a.title, a.pi_id, a.lead_id, a.requested, a.cofunding,
                    a.duration_months, a.status, a.notes, a.deleted, c.title, pi.name, l.name, len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang
             FROM application a
             LEFT JOIN call c ON c.id = a.call_id AND c.deleted = 0
             LEFT JOIN contact_summary pi ON pi.id = a.pi_id
             LEFT JOIN partner_summary l ON l.id = a.lead_id
             LEFT JOIN partner_label len ON len.partner_id = a.lead_id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = a.lead_id AND lfr.ui = 'fr'
             WHERE a.id = ?1",
        )?
        .query_row(params![id], |r| {
            Ok((
                ApplicationInput {
                    call_id: r.get(0)?,
                    reference: r.get(1)?,
                    acronym: r.get(2)?,
                    title: r.get(3)?,
                    pi_id: r.get(4)?,
                    lead_id: r.get(5)?,
                    partners: vec![],
                    requested: r.get(6)?,
                    cofunding: r.get(7)?,
                    duration_months: r.get(8)?,
                    status: ApplicationStatus::from_stored(&r.get::<_, String>(9)?),
                    reviews: vec![],
                    notes: r.get(10)?,
                },
                r.get::<_, bool>(11)?,
                r.get::<_, Option<String>>(12)?,
                r.get::<_, Option<String>>(13)?,
                r.get::<_, Option<String>>(14)?,
                labels_at(r, 15)?,
            ))
        })
        .optional()?;
    let Some((mut input, deleted, call_title, pi_name, lead_name, lead_labels)) = row else {
        return Err(Error::NotFound { entity: "application", id: id.to_string() });
    };
    let partners_read: Vec<(Uuid, PartnerRole)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT ap.id, ap.partner_id, p.name, p.country, ap.role, len.name, len.lang, len.native, len.native_lang, lfr.name, lfr.lang, lfr.native, lfr.native_lang FROM application_partner ap
             LEFT JOIN partner_summary p ON p.id = ap.partner_id
             LEFT JOIN partner_label len ON len.partner_id = ap.partner_id AND len.ui = 'en'
             LEFT JOIN partner_label lfr ON lfr.partner_id = ap.partner_id AND lfr.ui = 'fr'
             WHERE ap.application_id = ?1 AND ap.deleted = 0 AND ap.partner_id IS NOT NULL ORDER BY ap.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok((
                r.get(0)?,
                PartnerRole {
                    partner_id: r.get(1)?,
                    name: r.get(2)?,
                    labels: labels_at(r, 5)?,
                    country: r.get(3)?,
                    role: r.get(4)?,
                },
            ))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    input.partners = partners_read
        .iter()
        .map(|(row, p)| ApplicationPartnerInput {
            id: Some(*row),
            partner_id: Some(p.partner_id),
            role: p.role.clone(),
        })
        .collect();
    let criteria = match input.call_id {
        Some(c) => call::criteria(conn, c)?,
        None => Vec::new(),
    };
    let reviews_read = reviews_of(conn, id, &criteria)?;
    input.reviews = reviews_read
        .iter()
        .map(|r| ReviewInput {
            id: Some(r.id),
            reviewer_id: r.reviewer_id,
            scores: r.scores.clone(),
            comment: r.comment.clone(),
        })
        .collect();
    let assessment = {
        let rules = input.call_id.map(|c| call::rules(conn, c)).transpose()?.flatten().unwrap_or_default();
        let organisations =
            organisations_of(conn, input.lead_id, input.partners.iter().filter_map(|p| p.partner_id))?;
        let (score, averages) = score_of(&criteria, &reviews_read);
        // The rank is the call's, kept with the others' (none once deleted).
        let rank: Option<u32> = conn
            .prepare_cached("SELECT rank FROM application_assessment WHERE application_id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()?
            .flatten();
        Assessment { eligibility: eligibility(&rules, input.lead_id, &organisations), score, averages, rank }
    };
    Ok(Application {
        id,
        input,
        call_title,
        pi_name,
        lead_name,
        lead_labels,
        partners_read: partners_read.into_iter().map(|(_, p)| p).collect(),
        reviews_read,
        criteria,
        assessment,
        deleted,
    })
}
