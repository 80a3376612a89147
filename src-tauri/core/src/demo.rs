//! The demo workspace: the alliance's real partner institutions (names in their own scripts, real ROR ids
//! where known) with made-up contacts. Loaded in one transaction, through the same validated write path as
//! a user's edits, so the demo is also an end-to-end check of the core.

use std::collections::HashMap;

use crate::store::Tx;
use serde::Deserialize;

use crate::clock::Clock;
use crate::error::{Error, FieldError, Result};
use crate::records::contact::{self, AffiliationInput, ContactInput};
use crate::records::partner::{self, PartnerInput};

mod records;
mod scale;

pub use scale::{scale, scale_in, ScaleCounts};

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
pub fn load(tx: &Tx, clock: &dyn Clock) -> Result<DemoCounts> {
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
        crate::store::analyze(tx)?;
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
