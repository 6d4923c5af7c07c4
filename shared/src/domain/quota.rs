//! The account-level ingest quota: at most so many events a second per
//! account, across every ingest instance, so it is counted in the store.
//! Each second of an account has its own counters (a fixed window, so a
//! client may send a second's worth at the end of one second and another at
//! the start of the next); a quota over `EVENTS_PER_COUNTER` is spread over
//! several, each allowing its share (a request one refuses tries the others),
//! so no counter item takes more writes a second than DynamoDB gives one
//! key. An event over the quota is refused (429 with `Retry-After`), never
//! dropped.

use crate::domain::ids::AccountId;
use crate::domain::time::Timestamp;
use crate::ports::random::Random;

/// Events a second one counter takes at most (DynamoDB allows a key about
/// 1,000 writes a second; refused writes count too, so this leaves room).
pub const EVENTS_PER_COUNTER: u32 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IngestQuota {
    per_second: u32,
}

/// The counter one request counts on, and how much it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaWindow {
    pub account: AccountId,
    /// Unix seconds: the window.
    pub second: i64,
    /// Which of the window's counters (`0..IngestQuota::counters()`).
    pub counter: u16,
    /// The events this counter allows in its second.
    pub limit: u32,
}

impl IngestQuota {
    /// `per_second` events a second per account; 0 means no quota.
    pub fn per_second(per_second: u32) -> Option<Self> {
        (per_second > 0).then_some(Self { per_second })
    }

    pub fn events_per_second(self) -> u32 {
        self.per_second
    }

    /// The counters each second of an account is spread over.
    pub fn counters(self) -> u16 {
        u16::try_from(self.per_second.div_ceil(EVENTS_PER_COUNTER)).unwrap_or(u16::MAX)
    }

    /// The counters a request at `now` tries, in order: every counter of
    /// the second, from a random one on (so requests spread over them), each
    /// allowing an even share (rounded up) of the quota. A request refused
    /// by one tries the next, so the account gets its whole quota however
    /// unevenly requests fell; only requests at the quota's edge pay for it.
    pub fn windows(
        self,
        account: AccountId,
        now: Timestamp,
        random: &dyn Random,
    ) -> Vec<QuotaWindow> {
        let counters = self.counters();
        let mut byte = [0u8; 2];
        random.fill(&mut byte);
        let first = u16::from_le_bytes(byte) % counters;
        let limit = self.per_second.div_ceil(u32::from(counters));
        (0..counters)
            .map(|k| QuotaWindow {
                account,
                second: now.epoch_seconds(),
                counter: (first + k) % counters,
                limit,
            })
            .collect()
    }
}

impl QuotaWindow {
    /// Whole seconds until the next window opens (the `Retry-After`).
    pub fn retry_after(&self, now: Timestamp) -> u64 {
        let next = (self.second + 1) * 1000;
        u64::try_from((next - now.millis()).max(1)).map_or(1, |ms| ms.div_ceil(1000))
    }

    /// Whether `used` events already counted leave room for `count` more.
    pub fn admits(&self, used: u32, count: u32) -> bool {
        used.checked_add(count)
            .is_some_and(|total| total <= self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::random::OsRandom;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms).unwrap()
    }

    #[test]
    fn zero_is_no_quota_and_large_quotas_spread_over_counters() {
        assert_eq!(IngestQuota::per_second(0), None);
        let counters = |rate| IngestQuota::per_second(rate).unwrap().counters();
        assert_eq!((counters(1), counters(500), counters(501)), (1, 1, 2));
        assert_eq!(counters(1_000_000), 2_000);
    }

    #[test]
    fn a_request_tries_every_counter_of_its_second_from_a_random_one() {
        let account = AccountId::generate(at(0), &OsRandom);
        let quota = IngestQuota::per_second(1_001).unwrap();
        for _ in 0..50 {
            let windows = quota.windows(account, at(1_700_000_000_250), &OsRandom);
            let mut counters: Vec<u16> = windows.iter().map(|w| w.counter).collect();
            counters.sort_unstable();
            assert_eq!(counters, vec![0, 1, 2]);
            assert!(windows
                .iter()
                .all(|w| (w.second, w.limit) == (1_700_000_000, 334)));
        }
        let windows = IngestQuota::per_second(3)
            .unwrap()
            .windows(account, at(1_250), &OsRandom);
        let [window] = windows.as_slice() else {
            panic!("one counter: {windows:?}")
        };
        assert_eq!((window.counter, window.limit), (0, 3));
        assert!(window.admits(0, 3) && window.admits(2, 1));
        assert!(!window.admits(3, 1) && !window.admits(0, 4) && !window.admits(u32::MAX, 1));
        // Retry after the second ends, rounded up to whole seconds.
        assert_eq!(window.retry_after(at(1_250)), 1);
        assert_eq!(window.retry_after(at(1_999)), 1);
    }
}
