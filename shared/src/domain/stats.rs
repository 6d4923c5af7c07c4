//! Delivery stats: counters per hour, per webhook and per account, that a
//! stats request sums into hours or days without reading any delivery.

use crate::domain::delivery::DeliveryStatus;
use crate::domain::ids::WebhookId;
use crate::domain::time::Timestamp;

/// Upper bounds (ms) of the send-duration histogram's buckets; one more
/// bucket holds everything slower.
pub const DURATION_BOUNDS_MS: [u64; 12] = [
    5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000,
];
pub const DURATION_BUCKETS: usize = DURATION_BOUNDS_MS.len() + 1;

/// Whose stats: the whole account's, or one webhook's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatsScope {
    Account,
    Webhook(WebhookId),
}

/// What one attempt (or a delivery failed without one) adds to the stats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    /// The delivery's status after it: delivered, scheduled (a retry
    /// follows) or failed.
    pub status: DeliveryStatus,
    /// The send's duration and whether it got a 2xx; `None`: no attempt.
    pub attempt: Option<(u64, bool)>,
}

/// Counters over some time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub attempts: u64,
    /// Attempts without a 2xx.
    pub errors: u64,
    pub delivered: u64,
    pub scheduled: u64,
    pub failed: u64,
    /// Attempts per duration bucket (`DURATION_BOUNDS_MS`).
    pub durations: [u64; DURATION_BUCKETS],
}

impl Tally {
    pub fn add(&mut self, sample: Sample) {
        match sample.status {
            DeliveryStatus::Delivered => self.delivered += 1,
            DeliveryStatus::Failed => self.failed += 1,
            _ => self.scheduled += 1,
        }
        if let Some((duration_ms, ok)) = sample.attempt {
            self.attempts += 1;
            self.errors += u64::from(!ok);
            let bucket = DURATION_BOUNDS_MS
                .iter()
                .position(|bound| duration_ms <= *bound)
                .unwrap_or(DURATION_BUCKETS - 1);
            self.durations[bucket] += 1;
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.attempts += other.attempts;
        self.errors += other.errors;
        self.delivered += other.delivered;
        self.scheduled += other.scheduled;
        self.failed += other.failed;
        for (mine, theirs) in self.durations.iter_mut().zip(other.durations) {
            *mine += theirs;
        }
    }

    /// Attempts without a 2xx over all attempts; 0 without attempts.
    pub fn error_rate(&self) -> f64 {
        if self.attempts == 0 {
            0.0
        } else {
            self.errors as f64 / self.attempts as f64
        }
    }

    /// The median send duration, interpolated within the histogram bucket
    /// that holds it (so as exact as the buckets); `None` without attempts.
    pub fn median_ms(&self) -> Option<u64> {
        let total: u64 = self.durations.iter().sum();
        if total == 0 {
            return None;
        }
        let middle = total as f64 / 2.0;
        let mut below = 0u64;
        for (i, count) in self.durations.iter().enumerate() {
            if *count > 0 && (below + count) as f64 >= middle {
                let low = if i == 0 { 0 } else { DURATION_BOUNDS_MS[i - 1] };
                // The overflow bucket has no upper bound: its lower one stands.
                let high = DURATION_BOUNDS_MS.get(i).copied().unwrap_or(low);
                let share = (middle - below as f64) / *count as f64;
                return Some(low + ((high - low) as f64 * share).round() as u64);
            }
            below += count;
        }
        None
    }
}

/// How wide each bucket of a stats answer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    Hour,
    Day,
}

impl Granularity {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "hour" => Ok(Self::Hour),
            "day" => Ok(Self::Day),
            _ => Err("must be hour or day".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
        }
    }

    pub fn seconds(self) -> i64 {
        match self {
            Self::Hour => 3600,
            Self::Day => 86_400,
        }
    }

    /// The most buckets one answer holds (31 days of hours, 90 days).
    pub fn max_buckets(self) -> i64 {
        match self {
            Self::Hour => 744,
            Self::Day => 90,
        }
    }

    /// The start of the bucket `at` falls in (UTC).
    pub fn floor(self, at: Timestamp) -> Timestamp {
        let width = self.seconds() * 1000;
        Timestamp::from_millis(at.millis().div_euclid(width) * width).unwrap_or(at)
    }

    /// The start of the first bucket at or after `at`.
    pub fn ceil(self, at: Timestamp) -> Timestamp {
        let floor = self.floor(at);
        if floor == at {
            at
        } else {
            floor.plus_seconds(self.seconds())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(ms: u64, ok: bool, status: DeliveryStatus) -> Sample {
        Sample {
            status,
            attempt: Some((ms, ok)),
        }
    }

    #[test]
    fn samples_count_by_status_and_errors() {
        let mut tally = Tally::default();
        tally.add(attempt(30, true, DeliveryStatus::Delivered));
        tally.add(attempt(40, false, DeliveryStatus::Scheduled));
        tally.add(attempt(40_000, false, DeliveryStatus::Failed));
        tally.add(Sample {
            status: DeliveryStatus::Failed,
            attempt: None,
        });
        assert_eq!(
            (
                tally.attempts,
                tally.errors,
                tally.delivered,
                tally.scheduled,
                tally.failed
            ),
            (3, 2, 1, 1, 2)
        );
        assert!((tally.error_rate() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(tally.durations[3], 2);
        assert_eq!(tally.durations[DURATION_BUCKETS - 1], 1);
        let mut twice = tally.clone();
        twice.merge(&tally);
        assert_eq!(twice.attempts, 6);
        assert_eq!(Tally::default().error_rate(), 0.0);
    }

    #[test]
    fn the_median_is_interpolated_in_its_bucket() {
        assert_eq!(Tally::default().median_ms(), None);
        let mut tally = Tally::default();
        for ms in [60, 70, 80, 90] {
            tally.add(attempt(ms, true, DeliveryStatus::Delivered));
        }
        // All four in (50, 100]: the middle of the bucket.
        assert_eq!(tally.median_ms(), Some(75));
        for _ in 0..10 {
            tally.add(attempt(3, true, DeliveryStatus::Delivered));
        }
        assert!(tally.median_ms().unwrap() <= 5);
    }

    #[test]
    fn buckets_are_utc_hours_and_days() {
        let at = Timestamp::parse("2026-11-23T05:42:10.123Z").unwrap();
        assert_eq!(
            Granularity::Hour.floor(at).to_string(),
            "2026-11-23T05:00:00.000Z"
        );
        assert_eq!(
            Granularity::Day.ceil(at).to_string(),
            "2026-11-24T00:00:00.000Z"
        );
        let midnight = Timestamp::parse("2026-11-23").unwrap();
        assert_eq!(Granularity::Day.ceil(midnight), midnight);
        assert!(Granularity::parse("week").is_err());
    }
}
