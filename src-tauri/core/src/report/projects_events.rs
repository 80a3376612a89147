//! Projects and events: live projects by status and by kind with their budgets (added up within each
//! currency only), the projects with their partners and fields; live events by zone and by kind with their
//! participants, and the events. A year keeps the projects running during it (started by its last day and
//! not ended before its first) and the events starting in it. A zone, country or partner keeps the projects
//! with a partner organisation there (as the project list's partner filter finds them) and the events one
//! organised, or, for a zone alone, held in that zone.

use std::collections::{BTreeMap, HashMap};

use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

use super::scope::Condition;
use super::{Body, ChartKind, Context, Figure, ReportColumn, Section, Value, ValueKind};
use crate::columns::value::minor_digits;
use crate::columns::vocab::Vocab;
use crate::error::Result;
use crate::kinds::isced;
use crate::label::text_sql;
use crate::label::UiLang;

/// The projects (alias `p`) within the report's filters.
pub(super) fn projects_within(cx: &Context) -> Condition {
    let mut c = Condition { sql: "p.deleted = 0".into(), args: Vec::new() };
    if let Some((from, to)) = cx.scope.days() {
        c.sql.push_str(" AND coalesce(p.start_date, '0000') <= ? AND coalesce(p.end_date, '9999') >= ?");
        c.args.extend([Sql::Text(to), Sql::Text(from)]);
    }
    let partner = cx.scope.partner("l.target_id");
    if partner.sql != "1" {
        c.sql.push_str(&format!(
            " AND p.id IN (SELECT l.project_id FROM project_link l
                           WHERE l.kind = 'partner' AND l.deleted = 0 AND {})",
            partner.sql
        ));
        c.args.extend(partner.args);
    }
    c
}

/// The events (alias `e`) within the report's filters.
pub(super) fn events_within(cx: &Context) -> Condition {
    let year = cx.scope.date_in_year("e.start_date");
    let mut c = Condition { sql: format!("e.deleted = 0 AND {}", year.sql), args: year.args };
    let organiser = cx.scope.partner("o.partner_id");
    if organiser.sql != "1" {
        let mut sql = format!(
            "e.id IN (SELECT o.event_id FROM event_organiser o WHERE o.deleted = 0 AND {})",
            organiser.sql
        );
        c.args.extend(organiser.args);
        // An event's own zone stands for the zone alone: it says nothing of a country or an organisation.
        if let (Some(zone), None, None) = (cx.scope.zone, &cx.scope.country, cx.scope.partner) {
            sql = format!("({sql} OR e.zone = ?)");
            c.args.push(Sql::Text(zone.as_str().to_owned()));
        }
        c.sql = format!("{} AND {sql}", c.sql);
    }
    c
}

/// An amount in a currency's minor unit, in its major unit.
fn money(minor: i64, currency: &str) -> Value {
    Value::Number(minor as f64 / 10f64.powi(minor_digits(Some(currency)) as i32))
}

/// A field's label for the reader: an alliance field's, an ISCED-F field's (its broad field's for a code
/// ISCED-F does not list), else the code.
fn field_labels(lang: UiLang) -> impl Fn(&str) -> String {
    let isced: HashMap<String, String> = isced::detailed_fields()
        .into_iter()
        .chain(isced::broad_fields())
        .map(|f| (f.code, if lang == UiLang::Fr { f.fr } else { f.en }))
        .collect();
    move |code: &str| {
        if Vocab::AllianceField.codes().contains(&code) {
            return Vocab::AllianceField.label(code, lang);
        }
        isced
            .get(code)
            .or_else(|| code.get(..2).filter(|_| code.len() == 4).and_then(|b| isced.get(b)))
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

/// One project as the list of the report shows it.
struct Project {
    title: String,
    kind: String,
    status: String,
    partners: Option<String>,
    fields: Option<String>,
    start: Option<String>,
    end: Option<String>,
    budget: Option<i64>,
    currency: Option<String>,
}

struct Event {
    start: Option<String>,
    title: String,
    kind: String,
    zone: Option<String>,
    online: bool,
    venue: Option<String>,
    organisers: Option<String>,
    registered: Option<i64>,
    attended: Option<i64>,
}

/// (projects, budget per currency) of a status or kind.
type Tally = (i64, BTreeMap<String, i64>);

/// The statement of the report's projects by status, kind and currency, with their budgets.
fn project_counts_sql(cx: &Context) -> (String, Vec<Sql>) {
    let p = projects_within(cx);
    let sql = format!(
        "SELECT p.status, p.kind, p.currency, count(*), sum(p.budget) FROM project p WHERE {}
         GROUP BY p.status, p.kind, p.currency",
        p.sql
    );
    (sql, p.args)
}

/// The statement of the report's projects, one a row, with their partners as the reader names them.
fn project_list_sql(cx: &Context) -> (String, Vec<Sql>) {
    let p = projects_within(cx);
    let ui = cx.lang.as_str();
    let sql = format!(
        "SELECT p.title, p.kind, p.status,
                (SELECT group_concat({label}, ' · ')
                 FROM (SELECT pl.name, pl.native FROM project_link l
                       JOIN partner_label pl ON pl.partner_id = l.target_id AND pl.ui = '{ui}'
                       WHERE l.project_id = p.id AND l.kind = 'partner' AND l.deleted = 0
                       ORDER BY pl.sort_name) n),
                p.fields, p.start_date, p.end_date, p.budget, p.currency
         FROM project p WHERE {}
         ORDER BY p.start_date IS NULL, p.start_date DESC, fold(p.title), p.id",
        p.sql,
        label = text_sql("n"),
    );
    (sql, p.args)
}

/// The statement of the report's events by zone and kind, with their participants.
fn event_counts_sql(cx: &Context) -> (String, Vec<Sql>) {
    let e = events_within(cx);
    let sql = format!(
        "SELECT coalesce(e.zone, ''), e.kind, count(*), coalesce(sum(e.registered), 0),
                coalesce(sum(e.attended), 0)
         FROM event e WHERE {} GROUP BY e.zone, e.kind",
        e.sql
    );
    (sql, e.args)
}

/// The statement of the report's events, one a row, with their organisers as the reader names them.
fn event_list_sql(cx: &Context) -> (String, Vec<Sql>) {
    let e = events_within(cx);
    let ui = cx.lang.as_str();
    let sql = format!(
        "SELECT e.start_date, e.title, e.kind, e.zone, e.online, e.venue,
                (SELECT group_concat({label}, ' · ')
                 FROM (SELECT pl.name, pl.native FROM event_organiser o
                       JOIN partner_label pl ON pl.partner_id = o.partner_id AND pl.ui = '{ui}'
                       WHERE o.event_id = e.id AND o.deleted = 0 ORDER BY pl.sort_name) n),
                e.registered, e.attended
         FROM event e WHERE {}
         ORDER BY e.start_date IS NULL, e.start_date DESC, fold(e.title), e.id",
        e.sql,
        label = text_sql("n"),
    );
    (sql, e.args)
}

/// The statements the report runs, with their arguments, in order, for the benchmark's baseline, which runs
/// them bare.
pub fn statements(cx: &Context) -> Vec<(String, Vec<Sql>)> {
    vec![
        project_counts_sql(cx),
        project_list_sql(cx),
        event_counts_sql(cx),
        event_list_sql(cx),
        by_field_sql(cx),
        by_partner_sql(cx),
    ]
}

pub fn build(cx: &Context) -> Result<Body> {
    // Projects by status and kind, with their budgets per currency.
    let mut by_status: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let mut budgets: BTreeMap<String, i64> = BTreeMap::new();
    {
        let (sql, args) = project_counts_sql(cx);
        let mut stmt = cx.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
            ))
        })?;
        for row in rows {
            let (status, kind, currency, n, budget) = row?;
            for (map, key) in [(&mut by_status, status), (&mut by_kind, kind)] {
                let t = map.entry(key).or_default();
                t.0 += n;
                if let (Some(c), Some(b)) = (&currency, budget) {
                    *t.1.entry(c.clone()).or_default() += b;
                }
            }
            if let (Some(c), Some(b)) = (currency, budget) {
                *budgets.entry(c).or_default() += b;
            }
        }
    }
    let projects: Vec<Project> = {
        let (sql, args) = project_list_sql(cx);
        let mut stmt = cx.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(Project {
                title: r.get(0)?,
                kind: r.get(1)?,
                status: r.get(2)?,
                partners: r.get(3)?,
                fields: r.get(4)?,
                start: r.get(5)?,
                end: r.get(6)?,
                budget: r.get(7)?,
                currency: r.get(8)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };

    // Events by zone and kind.
    let mut events_by_zone: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    let mut events_by_kind: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    {
        let (sql, args) = event_counts_sql(cx);
        let mut stmt = cx.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?))
        })?;
        for row in rows {
            let (zone, kind, n, registered, attended): (String, String, i64, i64, i64) = row?;
            for (map, key) in [(&mut events_by_zone, zone), (&mut events_by_kind, kind)] {
                let t = map.entry(key).or_default();
                t.0 += n;
                t.1 += registered;
                t.2 += attended;
            }
        }
    }
    let events: Vec<Event> = {
        let (sql, args) = event_list_sql(cx);
        let mut stmt = cx.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| {
            Ok(Event {
                start: r.get(0)?,
                title: r.get(1)?,
                kind: r.get(2)?,
                zone: r.get(3)?,
                online: r.get(4)?,
                venue: r.get(5)?,
                organisers: r.get(6)?,
                registered: r.get(7)?,
                attended: r.get(8)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };

    let project_count: i64 = by_status.values().map(|t| t.0).sum();
    let (event_count, registered, attended) =
        events_by_zone.values().fold((0, 0, 0), |a, t| (a.0 + t.0, a.1 + t.1, a.2 + t.2));
    let mut figures = vec![
        cx.figure("Projects", "Projets", project_count, ValueKind::Count),
        cx.figure(
            "Active projects",
            "Projets actifs",
            by_status.get("active").map_or(0, |t| t.0),
            ValueKind::Count,
        ),
    ];
    for (currency, total) in &budgets {
        figures.push(Figure {
            label: format!("{} ({currency})", cx.tr("Budget", "Budget")),
            value: money(*total, currency),
            kind: ValueKind::Money,
        });
    }
    figures.extend([
        cx.figure("Events", "Événements", event_count, ValueKind::Count),
        cx.figure("Registered", "Inscrits", registered, ValueKind::Count),
        cx.figure("Attended", "Présents", attended, ValueKind::Count),
    ]);

    let budget_columns = |first: (&'static str, &'static str)| {
        let mut columns = vec![
            cx.column(first.0, first.1, ValueKind::Text),
            cx.column("Projects", "Projets", ValueKind::Count),
        ];
        for currency in budgets.keys() {
            columns.push(ReportColumn {
                label: format!("{} ({currency})", cx.tr("Budget", "Budget")),
                kind: ValueKind::Money,
            });
        }
        columns
    };
    let tally_rows = |vocab: Vocab, tallies: &BTreeMap<String, Tally>| {
        let mut codes: Vec<String> = vocab.codes().into_iter().map(str::to_owned).collect();
        codes.extend(tallies.keys().filter(|k| !vocab.codes().contains(&k.as_str())).cloned());
        let mut rows = Vec::new();
        for code in codes {
            if let Some((n, money_by)) = tallies.get(&code) {
                let mut row = vec![Value::from(vocab.label(&code, cx.lang)), (*n).into()];
                for currency in budgets.keys() {
                    row.push(money_by.get(currency).map_or(Value::Empty, |m| money(*m, currency)));
                }
                rows.push(row);
            }
        }
        rows
    };
    let budget_note = cx.tr(
        "Budgets add up within each currency; a project without a budget counts in the projects only.",
        "Les budgets s’additionnent au sein de chaque devise ; un projet sans budget ne compte que parmi les \
         projets.",
    );
    let mut projects_by_status = Section::new(
        "projects_by_status",
        cx.tr("Projects by status", "Projets par statut"),
        budget_columns(("Status", "Statut")),
    )
    .note(budget_note);
    projects_by_status.rows = tally_rows(Vocab::ProjectStatus, &by_status);
    let projects_by_status = projects_by_status.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Bar,
        cx.tr("Projects by status", "Projets par statut"),
        0,
        &[1],
    );
    let mut projects_by_kind = Section::new(
        "projects_by_kind",
        cx.tr("Projects by kind", "Projets par type"),
        budget_columns(("Kind", "Type")),
    )
    .note(budget_note);
    projects_by_kind.rows = tally_rows(Vocab::ProjectKind, &by_kind);
    let projects_by_kind = projects_by_kind.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Bar,
        cx.tr("Projects by kind", "Projets par type"),
        0,
        &[1],
    );

    let field = field_labels(cx.lang);
    let mut columns = vec![
        cx.column("Title", "Intitulé", ValueKind::Text),
        cx.column("Kind", "Type", ValueKind::Text),
        cx.column("Status", "Statut", ValueKind::Text),
        cx.column("Partners", "Partenaires", ValueKind::Text),
        cx.column("Fields", "Domaines", ValueKind::Text),
        cx.column("Start", "Début", ValueKind::Date),
        cx.column("End", "Fin", ValueKind::Date),
    ];
    // With one currency the budget column says it, leaving the page's width to the partners.
    let one_currency = budgets.len() <= 1;
    match budgets.keys().next() {
        Some(currency) if one_currency => columns.push(ReportColumn {
            label: format!("{} ({currency})", cx.tr("Budget", "Budget")),
            kind: ValueKind::Money,
        }),
        _ => columns.push(cx.column("Budget", "Budget", ValueKind::Money)),
    }
    if !one_currency {
        columns.push(cx.column("Currency", "Devise", ValueKind::Text));
    }
    let mut project_list = Section::new("projects", cx.tr("Projects", "Projets"), columns);
    for p in &projects {
        let fields: Vec<String> = p
            .fields
            .as_deref()
            .and_then(|f| serde_json::from_str::<Vec<String>>(f).ok())
            .unwrap_or_default()
            .iter()
            .map(|f| field(f))
            .collect();
        let mut row: Vec<Value> = vec![
            p.title.as_str().into(),
            Vocab::ProjectKind.label(&p.kind, cx.lang).into(),
            Vocab::ProjectStatus.label(&p.status, cx.lang).into(),
            p.partners.clone().into(),
            fields.join(" · ").into(),
            p.start.clone().into(),
            p.end.clone().into(),
            match (p.budget, &p.currency) {
                (Some(b), Some(c)) => money(b, c),
                _ => Value::Empty,
            },
        ];
        if !one_currency {
            row.push(p.currency.clone().into());
        }
        project_list.rows.push(row);
    }

    let event_columns = |first: (&'static str, &'static str)| {
        vec![
            cx.column(first.0, first.1, ValueKind::Text),
            cx.column("Events", "Événements", ValueKind::Count),
            cx.column("Registered", "Inscrits", ValueKind::Count),
            cx.column("Attended", "Présents", ValueKind::Count),
        ]
    };
    let no_zone = cx.tr("No zone", "Sans zone");
    let mut by_zone = Section::new(
        "events_by_zone",
        cx.tr("Events by zone", "Événements par zone"),
        event_columns(("Zone", "Zone")),
    )
    .note(cx.tr(
        "The zone the event is held in; participants as registered and as attended, where known.",
        "La zone où se tient l’événement ; participants inscrits et présents, lorsqu’ils sont connus.",
    ));
    let mut zones: Vec<String> = crate::kinds::Zone::ALL.iter().map(|z| z.as_str().to_owned()).collect();
    zones.extend(
        events_by_zone.keys().filter(|z| !z.is_empty() && !zones.contains(z)).cloned().collect::<Vec<_>>(),
    );
    zones.push(String::new());
    for zone in zones {
        if let Some((n, r, a)) = events_by_zone.get(&zone) {
            let label = if zone.is_empty() { no_zone.to_owned() } else { Vocab::Zone.label(&zone, cx.lang) };
            by_zone.rows.push(vec![label.into(), (*n).into(), (*r).into(), (*a).into()]);
        }
    }
    let by_zone = by_zone.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Bar,
        cx.tr("Events and participants by zone", "Événements et participants par zone"),
        0,
        &[1, 2, 3],
    );
    let mut by_event_kind = Section::new(
        "events_by_kind",
        cx.tr("Events by kind", "Événements par type"),
        event_columns(("Kind", "Type")),
    );
    let mut kinds: Vec<String> = Vocab::EventKind.codes().into_iter().map(str::to_owned).collect();
    kinds.extend(events_by_kind.keys().filter(|k| !kinds.contains(k)).cloned().collect::<Vec<_>>());
    for kind in kinds {
        if let Some((n, r, a)) = events_by_kind.get(&kind) {
            by_event_kind.rows.push(vec![
                Vocab::EventKind.label(&kind, cx.lang).into(),
                (*n).into(),
                (*r).into(),
                (*a).into(),
            ]);
        }
    }
    let by_event_kind = by_event_kind.with_total(cx.tr("Total", "Total"));

    let mut event_list = Section::new(
        "events",
        cx.tr("Events", "Événements"),
        vec![
            cx.column("Date", "Date", ValueKind::Date),
            cx.column("Title", "Intitulé", ValueKind::Text),
            cx.column("Kind", "Type", ValueKind::Text),
            cx.column("Zone", "Zone", ValueKind::Text),
            cx.column("Online", "En ligne", ValueKind::Text),
            cx.column("Venue", "Lieu", ValueKind::Text),
            cx.column("Organisers", "Organisateurs", ValueKind::Text),
            cx.column("Registered", "Inscrits", ValueKind::Count),
            cx.column("Attended", "Présents", ValueKind::Count),
        ],
    );
    for ev in &events {
        event_list.rows.push(vec![
            ev.start.clone().into(),
            ev.title.as_str().into(),
            Vocab::EventKind.label(&ev.kind, cx.lang).into(),
            ev.zone.as_deref().map(|z| Vocab::Zone.label(z, cx.lang)).into(),
            if ev.online { cx.tr("Yes", "Oui") } else { cx.tr("No", "Non") }.into(),
            ev.venue.clone().into(),
            ev.organisers.clone().into(),
            ev.registered.into(),
            ev.attended.into(),
        ]);
    }

    Ok(Body {
        figures,
        sections: vec![
            projects_by_status,
            projects_by_kind,
            by_field(cx)?,
            by_partner(cx)?,
            project_list,
            by_zone,
            by_event_kind,
            event_list,
        ],
    })
}

/// The statement of [`by_field`].
fn by_field_sql(cx: &Context) -> (String, Vec<Sql>) {
    let p = projects_within(cx);
    let sql = format!(
        "SELECT f.value, count(DISTINCT p.id) FROM project p, json_each(p.fields) f
         WHERE {} AND json_valid(p.fields) GROUP BY f.value",
        p.sql
    );
    (sql, p.args)
}

/// The report's projects per field, most first.
fn by_field(cx: &Context) -> Result<Section> {
    let (sql, args) = by_field_sql(cx);
    let mut stmt = cx.conn.prepare(&sql)?;
    let rows =
        stmt.query_map(params_from_iter(args), |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let label = field_labels(cx.lang);
    let mut counts: Vec<(String, i64)> = Vec::new();
    for row in rows {
        let (code, n) = row?;
        counts.push((label(&code), n));
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut section = Section::new(
        "projects_by_field",
        cx.tr("Projects by field", "Projets par domaine"),
        vec![
            cx.column("Field", "Domaine", ValueKind::Text),
            cx.column("Projects", "Projets", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "A project counts in each of its fields; projects without a field are not counted here.",
        "Un projet compte dans chacun de ses domaines ; les projets sans domaine ne sont pas comptés ici.",
    ));
    section.rows = counts.into_iter().map(|(f, n)| vec![f.into(), n.into()]).collect();
    Ok(section)
}

/// The statement of [`by_partner`].
fn by_partner_sql(cx: &Context) -> (String, Vec<Sql>) {
    let p = projects_within(cx);
    let partner = cx.scope.partner("l.target_id");
    let sql = format!(
        "SELECT {label}, s.country, count(DISTINCT p.id)
         FROM project p
         JOIN project_link l ON l.project_id = p.id AND l.kind = 'partner' AND l.deleted = 0
         JOIN partner_summary s ON s.id = l.target_id
         JOIN partner_label pl ON pl.partner_id = s.id AND pl.ui = ?
         WHERE {} AND {}
         GROUP BY s.id ORDER BY count(DISTINCT p.id) DESC, pl.sort_name",
        p.sql,
        partner.sql,
        label = text_sql("pl"),
    );
    let mut args = vec![Sql::Text(cx.lang.as_str().to_owned())];
    args.extend(p.args);
    args.extend(partner.args);
    (sql, args)
}

/// The report's projects per partner organisation (within the zone, country or partner asked for), most
/// first.
fn by_partner(cx: &Context) -> Result<Section> {
    let (sql, args) = by_partner_sql(cx);
    let mut stmt = cx.conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?))
    })?;
    let mut section = Section::new(
        "projects_by_partner",
        cx.tr("Projects by partner", "Projets par partenaire"),
        vec![
            cx.column("Partner", "Partenaire", ValueKind::Text),
            cx.column("Country", "Pays", ValueKind::Text),
            cx.column("Projects", "Projets", ValueKind::Count),
        ],
    );
    for row in rows {
        let (name, country, n) = row?;
        section.rows.push(vec![
            name.into(),
            country.map(|c| super::scope::country_name(&c, cx.lang)).into(),
            n.into(),
        ]);
    }
    Ok(section)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::NaiveDate;
    use rusqlite::Connection;
    use uuid::Uuid;

    use super::*;
    use crate::clock::ManualClock;
    use crate::job::{Commit, Job};
    use crate::kinds::Zone;
    use crate::records::event::{self, EventQuery, EventRow};
    use crate::records::project::{self, ProjectQuery, ProjectRow};
    use crate::report::{build, Report, ReportKind, ReportQuery, YearBasis};
    use crate::workspace::demo_database;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).expect("a day")
    }

    fn generated() -> Connection {
        let mut conn = demo_database();
        crate::demo::scale(&mut conn, &ManualClock::new(), 3_000, Commit::EachStep, &Job::silent())
            .expect("a generated workspace");
        conn
    }

    /// A filter of the report, and the same filter said as the lists take it.
    #[derive(Debug, Clone, Default)]
    struct Filter {
        year: Option<(i64, YearBasis)>,
        zone: Option<Zone>,
        country: Option<&'static str>,
        partner: Option<Uuid>,
    }

    fn report(conn: &Connection, f: &Filter, lang: UiLang) -> Report {
        let mut q = ReportQuery::new(ReportKind::ProjectsEvents);
        q.year = f.year.map(|y| y.0);
        q.basis = f.year.map_or(YearBasis::Academic, |y| y.1);
        q.zone = f.zone;
        q.country = f.country.map(str::to_owned);
        q.partner = f.partner;
        q.lang = lang;
        build(conn, &q, today()).expect("the report")
    }

    /// The live partners the filter names.
    fn partners(conn: &Connection, f: &Filter) -> Option<Vec<Uuid>> {
        if f.zone.is_none() && f.country.is_none() && f.partner.is_none() {
            return None;
        }
        let mut stmt = conn
            .prepare(
                "SELECT id FROM partner_summary WHERE (?1 IS NULL OR zone = ?1) AND (?2 IS NULL OR country = ?2)
                 AND (?3 IS NULL OR id = ?3)",
            )
            .expect("partners");
        let ids = stmt
            .query_map(rusqlite::params![f.zone.map(|z| z.as_str()), f.country, f.partner], |r| r.get(0))
            .expect("partners")
            .collect::<rusqlite::Result<Vec<Uuid>>>()
            .expect("partners");
        Some(ids)
    }

    fn days(f: &Filter) -> Option<(String, String)> {
        f.year.map(|(y, basis)| match basis {
            YearBasis::Academic => (format!("{y}-09-01"), format!("{}-08-31", y + 1)),
            YearBasis::Calendar => (format!("{y}-01-01"), format!("{y}-12-31")),
        })
    }

    /// The project list's rows for the filter: each partner's projects, once each, running in the year.
    fn listed_projects(conn: &Connection, f: &Filter) -> Vec<ProjectRow> {
        let queries: Vec<ProjectQuery> = match partners(conn, f) {
            None => vec![ProjectQuery { limit: 500, ..Default::default() }],
            Some(ids) => ids
                .into_iter()
                .map(|p| ProjectQuery { partner_id: Some(p), limit: 500, ..Default::default() })
                .collect(),
        };
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for q in queries {
            let page = project::list(conn, &q).expect("projects");
            assert!(page.total <= 500);
            for row in page.rows {
                let running = days(f).is_none_or(|(from, to)| {
                    row.start_date.as_deref().unwrap_or("0000") <= to.as_str()
                        && row.end_date.as_deref().unwrap_or("9999") >= from.as_str()
                });
                if running && seen.insert(row.id) {
                    out.push(row);
                }
            }
        }
        out
    }

    /// The event list's rows for the filter: each organiser's events and, for a zone alone, those held in
    /// it; once each, starting in the year.
    fn listed_events(conn: &Connection, f: &Filter) -> Vec<EventRow> {
        let mut queries: Vec<EventQuery> = match partners(conn, f) {
            None => vec![EventQuery { limit: 500, ..Default::default() }],
            Some(ids) => ids
                .into_iter()
                .map(|p| EventQuery { partner_id: Some(p), limit: 500, ..Default::default() })
                .collect(),
        };
        if f.country.is_none() && f.partner.is_none() && f.zone.is_some() {
            queries.push(EventQuery { zone: f.zone, limit: 500, ..Default::default() });
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for q in queries {
            let page = event::list(conn, &q).expect("events");
            assert!(page.total <= 500);
            for row in page.rows {
                let starting = days(f).is_none_or(|(from, to)| {
                    row.start_date.as_deref().is_some_and(|d| d[..10] >= *from && d[..10] <= *to)
                });
                if starting && seen.insert(row.id) {
                    out.push(row);
                }
            }
        }
        out
    }

    fn figure(r: &Report, label: &str) -> Value {
        r.figures.iter().find(|f| f.label == label).map(|f| f.value.clone()).unwrap_or(Value::Empty)
    }

    fn column(r: &Report, section: &str, label: &str) -> Vec<Value> {
        let s = r.section(section).expect("the section");
        let i = s.column(label).expect("the column");
        s.rows.iter().map(|row| row[i].clone()).collect()
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    fn check(conn: &Connection, f: &Filter) {
        let r = report(conn, f, UiLang::En);
        let projects = listed_projects(conn, f);
        let titles: Vec<String> = column(&r, "projects", "Title")
            .into_iter()
            .map(|v| match v {
                Value::Text(t) => t,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(sorted(titles), sorted(projects.iter().map(|p| p.title.clone()).collect()), "{f:?}");
        assert_eq!(figure(&r, "Projects"), Value::Int(projects.len() as i64), "{f:?}");
        let active = projects.iter().filter(|p| p.status == crate::kinds::ProjectStatus::Active).count();
        assert_eq!(figure(&r, "Active projects"), Value::Int(active as i64), "{f:?}");
        let by_status = r.section("projects_by_status").expect("by status");
        assert_eq!(by_status.total.as_ref().expect("total")[1], Value::Int(projects.len() as i64));
        let mut budgets: BTreeMap<String, i64> = BTreeMap::new();
        for p in &projects {
            let full = project::get(conn, p.id).expect("the project");
            if let (Some(b), Some(c)) = (full.input.budget, full.input.currency) {
                *budgets.entry(c).or_default() += b;
            }
        }
        for (currency, total) in &budgets {
            assert_eq!(figure(&r, &format!("Budget ({currency})")), money(*total, currency), "{f:?}");
        }

        // Each partner's and each field's projects, as the project list with that partner and the projects'
        // own fields say.
        let by_partner = r.section("projects_by_partner").expect("by partner");
        let mut per_partner: Vec<i64> = Vec::new();
        let all_partners: Vec<Uuid> = partners(conn, f).unwrap_or_else(|| {
            let mut stmt = conn.prepare("SELECT id FROM partner_summary").expect("partners");
            stmt.query_map([], |r| r.get(0)).expect("partners").collect::<rusqlite::Result<_>>().expect("ids")
        });
        let ids: BTreeSet<Uuid> = projects.iter().map(|p| p.id).collect();
        for partner in all_partners {
            let q = ProjectQuery { partner_id: Some(partner), limit: 500, ..Default::default() };
            let n = project::list(conn, &q)
                .expect("projects")
                .rows
                .iter()
                .filter(|p| ids.contains(&p.id))
                .count();
            if n > 0 {
                per_partner.push(n as i64);
            }
        }
        per_partner.sort();
        let mut reported: Vec<i64> = by_partner
            .rows
            .iter()
            .map(|row| match row[2] {
                Value::Int(n) => n,
                _ => -1,
            })
            .collect();
        reported.sort();
        assert_eq!(reported, per_partner, "{f:?}");
        let mut fields: BTreeMap<String, i64> = BTreeMap::new();
        for p in &projects {
            for code in project::get(conn, p.id).expect("the project").input.fields {
                *fields.entry(code).or_default() += 1;
            }
        }
        let mut expected: Vec<i64> = fields.values().copied().collect();
        expected.sort();
        let mut reported: Vec<i64> = r
            .section("projects_by_field")
            .expect("by field")
            .rows
            .iter()
            .map(|row| match row[1] {
                Value::Int(n) => n,
                _ => -1,
            })
            .collect();
        reported.sort();
        assert_eq!(reported, expected, "{f:?}");

        let events = listed_events(conn, f);
        let titles: Vec<String> = column(&r, "events", "Title")
            .into_iter()
            .map(|v| match v {
                Value::Text(t) => t,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(sorted(titles), sorted(events.iter().map(|e| e.title.clone()).collect()), "{f:?}");
        assert_eq!(figure(&r, "Events"), Value::Int(events.len() as i64), "{f:?}");
        let registered: i64 = events.iter().filter_map(|e| e.registered).sum();
        let attended: i64 = events.iter().filter_map(|e| e.attended).sum();
        assert_eq!(figure(&r, "Registered"), Value::Int(registered), "{f:?}");
        assert_eq!(figure(&r, "Attended"), Value::Int(attended), "{f:?}");
        let by_zone = r.section("events_by_zone").expect("by zone");
        let total = by_zone.total.as_ref().expect("total");
        assert_eq!(
            total[1..],
            [Value::Int(events.len() as i64), Value::Int(registered), Value::Int(attended)]
        );
        for zone in Zone::ALL {
            let n = events.iter().filter(|e| e.zone == Some(*zone)).count() as i64;
            let row = by_zone
                .rows
                .iter()
                .find(|row| row[0] == Value::from(Vocab::Zone.label(zone.as_str(), UiLang::En)));
            assert_eq!(
                row.map_or(0, |row| match row[1] {
                    Value::Int(n) => n,
                    _ => -1,
                }),
                n,
                "events in {}",
                zone.as_str()
            );
        }
    }

    fn check_workspace(conn: &Connection) {
        let mut filters = vec![Filter::default()];
        for zone in Zone::ALL {
            filters.push(Filter { zone: Some(*zone), ..Default::default() });
        }
        for country in ["CN", "FR", "CA", "JP"] {
            filters.push(Filter { country: Some(country), ..Default::default() });
        }
        for year in [(2020, YearBasis::Academic), (2025, YearBasis::Academic), (2026, YearBasis::Calendar)] {
            filters.push(Filter { year: Some(year), ..Default::default() });
            filters.push(Filter { year: Some(year), zone: Some(Zone::China), ..Default::default() });
        }
        let organiser: Uuid = conn
            .query_row("SELECT partner_id FROM event_organiser WHERE deleted = 0 LIMIT 1", [], |r| r.get(0))
            .expect("an organiser");
        filters.push(Filter { partner: Some(organiser), ..Default::default() });
        for f in &filters {
            check(conn, f);
        }
        let all = report(conn, &Filter::default(), UiLang::En);
        assert!(matches!(figure(&all, "Projects"), Value::Int(n) if n > 0));
        assert!(matches!(figure(&all, "Events"), Value::Int(n) if n > 0));
    }

    #[test]
    fn projects_and_events_equal_the_lists_on_the_demo() {
        check_workspace(&demo_database());
    }

    #[test]
    fn projects_and_events_equal_the_lists_on_a_generated_workspace() {
        check_workspace(&generated());
    }

    #[test]
    fn the_demo_projects_name_their_partners_as_the_reader_reads_and_label_their_fields() {
        let conn = demo_database();
        let en = report(&conn, &Filter::default(), UiLang::En);
        let fr = report(&conn, &Filter::default(), UiLang::Fr);
        let partners = column(&en, "projects", "Partners");
        assert!(
            partners.iter().any(
                |p| matches!(p, Value::Text(t) if t.contains("Shanghai Jiao Tong University (上海交通大学)"))
            ),
            "{partners:?}"
        );
        let fields = column(&en, "projects", "Fields");
        assert!(fields
            .iter()
            .any(|f| matches!(f, Value::Text(t) if t.contains("Architecture and town planning"))));
        let champs = column(&fr, "projects", "Domaines");
        assert!(champs
            .iter()
            .any(|f| matches!(f, Value::Text(t) if t.contains("Architecture et urbanisme"))));
        assert!(column(&en, "projects", "Start").iter().all(|d| match d {
            Value::Text(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok(),
            Value::Empty => true,
            _ => false,
        }));
    }

    #[test]
    fn french_and_english_give_the_same_numbers() {
        let conn = demo_database();
        for f in [Filter::default(), Filter { zone: Some(Zone::China), ..Default::default() }] {
            let (en, fr) = (report(&conn, &f, UiLang::En), report(&conn, &f, UiLang::Fr));
            let numbers = |r: &Report| {
                let mut out: Vec<String> = r.figures.iter().map(|f| format!("{:?}", f.value)).collect();
                for s in &r.sections {
                    for row in s.rows.iter().chain(s.total.iter()) {
                        let cells: Vec<&Value> = row
                            .iter()
                            .zip(&s.columns)
                            .filter(|(_, c)| c.kind != ValueKind::Text)
                            .map(|(v, _)| v)
                            .collect();
                        out.push(format!("{}: {cells:?}", s.key));
                    }
                }
                out
            };
            assert_eq!(numbers(&en), numbers(&fr));
            assert_ne!(en.sections[0].title, fr.sections[0].title);
        }
    }

    #[test]
    fn a_partner_not_in_the_workspace_is_refused() {
        let conn = demo_database();
        let mut q = ReportQuery::new(ReportKind::ProjectsEvents);
        q.partner = Some(Uuid::from_u128(7));
        assert!(build(&conn, &q, today()).is_err());
        let mut q = ReportQuery::new(ReportKind::ProjectsEvents);
        q.country = Some("ZZ".into());
        assert!(build(&conn, &q, today()).is_err(), "not a country");
    }
}
