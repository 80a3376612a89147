//! Importing the files international offices exchange: each row of a table (read by [`crate::table`],
//! its columns recognised by [`crate::columns`]) becomes a record's input, is matched to the record it
//! updates (re-import updates, never duplicates), and is planned — create, update which fields, unchanged,
//! error naming row and column — then written in one transaction that a failure or a cancel rolls back
//! whole. A dry run plans the same way and writes nothing.

pub mod file;
pub mod mapping_memory;
pub mod matching;
pub mod merge;
pub mod plan;
pub mod record;
pub mod rejects;

pub use file::{file, Opened, Request};
pub use plan::{
    run, Action, Change, Missing, Named, Options, Prepared, RowError, RowPlan, Source, Sources, Summary,
};
pub use record::Kind;
