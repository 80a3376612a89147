//! Integration tests of the core and the CLI, compiled as one binary.

mod cli;
mod contacts;
mod oplog;
mod partners;
mod search;
mod storage;
