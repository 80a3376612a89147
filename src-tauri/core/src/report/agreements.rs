//! The agreement portfolio: live agreements counted by zone, country, partner, type and status (today's
//! status, as the agreement list shows it), those in force ending in the next 6 and 12 months, and those
//! signed or in force with no document attached. An agreement counts once in each zone, country and partner
//! among its parties, as the list's zone filter finds it, so those tables do not add up to the total.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

use super::scope::{country_name, Condition};
use super::{Body, ChartKind, Context, Section, Value, ValueKind};
use crate::columns::vocab::Vocab;
use crate::error::Result;
use crate::label::text_sql;
use crate::records::agreement::{EFFECTIVE_STATUS, IN_FORCE};

/// The agreements (alias `s`, an `agreement_summary` row) within the report's zone, country and partner.
fn within(cx: &Context) -> Condition {
    let mut sql = vec!["1".to_owned()];
    let mut args = Vec::new();
    if let Some(zone) = cx.scope.zone {
        sql.push("(' ' || s.zones || ' ') LIKE ?".into());
        args.push(Sql::Text(format!("% {} %", zone.as_str())));
    }
    if let Some(country) = &cx.scope.country {
        sql.push("(' ' || s.countries || ' ') LIKE ?".into());
        args.push(Sql::Text(format!("% {country} %")));
    }
    if let Some(partner) = cx.scope.partner {
        sql.push(
            "s.id IN (SELECT agreement_id FROM agreement_party WHERE partner_id = ? AND deleted = 0)".into(),
        );
        args.push(Sql::Blob(partner.as_bytes().to_vec()));
    }
    Condition { sql: sql.join(" AND "), args }
}

/// One agreement as the portfolio reads it.
struct Agreement {
    code: Option<String>,
    title: String,
    kind: String,
    status: String,
    start: Option<String>,
    end: Option<String>,
    parties: String,
    zones: String,
    countries: String,
    in_force: bool,
    documents: i64,
}

/// A day as the statements take it: yyyy-mm-dd.
fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Today, in 6 months and in 12 months.
fn days(cx: &Context) -> (String, String, String) {
    (ymd(cx.today), ymd(cx.today + Months::new(6)), ymd(cx.today + Months::new(12)))
}

/// The statements the portfolio runs, with their arguments, for the benchmark's baseline, which runs them
/// bare: its agreements, and the agreements per partner.
pub fn statements(cx: &Context) -> Vec<(String, Vec<Sql>)> {
    let (today, _, in_12) = days(cx);
    vec![read_sql(cx, &today), partner_sql(cx, &today, &in_12)]
}

/// The statements of [`in_force_on`], for the zone report's.
pub(super) fn in_force_statements(cx: &Context, day: NaiveDate) -> Vec<(String, Vec<Sql>)> {
    vec![read_sql(cx, &ymd(day))]
}

pub fn build(cx: &Context) -> Result<Body> {
    let (today, in_6, in_12) = days(cx);
    let agreements = read(cx, &today)?;

    let ending_by = |a: &Agreement, by: &str| {
        a.in_force && a.end.as_deref().is_some_and(|e| e >= today.as_str() && e <= by)
    };
    let unsigned = |a: &Agreement| {
        matches!(a.status.as_str(), "under_signature" | "active" | "renewal_pending") && a.documents == 0
    };
    let in_force = agreements.iter().filter(|a| a.in_force).count() as i64;
    let ending_6 = agreements.iter().filter(|a| ending_by(a, &in_6)).count() as i64;
    let ending_12 = agreements.iter().filter(|a| ending_by(a, &in_12)).count() as i64;
    let without_document = agreements.iter().filter(|a| unsigned(a)).count() as i64;
    let figures = vec![
        cx.figure("Agreements", "Accords", agreements.len() as i64, ValueKind::Count),
        cx.figure("In force today", "En vigueur aujourd’hui", in_force, ValueKind::Count),
        cx.figure("Ending within 6 months", "Échéance sous 6 mois", ending_6, ValueKind::Count),
        cx.figure("Ending within 12 months", "Échéance sous 12 mois", ending_12, ValueKind::Count),
        cx.figure("Without a signed document", "Sans document signé", without_document, ValueKind::Count),
    ];

    let count_cols = |first: (&'static str, &'static str)| {
        vec![
            cx.column(first.0, first.1, ValueKind::Text),
            cx.column("Agreements", "Accords", ValueKind::Count),
            cx.column("In force", "En vigueur", ValueKind::Count),
            cx.column("Ending within 12 months", "Échéance sous 12 mois", ValueKind::Count),
        ]
    };
    // (agreements, in force, ending within 12 months) per key.
    let tally = |keys: &dyn Fn(&Agreement) -> Vec<String>| {
        let mut counts: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
        for a in &agreements {
            for key in keys(a) {
                let c = counts.entry(key).or_default();
                c.0 += 1;
                c.1 += i64::from(a.in_force);
                c.2 += i64::from(ending_by(a, &in_12));
            }
        }
        counts
    };
    let words = |s: &str| s.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect::<Vec<_>>();

    let mut by_zone = Section::new("by_zone", cx.tr("By zone", "Par zone"), count_cols(("Zone", "Zone")))
        .note(cx.tr(
            "An agreement counts in the zone of each of its parties.",
            "Un accord compte dans la zone de chacune de ses parties.",
        ));
    let zones = tally(&|a| words(&a.zones));
    for zone in crate::kinds::Zone::ALL {
        if let Some((n, f, e)) = zones.get(zone.as_str()) {
            by_zone.rows.push(vec![
                Vocab::Zone.label(zone.as_str(), cx.lang).into(),
                (*n).into(),
                (*f).into(),
                (*e).into(),
            ]);
        }
    }
    let by_zone = by_zone.chart(ChartKind::Bar, cx.tr("Agreements by zone", "Accords par zone"), 0, &[1, 2]);

    let mut by_country =
        Section::new("by_country", cx.tr("By country", "Par pays"), count_cols(("Country", "Pays")));
    let mut countries: Vec<(String, (i64, i64, i64))> =
        tally(&|a| words(&a.countries)).into_iter().map(|(c, n)| (country_name(&c, cx.lang), n)).collect();
    countries.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
    for (name, (n, f, e)) in countries {
        by_country.rows.push(vec![name.into(), n.into(), f.into(), e.into()]);
    }

    let by_partner = partner_table(cx, &today, &in_12)?;

    let mut by_type = Section::new(
        "by_type",
        cx.tr("By type", "Par type"),
        vec![
            cx.column("Type", "Type", ValueKind::Text),
            cx.column("Agreements", "Accords", ValueKind::Count),
            cx.column("In force", "En vigueur", ValueKind::Count),
        ],
    );
    let kinds = tally(&|a| vec![a.kind.clone()]);
    for kind in Vocab::AgreementKind.codes() {
        if let Some((n, f, _)) = kinds.get(kind) {
            by_type.rows.push(vec![
                Vocab::AgreementKind.label(kind, cx.lang).into(),
                (*n).into(),
                (*f).into(),
            ]);
        }
    }
    let by_type = by_type.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Bar,
        cx.tr("Agreements by type", "Accords par type"),
        0,
        &[1],
    );

    let mut by_status = Section::new(
        "by_status",
        cx.tr("By status", "Par statut"),
        vec![
            cx.column("Status", "Statut", ValueKind::Text),
            cx.column("Agreements", "Accords", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "Today’s status: an active agreement past its end date is expired.",
        "Statut du jour : un accord actif dont la date de fin est passée est échu.",
    ));
    let statuses = tally(&|a| vec![a.status.clone()]);
    for status in Vocab::AgreementStatus.codes() {
        if let Some((n, _, _)) = statuses.get(status) {
            by_status.rows.push(vec![Vocab::AgreementStatus.label(status, cx.lang).into(), (*n).into()]);
        }
    }
    let by_status = by_status.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Bar,
        cx.tr("Agreements by status", "Accords par statut"),
        0,
        &[1],
    );

    let list_columns = || list_columns(cx);
    let row = |a: &Agreement| list_row(cx, a);
    let mut expiring = Section::new(
        "expiring",
        cx.tr("Ending within 12 months", "Échéance sous 12 mois"),
        list_columns(),
    )
    .note(cx.tr(
        "Agreements in force today whose end date falls in the next 12 months, soonest first.",
        "Accords en vigueur aujourd’hui dont la date de fin tombe dans les 12 prochains mois, les plus proches d’abord.",
    ));
    let mut ending: Vec<&Agreement> = agreements.iter().filter(|a| ending_by(a, &in_12)).collect();
    ending.sort_by(|a, b| a.end.cmp(&b.end));
    expiring.rows = ending.into_iter().map(row).collect();

    let mut without = Section::new(
        "without_document",
        cx.tr("Without a signed document", "Sans document signé"),
        list_columns(),
    )
    .note(cx.tr(
        "Agreements under signature, active or up for renewal with no document attached.",
        "Accords en signature, actifs ou à renouveler sans document joint.",
    ));
    without.rows = agreements.iter().filter(|a| unsigned(a)).map(row).collect();

    Ok(Body {
        figures,
        sections: vec![by_zone, by_country, by_partner, by_type, by_status, expiring, without],
    })
}

/// The statement of [`read`].
fn read_sql(cx: &Context, day: &str) -> (String, Vec<Sql>) {
    let w = within(cx);
    // The parties as the reader names them (Fudan University (复旦大学)), in the order the list shows them.
    let sql = format!(
        "SELECT s.code, s.title, s.kind, {EFFECTIVE_STATUS}, s.start_date, s.end_date,
                coalesce((SELECT group_concat({label}, ' · ' ORDER BY a.id)
                          FROM agreement_party a JOIN partner_label l ON l.partner_id = a.partner_id AND l.ui = ?
                          WHERE a.agreement_id = s.id AND a.deleted = 0), s.parties),
                s.zones, s.countries,
                ({IN_FORCE}),
                (SELECT count(*) FROM document d WHERE d.owner_id = s.id AND d.deleted = 0)
         FROM agreement_summary s WHERE {} ORDER BY s.sort_title, s.id",
        w.sql,
        label = text_sql("l"),
    );
    let mut args = vec![
        Sql::Text(day.to_owned()),
        Sql::Text(cx.lang.as_str().to_owned()),
        Sql::Text(day.to_owned()),
        Sql::Text(day.to_owned()),
    ];
    args.extend(w.args);
    (sql, args)
}

/// The portfolio's agreements (within the report's zone, country and partner), their status and whether
/// they are in force as on `day` (yyyy-mm-dd).
fn read(cx: &Context, day: &str) -> Result<Vec<Agreement>> {
    let (sql, args) = read_sql(cx, day);
    let mut stmt = cx.conn.prepare(&sql)?;
    let agreements = stmt
        .query_map(params_from_iter(args), |r| {
            Ok(Agreement {
                code: r.get(0)?,
                title: r.get(1)?,
                kind: r.get(2)?,
                status: r.get(3)?,
                start: r.get(4)?,
                end: r.get(5)?,
                parties: r.get(6)?,
                zones: r.get(7)?,
                countries: r.get(8)?,
                in_force: r.get(9)?,
                documents: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(agreements)
}

fn list_columns(cx: &Context) -> Vec<super::ReportColumn> {
    vec![
        cx.column("Code", "Code", ValueKind::Text),
        cx.column("Title", "Intitulé", ValueKind::Text),
        cx.column("Parties", "Parties", ValueKind::Text),
        cx.column("Type", "Type", ValueKind::Text),
        cx.column("Status", "Statut", ValueKind::Text),
        cx.column("Start", "Début", ValueKind::Date),
        cx.column("End", "Fin", ValueKind::Date),
    ]
}

fn list_row(cx: &Context, a: &Agreement) -> Vec<Value> {
    vec![
        a.code.clone().into(),
        a.title.as_str().into(),
        a.parties.as_str().into(),
        Vocab::AgreementKind.label(&a.kind, cx.lang).into(),
        Vocab::AgreementStatus.label(&a.status, cx.lang).into(),
        a.start.clone().into(),
        a.end.clone().into(),
    ]
}

/// The list of the report's agreements in force on `day` (with their status on that day), for the zone
/// report.
pub(super) fn in_force_on(cx: &Context, day: NaiveDate) -> Result<Section> {
    let day = ymd(day);
    let mut section = Section::new(
        "agreements_in_force",
        cx.tr("Agreements in force", "Accords en vigueur"),
        list_columns(cx),
    );
    section.rows = read(cx, &day)?.iter().filter(|a| a.in_force).map(|a| list_row(cx, a)).collect();
    Ok(section)
}

/// The condition on a party (alias `a`, with `s` its agreement's summary) for the partner table: the
/// report's agreements, and among their parties those in the zone, country or partner asked for.
fn w_for_partners(cx: &Context) -> Condition {
    let mut c = within(cx);
    let party = cx.scope.partner("a.partner_id");
    c.sql = format!("{} AND {}", c.sql, party.sql);
    c.args.extend(party.args);
    c
}

/// The statement of [`partner_table`].
fn partner_sql(cx: &Context, today: &str, in_12: &str) -> (String, Vec<Sql>) {
    let w = w_for_partners(cx);
    let label = cx.lang.as_str();
    let sql = format!(
        "SELECT {name}, p.country, count(DISTINCT s.id),
                count(DISTINCT CASE WHEN {IN_FORCE} THEN s.id END),
                count(DISTINCT CASE WHEN ({IN_FORCE}) AND s.end_date BETWEEN ? AND ? THEN s.id END)
         FROM agreement_summary s
         JOIN agreement_party a ON a.agreement_id = s.id AND a.deleted = 0
         JOIN partner_summary p ON p.id = a.partner_id
         JOIN partner_label l ON l.partner_id = p.id AND l.ui = '{label}'
         WHERE {}
         GROUP BY p.id ORDER BY count(DISTINCT s.id) DESC, l.sort_name",
        w.sql,
        name = text_sql("l"),
    );
    let mut args: Vec<Sql> =
        [today, today, today, today, today, in_12].iter().map(|d| Sql::Text((*d).to_owned())).collect();
    args.extend(w.args);
    (sql, args)
}

/// Agreements per partner organisation among the parties, most first.
fn partner_table(cx: &Context, today: &str, in_12: &str) -> Result<Section> {
    let (sql, args) = partner_sql(cx, today, in_12);
    let mut section = Section::new(
        "by_partner",
        cx.tr("By partner", "Par partenaire"),
        vec![
            cx.column("Partner", "Partenaire", ValueKind::Text),
            cx.column("Country", "Pays", ValueKind::Text),
            cx.column("Agreements", "Accords", ValueKind::Count),
            cx.column("In force", "En vigueur", ValueKind::Count),
            cx.column("Ending within 12 months", "Échéance sous 12 mois", ValueKind::Count),
        ],
    );
    let mut stmt = cx.conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        let (name, country): (String, Option<String>) = (r.get(0)?, r.get(1)?);
        Ok((name, country, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
    })?;
    for row in rows {
        let (name, country, n, f, e) = row?;
        section.rows.push(vec![
            name.into(),
            country.map(|c| country_name(&c, cx.lang)).into(),
            n.into(),
            f.into(),
            e.into(),
        ]);
    }
    Ok(section)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rusqlite::Connection;

    use super::*;
    use crate::kinds::{AgreementKind, AgreementStatus, Zone};
    use crate::label::UiLang;
    use crate::records::agreement::{self, AgreementQuery};
    use crate::report::{build, Report, ReportKind, ReportQuery};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).expect("a date")
    }

    fn report(conn: &Connection, zone: Option<Zone>, partner: Option<uuid::Uuid>, lang: UiLang) -> Report {
        let q = ReportQuery { zone, partner, lang, ..ReportQuery::new(ReportKind::Agreements) };
        build(conn, &q, today()).expect("the report")
    }

    fn figure(r: &Report, i: usize) -> i64 {
        match r.figures[i].value {
            Value::Int(n) => n,
            ref other => panic!("figure {i} is a count, not {other:?}"),
        }
    }

    fn listed(conn: &Connection, q: AgreementQuery) -> i64 {
        i64::from(agreement::list(conn, &AgreementQuery { limit: 1, ..q }, today()).expect("the list").total)
    }

    fn count_in(r: &Report, section: &str, label: &str, col: usize) -> i64 {
        let s = r.section(section).unwrap_or_else(|| panic!("section {section}"));
        s.rows.iter().find(|row| row[0] == Value::from(label)).map_or(0, |row| match row[col] {
            Value::Int(n) => n,
            _ => panic!("{section}/{label} holds a count"),
        })
    }

    /// The portfolio's figures are the agreement list's, filter for filter: totals, in force, by status and
    /// by type, for every zone and for one partner.
    fn agrees_with_the_list(conn: &Connection) {
        let mut zones: Vec<Option<Zone>> = vec![None];
        zones.extend(Zone::ALL.iter().copied().map(Some));
        for zone in zones {
            let r = report(conn, zone, None, UiLang::En);
            let q = AgreementQuery { zone, ..AgreementQuery::default() };
            assert_eq!(figure(&r, 0), listed(conn, q.clone()), "agreements in {zone:?}");
            assert_eq!(
                figure(&r, 1),
                listed(conn, AgreementQuery { in_force: Some(true), ..q.clone() }),
                "in force in {zone:?}"
            );
            for status in AgreementStatus::ALL {
                let label = Vocab::AgreementStatus.label(status.as_str(), UiLang::En);
                assert_eq!(
                    count_in(&r, "by_status", &label, 1),
                    listed(conn, AgreementQuery { status: Some(*status), ..q.clone() }),
                    "{status:?} in {zone:?}"
                );
            }
            for kind in AgreementKind::ALL {
                let label = Vocab::AgreementKind.label(kind.as_str(), UiLang::En);
                assert_eq!(
                    count_in(&r, "by_type", &label, 1),
                    listed(conn, AgreementQuery { kind: Some(*kind), ..q.clone() }),
                    "{kind:?} in {zone:?}"
                );
            }
            if let Some(zone) = zone {
                let all = report(conn, None, None, UiLang::En);
                let label = Vocab::Zone.label(zone.as_str(), UiLang::En);
                assert_eq!(
                    count_in(&all, "by_zone", &label, 1),
                    figure(&r, 0),
                    "{zone:?}'s row of the whole portfolio"
                );
            }
        }
        let partners: Vec<uuid::Uuid> = conn
            .prepare("SELECT DISTINCT partner_id FROM agreement_party WHERE deleted = 0 LIMIT 5")
            .expect("parties")
            .query_map([], |r| r.get(0))
            .expect("parties")
            .collect::<rusqlite::Result<_>>()
            .expect("parties");
        assert!(!partners.is_empty());
        for partner in partners {
            let r = report(conn, None, Some(partner), UiLang::En);
            let q = AgreementQuery { partner_id: Some(partner), ..AgreementQuery::default() };
            assert_eq!(figure(&r, 0), listed(conn, q.clone()), "agreements of {partner}");
            assert_eq!(
                figure(&r, 1),
                listed(conn, AgreementQuery { in_force: Some(true), ..q }),
                "in force, {partner}"
            );
        }
    }

    #[test]
    fn the_portfolio_counts_what_the_agreement_list_shows_on_the_demo() {
        let conn = crate::workspace::demo_database();
        agrees_with_the_list(&conn);
        let r = report(&conn, None, None, UiLang::En);
        assert!(figure(&r, 0) > 10, "the demo has agreements");
        let expiring = r.section("expiring").expect("expiring");
        assert_eq!(expiring.rows.len() as i64, figure(&r, 3), "the list of those ending within 12 months");
        let ends: Vec<&Value> = expiring.rows.iter().map(|row| &row[6]).collect();
        assert!(
            ends.windows(2).all(|w| match (w[0], w[1]) {
                (Value::Text(a), Value::Text(b)) => a <= b,
                _ => false,
            }),
            "soonest first: {ends:?}"
        );
        assert!(figure(&r, 2) <= figure(&r, 3), "within 6 months is within 12");
        let partners = r.section("by_partner").expect("by partner");
        assert!(
            partners.rows.iter().any(|row| row[0] == Value::from("Fudan University (复旦大学)")),
            "names as an English reader reads them, with the native name beside"
        );
    }

    #[test]
    fn the_portfolio_counts_what_the_agreement_list_shows_on_a_generated_workspace() {
        let conn = crate::workspace::scaled_demo_database(3_000);
        agrees_with_the_list(&conn);
    }

    #[test]
    fn french_and_english_give_the_same_numbers_in_their_own_words() {
        let conn = crate::workspace::demo_database();
        let (en, fr) = (report(&conn, None, None, UiLang::En), report(&conn, None, None, UiLang::Fr));
        assert_eq!(en.sections.len(), fr.sections.len());
        for (e, f) in en.sections.iter().zip(&fr.sections) {
            assert_eq!(e.key, f.key);
            let numbers = |s: &crate::report::Section| -> Vec<Vec<i64>> {
                s.rows
                    .iter()
                    .map(|r| {
                        r.iter().filter_map(|v| if let Value::Int(n) = v { Some(*n) } else { None }).collect()
                    })
                    .collect()
            };
            let (mut a, mut b) = (numbers(e), numbers(f));
            if e.key == "by_country" || e.key == "by_partner" {
                // Sorted by name within equal counts: the names differ between the languages.
                a.sort();
                b.sort();
            }
            assert_eq!(a, b, "{}", e.key);
        }
        assert_eq!(fr.title, "Portefeuille d’accords");
        assert!(fr.section("by_zone").expect("by zone").rows.iter().any(|r| r[0] == Value::from("Chine")));
    }

    #[test]
    fn a_filter_the_portfolio_does_not_take_is_refused_not_ignored() {
        let conn = crate::workspace::demo_database();
        let q = ReportQuery { year: Some(2025), ..ReportQuery::new(ReportKind::Agreements) };
        let err = build(&conn, &q, today()).expect_err("no year filter");
        assert_eq!(err.kind(), "invalid");
        assert!(err.to_string().contains("year"), "{err}");
        let q = ReportQuery { country: Some("XX".into()), ..ReportQuery::new(ReportKind::Agreements) };
        assert_eq!(build(&conn, &q, today()).expect_err("no such country").kind(), "invalid");
    }

    #[test]
    fn a_country_filter_keeps_the_agreements_with_a_party_there() {
        let conn = crate::workspace::demo_database();
        let q = ReportQuery { country: Some("jp".into()), ..ReportQuery::new(ReportKind::Agreements) };
        let r = build(&conn, &q, today()).expect("Japan");
        let japan = report(&conn, Some(Zone::Japan), None, UiLang::En);
        assert_eq!(figure(&r, 0), figure(&japan, 0), "Japan is the only country of its zone");
        assert!(figure(&r, 0) > 0);
        assert_eq!(r.filters[0].value, "Japan");
    }
}
