//! The kinds of record a file can bring in, and for each its reading and writing as the JSON input the CLI
//! takes (`liaison partners add --json`): so the import validates a row exactly as a form or the CLI would.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::records::{agreement, application, call, contact, event, exchange, partner, project};
use crate::store::Tx;

/// A kind of record a file holds, one per file (or sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export, rename = "ImportKind")]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Partner,
    Contact,
    Agreement,
    Exchange,
    Project,
    Event,
    Call,
    Application,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Partner,
        Kind::Contact,
        Kind::Agreement,
        Kind::Exchange,
        Kind::Project,
        Kind::Event,
        Kind::Call,
        Kind::Application,
    ];

    /// The record's table, as the op log and the search index name it.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Partner => "partner",
            Kind::Contact => "contact",
            Kind::Agreement => "agreement",
            Kind::Exchange => "exchange",
            Kind::Project => "project",
            Kind::Event => "event",
            Kind::Call => "call",
            Kind::Application => "application",
        }
    }

    /// Singular or plural (`partners`), as the CLI's nouns and a user write it.
    pub fn parse(word: &str) -> Option<Kind> {
        let word = word.trim().to_ascii_lowercase();
        let word = word.strip_suffix('s').unwrap_or(&word);
        Kind::ALL.into_iter().find(|k| k.table() == word)
    }

    /// The same kind in the column catalogue's words.
    pub fn columns(self) -> crate::columns::RecordKind {
        use crate::columns::RecordKind as R;
        match self {
            Kind::Partner => R::Partner,
            Kind::Contact => R::Contact,
            Kind::Agreement => R::Agreement,
            Kind::Exchange => R::Exchange,
            Kind::Project => R::Project,
            Kind::Event => R::Event,
            Kind::Call => R::Call,
            Kind::Application => R::Application,
        }
    }

    /// The kind the column catalogue names.
    pub fn of(kind: crate::columns::RecordKind) -> Kind {
        use crate::columns::RecordKind as R;
        match kind {
            R::Partner => Kind::Partner,
            R::Contact => Kind::Contact,
            R::Agreement => Kind::Agreement,
            R::Exchange => Kind::Exchange,
            R::Project => Kind::Project,
            R::Event => Kind::Event,
            R::Call => Kind::Call,
            R::Application => Kind::Application,
        }
    }

    /// A live record's input as JSON (with the ids of its list elements), `None` if there is no live one.
    pub fn read(self, conn: &rusqlite::Connection, id: Uuid, today: NaiveDate) -> Result<Option<Value>> {
        if !crate::store::live(conn, self.table(), id)? {
            return Ok(None);
        }
        let input = match self {
            Kind::Partner => serde_json::to_value(partner::input(conn, id)?),
            Kind::Contact => serde_json::to_value(contact::get(conn, id)?.input),
            Kind::Agreement => serde_json::to_value(agreement::get(conn, id, today)?.input),
            Kind::Exchange => serde_json::to_value(exchange::get(conn, id)?.input),
            Kind::Project => serde_json::to_value(project::get(conn, id)?.input),
            Kind::Event => serde_json::to_value(event::get(conn, id)?.input),
            Kind::Call => serde_json::to_value(call::get(conn, id)?.input),
            Kind::Application => serde_json::to_value(application::get(conn, id)?.input),
        }?;
        Ok(Some(input))
    }

    /// Validates `input` by the record's own rules and creates the record (`id` none) or replaces its
    /// fields; returns its id. Derived rows are left to the transaction's settle.
    pub fn write(self, tx: &Tx, clock: &dyn Clock, id: Option<Uuid>, input: &Value) -> Result<Uuid> {
        let json = input.to_string();
        macro_rules! write {
            ($module:ident) => {{
                let input = $module::input_from_json(&json)?;
                match id {
                    Some(id) => $module::replace(tx, clock, id, &input).map(|()| id),
                    None => $module::add(tx, clock, &input),
                }
            }};
        }
        match self {
            Kind::Partner => write!(partner),
            Kind::Contact => write!(contact),
            Kind::Agreement => write!(agreement),
            Kind::Exchange => write!(exchange),
            Kind::Project => write!(project),
            Kind::Event => write!(event),
            Kind::Call => write!(call),
            Kind::Application => write!(application),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.table())
    }
}

impl std::str::FromStr for Kind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Kind> {
        Kind::parse(s).ok_or_else(|| {
            Error::Invalid(vec![crate::error::FieldError {
                field: "entity".into(),
                code: "kind".into(),
                message: format!(
                    "{} is not a kind of record: partners, contacts, agreements, exchanges, projects, events, calls or applications",
                    crate::validate::quote(s)
                ),
            }])
        })
    }
}
