//! Shared set-up for the integration and end-to-end tests: databases in memory, sample inputs.

use liaison_core::contact::{AffiliationInput, ContactInput};
use liaison_core::kinds::{IdScheme, OrgKind, PartnerStatus, Zone};
use liaison_core::partner::{IdentifierInput, NameInput, PartnerInput};
use liaison_core::{db, ManualClock};
use rusqlite::Connection;

/// A migrated, initialised database in memory, named "Test office", and a clock that moves only when told.
pub fn in_memory_db() -> (Connection, ManualClock) {
    let clock = ManualClock::new();
    let mut conn = db::open_in_memory().expect("an in-memory database opens");
    liaison_core::write(&mut conn, |tx| db::init(tx, "Test office", &clock))
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
