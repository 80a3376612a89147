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
    #[error("migration failed: {0}")]
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
}

fn invalid_summary(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")
}

impl Error {
    /// The stable classification the UI and scripts branch on.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::NotInitialised => "not_initialised",
            Error::Conflict(_) => "conflict",
            Error::Database(_) | Error::Migration(_) | Error::Corrupt(_) => "database",
            Error::Io(_) => "io",
            Error::Json(_) => "json",
            Error::Cancelled => "cancelled",
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
