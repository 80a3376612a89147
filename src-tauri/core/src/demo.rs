//! The demo workspace: the alliance's real partner institutions (names in their own scripts, real ROR ids
//! where known) with made-up contacts. Loaded in one transaction, through the same validated write path as
//! a user's edits, so the demo is also an end-to-end check of the core.

use std::collections::HashMap;

use rusqlite::Transaction;
use serde::Deserialize;

use crate::clock::Clock;
use crate::contact::{self, AffiliationInput, ContactInput};
use crate::error::{Error, FieldError, Result};
use crate::partner::{self, PartnerInput};

mod records;

const ALLIANCE: &str = include_str!("demo/alliance.json");

#[derive(Deserialize)]
struct DemoData {
    partners: Vec<DemoPartner>,
    contacts: Vec<DemoContact>,
}

#[derive(Deserialize)]
struct DemoPartner {
    key: String,
    parent: Option<String>,
    #[serde(flatten)]
    input: PartnerInput,
}

#[derive(Deserialize)]
struct DemoAffiliation {
    partner: String,
    role: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
}

#[derive(Deserialize)]
struct DemoContact {
    affiliations: Vec<DemoAffiliation>,
    #[serde(flatten)]
    input: ContactInput,
}

/// What the demo holds.
pub struct DemoCounts {
    pub partners: usize,
    pub contacts: usize,
    pub agreements: usize,
    pub exchanges: usize,
    pub calls: usize,
    pub applications: usize,
    pub projects: usize,
    pub events: usize,
}

/// Loads the demo into an initialised workspace that holds no partner yet, within the caller's transaction.
pub fn load(tx: &Transaction, clock: &dyn Clock) -> Result<DemoCounts> {
    let existing: i64 = tx.query_row("SELECT count(*) FROM partner", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(Error::Conflict(format!(
            "this workspace already holds {existing} partners; the demo loads into an empty one"
        )));
    }
    let data: DemoData = crate::json::from_str(ALLIANCE)?;
    {
        let mut ids: HashMap<&str, uuid::Uuid> = HashMap::new();
        let unknown = |key: &str| {
            Error::Invalid(vec![FieldError {
                field: "demo".into(),
                code: "not_found".into(),
                message: format!("the demo names an unknown partner key {key}"),
            }])
        };
        for p in &data.partners {
            let mut input = p.input.clone();
            input.parent_id = match &p.parent {
                Some(key) => Some(ids.get(key.as_str()).copied().ok_or_else(|| unknown(key))?),
                None => None,
            };
            let created = partner::create(tx, clock, &input)?;
            ids.insert(&p.key, created.id);
        }
        for c in &data.contacts {
            let mut input = c.input.clone();
            input.affiliations = c
                .affiliations
                .iter()
                .map(|a| {
                    Ok(AffiliationInput {
                        id: None,
                        partner_id: Some(
                            ids.get(a.partner.as_str()).copied().ok_or_else(|| unknown(&a.partner))?,
                        ),
                        role: a.role.clone(),
                        start_date: a.start_date.clone(),
                        end_date: a.end_date.clone(),
                    })
                })
                .collect::<Result<_>>()?;
            contact::create(tx, clock, &input)?;
        }
        let records = records::load(tx, clock, &records::Keys(&ids))?;
        crate::db::analyze(tx)?;
        Ok(DemoCounts {
            partners: data.partners.len(),
            contacts: data.contacts.len() + records.people,
            agreements: records.agreements,
            exchanges: records.exchanges,
            calls: records.calls,
            applications: records.applications,
            projects: records.projects,
            events: records.events,
        })
    }
}

/// Adds `exchanges` generated exchanges to a workspace, with proportionate other records: one person per two
/// exchanges, one partner per 500 (at least 20) and one agreement per 100 (at least 10), for scale tests.
/// Written in batches of 10,000 through the ordinary write path; `progress` hears how many are done.
pub fn scale(
    conn: &mut rusqlite::Connection,
    clock: &dyn Clock,
    exchanges: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    use crate::agreement::{self, AgreementInput, ConditionInput, PartyInput};
    use crate::exchange;
    use crate::kinds::{
        AgreementKind, AgreementStatus, Direction, ExchangeCategory, ExchangeStatus, MobilityType, Programme,
    };
    if crate::db::replica(conn)?.is_none() {
        crate::write(conn, |tx| crate::db::init(tx, "Scale test", clock).map(|_| ()))?;
    }
    const COUNTRIES: &[(&str, &str, &str)] = &[
        ("CN", "zh-Hans", "示范大学"),
        ("JP", "ja", "見本大学"),
        ("BR", "pt-BR", "Universidade Exemplo"),
        ("CA", "en", "Sample University"),
        ("CN", "zh-Hans", "样本理工大学"),
    ];
    let partner_count = (exchanges / 500).max(20);
    let agreement_count = (exchanges / 100).max(10);
    let (lyon, agreements) = crate::write(conn, |tx| {
        let lyon =
            partner::create(tx, clock, &generated_partner("Université de Lyon (scale)", "fr", "FR"))?.id;
        let mut partners = Vec::with_capacity(partner_count);
        for i in 0..partner_count {
            let (country, lang, stem) = COUNTRIES[i % COUNTRIES.len()];
            partners.push(
                partner::create(tx, clock, &generated_partner(&format!("{stem} {i}"), lang, country))?.id,
            );
        }
        let mut agreements = Vec::with_capacity(agreement_count);
        for i in 0..agreement_count {
            let other = partners[i % partners.len()];
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
                places: Some(10),
                months: None,
                levels: vec![],
                languages: vec![],
                first_year: Some(2000),
                last_year: Some(2030),
            };
            let a = agreement::create(
                tx,
                clock,
                &AgreementInput {
                    code: Some(format!("GEN-{i:06}")),
                    title: format!("Generated exchange agreement {i}"),
                    kind: AgreementKind::StudentExchange,
                    parent_id: None,
                    status: AgreementStatus::Active,
                    signed_date: Some("1999-12-01".into()),
                    start_date: Some("2000-01-01".into()),
                    end_date: Some("2031-12-31".into()),
                    auto_renewal: false,
                    notice_months: None,
                    fields: vec![],
                    parties: vec![party(other), party(lyon)],
                    conditions: vec![condition(other, lyon), condition(lyon, other)],
                    notes: None,
                },
            )?;
            let incoming = a.conditions.iter().find(|c| c.sending_id == Some(other)).map(|c| c.id);
            let outgoing = a.conditions.iter().find(|c| c.sending_id == Some(lyon)).map(|c| c.id);
            agreements.push((a.id, other, incoming, outgoing));
        }
        Ok((lyon, agreements))
    })?;
    let categories = [ExchangeCategory::Student, ExchangeCategory::Doctoral, ExchangeCategory::Staff];
    let statuses = [
        ExchangeStatus::Completed,
        ExchangeStatus::Ongoing,
        ExchangeStatus::Accepted,
        ExchangeStatus::Cancelled,
    ];
    let mut done = 0;
    while done < exchanges {
        let batch = (exchanges - done).min(10_000);
        crate::write(conn, |tx| {
            let mut person = None;
            for i in done..done + batch {
                let (agreement, other, incoming, outgoing) = agreements[i % agreements.len()];
                let direction = if i % 3 == 2 { Direction::Outgoing } else { Direction::Incoming };
                if person.is_none() || i % 2 == 0 {
                    let home = if direction == Direction::Incoming { other } else { lyon };
                    person = Some(contact::create(tx, clock, &records::student(i, home, "2020-09-01"))?.id);
                }
                let year = 2000 + i64::try_from(i % 27).unwrap_or(0);
                let (home, host, condition) = match direction {
                    Direction::Incoming => (other, lyon, incoming),
                    Direction::Outgoing => (lyon, other, outgoing),
                };
                let mut e = records::mobility(
                    person.ok_or(Error::NotInitialised)?,
                    direction,
                    categories[i % categories.len()],
                    Programme::Agreement,
                    home,
                    host,
                    year,
                    statuses[i % statuses.len()],
                );
                e.planned_end = Some(format!("{}-01-31", year + 1));
                e.agreement_id = Some(agreement);
                e.condition_id = condition;
                e.field = Some("0731".into());
                if i % 10 == 0 {
                    e.cohort = Some(format!("Generated cohort {}", i % 1000));
                }
                exchange::create(tx, clock, &e)?;
            }
            Ok(())
        })?;
        done += batch;
        progress(done);
    }
    crate::db::analyze(conn)?;
    Ok(())
}

fn generated_partner(name: &str, lang: &str, country: &str) -> PartnerInput {
    PartnerInput {
        names: vec![crate::partner::NameInput {
            id: None,
            value: name.into(),
            lang: lang.into(),
            primary: true,
        }],
        acronym: None,
        kind: crate::kinds::OrgKind::University,
        parent_id: None,
        country: Some(country.into()),
        city: None,
        zone: None,
        website: None,
        status: crate::kinds::PartnerStatus::Active,
        identifiers: vec![],
        tags: vec![],
        notes: None,
    }
}
