//! The workload's clock: the wall clock moved on by an offset the driver
//! advances, so waits over 900 s (Scheduler retries, long delays) pass at
//! once, while SQS delays, which moto counts in real seconds, pass as they
//! would.

use hookrelay::domain::time::Timestamp;
use hookrelay::ports::clock::{Clock, SystemClock};
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Default)]
pub struct ShiftedClock {
    offset_millis: AtomicI64,
}

impl ShiftedClock {
    /// Moves the clock on to `at` (never back).
    pub fn advance_to(&self, at: Timestamp) {
        let ahead = at.millis() - self.now().millis();
        if ahead > 0 {
            self.offset_millis.fetch_add(ahead, Ordering::SeqCst);
        }
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> Timestamp {
        let wall = SystemClock.now();
        let offset = self.offset_millis.load(Ordering::SeqCst);
        Timestamp::from_millis(wall.millis() + offset).unwrap_or(wall)
    }
}
