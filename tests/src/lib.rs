//! Shared set-up for the integration and end-to-end tests: databases in memory, sample inputs.

use liaison_core::kinds::{IdScheme, OrgKind, PartnerStatus, Zone};
use liaison_core::records::contact::{AffiliationInput, ContactInput};
use liaison_core::records::partner::{IdentifierInput, NameInput, PartnerInput};
use liaison_core::{store, ManualClock};
use rusqlite::Connection;

/// A migrated, initialised database in memory, named "Test office", and a clock that moves only when told.
pub fn in_memory_db() -> (Connection, ManualClock) {
    let clock = ManualClock::new();
    let mut conn = liaison_core::open_in_memory().expect("an in-memory database opens");
    liaison_core::write(&mut conn, |tx| store::init(tx, "Test office", &clock))
        .expect("init works on a new database");
    (conn, clock)
}

pub fn name(value: &str, lang: &str, primary: bool) -> NameInput {
    NameInput { id: None, value: value.into(), lang: lang.into(), primary }
}

/// Fudan University, with its Chinese primary name and its ROR id.
pub fn fudan() -> PartnerInput {
    PartnerInput {
        names: vec![name("复旦大学", "zh-Hans", true), name("Fudan University", "en", false)],
        acronym: Some("FDU".into()),
        kind: OrgKind::University,
        parent_id: None,
        country: Some("CN".into()),
        city: Some("Shanghai".into()),
        zone: Some(Zone::China),
        website: Some("https://www.fudan.edu.cn".into()),
        status: PartnerStatus::Active,
        identifiers: vec![IdentifierInput { id: None, scheme: IdScheme::Ror, value: "013q1eq08".into() }],
        tags: vec!["Shanghai".into()],
        notes: None,
    }
}

/// A partner with one name and nothing else.
pub fn simple(name_text: &str, lang: &str, country: &str) -> PartnerInput {
    PartnerInput {
        names: vec![name(name_text, lang, true)],
        acronym: None,
        kind: OrgKind::University,
        parent_id: None,
        country: Some(country.into()),
        city: None,
        zone: None,
        website: None,
        status: PartnerStatus::Active,
        identifiers: vec![],
        tags: vec![],
        notes: None,
    }
}

pub fn person(family: &str, given: &str, native: Option<&str>, partner_id: uuid::Uuid) -> ContactInput {
    ContactInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        native_name: native.map(Into::into),
        title: None,
        emails: vec![format!("{}.{}@example.edu", given.to_lowercase(), family.to_lowercase())],
        phones: vec![],
        languages: vec!["en".into()],
        affiliations: vec![AffiliationInput {
            id: None,
            partner_id: Some(partner_id),
            role: Some("Professor".into()),
            start_date: Some("2020-09-01".into()),
            end_date: None,
        }],
        notes: None,
    }
}

/// A bilateral student-exchange agreement between two partners, 2024-09-01 to 2029-08-31, with five
/// places a year each way from 2024/2025 to 2028/2029.
pub fn exchange_agreement(a: uuid::Uuid, b: uuid::Uuid) -> liaison_core::records::agreement::AgreementInput {
    use liaison_core::kinds::{AgreementKind, AgreementStatus, Cefr, Level, MobilityType};
    use liaison_core::records::agreement::{AgreementInput, ConditionInput, LanguageLevel, PartyInput};
    let party = |id| PartyInput {
        id: None,
        partner_id: Some(id),
        unit_id: None,
        role: None,
        signatory_id: None,
        signed_date: None,
    };
    let condition = |from, to| ConditionInput {
        id: None,
        mobility: MobilityType::StudentStudy,
        sending_id: Some(from),
        receiving_id: Some(to),
        places: Some(5),
        months: None,
        levels: vec![Level::Eqf7],
        languages: vec![LanguageLevel { lang: "fr".into(), cefr: Cefr::B1 }],
        first_year: Some(2024),
        last_year: Some(2028),
    };
    AgreementInput {
        code: Some("SE-2024-01".into()),
        title: "Student exchange in urban planning".into(),
        kind: AgreementKind::StudentExchange,
        parent_id: None,
        status: AgreementStatus::Active,
        signed_date: Some("2024-06-15".into()),
        start_date: Some("2024-09-01".into()),
        end_date: Some("2029-08-31".into()),
        auto_renewal: false,
        notice_months: Some(6),
        fields: vec!["0731".into()],
        parties: vec![party(a), party(b)],
        conditions: vec![condition(a, b), condition(b, a)],
        notes: None,
    }
}

/// An incoming master's student from `home` to `host` in academic year `year`.
pub fn incoming_student(
    person: uuid::Uuid,
    home: uuid::Uuid,
    host: uuid::Uuid,
    year: i64,
) -> liaison_core::records::exchange::ExchangeInput {
    use liaison_core::kinds::{Direction, ExchangeCategory, ExchangeStatus, Level, Programme};
    use liaison_core::records::exchange::ExchangeInput;
    ExchangeInput {
        person_id: Some(person),
        direction: Direction::Incoming,
        category: ExchangeCategory::Student,
        programme: Programme::Agreement,
        home_id: Some(home),
        host_id: Some(host),
        unit_id: None,
        agreement_id: None,
        condition_id: None,
        academic_year: Some(year),
        planned_start: Some(format!("{year}-09-01")),
        planned_end: Some(format!("{}-01-31", year + 1)),
        actual_start: None,
        actual_end: None,
        level: Some(Level::Eqf7),
        field: Some("0731".into()),
        language: Some("fr".into()),
        cefr: None,
        funding: None,
        amount: None,
        currency: None,
        status: ExchangeStatus::Accepted,
        cohort: Some(format!("Tongji urban planning {year}")),
        notes: None,
    }
}
