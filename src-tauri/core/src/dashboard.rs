//! The dashboard's key figures: per zone, partners, agreements in force, exchanges in and out and
//! applications; per academic year and zone, exchanges in and out; open calls and applications by status.
//! Each figure counts what the list it opens shows with the same filters. Exchanges are read
//! from the `exchange_count` groups kept current on every write, so the figures cost the same at a million
//! exchanges as at a hundred. Cancelled and withdrawn exchanges are not counted.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::kinds::{ApplicationStatus, Zone};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct DashboardQuery {
    /// The zone figures count this academic year's exchanges; all years when absent.
    #[ts(optional, type = "number")]
    pub academic_year: Option<i64>,
    /// How many academic years the yearly figures go back (10 when 0).
    pub years: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZoneFigures {
    pub zone: Zone,
    #[ts(type = "number")]
    pub partners: i64,
    /// Agreements in force today with a party in the zone.
    #[ts(type = "number")]
    pub active_agreements: i64,
    #[ts(type = "number")]
    pub incoming: i64,
    #[ts(type = "number")]
    pub outgoing: i64,
    /// Applications with an organisation (the lead or a partner) in the zone.
    #[ts(type = "number")]
    pub applications: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct YearFigures {
    #[ts(type = "number")]
    pub academic_year: i64,
    pub zone: Zone,
    #[ts(type = "number")]
    pub incoming: i64,
    #[ts(type = "number")]
    pub outgoing: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusCount {
    pub status: ApplicationStatus,
    #[ts(type = "number")]
    pub count: i64,
}

/// Every exchange counted, whatever the zone: the same number the unfiltered exchange list shows with the
/// same year, direction and "counted" filter, including exchanges with no organisation on the other side
/// (which belong to no zone) and those of a deleted partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExchangeTotals {
    #[ts(type = "number")]
    pub incoming: i64,
    #[ts(type = "number")]
    pub outgoing: i64,
    /// Of these, how many are in no zone (no organisation on the other side, or a deleted one).
    #[ts(type = "number")]
    pub without_zone: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    #[ts(type = "number | null")]
    pub academic_year: Option<i64>,
    pub zones: Vec<ZoneFigures>,
    /// Agreements in force today, each once (an agreement with parties in two zones counts in both zones).
    #[ts(type = "number")]
    pub agreements_in_force: i64,
    pub totals: ExchangeTotals,
    /// Oldest year first.
    pub years: Vec<YearFigures>,
    #[ts(type = "number")]
    pub open_calls: i64,
    pub applications: Vec<StatusCount>,
}

/// The figures as they stand on `today`.
pub fn figures(conn: &Connection, q: &DashboardQuery, today: NaiveDate) -> Result<Dashboard> {
    let mut report = crate::validate::Report::default();
    crate::validate::academic_year(&mut report, "academic_year", q.academic_year);
    report.finish()?;
    let mut zones: Vec<ZoneFigures> = Zone::ALL
        .iter()
        .map(|z| ZoneFigures {
            zone: *z,
            partners: 0,
            active_agreements: 0,
            incoming: 0,
            outgoing: 0,
            applications: 0,
        })
        .collect();
    let zone_mut = |zones: &mut Vec<ZoneFigures>, z: &str| -> Option<usize> {
        Zone::parse(z).and_then(|z| zones.iter().position(|f| f.zone == z))
    };
    {
        let mut stmt = conn.prepare_cached("SELECT zone, count(*) FROM partner_summary GROUP BY zone")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (z, n) = row?;
            if let Some(i) = zone_mut(&mut zones, &z) {
                zones[i].partners = n;
            }
        }
    }
    let mut agreements_in_force = 0;
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT s.zones FROM agreement_summary s WHERE {}",
            crate::records::agreement::IN_FORCE
        ))?;
        let rows =
            stmt.query_map(params![today.to_string(), today.to_string()], |r| r.get::<_, String>(0))?;
        for row in rows {
            agreements_in_force += 1;
            for z in row?.split(' ').filter(|z| !z.is_empty()) {
                if let Some(i) = zone_mut(&mut zones, z) {
                    zones[i].active_agreements += 1;
                }
            }
        }
    }
    {
        // The zones each application's kept assessment found among its organisations (a few thousand
        // short rows, where joining every organisation to its partner took 25 ms at 5,000 applications).
        let mut stmt = conn.prepare_cached("SELECT zones FROM application_assessment")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        for row in rows {
            for z in row?.split(' ').filter(|z| !z.is_empty()) {
                if let Some(i) = zone_mut(&mut zones, z) {
                    zones[i].applications += 1;
                }
            }
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT p.zone, c.direction, sum(c.n) FROM exchange_count c JOIN partner_summary p ON p.id = c.partner_id
             WHERE (?1 IS NULL OR c.academic_year = ?1) AND c.status NOT IN ('cancelled', 'withdrawn')
             GROUP BY p.zone, c.direction",
        )?;
        let rows = stmt.query_map(params![q.academic_year], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
        })?;
        for row in rows {
            let (z, direction, n) = row?;
            if let Some(i) = zone_mut(&mut zones, &z) {
                if direction == "outgoing" {
                    zones[i].outgoing += n;
                } else {
                    zones[i].incoming += n;
                }
            }
        }
    }
    let totals = {
        // The zones hold the exchanges of live partners; to them add those of deleted partners (whose
        // counts are kept too) and the few with no organisation on the other side, read through the
        // partner index. Neither reads more than a handful of rows, unlike a second pass over the counts.
        let mut stmt = conn.prepare_cached(
            "SELECT c.direction, sum(c.n) FROM partner p JOIN exchange_count c ON c.partner_id = p.id
             WHERE p.deleted = 1 AND (?1 IS NULL OR c.academic_year = ?1)
               AND c.status NOT IN ('cancelled', 'withdrawn')
             GROUP BY c.direction
             UNION ALL
             SELECT e.direction, count(*) FROM exchange e
             WHERE e.deleted = 0 AND e.partner_id IS NULL AND (?1 IS NULL OR e.academic_year = ?1)
               AND e.status NOT IN ('cancelled', 'withdrawn')
             GROUP BY e.direction",
        )?;
        let rows =
            stmt.query_map(params![q.academic_year], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut totals = ExchangeTotals {
            incoming: zones.iter().map(|z| z.incoming).sum(),
            outgoing: zones.iter().map(|z| z.outgoing).sum(),
            without_zone: 0,
        };
        for row in rows {
            let (direction, n) = row?;
            if direction == "outgoing" {
                totals.outgoing += n;
            } else {
                totals.incoming += n;
            }
            totals.without_zone += n;
        }
        totals
    };
    let years = {
        let span = i64::from(if q.years == 0 { 10 } else { q.years.min(50) });
        let last = q.academic_year.unwrap_or_else(|| {
            // The academic year under way: from September on, the one starting this calendar year.
            let (y, m) = (chrono::Datelike::year(&today), chrono::Datelike::month(&today));
            i64::from(if m >= 9 { y } else { y - 1 })
        });
        let mut stmt = conn.prepare_cached(
            "SELECT c.academic_year, p.zone, sum(CASE c.direction WHEN 'outgoing' THEN 0 ELSE c.n END),
                    sum(CASE c.direction WHEN 'outgoing' THEN c.n ELSE 0 END)
             FROM exchange_count c JOIN partner_summary p ON p.id = c.partner_id
             WHERE c.academic_year BETWEEN ?1 AND ?2 AND c.status NOT IN ('cancelled', 'withdrawn')
             GROUP BY c.academic_year, p.zone ORDER BY c.academic_year, p.zone",
        )?;
        let rows = stmt.query_map(params![last - span + 1, last], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (academic_year, z, incoming, outgoing) = row?;
            if let Some(zone) = Zone::parse(&z) {
                out.push(YearFigures { academic_year, zone, incoming, outgoing });
            }
        }
        out
    };
    let open_calls =
        conn.query_row("SELECT count(*) FROM call WHERE deleted = 0 AND status = 'open'", [], |r| r.get(0))?;
    let applications = {
        let mut stmt = conn.prepare_cached(
            "SELECT a.status, count(*) FROM application a WHERE a.deleted = 0 AND a.call_id IS NOT NULL
             GROUP BY a.status",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (s, count) = row?;
            if let Some(status) = ApplicationStatus::parse(&s) {
                out.push(StatusCount { status, count });
            }
        }
        out.sort_by_key(|s| ApplicationStatus::ALL.iter().position(|x| *x == s.status));
        out
    };
    Ok(Dashboard {
        academic_year: q.academic_year,
        zones,
        agreements_in_force,
        totals,
        years,
        open_calls,
        applications,
    })
}
