//! `liaison export KIND --out FILE`: a list, with the same filters as `liaison KIND list`, written to CSV,
//! XLSX, JSON or vCard as a job (a progress bar, Ctrl-C cancels and leaves no file).
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use liaison_core::columns::RecordKind;
use liaison_core::export::csv::CsvOptions;
use liaison_core::export::list::{self, FileFormat, List};
use liaison_core::kinds::{
    AgreementKind, AgreementStatus, ApplicationStatus, CallStatus, Direction, OrgKind, PartnerStatus, Zone,
};
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
use rusqlite::Connection;
use uuid::Uuid;

use crate::output::one_of;
use crate::{Error, Result};

/// What every export takes beside the list's own filters.
#[derive(Args)]
pub(crate) struct FileArgs {
    /// The file to write (replaced whole once complete; nothing is left if the export fails or is cancelled)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// csv, xlsx, json, or vcf (vCard 4.0, contacts only); by default from the extension of --out
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// CSV as French Excel opens it: `;` between cells, a UTF-8 BOM, decimal commas, oui/non
    #[arg(long)]
    excel_csv: bool,
    /// Column headers and the names of related records in this language
    #[arg(long, default_value = "en", value_parser = one_of(&UiLang::ALL, UiLang::as_str))]
    lang: UiLang,
    /// Only records matching this text (any script, accents ignored), as `list --search`
    #[arg(long)]
    search: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Csv,
    Xlsx,
    Json,
    Vcf,
}

/// The kinds of list, each with the filters of its `list` command.
#[derive(Subcommand)]
pub(crate) enum ExportCommand {
    /// Partners, sorted by name
    Partners {
        #[command(flatten)]
        file: FileArgs,
        /// Only partners of this zone
        #[arg(long, value_parser = one_of(Zone::ALL, Zone::as_str))]
        zone: Option<Zone>,
        /// ISO 3166-1 code, such as CN
        #[arg(long)]
        country: Option<String>,
        /// Only this kind of organisation
        #[arg(long, value_parser = one_of(OrgKind::ALL, OrgKind::as_str))]
        kind: Option<OrgKind>,
        /// Only partners with this status
        #[arg(long, value_parser = one_of(PartnerStatus::ALL, PartnerStatus::as_str))]
        status: Option<PartnerStatus>,
    },
    /// Contacts (to vCard too)
    Contacts {
        #[command(flatten)]
        file: FileArgs,
        /// Only people affiliated with this partner (its id)
        #[arg(long, value_parser = crate::record_id::parse)]
        partner: Option<Uuid>,
    },
    /// Agreements
    Agreements {
        #[command(flatten)]
        file: FileArgs,
        /// Only this kind of agreement
        #[arg(long, value_parser = one_of(AgreementKind::ALL, AgreementKind::as_str))]
        kind: Option<AgreementKind>,
        /// Status as it stands today
        #[arg(long, value_parser = one_of(AgreementStatus::ALL, AgreementStatus::as_str))]
        status: Option<AgreementStatus>,
        /// Agreements this partner (its id) is a party to
        #[arg(long, value_parser = crate::record_id::parse)]
        partner: Option<Uuid>,
    },
    /// Exchanges, latest academic year first
    Exchanges {
        #[command(flatten)]
        file: FileArgs,
        /// Only exchanges in this direction
        #[arg(long, value_parser = one_of(Direction::ALL, Direction::as_str))]
        direction: Option<Direction>,
        /// Academic year it starts in (2025 for 2025/2026)
        #[arg(long)]
        year: Option<i64>,
        /// Exchanges counted against this agreement (its id)
        #[arg(long, value_parser = crate::record_id::parse)]
        agreement: Option<Uuid>,
        /// Exchanges of this cohort ("Tongji urban planning 2026")
        #[arg(long)]
        cohort: Option<String>,
        /// Leave out cancelled and withdrawn exchanges (those the dashboard does not count)
        #[arg(long)]
        counted: bool,
    },
    /// Projects
    Projects {
        #[command(flatten)]
        file: FileArgs,
    },
    /// Events
    Events {
        #[command(flatten)]
        file: FileArgs,
    },
    /// Calls for projects
    Calls {
        #[command(flatten)]
        file: FileArgs,
        /// Only calls with this status
        #[arg(long, value_parser = one_of(CallStatus::ALL, CallStatus::as_str))]
        status: Option<CallStatus>,
    },
    /// Applications to calls
    Applications {
        #[command(flatten)]
        file: FileArgs,
        /// Only the applications to this call (its id)
        #[arg(long, value_parser = crate::record_id::parse)]
        call: Option<Uuid>,
        /// Only applications with this status
        #[arg(long, value_parser = one_of(ApplicationStatus::ALL, ApplicationStatus::as_str))]
        status: Option<ApplicationStatus>,
    },
}

impl ExportCommand {
    /// The list to write, as its list page queries it, and where to.
    fn list(self) -> (List, FileArgs) {
        match self {
            ExportCommand::Partners { file, zone, country, kind, status } => {
                let query = PartnerQuery {
                    search: file.search.clone(),
                    zone,
                    country,
                    kind,
                    status,
                    // Sorted by the names the reader reads, as the list shows them.
                    lang: Some(file.lang),
                    ..PartnerQuery::default()
                };
                (List::Partners(query), file)
            }
            ExportCommand::Contacts { file, partner } => {
                let query =
                    ContactQuery { search: file.search.clone(), partner_id: partner, ..Default::default() };
                (List::Contacts(query), file)
            }
            ExportCommand::Agreements { file, kind, status, partner } => {
                let query = AgreementQuery {
                    search: file.search.clone(),
                    kind,
                    status,
                    partner_id: partner,
                    ..Default::default()
                };
                (List::Agreements(query), file)
            }
            ExportCommand::Exchanges { file, direction, year, agreement, cohort, counted } => {
                let query = ExchangeQuery {
                    search: file.search.clone(),
                    direction,
                    academic_year: year,
                    agreement_id: agreement,
                    cohort,
                    counted: counted.then_some(true),
                    ..Default::default()
                };
                (List::Exchanges(query), file)
            }
            ExportCommand::Projects { file } => {
                (List::Projects(ProjectQuery { search: file.search.clone(), ..Default::default() }), file)
            }
            ExportCommand::Events { file } => {
                (List::Events(EventQuery { search: file.search.clone(), ..Default::default() }), file)
            }
            ExportCommand::Calls { file, status } => {
                (List::Calls(CallQuery { search: file.search.clone(), status, ..Default::default() }), file)
            }
            ExportCommand::Applications { file, call, status } => {
                let query = ApplicationQuery {
                    search: file.search.clone(),
                    call_id: call,
                    status,
                    ..Default::default()
                };
                (List::Applications(query), file)
            }
        }
    }
}

pub(crate) fn export(conn: &Connection, cmd: ExportCommand, out: &mut impl Write) -> Result<()> {
    let (list, file) = cmd.list();
    let format = match file.format.or_else(|| format_of(&file.out)) {
        Some(format) => format,
        None => {
            return Err(Error::Usage(format!(
                "say which format to write {} in: --format csv, xlsx, json or vcf",
                file.out.display()
            )))
        }
    };
    if file.excel_csv && format != Format::Csv {
        return Err(Error::Usage("--excel-csv is for CSV files (--format csv)".into()));
    }
    if format == Format::Vcf && list.kind() != RecordKind::Contact {
        return Err(Error::Usage("vCard files hold contacts: `liaison export contacts --format vcf`".into()));
    }
    let format = match format {
        Format::Csv if file.excel_csv => FileFormat::Csv(CsvOptions::excel_french()),
        Format::Csv => FileFormat::Csv(CsvOptions::default()),
        Format::Xlsx => FileFormat::Xlsx,
        Format::Json => FileFormat::Json,
        Format::Vcf => FileFormat::Vcard,
    };
    let today = SystemClock.now().date_naive();
    let job = crate::progress::job();
    let counts = list::export(conn, std::slice::from_ref(&list), format, file.lang, today, &file.out, &job)?;
    let noun = list::sheet_name(list.kind(), UiLang::En).to_lowercase();
    writeln!(out, "Wrote {} {noun} to {}", counts.iter().sum::<u64>(), file.out.display())?;
    Ok(())
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "csv" | "txt" => Format::Csv,
        "xlsx" => Format::Xlsx,
        "json" => Format::Json,
        "vcf" | "vcard" => Format::Vcf,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every filter of `liaison KIND list` is a filter of `liaison export KIND`, so a list exports as seen.
    #[test]
    fn export_takes_the_filters_of_each_list() {
        let cli = crate::Cli::command();
        let export = cli.find_subcommand("export").expect("export");
        for kind in
            ["partners", "contacts", "agreements", "exchanges", "projects", "events", "calls", "applications"]
        {
            let list = cli
                .find_subcommand(kind)
                .and_then(|k| k.find_subcommand("list"))
                .unwrap_or_else(|| panic!("{kind} list"));
            let exported = export.find_subcommand(kind).unwrap_or_else(|| panic!("export {kind}"));
            for arg in list.get_arguments() {
                let name = arg.get_id().as_str();
                if matches!(name, "json" | "limit" | "offset" | "all" | "help") {
                    continue;
                }
                assert!(
                    exported.get_arguments().any(|a| a.get_id() == arg.get_id()),
                    "`liaison {kind} list --{name}` is missing from `liaison export {kind}`"
                );
            }
        }
    }
}
