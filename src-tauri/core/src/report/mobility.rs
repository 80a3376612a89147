//! Mobility statistics: exchanges counted as the dashboard and the exchange list count them (not cancelled
//! or withdrawn; the partner is the organisation on the other side), by year, zone, country, partner, level,
//! field, programme and category; person-months per direction; places, use and balance per agreement. The
//! counts come from a few GROUP BY statements — the kept `exchange_count` groups for the partner and year
//! tables of an academic year, one pass over `exchange` for the other dimensions, one for the agreements —
//! so the report costs the same few statements at a million exchanges as at a hundred. Exchanges with no
//! organisation on the other side (or a deleted one) count in the totals and in the zone table's last row.

use std::collections::{BTreeMap, HashMap};

use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;
use uuid::Uuid;

use super::scope::{country_name, Condition};
use super::{Body, ChartKind, Context, Figure, ReportColumn, Section, Value, ValueKind, YearBasis};
use crate::columns::vocab::Vocab;
use crate::error::Result;
use crate::kinds::Zone;
use crate::label::UiLang;

/// The SQL condition that an exchange status counts (not cancelled or withdrawn), on `{alias}status`.
pub(super) fn counted(alias: &str) -> String {
    format!("{alias}status NOT IN ('cancelled', 'withdrawn')")
}

/// The exchanges (alias `e`) the report counts: live, not called off, in the year, with the other side in
/// the zone, country or partner asked for.
pub(super) fn exchanges(cx: &Context) -> Condition {
    Condition::all(vec![
        Condition::sql(format!("e.deleted = 0 AND {}", counted("e."))),
        cx.scope.exchange_year(),
        cx.scope.partner("e.partner_id"),
    ])
}

/// An exchange's year as the report's basis reads it: its academic year, or the calendar year it starts in
/// (actual start, else planned).
fn year_of_exchange(basis: YearBasis) -> &'static str {
    match basis {
        YearBasis::Academic => "e.academic_year",
        YearBasis::Calendar => "CAST(substr(coalesce(e.actual_start, e.planned_start), 1, 4) AS INTEGER)",
    }
}

/// Exchanges in and out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct InOut {
    pub incoming: i64,
    pub outgoing: i64,
}

impl InOut {
    fn add(&mut self, direction: &str, n: i64) {
        if direction == "outgoing" {
            self.outgoing += n;
        } else {
            self.incoming += n;
        }
    }

    pub fn total(&self) -> i64 {
        self.incoming + self.outgoing
    }

    fn plus(self, other: InOut) -> InOut {
        InOut { incoming: self.incoming + other.incoming, outgoing: self.outgoing + other.outgoing }
    }

    fn cells(&self) -> [Value; 3] {
        [self.incoming.into(), self.outgoing.into(), self.total().into()]
    }
}

/// What the counts are grouped by.
#[derive(Clone, Copy)]
enum Key {
    Partner,
    Year,
}

/// The statement counting the report's exchanges in and out per `key`, within `years` when given (instead
/// of the year filter). For an academic year it reads the kept `exchange_count` groups (which hold every
/// exchange with an organisation on the other side, deleted or not) and adds those with none from
/// `exchange` through its partner index; for a calendar year it groups `exchange` itself.
fn grouped(cx: &Context, key: Key, years: Option<(i64, i64)>) -> (String, Vec<Sql>) {
    let year_e = year_of_exchange(cx.scope.basis);
    let range = |column: &str| match years {
        Some((from, to)) => Condition {
            sql: format!("{column} BETWEEN ? AND ?"),
            args: vec![Sql::Integer(from), Sql::Integer(to)],
        },
        None => Condition::sql("1"),
    };
    let filtered = cx.scope.zone.is_some() || cx.scope.country.is_some() || cx.scope.partner.is_some();
    match cx.scope.basis {
        YearBasis::Academic => {
            let year_c = match (years, cx.scope.year) {
                (Some(_), _) => range("c.academic_year"),
                (None, Some(y)) => {
                    Condition { sql: "c.academic_year = ?".into(), args: vec![Sql::Integer(y)] }
                }
                (None, None) => Condition::sql("1"),
            };
            let c =
                Condition::all(vec![Condition::sql(counted("c.")), year_c, cx.scope.partner("c.partner_id")]);
            let (key_c, key_e) = match key {
                Key::Partner => ("c.partner_id", "NULL"),
                // Counts hold an exchange without an academic year under year 0.
                Key::Year => ("nullif(c.academic_year, 0)", "e.academic_year"),
            };
            let mut text = format!(
                "SELECT {key_c}, c.direction, sum(c.n) FROM exchange_count c WHERE {} GROUP BY 1, 2",
                c.sql
            );
            let mut args = c.args;
            if !filtered {
                let year_e = match years {
                    Some(_) => range("e.academic_year"),
                    None => cx.scope.exchange_year(),
                };
                let e = Condition::all(vec![
                    Condition::sql(format!("e.deleted = 0 AND e.partner_id IS NULL AND {}", counted("e."))),
                    year_e,
                ]);
                text.push_str(&format!(
                    " UNION ALL SELECT {key_e}, e.direction, count(*) FROM exchange e WHERE {} GROUP BY 1, 2",
                    e.sql
                ));
                args.extend(e.args);
            }
            (text, args)
        }
        YearBasis::Calendar => {
            let year = match years {
                Some(_) => range(year_e),
                None => cx.scope.exchange_year(),
            };
            let e = Condition::all(vec![
                Condition::sql(format!("e.deleted = 0 AND {}", counted("e."))),
                year,
                cx.scope.partner("e.partner_id"),
            ]);
            let key_e = match key {
                Key::Partner => "e.partner_id",
                Key::Year => year_e,
            };
            (
                format!(
                    "SELECT {key_e}, e.direction, count(*) FROM exchange e WHERE {} GROUP BY 1, 2",
                    e.sql
                ),
                e.args,
            )
        }
    }
}

/// The report's exchanges in and out per year (academic or calendar, as the report's basis), within
/// `years` when given, else within the year filter; `None` is the exchanges without a year.
pub(super) fn year_counts(cx: &Context, years: Option<(i64, i64)>) -> Result<BTreeMap<Option<i64>, InOut>> {
    let (text, args) = year_counts_sql(cx, years);
    let mut stmt = cx.conn.prepare(&text)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut out: BTreeMap<Option<i64>, InOut> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let direction: String = r.get(1)?;
        out.entry(r.get(0)?).or_default().add(&direction, r.get(2)?);
    }
    Ok(out)
}

/// The statement of [`year_counts`].
pub(super) fn year_counts_sql(cx: &Context, years: Option<(i64, i64)>) -> (String, Vec<Sql>) {
    grouped(cx, Key::Year, years)
}

/// A partner organisation within the report's filters, as its reader names it.
pub(super) struct Partner {
    pub name: String,
    pub sort_name: String,
    pub country: Option<String>,
    pub zone: Zone,
}

/// The statement of [`partners`].
fn partners_sql(cx: &Context) -> (String, Vec<Sql>) {
    let c = cx.scope.partner("p.id");
    let text = format!(
        "SELECT p.id, coalesce({label}, p.name), coalesce(l.sort_name, p.sort_name), p.country, p.zone
         FROM partner_summary p LEFT JOIN partner_label l ON l.partner_id = p.id AND l.ui = ?
         WHERE {}",
        c.sql,
        label = crate::label::text_sql("l"),
    );
    let mut args = vec![Sql::Text(cx.lang.as_str().to_owned())];
    args.extend(c.args);
    (text, args)
}

/// The live partner organisations within the report's zone, country and partner filters.
pub(super) fn partners(cx: &Context) -> Result<HashMap<Uuid, Partner>> {
    let (text, args) = partners_sql(cx);
    let mut stmt = cx.conn.prepare(&text)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let zone: String = r.get(4)?;
        out.insert(
            r.get::<_, Uuid>(0)?,
            Partner {
                name: r.get(1)?,
                sort_name: r.get(2)?,
                country: r.get(3)?,
                zone: Zone::from_stored(&zone),
            },
        );
    }
    Ok(out)
}

/// The report's exchanges in and out per organisation on the other side; those with none (or a deleted
/// one) are in `elsewhere`.
pub(super) struct PartnerCounts {
    pub partners: HashMap<Uuid, Partner>,
    pub counts: HashMap<Uuid, InOut>,
    pub elsewhere: InOut,
}

impl PartnerCounts {
    /// The statements of [`PartnerCounts::load`]: the partners, and the exchanges per partner.
    pub fn statements(cx: &Context) -> Vec<(String, Vec<Sql>)> {
        vec![partners_sql(cx), grouped(cx, Key::Partner, None)]
    }

    pub fn load(cx: &Context) -> Result<PartnerCounts> {
        let partners = partners(cx)?;
        let (text, args) = grouped(cx, Key::Partner, None);
        let mut stmt = cx.conn.prepare(&text)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut counts: HashMap<Uuid, InOut> = HashMap::new();
        let mut elsewhere = InOut::default();
        while let Some(r) = rows.next()? {
            let id: Option<Uuid> = r.get(0)?;
            let direction: String = r.get(1)?;
            let n: i64 = r.get(2)?;
            match id.filter(|id| partners.contains_key(id)) {
                Some(id) => counts.entry(id).or_default().add(&direction, n),
                None => elsewhere.add(&direction, n),
            }
        }
        counts.retain(|_, c| c.total() > 0);
        Ok(PartnerCounts { partners, counts, elsewhere })
    }

    pub fn total(&self) -> InOut {
        self.counts.values().fold(self.elsewhere, |a, b| a.plus(*b))
    }

    /// Exchanges per partner, most first.
    pub fn by_partner(&self, cx: &Context) -> Section {
        let mut section = Section::new(
            "by_partner",
            cx.tr("By partner", "Par partenaire"),
            [
                vec![
                    cx.column("Partner", "Partenaire", ValueKind::Text),
                    cx.column("Country", "Pays", ValueKind::Text),
                    cx.column("Zone", "Zone", ValueKind::Text),
                ],
                in_out_columns(cx),
            ]
            .concat(),
        )
        .note(cx.tr(
            "The organisation on the other side: the home institution of an incoming exchange, the host of an \
             outgoing one. Exchanges with none, or with a deleted one, are left out of this table.",
            "L’organisation de l’autre côté : l’établissement d’origine d’une mobilité entrante, d’accueil \
             d’une mobilité sortante. Les mobilités sans organisation, ou dont l’organisation est supprimée, \
             ne figurent pas dans ce tableau.",
        ));
        let mut rows: Vec<(&Partner, InOut)> =
            self.counts.iter().filter_map(|(id, c)| self.partners.get(id).map(|p| (p, *c))).collect();
        rows.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then_with(|| a.0.sort_name.cmp(&b.0.sort_name)));
        for (p, c) in rows {
            let mut row = vec![
                p.name.as_str().into(),
                p.country.as_deref().map(|c| country_name(c, cx.lang)).into(),
                Vocab::Zone.label(p.zone.as_str(), cx.lang).into(),
            ];
            row.extend(c.cells());
            section.rows.push(row);
        }
        section.with_total(cx.tr("Total", "Total")).chart(
            ChartKind::StackedBar,
            cx.tr("Exchanges by partner", "Mobilités par partenaire"),
            0,
            &[3, 4],
        )
    }

    /// Exchanges per zone, and a last row for those in no zone.
    pub fn by_zone(&self, cx: &Context) -> Section {
        let mut zones: BTreeMap<usize, InOut> = BTreeMap::new();
        for (id, c) in &self.counts {
            if let Some(p) = self.partners.get(id) {
                let at = Zone::ALL.iter().position(|z| *z == p.zone).unwrap_or(Zone::ALL.len());
                let z = zones.entry(at).or_default();
                *z = z.plus(*c);
            }
        }
        let mut section = Section::new(
            "by_zone",
            cx.tr("By zone", "Par zone"),
            [vec![cx.column("Zone", "Zone", ValueKind::Text)], in_out_columns(cx)].concat(),
        )
        .note(cx.tr(
            "The zone of the organisation on the other side. Exchanges with no organisation on the other \
             side, or a deleted one, are in the last row; they count in the totals.",
            "La zone de l’organisation de l’autre côté. Les mobilités sans organisation de l’autre côté, ou \
             dont l’organisation est supprimée, sont sur la dernière ligne ; elles comptent dans les totaux.",
        ));
        for (at, c) in zones {
            let label = match Zone::ALL.get(at) {
                Some(z) => Vocab::Zone.label(z.as_str(), cx.lang),
                None => cx.tr("Unknown zone", "Zone inconnue").to_owned(),
            };
            section.rows.push([vec![label.into()], c.cells().to_vec()].concat());
        }
        if self.elsewhere.total() > 0 {
            section.rows.push(
                [
                    vec![cx
                        .tr("No organisation on the other side", "Sans organisation de l’autre côté")
                        .into()],
                    self.elsewhere.cells().to_vec(),
                ]
                .concat(),
            );
        }
        section.with_total(cx.tr("Total", "Total")).chart(
            ChartKind::Bar,
            cx.tr("Exchanges by zone", "Mobilités par zone"),
            0,
            &[1, 2],
        )
    }

    /// Exchanges per country of the organisation on the other side, most first.
    pub fn by_country(&self, cx: &Context) -> Section {
        let mut countries: HashMap<Option<&str>, InOut> = HashMap::new();
        for (id, c) in &self.counts {
            if let Some(p) = self.partners.get(id) {
                let e = countries.entry(p.country.as_deref()).or_default();
                *e = e.plus(*c);
            }
        }
        let mut rows: Vec<(String, InOut)> = countries
            .into_iter()
            .map(|(code, c)| match code {
                Some(code) => (country_name(code, cx.lang), c),
                None => (cx.tr("Country not given", "Pays non renseigné").to_owned(), c),
            })
            .collect();
        rows.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then_with(|| a.0.cmp(&b.0)));
        let mut section = Section::new(
            "by_country",
            cx.tr("By country", "Par pays"),
            [vec![cx.column("Country", "Pays", ValueKind::Text)], in_out_columns(cx)].concat(),
        )
        .note(cx.tr(
            "The country of the organisation on the other side; exchanges with none are left out.",
            "Le pays de l’organisation de l’autre côté ; les mobilités sans organisation ne figurent pas ici.",
        ));
        for (name, c) in rows {
            section.rows.push([vec![name.into()], c.cells().to_vec()].concat());
        }
        section.with_total(cx.tr("Total", "Total"))
    }
}

/// Incoming, Outgoing, Total.
pub(super) fn in_out_columns(cx: &Context) -> Vec<ReportColumn> {
    vec![
        cx.column("Incoming", "Entrantes", ValueKind::Count),
        cx.column("Outgoing", "Sortantes", ValueKind::Count),
        cx.column("Total", "Total", ValueKind::Count),
    ]
}

/// How a year is named: "2025/2026" for an academic year, "2025" for a calendar one.
fn year_label(cx: &Context, year: Option<i64>) -> String {
    match (year, cx.scope.basis) {
        (Some(y), YearBasis::Academic) => crate::kinds::academic_year_label(y),
        (Some(y), YearBasis::Calendar) => y.to_string(),
        (None, _) => cx.tr("Year not given", "Année non renseignée").to_owned(),
    }
}

/// Exchanges in and out per year within `years` (every year when `None`), oldest first, with a line chart.
/// Years without exchanges inside the range are shown as zeros so the chart's axis has no gaps.
pub(super) fn by_year(cx: &Context, years: Option<(i64, i64)>, note: Option<&str>) -> Result<Section> {
    let counts = year_counts(cx, years)?;
    let title = match cx.scope.basis {
        YearBasis::Academic => cx.tr("By academic year", "Par année universitaire"),
        YearBasis::Calendar => cx.tr("By year", "Par année"),
    };
    let mut section = Section::new(
        "by_year",
        title,
        [vec![cx.column("Year", "Année", ValueKind::Text)], in_out_columns(cx)].concat(),
    );
    if let Some(note) = note {
        section = section.note(note.to_owned());
    }
    let known: Vec<i64> = counts.keys().flatten().copied().collect();
    let span = match years {
        Some(range) => Some(range),
        None => known.first().zip(known.last()).map(|(a, b)| (*a, *b)),
    };
    if let Some((from, to)) = span {
        for y in from..=to {
            let c = counts.get(&Some(y)).copied().unwrap_or_default();
            section.rows.push([vec![year_label(cx, Some(y)).into()], c.cells().to_vec()].concat());
        }
    }
    if let Some(c) = counts.get(&None) {
        section.rows.push([vec![year_label(cx, None).into()], c.cells().to_vec()].concat());
    }
    Ok(section.with_total(cx.tr("Total", "Total")).chart(
        ChartKind::Line,
        cx.tr("Exchanges by year", "Mobilités par année"),
        0,
        &[1, 2],
    ))
}

/// The report's exchanges grouped by direction, level, field, programme and category in one pass, with
/// their person-days.
struct Dimensions {
    level: HashMap<Option<String>, InOut>,
    field: HashMap<Option<String>, InOut>,
    programme: HashMap<String, InOut>,
    category: HashMap<String, InOut>,
    /// Per direction: exchanges with both dates, and their days.
    dated: InOut,
    days_in: f64,
    days_out: f64,
    /// The first and last academic year among the exchanges.
    years: Option<(i64, i64)>,
}

/// Days of an exchange, first and last included: actual dates, else planned; NULL without both or when the
/// end comes before the start.
const DAYS: &str = "julianday(coalesce(e.actual_end, e.planned_end)) - julianday(coalesce(e.actual_start, e.planned_start)) + 1";

/// The statement of [`Dimensions`] (also run bare by the benchmark).
pub fn dimensions_sql(cx: &Context) -> (String, Vec<Sql>) {
    let e = exchanges(cx);
    (
        format!(
            "SELECT direction, level, field, programme, category, count(*), count(d), coalesce(sum(d), 0),
                    min(academic_year), max(academic_year)
             FROM (SELECT e.direction, e.level, e.field, e.programme, e.category, e.academic_year,
                          CASE WHEN {DAYS} > 0 THEN {DAYS} END AS d
                   FROM exchange e WHERE {})
             GROUP BY 1, 2, 3, 4, 5",
            e.sql
        ),
        e.args,
    )
}

impl Dimensions {
    fn load(cx: &Context) -> Result<Dimensions> {
        let (text, args) = dimensions_sql(cx);
        let mut stmt = cx.conn.prepare(&text)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        let mut d = Dimensions {
            level: HashMap::new(),
            field: HashMap::new(),
            programme: HashMap::new(),
            category: HashMap::new(),
            dated: InOut::default(),
            days_in: 0.0,
            days_out: 0.0,
            years: None,
        };
        while let Some(r) = rows.next()? {
            let direction: String = r.get(0)?;
            let n: i64 = r.get(5)?;
            d.level.entry(r.get(1)?).or_default().add(&direction, n);
            d.field.entry(r.get(2)?).or_default().add(&direction, n);
            d.programme.entry(r.get(3)?).or_default().add(&direction, n);
            d.category.entry(r.get(4)?).or_default().add(&direction, n);
            d.dated.add(&direction, r.get(6)?);
            let days: f64 = r.get(7)?;
            if direction == "outgoing" {
                d.days_out += days;
            } else {
                d.days_in += days;
            }
            if let (Some(a), Some(b)) = (r.get::<_, Option<i64>>(8)?, r.get::<_, Option<i64>>(9)?) {
                d.years = Some(match d.years {
                    Some((x, y)) => (x.min(a), y.max(b)),
                    None => (a, b),
                });
            }
        }
        Ok(d)
    }
}

/// A table of exchanges per value of a vocabulary, in the vocabulary's order, unknown values after them and
/// the exchanges without a value last.
fn vocab_table(
    cx: &Context,
    key: &str,
    title: (&'static str, &'static str),
    first: (&'static str, &'static str),
    vocab: Vocab,
    counts: &HashMap<Option<String>, InOut>,
) -> Section {
    let mut section = Section::new(
        key,
        cx.tr(title.0, title.1),
        [vec![cx.column(first.0, first.1, ValueKind::Text)], in_out_columns(cx)].concat(),
    );
    let codes = vocab.codes();
    let mut keys: Vec<&Option<String>> = counts.keys().collect();
    keys.sort_by_key(|k| match k {
        Some(code) => (codes.iter().position(|c| c == code).unwrap_or(codes.len()), code.clone()),
        None => (codes.len() + 1, String::new()),
    });
    for k in keys {
        let label = match k {
            Some(code) => vocab.label(code, cx.lang),
            None => cx.tr("Not given", "Non renseigné").to_owned(),
        };
        if let Some(c) = counts.get(k) {
            section.rows.push([vec![label.into()], c.cells().to_vec()].concat());
        }
    }
    section.with_total(cx.tr("Total", "Total"))
}

/// A field of study as the app names it: an alliance field by its name ("Health"), an ISCED-F code with
/// its detailed field's label ("0912 · Medicine", or its broad field's for a code ISCED-F does not list),
/// anything else as it is.
pub(super) struct FieldNames(HashMap<String, (String, String)>);

impl FieldNames {
    pub fn new() -> FieldNames {
        let mut names = HashMap::new();
        for f in crate::kinds::isced::broad_fields().into_iter().chain(crate::kinds::isced::detailed_fields())
        {
            names.insert(f.code, (f.en, f.fr));
        }
        FieldNames(names)
    }

    pub fn label(&self, code: &str, lang: UiLang) -> String {
        if crate::kinds::ALLIANCE_FIELDS.contains(&code) {
            return Vocab::AllianceField.label(code, lang);
        }
        let found = self.0.get(code).filter(|_| code.len() == 4).or_else(|| {
            code.get(..2)
                .filter(|_| code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|b| self.0.get(b))
        });
        match found {
            Some((en, fr)) => format!("{code} · {}", if lang == UiLang::Fr { fr } else { en }),
            None => code.to_owned(),
        }
    }
}

/// Places, use and balance of one agreement.
#[derive(Debug, Clone)]
pub(super) struct AgreementUse {
    pub code: Option<String>,
    pub title: String,
    pub sort_title: String,
    pub places: i64,
    pub used: InOut,
}

/// The statement counting the report's exchanges per agreement and direction (also run bare by the
/// benchmark).
pub fn agreements_sql(cx: &Context) -> (String, Vec<Sql>) {
    let e = exchanges(cx);
    (
        format!(
            "SELECT e.agreement_id, e.direction, count(*) FROM exchange e
             WHERE e.agreement_id IS NOT NULL AND {} GROUP BY 1, 2",
            e.sql
        ),
        e.args,
    )
}

/// The live agreements the report's exchanges count against, and those with places in the years covered
/// and a party within the report's zone, country or partner: each with its places over `years` (academic
/// years, first and last included; none without) and the report's exchanges on it, most used first.
pub(super) fn agreement_use(cx: &Context, years: Option<(i64, i64)>) -> Result<Vec<AgreementUse>> {
    let mut out: HashMap<Uuid, InOut> = HashMap::new();
    {
        let (text, args) = agreements_sql(cx);
        let mut stmt = cx.conn.prepare(&text)?;
        let mut rows = stmt.query(params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            let direction: String = r.get(1)?;
            out.entry(r.get(0)?).or_default().add(&direction, r.get(2)?);
        }
    }
    let (text, args) = places_sql(cx, years);
    let mut stmt = cx.conn.prepare(&text)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut found = Vec::new();
    while let Some(r) = rows.next()? {
        let id: Uuid = r.get(0)?;
        let places: i64 = r.get(4)?;
        let within: bool = r.get(5)?;
        let used = out.remove(&id).unwrap_or_default();
        if used.total() > 0 || (within && places > 0) {
            found.push(AgreementUse {
                code: r.get(1)?,
                title: r.get(2)?,
                sort_title: r.get(3)?,
                places,
                used,
            });
        }
    }
    found.sort_by(|a, b| b.used.total().cmp(&a.used.total()).then_with(|| a.sort_title.cmp(&b.sort_title)));
    Ok(found)
}

/// The statement of every live agreement with its places over `years` (a condition's places a year, times
/// its years within the report's; an open end runs on) and whether a party is within the report's filters
/// (a set made once: as a correlated EXISTS, SQLite remade the zone's partner list for every agreement).
fn places_sql(cx: &Context, years: Option<(i64, i64)>) -> (String, Vec<Sql>) {
    let (from, to) = years.unwrap_or((1, 0));
    let party = cx.scope.partner("a.partner_id");
    let text = format!(
        "SELECT s.id, s.code, s.title, s.sort_title, coalesce(c.places, 0),
                s.id IN (SELECT a.agreement_id FROM agreement_party a WHERE a.deleted = 0 AND {})
         FROM agreement_summary s
         LEFT JOIN (SELECT agreement_id,
                           sum(places * max(0, min(coalesce(last_year, ?), ?) - max(coalesce(first_year, ?), ?) + 1))
                               AS places
                    FROM agreement_condition WHERE deleted = 0 AND places > 0 GROUP BY agreement_id) c
           ON c.agreement_id = s.id",
        party.sql
    );
    let mut args = party.args;
    args.extend([Sql::Integer(to), Sql::Integer(to), Sql::Integer(from), Sql::Integer(from)]);
    (text, args)
}

/// Every statement the mobility report runs, with its arguments, in order — the GROUP BY statements over
/// the exchanges and the reading of partners and agreements — for the benchmark's baseline, which runs
/// them bare. `years` are the academic years the agreements' places are counted over (see
/// [`agreement_use`]).
pub fn statements(cx: &Context, years: Option<(i64, i64)>) -> Vec<(String, Vec<Sql>)> {
    vec![
        partners_sql(cx),
        grouped(cx, Key::Partner, None),
        dimensions_sql(cx),
        grouped(cx, Key::Year, trend(cx)),
        agreements_sql(cx),
        places_sql(cx, years),
    ]
}

/// The years of the mobility report's year table: the ten up to the one selected, else every year.
fn trend(cx: &Context) -> Option<(i64, i64)> {
    cx.scope.year.map(|y| (y - 9, y))
}

/// The table of [`agreement_use`].
pub(super) fn by_agreement(cx: &Context, agreements: &[AgreementUse]) -> Section {
    let mut section = Section::new(
        "by_agreement",
        cx.tr("Places and balance by agreement", "Places et équilibre par accord"),
        vec![
            cx.column("Code", "Code", ValueKind::Text),
            cx.column("Agreement", "Accord", ValueKind::Text),
            cx.column("Places", "Places", ValueKind::Count),
            cx.column("Used", "Utilisées", ValueKind::Count),
            cx.column("Fill rate", "Taux de remplissage", ValueKind::Percent),
            cx.column("Incoming", "Entrantes", ValueKind::Count),
            cx.column("Outgoing", "Sortantes", ValueKind::Count),
            cx.column("Balance (in − out)", "Solde (entrées − sorties)", ValueKind::Count),
        ],
    )
    .note(cx.tr(
        "Places: the places a year of the agreement’s conditions (both directions), for each academic year \
         covered — the one selected, else those from the first to the last year of the report’s exchanges — \
         within the condition’s first and last year. Used: the report’s exchanges counted against the agreement.",
        "Places : les places annuelles des conditions de l’accord (dans les deux sens), pour chaque année \
         universitaire couverte — celle choisie, sinon de la première à la dernière année des mobilités du \
         rapport — dans les années de la condition. Utilisées : les mobilités du rapport comptées sur l’accord.",
    ));
    for a in agreements {
        section.rows.push(vec![
            a.code.clone().into(),
            a.title.as_str().into(),
            a.places.into(),
            a.used.total().into(),
            Value::ratio(a.used.total(), a.places),
            a.used.incoming.into(),
            a.used.outgoing.into(),
            (a.used.incoming - a.used.outgoing).into(),
        ]);
    }
    let mut section = section.with_total(cx.tr("Total", "Total"));
    let places: i64 = agreements.iter().map(|a| a.places).sum();
    let used: i64 = agreements.iter().map(|a| a.used.total()).sum();
    let incoming: i64 = agreements.iter().map(|a| a.used.incoming).sum();
    let outgoing: i64 = agreements.iter().map(|a| a.used.outgoing).sum();
    if let Some(total) = section.total.as_mut() {
        if let Some(v) = total.get_mut(4) {
            *v = Value::ratio(used, places);
        }
        if let Some(v) = total.get_mut(7) {
            *v = Value::Int(incoming - outgoing);
        }
    }
    section
}

/// The academic years an agreement's places are counted over: the one selected, else those of the
/// report's exchanges.
fn years_covered(cx: &Context, dims: &Dimensions) -> Option<(i64, i64)> {
    match (cx.scope.year, cx.scope.basis) {
        (Some(y), YearBasis::Academic) => Some((y, y)),
        _ => dims.years,
    }
}

/// The key figures every mobility-minded report opens with.
pub(super) fn figures(cx: &Context, total: InOut, partners: i64) -> Vec<Figure> {
    vec![
        cx.figure("Exchanges", "Mobilités", total.total(), ValueKind::Count),
        cx.figure("Incoming", "Entrantes", total.incoming, ValueKind::Count),
        cx.figure("Outgoing", "Sortantes", total.outgoing, ValueKind::Count),
        cx.figure("Partners involved", "Partenaires concernés", partners, ValueKind::Count),
    ]
}

const DAYS_A_MONTH: f64 = 30.44;

pub fn build(cx: &Context) -> Result<Body> {
    let partners = PartnerCounts::load(cx)?;
    let dims = Dimensions::load(cx)?;
    let total = partners.total();
    let person_months = (dims.days_in + dims.days_out) / DAYS_A_MONTH;
    let mut figures = figures(cx, total, partners.counts.len() as i64);
    figures.insert(
        3,
        cx.figure(
            "Person-months",
            "Mois-personnes",
            (person_months * 10.0).round() / 10.0,
            ValueKind::Number,
        ),
    );

    let by_year = match trend(cx) {
        Some(years) => by_year(
            cx,
            Some(years),
            Some(cx.tr(
                "The ten years up to the one selected, for the trend; the other tables count the selected year only.",
                "Les dix années jusqu’à celle choisie, pour la tendance ; les autres tableaux ne comptent que l’année choisie.",
            )),
        )?,
        None => by_year(cx, None, None)?,
    };

    let field_names = FieldNames::new();
    let mut by_field = Section::new(
        "by_field",
        cx.tr("By field", "Par domaine"),
        [vec![cx.column("Field", "Domaine", ValueKind::Text)], in_out_columns(cx)].concat(),
    );
    let mut fields: Vec<(Option<String>, InOut)> = dims
        .field
        .iter()
        .map(|(code, c)| (code.as_deref().map(|f| field_names.label(f, cx.lang)), *c))
        .collect();
    fields.sort_by(|a, b| (a.0.is_none(), b.1.total(), &a.0).cmp(&(b.0.is_none(), a.1.total(), &b.0)));
    for (name, c) in fields {
        let name = name.unwrap_or_else(|| cx.tr("Not given", "Non renseigné").to_owned());
        by_field.rows.push([vec![name.into()], c.cells().to_vec()].concat());
    }
    let by_field = by_field.with_total(cx.tr("Total", "Total"));

    let options = |m: &HashMap<String, InOut>| -> HashMap<Option<String>, InOut> {
        m.iter().map(|(k, v)| (Some(k.clone()), *v)).collect()
    };
    let by_level = vocab_table(
        cx,
        "by_level",
        ("By level", "Par niveau"),
        ("Level (EQF)", "Niveau (CEC)"),
        Vocab::Level,
        &dims.level,
    )
    .note(cx.tr(
        "Levels of the European Qualifications Framework.",
        "Niveaux du cadre européen des certifications.",
    ))
    .chart(ChartKind::Bar, cx.tr("Exchanges by level", "Mobilités par niveau"), 0, &[1, 2]);
    let by_programme = vocab_table(
        cx,
        "by_programme",
        ("By programme", "Par programme"),
        ("Programme", "Programme"),
        Vocab::Programme,
        &options(&dims.programme),
    )
    .chart(ChartKind::Bar, cx.tr("Exchanges by programme", "Mobilités par programme"), 0, &[1, 2]);
    let by_category = vocab_table(
        cx,
        "by_category",
        ("By category", "Par catégorie"),
        ("Category", "Catégorie"),
        Vocab::ExchangeCategory,
        &options(&dims.category),
    );

    let mut months = Section::new(
        "person_months",
        cx.tr("Person-months", "Mois-personnes"),
        vec![
            cx.column("Direction", "Sens", ValueKind::Text),
            cx.column("Exchanges", "Mobilités", ValueKind::Count),
            cx.column("With dates", "Avec dates", ValueKind::Count),
            cx.column("Person-months", "Mois-personnes", ValueKind::Number),
            cx.column("Months per exchange", "Mois par mobilité", ValueKind::Number),
        ],
    )
    .note(cx.tr(
        "From the actual dates, else the planned ones: days from start to end, both included, divided by \
         30.44. Exchanges without both dates count no months and are left out of the average.",
        "D’après les dates réelles, sinon prévues : jours du début à la fin inclus, divisés par 30,44. Les \
         mobilités sans les deux dates ne comptent aucun mois et sont exclues de la moyenne.",
    ));
    let dim_total = InOut {
        incoming: dims.category.values().map(|c| c.incoming).sum(),
        outgoing: dims.category.values().map(|c| c.outgoing).sum(),
    };
    let month_row = |label: String, n: i64, dated: i64, days: f64| -> Vec<Value> {
        let m = days / DAYS_A_MONTH;
        vec![
            label.into(),
            n.into(),
            dated.into(),
            Value::Number((m * 10.0).round() / 10.0),
            if dated > 0 { Value::Number((m / dated as f64 * 10.0).round() / 10.0) } else { Value::Empty },
        ]
    };
    months.rows.push(month_row(
        Vocab::Direction.label("incoming", cx.lang),
        dim_total.incoming,
        dims.dated.incoming,
        dims.days_in,
    ));
    months.rows.push(month_row(
        Vocab::Direction.label("outgoing", cx.lang),
        dim_total.outgoing,
        dims.dated.outgoing,
        dims.days_out,
    ));
    months.total = Some(month_row(
        cx.tr("Total", "Total").to_owned(),
        dim_total.total(),
        dims.dated.total(),
        dims.days_in + dims.days_out,
    ));

    let agreements = agreement_use(cx, years_covered(cx, &dims))?;
    let by_agreement = by_agreement(cx, &agreements);

    Ok(Body {
        figures,
        sections: vec![
            by_year,
            partners.by_zone(cx),
            partners.by_country(cx),
            partners.by_partner(cx),
            by_level,
            by_field,
            by_programme,
            by_category,
            months,
            by_agreement,
        ],
    })
}

#[cfg(test)]
pub(super) mod tests {
    use chrono::NaiveDate;
    use uuid::Uuid;

    use super::super::{build as build_report, Report, ReportKind, ReportQuery, Value, YearBasis};
    use crate::clock::ManualClock;
    use crate::dashboard::{self, DashboardQuery};
    use crate::job::{Commit, Job};
    use crate::kinds::{Direction, ExchangeCategory, ExchangeStatus, Programme, Zone};
    use crate::label::UiLang;
    use crate::records::exchange::{self, ExchangeQuery};

    pub fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).expect("a date")
    }

    /// The demo with `n` generated exchanges (and the rest in proportion), plus two incoming exchanges with
    /// no organisation on the other side.
    pub fn generated(n: usize) -> rusqlite::Connection {
        let mut conn = crate::workspace::demo_database();
        let clock = ManualClock::new();
        crate::demo::scale(&mut conn, &clock, n, Commit::Once, &Job::silent()).expect("generated exchanges");
        let any: Uuid = conn
            .query_row("SELECT id FROM exchange WHERE direction = 'incoming' LIMIT 1", [], |r| r.get(0))
            .expect("an exchange");
        let mut e = exchange::get(&conn, any).expect("the exchange").input;
        e.home_id = None;
        e.agreement_id = None;
        e.condition_id = None;
        e.cohort = None;
        e.category = ExchangeCategory::Staff;
        e.programme = Programme::Other;
        e.status = ExchangeStatus::Accepted;
        crate::write(&mut conn, |tx| {
            for year in [2025, 2026] {
                e.academic_year = Some(year);
                e.planned_start = Some(format!("{year}-10-01"));
                e.planned_end = Some(format!("{year}-10-31"));
                e.actual_start = None;
                e.actual_end = None;
                exchange::create(tx, &clock, &e)?;
            }
            Ok(())
        })
        .expect("exchanges without a partner");
        conn
    }

    pub fn query(kind: ReportKind, lang: UiLang) -> ReportQuery {
        ReportQuery { lang, ..ReportQuery::new(kind) }
    }

    pub fn report(conn: &rusqlite::Connection, q: &ReportQuery) -> Report {
        build_report(conn, q, today()).expect("the report")
    }

    pub fn int(v: Option<&Value>) -> i64 {
        match v {
            Some(Value::Int(n)) => *n,
            other => panic!("not a count: {other:?}"),
        }
    }

    pub fn figure(r: &Report, en: &str, fr: &str) -> Value {
        r.figures
            .iter()
            .find(|f| f.label == en || f.label == fr)
            .map(|f| f.value.clone())
            .unwrap_or_else(|| panic!("no figure {en}"))
    }

    /// The row of `section` whose first cell is `label`.
    pub fn row<'r>(r: &'r Report, section: &str, label: &str) -> Option<&'r Vec<Value>> {
        let s = r.section(section).unwrap_or_else(|| panic!("no section {section}"));
        s.rows.iter().find(|row| row.first() == Some(&Value::Text(label.to_owned())))
    }

    /// The exchange list's total for `q`, counted (not cancelled or withdrawn).
    pub fn listed(conn: &rusqlite::Connection, mut q: ExchangeQuery) -> i64 {
        q.counted = Some(true);
        let page = exchange::list(conn, &q).expect("the list");
        assert!(!page.total_capped, "a list total under the cap");
        i64::from(page.total)
    }

    fn partner(conn: &rusqlite::Connection, name: &str) -> Uuid {
        conn.query_row("SELECT partner_id FROM partner_label WHERE ui = 'en' AND name = ?", [name], |r| {
            r.get(0)
        })
        .expect("partner")
    }

    /// Every figure of the report for `(year, zone, partner)` against the exchange list, the dashboard and
    /// the agreements' own conditions.
    fn check(conn: &rusqlite::Connection, year: Option<i64>, zone: Option<Zone>, partner: Option<Uuid>) {
        let mut q = query(ReportKind::Mobility, UiLang::En);
        q.year = year;
        q.zone = zone;
        q.partner = partner;
        let r = report(conn, &q);
        let what = format!("{year:?} {zone:?} {partner:?}");
        let base =
            ExchangeQuery { academic_year: year, zone, partner_id: partner, ..ExchangeQuery::default() };
        let all = listed(conn, base.clone());
        assert!(all > 0, "{what}: the case has exchanges");
        assert_eq!(int(Some(&figure(&r, "Exchanges", ""))), all, "{what}: exchanges");
        let incoming = listed(conn, ExchangeQuery { direction: Some(Direction::Incoming), ..base.clone() });
        let outgoing = listed(conn, ExchangeQuery { direction: Some(Direction::Outgoing), ..base.clone() });
        assert_eq!(int(Some(&figure(&r, "Incoming", ""))), incoming, "{what}: incoming");
        assert_eq!(int(Some(&figure(&r, "Outgoing", ""))), outgoing, "{what}: outgoing");
        // Every table of exchanges adds up to the same total.
        for key in ["by_zone", "by_level", "by_field", "by_programme", "by_category"] {
            let s = r.section(key).expect("section");
            let total = s.total.as_ref().expect("a total row");
            assert_eq!(int(total.get(3)), all, "{what}: {key} adds up");
        }
        if year.is_none() {
            let total = r.section("by_year").and_then(|s| s.total.as_ref()).expect("by year");
            assert_eq!(int(total.get(3)), all, "{what}: by year adds up");
        }
        // The programme table against the list's programme filter.
        let csc = listed(conn, ExchangeQuery { programme: Some(Programme::CscDoctoral), ..base.clone() });
        let csc_row = row(&r, "by_programme", "CSC doctoral scholarship");
        assert_eq!(csc_row.map_or(0, |row| int(row.get(3))), csc, "{what}: CSC programme");
        // Per partner, against the list's partner filter.
        let s = r.section("by_partner").expect("by partner");
        for row in s.rows.iter().take(5) {
            let Some(Value::Text(label)) = row.first() else { panic!("a partner name") };
            let id: Uuid = conn
                .query_row(
                    "SELECT partner_id FROM partner_label WHERE ui = 'en'
                     AND name || coalesce(' (' || native || ')', '') = ?",
                    [label],
                    |r| r.get(0),
                )
                .expect("the partner");
            let n = listed(conn, ExchangeQuery { partner_id: Some(id), ..base.clone() });
            assert_eq!(int(row.get(5)), n, "{what}: {label}");
        }
        // Per zone, against the dashboard when only a year is chosen.
        if partner.is_none() && zone.is_none() {
            let d = dashboard::figures(conn, &DashboardQuery { academic_year: year, years: 0 }, today())
                .expect("dashboard");
            for z in &d.zones {
                let label = crate::columns::vocab::Vocab::Zone.label(z.zone.as_str(), UiLang::En);
                let (i, o) =
                    row(&r, "by_zone", &label).map_or((0, 0), |row| (int(row.get(1)), int(row.get(2))));
                assert_eq!((i, o), (z.incoming, z.outgoing), "{what}: zone {label}");
            }
            let elsewhere =
                row(&r, "by_zone", "No organisation on the other side").map_or(0, |row| int(row.get(3)));
            assert_eq!(elsewhere, d.totals.without_zone, "{what}: without a zone");
            assert_eq!(all, d.totals.incoming + d.totals.outgoing, "{what}: dashboard totals");
        }
        // Per agreement: used against the list's agreement filter, places against its conditions.
        let s = r.section("by_agreement").expect("by agreement");
        // A year's places: the places a year of the conditions running that year.
        let places_in = |a: &crate::records::agreement::Agreement, y: i64| -> i64 {
            a.input
                .conditions
                .iter()
                .filter(|c| c.first_year.is_none_or(|f| f <= y) && c.last_year.is_none_or(|l| l >= y))
                .filter_map(|c| c.places)
                .sum()
        };
        for row in s.rows.iter().take(6) {
            let Some(Value::Text(title)) = row.get(1) else { panic!("an agreement title") };
            let id: Uuid = conn
                .query_row("SELECT id FROM agreement_summary WHERE title = ?", [title], |r| r.get(0))
                .expect("the agreement");
            let n = listed(conn, ExchangeQuery { agreement_id: Some(id), ..base.clone() });
            assert_eq!(int(row.get(3)), n, "{what}: used on {title}");
            let a = crate::records::agreement::get(conn, id, today()).expect("agreement");
            if let Some(y) = year {
                assert_eq!(int(row.get(2)), places_in(&a, y), "{what}: places of {title}");
            }
            assert_eq!(int(row.get(7)), int(row.get(5)) - int(row.get(6)), "{what}: balance of {title}");
        }
    }

    #[test]
    fn mobility_figures_equal_the_exchange_list_and_the_dashboard_on_the_demo() {
        let conn = crate::workspace::demo_database();
        let fudan = partner(&conn, "Fudan University");
        check(&conn, None, None, None);
        check(&conn, Some(2025), None, None);
        check(&conn, Some(2025), Some(Zone::China), None);
        check(&conn, None, Some(Zone::China), None);
        check(&conn, Some(2024), None, Some(fudan));
        // The CSC agreement: 30 places a year, six grants in 2025.
        let r = report(&conn, &ReportQuery { year: Some(2025), ..query(ReportKind::Mobility, UiLang::En) });
        let csc = row(&r, "by_agreement", "SCH-CSC-2020").expect("the CSC agreement");
        assert_eq!((int(csc.get(2)), int(csc.get(3))), (30, 6));
        assert_eq!(csc.get(4), Some(&Value::Number(0.2)));
    }

    #[test]
    fn mobility_figures_equal_the_exchange_list_and_the_dashboard_on_a_generated_workspace() {
        let conn = generated(3_000);
        check(&conn, None, None, None);
        check(&conn, Some(2025), None, None);
        check(&conn, Some(2010), Some(Zone::Japan), None);
        check(&conn, None, Some(Zone::Brazil), None);
        let r = report(&conn, &ReportQuery { year: Some(2025), ..query(ReportKind::Mobility, UiLang::En) });
        assert_eq!(
            row(&r, "by_zone", "No organisation on the other side").map(|row| int(row.get(1))),
            Some(1),
            "the exchange without a partner is in the zone table's last row"
        );
    }

    #[test]
    fn a_calendar_year_counts_the_exchanges_starting_in_it() {
        let conn = crate::workspace::demo_database();
        let q = ReportQuery {
            year: Some(2025),
            basis: YearBasis::Calendar,
            ..query(ReportKind::Mobility, UiLang::En)
        };
        let r = report(&conn, &q);
        let page = exchange::list(
            &conn,
            &ExchangeQuery { counted: Some(true), limit: 500, ..ExchangeQuery::default() },
        )
        .expect("list");
        let starting = page
            .rows
            .iter()
            .filter(|e| {
                let i = &e.input;
                i.actual_start
                    .as_deref()
                    .or(i.planned_start.as_deref())
                    .is_some_and(|d| d.starts_with("2025"))
            })
            .count() as i64;
        assert!(starting > 0);
        assert_eq!(int(Some(&figure(&r, "Exchanges", ""))), starting);
    }

    #[test]
    fn french_and_english_give_the_same_numbers() {
        let conn = crate::workspace::demo_database();
        for year in [None, Some(2025)] {
            let en = report(&conn, &ReportQuery { year, ..query(ReportKind::Mobility, UiLang::En) });
            let fr = report(&conn, &ReportQuery { year, ..query(ReportKind::Mobility, UiLang::Fr) });
            assert_ne!(en.title, fr.title);
            same_numbers(&en, &fr);
        }
    }

    /// The numbers of two reports (in two languages) are the same: figures in order, and each section's
    /// rows' numbers (in any order: rows sorted by name may sort otherwise) and totals.
    pub fn same_numbers(a: &Report, b: &Report) {
        let numbers = |row: &Vec<Value>| -> Vec<String> {
            row.iter()
                .filter(|v| matches!(v, Value::Int(_) | Value::Number(_)))
                .map(|v| format!("{v:?}"))
                .collect()
        };
        let figures = |r: &Report| r.figures.iter().map(|f| format!("{:?}", f.value)).collect::<Vec<_>>();
        assert_eq!(figures(a), figures(b), "figures");
        assert_eq!(a.sections.len(), b.sections.len());
        for (x, y) in a.sections.iter().zip(&b.sections) {
            assert_eq!(x.key, y.key);
            let mut xs: Vec<Vec<String>> = x.rows.iter().map(numbers).collect();
            let mut ys: Vec<Vec<String>> = y.rows.iter().map(numbers).collect();
            xs.sort();
            ys.sort();
            assert_eq!(xs, ys, "rows of {}", x.key);
            assert_eq!(x.total.as_ref().map(numbers), y.total.as_ref().map(numbers), "total of {}", x.key);
        }
    }
}
