//! JSON files: an array of records in the CLI's own shape (what `liaison KIND show --json` prints for each),
//! one record per line, streamed: a million records never sit in memory together.

use std::io::Write;

use serde::Serialize;

use super::Counter;
use crate::error::Result;
use crate::job::Job;

/// Writes `records` as one JSON array; returns how many were written. `step` names them for progress.
pub fn write<T: Serialize>(
    out: impl Write,
    records: impl Iterator<Item = Result<T>>,
    step: &str,
    expected: u64,
    job: &Job,
) -> Result<u64> {
    let mut out = out;
    let mut counter = Counter::new(job, step, expected)?;
    out.write_all(b"[")?;
    for record in records {
        let record = record?;
        out.write_all(if counter.done == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut out, &record)?;
        counter.row()?;
    }
    out.write_all(if counter.done == 0 { b"]\n" } else { b"\n]\n" })?;
    out.flush()?;
    counter.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    #[test]
    fn records_make_one_array_that_reads_back_the_same() {
        let records =
            vec![json!({"name": "复旦大学", "places": 3}), json!({"name": "=1+2\n\"x\"", "places": null})];
        let mut out = Vec::new();
        let n = write(&mut out, records.clone().into_iter().map(Ok), "Partners", 2, &Job::silent())
            .expect("written");
        assert_eq!(n, 2);
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text.lines().count(), 4, "one record per line: {text}");
        let read: Vec<Value> = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(read, records);
    }

    #[test]
    fn no_records_make_an_empty_array() {
        let mut out = Vec::new();
        write(&mut out, std::iter::empty::<Result<Value>>(), "Partners", 0, &Job::silent()).expect("written");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "[]\n");
    }
}
