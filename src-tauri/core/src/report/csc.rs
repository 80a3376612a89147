//! The China Scholarship Council doctoral campaign, year over year: the exchanges of the `csc_doctoral`
//! programme as applicants, those accepted, under way or completed as awarded, set against the quota (the
//! yearly places of the conditions of the scholarship agreements these exchanges count against), and those
//! who arrived. Applicants include the cancelled and withdrawn, unlike the mobility statistics. One GROUP BY
//! over the programme's exchanges gives every table.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;
use uuid::Uuid;

use super::mobility::{partners, FieldNames};
use super::{Body, ChartKind, Context, Section, Value, ValueKind, YearBasis};
use crate::error::Result;

/// Applicants, awarded, arrivals and called off, of one group.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Campaign {
    pub applicants: i64,
    pub awarded: i64,
    pub arrivals: i64,
    pub called_off: i64,
}

impl Campaign {
    fn plus(&mut self, other: Campaign) {
        self.applicants += other.applicants;
        self.awarded += other.awarded;
        self.arrivals += other.arrivals;
        self.called_off += other.called_off;
    }
}

/// Awarded: accepted, under way or completed.
const AWARDED: &str = "e.status IN ('accepted', 'ongoing', 'completed')";
/// Arrived: under way or completed, or an actual start recorded.
const ARRIVED: &str = "(e.status IN ('ongoing', 'completed') OR e.actual_start IS NOT NULL)";

/// An exchange's year as the report reads it.
fn year_of_exchange(basis: YearBasis) -> &'static str {
    match basis {
        YearBasis::Academic => "e.academic_year",
        YearBasis::Calendar => "CAST(substr(coalesce(e.actual_start, e.planned_start), 1, 4) AS INTEGER)",
    }
}

/// The counts of a year, home organisation and field.
type Group = (Option<i64>, Option<Uuid>, Option<String>, Campaign);

/// The programme's exchanges of the report's partner, by year, home organisation and field.
struct Groups {
    rows: Vec<Group>,
    /// The agreements the exchanges count against.
    agreements: Vec<Uuid>,
}

/// The exchanges (alias `e`) of the CSC campaign, whatever the partner (every year).
const CAMPAIGN: &str = "e.deleted = 0 AND e.programme = 'csc_doctoral'";

/// The statement of [`Groups::load`]: by year, home organisation, field, agreement and whether within the
/// report's partner filter, the campaign's counts.
fn grouped(cx: &Context) -> (String, Vec<Sql>) {
    let chosen = cx.scope.partner("e.partner_id");
    let text = format!(
        "SELECT {}, e.partner_id, e.field, e.agreement_id, coalesce(({}), 0), count(*), sum({AWARDED}),
                sum({ARRIVED}), sum(e.status IN ('cancelled', 'withdrawn'))
         FROM exchange e NOT INDEXED WHERE {CAMPAIGN} GROUP BY 1, 2, 3, 4, 5",
        year_of_exchange(cx.scope.basis),
        chosen.sql
    );
    (text, chosen.args)
}

/// The statements over the exchanges the CSC report runs, with their arguments, for the benchmark's
/// baseline, which runs them bare (the quota and the partners' names read a few rows besides).
pub fn statements(cx: &Context) -> Vec<(String, Vec<Sql>)> {
    vec![grouped(cx)]
}

impl Groups {
    /// One pass over the exchanges: the programme has no index, and through the partner or agreement index
    /// SQLite would fetch each of a million exchanges by its row to read its programme (1.2 s for two
    /// statements at a million, against 0.2 s for one plain pass). The report's partner filter is a column,
    /// so that the same pass also finds the agreements of every CSC exchange, which the quota counts.
    fn load(cx: &Context) -> Result<Groups> {
        let (text, args) = grouped(cx);
        let mut stmt = cx.conn.prepare(&text)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut out = Vec::new();
        let mut agreements = BTreeSet::new();
        while let Some(r) = rows.next()? {
            if let Some(agreement) = r.get::<_, Option<Uuid>>(3)? {
                agreements.insert(agreement);
            }
            if !r.get::<_, bool>(4)? {
                continue;
            }
            out.push((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                Campaign {
                    applicants: r.get(5)?,
                    awarded: r.get(6)?,
                    arrivals: r.get(7)?,
                    called_off: r.get(8)?,
                },
            ));
        }
        Ok(Groups { rows: out, agreements: agreements.into_iter().collect() })
    }
}

/// The campaign of the report's year (every year without one), within its partner filters.
pub(super) fn of_year(cx: &Context) -> Result<Campaign> {
    let groups = Groups::load(cx)?;
    let mut out = Campaign::default();
    for (y, _, _, c) in &groups.rows {
        if cx.scope.year.is_none() || *y == cx.scope.year {
            out.plus(*c);
        }
    }
    Ok(out)
}

/// The yearly places of the conditions of `agreements` (live agreements and conditions), for each year of
/// `years`.
fn quota(cx: &Context, agreements: &[Uuid], years: &[i64]) -> Result<BTreeMap<i64, i64>> {
    let mut out = BTreeMap::new();
    if agreements.is_empty() || years.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; agreements.len()].join(", ");
    let mut stmt = cx.conn.prepare(&format!(
        "SELECT c.places, c.first_year, c.last_year FROM agreement_condition c
         JOIN agreement_summary s ON s.id = c.agreement_id
         WHERE c.deleted = 0 AND c.places > 0 AND c.agreement_id IN ({marks})"
    ))?;
    let args: Vec<Sql> = agreements.iter().map(|a| Sql::Blob(a.as_bytes().to_vec())).collect();
    let conditions = stmt
        .query_map(params_from_iter(args), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, Option<i64>>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for &y in years {
        let places: i64 = conditions
            .iter()
            .filter(|(_, first, last)| first.is_none_or(|f| f <= y) && last.is_none_or(|l| l >= y))
            .map(|c| c.0)
            .sum();
        out.insert(y, places);
    }
    Ok(out)
}

pub fn build(cx: &Context) -> Result<Body> {
    let groups = Groups::load(cx)?;
    let mut by_year: BTreeMap<Option<i64>, Campaign> = BTreeMap::new();
    for (y, _, _, c) in &groups.rows {
        if cx.scope.year.is_none_or(|selected| y.is_some_and(|y| y <= selected)) {
            by_year.entry(*y).or_default().plus(*c);
        }
    }
    let years: Vec<i64> = by_year.keys().flatten().copied().collect();
    let quotas = quota(cx, &groups.agreements, &years)?;
    // The year of the key figures: the one selected, else the latest with applicants.
    let key_year = cx.scope.year.or_else(|| years.last().copied());
    let in_key_year = |y: &Option<i64>| key_year.is_some() && *y == key_year;
    let key = by_year.iter().filter(|(y, _)| in_key_year(y)).fold(Campaign::default(), |mut a, (_, c)| {
        a.plus(*c);
        a
    });
    let key_quota = key_year.and_then(|y| quotas.get(&y).copied()).unwrap_or(0);
    let year_label = |y: Option<i64>| match (y, cx.scope.basis) {
        (Some(y), YearBasis::Academic) => crate::kinds::academic_year_label(y),
        (Some(y), YearBasis::Calendar) => y.to_string(),
        (None, _) => cx.tr("Year not given", "Année non renseignée").to_owned(),
    };
    let mut figures =
        vec![cx.figure("Year", "Année", key_year.map(|y| year_label(Some(y))), ValueKind::Text)];
    figures.extend([
        cx.figure("Applicants", "Candidats", key.applicants, ValueKind::Count),
        cx.figure("Awarded", "Lauréats", key.awarded, ValueKind::Count),
        cx.figure("Quota", "Quota", key_quota, ValueKind::Count),
        cx.figure(
            "Awarded against the quota",
            "Lauréats rapportés au quota",
            Value::ratio(key.awarded, key_quota),
            ValueKind::Percent,
        ),
        cx.figure("Arrivals", "Arrivées", key.arrivals, ValueKind::Count),
    ]);

    let definitions = cx.tr(
        "Applicants: every CSC doctoral exchange of the year, cancelled and withdrawn included. Awarded: \
         accepted, under way or completed. Arrivals: under way or completed, or with an actual start date. \
         Quota: the places a year of the conditions of the scholarship agreements these exchanges count \
         against (the whole scholarship’s, whatever the partner chosen).",
        "Candidats : toutes les mobilités doctorales CSC de l’année, annulées et désistements compris. \
         Lauréats : acceptées, en cours ou terminées. Arrivées : en cours ou terminées, ou avec une date de \
         début réelle. Quota : les places annuelles des conditions des accords de bourse sur lesquels ces \
         mobilités sont comptées (celui de toute la bourse, quel que soit le partenaire choisi).",
    );
    let mut yearly = Section::new(
        "by_year",
        cx.tr("Year over year", "D’une année sur l’autre"),
        vec![
            cx.column("Year", "Année", ValueKind::Text),
            cx.column("Applicants", "Candidats", ValueKind::Count),
            cx.column("Awarded", "Lauréats", ValueKind::Count),
            cx.column("Quota", "Quota", ValueKind::Count),
            cx.column("Awarded / quota", "Lauréats / quota", ValueKind::Percent),
            cx.column("Arrivals", "Arrivées", ValueKind::Count),
            cx.column("Cancelled or withdrawn", "Annulées ou désistements", ValueKind::Count),
        ],
    )
    .note(definitions);
    for (y, c) in &by_year {
        let q = y.and_then(|y| quotas.get(&y).copied());
        yearly.rows.push(vec![
            year_label(*y).into(),
            c.applicants.into(),
            c.awarded.into(),
            q.into(),
            q.map_or(Value::Empty, |q| Value::ratio(c.awarded, q)),
            c.arrivals.into(),
            c.called_off.into(),
        ]);
    }
    let mut yearly = yearly.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Bar,
        cx.tr("Applicants, awarded and quota", "Candidats, lauréats et quota"),
        0,
        &[1, 2, 3],
    );
    if let Some(total) = yearly.total.as_mut() {
        let awarded: i64 = by_year.values().map(|c| c.awarded).sum();
        let quota: i64 = quotas.values().sum();
        if let Some(v) = total.get_mut(4) {
            *v = Value::ratio(awarded, quota);
        }
    }

    // The tables by university and field: the selected year, else every year.
    let in_tables = |y: &Option<i64>| cx.scope.year.is_none() || *y == cx.scope.year;
    let scope_note = match cx.scope.year {
        Some(_) => cx.tr("The selected year.", "L’année choisie."),
        None => cx.tr("Every year.", "Toutes les années."),
    };
    let names = partners(cx)?;
    let mut per_partner: HashMap<Option<Uuid>, Campaign> = HashMap::new();
    let mut per_field: HashMap<Option<String>, Campaign> = HashMap::new();
    for (y, p, f, c) in &groups.rows {
        if in_tables(y) {
            per_partner.entry(p.filter(|p| names.contains_key(p))).or_default().plus(*c);
            per_field.entry(f.clone()).or_default().plus(*c);
        }
    }
    let columns = |first: (&'static str, &'static str)| {
        vec![
            cx.column(first.0, first.1, ValueKind::Text),
            cx.column("Applicants", "Candidats", ValueKind::Count),
            cx.column("Awarded", "Lauréats", ValueKind::Count),
            cx.column("Arrivals", "Arrivées", ValueKind::Count),
        ]
    };
    let cells = |c: &Campaign| -> [Value; 3] { [c.applicants.into(), c.awarded.into(), c.arrivals.into()] };
    let mut by_partner = Section::new(
        "by_partner",
        cx.tr("By home university", "Par université d’origine"),
        columns(("Home university", "Université d’origine")),
    )
    .note(scope_note);
    let mut partner_rows: Vec<(Option<&super::mobility::Partner>, &Campaign)> =
        per_partner.iter().map(|(p, c)| (p.and_then(|p| names.get(&p)), c)).collect();
    partner_rows.sort_by(|a, b| {
        (a.0.is_none(), b.1.applicants, a.0.map(|p| &p.sort_name)).cmp(&(
            b.0.is_none(),
            a.1.applicants,
            b.0.map(|p| &p.sort_name),
        ))
    });
    for (p, c) in partner_rows {
        let name = match p {
            Some(p) => p.name.clone(),
            None => cx.tr("No home university", "Sans université d’origine").to_owned(),
        };
        by_partner.rows.push([vec![name.into()], cells(c).to_vec()].concat());
    }
    let by_partner = by_partner.with_total(cx.tr("Total", "Total"));

    let fields = FieldNames::new();
    let mut by_field =
        Section::new("by_field", cx.tr("By field", "Par domaine"), columns(("Field", "Domaine")))
            .note(scope_note);
    let mut field_rows: Vec<(Option<String>, &Campaign)> =
        per_field.iter().map(|(f, c)| (f.as_deref().map(|f| fields.label(f, cx.lang)), c)).collect();
    field_rows
        .sort_by(|a, b| (a.0.is_none(), b.1.applicants, &a.0).cmp(&(b.0.is_none(), a.1.applicants, &b.0)));
    for (f, c) in field_rows {
        let name = f.unwrap_or_else(|| cx.tr("Not given", "Non renseigné").to_owned());
        by_field.rows.push([vec![name.into()], cells(c).to_vec()].concat());
    }
    let by_field = by_field.with_total(cx.tr("Total", "Total"));

    Ok(Body { figures, sections: vec![yearly, by_partner, by_field] })
}

#[cfg(test)]
mod tests {
    use super::super::mobility::tests::{figure, generated, int, query, report, row, same_numbers, today};
    use super::super::{build as build_report, ReportKind, ReportQuery, Value};
    use crate::kinds::{ExchangeStatus, Programme, Zone};
    use crate::label::UiLang;
    use crate::records::exchange::{self, ExchangeQuery};

    /// The exchange list's total of CSC doctoral exchanges with `status` (any when `None`) in `year`.
    fn listed(
        conn: &rusqlite::Connection,
        year: i64,
        status: Option<ExchangeStatus>,
        partner: Option<uuid::Uuid>,
    ) -> i64 {
        let q = ExchangeQuery {
            programme: Some(Programme::CscDoctoral),
            academic_year: Some(year),
            status,
            partner_id: partner,
            ..ExchangeQuery::default()
        };
        i64::from(exchange::list(conn, &q).expect("list").total)
    }

    fn check(conn: &rusqlite::Connection) {
        let r = report(conn, &query(ReportKind::Csc, UiLang::En));
        let yearly = r.section("by_year").expect("year over year");
        assert!(yearly.rows.len() >= 5, "the demo's five years");
        let awarded = [ExchangeStatus::Accepted, ExchangeStatus::Ongoing, ExchangeStatus::Completed];
        for y in 2022..=2026 {
            let label = crate::kinds::academic_year_label(y);
            let row = row(&r, "by_year", &label).expect("a year's row");
            assert_eq!(int(row.get(1)), listed(conn, y, None, None), "{y}: applicants");
            let n: i64 = awarded.iter().map(|s| listed(conn, y, Some(*s), None)).sum();
            assert_eq!(int(row.get(2)), n, "{y}: awarded");
            assert_eq!(int(row.get(3)), 30, "{y}: the CSC agreement's 30 places");
            assert_eq!(row.get(4), Some(&Value::ratio(n, 30)));
            let called_off = listed(conn, y, Some(ExchangeStatus::Cancelled), None)
                + listed(conn, y, Some(ExchangeStatus::Withdrawn), None);
            assert_eq!(int(row.get(6)), called_off, "{y}: called off");
            // Arrivals: under way or completed, or started.
            let page = exchange::list(
                conn,
                &ExchangeQuery {
                    programme: Some(Programme::CscDoctoral),
                    academic_year: Some(y),
                    limit: 500,
                    ..ExchangeQuery::default()
                },
            )
            .expect("list");
            let arrived = page
                .rows
                .iter()
                .filter(|e| {
                    matches!(e.input.status, ExchangeStatus::Ongoing | ExchangeStatus::Completed)
                        || e.input.actual_start.is_some()
                })
                .count() as i64;
            assert_eq!(int(row.get(5)), arrived, "{y}: arrivals");
        }
        // The key figures are the latest year's.
        let latest = row(&r, "by_year", "2026/2027").expect("2026");
        assert_eq!(int(Some(&figure(&r, "Applicants", ""))), int(latest.get(1)));
        assert_eq!(int(Some(&figure(&r, "Awarded", ""))), int(latest.get(2)));
        assert_eq!(int(Some(&figure(&r, "Quota", ""))), 30);
        // A year and a university.
        let q = ReportQuery { year: Some(2024), ..query(ReportKind::Csc, UiLang::En) };
        let r = report(conn, &q);
        assert_eq!(int(Some(&figure(&r, "Applicants", ""))), listed(conn, 2024, None, None));
        let s = r.section("by_partner").expect("by university");
        assert_eq!(int(s.total.as_ref().and_then(|t| t.get(1))), listed(conn, 2024, None, None));
        let by_field = r.section("by_field").expect("by field");
        assert_eq!(int(by_field.total.as_ref().and_then(|t| t.get(1))), listed(conn, 2024, None, None));
        let fudan: uuid::Uuid = conn
            .query_row(
                "SELECT partner_id FROM partner_label WHERE ui = 'en' AND name = 'Fudan University'",
                [],
                |r| r.get(0),
            )
            .expect("Fudan");
        let r = report(conn, &ReportQuery { partner: Some(fudan), ..q });
        let n = listed(conn, 2024, None, Some(fudan));
        assert!(n > 0);
        assert_eq!(int(Some(&figure(&r, "Applicants", ""))), n, "Fudan's applicants");
        assert_eq!(int(Some(&figure(&r, "Quota", ""))), 30, "the scholarship's quota");
    }

    #[test]
    fn csc_figures_equal_the_exchange_list_on_the_demo() {
        let conn = crate::workspace::demo_database();
        check(&conn);
    }

    #[test]
    fn csc_figures_equal_the_exchange_list_on_a_generated_workspace() {
        let mut conn = generated(3_000);
        // Applicants who were not awarded, or withdrew, and one who arrived before the award was recorded.
        let any: uuid::Uuid = conn
            .query_row(
                "SELECT id FROM exchange WHERE programme = 'csc_doctoral' AND academic_year = 2026",
                [],
                |r| r.get(0),
            )
            .expect("a CSC exchange");
        let mut e = exchange::get(&conn, any).expect("the exchange").input;
        let clock = crate::clock::ManualClock::new();
        crate::write(&mut conn, |tx| {
            for (status, started) in [
                (ExchangeStatus::Applied, None),
                (ExchangeStatus::Cancelled, None),
                (ExchangeStatus::Withdrawn, None),
                (ExchangeStatus::Nominated, Some("2026-09-15")),
            ] {
                e.status = status;
                e.actual_start = started.map(str::to_owned);
                exchange::create(tx, &clock, &e)?;
            }
            Ok(())
        })
        .expect("more applicants");
        check(&conn);
        let r = report(&conn, &query(ReportKind::Csc, UiLang::En));
        let latest = row(&r, "by_year", "2026/2027").expect("2026");
        assert_eq!(
            (int(latest.get(1)), int(latest.get(2)), int(latest.get(5)), int(latest.get(6))),
            (10, 6, 1, 2),
            "applicants, awarded, arrivals, called off"
        );
    }

    #[test]
    fn csc_refuses_a_zone_or_country_and_reads_the_same_in_french() {
        let conn = crate::workspace::demo_database();
        let zone = ReportQuery { zone: Some(Zone::China), ..query(ReportKind::Csc, UiLang::En) };
        let err = build_report(&conn, &zone, today()).expect_err("no zone filter");
        assert!(err.to_string().contains("zone"), "{err}");
        let country = ReportQuery { country: Some("CN".into()), ..query(ReportKind::Csc, UiLang::En) };
        assert!(build_report(&conn, &country, today()).is_err());
        for year in [None, Some(2025)] {
            let en = report(&conn, &ReportQuery { year, ..query(ReportKind::Csc, UiLang::En) });
            let fr = report(&conn, &ReportQuery { year, ..query(ReportKind::Csc, UiLang::Fr) });
            assert_ne!(en.sections[0].title, fr.sections[0].title);
            same_numbers(&en, &fr);
        }
    }
}
