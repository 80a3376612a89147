//! Reminders: what needs attention soon — agreements expiring (and the last day to give notice), call
//! deadlines, exchanges starting — as a list and as an iCalendar (.ics) file that any calendar imports.
//! Computed on read from the records, so they always follow the data.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use icalendar::{Calendar, Component, EventLike};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReminderKind {
    /// The last day to give notice before an agreement's end.
    AgreementNotice,
    AgreementExpiry,
    CallDeadline,
    ExchangeStart,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Reminder {
    pub kind: ReminderKind,
    /// yyyy-mm-dd.
    pub date: String,
    /// The record's kind: `agreement`, `call` or `exchange`.
    pub entity: String,
    pub record_id: Uuid,
    pub title: String,
    /// More about it (the parties, the person and the route).
    pub detail: Option<String>,
}

fn parse(date: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()
}

/// Everything due from `today` to `today + within_days` (inclusive), soonest first.
pub fn upcoming(conn: &Connection, today: NaiveDate, within_days: u32) -> Result<Vec<Reminder>> {
    let until = today.checked_add_days(Days::new(within_days.into())).unwrap_or(NaiveDate::MAX);
    let in_window = |d: NaiveDate| d >= today && d <= until;
    let mut out = Vec::new();
    {
        // An agreement in force (or being renewed) whose end, or notice date, falls in the window.
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.title, a.end_date, a.notice_months, s.parties FROM agreement a
             JOIN agreement_summary s ON s.id = a.id
             WHERE a.deleted = 0 AND a.status IN ('active', 'renewal_pending', 'under_signature')
               AND a.end_date IS NOT NULL AND a.end_date >= ?1",
        )?;
        let rows = stmt.query_map(params![today.to_string()], |r| {
            Ok((
                r.get::<_, Uuid>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (id, title, end, notice, parties) = row?;
            let Some(end) = parse(&end) else { continue };
            let detail = Some(parties).filter(|p| !p.is_empty());
            if in_window(end) {
                out.push(Reminder {
                    kind: ReminderKind::AgreementExpiry,
                    date: end.to_string(),
                    entity: "agreement".into(),
                    record_id: id,
                    title: title.clone(),
                    detail: detail.clone(),
                });
            }
            let notice_by = notice
                .and_then(|m| u32::try_from(m).ok())
                .filter(|m| *m > 0)
                .and_then(|m| end.checked_sub_months(Months::new(m)));
            if let Some(notice_by) = notice_by.filter(|d| in_window(*d)) {
                out.push(Reminder {
                    kind: ReminderKind::AgreementNotice,
                    date: notice_by.to_string(),
                    entity: "agreement".into(),
                    record_id: id,
                    title,
                    detail,
                });
            }
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, title, deadline_at, programme FROM call
             WHERE deleted = 0 AND status IN ('draft', 'open') AND deadline_at IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Uuid>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (id, title, deadline, programme) = row?;
            if let Some(date) = parse(&deadline).filter(|d| in_window(*d)) {
                out.push(Reminder {
                    kind: ReminderKind::CallDeadline,
                    date: date.to_string(),
                    entity: "call".into(),
                    record_id: id,
                    title,
                    // "17:00 UTC+01:00 — IDEXLYON international": the day is the reminder's date.
                    detail: Some(
                        [
                            chrono::DateTime::parse_from_rfc3339(&deadline)
                                .ok()
                                .map(|t| t.format("%H:%M UTC%:z").to_string()),
                            programme,
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" — "),
                    ),
                });
            }
        }
    }
    {
        // Exchanges planned to start in the window and still to come. A start within a year belongs to this
        // academic year, the one before or the next (or to none yet, for an exchange written without its
        // year): naming them lets the year index do the work.
        let year = i64::from(chrono::Datelike::year(&today));
        let mut stmt = conn.prepare_cached(
            "SELECT e.id, e.planned_start, c.name, h.name, o.name FROM exchange e
             LEFT JOIN contact_summary c ON c.id = e.person_id
             LEFT JOIN partner_summary h ON h.id = e.home_id
             LEFT JOIN partner_summary o ON o.id = e.host_id
             WHERE e.deleted = 0 AND (e.academic_year BETWEEN ?1 AND ?2 OR e.academic_year IS NULL)
               AND e.planned_start BETWEEN ?3 AND ?4
               AND e.status IN ('applied', 'nominated', 'accepted')
             ORDER BY e.planned_start",
        )?;
        let rows = stmt.query_map(
            params![year - 1, year + 1 + i64::from(within_days / 365), today.to_string(), until.to_string()],
            |r| {
                Ok((
                    r.get::<_, Uuid>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            },
        )?;
        for row in rows {
            let (id, start, person, home, host) = row?;
            out.push(Reminder {
                kind: ReminderKind::ExchangeStart,
                date: start,
                entity: "exchange".into(),
                record_id: id,
                title: person.unwrap_or_else(|| "(pending sync)".into()),
                detail: Some(format!(
                    "{} → {}",
                    home.as_deref().unwrap_or("?"),
                    host.as_deref().unwrap_or("?")
                )),
            });
        }
    }
    out.sort_by(|a, b| (&a.date, &a.title).cmp(&(&b.date, &b.title)));
    Ok(out)
}

/// The reminders as an iCalendar file: one all-day event each, with a stable UID so that importing an
/// updated file replaces the earlier events instead of doubling them.
pub fn to_ics(reminders: &[Reminder], now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Liaison reminders");
    for r in reminders {
        let Some(date) = parse(&r.date) else { continue };
        let what = match r.kind {
            ReminderKind::AgreementNotice => "Notice due",
            ReminderKind::AgreementExpiry => "Agreement expires",
            ReminderKind::CallDeadline => "Call deadline",
            ReminderKind::ExchangeStart => "Exchange starts",
        };
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}-{:?}@liaison", r.record_id, r.kind))
            .timestamp(now)
            .summary(&format!("{what}: {}", r.title))
            // An all-day event ends, exclusively, the next day (RFC 5545 §3.6.1).
            .starts(date)
            .ends(date.succ_opt().unwrap_or(date));
        if let Some(detail) = &r.detail {
            event.description(detail);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}
