//! Time, injected: a wall clock for real use, a manual one for tests, and the hybrid logical clock that
//! orders ops across replicas (an op made after seeing another always sorts after it).

use std::cell::Cell;

use chrono::{DateTime, TimeZone, Utc};

/// Source of wall-clock time. Core logic never calls `now()` itself.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to, for deterministic tests.
pub struct ManualClock {
    ms: Cell<i64>,
}

impl ManualClock {
    pub fn at_ms(ms: i64) -> Self {
        ManualClock { ms: Cell::new(ms) }
    }

    /// 2026-01-01T00:00:00Z.
    pub fn new() -> Self {
        Self::at_ms(1_767_225_600_000)
    }

    pub fn advance_ms(&self, ms: i64) {
        self.ms.set(self.ms.get() + ms);
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.ms.get()).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }
}

/// A hybrid logical clock reading: wall milliseconds, a counter for events within one millisecond, and the
/// replica that made it. Its text form sorts the same way as the reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hlc {
    pub ms: i64,
    pub counter: u32,
}

impl Hlc {
    /// The next reading after `self` for a local event at wall time `now_ms`.
    pub fn tick(self, now_ms: i64) -> Hlc {
        if now_ms > self.ms {
            Hlc { ms: now_ms, counter: 0 }
        } else if self.counter >= MAX_COUNTER {
            // 65,536 events in one millisecond: borrow the next millisecond rather than overflow.
            Hlc { ms: self.ms + 1, counter: 0 }
        } else {
            Hlc { ms: self.ms, counter: self.counter + 1 }
        }
    }

    /// The reading as one integer, `ms << 16 | counter`: integer order is clock order.
    pub fn pack(self) -> i64 {
        (self.ms.max(0) << 16) | i64::from(self.counter.min(MAX_COUNTER))
    }

    pub fn unpack(packed: i64) -> Hlc {
        Hlc { ms: packed >> 16, counter: (packed & 0xFFFF) as u32 }
    }
}

const MAX_COUNTER: u32 = 0xFFFF;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_moves_forward_even_when_the_wall_clock_goes_back() {
        let a = Hlc { ms: 1000, counter: 3 };
        assert_eq!(a.tick(2000), Hlc { ms: 2000, counter: 0 });
        assert_eq!(a.tick(500), Hlc { ms: 1000, counter: 4 }, "a clock going back must not reorder");
    }

    #[test]
    fn packed_readings_sort_like_readings() {
        let a = Hlc { ms: 999, counter: 15 }.pack();
        let b = Hlc { ms: 1000, counter: 0 }.pack();
        let c = Hlc { ms: 1000, counter: 1 }.pack();
        assert!(a < b && b < c);
        assert_eq!(Hlc::unpack(c), Hlc { ms: 1000, counter: 1 });
        let now = Hlc { ms: 1_767_225_600_000, counter: 65_535 };
        assert_eq!(Hlc::unpack(now.pack()), now);
        assert_eq!(now.tick(0), Hlc { ms: 1_767_225_600_001, counter: 0 }, "the counter never overflows");
    }
}
