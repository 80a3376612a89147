//! Reports an office sends every year, as data. Each kind is built from the same tables and rules as the
//! lists and the dashboard into one shape — key figures, then sections that each hold a table and
//! optionally a chart drawn from that table — which the app previews and the XLSX, PDF and JSON writers
//! render without knowing which report it is. Every word in a report is in the reader's language; a report
//! is a picture of one read transaction.

pub mod agreements;
pub mod calls;
pub mod csc;
pub mod data_quality;
pub mod mobility;
pub mod projects_events;
pub mod scope;
pub mod xlsx;
pub mod zone;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;
use crate::kinds::Zone;
use crate::label::UiLang;

pub use scope::Scope;

/// The reports Liaison makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportKind {
    /// Agreements by zone, country, partner, type and status; expiries; agreements without a signed document.
    Agreements,
    /// Exchanges by year, direction, zone, country, partner, level, field and programme.
    Mobility,
    /// The China Scholarship Council doctoral campaign, year over year.
    Csc,
    /// Calls for projects and what became of their applications.
    Calls,
    /// Projects and events.
    ProjectsEvents,
    /// A zone's year: key figures, charts and the lists behind them.
    Zone,
    /// Probable duplicates, missing identifiers, records pointing to deleted ones.
    DataQuality,
}

/// A filter a report can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportFilter {
    Year,
    Zone,
    Country,
    Partner,
}

/// What a report counts when no year is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WithoutYear {
    /// Every year (or, for a report of the state of things, today).
    Every,
    /// The year under way: the academic one from September, or the calendar one.
    Current,
}

/// Whether a report's year is an academic year (2025 for 2025/2026, as exchanges count it) or a calendar one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum YearBasis {
    #[default]
    Academic,
    Calendar,
}

impl ReportKind {
    pub const ALL: [ReportKind; 7] = [
        ReportKind::Agreements,
        ReportKind::Mobility,
        ReportKind::Csc,
        ReportKind::Calls,
        ReportKind::ProjectsEvents,
        ReportKind::Zone,
        ReportKind::DataQuality,
    ];

    /// The code the CLI and files use: `agreements`, `mobility`, `csc`, `calls`, `projects_events`, `zone`,
    /// `data_quality`.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Agreements => "agreements",
            ReportKind::Mobility => "mobility",
            ReportKind::Csc => "csc",
            ReportKind::Calls => "calls",
            ReportKind::ProjectsEvents => "projects_events",
            ReportKind::Zone => "zone",
            ReportKind::DataQuality => "data_quality",
        }
    }

    /// The kind a code names (a hyphen for the underscore is accepted).
    pub fn parse(code: &str) -> Option<ReportKind> {
        let code = code.trim().replace('-', "_").to_lowercase();
        ReportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn title(self, lang: UiLang) -> &'static str {
        let (en, fr) = match self {
            ReportKind::Agreements => ("Agreement portfolio", "Portefeuille d’accords"),
            ReportKind::Mobility => ("Mobility statistics", "Statistiques de mobilité"),
            ReportKind::Csc => ("CSC campaign", "Campagne CSC"),
            ReportKind::Calls => ("Call outcomes", "Résultats des appels"),
            ReportKind::ProjectsEvents => ("Projects and events", "Projets et événements"),
            ReportKind::Zone => ("Zone annual report", "Rapport annuel de zone"),
            ReportKind::DataQuality => ("Data quality", "Qualité des données"),
        };
        tr(lang, en, fr)
    }

    /// One sentence saying what the report holds.
    pub fn summary(self, lang: UiLang) -> &'static str {
        let (en, fr) = match self {
            ReportKind::Agreements => (
                "Agreements by zone, country, partner, type and status; expiries in the next 6 and 12 months; \
                 agreements without a signed document.",
                "Accords par zone, pays, partenaire, type et statut ; échéances dans les 6 et 12 prochains mois ; \
                 accords sans document signé.",
            ),
            ReportKind::Mobility => (
                "Exchanges by year, direction, zone, country, partner, level, field and programme; head-count \
                 and person-months; places used and balance per agreement.",
                "Mobilités par année, sens, zone, pays, partenaire, niveau, domaine et programme ; effectifs et \
                 mois-personnes ; places utilisées et équilibre par accord.",
            ),
            ReportKind::Csc => (
                "China Scholarship Council doctoral grants: applicants, awarded against the quota, arrivals, \
                 year over year.",
                "Bourses doctorales du China Scholarship Council : candidats, lauréats face au quota, arrivées, \
                 d’une année sur l’autre.",
            ),
            ReportKind::Calls => (
                "Calls for projects: applications, eligible, selected, success rate, requested and awarded, \
                 countries, multilateral compliance, reviews.",
                "Appels à projets : candidatures, éligibles, retenues, taux de succès, montants demandés et \
                 accordés, pays, caractère multilatéral, évaluations.",
            ),
            ReportKind::ProjectsEvents => (
                "Projects by status with their partners, fields and budget; events and participants by zone.",
                "Projets par statut avec leurs partenaires, domaines et budget ; événements et participants par \
                 zone.",
            ),
            ReportKind::Zone => (
                "A zone's year: key figures, charts and the lists behind them, to circulate as PDF with an \
                 XLSX annex.",
                "L’année d’une zone : chiffres clés, graphiques et listes détaillées, à diffuser en PDF avec \
                 une annexe XLSX.",
            ),
            ReportKind::DataQuality => (
                "Probable duplicate organisations, missing identifiers and records pointing to deleted ones.",
                "Doublons probables d’organisations, identifiants manquants et fiches liées à des fiches \
                 supprimées.",
            ),
        };
        tr(lang, en, fr)
    }

    /// What the report counts without a year filter: a zone's annual report is always of one year.
    pub fn without_year(self) -> WithoutYear {
        match self {
            ReportKind::Zone => WithoutYear::Current,
            _ => WithoutYear::Every,
        }
    }

    /// The filters this report takes; others are refused rather than ignored.
    pub fn filters(self) -> &'static [ReportFilter] {
        use ReportFilter::*;
        match self {
            ReportKind::Agreements => &[Zone, Country, Partner],
            ReportKind::Mobility => &[Year, Zone, Country, Partner],
            ReportKind::Csc => &[Year, Partner],
            ReportKind::Calls => &[Year, Zone, Country],
            ReportKind::ProjectsEvents => &[Year, Zone, Country, Partner],
            ReportKind::Zone => &[Year, Zone],
            ReportKind::DataQuality => &[Zone, Country],
        }
    }
}

/// What the app's Reports page and `liaison report --list` show of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportInfo {
    pub kind: ReportKind,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub filters: Vec<ReportFilter>,
    pub without_year: WithoutYear,
}

/// Every report, in the order the app lists them.
pub fn catalogue(lang: UiLang) -> Vec<ReportInfo> {
    ReportKind::ALL
        .into_iter()
        .map(|kind| ReportInfo {
            kind,
            code: kind.code().to_owned(),
            title: kind.title(lang).to_owned(),
            summary: kind.summary(lang).to_owned(),
            filters: kind.filters().to_vec(),
            without_year: kind.without_year(),
        })
        .collect()
}

/// Which report, for what, in which language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportQuery {
    pub kind: ReportKind,
    /// Absent: every year (or, for the zone report, the academic year under way).
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub year: Option<i64>,
    #[serde(default)]
    pub basis: YearBasis,
    #[ts(optional)]
    #[serde(default)]
    pub zone: Option<Zone>,
    /// ISO 3166-1 alpha-2, of the partner organisation.
    #[ts(optional)]
    #[serde(default)]
    pub country: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub partner: Option<Uuid>,
    #[serde(default)]
    pub lang: UiLang,
}

impl ReportQuery {
    pub fn new(kind: ReportKind) -> ReportQuery {
        ReportQuery {
            kind,
            year: None,
            basis: YearBasis::Academic,
            zone: None,
            country: None,
            partner: None,
            lang: UiLang::En,
        }
    }
}

/// The kind of values a column holds, for the writers: how to align, format and type each cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ValueKind {
    Text,
    /// A whole number of things.
    Count,
    /// A number with decimals (person-months, an average).
    Number,
    /// A fraction (0.25 is 25 %).
    Percent,
    /// An amount in a currency's major unit (euros, not cents).
    Money,
    /// A day, yyyy-mm-dd.
    Date,
}

/// One value of a report: a number, a text (dates are yyyy-mm-dd text in a Date column), or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Value {
    Empty,
    Int(#[ts(type = "number")] i64),
    Number(f64),
    Text(String),
}

impl Value {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(n) => Some(*n as f64),
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The ratio of two counts, or nothing when the whole is zero.
    pub fn ratio(part: i64, whole: i64) -> Value {
        if whole == 0 {
            Value::Empty
        } else {
            Value::Number(part as f64 / whole as f64)
        }
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s)
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::from(s.to_owned())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Empty, Into::into)
    }
}

impl From<NaiveDate> for Value {
    fn from(d: NaiveDate) -> Value {
        Value::Text(d.format("%Y-%m-%d").to_string())
    }
}

/// A key figure shown above the sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Figure {
    pub label: String,
    pub value: Value,
    pub kind: ValueKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportColumn {
    pub label: String,
    pub kind: ValueKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChartKind {
    /// Vertical bars, one group per row, one bar per series.
    Bar,
    /// Vertical bars with the series stacked.
    StackedBar,
    /// One line per series, the rows along the horizontal axis (years).
    Line,
}

/// A chart of a section's table: its rows along the category axis, labelled by one column, and one series
/// per listed column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: String,
    /// The column whose values label the categories.
    pub category: usize,
    /// The columns drawn, each a series named by its column's label.
    pub series: Vec<usize>,
}

/// One table of a report (a worksheet of the XLSX), with its chart if it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Section {
    /// Stable across languages (`by_zone`); the tests and the app find a section by it.
    pub key: String,
    pub title: String,
    /// A sentence under the title saying how the table counts, when that is not obvious.
    #[ts(optional)]
    pub note: Option<String>,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<Vec<Value>>,
    /// A last row of totals, written apart (bold, not sorted with the rows).
    #[ts(optional)]
    pub total: Option<Vec<Value>>,
    #[ts(optional)]
    pub chart: Option<Chart>,
}

impl Section {
    pub fn new(key: &str, title: impl Into<String>, columns: Vec<ReportColumn>) -> Section {
        Section {
            key: key.to_owned(),
            title: title.into(),
            note: None,
            columns,
            rows: Vec::new(),
            total: None,
            chart: None,
        }
    }

    pub fn note(mut self, note: impl Into<String>) -> Section {
        self.note = Some(note.into());
        self
    }

    pub fn chart(
        mut self,
        kind: ChartKind,
        title: impl Into<String>,
        category: usize,
        series: &[usize],
    ) -> Section {
        self.chart = Some(Chart { kind, title: title.into(), category, series: series.to_vec() });
        self
    }

    /// The index of the column labelled `label`.
    pub fn column(&self, label: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.label == label)
    }

    /// A total row: the sum of each Count, Number and Money column, `label` in the first, nothing elsewhere.
    pub fn with_total(mut self, label: &str) -> Section {
        let total = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| match c.kind {
                _ if i == 0 => Value::from(label),
                ValueKind::Count => Value::Int(
                    self.rows
                        .iter()
                        .filter_map(|r| match r.get(i) {
                            Some(Value::Int(n)) => Some(*n),
                            _ => None,
                        })
                        .sum(),
                ),
                ValueKind::Number | ValueKind::Money => {
                    Value::Number(self.rows.iter().filter_map(|r| r.get(i).and_then(Value::as_f64)).sum())
                }
                _ => Value::Empty,
            })
            .collect();
        self.total = Some(total);
        self
    }
}

/// A line of the title page: a filter and its value, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FilterLine {
    pub label: String,
    pub value: String,
}

/// A whole report, ready to show or write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Report {
    pub kind: ReportKind,
    pub title: String,
    pub lang: UiLang,
    /// This computer's name in the workspace ("Lyon head office").
    pub workspace: String,
    /// The day the figures stand on, yyyy-mm-dd.
    pub date: String,
    /// The filters, in words; "All" lines are left out.
    pub filters: Vec<FilterLine>,
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
    /// The names in the report's text cells that are written in Japanese (a partner's name tagged `ja`),
    /// for the PDF to set in Japanese type: Han characters alone (東北大学) do not say whether they are
    /// Chinese or Japanese, and would take Chinese glyph forms. Not part of the report's JSON.
    #[serde(skip)]
    #[ts(skip)]
    pub japanese: Vec<String>,
}

impl Report {
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The title with its filters, for a file's default name and a window's title: "Agreement portfolio —
    /// China".
    pub fn heading(&self) -> String {
        let mut heading = self.title.clone();
        for f in &self.filters {
            heading.push_str(" — ");
            heading.push_str(&f.value);
        }
        heading
    }
}

/// What a report's builder gets: the reading, the filters checked and put in words, today, the language.
pub struct Context<'c> {
    pub conn: &'c Connection,
    pub query: &'c ReportQuery,
    pub scope: Scope,
    pub today: NaiveDate,
    pub lang: UiLang,
}

impl Context<'_> {
    /// The English or the French, as the reader reads.
    pub fn tr(&self, en: &'static str, fr: &'static str) -> &'static str {
        tr(self.lang, en, fr)
    }

    pub fn column(&self, en: &'static str, fr: &'static str, kind: ValueKind) -> ReportColumn {
        ReportColumn { label: self.tr(en, fr).to_owned(), kind }
    }

    pub fn figure(
        &self,
        en: &'static str,
        fr: &'static str,
        value: impl Into<Value>,
        kind: ValueKind,
    ) -> Figure {
        Figure { label: self.tr(en, fr).to_owned(), value: value.into(), kind }
    }
}

pub(crate) fn tr(lang: UiLang, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        UiLang::En => en,
        UiLang::Fr => fr,
    }
}

/// The figures, tables and charts of a report, before its title page.
pub struct Body {
    pub figures: Vec<Figure>,
    pub sections: Vec<Section>,
}

/// Builds the report `query` asks for, as the data stands on `today`, in one read transaction.
pub fn build(conn: &Connection, query: &ReportQuery, today: NaiveDate) -> Result<Report> {
    let read = conn.unchecked_transaction()?;
    let scope = Scope::check(&read, query, today)?;
    let lang = query.lang;
    let filters = scope.lines(&read, lang)?;
    let cx = Context { conn: &read, query, scope, today, lang };
    let body = match query.kind {
        ReportKind::Agreements => agreements::build(&cx)?,
        ReportKind::Mobility => mobility::build(&cx)?,
        ReportKind::Csc => csc::build(&cx)?,
        ReportKind::Calls => calls::build(&cx)?,
        ReportKind::ProjectsEvents => projects_events::build(&cx)?,
        ReportKind::Zone => zone::build(&cx)?,
        ReportKind::DataQuality => data_quality::build(&cx)?,
    };
    let workspace = crate::store::replica(&read)?.map(|r| r.name).unwrap_or_default();
    let japanese = japanese_names_in(&read, &body.sections)?;
    read.finish()?;
    Ok(Report {
        kind: query.kind,
        title: query.kind.title(lang).to_owned(),
        lang,
        workspace,
        date: today.format("%Y-%m-%d").to_string(),
        filters,
        figures: body.figures,
        sections: body.sections,
        japanese,
    })
}

/// The partners' names tagged Japanese (primary or native) written in Han characters alone that some text
/// cell of `sections` holds (as a whole run of Han characters: "Tohoku University (東北大学)" holds 東北大学).
/// Names with kana need no telling, and names in Latin letters no Japanese type.
fn japanese_names_in(conn: &Connection, sections: &[Section]) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM partner_label WHERE lang LIKE 'ja%'
         UNION SELECT native FROM partner_label WHERE native_lang LIKE 'ja%' AND native IS NOT NULL",
    )?;
    let names: std::collections::HashSet<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .filter(|n| n.as_ref().map_or(true, |n| !n.is_empty() && n.chars().all(is_han)))
        .collect::<rusqlite::Result<_>>()?;
    let mut found = std::collections::BTreeSet::new();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let cells = sections.iter().flat_map(|s| s.rows.iter().chain(s.total.iter())).flatten();
    for cell in cells {
        let Value::Text(text) = cell else { continue };
        for run in text.split(|c: char| !is_han(c)).filter(|run| !run.is_empty()) {
            if let Some(name) = names.get(run) {
                found.insert(name.clone());
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// A Han character (CJK ideographs, their extensions and compatibility forms, and the iteration mark 々).
fn is_han(c: char) -> bool {
    matches!(c, '\u{3005}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

/// Writes `report` as an XLSX workbook at `path`, whole or not at all.
pub fn save_xlsx(report: &Report, path: &std::path::Path, job: &crate::job::Job) -> Result<()> {
    crate::files::write_atomically_with(path, |w| xlsx::write(w, report, job))
}

/// Writes `report` as JSON (the shape [`Report`] serialises to) at `path`, whole or not at all.
pub fn save_json(report: &Report, path: &std::path::Path) -> Result<()> {
    crate::files::write_atomically_with(path, |w| {
        serde_json::to_writer_pretty(&mut *w, report)?;
        std::io::Write::write_all(w, b"\n")?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The agreement portfolio of the Japan zone names Japanese universities with their names in Japanese
    /// (東北大学, Han alone); the report says which, and names none of the Chinese zone's (复旦大学).
    #[test]
    fn a_report_says_which_of_its_names_are_written_in_japanese() {
        let conn = crate::workspace::demo_database();
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let japan = ReportQuery { zone: Some(Zone::Japan), ..ReportQuery::new(ReportKind::Agreements) };
        let report = build(&conn, &japan, today).expect("report");
        assert!(report.japanese.iter().any(|n| n == "東北大学"), "{:?}", report.japanese);
        let china = ReportQuery { zone: Some(Zone::China), ..ReportQuery::new(ReportKind::Agreements) };
        let report = build(&conn, &china, today).expect("report");
        assert!(report.japanese.is_empty(), "{:?}", report.japanese);
        // Not part of the report's JSON.
        assert!(serde_json::to_value(&report).expect("json").get("japanese").is_none());
    }
}
