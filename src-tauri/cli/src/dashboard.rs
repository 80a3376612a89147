//! `liaison dashboard` and `liaison reminders`: the figures per zone and year, and what is overdue or due
//! soon.

use std::io::Write;
use std::path::PathBuf;

use liaison_core::{dashboard, reminder, Clock};
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::{print_json, suffix};
use crate::{Error, Result};

/// Key figures per zone, for one academic year or all.
pub(crate) fn dashboard(
    conn: &Connection,
    clock: &dyn Clock,
    year: Option<i64>,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let d = dashboard::figures(
        conn,
        &dashboard::DashboardQuery { academic_year: year, years: 10 },
        clock.now().date_naive(),
    )?;
    if json {
        print_json(out, &d)?;
    } else {
        let label = year.map(liaison_core::kinds::academic_year_label).unwrap_or_else(|| "all years".into());
        writeln!(
            out,
            "{:<14} {:>9} {:>11} {:>9} {:>9} {:>13}   exchanges: {label}",
            "zone", "partners", "agreements", "incoming", "outgoing", "applications"
        )?;
        for z in &d.zones {
            writeln!(
                out,
                "{:<14} {:>9} {:>11} {:>9} {:>9} {:>13}",
                z.zone.as_str(),
                z.partners,
                z.active_agreements,
                z.incoming,
                z.outgoing,
                z.applications
            )?;
        }
        let partners: i64 = d.zones.iter().map(|z| z.partners).sum();
        let applications: i64 = d.applications.iter().map(|s| s.count).sum();
        writeln!(
            out,
            "{:<14} {:>9} {:>11} {:>9} {:>9} {:>13}",
            "all zones", partners, d.agreements_in_force, d.totals.incoming, d.totals.outgoing, applications
        )?;
        if d.totals.without_zone > 0 {
            writeln!(
                out,
                "(of which {} in no zone: no organisation on the other side, or a deleted one)",
                d.totals.without_zone
            )?;
        }
        writeln!(out, "open calls: {}", d.open_calls)?;
        let apps: Vec<String> =
            d.applications.iter().map(|s| format!("{} {}", s.count, s.status.as_str())).collect();
        writeln!(out, "applications: {}", if apps.is_empty() { "none".into() } else { apps.join(", ") })?;
    }
    Ok(())
}

/// What is due within `within` days, also as an `.ics` file if asked.
pub(crate) fn reminders(
    conn: &Connection,
    clock: &dyn Clock,
    within: u32,
    json: bool,
    ics: Option<PathBuf>,
    out: &mut impl Write,
) -> Result<()> {
    let now = clock.now();
    let due = reminder::upcoming(conn, now.date_naive(), within)?;
    if let Some(file) = ics {
        liaison_core::files::write_atomically(&file, reminder::to_ics(&due, now).as_bytes())?;
    }
    if json {
        print_json(out, &due)?;
    } else {
        for r in &due {
            let what = match r.kind {
                reminder::ReminderKind::AgreementNotice => "notice due",
                reminder::ReminderKind::AgreementExpiry => "agreement expires",
                reminder::ReminderKind::CallDeadline => "call deadline",
                reminder::ReminderKind::ExchangeStart => "exchange starts",
            };
            let mark = if r.overdue { "OVERDUE" } else { "" };
            writeln!(out, "{}  {mark:<7}  {what:<17}  {}{}", r.date, r.title, suffix(r.detail.as_deref()))?;
        }
        let overdue = due.iter().filter(|r| r.overdue).count();
        let ahead = due.len() - overdue;
        if overdue > 0 {
            writeln!(out, "{overdue} overdue, {ahead} reminders in the next {within} days")?;
        } else {
            writeln!(out, "{ahead} reminders in the next {within} days")?;
        }
    }
    Ok(())
}

/// Dismisses a record's overdue reminders (of one kind, or all) on this laptop.
pub(crate) fn dismiss(
    conn: &mut Connection,
    clock: &dyn Clock,
    id: Uuid,
    kind: Option<String>,
    out: &mut impl Write,
) -> Result<()> {
    let kind = kind
        .map(|k| {
            reminder::ReminderKind::parse(&k).ok_or_else(|| {
                Error::Usage(format!(
                    "--kind {k}: expected agreement_notice, agreement_expiry, call_deadline or exchange_start"
                ))
            })
        })
        .transpose()?;
    let now = clock.now();
    let overdue: Vec<_> = reminder::upcoming(conn, now.date_naive(), 0)?
        .into_iter()
        .filter(|r| r.overdue && r.record_id == id && kind.is_none_or(|k| r.kind == k))
        .collect();
    if overdue.is_empty() {
        return Err(Error::Usage(format!(
            "{id} has no overdue reminder{}",
            match kind {
                Some(k) => format!(" of kind {}", k.as_str()),
                None => String::new(),
            }
        )));
    }
    liaison_core::write(conn, |tx| {
        for r in &overdue {
            reminder::dismiss(tx, r.kind, r.record_id, &r.date, now)?;
        }
        Ok(())
    })?;
    for r in &overdue {
        writeln!(out, "dismissed on this laptop: {} {} {}", r.date, r.kind.as_str(), r.title)?;
    }
    Ok(())
}
