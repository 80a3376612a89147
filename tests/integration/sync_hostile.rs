//! Hostile and damaged sync files: a corpus of more than a thousand mutations of real files (bit flips
//! anywhere, truncations at every kind of offset, spliced headers) and crafted attacks (a forged relay, a
//! compression bomb, absurd counts, a too-new format, a replay, a wrong passphrase, another workspace). Each
//! is refused with one plain line, nothing panics, and the database is unchanged.

use std::path::{Path, PathBuf};

use liaison_core::job::Job;
use liaison_core::records::partner;
use liaison_core::sync::bundle::{self, Frame, Header};
use liaison_core::sync::export::{Audience, Protection};
use liaison_core::sync::{self, digest, identity, import, status};
use liaison_core::{store, write, ManualClock};
use liaison_tests::{fudan, simple};
use rusqlite::Connection;

struct Laptop {
    conn: Connection,
    clock: ManualClock,
}

fn export(l: &mut Laptop, audience: Audience, out: &Path, passphrase: Option<&str>) {
    protect(l, audience, out, passphrase.map(Protection::Passphrase));
}

fn protect(l: &mut Laptop, audience: Audience, out: &Path, protection: Option<Protection<'_>>) {
    sync::export_file(&mut l.conn, &l.clock, audience, out, protection, None, &Job::silent())
        .expect("export");
}

fn try_import(
    l: &mut Laptop,
    file: &Path,
    passphrase: Option<&str>,
) -> liaison_core::Result<import::Imported> {
    sync::import_file(&mut l.conn, &l.clock, file, passphrase, None, &Job::silent())
}

/// Lyon (head office, with the demo), Shanghai joined and approved, and Ottawa joined and approved; a good
/// file from Lyon for Shanghai (Lyon's new partners) and one relayed by Lyon holding Ottawa's ops.
struct Scene {
    dir: PathBuf,
    lyon: Laptop,
    shanghai: Laptop,
    good: PathBuf,
    relayed: PathBuf,
}

fn scene() -> Scene {
    let dir = tempfile::Builder::new().tempdir_in(shm()).expect("temp dir").keep();
    let clock = ManualClock::new();
    let mut conn = liaison_core::open(&dir.join("lyon.sqlite3")).expect("open");
    write(&mut conn, |tx| store::init(tx, "Lyon head office", &clock)).expect("init");
    write(&mut conn, |tx| liaison_core::demo::load(tx, &clock)).expect("demo");
    let mut lyon = Laptop { conn, clock };
    let snapshot = dir.join("snapshot.liaison");
    export(&mut lyon, Audience::Snapshot, &snapshot, None);
    let join = |name: &str| {
        let clock = ManualClock::new();
        clock.advance_ms(60_000);
        let mut conn = liaison_core::open(&dir.join(format!("{name}.sqlite3"))).expect("open");
        sync::join(&mut conn, &clock, &snapshot, name, None, None, &Job::silent()).expect("join");
        Laptop { conn, clock }
    };
    let mut shanghai = join("Shanghai office");
    let mut ottawa = join("Ottawa office");
    for laptop in [&mut shanghai, &mut ottawa] {
        let hello = dir.join("hello.liaison");
        export(laptop, Audience::Everyone, &hello, None);
        try_import(&mut lyon, &hello, None).expect("held");
        let print = status::status(&laptop.conn, &laptop.clock).expect("status").fingerprint;
        write(&mut lyon.conn, |tx| import::approve(tx, &lyon.clock, &print)).expect("approve");
    }
    let to_shanghai = dir.join("to-shanghai.liaison");
    export(&mut lyon, Audience::Everyone, &to_shanghai, None);
    try_import(&mut shanghai, &to_shanghai, None).expect("the approvals reach Shanghai");
    for name in ["Fudan University", "Tongji University", "East China Normal University"] {
        lyon.clock.advance_ms(1_000);
        let clock = &lyon.clock;
        write(&mut lyon.conn, |tx| partner::create(tx, clock, &simple(name, "en", "CN"))).expect("create");
    }
    let good = dir.join("good.liaison");
    export(&mut lyon, Audience::Everyone, &good, None);
    ottawa.clock.advance_ms(5_000);
    let clock = &ottawa.clock;
    write(&mut ottawa.conn, |tx| partner::create(tx, clock, &fudan())).expect("create");
    let from_ottawa = dir.join("from-ottawa.liaison");
    export(&mut ottawa, Audience::Everyone, &from_ottawa, None);
    try_import(&mut lyon, &from_ottawa, None).expect("import");
    let relayed = dir.join("relayed.liaison");
    export(&mut lyon, Audience::Everyone, &relayed, None);
    Scene { dir, lyon, shanghai, good, relayed }
}

fn shm() -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() {
        shm
    } else {
        std::env::temp_dir()
    }
}

/// A deterministic pseudo-random sequence (xorshift), so a failure names its case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Imports `bytes` as a file and checks it is refused in one line and changed nothing.
fn refused(s: &mut Scene, bytes: &[u8], what: &str, before: &str) -> String {
    let bad = s.dir.join("bad.liaison");
    std::fs::write(&bad, bytes).expect("write");
    let err = match try_import(&mut s.shanghai, &bad, None) {
        Ok(report) => panic!("{what}: accepted: {report:?}"),
        Err(e) => e,
    };
    let text = err.to_string();
    assert_eq!(err.kind(), "bundle", "{what}: {text}");
    assert_eq!(text.lines().count(), 1, "{what}: one line: {text}");
    assert!(!text.contains("postcard") && !text.contains("Error {"), "{what}: no library jargon: {text}");
    assert_eq!(digest::digest(&s.shanghai.conn).expect("digest"), before, "{what}: the database changed");
    text
}

#[test]
fn a_thousand_damaged_files_are_refused_in_words_and_change_nothing() {
    let mut s = scene();
    let before = digest::digest(&s.shanghai.conn).expect("digest");
    let good = std::fs::read(&s.good).expect("read");
    let relayed = std::fs::read(&s.relayed).expect("read");
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut count = 0;
    for base in [&good, &relayed] {
        // Bit flips: in the fixed part, the header, the signature and all over the payload.
        for _ in 0..450 {
            let mut bytes = base.clone();
            let at = match rng.below(4) {
                0 => rng.below(16),
                1 => rng.below(400.min(bytes.len())),
                _ => rng.below(bytes.len()),
            };
            bytes[at] ^= 1 << rng.below(8);
            refused(&mut s, &bytes, &format!("bit flip at {at}"), &before);
            count += 1;
        }
        // Truncations at every kind of offset: inside the fixed part, the header, the signature, the payload.
        let mut cuts: Vec<usize> = (0..40).collect();
        cuts.extend((0..60).map(|_| rng.below(base.len())));
        cuts.push(base.len() - 1);
        for cut in cuts {
            refused(&mut s, &base[..cut], &format!("cut at {cut}"), &before);
            count += 1;
        }
    }
    // Spliced: one file's head on another's payload, and garbage after a good file.
    let head_len = 16 + u32::from_le_bytes([good[12], good[13], good[14], good[15]]) as usize + 64;
    let mut spliced = good[..head_len].to_vec();
    spliced.extend_from_slice(&relayed[head_len.min(relayed.len())..]);
    refused(&mut s, &spliced, "spliced header", &before);
    let mut longer = good.clone();
    longer.extend_from_slice(b"trailing bytes");
    refused(&mut s, &longer, "trailing bytes", &before);
    refused(&mut s, b"", "an empty file", &before);
    refused(&mut s, b"PK\x03\x04 this is a zip file", "another kind of file", &before);
    count += 4;
    assert!(count >= 1_000, "{count} files");
    let ok: Result<(), String> = (|| {
        s.shanghai
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .map_err(|e| e.to_string())?;
        Ok(())
    })();
    assert!(ok.is_ok());
    try_import(&mut s.shanghai, &s.good.clone(), None).expect("the intact file still imports");
}

/// Rewrites a good file's payload frame by frame through `change`, signed with `secret`: what a sender (or a
/// relay) holding a key could craft.
fn craft(
    source: &Path,
    out: &Path,
    secret: &[u8; 32],
    edit_header: impl FnOnce(&mut Header),
    mut change: impl FnMut(Frame) -> Vec<Frame>,
) {
    let mut opened = bundle::open(std::fs::File::open(source).expect("open")).expect("a good file");
    let mut header = opened.header.clone();
    let public = bundle::public_key(secret);
    header.sender_key = public;
    edit_header(&mut header);
    let mut frames = Vec::new();
    let mut reader = opened.frames(bundle::Unlock::default()).expect("frames");
    while let Some(frame) = reader.next_frame().expect("a frame") {
        frames.extend(change(frame));
    }
    bundle::write(out, header, secret, None, |sink| frames.iter().try_for_each(|f| sink.put(f)))
        .expect("write");
}

#[test]
fn crafted_attacks_are_refused_and_change_nothing() {
    let mut s = scene();
    let before = digest::digest(&s.shanghai.conn).expect("digest");
    let lyon = identity::me(&s.lyon.conn).expect("me");
    let out = s.dir.join("crafted.liaison");

    // A relay altering another origin's op: Lyon signs the file, but Ottawa's signature over its ops fails.
    let relayed = s.relayed.clone();
    let mut other_origin = false;
    craft(
        &relayed,
        &out,
        &lyon.secret,
        |_| {},
        |frame| match frame {
            Frame::Origin { id, key, name } => {
                other_origin = id != lyon.id;
                vec![Frame::Origin { id, key, name }]
            }
            Frame::Op(mut op)
                if other_origin && op.table == "partner" && op.patch.iter().any(|(c, _)| c == "city") =>
            {
                op.patch.retain(|(c, _)| c != "city");
                op.patch.push(("city".into(), bundle::WireValue::Text("Forged".into())));
                op.patch.sort_by(|a, b| a.0.cmp(&b.0));
                vec![Frame::Op(op)]
            }
            f => vec![f],
        },
    );
    let said = refused(&mut s, &std::fs::read(&out).expect("read"), "a forged relay", &before);
    assert!(said.contains("signature"), "{said}");

    // A relay dropping an op inside a signed range.
    let mut dropped = false;
    craft(
        &relayed,
        &out,
        &lyon.secret,
        |_| {},
        |frame| match frame {
            Frame::Op(_) if !dropped => {
                dropped = true;
                vec![]
            }
            f => vec![f],
        },
    );
    refused(&mut s, &std::fs::read(&out).expect("read"), "an op dropped by a relay", &before);

    // A stranger's key claiming to be Lyon.
    let stranger = [9u8; 32];
    craft(&s.good.clone(), &out, &stranger, |_| {}, |f| vec![f]);
    let said = refused(&mut s, &std::fs::read(&out).expect("read"), "a stranger's key", &before);
    assert!(said.contains("not signed with its key"), "{said}");

    // Absurd counts and a too-new format.
    craft(&s.good.clone(), &out, &lyon.secret, |h| h.workspace = uuid::Uuid::new_v4(), |f| vec![f]);
    let said = refused(&mut s, &std::fs::read(&out).expect("read"), "another workspace", &before);
    assert!(said.contains("another workspace"), "{said}");
    let mut bytes = std::fs::read(&s.good).expect("read");
    bytes[10] = 9;
    let said = refused(&mut s, &bytes, "a too-new format", &before);
    assert!(said.contains("newer version"), "{said}");

    // Absurd counts.
    let absurd = resign(&s.good.clone(), &lyon.secret, |h| h.ops = u64::MAX);
    let said = refused(&mut s, &absurd, "an absurd op count", &before);
    assert!(said.contains("more ops"), "{said}");
    let fewer = resign(&s.good.clone(), &lyon.secret, |h| h.ops -= 1);
    refused(&mut s, &fewer, "a wrong op count", &before);

    // Compression bombs: 64 MiB of zeros in a file of a few kilobytes, its size told (refused unread) or
    // hidden (refused when unpacking goes past what the header says).
    let zeros = vec![0u8; 64 << 20];
    let mut bomb = Some(Frame::Document { sha256: sha256(&zeros), bytes: zeros });
    craft(
        &s.good.clone(),
        &out,
        &lyon.secret,
        |_| {},
        |frame| match frame {
            Frame::End => vec![bomb.take().unwrap_or(Frame::End), Frame::End],
            f => vec![f],
        },
    );
    let told = std::fs::read(&out).expect("read");
    assert!(told.len() < 1 << 20, "the bomb is small: {} bytes", told.len());
    let said = refused(&mut s, &told, "a compression bomb", &before);
    assert!(said.contains("compression bomb"), "{said}");
    let hidden = resign(&out, &lyon.secret, |h| h.plain_bytes = 1 << 20);
    let said = refused(&mut s, &hidden, "a hidden compression bomb", &before);
    assert!(said.contains("more than its header says"), "{said}");

    // A replayed file, and a wrong passphrase.
    let good = s.good.clone();
    try_import(&mut s.shanghai, &good, None).expect("the first time");
    let after = digest::digest(&s.shanghai.conn).expect("digest");
    let again = try_import(&mut s.shanghai, &good, None).expect("a replay is not an error");
    assert!(again.already_imported);
    assert_eq!(digest::digest(&s.shanghai.conn).expect("digest"), after, "a replay changes nothing");
    let protected = s.dir.join("protected.liaison");
    export(&mut s.lyon, Audience::Everyone, &protected, Some("correct horse battery"));
    let err = try_import(&mut s.shanghai, &protected, Some("wrong")).expect_err("a wrong passphrase");
    assert_eq!(err.to_string(), "wrong passphrase for this sync file");
    let err = try_import(&mut s.shanghai, &protected, None).expect_err("no passphrase");
    assert!(err.to_string().contains("protected by a passphrase"), "{err}");
    assert_eq!(digest::digest(&s.shanghai.conn).expect("digest"), after);
    try_import(&mut s.shanghai, &protected, Some("correct horse battery")).expect("the right passphrase");

    // A file encrypted to Ottawa's key: Shanghai cannot read it, and is told why in words.
    let roster = identity::roster(&s.lyon.conn).expect("roster");
    let ottawa = roster.iter().find(|m| m.name == "Ottawa office").expect("Ottawa in the roster").id;
    let shanghai = roster.iter().find(|m| m.name == "Shanghai office").expect("Shanghai in the roster").id;
    let for_ottawa = s.dir.join("for-ottawa.liaison");
    protect(&mut s.lyon, Audience::Peer(ottawa), &for_ottawa, Some(Protection::PeersKeys));
    let before = digest::digest(&s.shanghai.conn).expect("digest");
    let err = try_import(&mut s.shanghai, &for_ottawa, None).expect_err("not for Shanghai");
    assert!(err.to_string().contains("encrypted for other laptops"), "{err}");
    assert_eq!(digest::digest(&s.shanghai.conn).expect("digest"), before, "nothing was written");
    // One encrypted to Shanghai's key: Shanghai reads it with no passphrase.
    s.lyon.clock.advance_ms(1_000);
    let clock = &s.lyon.clock;
    write(&mut s.lyon.conn, |tx| partner::create(tx, clock, &simple("Université Laval", "fr", "CA")))
        .expect("create");
    let for_shanghai = s.dir.join("for-shanghai.liaison");
    protect(&mut s.lyon, Audience::Peer(shanghai), &for_shanghai, Some(Protection::PeersKeys));
    let sealed =
        bundle::open(std::fs::File::open(&for_shanghai).expect("file")).expect("the header is in clear");
    assert_eq!(sealed.header.encryption, bundle::Encryption::Keys);
    let got = try_import(&mut s.shanghai, &for_shanghai, None).expect("Shanghai's own key opens it");
    assert!(got.new_ops > 0, "the new partner came in: {got:?}");
    let snapshot = s.dir.join("sealed-snapshot.liaison");
    let err = sync::export_file(
        &mut s.lyon.conn,
        &s.lyon.clock,
        Audience::Snapshot,
        &snapshot,
        Some(Protection::PeersKeys),
        None,
        &Job::silent(),
    )
    .expect_err("a snapshot has no recipient yet");
    assert!(err.to_string().contains("passphrase instead"), "{err}");
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// The file with its header changed by `edit` and signed again by `secret`: what a sender holding a key
/// could write by hand.
fn resign(path: &Path, secret: &[u8; 32], edit: impl FnOnce(&mut Header)) -> Vec<u8> {
    let bytes = std::fs::read(path).expect("read");
    let len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    let mut header: Header = postcard::from_bytes(&bytes[16..16 + len]).expect("a header");
    edit(&mut header);
    let encoded = postcard::to_allocvec(&header).expect("encode");
    let mut head = bytes[..12].to_vec();
    head.extend_from_slice(&u32::try_from(encoded.len()).expect("small").to_le_bytes());
    head.extend_from_slice(&encoded);
    let signature = bundle::sign(secret, &head);
    let mut out = head;
    out.extend_from_slice(&signature);
    out.extend_from_slice(&bytes[16 + len + 64..]);
    out
}
