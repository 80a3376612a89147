//! Generated workspaces for scale tests (`liaison demo --scale N`): N exchanges with every other kind of record
//! in proportion, written through the ordinary validated write path so the data is what users would make.
//! Deterministic: the same N gives the same records.

use rusqlite::Connection;
use uuid::Uuid;

use super::records;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::job::{in_steps, Commit, Job, Steps};
use crate::kinds::{
    AgreementKind, AgreementStatus, ApplicationStatus, CallStatus, Direction, EventKind, ExchangeCategory,
    ExchangeStatus, MobilityType, Programme, ProjectKind, ProjectStatus, Zone,
};
use crate::records::agreement::{self, AgreementInput, ConditionInput, PartyInput};
use crate::records::application::{self, ApplicationInput, ApplicationPartnerInput, ReviewInput, Score};
use crate::records::call::{self, CallInput, CriterionInput, EligibilityRules};
use crate::records::contact;
use crate::records::event::{self, EventInput};
use crate::records::exchange;
use crate::records::partner::{self, PartnerInput};
use crate::records::project::{self, ProjectInput, ProjectPartnerInput};

/// How many of each other record `exchanges` generated exchanges come with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleCounts {
    pub partners: usize,
    pub agreements: usize,
    pub projects: usize,
    pub events: usize,
    pub calls: usize,
    /// Fifty a call.
    pub applications: usize,
}

impl ScaleCounts {
    /// One partner per 500 exchanges, one agreement per 100, one project per 1,000, one event per 250, one
    /// call per 10,000 with fifty applications each (so a million exchanges come with 2,000 partners, 10,000
    /// agreements, 1,000 projects, 4,000 events, 100 calls and 5,000 applications); a small N still gets a
    /// few of each.
    pub fn for_exchanges(exchanges: usize) -> ScaleCounts {
        let calls = (exchanges / 10_000).max(2);
        ScaleCounts {
            partners: (exchanges / 500).max(20),
            agreements: (exchanges / 100).max(10),
            projects: (exchanges / 1_000).max(5),
            events: (exchanges / 250).max(5),
            calls,
            applications: calls * APPLICATIONS_PER_CALL,
        }
    }
}

const APPLICATIONS_PER_CALL: usize = 50;

const COUNTRIES: &[(&str, &str, &str)] = &[
    ("CN", "zh-Hans", "示范大学"),
    ("JP", "ja", "見本大学"),
    ("BR", "pt-BR", "Universidade Exemplo"),
    ("CA", "en", "Sample University"),
    ("CN", "zh-Hans", "样本理工大学"),
];

/// Adds `exchanges` generated exchanges to a workspace, with one person per two exchanges and the other
/// records of [`ScaleCounts::for_exchanges`]. Exchanges are written in steps of 10,000, committed as
/// `commit` says; `job` hears the progress and may cancel (the step under way is rolled back).
pub fn scale(
    conn: &mut Connection,
    clock: &dyn Clock,
    exchanges: usize,
    commit: Commit,
    job: &Job,
) -> Result<ScaleCounts> {
    let counts = in_steps(conn, commit, |steps| scale_in(steps, clock, exchanges, job))?;
    crate::store::analyze(conn)?;
    Ok(counts)
}

/// [`scale`] as steps of a larger write (the first run's demo with generated data, in one transaction).
pub fn scale_in(
    steps: &mut Steps<'_, '_>,
    clock: &dyn Clock,
    exchanges: usize,
    job: &Job,
) -> Result<ScaleCounts> {
    let counts = ScaleCounts::for_exchanges(exchanges);
    scale_in_steps(steps, clock, exchanges, counts, job)?;
    Ok(counts)
}

/// The progress of a scale job: every record it writes counts one.
struct Tally<'j> {
    job: &'j Job,
    done: u64,
    total: u64,
}

impl Tally<'_> {
    fn one(&mut self, step: &str) -> Result<()> {
        self.done += 1;
        self.job.step(step, self.done, self.total)
    }
}

fn scale_in_steps(
    steps: &mut Steps<'_, '_>,
    clock: &dyn Clock,
    exchanges: usize,
    counts: ScaleCounts,
    job: &Job,
) -> Result<()> {
    let total = counts.partners
        + counts.agreements
        + exchanges
        + counts.projects
        + counts.events
        + counts.applications;
    let mut tally = Tally { job, done: 0, total: u64::try_from(total).unwrap_or(u64::MAX) };
    let (lyon, partners, agreements) = steps.run(|tx| {
        if crate::store::replica(tx)?.is_none() {
            crate::store::init(tx, "Scale test", clock)?;
        }
        let lyon = partner::add(tx, clock, &generated_partner("Université de Lyon (scale)", "fr", "FR"))?;
        let mut partners = Vec::with_capacity(counts.partners);
        for i in 0..counts.partners {
            let (country, lang, stem) = COUNTRIES[i % COUNTRIES.len()];
            partners.push(partner::add(
                tx,
                clock,
                &generated_partner(&format!("{stem} {i}"), lang, country),
            )?);
            tally.one("Partners")?;
        }
        let mut agreements = Vec::with_capacity(counts.agreements);
        for i in 0..counts.agreements {
            let other = partners[i % partners.len()];
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
            let incoming = a.input.conditions.iter().find(|c| c.sending_id == Some(other)).and_then(|c| c.id);
            let outgoing = a.input.conditions.iter().find(|c| c.sending_id == Some(lyon)).and_then(|c| c.id);
            agreements.push((a.id, other, incoming, outgoing));
            tally.one("Agreements")?;
        }
        Ok((lyon, partners, agreements))
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
        steps.run(|tx| {
            let mut person = None;
            for i in done..done + batch {
                let (agreement, other, incoming, outgoing) = agreements[i % agreements.len()];
                let direction = if i % 3 == 2 { Direction::Outgoing } else { Direction::Incoming };
                if person.is_none() || i % 2 == 0 {
                    let home = if direction == Direction::Incoming { other } else { lyon };
                    person = Some(contact::add(tx, clock, &records::student(i, home, "2020-09-01"))?);
                }
                let year = 2000 + i64::try_from(i % 27).unwrap_or(0);
                let (home, host, condition) = match direction {
                    Direction::Incoming => (other, lyon, incoming),
                    Direction::Outgoing | Direction::Unknown(_) => (lyon, other, outgoing),
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
                exchange::add(tx, clock, &e)?;
                tally.one("Exchanges")?;
            }
            Ok(())
        })?;
        done += batch;
    }
    let agreement_ids: Vec<Uuid> = agreements.iter().map(|a| a.0).collect();
    steps.run(|tx| {
        projects_and_events(tx, clock, &counts, lyon, &partners, &agreement_ids, &mut tally)?;
        calls_and_applications(tx, clock, &counts, lyon, &partners, &mut tally)
    })
}

/// A year between 2000 and 2026 for the `i`th record.
fn year_of(i: usize) -> i64 {
    2000 + i64::try_from(i % 27).unwrap_or(0)
}

/// The `n` partners of the `i`th record, in turn through the list (distinct while `n` is below its length).
fn some_partners(partners: &[Uuid], i: usize, n: usize) -> Vec<Uuid> {
    (0..n).map(|k| partners[(i * 7 + k * 3) % partners.len()]).collect()
}

/// Projects with two to four partners (Lyon among them) and an agreement each; events, a third of them
/// within a project, organised by Lyon and a partner.
fn projects_and_events(
    tx: &crate::store::Tx,
    clock: &dyn Clock,
    counts: &ScaleCounts,
    lyon: Uuid,
    partners: &[Uuid],
    agreements: &[Uuid],
    tally: &mut Tally<'_>,
) -> Result<()> {
    let kinds = ProjectKind::ALL;
    let statuses = ProjectStatus::ALL;
    let mut projects = Vec::with_capacity(counts.projects);
    for i in 0..counts.projects {
        let year = year_of(i);
        let mut members: Vec<ProjectPartnerInput> = some_partners(partners, i, 1 + i % 3)
            .into_iter()
            .map(|p| ProjectPartnerInput { partner_id: Some(p), role: Some("Partner".into()) })
            .collect();
        members.push(ProjectPartnerInput { partner_id: Some(lyon), role: Some("Lead".into()) });
        let p = project::add(
            tx,
            clock,
            &ProjectInput {
                code: Some(format!("PRJ-{i:05}")),
                title: format!("Generated project {i} on {}", TOPICS[i % TOPICS.len()]),
                kind: kinds[i % kinds.len()],
                status: statuses[i % statuses.len()],
                start_date: Some(format!("{year}-{:02}-01", 1 + i % 12)),
                end_date: Some(format!("{}-{:02}-28", year + 3, 1 + i % 12)),
                budget: Some(i64::try_from(i % 50).unwrap_or(0) * 1_000_000 + 500_000),
                currency: Some("EUR".into()),
                fields: vec![FIELDS[i % FIELDS.len()].into()],
                partners: members,
                agreement_ids: vec![agreements[i % agreements.len()]],
                notes: None,
            },
        )?;
        projects.push(p);
        tally.one("Projects")?;
    }
    let kinds = EventKind::ALL;
    let zones = [Zone::China, Zone::Japan, Zone::Brazil, Zone::Canada, Zone::FranceEurope];
    for i in 0..counts.events {
        let year = year_of(i);
        let online = i % 2 == 0;
        let registered = i64::try_from(10 + i % 190).unwrap_or(10);
        event::add(
            tx,
            clock,
            &EventInput {
                title: format!(
                    "Generated {} {i} on {}",
                    kinds[i % kinds.len()].as_str(),
                    TOPICS[i % TOPICS.len()]
                ),
                kind: kinds[i % kinds.len()],
                start_date: Some(format!("{year}-{:02}-{:02}", 1 + i % 12, 1 + i % 28)),
                end_date: None,
                online,
                venue: (!online).then(|| format!("Generated venue {}", i % 100)),
                zone: Some(zones[i % zones.len()]),
                project_id: (i % 3 == 0).then(|| projects[i % projects.len()]),
                organiser_ids: vec![lyon, partners[i % partners.len()]],
                registered: Some(registered),
                attended: Some(registered * 3 / 4),
                notes: None,
            },
        )?;
        tally.one("Events")?;
    }
    Ok(())
}

const TOPICS: &[&str] = &[
    "urban planning",
    "narrative medicine",
    "water governance",
    "materials science",
    "digital humanities",
    "climate adaptation",
    "public health",
    "artificial intelligence",
];

const FIELDS: &[&str] =
    &["health", "engineering", "sustainable_development", "arts", "humanities_social_sciences", "0731"];

/// Calls a year apart with three weighted criteria and multilateral rules, each with fifty applications
/// led by Lyon or by a partner, with one to four partners (so some are ineligible); the calls already
/// decided have two reviews per application.
fn calls_and_applications(
    tx: &crate::store::Tx,
    clock: &dyn Clock,
    counts: &ScaleCounts,
    lyon: Uuid,
    partners: &[Uuid],
    tally: &mut Tally<'_>,
) -> Result<()> {
    let reviewers: Vec<Uuid> = (0..20)
        .map(|n| {
            let mut person = records::student(n, lyon, "2015-09-01");
            if let Some(a) = person.affiliations.first_mut() {
                a.role = Some("Reviewer".into());
            }
            contact::add(tx, clock, &person)
        })
        .collect::<Result<_>>()?;
    let criterion = |name: &str, weight: f64, threshold: Option<f64>| CriterionInput {
        id: None,
        name: name.into(),
        weight,
        max_score: 5.0,
        threshold,
    };
    let statuses = [CallStatus::Decided, CallStatus::Decided, CallStatus::Closed, CallStatus::Open];
    let decided = [
        ApplicationStatus::Funded,
        ApplicationStatus::Selected,
        ApplicationStatus::Reserve,
        ApplicationStatus::Rejected,
        ApplicationStatus::Rejected,
        ApplicationStatus::Ineligible,
    ];
    let waiting = [ApplicationStatus::Draft, ApplicationStatus::Submitted, ApplicationStatus::Submitted];
    for c in 0..counts.calls {
        let year = year_of(c);
        let status = statuses[c % statuses.len()];
        let call = call::create(
            tx,
            clock,
            &CallInput {
                code: Some(format!("GEN-CALL-{c:04}")),
                title: format!("Generated call {c} for international projects {year}"),
                programme: Some("IDEXLYON international".into()),
                funder_id: Some(lyon),
                opens_at: Some(format!("{year}-01-12T09:00:00+01:00")),
                deadline_at: Some(format!("{year}-03-{:02}T17:00:00+01:00", 1 + c % 28)),
                results_at: Some(format!("{year}-06-01T12:00:00+02:00")),
                time_zone: Some("Europe/Paris".into()),
                budget: Some(30_000_000),
                max_award: Some(6_000_000),
                currency: Some("EUR".into()),
                rules: EligibilityRules {
                    min_partners: Some(3),
                    min_countries: Some(3),
                    required_zones: if c % 2 == 0 { vec![] } else { vec![Zone::China] },
                    lyon_lead_required: c % 3 == 0,
                },
                criteria: vec![
                    criterion("Scientific quality", 3.0, Some(2.0)),
                    criterion("International dimension", 2.0, None),
                    criterion("Feasibility and budget", 1.0, None),
                ],
                status,
                notes: None,
            },
        )?;
        let reviewed = status == CallStatus::Decided;
        for a in 0..APPLICATIONS_PER_CALL {
            let i = c * APPLICATIONS_PER_CALL + a;
            let lead = if i.is_multiple_of(4) { partners[i % partners.len()] } else { lyon };
            let members: Vec<ApplicationPartnerInput> = some_partners(partners, i + 1, 1 + i % 4)
                .into_iter()
                .filter(|p| *p != lead)
                .map(|p| ApplicationPartnerInput {
                    id: None,
                    partner_id: Some(p),
                    role: Some("Partner".into()),
                })
                .collect();
            // Marks from 1 to 5, scattered (a multiplicative hash) so that few applications tie.
            let mark = |k: usize| {
                let h = (i as u64 * 31 + k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 59;
                f64::from(u8::try_from(1 + h % 5).unwrap_or(1))
            };
            let reviews = if reviewed {
                (0..2)
                    .map(|r| ReviewInput {
                        id: None,
                        reviewer_id: Some(reviewers[(i + r) % reviewers.len()]),
                        scores: call
                            .criteria_read
                            .iter()
                            .enumerate()
                            .map(|(k, criterion)| Score { criterion_id: criterion.id, score: mark(k + r) })
                            .collect(),
                        comment: None,
                    })
                    .collect()
            } else {
                vec![]
            };
            application::add(
                tx,
                clock,
                &ApplicationInput {
                    call_id: Some(call.id),
                    reference: Some(format!("GEN-CALL-{c:04}-{a:02}")),
                    acronym: Some(format!("GEN{i}")),
                    title: format!("Generated application {i} on {}", TOPICS[i % TOPICS.len()]),
                    pi_id: Some(reviewers[(i + 7) % reviewers.len()]),
                    lead_id: Some(lead),
                    partners: members,
                    requested: Some(i64::try_from(1 + i % 6).unwrap_or(1) * 1_000_000),
                    cofunding: None,
                    duration_months: Some(24),
                    status: if reviewed { decided[i % decided.len()] } else { waiting[i % waiting.len()] },
                    reviews,
                    notes: None,
                },
            )?;
            tally.one("Applications")?;
        }
    }
    Ok(())
}

fn party(id: Uuid) -> PartyInput {
    PartyInput {
        id: None,
        partner_id: Some(id),
        unit_id: None,
        role: None,
        signatory_id: None,
        signed_date: None,
    }
}

fn generated_partner(name: &str, lang: &str, country: &str) -> PartnerInput {
    PartnerInput {
        names: vec![partner::NameInput { id: None, value: name.into(), lang: lang.into(), primary: true }],
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
