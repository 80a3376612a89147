//! Reminders: what needs attention soon — agreements expiring (and the last day to give notice), call
//! deadlines, exchanges starting — as a list and as an iCalendar (.ics) file that any calendar imports.
//! What is overdue comes first, until it is done (the record moved on: an agreement renewed or ended, a call
//! closed, an exchange under way) or dismissed on this laptop. Computed on read from the records, so they
//! always follow the data.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use icalendar::{Calendar, Component, EventLike};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, FieldError, Result};
use crate::label::{labels_of, Labels};
use crate::records::agreement::party_labels;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReminderKind {
    /// The last day to give notice before an agreement's end.
    AgreementNotice,
    AgreementExpiry,
    CallDeadline,
    ExchangeStart,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 4] =
        [Self::AgreementNotice, Self::AgreementExpiry, Self::CallDeadline, Self::ExchangeStart];

    /// Its stored text, as in JSON ("agreement_notice").
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AgreementNotice => "agreement_notice",
            Self::AgreementExpiry => "agreement_expiry",
            Self::CallDeadline => "call_deadline",
            Self::ExchangeStart => "exchange_start",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// How far back an exchange that should have started is still a reminder: one still "accepted" a year after
/// its planned start is a record left behind, which the exchange list's filters find; the bound lets the
/// academic-year index do the work among a million exchanges.
const EXCHANGE_OVERDUE_DAYS: u64 = 366;

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
    /// More about it in English, organisations by their English names (the parties, the person and the
    /// route).
    pub detail: Option<String>,
    /// The organisations the detail names, for each UI language: an agreement's parties, or an exchange's
    /// home and host (`None`: not here, pending sync or deleted).
    pub organisations: Vec<Option<Labels>>,
    /// Its date has passed and it is neither done nor dismissed.
    pub overdue: bool,
}

fn parse(date: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()
}

/// What is overdue (oldest first), then everything due from `today` to `today + within_days` (inclusive),
/// soonest first; without what was dismissed on this laptop.
pub fn upcoming(conn: &Connection, today: NaiveDate, within_days: u32) -> Result<Vec<Reminder>> {
    let until = today.checked_add_days(Days::new(within_days.into())).unwrap_or(NaiveDate::MAX);
    let shown = |d: NaiveDate| d <= until;
    let mut out = Vec::new();
    {
        // An agreement in force (or being renewed) whose end, or notice date, falls in the window or has
        // passed. Once its end has passed, the expiry says it all: the notice is no longer shown.
        let mut stmt = conn.prepare_cached(
            "SELECT a.id, a.title, a.end_date, a.notice_months FROM agreement a
             WHERE a.deleted = 0 AND a.status IN ('active', 'renewal_pending', 'under_signature')
               AND a.end_date IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Uuid>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        for row in rows {
            let (id, title, end, notice) = row?;
            let Some(end) = parse(&end) else { continue };
            let notice_by = notice
                .and_then(|m| u32::try_from(m).ok())
                .filter(|m| *m > 0)
                .and_then(|m| end.checked_sub_months(Months::new(m)))
                .filter(|d| shown(*d) && end >= today);
            if !shown(end) && notice_by.is_none() {
                continue;
            }
            let parties = party_labels(conn, id)?;
            let names: Vec<String> = parties.iter().map(|l| l.en.text()).collect();
            let detail = Some(names.join(" · ")).filter(|p| !p.is_empty());
            let organisations: Vec<Option<Labels>> = parties.into_iter().map(Some).collect();
            if shown(end) {
                out.push(Reminder {
                    kind: ReminderKind::AgreementExpiry,
                    date: end.to_string(),
                    entity: "agreement".into(),
                    record_id: id,
                    title: title.clone(),
                    detail: detail.clone(),
                    organisations: organisations.clone(),
                    overdue: end < today,
                });
            }
            if let Some(notice_by) = notice_by {
                out.push(Reminder {
                    kind: ReminderKind::AgreementNotice,
                    date: notice_by.to_string(),
                    entity: "agreement".into(),
                    record_id: id,
                    title,
                    detail,
                    organisations,
                    overdue: notice_by < today,
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
            if let Some(date) = parse(&deadline).filter(|d| shown(*d)) {
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
                    organisations: Vec::new(),
                    overdue: date < today,
                });
            }
        }
    }
    {
        // Exchanges planned to start in the window, or that should have started (at most
        // EXCHANGE_OVERDUE_DAYS ago), and not yet under way. Such a start belongs to this academic year, the
        // two before or the next (or to none yet, for an exchange written without its year): naming them
        // lets the year index do the work.
        let year = i64::from(chrono::Datelike::year(&today));
        let since = today.checked_sub_days(Days::new(EXCHANGE_OVERDUE_DAYS)).unwrap_or(NaiveDate::MIN);
        let mut stmt = conn.prepare_cached(
            "SELECT e.id, e.planned_start, c.name, e.home_id, e.host_id FROM exchange e
             LEFT JOIN contact_summary c ON c.id = e.person_id
             WHERE e.deleted = 0 AND (e.academic_year BETWEEN ?1 AND ?2 OR e.academic_year IS NULL)
               AND e.planned_start BETWEEN ?3 AND ?4
               AND e.status IN ('applied', 'nominated', 'accepted')
             ORDER BY e.planned_start",
        )?;
        let rows = stmt.query_map(
            params![year - 2, year + 1 + i64::from(within_days / 365), since.to_string(), until.to_string()],
            |r| {
                Ok((
                    r.get::<_, Uuid>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<Uuid>>(3)?,
                    r.get::<_, Option<Uuid>>(4)?,
                ))
            },
        )?;
        let side = |id: Option<Uuid>| id.map_or(Ok(None), |id| labels_of(conn, id));
        for row in rows {
            let (id, start, person, home, host) = row?;
            let overdue = parse(&start).is_some_and(|d| d < today);
            let (home, host) = (side(home)?, side(host)?);
            let name = |l: &Option<Labels>| l.as_ref().map_or_else(|| "?".to_owned(), |l| l.en.text());
            out.push(Reminder {
                kind: ReminderKind::ExchangeStart,
                date: start,
                entity: "exchange".into(),
                record_id: id,
                title: person.unwrap_or_else(|| "(pending sync)".into()),
                detail: Some(format!("{} → {}", name(&home), name(&host))),
                organisations: vec![home, host],
                overdue,
            });
        }
    }
    let dismissed = dismissed(conn)?;
    out.retain(|r| !dismissed.contains(&(r.record_id, r.kind, r.date.clone())));
    // Overdue dates come before today's and later ones: date order puts them first, oldest first.
    out.sort_by(|a, b| (&a.date, &a.title).cmp(&(&b.date, &b.title)));
    Ok(out)
}

/// The reminders dismissed on this laptop, by record, kind and date.
fn dismissed(conn: &Connection) -> Result<std::collections::HashSet<(Uuid, ReminderKind, String)>> {
    let mut stmt = conn.prepare_cached("SELECT record_id, kind, due FROM reminder_dismissal")?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = std::collections::HashSet::new();
    for row in rows {
        let (id, kind, due) = row?;
        if let Some(kind) = ReminderKind::parse(&kind) {
            out.insert((id, kind, due));
        }
    }
    Ok(out)
}

/// Dismisses a reminder on this laptop: it is no longer listed (nor exported), though its record has not
/// moved on. A dismissal is this person's, not the workspace's: it is kept here and never synced. It holds
/// for that date only: a reminder of the same record on another date (an agreement renewed to a later end)
/// is shown.
pub fn dismiss(
    conn: &Connection,
    kind: ReminderKind,
    record_id: Uuid,
    date: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let due = parse(date).filter(|d| d.to_string() == date).ok_or_else(|| {
        Error::Invalid(vec![FieldError {
            field: "date".into(),
            code: "date".into(),
            message: format!("{} is not a date (yyyy-mm-dd)", crate::validate::quote(date)),
        }])
    })?;
    conn.prepare_cached(
        "INSERT INTO reminder_dismissal (record_id, kind, due, dismissed_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
    )?
    .execute(params![record_id, kind.as_str(), due.to_string(), now.to_rfc3339()])?;
    Ok(())
}

/// Lists a dismissed reminder again (the undo of [`dismiss`]).
pub fn undismiss(conn: &Connection, kind: ReminderKind, record_id: Uuid, date: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM reminder_dismissal WHERE record_id = ?1 AND kind = ?2 AND due = ?3")?
        .execute(params![record_id, kind.as_str(), date])?;
    Ok(())
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
