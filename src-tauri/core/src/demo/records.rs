//! The demo's agreements and exchanges, written through the same validated path as a user's: the four
//! Shanghai frameworks, Medicine and Humanities (four parties), the Tongji IUCC lab agreement, the CSC
//! doctoral grants over several years, the yearly Tongji urban-planning cohort, and a few others. People on
//! exchanges are made up; names are drawn deterministically so every demo is the same.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use crate::store::Tx;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, FieldError, Result};
use crate::kinds::{
    AgreementKind, AgreementStatus, ApplicationStatus, CallStatus, Cefr, Direction, EventKind,
    ExchangeCategory, ExchangeStatus, Level, MobilityType, Programme, ProjectKind, ProjectStatus, Zone,
};
use crate::records::agreement::{self, AgreementInput, ConditionInput, LanguageLevel, PartyInput};
use crate::records::application::{self, ApplicationInput, ApplicationPartnerInput, ReviewInput, Score};
use crate::records::call::{self, CallInput, CriterionInput, EligibilityRules};
use crate::records::contact::{self, AffiliationInput, ContactInput};
use crate::records::event::{self, EventInput};
use crate::records::exchange::{self, ExchangeInput};
use crate::records::project::{self, ProjectInput, ProjectPartnerInput};

/// What the demo's records add up to.
pub struct RecordCounts {
    pub agreements: usize,
    pub exchanges: usize,
    pub people: usize,
    pub calls: usize,
    pub applications: usize,
    pub projects: usize,
    pub events: usize,
}

pub struct Keys<'a>(pub &'a HashMap<&'a str, Uuid>);

impl Keys<'_> {
    fn get(&self, key: &str) -> Result<Uuid> {
        self.0.get(key).copied().ok_or_else(|| {
            Error::Invalid(vec![FieldError {
                field: "demo".into(),
                code: "not_found".into(),
                message: format!("the demo names an unknown partner key {key}"),
            }])
        })
    }
}

fn party(id: Uuid, role: &str) -> PartyInput {
    PartyInput {
        id: None,
        partner_id: Some(id),
        unit_id: None,
        role: Some(role.into()),
        signatory_id: None,
        signed_date: None,
    }
}

fn condition(mobility: MobilityType, from: Uuid, to: Uuid, places: i64, years: (i64, i64)) -> ConditionInput {
    ConditionInput {
        id: None,
        mobility,
        sending_id: Some(from),
        receiving_id: Some(to),
        places: Some(places),
        months: None,
        levels: match mobility {
            MobilityType::Doctoral => vec![Level::Eqf8],
            _ => vec![Level::Eqf6, Level::Eqf7],
        },
        languages: vec![LanguageLevel { lang: "en".into(), cefr: Cefr::B2 }],
        first_year: Some(years.0),
        last_year: Some(years.1),
    }
}

#[allow(clippy::too_many_arguments)]
fn agreement_input(
    code: &str,
    title: &str,
    kind: AgreementKind,
    status: AgreementStatus,
    dates: (&str, &str, &str),
    fields: &[&str],
    parties: Vec<PartyInput>,
    conditions: Vec<ConditionInput>,
) -> AgreementInput {
    AgreementInput {
        code: Some(code.into()),
        title: title.into(),
        kind,
        parent_id: None,
        status,
        signed_date: Some(dates.0.into()).filter(|d: &String| !d.is_empty()),
        start_date: Some(dates.1.into()).filter(|d: &String| !d.is_empty()),
        end_date: Some(dates.2.into()).filter(|d: &String| !d.is_empty()),
        auto_renewal: kind == AgreementKind::Framework,
        notice_months: Some(6),
        fields: fields.iter().map(|f| (*f).to_owned()).collect(),
        parties,
        conditions,
        notes: None,
    }
}

const FAMILY: &[(&str, &str)] = &[
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Zhao", "赵"),
    ("Huang", "黄"),
    ("Zhou", "周"),
    ("Wu", "吴"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Ma", "马"),
    ("Zhu", "朱"),
    ("Hu", "胡"),
    ("Guo", "郭"),
];
const GIVEN: &[(&str, &str)] = &[
    ("Wei", "伟"),
    ("Fang", "芳"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Yang", "洋"),
    ("Yan", "艳"),
    ("Jie", "杰"),
    ("Tao", "涛"),
    ("Ming", "明"),
    ("Chao", "超"),
    ("Xiuying", "秀英"),
    ("Hao", "浩"),
    ("Yu", "宇"),
    ("Xin", "欣"),
    ("Ting", "婷"),
    ("Zihan", "子涵"),
    ("Yutong", "雨桐"),
];

/// A made-up Chinese student, affiliated with `home`.
pub fn student(n: usize, home: Uuid, since: &str) -> ContactInput {
    let (family, family_native) = FAMILY[n % FAMILY.len()];
    let (given, given_native) = GIVEN[(n / FAMILY.len() + n * 7) % GIVEN.len()];
    ContactInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        native_name: Some(format!("{family_native}{given_native}")),
        title: None,
        emails: vec![format!("{}.{}{n}@student.example.cn", given.to_lowercase(), family.to_lowercase())],
        phones: vec![],
        languages: vec!["zh-Hans".into(), "en".into()],
        affiliations: vec![AffiliationInput {
            id: None,
            partner_id: Some(home),
            role: Some("Student".into()),
            start_date: Some(since.into()),
            end_date: None,
        }],
        notes: None,
    }
}

#[allow(clippy::too_many_arguments)]
pub fn mobility(
    person: Uuid,
    direction: Direction,
    category: ExchangeCategory,
    programme: Programme,
    home: Uuid,
    host: Uuid,
    year: i64,
    status: ExchangeStatus,
) -> ExchangeInput {
    ExchangeInput {
        person_id: Some(person),
        direction,
        category,
        programme,
        home_id: Some(home),
        host_id: Some(host),
        unit_id: None,
        agreement_id: None,
        condition_id: None,
        academic_year: Some(year),
        planned_start: Some(format!("{year}-09-01")),
        planned_end: Some(match category {
            ExchangeCategory::Doctoral => format!("{}-08-31", year + 3),
            _ => format!("{}-01-31", year + 1),
        }),
        actual_start: None,
        actual_end: None,
        level: Some(if category == ExchangeCategory::Doctoral { Level::Eqf8 } else { Level::Eqf7 }),
        field: None,
        language: Some("fr".into()),
        cefr: Some(Cefr::B1),
        funding: None,
        amount: None,
        currency: None,
        status,
        cohort: None,
        notes: None,
    }
}

/// The status an exchange of `year` has by the demo's "now" (autumn 2026).
fn status_of(year: i64) -> ExchangeStatus {
    match year {
        ..=2024 => ExchangeStatus::Completed,
        2025 => ExchangeStatus::Ongoing,
        _ => ExchangeStatus::Accepted,
    }
}

/// Roles of the people who sign for an organisation, and who lead its projects, most likely first.
const SIGNATORIES: &[&str] = &["Vice-President", "Dean", "Director", "Head"];
const INVESTIGATORS: &[&str] = &["Professor", "Director", "Head"];

/// The first person affiliated with `partner` whose role names one of `roles` (in that order of preference).
fn contact_at(tx: &Tx, partner: Uuid, roles: &[&str]) -> Result<Option<Uuid>> {
    let mut stmt = tx.prepare_cached(
        "SELECT id FROM contact_summary WHERE organisation_id = ?1 AND role LIKE '%' || ?2 || '%'
         ORDER BY sort_name LIMIT 1",
    )?;
    for role in roles {
        if let Some(id) = stmt.query_row(rusqlite::params![partner, role], |r| r.get(0)).optional()? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Writes the demo's agreements and exchanges, given the demo partners' ids by key.
pub fn load(tx: &Tx, clock: &dyn Clock, keys: &Keys) -> Result<RecordCounts> {
    let k = |key: &str| keys.get(key);
    let (udl, ecnu, fudan, sjtu, tongji) = (k("udl")?, k("ecnu")?, k("fudan")?, k("sjtu")?, k("tongji")?);
    let (lyon2, lyon3, insa, csc, uottawa, shutcm) =
        (k("lyon2")?, k("lyon3")?, k("insa-lyon")?, k("csc")?, k("uottawa")?, k("shutcm")?);
    let mut agreements = 0;
    let mut create = |mut input: AgreementInput| -> Result<agreement::Agreement> {
        agreements += 1;
        // A signed agreement was signed for each party by its most senior person in the demo.
        if input.signed_date.is_some() {
            for party in &mut input.parties {
                if let Some(partner) = party.partner_id {
                    party.signatory_id = contact_at(tx, partner, SIGNATORIES)?;
                }
            }
        }
        agreement::create(tx, clock, &input)
    };
    use AgreementKind as K;
    use AgreementStatus as S;
    let mut frameworks = HashMap::new();
    for (key, code, name, signed) in [
        ("ecnu", "FW-ECNU-2019", "East China Normal University", "2019-05-20"),
        ("fudan", "FW-FDU-2018", "Fudan University", "2018-11-12"),
        ("sjtu", "FW-SJTU-2020", "Shanghai Jiao Tong University", "2020-01-15"),
        ("tongji", "FW-TJ-2017", "Tongji University", "2017-10-09"),
    ] {
        let partner = k(key)?;
        let end = format!("{}-{}", signed[..4].parse::<i32>().unwrap_or(2020) + 10, &signed[5..]);
        let a = create(agreement_input(
            code,
            &format!("Framework cooperation agreement — Université de Lyon and {name}"),
            K::Framework,
            S::Active,
            (signed, signed, &end),
            &["health", "engineering", "humanities_social_sciences"],
            vec![party(udl, "Alliance coordinator"), party(partner, "Partner university")],
            vec![],
        ))?;
        frameworks.insert(key, a.id);
    }
    let mut office = agreement_input(
        "OH-ECNU-2021",
        "Hosting of the ECNU representative office in Lyon",
        K::OfficeHosting,
        S::Active,
        ("2021-03-01", "2021-03-01", "2027-02-28"),
        &[],
        vec![party(udl, "Host"), party(ecnu, "Guest office")],
        vec![],
    );
    office.parent_id = frameworks.get("ecnu").copied();
    create(office)?;
    let mut fudan_exchange = agreement_input(
        "SE-FDU-LY3-2022",
        "Student exchange — Jean Moulin Lyon 3 and Fudan University",
        K::StudentExchange,
        S::Active,
        ("2022-04-11", "2022-09-01", "2027-08-31"),
        &["0413", "0421"],
        vec![party(lyon3, "Home university"), party(fudan, "Partner university")],
        vec![
            condition(MobilityType::StudentStudy, lyon3, fudan, 3, (2022, 2026)),
            condition(MobilityType::StudentStudy, fudan, lyon3, 3, (2022, 2026)),
        ],
    );
    fudan_exchange.parent_id = frameworks.get("fudan").copied();
    let fudan_exchange = create(fudan_exchange)?;
    let mut double_degree = agreement_input(
        "DD-SJTU-INSA-2021",
        "Double degree in engineering — INSA Lyon and Shanghai Jiao Tong University",
        K::DoubleDegree,
        S::RenewalPending,
        ("2021-06-30", "2021-09-01", "2026-08-31"),
        &["engineering", "0715"],
        vec![party(insa, "Home institution"), party(sjtu, "Partner institution")],
        vec![condition(MobilityType::StudentStudy, sjtu, insa, 4, (2021, 2025))],
    );
    double_degree.parent_id = frameworks.get("sjtu").copied();
    create(double_degree)?;
    let mut iucc = agreement_input(
        "LAB-TJ-IUCC-2019",
        "Tongji IUCC and LabEx IMU — joint laboratory on urban cooperation and culture",
        K::LabCollaboration,
        S::Active,
        ("2019-09-16", "2019-10-01", "2029-09-30"),
        &["0731", "sustainable_development"],
        vec![party(tongji, "Partner laboratory"), party(udl, "Lyon laboratory")],
        vec![condition(MobilityType::Researcher, udl, tongji, 2, (2019, 2029))],
    );
    iucc.parties[0].unit_id = Some(k("tongji-iucc")?);
    iucc.parties[1].unit_id = Some(k("imu")?);
    iucc.parent_id = frameworks.get("tongji").copied();
    let iucc_id = create(iucc)?.id;
    let mut urban = agreement_input(
        "SE-TJ-LY2-2023",
        "Urban planning exchange — Tongji CAUP and Université Lumière Lyon 2",
        K::StudentExchange,
        S::Active,
        ("2023-05-04", "2023-09-01", "2028-08-31"),
        &["0731"],
        vec![party(tongji, "Sending school"), party(lyon2, "Host university")],
        vec![
            condition(MobilityType::StudentStudy, tongji, lyon2, 20, (2023, 2027)),
            condition(MobilityType::StudentStudy, lyon2, tongji, 4, (2023, 2027)),
        ],
    );
    urban.parties[0].unit_id = Some(k("tongji-caup")?);
    urban.parent_id = frameworks.get("tongji").copied();
    let urban = create(urban)?;
    let mh = create(agreement_input(
        "RES-MH-2022",
        "Medicine and Humanities",
        K::Research,
        S::Active,
        ("2022-02-21", "2022-03-01", "2027-02-28"),
        &["health", "humanities_social_sciences", "0912"],
        vec![
            party(uottawa, "Co-lead"),
            party(sjtu, "Partner"),
            party(shutcm, "Partner"),
            party(udl, "Co-lead"),
        ],
        vec![
            condition(MobilityType::Researcher, uottawa, udl, 2, (2022, 2026)),
            condition(MobilityType::Doctoral, shutcm, udl, 2, (2022, 2026)),
        ],
    ))?;
    let grants = create(agreement_input(
        "SCH-CSC-2020",
        "China Scholarship Council doctoral grants",
        K::Scholarship,
        S::Active,
        ("2020-03-10", "2020-09-01", "2030-08-31"),
        &[],
        vec![party(csc, "Funder"), party(udl, "Host")],
        vec![condition(MobilityType::Doctoral, csc, udl, 30, (2020, 2030))],
    ))?;
    create(agreement_input(
        "FW-USP-2015",
        "Framework cooperation agreement — Université de Lyon and Universidade de São Paulo",
        K::Framework,
        S::Active,
        ("2015-07-01", "2015-07-01", "2025-06-30"),
        &[],
        vec![party(udl, "Alliance coordinator"), party(k("usp")?, "Partner university")],
        vec![],
    ))?;
    create(agreement_input(
        "MOU-TOHOKU",
        "Memorandum of understanding — Lyon 1 and Tohoku University",
        K::Mou,
        S::Negotiation,
        ("", "", ""),
        &["engineering"],
        vec![party(k("lyon1")?, "Home university"), party(k("tohoku")?, "Partner university")],
        vec![],
    ))?;

    let mut people = 0;
    let mut exchanges = 0;
    // CSC doctoral grants: a handful of doctoral students a year arrive from Shanghai universities.
    let csc_condition = grants.input.conditions.first().and_then(|c| c.id);
    let homes = [ecnu, fudan, sjtu, tongji];
    for year in 2022..=2026 {
        for i in 0..6 {
            let home = homes[(year as usize + i) % homes.len()];
            let person = contact::create(tx, clock, &student(people, home, &format!("{year}-01-01")))?;
            people += 1;
            let mut e = mobility(
                person.id,
                Direction::Incoming,
                ExchangeCategory::Doctoral,
                Programme::CscDoctoral,
                home,
                udl,
                year,
                status_of(year),
            );
            e.agreement_id = Some(grants.id);
            e.condition_id = csc_condition;
            e.funding = Some("CSC".into());
            e.amount = Some(1_600_000);
            e.currency = Some("CNY".into());
            e.field = Some(["0731", "0912", "0715", "0421"][i % 4].into());
            exchange::create(tx, clock, &e)?;
            exchanges += 1;
        }
    }
    // The yearly Tongji urban-planning cohort at Lyon 2, counted against the exchange agreement.
    let cohort_condition =
        urban.input.conditions.iter().find(|c| c.sending_id == Some(tongji)).and_then(|c| c.id);
    for year in 2024..=2026 {
        for _ in 0..20 {
            let person =
                contact::create(tx, clock, &student(people, tongji, &format!("{}-09-01", year - 3)))?;
            people += 1;
            let mut e = mobility(
                person.id,
                Direction::Incoming,
                ExchangeCategory::Student,
                Programme::Agreement,
                tongji,
                lyon2,
                year,
                status_of(year),
            );
            e.agreement_id = Some(urban.id);
            e.condition_id = cohort_condition;
            e.field = Some("0731".into());
            e.cohort = Some(format!("Tongji urban planning {year}"));
            exchange::create(tx, clock, &e)?;
            exchanges += 1;
        }
    }
    // Lyon 3 students going to Fudan, counted against their exchange agreement.
    let outgoing =
        fudan_exchange.input.conditions.iter().find(|c| c.sending_id == Some(lyon3)).and_then(|c| c.id);
    for (i, (given, family)) in
        [("Léa", "Bernard"), ("Hugo", "Martin"), ("Chloé", "Petit"), ("Nathan", "Roux")]
            .into_iter()
            .enumerate()
    {
        let year = 2024 + i64::try_from(i % 3).unwrap_or(0);
        let person = contact::create(
            tx,
            clock,
            &ContactInput {
                given_name: Some(given.into()),
                family_name: Some(family.into()),
                native_name: None,
                title: None,
                emails: vec![],
                phones: vec![],
                languages: vec!["fr".into(), "en".into(), "zh-Hans".into()],
                affiliations: vec![AffiliationInput {
                    id: None,
                    partner_id: Some(lyon3),
                    role: Some("Student".into()),
                    start_date: Some("2021-09-01".into()),
                    end_date: None,
                }],
                notes: None,
            },
        )?;
        people += 1;
        let mut e = mobility(
            person.id,
            Direction::Outgoing,
            ExchangeCategory::Student,
            Programme::Agreement,
            lyon3,
            fudan,
            year,
            status_of(year),
        );
        e.agreement_id = Some(fudan_exchange.id);
        e.condition_id = outgoing;
        e.language = Some("zh-Hans".into());
        e.cefr = Some(Cefr::A2);
        exchange::create(tx, clock, &e)?;
        exchanges += 1;
    }
    let (calls, applications) = load_calls(tx, clock, keys)?;
    let (projects, events) = load_projects_and_events(tx, clock, keys, &frameworks, mh.id, iucc_id)?;
    Ok(RecordCounts { agreements, exchanges, people, calls, applications, projects, events })
}

fn criterion(name: &str, weight: f64, threshold: Option<f64>) -> CriterionInput {
    CriterionInput { id: None, name: name.into(), weight, max_score: 5.0, threshold }
}

/// Two calls for international projects: one closed and evaluated (applications eligible or not, reviewed
/// and ranked, one below a threshold), one open with drafts and submissions.
fn load_calls(tx: &Tx, clock: &dyn Clock, keys: &Keys) -> Result<(usize, usize)> {
    let k = |key: &str| keys.get(key);
    let rules = EligibilityRules {
        min_partners: Some(3),
        min_countries: Some(3),
        required_zones: vec![],
        lyon_lead_required: true,
    };
    let criteria = vec![
        criterion("Scientific quality", 3.0, Some(3.0)),
        criterion("International dimension", 2.0, None),
        criterion("Feasibility and budget", 1.0, None),
    ];
    let closed = call::create(
        tx,
        clock,
        &CallInput {
            code: Some("IDEX-INT-2026".into()),
            title: "Call for international projects 2026".into(),
            programme: Some("IDEXLYON international".into()),
            funder_id: Some(k("udl")?),
            opens_at: Some("2026-01-12T09:00:00+01:00".into()),
            deadline_at: Some("2026-03-16T17:00:00+01:00".into()),
            results_at: Some("2026-06-01T12:00:00+02:00".into()),
            time_zone: Some("Europe/Paris".into()),
            budget: Some(30_000_000),
            max_award: Some(6_000_000),
            currency: Some("EUR".into()),
            rules: rules.clone(),
            criteria: criteria.clone(),
            status: CallStatus::Decided,
            notes: Some("Projects must involve partners from at least three countries.".into()),
        },
    )?;
    let open = call::create(
        tx,
        clock,
        &CallInput {
            code: Some("IDEX-ZONES-2027".into()),
            title: "Call for multilateral projects across the four zones 2027".into(),
            programme: Some("IDEXLYON international".into()),
            funder_id: Some(k("udl")?),
            opens_at: Some("2026-10-01T09:00:00+02:00".into()),
            deadline_at: Some("2027-01-15T17:00:00+01:00".into()),
            results_at: Some("2027-04-01T12:00:00+02:00".into()),
            time_zone: Some("Europe/Paris".into()),
            budget: Some(40_000_000),
            max_award: Some(8_000_000),
            currency: Some("EUR".into()),
            rules: EligibilityRules { required_zones: vec![Zone::China, Zone::Japan], ..rules },
            criteria: criteria.clone(),
            status: CallStatus::Open,
            notes: None,
        },
    )?;
    let reviewers: Vec<Uuid> = {
        let mut stmt = tx.prepare(
            "SELECT s.id FROM contact_summary s WHERE s.organisation_id = ?1 ORDER BY s.sort_name LIMIT 2",
        )?;
        let rows = stmt.query_map([k("udl")?], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let ids = &closed.criteria_read;
    let review = |reviewer: Option<&Uuid>, marks: [f64; 3]| ReviewInput {
        id: None,
        reviewer_id: reviewer.copied(),
        scores: ids.iter().zip(marks).map(|(c, score)| Score { criterion_id: c.id, score }).collect(),
        comment: None,
    };
    let partner = |key: &str, role: &str| -> Result<ApplicationPartnerInput> {
        Ok(ApplicationPartnerInput { id: None, partner_id: Some(k(key)?), role: Some(role.into()) })
    };
    #[allow(clippy::type_complexity)]
    let closed_apps: Vec<(
        &str,
        &str,
        &str,
        &str,
        Vec<ApplicationPartnerInput>,
        ApplicationStatus,
        Vec<[f64; 3]>,
    )> = vec![
        (
            "IDEX-INT-2026-01",
            "URBACHINE",
            "Urban heritage and climate adaptation in Shanghai and Lyon",
            "lyon2",
            vec![partner("tongji", "Partner")?, partner("utokyo", "Partner")?],
            ApplicationStatus::Funded,
            vec![[5.0, 4.0, 4.0], [4.0, 5.0, 4.0]],
        ),
        (
            "IDEX-INT-2026-02",
            "MEDHUM",
            "Narrative medicine across traditions",
            "udl",
            vec![partner("uottawa", "Co-lead")?, partner("shutcm", "Partner")?],
            ApplicationStatus::Selected,
            vec![[4.0, 5.0, 3.0], [5.0, 4.0, 4.0]],
        ),
        (
            "IDEX-INT-2026-03",
            "AQUASUD",
            "Water governance in megacities",
            "insa-lyon",
            vec![partner("usp", "Partner")?, partner("ubc", "Partner")?],
            ApplicationStatus::Reserve,
            vec![[4.0, 3.0, 4.0], [3.0, 4.0, 4.0]],
        ),
        (
            "IDEX-INT-2026-04",
            "NEUROLINK",
            "Brain imaging cohorts",
            "lyon1",
            vec![partner("kyoto", "Partner")?, partner("mcgill", "Partner")?],
            ApplicationStatus::Rejected,
            vec![[2.0, 5.0, 5.0], [2.0, 4.0, 5.0]],
        ),
        (
            "IDEX-INT-2026-05",
            "SINOLAW",
            "Comparative contract law",
            "lyon3",
            vec![partner("fudan", "Partner")?],
            ApplicationStatus::Ineligible,
            vec![],
        ),
        (
            "IDEX-INT-2026-06",
            "TROPICS",
            "Tropical forests and health",
            "unicamp",
            vec![partner("lyon1", "Partner")?, partner("laval", "Partner")?],
            ApplicationStatus::Ineligible,
            vec![],
        ),
    ];
    let mut applications = 0;
    for (reference, acronym, title, lead, partners, status, marks) in closed_apps {
        application::create(
            tx,
            clock,
            &ApplicationInput {
                call_id: Some(closed.id),
                reference: Some(reference.into()),
                acronym: Some(acronym.into()),
                title: title.into(),
                pi_id: contact_at(tx, k(lead)?, INVESTIGATORS)?,
                lead_id: Some(k(lead)?),
                partners,
                requested: Some(5_000_000),
                cofunding: Some(1_500_000),
                duration_months: Some(24),
                status,
                reviews: marks.iter().enumerate().map(|(i, m)| review(reviewers.get(i), *m)).collect(),
                notes: None,
            },
        )?;
        applications += 1;
    }
    for (reference, acronym, title, lead, partners, status) in [
        (
            "IDEX-ZONES-2027-01",
            "PACIFIC",
            "Ports and cities of the Pacific rim",
            "ens-lyon",
            vec![partner("ecnu", "Partner")?, partner("waseda", "Partner")?, partner("uqam", "Partner")?],
            ApplicationStatus::Submitted,
        ),
        (
            "IDEX-ZONES-2027-02",
            "SILKDATA",
            "Digital humanities of the Silk Roads",
            "lyon3",
            vec![partner("pku", "Partner")?, partner("fudan", "Partner")?],
            ApplicationStatus::Draft,
        ),
    ] {
        application::create(
            tx,
            clock,
            &ApplicationInput {
                call_id: Some(open.id),
                reference: Some(reference.into()),
                acronym: Some(acronym.into()),
                title: title.into(),
                pi_id: None,
                lead_id: Some(k(lead)?),
                partners,
                requested: Some(7_000_000),
                cofunding: None,
                duration_months: Some(36),
                status,
                reviews: vec![],
                notes: None,
            },
        )?;
        applications += 1;
    }
    Ok((2, applications))
}

/// The flagship projects, the joint lab and the representative office, and the year's events: the
/// back-to-school webinar (100+ participants), a symposium in Shanghai, a delegation visit.
fn load_projects_and_events(
    tx: &Tx,
    clock: &dyn Clock,
    keys: &Keys,
    frameworks: &HashMap<&str, Uuid>,
    medicine: Uuid,
    iucc: Uuid,
) -> Result<(usize, usize)> {
    let k = |key: &str| keys.get(key);
    let partner = |key: &str, role: &str| -> Result<ProjectPartnerInput> {
        Ok(ProjectPartnerInput { partner_id: Some(k(key)?), role: Some(role.into()) })
    };
    let project =
        |code: &str, title: &str, kind, status, dates: (&str, &str), budget: Option<i64>| ProjectInput {
            code: Some(code.into()),
            title: title.into(),
            kind,
            status,
            start_date: Some(dates.0.into()),
            end_date: Some(dates.1.into()).filter(|d: &String| !d.is_empty()),
            budget,
            currency: budget.map(|_| "EUR".into()),
            fields: vec![],
            partners: vec![],
            agreement_ids: vec![],
            notes: None,
        };
    let mut flagship = project(
        "FLAG-MH",
        "Medicine and Humanities",
        ProjectKind::Flagship,
        ProjectStatus::Active,
        ("2022-03-01", "2027-02-28"),
        Some(45_000_000),
    );
    flagship.fields = vec!["health".into(), "humanities_social_sciences".into()];
    flagship.partners = vec![
        partner("uottawa", "Co-lead")?,
        partner("sjtu", "Partner")?,
        partner("shutcm", "Partner")?,
        partner("udl", "Co-lead")?,
    ];
    flagship.agreement_ids = vec![medicine];
    let flagship = project::create(tx, clock, &flagship)?;
    let mut lab = project(
        "LAB-IUCC",
        "Joint laboratory on urban cooperation and culture (Tongji IUCC – LabEx IMU)",
        ProjectKind::JointLab,
        ProjectStatus::Active,
        ("2019-10-01", ""),
        Some(12_000_000),
    );
    lab.fields = vec!["0731".into(), "sustainable_development".into()];
    lab.partners = vec![partner("tongji-iucc", "Partner laboratory")?, partner("imu", "Lyon laboratory")?];
    lab.agreement_ids = vec![iucc];
    project::create(tx, clock, &lab)?;
    let mut office = project(
        "OFF-ECNU",
        "ECNU representative office in Lyon",
        ProjectKind::RepresentativeOffice,
        ProjectStatus::Active,
        ("2021-03-01", ""),
        None,
    );
    office.partners = vec![partner("ecnu", "Guest")?, partner("udl", "Host")?];
    office.agreement_ids = frameworks.get("ecnu").copied().into_iter().collect();
    project::create(tx, clock, &office)?;

    let event = |title: &str, kind, date: &str, venue: Option<&str>, zone, counts: (i64, i64)| EventInput {
        title: title.into(),
        kind,
        start_date: Some(date.into()),
        end_date: None,
        online: venue.is_none(),
        venue: venue.map(Into::into),
        zone: Some(zone),
        project_id: None,
        organiser_ids: vec![],
        registered: Some(counts.0),
        attended: Some(counts.1),
        notes: None,
    };
    let mut webinar = event(
        "Back-to-school webinar of the International Alliance",
        EventKind::Webinar,
        "2026-09-24",
        None,
        Zone::FranceEurope,
        (164, 118),
    );
    webinar.organiser_ids = vec![k("udl")?];
    event::create(tx, clock, &webinar)?;
    let mut symposium = event(
        "Medicine and Humanities symposium",
        EventKind::Symposium,
        "2026-05-18",
        Some("Shanghai Jiao Tong University, Shanghai"),
        Zone::China,
        (85, 72),
    );
    symposium.end_date = Some("2026-05-19".into());
    symposium.project_id = Some(flagship.id);
    symposium.organiser_ids = vec![k("sjtu")?, k("udl")?];
    event::create(tx, clock, &symposium)?;
    let mut visit = event(
        "Delegation of Tongji University in Lyon",
        EventKind::Visit,
        "2026-10-06",
        Some("Université Lumière Lyon 2, Lyon"),
        Zone::China,
        (12, 12),
    );
    visit.organiser_ids = vec![k("lyon2")?];
    event::create(tx, clock, &visit)?;
    Ok((3, 3))
}
