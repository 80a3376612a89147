//! Integration tests of the core and the CLI, compiled as one binary.

mod agreements;
mod bulk;
mod calls;
mod cli;
mod contacts;
mod damage;
mod dashboard;
mod documents;
mod exchanges;
mod filters;
mod input;
mod jobs;
mod layout;
mod lists;
mod oplog;
mod partners;
mod projects;
mod reminders;
mod search;
mod storage;
mod sync;
mod sync_cli;
mod sync_hostile;
mod sync_props;
mod ui_fixtures;
mod versions;
