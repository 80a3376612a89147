//! A zone's annual activity report: the year's key figures (partners, agreements in force, exchanges in and
//! out, CSC arrivals, projects, events, applications), exchanges over the last ten years and by partner,
//! and the lists behind them. Each figure comes from the report that owns it (mobility, CSC, agreement
//! portfolio, projects and events), so it is the same number there and in the lists. The year is always
//! one: the academic year under way unless another is asked for.

use chrono::NaiveDate;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

use super::mobility::{self, FieldNames, PartnerCounts};
use super::{agreements, csc, projects_events, Body, Context, Section, ValueKind};
use crate::columns::vocab::Vocab;
use crate::error::Result;

/// The day agreements are counted in force on: the year's last day, or today for the year under way.
fn in_force_day(cx: &Context) -> NaiveDate {
    cx.scope
        .days()
        .and_then(|(_, to)| NaiveDate::parse_from_str(&to, "%Y-%m-%d").ok())
        .map_or(cx.today, |last| last.min(cx.today))
}

/// The statement of [`exchange_list`].
fn exchange_list_sql(cx: &Context) -> (String, Vec<Sql>) {
    let e = mobility::exchanges(cx);
    let text = format!(
        "SELECT c.name, e.direction, {label}, e.level, e.field, e.programme, e.status,
                coalesce(e.actual_start, e.planned_start), coalesce(e.actual_end, e.planned_end)
         FROM exchange e
         LEFT JOIN contact_summary c ON c.id = e.person_id
         LEFT JOIN partner_label l ON l.partner_id = e.partner_id AND l.ui = ?
         WHERE {}
         ORDER BY 8, c.sort_name, e.id",
        e.sql,
        label = crate::label::text_sql("l"),
    );
    let mut args = vec![Sql::Text(cx.lang.as_str().to_owned())];
    args.extend(e.args);
    (text, args)
}

/// The exchanges of the report, one a row, by start date.
fn exchange_list(cx: &Context) -> Result<Section> {
    let (text, args) = exchange_list_sql(cx);
    let mut section = Section::new(
        "exchanges",
        cx.tr("Exchanges of the year", "Mobilités de l’année"),
        vec![
            cx.column("Person", "Personne", ValueKind::Text),
            cx.column("Direction", "Sens", ValueKind::Text),
            cx.column("Partner", "Partenaire", ValueKind::Text),
            cx.column("Level", "Niveau", ValueKind::Text),
            cx.column("Field", "Domaine", ValueKind::Text),
            cx.column("Programme", "Programme", ValueKind::Text),
            cx.column("Status", "Statut", ValueKind::Text),
            cx.column("Start", "Début", ValueKind::Date),
            cx.column("End", "Fin", ValueKind::Date),
        ],
    )
    .note(cx.tr(
        "Exchanges not cancelled or withdrawn; dates actual, else planned.",
        "Mobilités ni annulées ni abandonnées ; dates réelles, sinon prévues.",
    ));
    let fields = FieldNames::new();
    let mut stmt = cx.conn.prepare(&text)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    while let Some(r) = rows.next()? {
        let direction: String = r.get(1)?;
        let level: Option<String> = r.get(3)?;
        let field: Option<String> = r.get(4)?;
        let programme: String = r.get(5)?;
        let status: String = r.get(6)?;
        section.rows.push(vec![
            r.get::<_, Option<String>>(0)?.into(),
            Vocab::Direction.label(&direction, cx.lang).into(),
            r.get::<_, Option<String>>(2)?.into(),
            level.map(|l| Vocab::Level.label(&l, cx.lang)).into(),
            field.map(|f| fields.label(&f, cx.lang)).into(),
            Vocab::Programme.label(&programme, cx.lang).into(),
            Vocab::ExchangeStatus.label(&status, cx.lang).into(),
            r.get::<_, Option<String>>(7)?.map(|d| d.chars().take(10).collect::<String>()).into(),
            r.get::<_, Option<String>>(8)?.map(|d| d.chars().take(10).collect::<String>()).into(),
        ]);
    }
    Ok(section)
}

/// The statement of [`project_list`].
fn project_list_sql(cx: &Context) -> (String, Vec<Sql>) {
    let p = projects_events::projects_within(cx);
    let text = format!(
        "SELECT p.code, p.title, p.kind, p.status, p.start_date, p.end_date FROM project p WHERE {}
         ORDER BY p.start_date, p.title, p.id",
        p.sql
    );
    (text, p.args)
}

/// The projects running in the year with a partner in the zone.
fn project_list(cx: &Context) -> Result<Section> {
    let (text, args) = project_list_sql(cx);
    let mut section = Section::new(
        "projects",
        cx.tr("Projects", "Projets"),
        vec![
            cx.column("Code", "Code", ValueKind::Text),
            cx.column("Title", "Intitulé", ValueKind::Text),
            cx.column("Type", "Type", ValueKind::Text),
            cx.column("Status", "Statut", ValueKind::Text),
            cx.column("Start", "Début", ValueKind::Date),
            cx.column("End", "Fin", ValueKind::Date),
        ],
    )
    .note(cx.tr(
        "Projects running during the year with a partner organisation in the zone.",
        "Projets en cours pendant l’année avec une organisation partenaire dans la zone.",
    ));
    let mut stmt = cx.conn.prepare(&text)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(2)?;
        let status: String = r.get(3)?;
        section.rows.push(vec![
            r.get::<_, Option<String>>(0)?.into(),
            r.get::<_, String>(1)?.into(),
            Vocab::ProjectKind.label(&kind, cx.lang).into(),
            Vocab::ProjectStatus.label(&status, cx.lang).into(),
            r.get::<_, Option<String>>(4)?.into(),
            r.get::<_, Option<String>>(5)?.into(),
        ]);
    }
    Ok(section)
}

/// The statement of [`event_list`].
fn event_list_sql(cx: &Context) -> (String, Vec<Sql>) {
    let e = projects_events::events_within(cx);
    let text = format!(
        "SELECT e.start_date, e.title, e.kind, e.online, e.venue, e.registered, e.attended FROM event e
         WHERE {} ORDER BY e.start_date, e.title, e.id",
        e.sql
    );
    (text, e.args)
}

/// The events starting in the year held in the zone or organised by a partner there.
fn event_list(cx: &Context) -> Result<Section> {
    let (text, args) = event_list_sql(cx);
    let mut section = Section::new(
        "events",
        cx.tr("Events", "Événements"),
        vec![
            cx.column("Date", "Date", ValueKind::Date),
            cx.column("Title", "Intitulé", ValueKind::Text),
            cx.column("Type", "Type", ValueKind::Text),
            cx.column("Venue", "Lieu", ValueKind::Text),
            cx.column("Registered", "Inscrits", ValueKind::Count),
            cx.column("Attended", "Présents", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "Events starting during the year, held in the zone or organised by a partner organisation there.",
        "Événements commençant pendant l’année, tenus dans la zone ou organisés par une organisation \
         partenaire de la zone.",
    ));
    let mut stmt = cx.conn.prepare(&text)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(2)?;
        let online: bool = r.get(3)?;
        let venue: Option<String> = r.get(4)?;
        let venue = match (online, venue) {
            (true, None) => Some(cx.tr("Online", "En ligne").to_owned()),
            (true, Some(v)) => Some(format!("{v} · {}", cx.tr("online", "en ligne"))),
            (false, v) => v,
        };
        section.rows.push(vec![
            r.get::<_, Option<String>>(0)?.into(),
            r.get::<_, String>(1)?.into(),
            Vocab::EventKind.label(&kind, cx.lang).into(),
            venue.into(),
            r.get::<_, Option<i64>>(5)?.into(),
            r.get::<_, Option<i64>>(6)?.into(),
        ]);
    }
    Ok(section)
}

/// The statement of [`applications`].
fn applications_sql(cx: &Context) -> (String, Vec<Sql>) {
    let year = cx.scope.date_in_year("c.deadline_at");
    let mut sql = format!(
        "SELECT count(*) FROM application_assessment s
         JOIN application a ON a.id = s.application_id AND a.deleted = 0
         JOIN call c ON c.id = s.call_id AND c.deleted = 0
         WHERE {}",
        year.sql
    );
    let mut args = year.args;
    if let Some(zone) = cx.scope.zone {
        sql.push_str(" AND (' ' || s.zones || ' ') LIKE ?");
        args.push(Sql::Text(format!("% {} %", zone.as_str())));
    }
    (sql, args)
}

/// Applications with an organisation (the lead or a partner) in the zone, to calls whose deadline falls in
/// the year.
fn applications(cx: &Context) -> Result<i64> {
    let (sql, args) = applications_sql(cx);
    Ok(cx.conn.prepare(&sql)?.query_row(params_from_iter(args), |r| r.get(0))?)
}

/// The ten years up to the report's, of the year table.
fn ten_years(cx: &Context) -> (i64, i64) {
    let year = cx.scope.year.unwrap_or_else(|| super::scope::current_year(cx.today, cx.scope.basis));
    (year - 9, year)
}

/// The statements the report runs, with their arguments, in order, for the benchmark's baseline, which runs
/// them bare: those of the readings it takes from the mobility, agreement portfolio and CSC reports, and
/// its own lists.
pub fn statements(cx: &Context) -> Vec<(String, Vec<Sql>)> {
    let mut out = PartnerCounts::statements(cx);
    out.extend(agreements::in_force_statements(cx, in_force_day(cx)));
    out.extend(csc::statements(cx));
    out.extend([project_list_sql(cx), event_list_sql(cx), exchange_list_sql(cx), applications_sql(cx)]);
    out.push(mobility::year_counts_sql(cx, Some(ten_years(cx))));
    out
}

pub fn build(cx: &Context) -> Result<Body> {
    let counts = PartnerCounts::load(cx)?;
    let total = counts.total();
    let day = in_force_day(cx);
    let in_force = agreements::in_force_on(cx, day)?.note(if day == cx.today {
        cx.tr("Agreements in force today.", "Accords en vigueur aujourd’hui.")
    } else {
        cx.tr(
            "Agreements in force on the last day of the year.",
            "Accords en vigueur le dernier jour de l’année.",
        )
    });
    let campaign = csc::of_year(cx)?;
    let projects = project_list(cx)?;
    let events = event_list(cx)?;
    let exchanges = exchange_list(cx)?;

    let mut figures = vec![
        cx.figure(
            "Partners in the zone",
            "Partenaires de la zone",
            counts.partners.len() as i64,
            ValueKind::Count,
        ),
        cx.figure("Agreements in force", "Accords en vigueur", in_force.rows.len() as i64, ValueKind::Count),
        cx.figure("Exchanges", "Mobilités", total.total(), ValueKind::Count),
        cx.figure("Incoming", "Entrantes", total.incoming, ValueKind::Count),
        cx.figure("Outgoing", "Sortantes", total.outgoing, ValueKind::Count),
    ];
    if campaign.applicants > 0 {
        figures.push(cx.figure("CSC arrivals", "Arrivées CSC", campaign.arrivals, ValueKind::Count));
    }
    figures.extend([
        cx.figure("Projects", "Projets", projects.rows.len() as i64, ValueKind::Count),
        cx.figure("Events", "Événements", events.rows.len() as i64, ValueKind::Count),
        cx.figure(
            "Applications with an organisation of the zone",
            "Candidatures avec une organisation de la zone",
            applications(cx)?,
            ValueKind::Count,
        ),
    ]);

    let by_year = mobility::by_year(
        cx,
        Some(ten_years(cx)),
        Some(cx.tr("The ten years up to the report’s.", "Les dix années jusqu’à celle du rapport.")),
    )?;
    let mut by_partner = counts.by_partner(cx);
    if cx.scope.zone.is_some() {
        // Every partner is in the zone: the column says nothing.
        let zone_column = by_partner.column(cx.tr("Zone", "Zone"));
        if let Some(at) = zone_column {
            by_partner.columns.remove(at);
            for row in by_partner.rows.iter_mut().chain(by_partner.total.iter_mut()) {
                row.remove(at);
            }
            if let Some(chart) = by_partner.chart.as_mut() {
                chart.series = chart.series.iter().map(|s| if *s > at { s - 1 } else { *s }).collect();
            }
        }
    }
    Ok(Body { figures, sections: vec![by_year, by_partner, exchanges, in_force, projects, events] })
}

#[cfg(test)]
mod tests {
    use super::super::mobility::tests::{
        figure, generated, int, listed, query, report, row, same_numbers, today,
    };
    use super::super::{build as build_report, ReportKind, ReportQuery};
    use crate::columns::vocab::Vocab;
    use crate::dashboard::{self, DashboardQuery};
    use crate::kinds::{Direction, Zone};
    use crate::label::UiLang;
    use crate::records::exchange::ExchangeQuery;

    fn count(r: &super::super::Report, en: &str) -> i64 {
        int(Some(&figure(r, en, "")))
    }

    fn check(conn: &rusqlite::Connection, zone: Zone, year: Option<i64>) {
        let q = ReportQuery { zone: Some(zone), year, ..query(ReportKind::Zone, UiLang::En) };
        let r = report(conn, &q);
        let y = year.unwrap_or(2026);
        let what = format!("{zone:?} {y}");
        let base = ExchangeQuery { academic_year: Some(y), zone: Some(zone), ..ExchangeQuery::default() };
        let incoming = listed(conn, ExchangeQuery { direction: Some(Direction::Incoming), ..base.clone() });
        let outgoing = listed(conn, ExchangeQuery { direction: Some(Direction::Outgoing), ..base.clone() });
        assert!(incoming + outgoing > 0, "{what}: the case has exchanges");
        assert_eq!((count(&r, "Incoming"), count(&r, "Outgoing")), (incoming, outgoing), "{what}: the list");
        assert_eq!(r.section("exchanges").map(|s| s.rows.len() as i64), Some(incoming + outgoing), "{what}");
        let d = dashboard::figures(conn, &DashboardQuery { academic_year: Some(y), years: 0 }, today())
            .expect("dashboard");
        let z = d.zones.iter().find(|z| z.zone == zone).expect("the zone");
        assert_eq!(
            (count(&r, "Incoming"), count(&r, "Outgoing")),
            (z.incoming, z.outgoing),
            "{what}: the dashboard"
        );
        assert_eq!(count(&r, "Partners in the zone"), z.partners, "{what}: partners");
        if y == 2026 {
            assert_eq!(count(&r, "Agreements in force"), z.active_agreements, "{what}: in force today");
        }
        let year_row = row(&r, "by_year", &crate::kinds::academic_year_label(y)).expect("the year's row");
        assert_eq!(int(year_row.get(3)), incoming + outgoing, "{what}: by year");
        let by_partner = r.section("by_partner").and_then(|s| s.total.clone()).expect("by partner");
        assert_eq!(int(by_partner.get(4)), incoming + outgoing, "{what}: by partner");
        // Projects and events as the projects and events report counts them.
        let pe = report(
            conn,
            &ReportQuery { zone: Some(zone), year: Some(y), ..query(ReportKind::ProjectsEvents, UiLang::En) },
        );
        assert_eq!(count(&r, "Projects"), count(&pe, "Projects"), "{what}: projects");
        assert_eq!(count(&r, "Events"), count(&pe, "Events"), "{what}: events");
        assert_eq!(r.section("events").map(|s| s.rows.len() as i64), Some(count(&r, "Events")));
    }

    #[test]
    fn zone_figures_equal_the_lists_and_the_dashboard_on_the_demo() {
        let conn = crate::workspace::demo_database();
        check(&conn, Zone::China, None);
        check(&conn, Zone::China, Some(2024));
        // The CSC arrivals of 2025: under way.
        let r = report(
            &conn,
            &ReportQuery { zone: Some(Zone::China), year: Some(2025), ..query(ReportKind::Zone, UiLang::En) },
        );
        assert_eq!(count(&r, "CSC arrivals"), 6);
        // The applications of the two calls (deadlines in 2025/2026 and 2026/2027) are the dashboard's.
        let d = dashboard::figures(&conn, &DashboardQuery::default(), today()).expect("dashboard");
        for z in &d.zones {
            let n: i64 = [2025, 2026]
                .into_iter()
                .map(|y| {
                    let r = report(
                        &conn,
                        &ReportQuery {
                            zone: Some(z.zone),
                            year: Some(y),
                            ..query(ReportKind::Zone, UiLang::En)
                        },
                    );
                    count(&r, "Applications with an organisation of the zone")
                })
                .sum();
            assert_eq!(n, z.applications, "{}: applications", Vocab::Zone.label(z.zone.as_str(), UiLang::En));
        }
        assert!(d.zones.iter().any(|z| z.applications > 0));
    }

    #[test]
    fn zone_figures_equal_the_lists_and_the_dashboard_on_a_generated_workspace() {
        let conn = generated(3_000);
        check(&conn, Zone::China, None);
        check(&conn, Zone::Japan, Some(2010));
        check(&conn, Zone::Brazil, Some(2026));
        check(&conn, Zone::Canada, Some(2025));
    }

    #[test]
    fn the_zone_report_refuses_a_country_or_partner_and_reads_the_same_in_french() {
        let conn = crate::workspace::demo_database();
        let country = ReportQuery {
            zone: Some(Zone::China),
            country: Some("CN".into()),
            ..query(ReportKind::Zone, UiLang::En)
        };
        let err = build_report(&conn, &country, today()).expect_err("no country filter");
        assert!(err.to_string().contains("country"), "{err}");
        let partner: uuid::Uuid =
            conn.query_row("SELECT id FROM partner_summary LIMIT 1", [], |r| r.get(0)).expect("a partner");
        let partner = ReportQuery {
            zone: Some(Zone::China),
            partner: Some(partner),
            ..query(ReportKind::Zone, UiLang::En)
        };
        assert!(build_report(&conn, &partner, today()).is_err());
        // Without a year, the academic year under way.
        let r =
            report(&conn, &ReportQuery { zone: Some(Zone::China), ..query(ReportKind::Zone, UiLang::En) });
        assert_eq!(r.filters.first().map(|f| f.value.as_str()), Some("2026/2027"));
        for year in [None, Some(2025)] {
            let en = report(
                &conn,
                &ReportQuery { zone: Some(Zone::China), year, ..query(ReportKind::Zone, UiLang::En) },
            );
            let fr = report(
                &conn,
                &ReportQuery { zone: Some(Zone::China), year, ..query(ReportKind::Zone, UiLang::Fr) },
            );
            assert_ne!(en.figures[0].label, fr.figures[0].label);
            same_numbers(&en, &fr);
        }
    }
}
