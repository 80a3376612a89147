//! The sync file format, version 1 (docs/sync-format.md): a clear header signed by its sender, then the
//! payload: frames, zstd-compressed, optionally encrypted with age. Frozen by golden fixtures
//! (`tests/golden/bundle_*`). Reading checks the file's size, magic, versions, header signature and payload
//! hash before it hands out a single frame, and caps what decompression may produce: a hostile file gets
//! one plain sentence ([`Error::Bundle`]), never a panic.

use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{Error, Result};

mod lock;
pub use crate::oplog::wire::{decode_op, encode_op, WireOp, WireValue};
pub use lock::{Lock, Unlock};

/// The file's first eight bytes.
pub const MAGIC: &[u8; 8] = b"LIAISYNC";
/// The version this build writes.
pub const FORMAT_VERSION: u16 = 1;
/// The oldest reader version able to read what this build writes.
pub const MIN_READER_VERSION: u16 = 1;
/// Files larger than this are refused unread.
pub const MAX_FILE_BYTES: u64 = 8 << 30;
const MAX_HEADER_BYTES: u32 = 1 << 20;
/// One frame (an op, a document) may not unpack to more than this.
pub const MAX_FRAME_BYTES: u32 = 256 << 20;
/// A file may not claim more ops than this, nor more documents than [`MAX_DOCUMENTS`].
pub const MAX_OPS: u64 = 100_000_000;
pub const MAX_DOCUMENTS: u64 = 1_000_000;
/// A payload may not claim to unpack to more than this many times its packed size (plus a mebibyte):
/// sync payloads compress about tenfold, and a compression bomb is refused before it is unpacked.
const MAX_EXPANSION: u64 = 1_000;

/// What a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// The ops a peer (or every peer) lacks.
    Ops,
    /// Everything a new laptop needs to join the workspace.
    Snapshot,
}

/// How the payload is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encryption {
    None,
    /// age, to a passphrase (scrypt).
    Passphrase,
    /// age, to the recipients' X25519 keys (their Ed25519 keys in X25519 form).
    Keys,
}

/// The header, in clear and signed by the sender. Frozen: fields are only ever added in a new format
/// version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub bundle: Uuid,
    pub workspace: Uuid,
    pub kind: Kind,
    pub sender: Uuid,
    pub sender_key: [u8; 32],
    pub sender_name: String,
    pub peer: Option<Uuid>,
    pub peer_name: Option<String>,
    pub app_version: String,
    pub schema_version: u32,
    /// The sender's wall clock when it wrote the file, in ms since 1970.
    pub created_ms: i64,
    /// The sender's version vector: per origin, the highest `seq` it holds with none missing below.
    pub vector: Vec<(Uuid, i64)>,
    pub ops: u64,
    pub documents: u64,
    pub encryption: Encryption,
    /// The size of the payload once decrypted and decompressed.
    pub plain_bytes: u64,
    /// The size and SHA-256 of the payload as stored in the file.
    pub payload_bytes: u64,
    pub payload_sha256: [u8; 32],
}

/// An origin's signature over its ops `first..=last` ([`range_message`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedRange {
    pub first: i64,
    pub last: i64,
    pub signature: Vec<u8>,
}

/// The payload is a sequence of frames: for each origin, `Origin`, its `Op`s (or `Erased` ops) in `seq`
/// order, then its `Ranges`; then the `Document`s; then `End`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Frame {
    Origin {
        id: Uuid,
        key: [u8; 32],
        name: String,
    },
    Op(WireOp),
    Ranges(Vec<SignedRange>),
    Document {
        sha256: [u8; 32],
        bytes: Vec<u8>,
    },
    End,
    /// An op an erasure blanked, with the SHA-256 of its original wire form (what its origin signed): it
    /// counts as an op, and its row must be erased by a tombstone the receiver holds.
    Erased {
        op: WireOp,
        sha256: [u8; 32],
    },
}

/// [`Frame::Op`]'s variant index, which postcard writes as a one-byte varint.
const OP_TAG: u8 = 1;

fn refused(what: &str) -> Error {
    Error::Bundle(what.to_owned())
}

fn damaged(what: &str) -> Error {
    Error::Bundle(format!("this sync file is damaged: {what}; ask its sender for a new one"))
}

/// The bytes an origin signs for its ops `first..=last`: a domain tag, the workspace, the origin, the
/// bounds and the SHA-256 of the ops' wire encodings, in `seq` order.
pub fn range_message(workspace: Uuid, origin: Uuid, first: i64, last: i64, ops_sha256: &[u8; 32]) -> Vec<u8> {
    let mut m = Vec::with_capacity(16 + 16 + 16 + 16 + 32);
    m.extend_from_slice(b"liaison-ops-v1\0\0");
    m.extend_from_slice(workspace.as_bytes());
    m.extend_from_slice(origin.as_bytes());
    m.extend_from_slice(&first.to_le_bytes());
    m.extend_from_slice(&last.to_le_bytes());
    m.extend_from_slice(ops_sha256);
    m
}

/// Signs with a replica's secret key.
pub fn sign(secret: &[u8; 32], message: &[u8]) -> Vec<u8> {
    SigningKey::from_bytes(secret).sign(message).to_bytes().to_vec()
}

/// The public key of a secret key.
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(secret).verifying_key().to_bytes()
}

/// Whether `signature` is `key`'s over `message` (strict verification: no malleable signatures).
pub fn verify(key: &[u8; 32], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(key) else { return false };
    let Ok(signature) = Signature::from_slice(signature) else { return false };
    key.verify_strict(message, &signature).is_ok() && key.verify(message, &signature).is_ok()
}

/// Writes the payload's frames; returned by [`write`] to the caller's closure.
pub struct FrameSink<'w> {
    out: &'w mut dyn Write,
    plain_bytes: u64,
    ops: u64,
    documents: u64,
}

impl FrameSink<'_> {
    pub fn put(&mut self, frame: &Frame) -> Result<()> {
        let bytes = postcard::to_allocvec(frame)
            .map_err(|e| Error::Corrupt(format!("cannot encode a frame: {e}")))?;
        let len = u32::try_from(bytes.len())
            .ok()
            .filter(|l| *l <= MAX_FRAME_BYTES)
            .ok_or_else(|| refused("a document is too large to travel in a sync file (256 MiB at most)"))?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&bytes)?;
        self.plain_bytes += 4 + u64::from(len);
        match frame {
            Frame::Op(_) | Frame::Erased { .. } => self.ops += 1,
            Frame::Document { .. } => self.documents += 1,
            _ => {}
        }
        Ok(())
    }
}

/// Counts and hashes what passes through to the inner writer.
struct Hashing<W> {
    inner: W,
    sha: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The zstd level: 3 packs ops about tenfold at hundreds of MB/s.
const ZSTD_LEVEL: i32 = 3;

/// Writes a sync file at `path` (whole or not at all: a temporary file beside it, synced, then renamed).
/// `header` is completed here (op and document counts, payload size, hash, encryption) and signed with `secret`; `frames` writes
/// the payload, which must end with [`Frame::End`].
pub fn write(
    path: &Path,
    mut header: Header,
    secret: &[u8; 32],
    lock: Option<&Lock<'_>>,
    frames: impl FnOnce(&mut FrameSink) -> Result<()>,
) -> Result<Header> {
    let payload_path = path.with_extension("liaison-payload");
    let tmp = path.with_extension("liaison-tmp");
    let result = (|| -> Result<Header> {
        let payload_file = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&payload_path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot write beside {}: {e}", path.display())))?;
        let mut hashing = Hashing { inner: BufWriter::new(payload_file), sha: Sha256::new(), bytes: 0 };
        let (plain_bytes, ops, documents) = match lock {
            None => {
                let mut zstd = zstd::Encoder::new(&mut hashing, ZSTD_LEVEL)?;
                let mut sink = FrameSink { out: &mut zstd, plain_bytes: 0, ops: 0, documents: 0 };
                frames(&mut sink)?;
                let counts = (sink.plain_bytes, sink.ops, sink.documents);
                zstd.finish()?;
                counts
            }
            Some(lock) => {
                let mut age = lock::seal(&mut hashing, lock)?;
                let mut zstd = zstd::Encoder::new(&mut age, ZSTD_LEVEL)?;
                let mut sink = FrameSink { out: &mut zstd, plain_bytes: 0, ops: 0, documents: 0 };
                frames(&mut sink)?;
                let counts = (sink.plain_bytes, sink.ops, sink.documents);
                zstd.finish()?;
                age.finish()?;
                counts
            }
        };
        hashing.flush()?;
        header.encryption = match lock {
            None => Encryption::None,
            Some(Lock::Passphrase(_)) => Encryption::Passphrase,
            Some(Lock::Keys(_)) => Encryption::Keys,
        };
        header.plain_bytes = plain_bytes;
        header.ops = ops;
        header.documents = documents;
        header.payload_bytes = hashing.bytes;
        header.payload_sha256 = hashing.sha.finalize().into();
        let mut payload = hashing.inner.into_inner().map_err(|e| e.into_error())?;
        let head = head_bytes(&header)?;
        let signature = sign(secret, &head);
        let mut out = BufWriter::new(std::fs::File::create(&tmp)?);
        out.write_all(&head)?;
        out.write_all(&signature)?;
        payload.seek(SeekFrom::Start(0))?;
        io::copy(&mut payload, &mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))?;
        Ok(header)
    })();
    let _ = std::fs::remove_file(&payload_path);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A whole file around a raw payload (frames as bytes, not checked): for fuzzing and tests of the reader,
/// which must refuse whatever the payload holds in words.
pub fn seal_raw(mut header: Header, secret: &[u8; 32], plain: &[u8]) -> Result<Vec<u8>> {
    let payload = zstd::encode_all(plain, ZSTD_LEVEL)?;
    header.encryption = Encryption::None;
    header.plain_bytes = plain.len() as u64;
    header.payload_bytes = payload.len() as u64;
    header.payload_sha256 = Sha256::digest(&payload).into();
    header.sender_key = public_key(secret);
    let head = head_bytes(&header)?;
    let mut out = head.clone();
    out.extend_from_slice(&sign(secret, &head));
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Magic, versions, header length and header: what the sender signs.
fn head_bytes(header: &Header) -> Result<Vec<u8>> {
    let encoded =
        postcard::to_allocvec(header).map_err(|e| Error::Corrupt(format!("cannot encode a header: {e}")))?;
    let len = u32::try_from(encoded.len()).map_err(|_| refused("the file's header is too large"))?;
    let mut head = Vec::with_capacity(16 + encoded.len());
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    head.extend_from_slice(&MIN_READER_VERSION.to_le_bytes());
    head.extend_from_slice(&len.to_le_bytes());
    head.extend_from_slice(&encoded);
    Ok(head)
}

/// A sync file whose header, signature and payload hash have been checked.
pub struct Opened<R> {
    pub header: Header,
    source: R,
    payload_at: u64,
}

/// Reads and checks a file's header, signature and payload hash: nothing is decrypted or decompressed yet.
pub fn open<R: Read + Seek>(mut source: R) -> Result<Opened<R>> {
    let size = source.seek(SeekFrom::End(0))?;
    source.seek(SeekFrom::Start(0))?;
    if size > MAX_FILE_BYTES {
        return Err(refused("this file is too large to be a sync file (8 GiB at most)"));
    }
    let mut fixed = [0u8; 16];
    if size < 16 || source.read_exact(&mut fixed).is_err() {
        return Err(refused("this is not a Liaison sync file (it is too short)"));
    }
    if &fixed[..8] != MAGIC {
        return Err(refused("this is not a Liaison sync file"));
    }
    let version = u16::from_le_bytes([fixed[8], fixed[9]]);
    let min_reader = u16::from_le_bytes([fixed[10], fixed[11]]);
    if min_reader > FORMAT_VERSION {
        return Err(refused(&format!(
            "this sync file was written by a newer version of Liaison (format {version}): update Liaison to read it"
        )));
    }
    let header_len = u32::from_le_bytes([fixed[12], fixed[13], fixed[14], fixed[15]]);
    if header_len > MAX_HEADER_BYTES || 16 + u64::from(header_len) + 64 > size {
        return Err(damaged("its header is cut short or out of bounds"));
    }
    let mut encoded = vec![0u8; header_len as usize];
    source.read_exact(&mut encoded)?;
    let mut signature = [0u8; 64];
    source.read_exact(&mut signature)?;
    let header: Header = match postcard::take_from_bytes::<Header>(&encoded) {
        Ok((header, [])) => header,
        _ => return Err(damaged("its header cannot be read")),
    };
    let mut head = fixed.to_vec();
    head.extend_from_slice(&encoded);
    if !verify(&header.sender_key, &head, &signature) {
        return Err(damaged("its header does not match its sender's signature"));
    }
    let payload_at = 16 + u64::from(header_len) + 64;
    if size - payload_at != header.payload_bytes {
        return Err(damaged("it was cut short, or something was added to it"));
    }
    if header.ops > MAX_OPS || header.documents > MAX_DOCUMENTS {
        return Err(refused("this sync file claims more ops or documents than Liaison accepts"));
    }
    if header.plain_bytes > header.payload_bytes.saturating_mul(MAX_EXPANSION).saturating_add(1 << 20) {
        return Err(refused(
            "this sync file claims to unpack to far more than its size: refused as a compression bomb",
        ));
    }
    let mut sha = Sha256::new();
    io::copy(&mut (&mut source).take(header.payload_bytes), &mut HashSink(&mut sha))?;
    if <[u8; 32]>::from(sha.finalize()) != header.payload_sha256 {
        return Err(damaged("its contents do not match its header"));
    }
    Ok(Opened { header, source, payload_at })
}

struct HashSink<'a>(&'a mut Sha256);

impl Write for HashSink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The age reader over the payload, or the payload itself.
type Decrypted<'a> = Box<dyn Read + 'a>;

impl<R: Read + Seek> Opened<R> {
    /// The payload's frames, from the start (a reader may go over them more than once). Decryption and
    /// decompression errors, and a payload that unpacks to more or less than its header says, end the
    /// frames with an error.
    pub fn frames(&mut self, unlock: Unlock<'_>) -> Result<Frames<'_>> {
        self.source.seek(SeekFrom::Start(self.payload_at))?;
        let payload = BufReader::new((&mut self.source).take(self.header.payload_bytes));
        let decrypted: Decrypted<'_> = match self.header.encryption {
            Encryption::None => Box::new(payload),
            Encryption::Passphrase => lock::open_with_passphrase(payload, unlock.passphrase)?,
            Encryption::Keys => lock::open_with_key(payload, unlock.secret)?,
        };
        let zstd = zstd::Decoder::new(decrypted).map_err(|_| damaged("its contents cannot be unpacked"))?;
        Ok(Frames {
            inner: zstd.take(self.header.plain_bytes + 1),
            read: 0,
            limit: self.header.plain_bytes,
            ended: false,
            bytes: Vec::new(),
        })
    }
}

/// The frames of a payload, read one at a time (memory stays flat whatever the file's size).
pub struct Frames<'a> {
    inner: io::Take<zstd::Decoder<'static, BufReader<Decrypted<'a>>>>,
    read: u64,
    limit: u64,
    ended: bool,
    /// The last frame as read (its variant tag first).
    bytes: Vec<u8>,
}

impl Frames<'_> {
    fn read_exact(&mut self, buf: &mut [u8]) -> Result<()> {
        self.inner.read_exact(buf).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => damaged("its contents end too early"),
            _ => damaged("its contents cannot be unpacked"),
        })?;
        self.read += buf.len() as u64;
        if self.read > self.limit {
            return Err(damaged("its contents unpack to more than its header says"));
        }
        Ok(())
    }

    /// The next frame; `None` after [`Frame::End`], once the payload is checked to end there.
    pub fn next_frame(&mut self) -> Result<Option<Frame>> {
        if self.ended {
            return Ok(None);
        }
        let mut len = [0u8; 4];
        self.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len);
        if len > MAX_FRAME_BYTES || u64::from(len) > self.limit - self.read {
            return Err(damaged("its contents unpack to more than its header says"));
        }
        let mut bytes = std::mem::take(&mut self.bytes);
        bytes.resize(len as usize, 0);
        self.read_exact(&mut bytes)?;
        let frame = match postcard::take_from_bytes::<Frame>(&bytes) {
            Ok((frame, [])) => frame,
            _ => return Err(damaged("a part of its contents cannot be read")),
        };
        self.bytes = bytes;
        if frame == Frame::End {
            let mut extra = [0u8; 1];
            let more = self.inner.read(&mut extra).map_err(|_| damaged("its contents cannot be unpacked"))?;
            if more != 0 || self.read != self.limit {
                return Err(damaged("its contents do not end where its header says"));
            }
            self.ended = true;
        }
        Ok(Some(frame))
    }

    /// The wire encoding of the op the last frame held, as read: what its origin signed, without encoding it
    /// again. `None` unless the last frame was an op with its variant written in one byte (as Liaison writes
    /// it); callers then encode the op themselves.
    pub fn op_bytes(&self) -> Option<&[u8]> {
        match self.bytes.split_first() {
            Some((&OP_TAG, op)) => Some(op),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: [u8; 32] = [42; 32];

    fn golden_header() -> Header {
        Header {
            bundle: Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001),
            workspace: Uuid::from_u128(0x0193_0000_0000_4000_8000_0000_0000_00aa),
            kind: Kind::Ops,
            sender: Uuid::from_u128(0x0193_0000_0000_4000_8000_0000_0000_0002),
            sender_key: public_key(&SECRET),
            sender_name: "Shanghai office".into(),
            peer: Some(Uuid::from_u128(0x0193_0000_0000_4000_8000_0000_0000_0003)),
            peer_name: Some("Lyon head office".into()),
            app_version: "0.1.0".into(),
            schema_version: 13,
            created_ms: 1_764_892_800_000,
            vector: vec![(Uuid::from_u128(0x0193_0000_0000_4000_8000_0000_0000_0002), 2)],
            ops: 0,
            documents: 0,
            encryption: Encryption::None,
            plain_bytes: 0,
            payload_bytes: 0,
            payload_sha256: [0; 32],
        }
    }

    fn golden_frames() -> Vec<Frame> {
        let origin = Uuid::from_u128(0x0193_0000_0000_4000_8000_0000_0000_0002);
        let row = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0010);
        let ops = vec![
            WireOp {
                seq: 1,
                hlc: 0x019b_76da_a800_0000,
                table: "partner".into(),
                row,
                prev: vec![],
                patch: vec![
                    ("city".into(), WireValue::Text("上海".into())),
                    ("country".into(), WireValue::Text("CN".into())),
                    ("zone".into(), WireValue::Text("china".into())),
                ],
            },
            WireOp {
                seq: 2,
                hlc: 0x019b_76da_a800_0001,
                table: "partner".into(),
                row,
                prev: vec![(0x019b_76da_a800_0000, origin)],
                patch: vec![
                    ("deleted".into(), WireValue::Integer(1)),
                    ("notes".into(), WireValue::Null),
                    ("parent_id".into(), WireValue::Blob(vec![1, 2, 3])),
                    ("rank".into(), WireValue::Real(1.5)),
                ],
            },
        ];
        let mut sha = Sha256::new();
        for op in &ops {
            sha.update(Sha256::digest(encode_op(op).expect("encodes")));
        }
        let digest: [u8; 32] = sha.finalize().into();
        let workspace = golden_header().workspace;
        let signature = sign(&SECRET, &range_message(workspace, origin, 1, 2, &digest));
        let mut frames =
            vec![Frame::Origin { id: origin, key: public_key(&SECRET), name: "Shanghai office".into() }];
        let mut erased = ops[1].clone();
        let erased_sha = Sha256::digest(encode_op(&erased).expect("encodes")).into();
        erased.patch = vec![("deleted".into(), WireValue::Integer(1)), ("notes".into(), WireValue::Null)];
        frames.push(Frame::Op(ops[0].clone()));
        frames.push(Frame::Erased { op: erased, sha256: erased_sha });
        frames.push(Frame::Ranges(vec![SignedRange { first: 1, last: 2, signature }]));
        frames.push(Frame::Document {
            sha256: Sha256::digest(b"%PDF-1.7").into(),
            bytes: b"%PDF-1.7".to_vec(),
        });
        frames.push(Frame::End);
        frames
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn golden_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
    }

    /// The encodings of the header and of every kind of frame, as hex lines.
    fn encodings() -> String {
        let mut text = format!("head {}\n", hex(&head_bytes(&golden_header()).expect("encodes")));
        for frame in golden_frames() {
            let bytes = postcard::to_allocvec(&frame).expect("encodes");
            let name = match frame {
                Frame::Origin { .. } => "origin",
                Frame::Op(_) => "op",
                Frame::Ranges(_) => "ranges",
                Frame::Document { .. } => "document",
                Frame::End => "end",
                Frame::Erased { .. } => "erased",
            };
            text.push_str(&format!("{name} {}\n", hex(&bytes)));
        }
        text
    }

    #[test]
    fn the_encoding_of_headers_and_frames_is_frozen() {
        let path = golden_dir().join("bundle_v1_encodings.txt");
        if std::env::var_os("LIAISON_BLESS").is_some() {
            std::fs::write(&path, encodings()).expect("bless");
        }
        assert_eq!(
            encodings(),
            std::fs::read_to_string(&path).expect("the golden encodings"),
            "the bytes of a sync file's header or frames changed: format 1 is frozen (files written by other \
             versions are read with it); a change needs a new format version"
        );
    }

    #[test]
    fn a_file_written_in_format_1_reads_back_forever() {
        let path = golden_dir().join("bundle_v1.liaison");
        if std::env::var_os("LIAISON_BLESS").is_some() {
            let frames = golden_frames();
            write(&path, golden_header(), &SECRET, None, |sink| frames.iter().try_for_each(|f| sink.put(f)))
                .expect("write");
        }
        let mut opened = open(std::fs::File::open(&path).expect("the golden file")).expect("opens");
        assert_eq!(opened.header.sender_name, "Shanghai office");
        assert_eq!((opened.header.ops, opened.header.documents), (2, 1));
        let mut frames = opened.frames(Unlock::default()).expect("frames");
        let mut read = Vec::new();
        let mut ops = 0;
        while let Some(frame) = frames.next_frame().expect("a frame") {
            match &frame {
                Frame::Op(op) => {
                    ops += 1;
                    let expected = encode_op(op).expect("encodes");
                    assert_eq!(
                        frames.op_bytes(),
                        Some(expected.as_slice()),
                        "an op's bytes are read as signed"
                    );
                }
                _ => assert_eq!(frames.op_bytes(), None, "only an op frame gives op bytes"),
            }
            read.push(frame);
        }
        assert_eq!(read, golden_frames());
        assert!(ops > 0, "the golden file holds ops");
    }

    #[test]
    fn a_passphrase_protects_the_payload_and_a_wrong_one_is_named() {
        let dir = std::env::temp_dir().join(format!("liaison-bundle-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("secret.liaison");
        let frames = golden_frames();
        write(&path, golden_header(), &SECRET, Some(&Lock::Passphrase("correct horse")), |sink| {
            frames.iter().try_for_each(|f| sink.put(f))
        })
        .expect("write");
        let bytes = std::fs::read(&path).expect("read");
        assert!(
            !bytes.windows(6).any(|w| w == "上海".as_bytes()),
            "the payload is not readable without the passphrase"
        );
        let mut opened =
            open(std::fs::File::open(&path).expect("file")).expect("the header is in clear and checks");
        assert_eq!(opened.header.encryption, Encryption::Passphrase);
        let missing = opened.frames(Unlock::default()).err().expect("no passphrase");
        assert!(missing.to_string().contains("protected by a passphrase"), "{missing}");
        let wrong = opened
            .frames(Unlock { passphrase: Some("wrong"), secret: None })
            .err()
            .expect("a wrong passphrase");
        assert_eq!(wrong.to_string(), "wrong passphrase for this sync file");
        let mut frames =
            opened.frames(Unlock { passphrase: Some("correct horse"), secret: None }).expect("the right one");
        let mut read = Vec::new();
        while let Some(frame) = frames.next_frame().expect("a frame") {
            read.push(frame);
        }
        assert_eq!(read, golden_frames());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
