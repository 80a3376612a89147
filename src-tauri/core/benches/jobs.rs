//! A list's first page while a long write job runs on another connection (as the app's job does on its
//! writer while its readers serve the lists), beside the same page with no job, at 100,000 exchanges.
//! Run: `cargo bench -p liaison-core --bench jobs` (`LIAISON_BENCH_JOB_EXCHANGES=N` for another size).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use divan::Bencher;
use liaison_core::job::{Commit, Job};
use liaison_core::records::exchange::{self, ExchangeQuery};
use liaison_core::records::partner::{self, PartnerQuery};
use liaison_core::{demo, store, ManualClock};
use rusqlite::Connection;

/// The CLI's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/generated.rs"]
mod generated;

fn main() {
    divan::main();
}

static PATH: LazyLock<PathBuf> = LazyLock::new(|| {
    let n: usize =
        std::env::var("LIAISON_BENCH_JOB_EXCHANGES").ok().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    generated::workspace("jobs", n)
});

/// A read connection as the app's pool opens one.
fn reader() -> Connection {
    let mut conn = Connection::open(&*PATH).expect("open");
    store::prepare_reader(&mut conn).expect("reader");
    conn
}

/// A long write in one transaction on its own connection (a million more generated exchanges: far more than
/// the bench lets it write), cancelled and rolled back when dropped.
struct LongWrite {
    job: Job,
    written: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl LongWrite {
    fn start() -> LongWrite {
        let written = Arc::new(AtomicU64::new(0));
        let seen = written.clone();
        let job = Job::new(move |p| seen.store(p.done, Ordering::Relaxed));
        let work = job.clone();
        let path = PATH.clone();
        let thread = std::thread::spawn(move || {
            let mut conn = liaison_core::open(&path).expect("writer");
            let result = demo::scale(&mut conn, &ManualClock::new(), 1_000_000, Commit::Once, &work);
            assert!(
                matches!(result, Err(liaison_core::Error::Cancelled)),
                "the bench outlived the job: {result:?}"
            );
        });
        // Until it is well under way (its partners and agreements written, exchanges going).
        let started = Instant::now();
        while written.load(Ordering::Relaxed) < 15_000 {
            assert!(started.elapsed() < Duration::from_secs(300), "the long write never got going");
            std::thread::sleep(Duration::from_millis(20));
        }
        LongWrite { job, written, thread: Some(thread) }
    }
}

impl Drop for LongWrite {
    fn drop(&mut self) {
        eprintln!(
            "(the long write had written {} records when cancelled)",
            self.written.load(Ordering::Relaxed)
        );
        self.job.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn first_page() -> ExchangeQuery {
    ExchangeQuery { limit: 100, ..Default::default() }
}

#[divan::bench(sample_count = 200)]
fn exchanges_first_page_alone(bencher: Bencher) {
    let conn = reader();
    bencher.bench_local(|| exchange::list(&conn, &first_page()).expect("page"));
}

#[divan::bench(sample_count = 200)]
fn exchanges_first_page_beside_a_long_write(bencher: Bencher) {
    let conn = reader();
    let _write = LongWrite::start();
    bencher.bench_local(|| exchange::list(&conn, &first_page()).expect("page"));
}

#[divan::bench(sample_count = 200)]
fn partners_first_page_alone(bencher: Bencher) {
    let conn = reader();
    bencher.bench_local(|| {
        partner::list(&conn, &PartnerQuery { limit: 100, ..Default::default() }).expect("page")
    });
}

#[divan::bench(sample_count = 200)]
fn partners_first_page_beside_a_long_write(bencher: Bencher) {
    let conn = reader();
    let _write = LongWrite::start();
    bencher.bench_local(|| {
        partner::list(&conn, &PartnerQuery { limit: 100, ..Default::default() }).expect("page")
    });
}
