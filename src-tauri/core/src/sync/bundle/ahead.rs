//! Reading a payload's frames on a thread of their own while the caller applies them: unpacking, decoding
//! and hashing each op (about a tenth of an import's work) run beside the writing. Frames reach the caller in
//! file order, and at most [`BUDGET`] bytes of them (or one larger frame) wait at any time, so memory stays
//! flat whatever the file's size.

use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Condvar, Mutex};

use sha2::{Digest, Sha256};

use super::{encode_op, Frame, Frames};
use crate::error::Result;

/// The most bytes of frames read and not yet handled (a larger frame still goes, alone).
const BUDGET: usize = 16 << 20;
/// Frames handed over together: one hand-over per frame would cost more than decoding it.
const BATCH: usize = 256;

/// An op frame's encoding as its origin signed it, and that encoding's SHA-256 (for an erased op: the
/// original's, which the file carries).
pub struct Signed {
    pub bytes: Vec<u8>,
    pub sha256: [u8; 32],
}

/// Bytes read and not yet handled, shared by the reader and the caller.
#[derive(Default)]
struct InFlight {
    bytes: Mutex<usize>,
    drained: Condvar,
}

impl InFlight {
    /// Waits until `n` more bytes fit in the budget (or nothing waits), then counts them.
    fn reserve(&self, n: usize) -> bool {
        let Ok(mut bytes) = self.bytes.lock() else { return false };
        while *bytes > 0 && *bytes + n > BUDGET {
            match self.drained.wait(bytes) {
                Ok(b) => bytes = b,
                Err(_) => return false,
            }
        }
        *bytes += n;
        true
    }

    fn release(&self, n: usize) {
        if let Ok(mut bytes) = self.bytes.lock() {
            *bytes = bytes.saturating_sub(n);
            self.drained.notify_all();
        }
    }
}

type Batch = Result<(Vec<(Frame, Option<Signed>)>, usize)>;

/// Hands each frame of `frames` to `each`, in order, on this thread, while another reads ahead. An error of
/// either ends the reading; the first one is returned.
pub fn each_frame(
    frames: Frames<'_>,
    mut each: impl FnMut(Frame, Option<Signed>) -> Result<()>,
) -> Result<()> {
    let in_flight = Arc::new(InFlight::default());
    std::thread::scope(|scope| {
        let (send, receive) = sync_channel::<Batch>(4);
        let reader_flight = Arc::clone(&in_flight);
        scope.spawn(move || read(frames, &reader_flight, |batch| send.send(batch).is_ok()));
        let outcome = handle(&receive, &in_flight, &mut each);
        // Dropping the receiver stops the reader at its next hand-over; a reader waiting for room is woken.
        drop(receive);
        in_flight.release(usize::MAX);
        outcome
    })
}

fn handle(
    receive: &Receiver<Batch>,
    in_flight: &InFlight,
    each: &mut impl FnMut(Frame, Option<Signed>) -> Result<()>,
) -> Result<()> {
    for batch in receive {
        let (frames, bytes) = batch?;
        for (frame, signed) in frames {
            each(frame, signed)?;
        }
        in_flight.release(bytes);
    }
    Ok(())
}

/// Reads every frame, handing them over in batches; stops at the end, at an error (handed over too) or when
/// the caller has stopped. A batch is handed over once the bytes already waiting leave room for it (or none
/// wait), so what waits is bounded and the caller always has what the reader waits on.
fn read(mut frames: Frames<'_>, in_flight: &InFlight, mut hand: impl FnMut(Batch) -> bool) {
    let mut batch = Vec::with_capacity(BATCH);
    let mut bytes = 0;
    loop {
        let read = frames.next_frame().and_then(|frame| {
            let signed = match &frame {
                Some(frame) => signed(&frames, frame)?,
                None => None,
            };
            Ok(frame.map(|f| (f, signed)))
        });
        let (end, error) = match read {
            Ok(Some((frame, signed))) => {
                bytes += frames.bytes.len();
                batch.push((frame, signed));
                (false, None)
            }
            Ok(None) => (true, None),
            Err(e) => (true, Some(e)),
        };
        if (end || batch.len() >= BATCH || bytes >= BUDGET / 4) && !batch.is_empty() {
            if !in_flight.reserve(bytes) || !hand(Ok((std::mem::take(&mut batch), bytes))) {
                return;
            }
            bytes = 0;
        }
        if end {
            if let Some(e) = error {
                hand(Err(e));
            }
            return;
        }
    }
}

/// An op's signed encoding and hash: the bytes read when the frame gives them, else the op encoded again.
fn signed(frames: &Frames<'_>, frame: &Frame) -> Result<Option<Signed>> {
    Ok(match frame {
        Frame::Op(op) => {
            let bytes = match frames.op_bytes() {
                Some(bytes) => bytes.to_vec(),
                None => encode_op(op)?,
            };
            let sha256 = Sha256::digest(&bytes).into();
            Some(Signed { bytes, sha256 })
        }
        Frame::Erased { op, sha256 } => Some(Signed { bytes: encode_op(op)?, sha256: *sha256 }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::oplog::wire::{WireOp, WireValue};
    use crate::sync::bundle::tests::{golden_header, SECRET};
    use crate::sync::bundle::{open, write, Opened, Unlock};
    use uuid::Uuid;

    /// A file of many small ops, with documents around the budget's size between them: a batch part-filled
    /// when a frame larger than the budget comes is the case that must not wait forever.
    fn frames() -> Vec<Frame> {
        let origin = Uuid::from_u128(2);
        let mut frames = vec![Frame::Origin { id: origin, key: [7; 32], name: "Shanghai office".into() }];
        for seq in 1..=2_000 {
            frames.push(Frame::Op(WireOp {
                seq,
                hlc: seq,
                table: "partner".into(),
                row: Uuid::from_u128(seq as u128),
                prev: vec![],
                patch: vec![("name".into(), WireValue::Text(format!("Université n° {seq}")))],
            }));
            if seq % 700 == 0 {
                let size = if seq == 1_400 { BUDGET + 1 } else { BUDGET / 4 - 1_000 };
                // Bytes that do not compress (a file compressing a thousandfold is refused as a bomb).
                let mut x = seq as u64;
                let bytes = (0..size)
                    .map(|_| {
                        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                        (x >> 56) as u8
                    })
                    .collect();
                frames.push(Frame::Document { sha256: [seq as u8; 32], bytes });
            }
        }
        frames.push(Frame::End);
        frames
    }

    fn file(frames: &[Frame]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("liaison-ahead-{}", Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("many.liaison");
        write(&path, golden_header(), &SECRET, None, |sink| frames.iter().try_for_each(|f| sink.put(f)))
            .expect("write");
        path
    }

    #[test]
    fn frames_arrive_in_order_with_the_bytes_and_hash_their_origin_signed() {
        let written = frames();
        let path = file(&written);
        let mut opened = open(std::fs::File::open(&path).expect("file")).expect("opens");
        let mut read = Vec::new();
        each_frame(opened.frames(Unlock::default()).expect("frames"), |frame, signed| {
            match (&frame, signed) {
                (Frame::Op(op), Some(signed)) => {
                    assert_eq!(signed.bytes, encode_op(op).expect("encodes"));
                    assert_eq!(signed.sha256, <[u8; 32]>::from(Sha256::digest(&signed.bytes)));
                }
                (Frame::Op(_), None) => panic!("an op comes with its signed bytes"),
                (_, signed) => assert!(signed.is_none(), "only ops are signed"),
            }
            read.push(frame);
            Ok(())
        })
        .expect("read");
        assert_eq!(read, written);
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn the_callers_error_stops_the_reading_and_is_returned() {
        let path = file(&frames());
        let mut opened = open(std::fs::File::open(&path).expect("file")).expect("opens");
        let mut seen = 0;
        let outcome = each_frame(opened.frames(Unlock::default()).expect("frames"), |_, _| {
            seen += 1;
            if seen == 300 {
                return Err(Error::Bundle("stop here".into()));
            }
            Ok(())
        });
        assert!(matches!(outcome, Err(Error::Bundle(m)) if m == "stop here"));
        assert_eq!(seen, 300, "no frame is handled after the error");
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }

    #[test]
    fn a_damaged_payload_gives_the_frames_before_the_damage_then_the_same_error() {
        let written = frames();
        let path = file(&written);
        let mut bytes = std::fs::read(&path).expect("read");
        let header = open(std::io::Cursor::new(&bytes)).expect("opens").header;
        let payload_at = (bytes.len() - header.payload_bytes as usize) as u64;
        // The second half of the compressed payload turned to noise (the header's hash, checked by `open`,
        // would refuse it: the frames are read directly, as after a disk error during the import).
        let half = payload_at as usize + header.payload_bytes as usize / 2;
        bytes[half..].iter_mut().for_each(|b| *b ^= 0x5a);
        let damaged =
            || Opened { header: header.clone(), source: std::io::Cursor::new(bytes.clone()), payload_at };
        let mut one_by_one = damaged();
        let mut direct = one_by_one.frames(Unlock::default()).expect("frames");
        let mut expected = Vec::new();
        let expected_error = loop {
            match direct.next_frame() {
                Ok(Some(frame)) => expected.push(frame),
                Ok(None) => panic!("the payload is damaged"),
                Err(e) => break e.to_string(),
            }
        };
        assert!(!expected.is_empty() && expected.len() < written.len());
        let mut ahead = damaged();
        let mut read = Vec::new();
        let outcome = each_frame(ahead.frames(Unlock::default()).expect("frames"), |frame, _| {
            read.push(frame);
            Ok(())
        });
        assert_eq!(outcome.err().map(|e| e.to_string()), Some(expected_error));
        assert_eq!(read, expected, "the frames before the damage, in order");
        let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
    }
}
