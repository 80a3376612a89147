//! Any bytes as a sync file, and any bytes as the payload of a correctly signed file: opening and reading
//! every frame must end in frames or a plain refusal, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use liaison_core::sync::bundle::{self, Encryption, Header, Kind};

fn read_all(bytes: &[u8]) {
    let Ok(mut opened) = bundle::open(std::io::Cursor::new(bytes)) else { return };
    let Ok(mut frames) = opened.frames(bundle::Unlock::default()) else { return };
    while let Ok(Some(_)) = frames.next_frame() {}
}

fuzz_target!(|data: &[u8]| {
    read_all(data);
    let header = Header {
        bundle: Default::default(),
        workspace: Default::default(),
        kind: Kind::Ops,
        sender: Default::default(),
        sender_key: [0; 32],
        sender_name: "fuzz".into(),
        peer: None,
        peer_name: None,
        app_version: "0".into(),
        schema_version: 0,
        created_ms: 0,
        vector: vec![],
        ops: 0,
        documents: 0,
        encryption: Encryption::None,
        plain_bytes: 0,
        payload_bytes: 0,
        payload_sha256: [0; 32],
    };
    if let Ok(file) = bundle::seal_raw(header, &[7; 32], data) {
        read_all(&file);
    }
});
