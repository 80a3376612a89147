//! The shell's error, and its form across IPC: `{kind, message, fields}`, `kind` stable for the UI.

use liaison_core::FieldError;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Core(#[from] liaison_core::Error),
    /// No read connection could be had from the pool (the database file became unreadable).
    #[error("cannot read the database: {0}")]
    Pool(String),
    /// A report could not be written as PDF.
    #[error(transparent)]
    Pdf(#[from] liaison_pdf::Error),
}

/// An error as the UI receives it: a stable `kind` to branch on, a message, and the invalid fields.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub kind: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_ipc().serialize(serializer)
    }
}

impl Error {
    /// The error as the UI receives it.
    pub fn to_ipc(&self) -> IpcError {
        match self {
            Error::Core(e) | Error::Pdf(liaison_pdf::Error::Core(e)) => {
                IpcError { kind: e.kind().into(), message: e.to_string(), fields: e.fields().to_vec() }
            }
            Error::Pool(_) => {
                IpcError { kind: "database".into(), message: self.to_string(), fields: Vec::new() }
            }
            Error::Pdf(e @ liaison_pdf::Error::NoFont(_)) => {
                IpcError { kind: "no_font".into(), message: e.to_string(), fields: Vec::new() }
            }
            Error::Pdf(e) => IpcError { kind: "pdf".into(), message: e.to_string(), fields: Vec::new() },
        }
    }

    /// Whether the user cancelled the work that failed.
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            Error::Core(liaison_core::Error::Cancelled)
                | Error::Pdf(liaison_pdf::Error::Core(liaison_core::Error::Cancelled))
        )
    }
}

pub type Result<T> = std::result::Result<T, Error>;
