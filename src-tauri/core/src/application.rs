//! Applications to a call: a lead organisation and partner organisations (so their countries and zones
//! are known), a principal investigator, amounts, a status workflow, and reviews scoring each criterion.
//! Eligibility is computed from the call's rules and explained rule by rule ("2 countries, 3 required");
//! a review's weighted score, the application's score, its criteria below threshold and its rank in the
//! call are computed from the data and kept, a call at a time, in `application_assessment`, recomputed
//! whenever an application, its call or one of its organisations is written or replayed, so lists sort
//! and page by them in SQL. Writes are validated first: a score above
//! the criterion's maximum, a move the workflow does not allow, or "eligible" for an application the rules
//! reject is a field error and nothing is written.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::call::{self, Criterion, EligibilityRules};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::kinds::{ApplicationStatus, Zone};
use crate::oplog::{id_key, optional_id, optional_text, Mutation, Wanted};
use crate::text::clean;
use crate::validate::Report;
use crate::{db, search};

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
pub struct Score {
    pub criterion_id: Uuid,
    pub score: f64,
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

/// One eligibility rule, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleCheck {
    /// `min_partners`, `min_countries`, `required_zones` or `lyon_lead`.
    pub rule: String,
    pub ok: bool,
    /// "2 countries, 3 required", in English (the app words it from the fields below in its own language).
    pub message: String,
    /// Organisations or countries counted, for the two minimum rules.
    #[ts(type = "number | null")]
    pub count: Option<i64>,
    /// The minimum, for the two minimum rules.
    #[ts(type = "number | null")]
    pub required: Option<i64>,
    /// The required zones no organisation comes from.
    pub missing_zones: Vec<Zone>,
    /// The lead's country (ISO 3166 code), for the Lyon-lead rule.
    pub lead_country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Eligibility {
    pub eligible: bool,
    /// Organisations involved, the lead included.
    #[ts(type = "number")]
    pub organisations: i64,
    pub countries: Vec<String>,
    pub zones: Vec<Zone>,
    pub checks: Vec<RuleCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Review {
    pub id: Uuid,
    pub reviewer_id: Option<Uuid>,
    pub reviewer_name: Option<String>,
    pub scores: Vec<Score>,
    pub comment: Option<String>,
    /// Scores every criterion of the call.
    pub complete: bool,
    /// Σ weight × score / maximum over Σ weight, as a percentage; `None` until complete.
    pub weighted: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CriterionAverage {
    pub criterion_id: Uuid,
    pub name: String,
    pub average: f64,
    pub threshold: Option<f64>,
    pub below_threshold: bool,
}

/// The computed side of an application: eligibility, score, thresholds and rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Assessment {
    pub eligibility: Eligibility,
    /// Mean of the complete reviews' weighted scores (0–100); `None` without a complete review.
    pub score: Option<f64>,
    pub averages: Vec<CriterionAverage>,
    /// Position in the call among eligible, reviewed applications above every threshold (ties share a
    /// rank); `None` when not ranked.
    pub rank: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerRole {
    pub partner_id: Uuid,
    pub name: Option<String>,
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
    pub partners_read: Vec<PartnerRole>,
    pub reviews_read: Vec<Review>,
    pub criteria: Vec<Criterion>,
    pub assessment: Assessment,
    pub deleted: bool,
}

/// A row of a call's ranking or of the application list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationRow {
    pub id: Uuid,
    pub call_id: Option<Uuid>,
    pub reference: Option<String>,
    pub acronym: Option<String>,
    pub title: String,
    pub lead_name: Option<String>,
    pub status: ApplicationStatus,
    pub eligible: bool,
    /// The failed rules, or empty.
    pub ineligible_because: Vec<RuleCheck>,
    pub score: Option<f64>,
    pub below_threshold: bool,
    pub rank: Option<u32>,
    #[ts(type = "number | null")]
    pub requested: Option<i64>,
    /// The call's currency, which the amount is in.
    pub currency: Option<String>,
}

pub fn input_from_json(json: &str) -> Result<ApplicationInput> {
    crate::json::from_str(json)
}

fn stored_status(conn: &Connection, id: Uuid) -> Result<Option<ApplicationStatus>> {
    Ok(conn
        .prepare_cached("SELECT status FROM application WHERE id = ?1 AND deleted = 0")?
        .query_row(params![id], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|s| ApplicationStatus::parse(&s)))
}

fn live_partner(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM partner_summary WHERE id = ?1")?.exists(params![id])?)
}

fn live_contact(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM contact_summary WHERE id = ?1")?.exists(params![id])?)
}

fn check(conn: &Connection, id: Option<Uuid>, input: &ApplicationInput) -> Result<ApplicationInput> {
    let mut report = Report::default();
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
        Some(call_id) if !db::live(conn, "call", call_id)? => {
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

fn own_columns(c: &ApplicationInput) -> Vec<(&'static str, Value)> {
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

pub fn create(tx: &Transaction, clock: &dyn Clock, input: &ApplicationInput) -> Result<Application> {
    let clean = check(tx, None, input)?;
    let id = db::new_id();
    let mut m = Mutation::begin(tx, clock)?;
    m.insert("application", id, &own_columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    refresh(tx, id)?;
    get(tx, id)
}

pub fn update(
    tx: &Transaction,
    clock: &dyn Clock,
    id: Uuid,
    input: &ApplicationInput,
) -> Result<Application> {
    if stored_status(tx, id)?.is_none() {
        return Err(Error::NotFound { entity: "application", id: id.to_string() });
    }
    let clean = check(tx, Some(id), input)?;
    let mut m = Mutation::begin(tx, clock)?;
    m.update("application", id, &own_columns(&clean))?;
    write_children(&mut m, id, &clean)?;
    refresh(tx, id)?;
    get(tx, id)
}

pub fn delete(tx: &Transaction, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("application", id, true)?;
    refresh(tx, id)
}

pub fn restore(tx: &Transaction, clock: &dyn Clock, id: Uuid) -> Result<()> {
    Mutation::begin(tx, clock)?.set_deleted("application", id, false)?;
    refresh(tx, id)
}

/// Reference, acronym, title, lead's name.
type SearchRow = (Option<String>, Option<String>, String, Option<String>);

/// Rebuilds the application's search document and the kept assessments of its call (and of the call it
/// left, when it moved).
pub(crate) fn refresh(conn: &Connection, id: Uuid) -> Result<()> {
    for call in calls_of(conn, id)? {
        reassess(conn, call)?;
    }
    index(conn, id)
}

/// The calls whose kept assessments an application's change touches: the one it is filed under and the
/// one it now belongs to (two when it moved).
pub(crate) fn calls_of(conn: &Connection, id: Uuid) -> Result<BTreeSet<Uuid>> {
    let before: Option<Uuid> = conn
        .prepare_cached("SELECT call_id FROM application_assessment WHERE application_id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    let now: Option<Uuid> = conn
        .prepare_cached("SELECT call_id FROM application WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(before.into_iter().chain(now).collect())
}

/// Rebuilds the application's search document.
pub(crate) fn index(conn: &Connection, id: Uuid) -> Result<()> {
    let row: Option<SearchRow> = conn
        .prepare_cached(
            "SELECT a.reference, a.acronym, a.title, p.name FROM application a
             LEFT JOIN partner_summary p ON p.id = a.lead_id WHERE a.id = ?1 AND a.deleted = 0",
        )?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    match row {
        None => search::remove(conn, id),
        Some((reference, acronym, title, lead)) => {
            let head = [reference.as_deref(), acronym.as_deref(), Some(title.as_str())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ; ");
            search::put(conn, "application", id, &head, lead.as_deref().unwrap_or(""), true)
        }
    }
}

/// An organisation of an application: id, country, zone.
type Organisation = (Uuid, Option<String>, Option<Zone>);

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
        out.push((id, country, zone.and_then(|z| Zone::parse(&z))));
    }
    Ok(out)
}

/// Checks the rules against the organisations involved (the lead first), explaining each.
pub fn eligibility(
    rules: &EligibilityRules,
    lead: Option<Uuid>,
    organisations: &[Organisation],
) -> Eligibility {
    let countries: BTreeSet<String> = organisations.iter().filter_map(|(_, c, _)| c.clone()).collect();
    let zones: Vec<Zone> = {
        let mut z: Vec<Zone> = organisations.iter().filter_map(|(_, _, z)| *z).collect();
        z.sort_by_key(|z| z.as_str());
        z.dedup();
        z
    };
    let n = i64::try_from(organisations.len()).unwrap_or(i64::MAX);
    let k = i64::try_from(countries.len()).unwrap_or(i64::MAX);
    let plural =
        |n: i64, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let mut checks = Vec::new();
    let minimum = |rule: &str, count: i64, min: i64, one: &str, many: &str| RuleCheck {
        rule: rule.into(),
        ok: count >= min,
        message: format!("{}, {min} required", plural(count, one, many)),
        count: Some(count),
        required: Some(min),
        missing_zones: Vec::new(),
        lead_country: None,
    };
    if let Some(min) = rules.min_partners {
        checks.push(minimum("min_partners", n, min, "organisation", "organisations"));
    }
    if let Some(min) = rules.min_countries {
        checks.push(minimum("min_countries", k, min, "country", "countries"));
    }
    if !rules.required_zones.is_empty() {
        let missing: Vec<Zone> =
            rules.required_zones.iter().filter(|z| !zones.contains(z)).copied().collect();
        checks.push(RuleCheck {
            rule: "required_zones".into(),
            ok: missing.is_empty(),
            message: if missing.is_empty() {
                "every required zone is represented".into()
            } else {
                let labels: Vec<&str> = missing.iter().map(|z| z.label()).collect();
                format!("no organisation from {}", labels.join(", "))
            },
            count: None,
            required: None,
            missing_zones: missing,
            lead_country: None,
        });
    }
    if rules.lyon_lead_required {
        let lead_country =
            lead.and_then(|l| organisations.iter().find(|(o, _, _)| *o == l)).and_then(|(_, c, _)| c.clone());
        let ok = lead_country.as_deref() == Some("FR");
        checks.push(RuleCheck {
            rule: "lyon_lead".into(),
            ok,
            message: if ok {
                "led from Lyon".into()
            } else {
                format!(
                    "the lead must be a Lyon institution (it is in {})",
                    lead_country.as_deref().unwrap_or("an unknown country")
                )
            },
            count: None,
            required: None,
            missing_zones: Vec::new(),
            lead_country,
        });
    }
    Eligibility {
        eligible: checks.iter().all(|c| c.ok),
        organisations: n,
        countries: countries.into_iter().collect(),
        zones,
        checks,
    }
}

fn scores_of(text: Option<String>) -> Vec<Score> {
    text.and_then(|t| serde_json::from_str::<BTreeMap<String, f64>>(&t).ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some(Score { criterion_id: Uuid::parse_str(&k).ok()?, score: v }))
        .collect()
}

/// A review's weighted score (0–100) when it scores every criterion.
pub fn weighted(criteria: &[Criterion], scores: &[Score]) -> Option<f64> {
    let total: f64 = criteria.iter().map(|k| k.weight).sum();
    if criteria.is_empty() || total <= 0.0 {
        return None;
    }
    let mut sum = 0.0;
    for k in criteria {
        let s = scores.iter().find(|s| s.criterion_id == k.id)?;
        sum += k.weight * s.score / k.max_score;
    }
    Some(sum / total * 100.0)
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

/// A stored review, its scores (JSON by criterion id) read and weighted.
fn review(
    id: Uuid,
    reviewer_id: Option<Uuid>,
    reviewer_name: Option<String>,
    scores: Option<String>,
    comment: Option<String>,
    criteria: &[Criterion],
) -> Review {
    let scores = scores_of(scores);
    let weighted = weighted(criteria, &scores);
    Review { id, reviewer_id, reviewer_name, scores, comment, complete: weighted.is_some(), weighted }
}

/// Score and per-criterion averages over the complete reviews.
fn score_of(criteria: &[Criterion], reviews: &[Review]) -> (Option<f64>, Vec<CriterionAverage>) {
    let complete: Vec<&Review> = reviews.iter().filter(|r| r.complete).collect();
    if complete.is_empty() {
        return (None, Vec::new());
    }
    let count = complete.len() as f64;
    let score = complete.iter().filter_map(|r| r.weighted).sum::<f64>() / count;
    let averages = criteria
        .iter()
        .map(|k| {
            let average = complete
                .iter()
                .filter_map(|r| r.scores.iter().find(|s| s.criterion_id == k.id).map(|s| s.score))
                .sum::<f64>()
                / count;
            CriterionAverage {
                criterion_id: k.id,
                name: k.name.clone(),
                average,
                threshold: k.threshold,
                below_threshold: k.threshold.is_some_and(|t| average < t),
            }
        })
        .collect();
    (Some(score), averages)
}

type AppRow = (
    Uuid,
    Option<Uuid>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<Uuid>,
    Option<i64>,
    Option<String>,
);

/// Every live application of a call with its assessment, ranked ones first in rank order.
pub fn ranked(conn: &Connection, call_id: Uuid) -> Result<Vec<ApplicationRow>> {
    rows_from(
        conn,
        "",
        "application a",
        "a.call_id = ? AND a.deleted = 0",
        vec![optional_id(Some(call_id))],
        "s.position IS NULL, s.position, a.id",
        None,
    )
}

/// Recomputes the kept assessments of a call's applications: all of them, since one application's score
/// moves the others' ranks. An application that moved here from another call leaves that call's rows
/// too; the call it left must be reassessed as well (see [`calls_of`]).
pub(crate) fn reassess(conn: &Connection, call_id: Uuid) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM application_assessment
         WHERE call_id = ?1 OR application_id IN (SELECT id FROM application WHERE call_id = ?1)",
    )?
    .execute(params![call_id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO application_assessment
             (application_id, call_id, eligible, failed, score, below_threshold, rank, zones, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (position, (row, assessment)) in assessed(conn, call_id)?.into_iter().enumerate() {
        let zones: Vec<&str> = assessment.eligibility.zones.iter().map(|z| z.as_str()).collect();
        insert.execute(params![
            row.id,
            call_id,
            row.eligible,
            serde_json::to_string(&row.ineligible_because)?,
            row.score,
            row.below_threshold,
            row.rank,
            zones.join(" "),
            i64::try_from(position).unwrap_or(i64::MAX),
        ])?;
    }
    Ok(())
}

/// Recomputes every call's kept assessments (the migration that made them, and checks).
pub fn reassess_all(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM application_assessment", [])?;
    let calls: Vec<Uuid> = {
        let mut stmt = conn
            .prepare("SELECT DISTINCT call_id FROM application WHERE deleted = 0 AND call_id IS NOT NULL")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for call in calls {
        reassess(conn, call)?;
    }
    Ok(())
}

/// Recomputes the assessments of the calls with an application this organisation leads or joins: its
/// country or zone may have changed.
pub(crate) fn reassess_for_partner(conn: &Connection, partner_id: Uuid) -> Result<()> {
    for call in calls_with_partner(conn, partner_id)? {
        reassess(conn, call)?;
    }
    Ok(())
}

/// The calls with an application this organisation leads or joins.
pub(crate) fn calls_with_partner(conn: &Connection, partner_id: Uuid) -> Result<BTreeSet<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT call_id FROM application WHERE lead_id = ?1 AND deleted = 0 AND call_id IS NOT NULL
         UNION
         SELECT a.call_id FROM application_partner ap JOIN application a ON a.id = ap.application_id
         WHERE ap.partner_id = ?1 AND ap.deleted = 0 AND a.deleted = 0 AND a.call_id IS NOT NULL",
    )?;
    let rows = stmt.query_map(params![partner_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every live application of a call with its assessment, ranked ones first in rank order. The call's
/// partners, their countries and zones and its reviews are read once for all its applications.
fn assessed(conn: &Connection, call_id: Uuid) -> Result<Vec<(ApplicationRow, Assessment)>> {
    let rules = call::rules(conn, call_id)?.unwrap_or_default();
    let criteria = call::criteria(conn, call_id)?;
    let rows: Vec<AppRow> = {
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.call_id, a.reference, a.acronym, a.title, p.name, a.status, a.lead_id, a.requested,
                    c.currency
             FROM application a LEFT JOIN partner_summary p ON p.id = a.lead_id LEFT JOIN call c ON c.id = a.call_id
             WHERE a.call_id = ?1 AND a.deleted = 0",
        )?;
        let rows = stmt.query_map(params![call_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let mut partners: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ap.application_id, ap.partner_id FROM application a
             JOIN application_partner ap ON ap.application_id = a.id
             WHERE a.call_id = ?1 AND a.deleted = 0 AND ap.deleted = 0 AND ap.partner_id IS NOT NULL
             ORDER BY ap.application_id, ap.id",
        )?;
        let rows = stmt.query_map(params![call_id], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, Uuid>(1)?)))?;
        for row in rows {
            let (application, partner) = row?;
            partners.entry(application).or_default().push(partner);
        }
    }
    let places: HashMap<Uuid, (Option<String>, Option<Zone>)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.country, p.zone FROM partner p WHERE p.id IN (
                 SELECT lead_id FROM application WHERE call_id = ?1 AND deleted = 0
                 UNION
                 SELECT ap.partner_id FROM application a JOIN application_partner ap ON ap.application_id = a.id
                 WHERE a.call_id = ?1 AND a.deleted = 0 AND ap.deleted = 0)",
        )?;
        let rows = stmt.query_map(params![call_id], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get::<_, Option<String>>(2)?.and_then(|z| Zone::parse(&z)))))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let mut reviews: HashMap<Uuid, Vec<Review>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT r.application_id, r.id, r.reviewer_id, r.scores, r.comment FROM application a
             JOIN review r ON r.application_id = a.id
             WHERE a.call_id = ?1 AND a.deleted = 0 AND r.deleted = 0 ORDER BY r.id",
        )?;
        let rows = stmt.query_map(params![call_id], |r| {
            Ok((r.get::<_, Uuid>(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<String>>(3)?, r.get(4)?))
        })?;
        for row in rows {
            let (application, id, reviewer_id, scores, comment) = row?;
            reviews.entry(application).or_default().push(review(
                id,
                reviewer_id,
                None,
                scores,
                comment,
                &criteria,
            ));
        }
    }
    let mut out = Vec::new();
    for (id, call, reference, acronym, title, lead_name, status, lead_id, requested, currency) in rows {
        let mut organisations: Vec<Organisation> = Vec::new();
        for o in lead_id.into_iter().chain(partners.remove(&id).unwrap_or_default()) {
            if !organisations.iter().any(|(seen, _, _)| *seen == o) {
                let (country, zone) = places.get(&o).cloned().unwrap_or((None, None));
                organisations.push((o, country, zone));
            }
        }
        let eligibility = eligibility(&rules, lead_id, &organisations);
        let (score, averages) = score_of(&criteria, &reviews.remove(&id).unwrap_or_default());
        let status = ApplicationStatus::parse(&status).unwrap_or(ApplicationStatus::Draft);
        let row = ApplicationRow {
            id,
            call_id: call,
            reference,
            acronym,
            title,
            lead_name,
            status,
            eligible: eligibility.eligible,
            ineligible_because: eligibility.checks.iter().filter(|c| !c.ok).cloned().collect(),
            score,
            below_threshold: averages.iter().any(|a| a.below_threshold),
            rank: None,
            requested,
            currency,
        };
        out.push((row, Assessment { eligibility, score, averages, rank: None }));
    }
    // Competition ranking ("1, 2, 2, 4") of the applications that can be ranked.
    let rankable = |r: &ApplicationRow| {
        r.eligible
            && r.score.is_some()
            && !r.below_threshold
            && !matches!(
                r.status,
                ApplicationStatus::Draft | ApplicationStatus::Ineligible | ApplicationStatus::Withdrawn
            )
    };
    out.sort_by(|(a, _), (b, _)| {
        rankable(b)
            .cmp(&rankable(a))
            .then(b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)))
            .then(a.reference.cmp(&b.reference))
            .then(a.title.cmp(&b.title))
    });
    let mut previous: Option<(f64, u32)> = None;
    for (i, (row, assessment)) in out.iter_mut().enumerate() {
        if !rankable(row) {
            break;
        }
        let score = row.score.unwrap_or_default();
        let rank = match previous {
            Some((s, r)) if s == score => r,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        previous = Some((score, rank));
        row.rank = Some(rank);
        assessment.rank = Some(rank);
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: Uuid) -> Result<Application> {
    let row = conn
        .prepare_cached(
            "SELECT a.call_id, a.reference, a.acronym, a.title, a.pi_id, a.lead_id, a.requested, a.cofunding,
                    a.duration_months, a.status, a.notes, a.deleted, c.title, pi.name, l.name
             FROM application a
             LEFT JOIN call c ON c.id = a.call_id AND c.deleted = 0
             LEFT JOIN contact_summary pi ON pi.id = a.pi_id
             LEFT JOIN partner_summary l ON l.id = a.lead_id
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
                    status: ApplicationStatus::parse(&r.get::<_, String>(9)?)
                        .unwrap_or(ApplicationStatus::Draft),
                    reviews: vec![],
                    notes: r.get(10)?,
                },
                r.get::<_, bool>(11)?,
                r.get::<_, Option<String>>(12)?,
                r.get::<_, Option<String>>(13)?,
                r.get::<_, Option<String>>(14)?,
            ))
        })
        .optional()?;
    let Some((mut input, deleted, call_title, pi_name, lead_name)) = row else {
        return Err(Error::NotFound { entity: "application", id: id.to_string() });
    };
    let partners_read: Vec<(Uuid, PartnerRole)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT ap.id, ap.partner_id, p.name, p.country, ap.role FROM application_partner ap
             LEFT JOIN partner_summary p ON p.id = ap.partner_id
             WHERE ap.application_id = ?1 AND ap.deleted = 0 AND ap.partner_id IS NOT NULL ORDER BY ap.id",
        )?;
        let rows = stmt.query_map(params![id], |r| {
            Ok((
                r.get(0)?,
                PartnerRole { partner_id: r.get(1)?, name: r.get(2)?, country: r.get(3)?, role: r.get(4)? },
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
        partners_read: partners_read.into_iter().map(|(_, p)| p).collect(),
        reviews_read,
        criteria,
        assessment,
        deleted,
    })
}

/// Sort orders of the application list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApplicationSort {
    /// Calls by deadline, each call's applications in rank order.
    Call,
    Reference,
    Title,
    Lead,
    Status,
    Requested,
    Score,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ApplicationQuery {
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub call_id: Option<Uuid>,
    #[ts(optional)]
    pub status: Option<ApplicationStatus>,
    /// Applications this organisation leads or takes part in.
    #[ts(optional)]
    pub partner_id: Option<Uuid>,
    /// Applications this person is the principal investigator of.
    #[ts(optional)]
    pub pi_id: Option<Uuid>,
    /// Applications with an organisation (the lead or a partner) in this zone.
    #[ts(optional)]
    pub zone: Option<Zone>,
    /// Without one: latest call first, each call in rank order (with a search, by relevance).
    #[ts(optional)]
    pub sort: Option<ApplicationSort>,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ApplicationRow>,
}

/// Live applications matching the filters, each with its kept assessment, in the order asked. One whose
/// call has not arrived by sync yet (none can be saved without one) is listed once it has.
pub fn list(conn: &Connection, q: &ApplicationQuery) -> Result<ApplicationPage> {
    let mut conditions = vec!["a.deleted = 0 AND a.call_id IS NOT NULL".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let mut with = String::new();
    let mut from = "application a".to_owned();
    let (sort, dir) = db::sort_or(q.sort, q.descending, ApplicationSort::Call);
    // The calls' rankings: each call by deadline, then each application's place in its call.
    let calls = |dir: &str| {
        format!("c.deadline_at IS NULL, unixepoch(c.deadline_at) {dir}, a.call_id, s.position IS NULL, s.position")
    };
    let ranking = calls("DESC");
    let mut order = match sort {
        ApplicationSort::Call => format!("{}, a.id", calls(dir)),
        ApplicationSort::Reference => format!("a.reference IS NULL, fold(a.reference) {dir}, a.id"),
        ApplicationSort::Title => format!("fold(a.title) {dir}, a.id"),
        ApplicationSort::Lead => format!("p.name IS NULL, fold(p.name) {dir}, {ranking}, a.id"),
        ApplicationSort::Status => {
            format!("{} {dir}, {ranking}, a.id", ApplicationStatus::order_sql("a.status"))
        }
        ApplicationSort::Requested => format!("a.requested IS NULL, a.requested {dir}, {ranking}, a.id"),
        ApplicationSort::Score => format!("s.score IS NULL, s.score {dir}, {ranking}, a.id"),
    };
    if let Some(m) = search::matches(conn, q.search.as_deref(), "application", "application", "a")? {
        (with, from) = (m.with, m.from);
        args.extend(m.args);
        conditions.push(m.condition);
        order = format!("hits.rank, {order}");
    }
    if let Some(c) = q.call_id {
        conditions.push("a.call_id = ?".into());
        args.push(optional_id(Some(c)));
    }
    if let Some(status) = q.status {
        conditions.push("a.status = ?".into());
        args.push(Value::Text(status.as_str().into()));
    }
    if let Some(p) = q.partner_id {
        conditions.push(
            "(a.lead_id = ? OR a.id IN (SELECT application_id FROM application_partner WHERE partner_id = ? AND deleted = 0))"
                .into(),
        );
        args.push(optional_id(Some(p)));
        args.push(optional_id(Some(p)));
    }
    if let Some(pi) = q.pi_id {
        conditions.push("a.pi_id = ?".into());
        args.push(optional_id(Some(pi)));
    }
    if let Some(zone) = q.zone {
        // The zones its assessment found among its organisations, as the dashboard counts them.
        conditions.push(
            "a.id IN (SELECT application_id FROM application_assessment WHERE ' ' || zones || ' ' LIKE ?)"
                .into(),
        );
        args.push(Value::Text(format!("% {} %", zone.as_str())));
    }
    let where_sql = conditions.join(" AND ");
    let total: u32 = conn.query_row(
        &format!("{with}SELECT count(*) FROM {from} WHERE {where_sql}"),
        rusqlite::params_from_iter(&args),
        |r| r.get(0),
    )?;
    let limit = if q.limit == 0 { 100 } else { q.limit.min(500) };
    let rows = rows_from(conn, &with, &from, &where_sql, args, &order, Some((limit, q.offset)))?;
    Ok(ApplicationPage { total, offset: q.offset, rows })
}

/// Applications (`a` in `from`, with `where_sql` and its arguments) and their kept assessments, in `order`,
/// all of them or the `(limit, offset)` window.
fn rows_from(
    conn: &Connection,
    with: &str,
    from: &str,
    where_sql: &str,
    mut args: Vec<Value>,
    order: &str,
    window: Option<(u32, u32)>,
) -> Result<Vec<ApplicationRow>> {
    let mut sql = format!(
        "{with}SELECT a.id, a.call_id, a.reference, a.acronym, a.title, p.name, a.status, s.eligible, s.failed,
                s.score, s.below_threshold, s.rank, a.requested, c.currency
         FROM {from}
         LEFT JOIN application_assessment s ON s.application_id = a.id
         LEFT JOIN partner_summary p ON p.id = a.lead_id
         LEFT JOIN call c ON c.id = a.call_id
         WHERE {where_sql} ORDER BY {order}"
    );
    if let Some((limit, offset)) = window {
        sql.push_str(" LIMIT ? OFFSET ?");
        args.push(Value::Integer(limit.into()));
        args.push(Value::Integer(offset.into()));
    }
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(&args), |r| {
        let failed: Option<String> = r.get(8)?;
        Ok(ApplicationRow {
            id: r.get(0)?,
            call_id: r.get(1)?,
            reference: r.get(2)?,
            acronym: r.get(3)?,
            title: r.get(4)?,
            lead_name: r.get(5)?,
            status: ApplicationStatus::parse(&r.get::<_, String>(6)?).unwrap_or(ApplicationStatus::Draft),
            eligible: r.get::<_, Option<bool>>(7)?.unwrap_or(false),
            ineligible_because: failed.and_then(|f| serde_json::from_str(&f).ok()).unwrap_or_default(),
            score: r.get(9)?,
            below_threshold: r.get::<_, Option<bool>>(10)?.unwrap_or(false),
            rank: r.get(11)?,
            requested: r.get(12)?,
            currency: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
