//! The agreement portfolio: live agreements counted by zone, country, partner, type and status (today's
//! status, as the agreement list shows it), those in force ending in the next 6 and 12 months, and those
//! signed or in force with no document attached. An agreement counts once in each zone, country and partner
//! among its parties, as the list's zone filter finds it, so those tables do not add up to the total.

use std::collections::BTreeMap;

use chrono::Months;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

use super::scope::{country_name, Condition};
use super::{Body, ChartKind, Context, Section, Value, ValueKind};
use crate::columns::vocab::Vocab;
use crate::error::Result;
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

pub fn build(cx: &Context) -> Result<Body> {
    let today = cx.today.format("%Y-%m-%d").to_string();
    let in_6 = (cx.today + Months::new(6)).format("%Y-%m-%d").to_string();
    let in_12 = (cx.today + Months::new(12)).format("%Y-%m-%d").to_string();
    let w = within(cx);
    // The parties as the reader names them (Fudan University (复旦大学)), in the order the list shows them.
    let sql = format!(
        "SELECT s.code, s.title, s.kind, {EFFECTIVE_STATUS}, s.start_date, s.end_date,
                coalesce((SELECT group_concat(l.name || coalesce(' (' || l.native || ')', ''), ' · ' ORDER BY a.id)
                          FROM agreement_party a JOIN partner_label l ON l.partner_id = a.partner_id AND l.ui = ?
                          WHERE a.agreement_id = s.id AND a.deleted = 0), s.parties),
                s.zones, s.countries,
                ({IN_FORCE}),
                (SELECT count(*) FROM document d WHERE d.owner_id = s.id AND d.deleted = 0)
         FROM agreement_summary s WHERE {} ORDER BY s.sort_title, s.id",
        w.sql
    );
    let mut args = vec![
        Sql::Text(today.clone()),
        Sql::Text(cx.lang.as_str().to_owned()),
        Sql::Text(today.clone()),
        Sql::Text(today.clone()),
    ];
    args.extend(w.args);
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

    let by_partner = partner_table(cx, &w_for_partners(cx), &today, &in_12)?;

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

    let list_columns = || {
        vec![
            cx.column("Code", "Code", ValueKind::Text),
            cx.column("Title", "Intitulé", ValueKind::Text),
            cx.column("Parties", "Parties", ValueKind::Text),
            cx.column("Type", "Type", ValueKind::Text),
            cx.column("Status", "Statut", ValueKind::Text),
            cx.column("Start", "Début", ValueKind::Date),
            cx.column("End", "Fin", ValueKind::Date),
        ]
    };
    let row = |a: &Agreement| -> Vec<Value> {
        vec![
            a.code.clone().into(),
            a.title.as_str().into(),
            a.parties.as_str().into(),
            Vocab::AgreementKind.label(&a.kind, cx.lang).into(),
            Vocab::AgreementStatus.label(&a.status, cx.lang).into(),
            a.start.clone().into(),
            a.end.clone().into(),
        ]
    };
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

/// The condition on a party (alias `a`, with `s` its agreement's summary) for the partner table: the
/// report's agreements, and among their parties those in the zone, country or partner asked for.
fn w_for_partners(cx: &Context) -> Condition {
    let mut c = within(cx);
    let party = cx.scope.partner("a.partner_id");
    c.sql = format!("{} AND {}", c.sql, party.sql);
    c.args.extend(party.args);
    c
}

/// Agreements per partner organisation among the parties, most first.
fn partner_table(cx: &Context, w: &Condition, today: &str, in_12: &str) -> Result<Section> {
    let label = cx.lang.as_str();
    let sql = format!(
        "SELECT l.name, l.native, p.country, count(DISTINCT s.id),
                count(DISTINCT CASE WHEN {IN_FORCE} THEN s.id END),
                count(DISTINCT CASE WHEN ({IN_FORCE}) AND s.end_date BETWEEN ? AND ? THEN s.id END)
         FROM agreement_summary s
         JOIN agreement_party a ON a.agreement_id = s.id AND a.deleted = 0
         JOIN partner_summary p ON p.id = a.partner_id
         JOIN partner_label l ON l.partner_id = p.id AND l.ui = '{label}'
         WHERE {}
         GROUP BY p.id ORDER BY count(DISTINCT s.id) DESC, l.sort_name",
        w.sql
    );
    let mut args: Vec<Sql> =
        [today, today, today, today, today, in_12].iter().map(|d| Sql::Text((*d).to_owned())).collect();
    args.extend(w.args.iter().cloned());
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
        let name: String = r.get(0)?;
        let native: Option<String> = r.get(1)?;
        let country: Option<String> = r.get(2)?;
        Ok((name, native, country, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?, r.get::<_, i64>(5)?))
    })?;
    for row in rows {
        let (name, native, country, n, f, e) = row?;
        let name = match native {
            Some(native) => format!("{name} ({native})"),
            None => name,
        };
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
