//! Bulk writes in one transaction through the public API: 10,000 partners, and 2,000 applications to one
//! call, each beside bare SQL inserts of the same rows. Derived rows (list rows, search rows, kept
//! assessments) are refreshed once per record touched, at the end of the transaction (`Tx::settle`).
//! Run: `cargo bench -p liaison-core --bench bulk`.

use divan::Bencher;
use liaison_core::kinds::{ApplicationStatus, CallStatus, OrgKind, PartnerStatus, Zone};
use liaison_core::records::application::{self, ApplicationInput};
use liaison_core::records::call::{self, CallInput, CriterionInput, EligibilityRules};
use liaison_core::records::partner::{self, NameInput, PartnerInput};
use liaison_core::{store, ManualClock};
use rusqlite::Connection;
use uuid::Uuid;

/// The CLI's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const PARTNERS: usize = 10_000;
const APPLICATIONS: usize = 2_000;

fn fresh() -> (Connection, ManualClock) {
    let clock = ManualClock::at_ms(2_000_000_000_000);
    let mut conn = liaison_core::open_in_memory().expect("db");
    liaison_core::write(&mut conn, |tx| store::init(tx, "Bench", &clock)).expect("init");
    (conn, clock)
}

fn partner_input(i: usize) -> PartnerInput {
    PartnerInput {
        names: vec![
            NameInput { id: None, value: format!("示范大学 {i}"), lang: "zh-Hans".into(), primary: true },
            NameInput {
                id: None,
                value: format!("Sample University {i}"),
                lang: "en".into(),
                primary: false,
            },
        ],
        acronym: Some(format!("SU{i}")),
        kind: OrgKind::University,
        parent_id: None,
        country: Some("CN".into()),
        city: Some("Shanghai".into()),
        zone: Some(Zone::China),
        website: None,
        status: PartnerStatus::Active,
        identifiers: vec![],
        tags: vec!["bench".into()],
        notes: None,
    }
}

/// 10,000 partners created one by one in one transaction, each read back (`create`).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn partners_created(bencher: Bencher) {
    bencher.with_inputs(fresh).bench_local_values(|(mut conn, clock)| {
        liaison_core::write(&mut conn, |tx| {
            for i in 0..PARTNERS {
                partner::create(tx, &clock, &partner_input(i))?;
            }
            Ok(())
        })
        .expect("write");
        conn
    });
}

/// The same 10,000 partners added without reading each back (`add`): derived rows settled once, at commit.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn partners_added(bencher: Bencher) {
    bencher.with_inputs(fresh).bench_local_values(|(mut conn, clock)| {
        liaison_core::write(&mut conn, |tx| {
            for i in 0..PARTNERS {
                partner::add(tx, &clock, &partner_input(i))?;
            }
            Ok(())
        })
        .expect("write");
        conn
    });
}

/// Baseline: bare INSERTs of the same partner rows and names.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn partners_bare_sql(bencher: Bencher) {
    bencher.with_inputs(fresh).bench_local_values(|(mut conn, _)| {
        let tx = conn.transaction().expect("tx");
        for i in 0..PARTNERS {
            let input = partner_input(i);
            let id = Uuid::now_v7();
            tx.prepare_cached(
                "INSERT INTO partner (id, acronym, kind, country, city, zone, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .expect("sql")
            .execute(rusqlite::params![id, input.acronym, "university", input.country, input.city, "china", "active"])
            .expect("insert");
            for n in &input.names {
                tx.prepare_cached(
                    "INSERT INTO partner_name (id, partner_id, value, lang, is_primary) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .expect("sql")
                .execute(rusqlite::params![Uuid::now_v7(), id, n.value, n.lang, n.primary])
                .expect("insert");
            }
        }
        tx.commit().expect("commit");
        conn
    });
}

/// A call with two criteria and eight partners in four countries, for the applications.
fn with_call() -> (Connection, ManualClock, Uuid, Vec<Uuid>) {
    let (mut conn, clock) = fresh();
    let (call, partners) = liaison_core::write(&mut conn, |tx| {
        let partners = (0..8)
            .map(|i| {
                let mut p = partner_input(i);
                p.country = Some(["CN", "JP", "BR", "FR"][i % 4].into());
                p.zone = None;
                partner::create(tx, &clock, &p).map(|p| p.id)
            })
            .collect::<liaison_core::Result<Vec<_>>>()?;
        let call = call::create(
            tx,
            &clock,
            &CallInput {
                code: Some("BENCH".into()),
                title: "Bench call".into(),
                programme: None,
                funder_id: None,
                opens_at: None,
                deadline_at: None,
                results_at: None,
                time_zone: None,
                budget: None,
                max_award: None,
                currency: Some("EUR".into()),
                rules: EligibilityRules {
                    min_partners: Some(2),
                    min_countries: Some(2),
                    ..Default::default()
                },
                criteria: vec![
                    CriterionInput {
                        id: None,
                        name: "Quality".into(),
                        weight: 2.0,
                        max_score: 5.0,
                        threshold: None,
                    },
                    CriterionInput {
                        id: None,
                        name: "Impact".into(),
                        weight: 1.0,
                        max_score: 5.0,
                        threshold: None,
                    },
                ],
                status: CallStatus::Open,
                notes: None,
            },
        )?;
        Ok((call.id, partners))
    })
    .expect("call");
    (conn, clock, call, partners)
}

fn application_input(call: Uuid, partners: &[Uuid], i: usize) -> ApplicationInput {
    ApplicationInput {
        call_id: Some(call),
        reference: Some(format!("APP-{i:05}")),
        acronym: None,
        title: format!("Application {i}"),
        pi_id: None,
        lead_id: Some(partners[i % partners.len()]),
        partners: vec![application::ApplicationPartnerInput {
            id: None,
            partner_id: Some(partners[(i + 1) % partners.len()]),
            role: None,
        }],
        requested: Some(1_000_000),
        cofunding: None,
        duration_months: Some(24),
        status: ApplicationStatus::Submitted,
        reviews: vec![],
        notes: None,
    }
}

/// 2,000 applications to one call, one by one in one transaction, each read back (`create`): the call's
/// ranking is what each read shows.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn applications_created(bencher: Bencher) {
    bencher.with_inputs(with_call).bench_local_values(|(mut conn, clock, call, partners)| {
        liaison_core::write(&mut conn, |tx| {
            for i in 0..APPLICATIONS {
                application::create(tx, &clock, &application_input(call, &partners, i))?;
            }
            Ok(())
        })
        .expect("write");
        conn
    });
}

/// The same 2,000 applications added (`add`): the call is reassessed once, at commit.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn applications_added(bencher: Bencher) {
    bencher.with_inputs(with_call).bench_local_values(|(mut conn, clock, call, partners)| {
        liaison_core::write(&mut conn, |tx| {
            for i in 0..APPLICATIONS {
                application::add(tx, &clock, &application_input(call, &partners, i))?;
            }
            Ok(())
        })
        .expect("write");
        conn
    });
}
