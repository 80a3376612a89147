//! Call outcomes: per live call whose deadline falls in the year (its own date, as announced), the
//! applications filed, those eligible, those selected, the success rate, the amounts requested and those
//! of the selected applications, the countries involved, how many meet the call's multilateral rules and
//! how far reviewing has gone; then the applications by status and by country. Eligibility, compliance
//! and reviewing are read from the kept assessment the application list shows (`application_assessment`),
//! never recomputed here. With a zone or country, an application counts when one of its organisations, the
//! lead or a partner, is there (the zone as the list's zone filter and the dashboard find it).

use std::collections::BTreeMap;

use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

use super::scope::{country_name, Condition};
use super::{Body, ChartKind, Context, Figure, Section, Value, ValueKind};
use crate::columns::value::minor_digits;
use crate::columns::vocab::Vocab;
use crate::error::Result;
use crate::kinds::ApplicationStatus;

/// Statuses an application counts as filed under: every one but a draft not yet submitted and one
/// withdrawn by its applicants.
const FILED: &str = "a.status NOT IN ('draft', 'withdrawn')";
/// Eligible: the rules are met by the kept assessment and the office has not ruled it ineligible.
const ELIGIBLE: &str = "coalesce(s.eligible, 0) = 1 AND a.status <> 'ineligible'";
const SELECTED: &str = "a.status IN ('selected', 'funded')";
/// The assessment found none of the multilateral rules (partners, countries, zones) failed.
const COMPLIANT: &str = "s.application_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM json_each(s.failed) j
     WHERE json_extract(j.value, '$.rule') IN ('min_partners', 'min_countries', 'required_zones'))";

/// The applications (alias `a`) within the zone and country filters.
fn within(cx: &Context) -> Condition {
    let mut sql = vec!["1".to_owned()];
    let mut args = Vec::new();
    if let Some(zone) = cx.scope.zone {
        sql.push(
            "a.id IN (SELECT application_id FROM application_assessment WHERE ' ' || zones || ' ' LIKE ?)"
                .into(),
        );
        args.push(Sql::Text(format!("% {} %", zone.as_str())));
    }
    if let Some(country) = &cx.scope.country {
        sql.push(
            "(a.lead_id IN (SELECT id FROM partner WHERE country = ?)
              OR a.id IN (SELECT ap.application_id FROM application_partner ap JOIN partner p ON p.id = ap.partner_id
                          WHERE ap.deleted = 0 AND p.country = ?))"
                .into(),
        );
        args.push(Sql::Text(country.clone()));
        args.push(Sql::Text(country.clone()));
    }
    Condition { sql: sql.join(" AND "), args }
}

/// The calls (alias `c`) in the report: live, their deadline in the year.
fn calls_within(cx: &Context) -> Condition {
    let year = cx.scope.date_in_year("c.deadline_at");
    Condition { sql: format!("c.deleted = 0 AND {}", year.sql), args: year.args }
}

/// One call's figures.
struct Call {
    code: Option<String>,
    title: String,
    status: String,
    deadline: Option<String>,
    currency: Option<String>,
    multilateral: bool,
    filed: i64,
    eligible: i64,
    selected: i64,
    requested: Option<i64>,
    awarded: Option<i64>,
    compliant: i64,
    reviews: i64,
    reviewed: i64,
    awaiting: i64,
    countries: i64,
}

/// An amount in a currency's minor unit, in its major unit.
fn money(minor: Option<i64>, currency: Option<&str>) -> Value {
    match minor {
        None => Value::Empty,
        Some(m) => Value::Number(m as f64 / 10f64.powi(minor_digits(currency) as i32)),
    }
}

/// Applications filed within the filters `w`, each with its kept assessment and its count of reviews.
fn apps_sql(w: &Condition) -> String {
    format!(
        "SELECT a.id, a.call_id, a.requested,
                CASE WHEN {ELIGIBLE} THEN 1 ELSE 0 END AS eligible,
                CASE WHEN {SELECTED} THEN 1 ELSE 0 END AS selected,
                CASE WHEN {COMPLIANT} THEN 1 ELSE 0 END AS compliant,
                CASE WHEN s.score IS NOT NULL THEN 1 ELSE 0 END AS reviewed,
                (SELECT count(*) FROM review r WHERE r.application_id = a.id AND r.deleted = 0) AS reviews
         FROM application a LEFT JOIN application_assessment s ON s.application_id = a.id
         WHERE a.deleted = 0 AND {FILED} AND {}",
        w.sql
    )
}

/// Two common table expressions: `apps`, the report's applications ([`apps_sql`]), and `orgs`, each of
/// their organisations (the lead and the partners) as `app`, `call_id`, `selected`, `org`.
fn apps_and_orgs_sql(w: &Condition) -> String {
    format!(
        "apps AS ({}),
         orgs AS (SELECT a.id AS app, a.call_id, a.selected, ap.lead_id AS org
                  FROM apps a JOIN application ap ON ap.id = a.id
                  UNION
                  SELECT a.id, a.call_id, a.selected, ap.partner_id FROM apps a
                  JOIN application_partner ap ON ap.application_id = a.id AND ap.deleted = 0)",
        apps_sql(w)
    )
}

/// The statement of the report's calls, each with its applications' figures.
fn calls_sql(cx: &Context) -> (String, Vec<Sql>) {
    let w = within(cx);
    let c = calls_within(cx);
    let apps_and_orgs = apps_and_orgs_sql(&w);
    // `countries` MATERIALIZED: read by a correlated subquery, SQLite otherwise ran it again for every call
    // (the report 0.56 s with 100 calls and 5,000 applications; 0.07 s so).
    let sql = format!(
        "WITH {apps_and_orgs},
         countries AS MATERIALIZED (SELECT o.call_id, count(DISTINCT p.country) AS n FROM orgs o JOIN partner p ON p.id = o.org
                       WHERE p.country IS NOT NULL GROUP BY o.call_id)
         SELECT c.code, c.title, c.status, substr(c.deadline_at, 1, 10), c.currency,
                (c.min_partners IS NOT NULL OR c.min_countries IS NOT NULL OR c.required_zones IS NOT NULL),
                count(a.id), coalesce(sum(a.eligible), 0), coalesce(sum(a.selected), 0), sum(a.requested),
                sum(CASE WHEN a.selected = 1 THEN a.requested END), coalesce(sum(a.compliant), 0),
                coalesce(sum(a.reviews), 0), coalesce(sum(a.reviewed), 0),
                coalesce(sum(CASE WHEN a.eligible = 1 AND a.reviewed = 0 THEN 1 ELSE 0 END), 0),
                coalesce((SELECT n FROM countries k WHERE k.call_id = c.id), 0)
         FROM call c LEFT JOIN apps a ON a.call_id = c.id
         WHERE {}
         GROUP BY c.id
         ORDER BY c.deadline_at IS NULL, unixepoch(c.deadline_at), fold(c.title), c.id",
        c.sql
    );
    let mut args = w.args;
    args.extend(c.args);
    (sql, args)
}

/// The statements the report runs, with their arguments, for the benchmark's baseline, which runs them
/// bare: the calls with their applications' figures, the applications by status and by country.
pub fn statements(cx: &Context) -> Vec<(String, Vec<Sql>)> {
    vec![calls_sql(cx), status_sql(cx), country_sql(cx)]
}

pub fn build(cx: &Context) -> Result<Body> {
    let (sql, args) = calls_sql(cx);
    let calls = {
        let mut stmt = cx.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(Call {
                code: r.get(0)?,
                title: r.get(1)?,
                status: r.get(2)?,
                deadline: r.get(3)?,
                currency: r.get(4)?,
                multilateral: r.get(5)?,
                filed: r.get(6)?,
                eligible: r.get(7)?,
                selected: r.get(8)?,
                requested: r.get(9)?,
                awarded: r.get(10)?,
                compliant: r.get(11)?,
                reviews: r.get(12)?,
                reviewed: r.get(13)?,
                awaiting: r.get(14)?,
                countries: r.get(15)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let statuses = status_counts(cx)?;
    let by_country = country_counts(cx)?;

    let sum = |f: &dyn Fn(&Call) -> i64| calls.iter().map(f).sum::<i64>();
    let (filed, eligible, selected) = (sum(&|k| k.filed), sum(&|k| k.eligible), sum(&|k| k.selected));
    let multilateral: Vec<&Call> = calls.iter().filter(|k| k.multilateral).collect();
    let mut figures = vec![
        cx.figure("Calls", "Appels", calls.len() as i64, ValueKind::Count),
        cx.figure(
            "Open calls",
            "Appels ouverts",
            calls.iter().filter(|k| k.status == "open").count() as i64,
            ValueKind::Count,
        ),
        cx.figure("Applications", "Candidatures", filed, ValueKind::Count),
        cx.figure("Eligible", "Éligibles", eligible, ValueKind::Count),
        cx.figure("Selected", "Retenues", selected, ValueKind::Count),
        cx.figure("Success rate", "Taux de succès", Value::ratio(selected, filed), ValueKind::Percent),
        cx.figure("Countries involved", "Pays impliqués", by_country.len() as i64, ValueKind::Count),
        cx.figure(
            "Meeting the multilateral rules",
            "Conformes aux règles multilatérales",
            Value::from(
                (!multilateral.is_empty()).then(|| multilateral.iter().map(|k| k.compliant).sum::<i64>()),
            ),
            ValueKind::Count,
        ),
        cx.figure("Reviewed", "Évaluées", sum(&|k| k.reviewed), ValueKind::Count),
    ];
    // Amounts add up within a currency only.
    let mut amounts: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for k in &calls {
        if let Some(currency) = &k.currency {
            let a = amounts.entry(currency.clone()).or_default();
            a.0 += k.requested.unwrap_or(0);
            a.1 += k.awarded.unwrap_or(0);
        }
    }
    for (currency, (requested, awarded)) in &amounts {
        let label = |en: &'static str, fr: &'static str| format!("{} ({currency})", cx.tr(en, fr));
        figures.push(Figure {
            label: label("Requested", "Demandé"),
            value: money(Some(*requested), Some(currency)),
            kind: ValueKind::Money,
        });
        figures.push(Figure {
            label: label("Awarded", "Accordé"),
            value: money(Some(*awarded), Some(currency)),
            kind: ValueKind::Money,
        });
    }

    let call_name = |k: &Call| Value::from(k.code.clone().unwrap_or_else(|| k.title.clone()));
    let mut by_call = Section::new(
        "by_call",
        cx.tr("By call", "Par appel"),
        vec![
            cx.column("Call", "Appel", ValueKind::Text),
            cx.column("Deadline", "Date limite", ValueKind::Date),
            cx.column("Status", "Statut", ValueKind::Text),
            cx.column("Applications", "Candidatures", ValueKind::Count),
            cx.column("Eligible", "Éligibles", ValueKind::Count),
            cx.column("Selected", "Retenues", ValueKind::Count),
            cx.column("Success rate", "Taux de succès", ValueKind::Percent),
            cx.column("Countries", "Pays", ValueKind::Count),
            cx.column("Meeting the multilateral rules", "Conformes aux règles multilatérales", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "Applications: those submitted, drafts and withdrawn ones aside. Eligible: meeting the call’s rules as \
         the application list shows them, unless ruled ineligible. Selected: selected or funded. Multilateral \
         rules: the call’s minimum partners, minimum countries and required zones (empty for a call without \
         them).",
        "Candidatures : celles déposées, hors brouillons et retraits. Éligibles : conformes aux règles de \
         l’appel telles que la liste des candidatures les montre, sauf si déclarées inéligibles. Retenues : \
         retenues ou financées. Règles multilatérales : nombre minimum de partenaires et de pays et zones \
         requises de l’appel (vide pour un appel qui n’en a pas).",
    ));
    let mut by_call_amounts = Section::new(
        "amounts",
        cx.tr("Amounts by call", "Montants par appel"),
        vec![
            cx.column("Call", "Appel", ValueKind::Text),
            cx.column("Title", "Intitulé", ValueKind::Text),
            cx.column("Currency", "Devise", ValueKind::Text),
            cx.column("Requested", "Demandé", ValueKind::Money),
            cx.column("Awarded", "Accordé", ValueKind::Money),
        ],
    )
    .note(cx.tr(
        "Requested: by the applications counted. Awarded: the amounts requested by the selected applications \
         (an application holds no separate award). In the call’s currency.",
        "Demandé : par les candidatures comptées. Accordé : les montants demandés par les candidatures retenues \
         (une candidature ne porte pas de montant accordé distinct). Dans la devise de l’appel.",
    ));
    let mut reviewing = Section::new(
        "reviews",
        cx.tr("Reviewing by call", "Évaluation par appel"),
        vec![
            cx.column("Call", "Appel", ValueKind::Text),
            cx.column("Reviews", "Évaluations", ValueKind::Count),
            cx.column("Reviews per application", "Évaluations par candidature", ValueKind::Number),
            cx.column("Reviewed", "Évaluées", ValueKind::Count),
            cx.column("Eligible awaiting review", "Éligibles en attente d’évaluation", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "Reviewed: with at least one review scoring every criterion. A call does not say how many reviews it \
         expects: an eligible application is awaiting review until it has one.",
        "Évaluées : avec au moins une évaluation notant chaque critère. Un appel ne dit pas combien \
         d’évaluations il attend : une candidature éligible attend son évaluation tant qu’elle n’en a aucune.",
    ));
    for k in &calls {
        by_call.rows.push(vec![
            call_name(k),
            k.deadline.clone().into(),
            Vocab::CallStatus.label(&k.status, cx.lang).into(),
            k.filed.into(),
            k.eligible.into(),
            k.selected.into(),
            Value::ratio(k.selected, k.filed),
            k.countries.into(),
            if k.multilateral { k.compliant.into() } else { Value::Empty },
        ]);
        by_call_amounts.rows.push(vec![
            call_name(k),
            k.title.as_str().into(),
            k.currency.clone().into(),
            money(k.requested, k.currency.as_deref()),
            money(k.awarded, k.currency.as_deref()),
        ]);
        reviewing.rows.push(vec![
            call_name(k),
            k.reviews.into(),
            Value::ratio(k.reviews, k.filed),
            k.reviewed.into(),
            k.awaiting.into(),
        ]);
    }
    let total_label = Value::from(cx.tr("Total", "Total"));
    by_call.total = Some(vec![
        total_label.clone(),
        Value::Empty,
        Value::Empty,
        filed.into(),
        eligible.into(),
        selected.into(),
        Value::ratio(selected, filed),
        (by_country.len() as i64).into(),
        Value::from(
            (!multilateral.is_empty()).then(|| multilateral.iter().map(|k| k.compliant).sum::<i64>()),
        ),
    ]);
    // Amounts add up within one currency only.
    if let (Some((currency, (requested, awarded))), 1) = (amounts.iter().next(), amounts.len()) {
        by_call_amounts.total = Some(vec![
            total_label.clone(),
            Value::Empty,
            currency.as_str().into(),
            money(Some(*requested), Some(currency)),
            money(Some(*awarded), Some(currency)),
        ]);
    }
    reviewing.total = Some(vec![
        total_label,
        sum(&|k| k.reviews).into(),
        Value::ratio(sum(&|k| k.reviews), filed),
        sum(&|k| k.reviewed).into(),
        sum(&|k| k.awaiting).into(),
    ]);
    let by_call = by_call.chart(
        ChartKind::Bar,
        cx.tr(
            "Applications, eligible and selected per call",
            "Candidatures, éligibles et retenues par appel",
        ),
        0,
        &[3, 4, 5],
    );

    let mut by_status = Section::new(
        "by_status",
        cx.tr("By status", "Par statut"),
        vec![
            cx.column("Status", "Statut", ValueKind::Text),
            cx.column("Applications", "Candidatures", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "Every application to the calls above, drafts and withdrawn ones included, by today’s status.",
        "Toutes les candidatures aux appels ci-dessus, brouillons et retraits compris, par statut du jour.",
    ));
    for (status, n) in &statuses {
        by_status.rows.push(vec![Vocab::ApplicationStatus.label(status, cx.lang).into(), (*n).into()]);
    }
    let by_status = by_status.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Bar,
        cx.tr("Applications by status", "Candidatures par statut"),
        0,
        &[1],
    );

    let mut countries = Section::new(
        "by_country",
        cx.tr("Countries involved", "Pays impliqués"),
        vec![
            cx.column("Country", "Pays", ValueKind::Text),
            cx.column("Applications", "Candidatures", ValueKind::Count),
            cx.column("Selected", "Retenues", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "An application counts in the country of each of its organisations, the lead and the partners.",
        "Une candidature compte dans le pays de chacune de ses organisations, porteuse et partenaires.",
    ));
    let mut named: Vec<(String, i64, i64)> =
        by_country.into_iter().map(|(code, (n, s))| (country_name(&code, cx.lang), n, s)).collect();
    named.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (name, n, s) in named {
        countries.rows.push(vec![name.into(), n.into(), s.into()]);
    }

    Ok(Body { figures, sections: vec![by_call, by_call_amounts, reviewing, by_status, countries] })
}

/// The statement of [`status_counts`].
fn status_sql(cx: &Context) -> (String, Vec<Sql>) {
    let w = within(cx);
    let c = calls_within(cx);
    let sql = format!(
        "SELECT a.status, count(*) FROM application a JOIN call c ON c.id = a.call_id
         WHERE a.deleted = 0 AND {} AND {} GROUP BY a.status",
        w.sql, c.sql
    );
    let mut args = w.args;
    args.extend(c.args);
    (sql, args)
}

/// Every application to the report's calls within the filters, whatever its status, per status in the
/// workflow's order (statuses this version does not know last).
fn status_counts(cx: &Context) -> Result<Vec<(String, i64)>> {
    let (sql, args) = status_sql(cx);
    let mut stmt = cx.conn.prepare(&sql)?;
    let rows =
        stmt.query_map(params_from_iter(args), |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let place = |s: &str| {
        ApplicationStatus::ALL.iter().position(|x| x.as_str() == s).unwrap_or(ApplicationStatus::ALL.len())
    };
    out.sort_by(|a, b| place(&a.0).cmp(&place(&b.0)).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

/// The statement of [`country_counts`].
fn country_sql(cx: &Context) -> (String, Vec<Sql>) {
    let w = within(cx);
    let c = calls_within(cx);
    let apps_and_orgs = apps_and_orgs_sql(&w);
    let sql = format!(
        "WITH {apps_and_orgs}
         SELECT p.country, count(DISTINCT o.app), count(DISTINCT CASE WHEN o.selected = 1 THEN o.app END)
         FROM orgs o JOIN partner p ON p.id = o.org
         WHERE p.country IS NOT NULL
           AND o.app IN (SELECT a.id FROM application a JOIN call c ON c.id = a.call_id WHERE {})
         GROUP BY p.country",
        c.sql
    );
    let mut args = w.args;
    args.extend(c.args);
    (sql, args)
}

/// Per country (ISO code), the filed applications to the report's calls with an organisation there, and
/// the selected ones among them.
fn country_counts(cx: &Context) -> Result<BTreeMap<String, (i64, i64)>> {
    let (sql, args) = country_sql(cx);
    let mut stmt = cx.conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<BTreeMap<_, _>>>()?)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rusqlite::Connection;

    use super::*;
    use crate::clock::ManualClock;
    use crate::job::{Commit, Job};
    use crate::kinds::Zone;
    use crate::label::UiLang;
    use crate::records::application::{self, ApplicationQuery, ApplicationRow};
    use crate::records::call::{self, CallQuery};
    use crate::report::{build, Report, ReportKind, ReportQuery, YearBasis};
    use crate::workspace::demo_database;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).expect("a day")
    }

    fn report(conn: &Connection, f: impl FnOnce(&mut ReportQuery)) -> Report {
        let mut q = ReportQuery::new(ReportKind::Calls);
        f(&mut q);
        build(conn, &q, today()).expect("the report")
    }

    fn generated() -> Connection {
        let mut conn = demo_database();
        crate::demo::scale(&mut conn, &ManualClock::new(), 3_000, Commit::EachStep, &Job::silent())
            .expect("a generated workspace");
        conn
    }

    fn int(v: &Value) -> i64 {
        match v {
            Value::Int(n) => *n,
            other => panic!("{other:?} is not a count"),
        }
    }

    /// The application list's rows of a call within a zone (all pages).
    fn listed(conn: &Connection, call: uuid::Uuid, zone: Option<Zone>) -> Vec<ApplicationRow> {
        let q = ApplicationQuery { call_id: Some(call), zone, limit: 500, ..Default::default() };
        let page = application::list(conn, &q).expect("the list");
        assert!(page.total <= 500, "one page holds them");
        page.rows
    }

    /// Checks every call's row of `report` against the application list with the same zone (and country,
    /// through each application's own assessment), and returns how many applications were filed in all.
    fn check_against_lists(
        conn: &Connection,
        report: &Report,
        zone: Option<Zone>,
        country: Option<&str>,
    ) -> i64 {
        let by_call = report.section("by_call").expect("by call");
        let calls = call::list(conn, &CallQuery { limit: 500, ..Default::default() }).expect("calls");
        let mut filed_all = 0;
        let mut seen = 0;
        for c in &calls.rows {
            let amounts = report.section("amounts").expect("amounts");
            let reviews = report.section("reviews").expect("reviews");
            let Some(i) = amounts.rows.iter().position(|r| r[1] == Value::from(c.title.as_str())) else {
                continue;
            };
            let (row, money_row, review_row) = (&by_call.rows[i], &amounts.rows[i], &reviews.rows[i]);
            seen += 1;
            let rows: Vec<ApplicationRow> = listed(conn, c.id, zone)
                .into_iter()
                .filter(|a| {
                    country.is_none_or(|k| {
                        let full = application::get(conn, a.id).expect("the application");
                        full.assessment.eligibility.countries.iter().any(|x| x == k)
                    })
                })
                .collect();
            let filed: Vec<&ApplicationRow> = rows
                .iter()
                .filter(|a| !matches!(a.status, ApplicationStatus::Draft | ApplicationStatus::Withdrawn))
                .collect();
            let eligible =
                filed.iter().filter(|a| a.eligible && a.status != ApplicationStatus::Ineligible).count();
            let selected: Vec<&&ApplicationRow> = filed
                .iter()
                .filter(|a| matches!(a.status, ApplicationStatus::Selected | ApplicationStatus::Funded))
                .collect();
            let reviewed = filed.iter().filter(|a| a.score.is_some()).count();
            assert_eq!(int(&row[3]), filed.len() as i64, "applications of {}", c.title);
            assert_eq!(int(&row[4]), eligible as i64, "eligible of {}", c.title);
            assert_eq!(int(&row[5]), selected.len() as i64, "selected of {}", c.title);
            assert_eq!(int(&review_row[3]), reviewed as i64, "reviewed of {}", c.title);
            let currency = filed.first().and_then(|a| a.currency.clone());
            let scale = 10f64.powi(minor_digits(currency.as_deref()) as i32);
            let requested: Option<i64> = filed.iter().filter_map(|a| a.requested).reduce(|a, b| a + b);
            let awarded: Option<i64> = selected.iter().filter_map(|a| a.requested).reduce(|a, b| a + b);
            assert_eq!(money_row[3], requested.map_or(Value::Empty, |m| Value::Number(m as f64 / scale)));
            assert_eq!(money_row[4], awarded.map_or(Value::Empty, |m| Value::Number(m as f64 / scale)));
            // Countries and compliance, as each application's own assessment and the list's failed rules say.
            let countries: std::collections::BTreeSet<String> = filed
                .iter()
                .flat_map(|a| {
                    application::get(conn, a.id).expect("the application").assessment.eligibility.countries
                })
                .collect();
            assert_eq!(int(&row[7]), countries.len() as i64, "countries of {}", c.title);
            let multilateral = ["min_partners", "min_countries", "required_zones"];
            let compliant = filed
                .iter()
                .filter(|a| !a.ineligible_because.iter().any(|f| multilateral.contains(&f.rule.as_str())));
            if row[8] != Value::Empty {
                assert_eq!(int(&row[8]), compliant.count() as i64, "compliant of {}", c.title);
            }
            filed_all += filed.len() as i64;
        }
        assert_eq!(seen, by_call.rows.len(), "every call of the report is a listed call");
        let figure = report.figures.iter().find(|f| f.label == "Applications").expect("the figure");
        assert_eq!(figure.value, Value::Int(filed_all));
        filed_all
    }

    fn check_workspace(conn: &Connection) {
        let all = report(conn, |_| {});
        let filed = check_against_lists(conn, &all, None, None);
        assert!(filed > 0, "the workspace has applications");
        // The dashboard's open calls and applications by status, with no filter.
        let dashboard = crate::dashboard::figures(conn, &Default::default(), today()).expect("dashboard");
        let open = all.figures.iter().find(|f| f.label == "Open calls").expect("open calls");
        assert_eq!(open.value, Value::Int(dashboard.open_calls));
        let by_status = all.section("by_status").expect("by status");
        let counts: Vec<(String, i64)> =
            by_status.rows.iter().map(|r| (format!("{:?}", r[0]), int(&r[1]))).collect();
        let expected: Vec<(String, i64)> = dashboard
            .applications
            .iter()
            .map(|s| {
                (
                    format!(
                        "{:?}",
                        Value::from(Vocab::ApplicationStatus.label(s.status.as_str(), UiLang::En))
                    ),
                    s.count,
                )
            })
            .collect();
        assert_eq!(counts, expected, "applications by status as the dashboard counts them");
        for zone in Zone::ALL {
            let r = report(conn, |q| q.zone = Some(*zone));
            check_against_lists(conn, &r, Some(*zone), None);
            // The dashboard's zone figure counts every application, drafts and withdrawn ones too.
            let total = int(&r.section("by_status").expect("by status").total.as_ref().expect("total")[1]);
            let figures = dashboard.zones.iter().find(|z| z.zone == *zone).expect("the zone");
            assert_eq!(total, figures.applications, "applications in {}", zone.as_str());
        }
        for country in ["CN", "JP", "BR", "FR"] {
            let r = report(conn, |q| q.country = Some(country.into()));
            check_against_lists(conn, &r, None, Some(country));
        }
        // A year: the calls whose deadline falls in it, and none of the others.
        for (year, basis) in
            [(2025, YearBasis::Academic), (2026, YearBasis::Calendar), (2027, YearBasis::Calendar)]
        {
            let r = report(conn, |q| {
                q.year = Some(year);
                q.basis = basis;
            });
            check_against_lists(conn, &r, None, None);
            let deadlines: Vec<&Value> =
                r.section("by_call").expect("by call").rows.iter().map(|r| &r[2]).collect();
            let calls = call::list(conn, &CallQuery { limit: 500, ..Default::default() }).expect("calls");
            let (from, to) = match basis {
                YearBasis::Academic => (format!("{year}-09-01"), format!("{}-08-31", year + 1)),
                YearBasis::Calendar => (format!("{year}-01-01"), format!("{year}-12-31")),
            };
            let inside = calls
                .rows
                .iter()
                .filter(|c| c.deadline_at.as_deref().is_some_and(|d| d[..10] >= *from && d[..10] <= *to))
                .count();
            assert_eq!(deadlines.len(), inside, "calls with a deadline in {year}");
        }
    }

    #[test]
    fn call_outcomes_equal_the_application_list_and_the_dashboard_on_the_demo() {
        check_workspace(&demo_database());
    }

    #[test]
    fn call_outcomes_equal_the_application_list_and_the_dashboard_on_a_generated_workspace() {
        check_workspace(&generated());
    }

    #[test]
    fn the_demo_calls_have_their_known_outcomes() {
        let conn = demo_database();
        let r = report(&conn, |_| {});
        let by_call = r.section("by_call").expect("by call");
        assert_eq!(by_call.rows.len(), 2);
        let filed: i64 = by_call.rows.iter().map(|row| int(&row[3])).sum();
        // Eight applications, one a draft.
        assert_eq!(filed, 7);
        assert!(by_call.rows.iter().any(|row| int(&row[5]) > 0), "one call has selected applications");
        assert!(by_call.rows.iter().all(|row| int(&row[7]) > 0), "countries are counted");
        assert!(matches!(by_call.rows[0][6], Value::Number(_) | Value::Empty));
        assert_eq!(by_call.chart.as_ref().map(|c| c.series.clone()), Some(vec![3, 4, 5]));
    }

    #[test]
    fn an_application_ruled_ineligible_is_not_eligible_though_it_meets_the_rules() {
        let mut conn = demo_database();
        let before = report(&conn, |_| {});
        let id: uuid::Uuid = conn
            .query_row(
                "SELECT a.id FROM application a JOIN application_assessment s ON s.application_id = a.id
                 WHERE a.deleted = 0 AND a.status = 'submitted' AND s.eligible = 1",
                [],
                |r| r.get(0),
            )
            .expect("a submitted application meeting the rules");
        let mut input = application::get(&conn, id).expect("the application").input;
        input.status = ApplicationStatus::Ineligible;
        crate::write(&mut conn, |tx| application::update(tx, &ManualClock::new(), id, &input))
            .expect("ruled ineligible");
        assert!(application::get(&conn, id).expect("the application").assessment.eligibility.eligible);
        let after = report(&conn, |_| {});
        let eligible = |r: &Report| r.figures.iter().find(|f| f.label == "Eligible").map(|f| f.value.clone());
        let applications =
            |r: &Report| r.figures.iter().find(|f| f.label == "Applications").map(|f| f.value.clone());
        assert_eq!(applications(&after), applications(&before), "still filed");
        match (eligible(&before), eligible(&after)) {
            (Some(Value::Int(b)), Some(Value::Int(a))) => assert_eq!(a, b - 1),
            other => panic!("{other:?}"),
        }
        check_against_lists(&conn, &after, None, None);
    }

    #[test]
    fn a_partner_filter_is_refused() {
        let conn = demo_database();
        let partner: uuid::Uuid =
            conn.query_row("SELECT id FROM partner_summary LIMIT 1", [], |r| r.get(0)).expect("a partner");
        let mut q = ReportQuery::new(ReportKind::Calls);
        q.partner = Some(partner);
        assert!(build(&conn, &q, today()).is_err(), "the calls report takes no partner filter");
    }

    #[test]
    fn french_and_english_give_the_same_numbers() {
        let conn = demo_database();
        for zone in [None, Some(Zone::China)] {
            let en = report(&conn, |q| q.zone = zone);
            let fr = report(&conn, |q| {
                q.zone = zone;
                q.lang = UiLang::Fr;
            });
            assert_eq!(numbers(&en), numbers(&fr));
            assert_ne!(en.sections[0].title, fr.sections[0].title, "the words are translated");
        }
    }

    /// Every figure, and every row's cells that are not words (rows sorted, as names sort differently in
    /// each language).
    fn numbers(r: &Report) -> Vec<String> {
        let mut out: Vec<String> = r.figures.iter().map(|f| format!("{:?}", f.value)).collect();
        for s in &r.sections {
            let mut rows: Vec<String> = s
                .rows
                .iter()
                .chain(s.total.iter())
                .map(|row| {
                    let cells: Vec<&Value> = row
                        .iter()
                        .zip(&s.columns)
                        .filter(|(_, c)| c.kind != ValueKind::Text)
                        .map(|(v, _)| v)
                        .collect();
                    format!("{}: {cells:?}", s.key)
                })
                .collect();
            rows.sort();
            out.extend(rows);
        }
        out
    }
}
