//! The CLI's face of long work: a progress bar on stderr (silent when stderr is not a terminal) and Ctrl-C,
//! which cancels the job instead of killing the process, so the job rolls back what it had not committed;
//! and, behind another process's long write, waiting in line with a word instead of failing.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use liaison_core::job::Job;

/// A job whose progress draws a bar on stderr and which the first Ctrl-C cancels (a second one, if the job
/// does not stop, ends the process as usual).
pub(crate) fn job() -> Job {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>14} [{bar:40}] {pos}/{len} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let shown = bar.clone();
    let job = Job::new(move |p| {
        shown.set_length(p.total);
        shown.set_position(p.done);
        shown.set_message(p.step.clone());
        if p.done >= p.total {
            shown.finish_and_clear();
        }
    });
    let cancel = job.clone();
    // Without a handler (another one already installed), Ctrl-C ends the process: SQLite still rolls the
    // unfinished transaction back, only the message is lost.
    let _ = ctrlc::set_handler(move || {
        if cancel.is_cancelled() {
            std::process::exit(130);
        }
        cancel.cancel();
        bar.abandon_with_message("cancelling…");
    });
    job
}

/// How long the CLI waits in line for another process's write (the app's, or another `liaison`) before it
/// gives up with "database is locked".
const WAIT_AT_MOST: Duration = Duration::from_secs(600);
const WAIT_STEP: Duration = Duration::from_millis(50);

/// SQLite's busy handler for the CLI: waits in line while another process writes, and says so once after a
/// second, so a command behind a long job neither fails nor hangs in silence.
pub(crate) fn wait_in_line(attempt: i32) -> bool {
    let waited = WAIT_STEP * u32::try_from(attempt).unwrap_or(0);
    if waited == Duration::from_secs(1) {
        eprintln!("waiting for another Liaison process (the app?) to finish writing…");
    }
    std::thread::sleep(WAIT_STEP);
    waited < WAIT_AT_MOST
}
