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
        } else {
            Hlc { ms: self.ms, counter: self.counter + 1 }
        }
    }

    /// Sortable text form `mmmmmmmmmmmmmmm-cccccccc-origin` (fixed widths, so text order is time order).
    pub fn encode(self, origin: &str) -> String {
        format!("{:015}-{:08x}-{}", self.ms.max(0), self.counter, origin)
    }

    /// Reads an encoded reading back (without its origin).
    pub fn decode(encoded: &str) -> Option<Hlc> {
        let mut parts = encoded.splitn(3, '-');
        let ms = parts.next()?.parse().ok()?;
        let counter = u32::from_str_radix(parts.next()?, 16).ok()?;
        Some(Hlc { ms, counter })
    }

    /// Reads the wall time of an encoded reading back.
    pub fn ms_of(encoded: &str) -> Option<i64> {
        encoded.split('-').next()?.parse().ok()
    }
}

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
    fn encoded_readings_sort_like_readings() {
        let a = Hlc { ms: 999, counter: 15 }.encode("a");
        let b = Hlc { ms: 1000, counter: 0 }.encode("a");
        let c = Hlc { ms: 1000, counter: 1 }.encode("a");
        assert!(a < b && b < c);
        assert_eq!(Hlc::ms_of(&c), Some(1000));
        assert_eq!(Hlc::decode(&c), Some(Hlc { ms: 1000, counter: 1 }));
    }
}
