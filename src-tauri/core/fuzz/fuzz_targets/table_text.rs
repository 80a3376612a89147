//! Any bytes as a CSV or text file, read with the encoding and delimiter detected or given (the first
//! byte picks): opening and reading every row must end in rows or a plain refusal, never a panic, a hang
//! or memory beyond the limits.
#![no_main]

use liaison_core::table::{self, Format, Limits, Options};
use libfuzzer_sys::fuzz_target;

const ENCODINGS: [&str; 8] =
    ["utf-8", "utf-16le", "utf-16be", "windows-1252", "gb18030", "shift_jis", "big5", "gbk"];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else { return };
    let options = Options {
        format: Some(Format::Csv),
        sheet: None,
        encoding: (choice & 0x10 != 0).then(|| ENCODINGS[usize::from(choice & 0x07)].to_owned()),
        delimiter: match choice >> 6 {
            1 => Some(b','),
            2 => Some(b';'),
            3 => Some(b'\t'),
            _ => None,
        },
    };
    let limits = Limits { rows: 10_000, columns: 64, cell_bytes: 4096, ..Limits::default() };
    let Ok(table) = table::open_bytes("fuzz.csv", bytes.to_vec(), &options, &limits) else { return };
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
