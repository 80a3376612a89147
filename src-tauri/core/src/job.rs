//! Long work (a scale demo, an import, a sync, a report): a [`Job`] hears the work's progress (done of
//! total, the step in words) and tells it when the user has cancelled. The work checks it between rows and
//! returns [`Error::Cancelled`], so its transaction rolls back and the database stays as it was. The same
//! job serves the CLI (a progress bar on stderr) and the app (a progress bar with Cancel).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::Tx;

/// How far a job has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    #[ts(type = "number")]
    pub done: u64,
    /// 0 while unknown.
    #[ts(type = "number")]
    pub total: u64,
    /// What it is doing, in English ("Exchanges"), for the CLI; the app words `step` itself.
    pub step: String,
}

/// Progress is reported at most this often (and always at a step's end), so a job of a million rows does not
/// flood the UI.
const REPORT_EVERY: Duration = Duration::from_millis(100);

type Listener = Box<dyn Fn(&Progress) + Send + Sync>;

struct Shared {
    cancelled: AtomicBool,
    listener: Listener,
    last: Mutex<Option<Instant>>,
}

/// A handle on one long job, cloned between the work and whoever may cancel it.
#[derive(Clone)]
pub struct Job {
    shared: Arc<Shared>,
}

impl Job {
    /// A job whose progress goes to `listener`.
    pub fn new(listener: impl Fn(&Progress) + Send + Sync + 'static) -> Job {
        Job {
            shared: Arc::new(Shared {
                cancelled: AtomicBool::new(false),
                listener: Box::new(listener),
                last: Mutex::new(None),
            }),
        }
    }

    /// A job nobody watches (tests, scripts).
    pub fn silent() -> Job {
        Job::new(|_| {})
    }

    /// Asks the work to stop at its next check.
    pub fn cancel(&self) {
        self.shared.cancelled.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.shared.cancelled.load(Ordering::SeqCst)
    }

    /// `Err(Cancelled)` once the job has been cancelled: the work returns it and its transaction rolls back.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Reports progress (throttled; always when `done == total`) and checks for cancellation.
    pub fn step(&self, step: &str, done: u64, total: u64) -> Result<()> {
        self.check()?;
        let now = Instant::now();
        let due = {
            let mut last = self.shared.last.lock().unwrap_or_else(PoisonError::into_inner);
            let due = done >= total || last.is_none_or(|at| now.duration_since(at) >= REPORT_EVERY);
            if due {
                *last = Some(now);
            }
            due
        };
        if due {
            (self.shared.listener)(&Progress { done, total, step: step.to_owned() });
        }
        Ok(())
    }
}

/// How a long write commits: once at its end, so that a cancel or a failure leaves the database exactly as
/// it was (imports, syncs, the app's jobs); or after each bounded step, so that hours of work are not lost
/// to an interruption and other writers get their turn between steps (`liaison demo --scale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    Once,
    EachStep,
}

/// The steps of a long write, each run in the job's one transaction or in its own (see [`Commit`]).
pub enum Steps<'a, 'c> {
    /// Each step in its own transaction, on this connection.
    Each(&'a mut Connection),
    /// Every step in this one transaction.
    Within(&'a Tx<'c>),
}

impl<'a, 'c> Steps<'a, 'c> {
    /// The steps of a write that is part of a larger transaction (`tx`), committed with it.
    pub fn within(tx: &'a Tx<'c>) -> Steps<'a, 'c> {
        Steps::Within(tx)
    }

    /// Runs one step: in its own transaction, committed at its end, or in the job's.
    pub fn run<T>(&mut self, step: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        match self {
            Steps::Each(conn) => crate::write(conn, step),
            Steps::Within(tx) => step(tx),
        }
    }
}

/// Runs a long write made of steps, committed as `commit` says.
pub fn in_steps<T>(
    conn: &mut Connection,
    commit: Commit,
    body: impl FnOnce(&mut Steps<'_, '_>) -> Result<T>,
) -> Result<T> {
    match commit {
        Commit::EachStep => body(&mut Steps::Each(conn)),
        Commit::Once => crate::write(conn, |tx| body(&mut Steps::Within(tx))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_job_fails_its_next_check_and_step() {
        let job = Job::silent();
        assert!(job.step("Rows", 1, 10).is_ok());
        job.clone().cancel();
        assert!(matches!(job.check(), Err(Error::Cancelled)), "the clone shares the cancellation");
        assert!(matches!(job.step("Rows", 2, 10), Err(Error::Cancelled)));
    }

    #[test]
    fn progress_is_throttled_but_the_end_of_a_step_is_always_heard() {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let sink = heard.clone();
        let job = Job::new(move |p| sink.lock().expect("lock").push(p.done));
        for done in 1..=1000 {
            job.step("Rows", done, 1000).expect("not cancelled");
        }
        let heard = heard.lock().expect("lock");
        assert_eq!(heard.first(), Some(&1), "the first report is heard at once");
        assert_eq!(heard.last(), Some(&1000), "the end of a step is always heard");
        assert!(heard.len() < 50, "a tight loop is not reported row by row ({} reports)", heard.len());
    }
}
