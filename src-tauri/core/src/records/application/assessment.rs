//! The pure side of an application's assessment, as plain functions over data: a call's eligibility rules
//! checked against the organisations involved and explained rule by rule ("2 countries, 3 required"), a
//! review's weighted score, an application's score and criteria below threshold, and the ranking of a call's
//! applications. No database: callers read the data and keep the results.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::kinds::{ApplicationStatus, Zone};

/// What an application must show to be eligible.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct EligibilityRules {
    /// Organisations involved, the lead included.
    #[ts(type = "number | null")]
    pub min_partners: Option<i64>,
    #[ts(type = "number | null")]
    pub min_countries: Option<i64>,
    /// Zones every one of which must be among the organisations' zones.
    pub required_zones: Vec<Zone>,
    /// The lead organisation must be in France (a member of the alliance).
    pub lyon_lead_required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Criterion {
    pub id: Uuid,
    pub name: String,
    pub weight: f64,
    pub max_score: f64,
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Score {
    pub criterion_id: Uuid,
    pub score: f64,
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

/// An organisation of an application: id, country, zone.
pub type Organisation = (Uuid, Option<String>, Option<Zone>);

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

pub fn scores_of(text: Option<String>) -> Vec<Score> {
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

/// A stored review, its scores (JSON by criterion id) read and weighted.
pub fn review(
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
pub fn score_of(criteria: &[Criterion], reviews: &[Review]) -> (Option<f64>, Vec<CriterionAverage>) {
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

/// What places an application in its call's ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing<'a> {
    pub eligible: bool,
    pub score: Option<f64>,
    pub below_threshold: bool,
    pub status: ApplicationStatus,
    pub reference: Option<&'a str>,
    pub title: &'a str,
}

impl Standing<'_> {
    /// Eligible, reviewed, above every threshold and still in the running.
    fn rankable(&self) -> bool {
        self.eligible
            && self.score.is_some()
            && !self.below_threshold
            && !matches!(
                self.status,
                ApplicationStatus::Draft | ApplicationStatus::Ineligible | ApplicationStatus::Withdrawn
            )
    }
}

/// A call's ranking, competition style ("1, 2, 2, 4"): the applications (indexes into `standings`) in
/// order, rankable ones first by score (then reference and title), each with its rank (`None` for the
/// rest, which follow unranked).
pub fn rank(standings: &[Standing]) -> Vec<(usize, Option<u32>)> {
    let mut order: Vec<usize> = (0..standings.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&standings[a], &standings[b]);
        b.rankable()
            .cmp(&a.rankable())
            .then(b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)))
            .then(a.reference.cmp(&b.reference))
            .then(a.title.cmp(b.title))
    });
    let mut previous: Option<(f64, u32)> = None;
    let mut out = Vec::with_capacity(order.len());
    for (i, index) in order.into_iter().enumerate() {
        let standing = &standings[index];
        let rank = standing.rankable().then(|| {
            let score = standing.score.unwrap_or_default();
            let rank = match previous {
                Some((s, r)) if s == score => r,
                _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
            };
            previous = Some((score, rank));
            rank
        });
        out.push((index, rank));
    }
    out
}
