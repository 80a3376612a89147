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
