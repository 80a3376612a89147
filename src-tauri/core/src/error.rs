//! The core's one error type: every failure a caller can meet, classified by a stable `kind`.

use serde::Serialize;
use ts_rs::TS;

/// One invalid field of an input, named by its path in the input (`names[0].value`, `country`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub field: String,
    /// Stable code the UI translates (`required`, `country`, `cycle`…).
    pub code: String,
    /// The same error in English, for the CLI and logs.
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", invalid_summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: String },
    #[error("the database is not initialised: run `liaison init --name NAME` first")]
    NotInitialised,
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// The file fails SQLite's check: refused before anything is written to it.
    #[error(
        "the database {path} is damaged ({}): nothing was written to it. Keep a copy of the file, then \
         recover what it holds with `sqlite3 {path} .recover | sqlite3 recovered.sqlite3` and use that file \
         (--db or LIAISON_DB), or bring back a backup, or set up a new database from another laptop's \
         snapshot (`liaison init --from`)",
        crate::validate::quote(detail)
    )]
    Damaged { path: String, detail: String },
    #[error("the database could not be brought up to date: {}", migration_summary(.0))]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The user cancelled a long job; its transaction was rolled back.
    #[error("cancelled: nothing was written")]
    Cancelled,
    /// A stored op that cannot be decoded: the database was damaged or written by a newer version.
    #[error("unreadable op in the log: {0}")]
    Corrupt(String),
    /// A sync file refused, in one sentence a user understands; nothing was written.
    #[error("{0}")]
    Bundle(String),
    /// A file from outside (CSV, spreadsheet, JSON to import) refused or unreadable, said in words with
    /// where: the file's name, and the row (as a spreadsheet numbers it) and column when there is one.
    #[error("{}", file_summary(file, *row, column.as_deref(), message))]
    File { file: String, row: Option<usize>, column: Option<String>, message: String },
}

fn file_summary(file: &str, row: Option<usize>, column: Option<&str>, message: &str) -> String {
    match (row, column) {
        (Some(row), Some(column)) => format!("{file}, row {row}, column {column}: {message}"),
        (Some(row), None) => format!("{file}, row {row}: {message}"),
        (None, Some(column)) => format!("{file}, column {column}: {message}"),
        (None, None) => format!("{file}: {message}"),
    }
}

fn invalid_summary(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
}

/// A failed migration in one line: SQLite's own words, not the whole step's SQL.
fn migration_summary(e: &rusqlite_migration::Error) -> String {
    match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => err.to_string(),
        other => other.to_string().lines().next().unwrap_or_default().to_owned(),
    }
}

impl Error {
    /// The stable classification the UI and scripts branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::NotInitialised => "not_initialised",
            Error::Conflict(_) => "conflict",
            Error::Database(_) | Error::Migration(_) | Error::Corrupt(_) | Error::Damaged { .. } => {
                "database"
            }
            Error::Io(_) => "io",
            Error::Json(_) => "json",
            Error::Cancelled => "cancelled",
            Error::Bundle(_) => "bundle",
            Error::File { .. } => "file",
        }
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Invalid(fields) => fields,
            _ => &[],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_migration_says_what_sqlite_said_in_one_line() {
        let err: Error = rusqlite_migration::Error::RusqliteError {
            query: "CREATE TABLE replica_state (\n  singleton INTEGER\n);\n-- and 160 more lines".into(),
            err: rusqlite::Error::InvalidQuery,
        }
        .into();
        let text = err.to_string();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(!text.contains("CREATE TABLE"), "the step's SQL is left out: {text}");
    }
}
