//! The Reports page's commands: the catalogue of reports, a report built for preview, and a report written
//! to a file the user chooses in a native save dialog (the webview never names a path), as a job with
//! progress and Cancel (the report read on a pooled connection, then written). The core builds every report
//! and writes XLSX and JSON, liaison-pdf writes PDF; the shell carries the query, the file and the job's events.

use liaison_core::job::Job;
use liaison_core::label::UiLang;
use liaison_core::report::{self, Report, ReportInfo, ReportQuery, Scope};
use liaison_core::{Clock, SystemClock};
use serde::Deserialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::export::{save_dialog, ExportStarted};
use crate::jobs::JobEvent;
use crate::workspace::Workspace;

/// The kinds of file a report can be written to from the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportFormat {
    /// One sheet per table, native charts.
    Xlsx,
    /// Typeset A4, to print or circulate.
    Pdf,
    /// The report as data, for other tools.
    Json,
}

impl ReportFormat {
    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Json => "json",
        }
    }

    fn filter_name(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "Excel (XLSX)",
            ReportFormat::Pdf => "PDF",
            ReportFormat::Json => "JSON",
        }
    }
}

fn today() -> chrono::NaiveDate {
    SystemClock.now().date_naive()
}

/// Every report, with what it holds and the filters it takes, in the UI's language.
#[tauri::command(async)]
pub fn report_catalogue(lang: UiLang) -> Vec<ReportInfo> {
    report::catalogue(lang)
}

/// The report `query` asks for, as the data stands today, to show in the app.
#[tauri::command(async)]
pub fn report_preview(ws: State<'_, Workspace>, query: ReportQuery) -> Result<Report> {
    ws.read(|c| report::build(c, &query, today()))
}

/// The name the save dialog offers: the report's title and its filters in words, as the title page says
/// them ("Rapport annuel de zone — 2025-2026 — Chine.pdf"), made safe as a file name on every system.
fn default_file_name(title: &str, filters: &[String], format: ReportFormat) -> String {
    let mut heading = title.to_owned();
    for value in filters {
        heading.push_str(" — ");
        heading.push_str(value);
    }
    let mut name: String = heading
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '|' => '-',
            '*' | '?' | '"' | '<' | '>' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    // Long partner names: most systems allow 255 bytes for a name; keep well inside it.
    if name.len() > 150 {
        let mut end = 150;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
    let name = name.trim_end_matches(['.', ' ', '—', '-']);
    let name = if name.is_empty() { "report" } else { name };
    format!("{name}.{}", format.extension())
}

/// Asks where to write the report `query` asks for as `format` in a native save dialog, then builds and
/// writes it as a job that reports on `on_event`: its progress, then done, cancelled (no file left) or
/// failed. `None` when the dialog was cancelled. The filters are checked before the dialog opens.
#[tauri::command(async)]
pub async fn report_export(
    app: AppHandle,
    query: ReportQuery,
    format: ReportFormat,
    on_event: Channel<JobEvent>,
) -> Result<Option<ExportStarted>> {
    let ws = app.state::<Workspace>();
    let lang = query.lang;
    let title = query.kind.title(lang).to_owned();
    let filters = ws.read(|c| {
        let scope = Scope::check(c, &query, today())?;
        Ok(scope.lines(c, lang)?.into_iter().map(|l| l.value).collect::<Vec<_>>())
    })?;
    let name = default_file_name(&title, &filters, format);
    let Some(path) = save_dialog(&app, format.filter_name(), format.extension(), &name).await? else {
        return Ok(None);
    };
    let file = path.file_name().map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());

    let progress = on_event.clone();
    let job = Job::new(move |p| {
        let _ = progress.send(JobEvent::Progress { done: p.done, total: p.total, step: p.step.clone() });
    });
    let id = ws.add_job(job.clone());
    let handle = app.clone();
    std::thread::Builder::new()
        .name(format!("liaison-report-{id}"))
        .spawn(move || {
            let ws = handle.state::<Workspace>();
            let result = (|| -> Result<()> {
                job.step(&title, 0, 1)?;
                // The read connection goes back to the pool before the file is written.
                let report = ws.read(|c| report::build(c, &query, today()))?;
                job.check()?;
                match format {
                    ReportFormat::Xlsx => report::save_xlsx(&report, &path, &job)?,
                    ReportFormat::Pdf => liaison_pdf::save(&report, &path, &job)?,
                    ReportFormat::Json => report::save_json(&report, &path)?,
                }
                Ok(job.step(&title, 1, 1)?)
            })();
            ws.remove_job(id);
            let event = match result {
                Ok(()) => JobEvent::Done,
                Err(e) if e.is_cancelled() => JobEvent::Cancelled,
                Err(e) => JobEvent::Failed { error: e.to_ipc() },
            };
            let _ = on_event.send(event);
        })
        .map_err(|e| Error::Core(e.into()))?;
    Ok(Some(ExportStarted { job: id, file }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_offers_the_report_and_its_filters_as_a_safe_name() {
        let filters = ["2025/2026".to_owned(), "Chine".to_owned()];
        assert_eq!(
            default_file_name("Rapport annuel de zone", &filters, ReportFormat::Xlsx),
            "Rapport annuel de zone — 2025-2026 — Chine.xlsx"
        );
        assert_eq!(
            default_file_name("Agreement portfolio", &[], ReportFormat::Json),
            "Agreement portfolio.json"
        );
        let odd = ["Université \"Lyon\": <test>?*".to_owned(), "a\\b|c\n".to_owned()];
        let name = default_file_name("Mobility statistics", &odd, ReportFormat::Xlsx);
        assert_eq!(name, "Mobility statistics — Université Lyon - test — a-b-c.xlsx");
        assert!(!name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']), "{name}");
    }

    #[test]
    fn a_long_partner_name_is_cut_on_a_character_not_a_byte() {
        let long = ["復旦大学".repeat(30)];
        let name = default_file_name("Projects and events", &long, ReportFormat::Xlsx);
        assert!(name.len() <= 160, "{} bytes", name.len());
        let stem = name.strip_suffix(".xlsx").expect("the extension is kept");
        assert!(format!("Projects and events — {}", long[0]).starts_with(stem), "{name}");
    }

    #[test]
    fn a_query_arrives_as_the_page_sends_it() {
        let query: ReportQuery = serde_json::from_value(serde_json::json!({
            "kind": "zone", "year": 2025, "basis": "academic", "zone": "china", "lang": "fr"
        }))
        .expect("a zone report query");
        assert_eq!(query.kind, report::ReportKind::Zone);
        assert_eq!(query.year, Some(2025));
        let format: ReportFormat = serde_json::from_value(serde_json::json!("xlsx")).expect("format");
        assert_eq!(format.extension(), "xlsx");
    }
}
