//! Export on every list of the app: the file is chosen in a native save dialog the shell opens (the webview
//! never names a path), then the list as its screen queries it — filters, search, sort — is written by the
//! core as a job with progress and Cancel, on a read connection so edits go on meanwhile. The core decides
//! the columns and the formats; the shell only carries the query, the file and the job's events.

use std::path::PathBuf;

use liaison_core::export::csv::CsvOptions;
use liaison_core::export::list::{self, FileFormat, List};
use liaison_core::job::Job;
use liaison_core::label::UiLang;
use liaison_core::records::agreement::AgreementQuery;
use liaison_core::records::application::ApplicationQuery;
use liaison_core::records::call::CallQuery;
use liaison_core::records::contact::ContactQuery;
use liaison_core::records::event::EventQuery;
use liaison_core::records::exchange::ExchangeQuery;
use liaison_core::records::partner::PartnerQuery;
use liaison_core::records::project::ProjectQuery;
use liaison_core::{Clock, SystemClock};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::jobs::JobEvent;
use crate::workspace::Workspace;

/// Test seam, for the end-to-end tests only (WebDriver cannot drive a native dialog): when set, no save
/// dialog opens and the export is written into this directory under the name the dialog would have offered.
pub const TEST_SAVE_DIR_ENV: &str = "LIAISON_TEST_SAVE_DIR";

/// A list as its screen queries it (`offset` and `limit` are ignored: every page is written).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", content = "query", rename_all = "snake_case")]
#[ts(export)]
pub enum ExportList {
    Partners(PartnerQuery),
    Contacts(ContactQuery),
    Agreements(AgreementQuery),
    Exchanges(ExchangeQuery),
    Projects(ProjectQuery),
    Events(EventQuery),
    Calls(CallQuery),
    Applications(ApplicationQuery),
}

impl From<ExportList> for List {
    fn from(list: ExportList) -> List {
        match list {
            ExportList::Partners(q) => List::Partners(q),
            ExportList::Contacts(q) => List::Contacts(q),
            ExportList::Agreements(q) => List::Agreements(q),
            ExportList::Exchanges(q) => List::Exchanges(q),
            ExportList::Projects(q) => List::Projects(q),
            ExportList::Events(q) => List::Events(q),
            ExportList::Calls(q) => List::Calls(q),
            ExportList::Applications(q) => List::Applications(q),
        }
    }
}

/// The kinds of file a list can be exported to from the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    /// UTF-8, `,` between cells.
    Csv,
    /// As Excel opens it where the decimal separator is a comma: `;`, a BOM, decimal commas.
    ExcelCsv,
    Xlsx,
    Json,
    /// vCard 4.0, contacts only.
    Vcard,
}

impl ExportFormat {
    fn file_format(self) -> FileFormat {
        match self {
            ExportFormat::Csv => FileFormat::Csv(CsvOptions::default()),
            ExportFormat::ExcelCsv => FileFormat::Csv(CsvOptions::excel_french()),
            ExportFormat::Xlsx => FileFormat::Xlsx,
            ExportFormat::Json => FileFormat::Json,
            ExportFormat::Vcard => FileFormat::Vcard,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::ExcelCsv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
            ExportFormat::Vcard => "vcf",
        }
    }

    fn filter_name(self) -> &'static str {
        match self {
            ExportFormat::Csv | ExportFormat::ExcelCsv => "CSV",
            ExportFormat::Xlsx => "Excel (XLSX)",
            ExportFormat::Json => "JSON",
            ExportFormat::Vcard => "vCard",
        }
    }
}

/// An export under way: its job (for Cancel) and the name of the file it writes.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportStarted {
    pub job: u32,
    pub file: String,
}

/// The name the save dialog offers: the list in the reader's language and today's date
/// (`partners-2026-12-05.xlsx`).
fn default_file_name(list: &List, format: ExportFormat, lang: UiLang, today: chrono::NaiveDate) -> String {
    let noun = list::sheet_name(list.kind(), lang).to_lowercase();
    format!("{noun}-{}.{}", today.format("%Y-%m-%d"), format.extension())
}

/// Asks where to write `list` as `format` in a native save dialog, then writes it as a job that reports on
/// `on_event`: its progress, then a last progress whose `done` is the number of records written, then done,
/// cancelled (no file left) or failed. `None` when the dialog was cancelled.
#[tauri::command(async)]
pub async fn list_export(
    app: AppHandle,
    list: ExportList,
    format: ExportFormat,
    lang: UiLang,
    on_event: Channel<JobEvent>,
) -> Result<Option<ExportStarted>> {
    let list = List::from(list);
    if format == ExportFormat::Vcard && list.kind() != liaison_core::columns::RecordKind::Contact {
        return Err(Error::Core(liaison_core::Error::Conflict(
            "a vCard file holds contacts: choose CSV, XLSX or JSON for this list".into(),
        )));
    }
    let name = default_file_name(&list, format, lang, chrono::Local::now().date_naive());
    let Some(path) = choose_file(&app, format, &name).await? else {
        return Ok(None);
    };
    let file = path.file_name().map_or_else(|| name.clone(), |f| f.to_string_lossy().into_owned());

    let progress = on_event.clone();
    let job = Job::new(move |p| {
        let _ = progress.send(JobEvent::Progress { done: p.done, total: p.total, step: p.step.clone() });
    });
    let ws = app.state::<Workspace>();
    let id = ws.add_job(job.clone());
    let handle = app.clone();
    let step = list::sheet_name(list.kind(), lang).to_owned();
    std::thread::Builder::new()
        .name(format!("liaison-export-{id}"))
        .spawn(move || {
            let ws = handle.state::<Workspace>();
            let today = SystemClock.now().date_naive();
            let result =
                ws.read(|c| list::export(c, &[list], format.file_format(), lang, today, &path, &job));
            ws.remove_job(id);
            let event = match result {
                Ok(counts) => {
                    let rows = counts.iter().sum::<u64>();
                    let _ = on_event.send(JobEvent::Progress { done: rows, total: rows, step });
                    JobEvent::Done
                }
                Err(Error::Core(liaison_core::Error::Cancelled)) => JobEvent::Cancelled,
                Err(e) => JobEvent::Failed { error: e.to_ipc() },
            };
            let _ = on_event.send(event);
        })
        .map_err(|e| Error::Core(e.into()))?;
    Ok(Some(ExportStarted { job: id, file }))
}

/// The file the user chose in the save dialog, offered `name` in the user's documents folder.
async fn choose_file(app: &AppHandle, format: ExportFormat, name: &str) -> Result<Option<PathBuf>> {
    save_dialog(app, format.filter_name(), format.extension(), name).await
}

/// The file the user chose in a native save dialog showing files of type `filter` (`extension`), offered
/// `name` in the user's documents folder; `None` when the dialog was cancelled. Under the test seam
/// ([`TEST_SAVE_DIR_ENV`]) no dialog opens: `name` in that directory.
pub(crate) async fn save_dialog(
    app: &AppHandle,
    filter: &str,
    extension: &str,
    name: &str,
) -> Result<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os(TEST_SAVE_DIR_ENV) {
        return Ok(Some(PathBuf::from(dir).join(name)));
    }
    let mut dialog = app.dialog().file().add_filter(filter, &[extension]).set_file_name(name);
    if let Ok(documents) = app.path().document_dir() {
        dialog = dialog.set_directory(documents);
    }
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| liaison_core::Error::Io(std::io::Error::other(e.to_string())))?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path =
        chosen.into_path().map_err(|e| liaison_core::Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_offers_the_list_and_the_date() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        let partners = List::Partners(PartnerQuery::default());
        assert_eq!(
            default_file_name(&partners, ExportFormat::Xlsx, UiLang::En, day),
            "partners-2026-12-05.xlsx"
        );
        assert_eq!(
            default_file_name(&partners, ExportFormat::ExcelCsv, UiLang::Fr, day),
            "partenaires-2026-12-05.csv"
        );
        let contacts = List::Contacts(ContactQuery::default());
        assert_eq!(
            default_file_name(&contacts, ExportFormat::Vcard, UiLang::En, day),
            "contacts-2026-12-05.vcf"
        );
    }

    #[test]
    fn a_list_arrives_as_its_screen_sends_it() {
        let list: ExportList = serde_json::from_value(serde_json::json!({
            "kind": "exchanges",
            "query": {"search": "Tongji", "descending": true, "offset": 0, "limit": 0, "counted": true}
        }))
        .expect("an exchanges query");
        let List::Exchanges(q) = List::from(list) else { panic!("not exchanges") };
        assert_eq!(q.search.as_deref(), Some("Tongji"));
        assert_eq!(q.counted, Some(true));
        let format: ExportFormat = serde_json::from_value(serde_json::json!("excel_csv")).expect("format");
        assert_eq!(format.extension(), "csv");
    }
}
