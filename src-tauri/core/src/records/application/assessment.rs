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

#[cfg(test)]
mod tests {
    use super::*;

    fn org(n: u128, country: &str, zone: Zone) -> Organisation {
        (Uuid::from_u128(n), Some(country.into()), Some(zone))
    }

    fn criterion(n: u128, weight: f64, threshold: Option<f64>) -> Criterion {
        Criterion { id: Uuid::from_u128(n), name: format!("c{n}"), weight, max_score: 5.0, threshold }
    }

    fn scores(marks: &[(u128, f64)]) -> Vec<Score> {
        marks.iter().map(|(c, s)| Score { criterion_id: Uuid::from_u128(*c), score: *s }).collect()
    }

    #[test]
    fn eligibility_explains_each_rule_with_its_figures() {
        let rules = EligibilityRules {
            min_partners: Some(3),
            min_countries: Some(3),
            required_zones: vec![Zone::China, Zone::Japan],
            lyon_lead_required: true,
        };
        let lead = org(1, "FR", Zone::FranceEurope);
        let orgs = [lead.clone(), org(2, "CN", Zone::China), org(3, "CN", Zone::China)];
        let e = eligibility(&rules, Some(lead.0), &orgs);
        assert!(!e.eligible, "two countries and no Japan: not eligible");
        let rule = |name: &str| e.checks.iter().find(|c| c.rule == name).expect(name);
        assert!(rule("min_partners").ok, "three organisations, three required");
        assert_eq!(rule("min_countries").message, "2 countries, 3 required");
        assert_eq!(rule("required_zones").missing_zones, vec![Zone::Japan]);
        assert!(rule("lyon_lead").ok, "led from France");
        assert_eq!(e.countries, vec!["CN".to_owned(), "FR".to_owned()]);
    }

    #[test]
    fn a_lead_outside_france_fails_the_lyon_rule_naming_its_country() {
        let rules = EligibilityRules { lyon_lead_required: true, ..EligibilityRules::default() };
        let lead = org(1, "BR", Zone::Brazil);
        let e = eligibility(&rules, Some(lead.0), std::slice::from_ref(&lead));
        assert!(!e.eligible);
        assert!(e.checks[0].message.contains("BR"), "{}", e.checks[0].message);
        assert!(eligibility(&EligibilityRules::default(), None, &[]).eligible, "no rule, nothing to fail");
    }

    #[test]
    fn a_weighted_score_needs_every_criterion_and_weighs_each_over_its_maximum() {
        let criteria = [criterion(1, 2.0, None), criterion(2, 1.0, None)];
        // (2 × 5/5 + 1 × 2.5/5) / 3 = 83.3 %
        let full = weighted(&criteria, &scores(&[(1, 5.0), (2, 2.5)])).expect("complete");
        assert!((full - 250.0 / 3.0).abs() < 1e-9, "{full}");
        assert_eq!(weighted(&criteria, &scores(&[(1, 5.0)])), None, "a criterion unscored: no score yet");
        assert_eq!(weighted(&[], &scores(&[(1, 5.0)])), None, "no criteria, no score");
    }

    #[test]
    fn the_score_averages_complete_reviews_and_flags_criteria_below_threshold() {
        let criteria = [criterion(1, 1.0, Some(3.0)), criterion(2, 1.0, None)];
        let reviews = [
            review(Uuid::from_u128(10), None, None, Some(r#"{"00000000-0000-0000-0000-000000000001": 2, "00000000-0000-0000-0000-000000000002": 5}"#.into()), None, &criteria),
            review(Uuid::from_u128(11), None, None, Some(r#"{"00000000-0000-0000-0000-000000000001": 3, "00000000-0000-0000-0000-000000000002": 5}"#.into()), None, &criteria),
            // Incomplete: left out of the averages.
            review(Uuid::from_u128(12), None, None, Some(r#"{"00000000-0000-0000-0000-000000000001": 5}"#.into()), None, &criteria),
        ];
        assert!(!reviews[2].complete);
        let (score, averages) = score_of(&criteria, &reviews);
        assert!(score.is_some());
        assert_eq!(averages[0].average, 2.5);
        assert!(averages[0].below_threshold, "2.5 is under the threshold of 3");
        assert!(!averages[1].below_threshold);
        assert_eq!(score_of(&criteria, &reviews[2..]), (None, Vec::new()), "no complete review, no score");
    }

    #[test]
    fn ranking_is_competition_style_and_leaves_the_unrankable_after_unranked() {
        let standing =
            |score: Option<f64>, eligible: bool, status: ApplicationStatus, title: &'static str| Standing {
                eligible,
                score,
                below_threshold: false,
                status,
                reference: None,
                title,
            };
        let s = [
            standing(Some(70.0), true, ApplicationStatus::UnderEvaluation, "c"),
            standing(Some(90.0), true, ApplicationStatus::UnderEvaluation, "a"),
            standing(Some(90.0), true, ApplicationStatus::Selected, "b"),
            standing(Some(99.0), false, ApplicationStatus::Submitted, "ineligible"),
            standing(Some(95.0), true, ApplicationStatus::Withdrawn, "withdrawn"),
            standing(None, true, ApplicationStatus::Submitted, "unreviewed"),
        ];
        let ranking = rank(&s);
        let order: Vec<(&str, Option<u32>)> = ranking.iter().map(|(i, r)| (s[*i].title, *r)).collect();
        assert_eq!(
            &order[..3],
            &[("a", Some(1)), ("b", Some(1)), ("c", Some(3))],
            "ties share a rank, the next skips"
        );
        assert!(order[3..].iter().all(|(_, r)| r.is_none()), "the rest follow unranked: {order:?}");
        assert_eq!(order.len(), s.len(), "every application is placed");
    }
}
