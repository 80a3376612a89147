//! The rules a form applies before saving, handed to the UI as data so that it keeps no copy of them: the
//! closed vocabularies in their order, an application's status moves, each country's zone, the alliance's
//! fields and ISCED-F's (with their labels), and a review's weighted score as it will be kept.

use isocountry::CountryCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kinds::isced::{self, IscedField};
use crate::kinds::{
    AgreementKind, AgreementStatus, ApplicationStatus, CallStatus, Cefr, Direction, EventKind,
    ExchangeCategory, ExchangeStatus, IdScheme, Level, MobilityType, OrgKind, PartnerStatus, Programme,
    ProjectKind, ProjectStatus, Zone, ALLIANCE_FIELDS,
};
use crate::records::application::{self, Score};
use crate::records::call::Criterion;
use crate::validate::{TextLimits, TEXT_LIMITS};

/// The statuses an application in status `from` may move to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusMoves {
    pub from: ApplicationStatus,
    pub to: Vec<ApplicationStatus>,
}

/// An ISO 3166-1 country and the zone its partners fall in when none is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Country {
    /// Alpha-2 code ("CN").
    pub code: String,
    pub zone: Zone,
}

/// Every vocabulary in its order (a workflow's order for statuses), and the rules forms need before saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rules {
    pub org_kinds: Vec<OrgKind>,
    pub zones: Vec<Zone>,
    pub partner_statuses: Vec<PartnerStatus>,
    pub id_schemes: Vec<IdScheme>,
    pub agreement_kinds: Vec<AgreementKind>,
    pub agreement_statuses: Vec<AgreementStatus>,
    pub mobility_types: Vec<MobilityType>,
    pub levels: Vec<Level>,
    pub cefrs: Vec<Cefr>,
    pub directions: Vec<Direction>,
    pub exchange_categories: Vec<ExchangeCategory>,
    pub programmes: Vec<Programme>,
    pub exchange_statuses: Vec<ExchangeStatus>,
    pub call_statuses: Vec<CallStatus>,
    pub application_statuses: Vec<ApplicationStatus>,
    pub project_kinds: Vec<ProjectKind>,
    pub project_statuses: Vec<ProjectStatus>,
    pub event_kinds: Vec<EventKind>,
    /// Accepted as fields of study beside ISCED-F 2013 four-digit codes.
    pub alliance_fields: Vec<String>,
    /// ISCED-F 2013 detailed fields ("0912" Medicine) with their labels, in code order.
    pub isced_fields: Vec<IscedField>,
    /// ISCED-F 2013 broad fields ("09" Health and welfare): a code ISCED-F does not list is shown by its own.
    pub isced_broad_fields: Vec<IscedField>,
    /// For each application status, the statuses it may move to.
    pub application_moves: Vec<StatusMoves>,
    /// Every officially assigned country, by code, with its zone.
    pub countries: Vec<Country>,
    /// How much of a search query is read: a search box takes no more.
    pub search_max_chars: u32,
    /// The first and the last academic year a record may name (by the calendar year each starts in).
    #[ts(type = "[number, number]")]
    pub academic_years: (i64, i64),
    /// The longest text each kind of field takes (a form's maxLength) and the most items of one list.
    pub text_limits: TextLimits,
}

pub fn rules() -> Rules {
    Rules {
        org_kinds: OrgKind::ALL.to_vec(),
        zones: Zone::ALL.to_vec(),
        partner_statuses: PartnerStatus::ALL.to_vec(),
        id_schemes: IdScheme::ALL.to_vec(),
        agreement_kinds: AgreementKind::ALL.to_vec(),
        agreement_statuses: AgreementStatus::ALL.to_vec(),
        mobility_types: MobilityType::ALL.to_vec(),
        levels: Level::ALL.to_vec(),
        cefrs: Cefr::ALL.to_vec(),
        directions: Direction::ALL.to_vec(),
        exchange_categories: ExchangeCategory::ALL.to_vec(),
        programmes: Programme::ALL.to_vec(),
        exchange_statuses: ExchangeStatus::ALL.to_vec(),
        call_statuses: CallStatus::ALL.to_vec(),
        application_statuses: ApplicationStatus::ALL.to_vec(),
        project_kinds: ProjectKind::ALL.to_vec(),
        project_statuses: ProjectStatus::ALL.to_vec(),
        event_kinds: EventKind::ALL.to_vec(),
        alliance_fields: ALLIANCE_FIELDS.iter().map(|f| (*f).to_owned()).collect(),
        isced_fields: isced::detailed_fields(),
        isced_broad_fields: isced::broad_fields(),
        application_moves: ApplicationStatus::ALL
            .iter()
            .map(|&from| StatusMoves { from, to: from.next().to_vec() })
            .collect(),
        countries: CountryCode::iter_alpha2()
            .map(|c| Country { code: c.alpha2().to_owned(), zone: Zone::of_country(c.alpha2()) })
            .collect(),
        search_max_chars: u32::try_from(crate::search::index::QUERY_MAX_CHARS).unwrap_or(u32::MAX),
        academic_years: (*crate::validate::ACADEMIC_YEARS.start(), *crate::validate::ACADEMIC_YEARS.end()),
        text_limits: TEXT_LIMITS,
    }
}

/// A review's weighted score (0–100) as the application will keep it, for a form to show before saving:
/// `None` until every criterion has a score, or while a score is outside its criterion's range (saving
/// would be refused).
pub fn review_score(criteria: &[Criterion], scores: &[Score]) -> Option<f64> {
    let in_range = scores.iter().all(|s| {
        criteria
            .iter()
            .find(|k| k.id == s.criterion_id)
            .is_none_or(|k| (0.0..=k.max_score).contains(&s.score))
    });
    if in_range {
        application::weighted(criteria, scores)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn criterion(weight: f64, max_score: f64) -> Criterion {
        Criterion { id: Uuid::now_v7(), name: "c".into(), weight, max_score, threshold: None }
    }

    #[test]
    fn every_application_status_says_where_it_may_move() {
        let r = rules();
        assert_eq!(r.application_moves.len(), ApplicationStatus::ALL.len());
        let draft = r.application_moves.iter().find(|m| m.from == ApplicationStatus::Draft).expect("draft");
        assert_eq!(draft.to, [ApplicationStatus::Submitted, ApplicationStatus::Withdrawn]);
    }

    #[test]
    fn countries_carry_the_zone_a_partner_gets_by_default() {
        let r = rules();
        let zone = |code: &str| r.countries.iter().find(|c| c.code == code).map(|c| c.zone);
        assert_eq!(zone("TW"), Some(Zone::China));
        assert_eq!(zone("FR"), Some(Zone::FranceEurope));
        assert_eq!(zone("US"), Some(Zone::Other));
        assert!(
            r.countries.len() > 240,
            "every assigned ISO 3166-1 code, not a sample: {}",
            r.countries.len()
        );
    }

    #[test]
    fn a_review_scores_only_once_complete_and_within_range() {
        let (a, b) = (criterion(2.0, 10.0), criterion(1.0, 5.0));
        let criteria = [a.clone(), b.clone()];
        let score = |id: Uuid, score: f64| Score { criterion_id: id, score };
        assert_eq!(review_score(&criteria, &[score(a.id, 10.0)]), None, "one criterion unscored");
        let full = review_score(&criteria, &[score(a.id, 5.0), score(b.id, 5.0)]).expect("complete");
        assert!((full - 200.0 / 3.0).abs() < 1e-9, "(2 × 0.5 + 1 × 1) / 3 = 66.7 %, got {full}");
        assert_eq!(review_score(&criteria, &[score(a.id, 11.0), score(b.id, 5.0)]), None, "11 out of 10");
        assert_eq!(review_score(&criteria, &[score(a.id, -1.0), score(b.id, 5.0)]), None, "below 0");
    }
}
