//! The records the office keeps, one module each: their input types, validation, writes through the op log,
//! reads and list queries. A record module never imports another record module's writes or refreshes:
//! derived rows are refreshed by `derive`, once per transaction.

pub mod agreement;
pub mod application;
pub mod call;
pub mod contact;
pub mod document;
pub mod event;
pub mod exchange;
pub mod partner;
pub mod project;

/// A whole list as one statement, in the order its pages show it: the SQL (the record's id in its first
/// column), its arguments, and the list's total as its page counts it. A page of the list is this statement
/// with `LIMIT ? OFFSET ?`; an export steps through it once, so a list of N rows costs N rows, not N²/page.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub sql: String,
    pub args: Vec<rusqlite::types::Value>,
    pub total: u32,
}

impl Listing {
    /// The statement of one page: `limit` rows (100 when 0, at most 500) from `offset`.
    pub(crate) fn page(&self, limit: u32, offset: u32) -> (String, Vec<rusqlite::types::Value>) {
        let limit = if limit == 0 { 100 } else { limit.min(500) };
        let mut args = self.args.clone();
        args.push(rusqlite::types::Value::Integer(limit.into()));
        args.push(rusqlite::types::Value::Integer(offset.into()));
        (format!("{} LIMIT ? OFFSET ?", self.sql), args)
    }
}
