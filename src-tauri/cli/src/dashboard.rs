//! `liaison dashboard` and `liaison reminders`: the figures per zone and year, and what is due soon.

use std::io::Write;
use std::path::PathBuf;

use liaison_core::{dashboard, reminder, Clock};
use rusqlite::Connection;

use crate::output::{print_json, suffix};
use crate::Result;

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
            writeln!(out, "{}  {what:<17}  {}{}", r.date, r.title, suffix(r.detail.as_deref()))?;
        }
        writeln!(out, "{} reminders in the next {within} days", due.len())?;
    }
    Ok(())
}
