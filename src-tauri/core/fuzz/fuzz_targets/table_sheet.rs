//! Any bytes as a workbook (XLSX, ODS, XLS, chosen by the first byte or detected): the zip pre-scan,
//! calamine and the row reader must end in rows or a plain refusal, never a panic, a hang or memory
//! beyond the limits. Seed it with tests/files/good/*.xlsx, .ods, .xls.
#![no_main]

use liaison_core::table::{self, Format, Limits, Options};
use libfuzzer_sys::fuzz_target;

/// calamine panics on some damaged files (an XLS's shared strings cut short, found here). The reader runs
/// calamine on a thread of its own and turns such a panic into an error naming the file (tested with the
/// finding in tests/files/hostile/fuzz_*); so a panic inside calamine on that thread is let unwind, and
/// any other panic still aborts the run as libFuzzer's hook does.
fn contain_calamine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let on_sheet_thread = std::thread::current().name() == Some("table-sheet");
            let in_calamine = info.location().is_some_and(|l| l.file().contains("/calamine-"));
            if !(on_sheet_thread && in_calamine) {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    contain_calamine_panics();
    let Some((&choice, bytes)) = data.split_first() else { return };
    let format = match choice % 4 {
        1 => Some(Format::Xlsx),
        2 => Some(Format::Ods),
        3 => Some(Format::Xls),
        _ => None,
    };
    let options = Options { format, ..Options::default() };
    let limits = Limits {
        rows: 10_000,
        columns: 64,
        cell_bytes: 4096,
        inflated_bytes: 64 * 1024 * 1024,
        cells: 1_000_000,
        ..Limits::default()
    };
    let Ok(table) = table::open_bytes("fuzz.xlsx", bytes.to_vec(), &options, &limits) else { return };
    let headers = table.headers.len();
    for row in table {
        match row {
            Ok(row) => assert_eq!(row.cells.len(), headers),
            Err(e) => {
                assert_eq!(e.kind(), "file");
                break;
            }
        }
    }
});
