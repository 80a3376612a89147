//! A report's filters, checked once and turned into SQL: the year (academic or calendar), and the zone,
//! country or organisation of the partner on the other side. A filter a report does not take is refused,
//! not ignored, so a figure never silently counts more than its title says.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value as Sql;
use rusqlite::Connection;
use uuid::Uuid;

use super::{tr, FilterLine, ReportFilter, ReportQuery, YearBasis};
use crate::columns::vocab::Vocab;
use crate::error::Result;
use crate::kinds::Zone;
use crate::label::UiLang;
use crate::validate;

/// The checked filters of one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub year: Option<i64>,
    pub basis: YearBasis,
    pub zone: Option<Zone>,
    pub country: Option<String>,
    pub partner: Option<Uuid>,
}

/// A piece of a WHERE clause with its arguments, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    pub sql: String,
    pub args: Vec<Sql>,
}

impl Condition {
    fn always() -> Condition {
        Condition { sql: "1".into(), args: Vec::new() }
    }

    /// A condition of SQL alone, with no arguments.
    pub fn sql(text: impl Into<String>) -> Condition {
        Condition { sql: text.into(), args: Vec::new() }
    }

    /// Every one of `parts`, joined by AND (true when none says anything).
    pub fn all(parts: Vec<Condition>) -> Condition {
        parts.into_iter().fold(Condition::always(), |c, p| {
            if p.sql == "1" {
                c
            } else {
                c.and(format!("({})", p.sql), p.args)
            }
        })
    }

    fn and(mut self, sql: String, args: Vec<Sql>) -> Condition {
        if self.sql == "1" {
            self.sql = sql;
        } else {
            self.sql = format!("{} AND {sql}", self.sql);
        }
        self.args.extend(args);
        self
    }
}

impl Scope {
    /// Checks `query`'s filters against what its kind takes and what the database holds.
    pub fn check(conn: &Connection, query: &ReportQuery, today: NaiveDate) -> Result<Scope> {
        let mut report = validate::Report::default();
        let takes = query.kind.filters();
        let refuse = |field: &str, filter: ReportFilter, given: bool, report: &mut validate::Report| {
            if given && !takes.contains(&filter) {
                report.add(
                    field,
                    "filter",
                    format!("the {} report takes no {field} filter", query.kind.code()),
                );
            }
        };
        refuse("year", ReportFilter::Year, query.year.is_some(), &mut report);
        refuse("zone", ReportFilter::Zone, query.zone.is_some(), &mut report);
        refuse("country", ReportFilter::Country, query.country.is_some(), &mut report);
        refuse("partner", ReportFilter::Partner, query.partner.is_some(), &mut report);
        if let Some(year) = query.year {
            if !(1950..=2100).contains(&year) {
                report.add("year", "year", format!("{year} is not a year between 1950 and 2100"));
            }
        }
        if let Some(Zone::Unknown(z)) = &query.zone {
            report.add("zone", "zone", format!("{} is not a zone", validate::quote(z)));
        }
        let country = query.country.as_deref().and_then(|c| validate::country(&mut report, "country", c));
        if let Some(partner) = query.partner {
            let here: bool = conn
                .prepare_cached("SELECT count(*) FROM partner WHERE id = ?1 AND deleted = 0")?
                .query_row([partner], |r| r.get::<_, i64>(0))?
                > 0;
            if !here {
                report.add("partner", "not_found", format!("no partner organisation with id {partner}"));
            }
        }
        report.finish()?;
        let year = match (query.kind.without_year(), query.year) {
            (super::WithoutYear::Current, None) => Some(current_year(today, query.basis)),
            (_, year) => year,
        };
        Ok(Scope { year, basis: query.basis, zone: query.zone, country, partner: query.partner })
    }

    /// The condition that the organisation whose id is the SQL expression `partner` is within the zone,
    /// country and partner filters (true for every row when none is set). `partner` is read through
    /// `partner_summary`, so rows of a deleted organisation or none fall out when a filter is set.
    pub fn partner(&self, partner: &str) -> Condition {
        let mut c = Condition::always();
        if let Some(zone) = &self.zone {
            c = c.and(
                format!("{partner} IN (SELECT id FROM partner_summary WHERE zone = ?)"),
                vec![Sql::Text(zone.as_str().to_owned())],
            );
        }
        if let Some(country) = &self.country {
            c = c.and(
                format!("{partner} IN (SELECT id FROM partner_summary WHERE country = ?)"),
                vec![Sql::Text(country.clone())],
            );
        }
        if let Some(id) = self.partner {
            c = c.and(format!("{partner} = ?"), vec![Sql::Blob(id.as_bytes().to_vec())]);
        }
        c
    }

    /// The first and last day of the year filter, as yyyy-mm-dd: 1 September to 31 August for an academic
    /// year, 1 January to 31 December for a calendar one; `None` without a year filter.
    pub fn days(&self) -> Option<(String, String)> {
        let year = self.year?;
        let (from, to) = match self.basis {
            YearBasis::Academic => (format!("{year}-09-01"), format!("{}-08-31", year + 1)),
            YearBasis::Calendar => (format!("{year}-01-01"), format!("{year}-12-31")),
        };
        Some((from, to))
    }

    /// The condition that an exchange (table alias `e`) falls in the year filter: its academic year for an
    /// academic year, the calendar year it starts in (actual start, else planned) for a calendar one.
    pub fn exchange_year(&self) -> Condition {
        match (self.year, self.basis) {
            (None, _) => Condition::always(),
            (Some(y), YearBasis::Academic) => {
                Condition::always().and("e.academic_year = ?".into(), vec![Sql::Integer(y)])
            }
            (Some(y), YearBasis::Calendar) => Condition::always().and(
                "substr(coalesce(e.actual_start, e.planned_start), 1, 4) = ?".into(),
                vec![Sql::Text(format!("{y:04}"))],
            ),
        }
    }

    /// The condition that the SQL date expression `date` (yyyy-mm-dd…) falls within the year filter.
    pub fn date_in_year(&self, date: &str) -> Condition {
        match self.days() {
            None => Condition::always(),
            Some((from, to)) => Condition::always()
                .and(format!("substr({date}, 1, 10) BETWEEN ? AND ?"), vec![Sql::Text(from), Sql::Text(to)]),
        }
    }

    /// The filters in words for the title page: "Zone: China", "Academic year: 2025/2026".
    pub fn lines(&self, conn: &Connection, lang: UiLang) -> Result<Vec<FilterLine>> {
        let mut lines = Vec::new();
        if let Some(year) = self.year {
            lines.push(match self.basis {
                YearBasis::Academic => FilterLine {
                    label: tr(lang, "Academic year", "Année universitaire").into(),
                    value: crate::kinds::academic_year_label(year),
                },
                YearBasis::Calendar => {
                    FilterLine { label: tr(lang, "Year", "Année").into(), value: year.to_string() }
                }
            });
        }
        if let Some(zone) = &self.zone {
            lines.push(FilterLine {
                label: tr(lang, "Zone", "Zone").into(),
                value: Vocab::Zone.label(zone.as_str(), lang),
            });
        }
        if let Some(country) = &self.country {
            lines.push(FilterLine {
                label: tr(lang, "Country", "Pays").into(),
                value: country_name(country, lang),
            });
        }
        if let Some(id) = self.partner {
            let name = crate::label::labels_of(conn, id)?.map(|l| l.get(lang).text()).unwrap_or_default();
            lines.push(FilterLine { label: tr(lang, "Partner", "Partenaire").into(), value: name });
        }
        Ok(lines)
    }
}

/// The academic year under way on `today` (from September, the one starting this calendar year), or the
/// calendar year.
pub fn current_year(today: NaiveDate, basis: YearBasis) -> i64 {
    let y = i64::from(today.year());
    match basis {
        YearBasis::Academic if today.month() < 9 => y - 1,
        _ => y,
    }
}

/// A country's name for a reader: French names as the app's French country picker says them, else ISO's
/// English short name; the code itself when unknown.
pub fn country_name(code: &str, lang: UiLang) -> String {
    let english = isocountry::CountryCode::for_alpha2(code).map(|c| c.name().to_owned()).ok();
    match lang {
        UiLang::Fr => crate::columns::country::name_fr(code).map(str::to_owned).or(english),
        UiLang::En => english,
    }
    .unwrap_or_else(|| code.to_owned())
}
