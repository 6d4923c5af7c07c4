//! What wakes a pending delivery at its time. A wait the queue can hold (up
//! to 15 minutes) is a message with a delay. A longer one (a late retry, a
//! delay of up to a week, a rate limit's far slot) is written down with the
//! delivery, and woken by the schedule of its bucket: one per due minute and
//! group, shared by every delivery due in it, so Scheduler calls grow with
//! the minutes in use, not with the deliveries (DESIGN.md §4).

use crate::domain::ids::DeliveryId;
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The longest wait a queue message holds (SQS `DelaySeconds`).
pub const MAX_QUEUE_DELAY_SECONDS: u32 = 900;

/// Groups a due minute is split into. A delivery's group is its event's, so
/// one event's deliveries wait in one bucket (a delayed fan-out of 100 asks
/// for one schedule, not 100).
pub const WAKE_GROUPS: u8 = 16;

/// The deliveries due in one minute, of one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WakeBucket {
    /// The start of its minute: its schedule fires then (nothing in it is due before).
    pub starts_at: Timestamp,
    pub group: u8,
}

impl WakeBucket {
    /// The bucket of a delivery due at `due`.
    pub fn of(delivery: DeliveryId, due: Timestamp) -> Self {
        let group =
            u8::try_from(delivery.millis().rem_euclid(i64::from(WAKE_GROUPS))).unwrap_or_default();
        Self {
            starts_at: due.floor_minute(),
            group,
        }
    }

    /// The end of its minute (exclusive).
    pub fn ends_at(self) -> Timestamp {
        self.starts_at.plus_seconds(60)
    }

    /// Whether a delivery due at `due` waits in it.
    pub fn holds(self, delivery: DeliveryId, due: Timestamp) -> bool {
        Self::of(delivery, due) == self
    }

    /// Its schedule's name: one per bucket, so a second creation is refused.
    pub fn schedule_name(self) -> String {
        let minute = self.starts_at.millis().div_euclid(60_000);
        format!("wake-{minute}-{}", self.group)
    }
}

/// Whether waiting from `now` until `due` is beyond what a queue message holds.
pub fn beyond_queue(now: Timestamp, due: Timestamp) -> bool {
    due.millis() - now.millis() > i64::from(MAX_QUEUE_DELAY_SECONDS) * 1000
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{EventId, WebhookId};
    use crate::ports::random::OsRandom;

    #[test]
    fn an_events_deliveries_share_a_bucket_and_its_minute_bounds_them() {
        let at = Timestamp::parse("2026-11-22T12:00:00.123Z").unwrap();
        let event = EventId::generate(at, &OsRandom);
        let due = Timestamp::parse("2026-11-22T14:30:42.500Z").unwrap();
        let buckets: std::collections::HashSet<WakeBucket> = (0..50)
            .map(|_| {
                let webhook = WebhookId::generate(at, &OsRandom);
                WakeBucket::of(DeliveryId::derive(event, Some(webhook)), due)
            })
            .collect();
        assert_eq!(buckets.len(), 1);
        let bucket = buckets.into_iter().next().unwrap();
        assert!(bucket.starts_at <= due && due < bucket.ends_at());
        assert_eq!(bucket.starts_at.to_string(), "2026-11-22T14:30:00.000Z");
    }

    #[test]
    fn groups_spread_events() {
        let groups: std::collections::HashSet<u8> = (0..64)
            .map(|ms| {
                let at = Timestamp::from_millis(1_790_000_000_000 + ms).unwrap();
                let event = EventId::generate(at, &OsRandom);
                WakeBucket::of(DeliveryId::derive(event, None), at).group
            })
            .collect();
        assert_eq!(groups.len(), usize::from(WAKE_GROUPS));
    }

    #[test]
    fn the_queue_holds_fifteen_minutes() {
        let now = Timestamp::from_millis(1_790_000_000_000).unwrap();
        assert!(!beyond_queue(now, now.plus_seconds(900)));
        assert!(beyond_queue(now, now.plus_seconds(901)));
    }
}
