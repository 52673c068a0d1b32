//! The sandbox's own clock for resource states. States are computed from
//! timestamps on it, never from timers, and tests can move it forward.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Milliseconds since the sandbox started, plus any time a test skipped.
pub type Millis = u64;

/// How long each transitional state lasts: a connection is `requested` for
/// one step and `pending` for one more, an interface `pending` for one,
/// `deleting` and OCI's `CREATING`/`DELETING` for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub step: Duration,
}

impl Timing {
    /// A connection is available 4 s after it was requested.
    pub const DEFAULT: Timing = Timing {
        step: Duration::from_secs(2),
    };
    /// For tests: everything settles within 100 ms.
    pub const FAST: Timing = Timing {
        step: Duration::from_millis(50),
    };

    pub fn step_ms(self) -> Millis {
        u64::try_from(self.step.as_millis()).unwrap_or(u64::MAX)
    }
}

impl Default for Timing {
    fn default() -> Self {
        Timing::DEFAULT
    }
}

/// The clock starts this far after millisecond 0, when the seeded estate was made: seeded
/// links are settled (available) from the first call, whatever the timing.
pub const SEEDS_AGE_MS: Millis = 86_400_000;

#[derive(Debug)]
pub struct Clock {
    start: Instant,
    skipped_ms: AtomicU64,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock {
    pub fn new() -> Self {
        Clock {
            start: Instant::now(),
            skipped_ms: AtomicU64::new(SEEDS_AGE_MS),
        }
    }

    pub fn now(&self) -> Millis {
        let real = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        real.saturating_add(self.skipped_ms.load(Ordering::Relaxed))
    }

    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.skipped_ms.fetch_add(ms, Ordering::Relaxed);
    }
}
