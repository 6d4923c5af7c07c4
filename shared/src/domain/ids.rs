//! UUIDv7 identifiers: time-ordered, so sorting by id is sorting by creation.

use crate::domain::time::Timestamp;
use crate::ports::random::Random;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::Uuid;

macro_rules! uuid_v7_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Bounds for range scans over ids.
            pub const MIN: Self = Self(Uuid::nil());
            pub const MAX: Self = Self(Uuid::max());

            /// A new id whose time part is `at`, so it sorts with its `created_at`.
            pub fn generate(at: Timestamp, random: &dyn Random) -> Self {
                Self(new_v7(at, random))
            }

            /// Parses a path segment; anything that is not a UUID names no resource.
            pub fn parse(text: &str) -> Option<Self> {
                Uuid::try_parse(text)
                    .ok()
                    .filter(|u| u.hyphenated().to_string() == text)
                    .map(Self)
            }

            /// The last 16 bits of the id's random (or hashed) tail: what
            /// spreads items evenly over a key's shards.
            pub fn spread(&self) -> u16 {
                let bytes = self.0.as_bytes();
                u16::from_be_bytes([bytes[14], bytes[15]])
            }

            /// The millisecond of its time part.
            pub fn millis(&self) -> i64 {
                self.0.as_bytes()[..6]
                    .iter()
                    .fold(0i64, |acc, byte| (acc << 8) | i64::from(*byte))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_v7_id!(
    /// An account (tenant).
    AccountId
);
uuid_v7_id!(
    /// A webhook (endpoint configuration).
    WebhookId
);
uuid_v7_id!(
    /// An ingested event.
    EventId
);
uuid_v7_id!(
    /// One event's delivery to one URL; the `webhook-id` of every attempt.
    DeliveryId
);
uuid_v7_id!(
    /// A console link: a revocable token that opens the console for one account.
    ConsoleLinkId
);
uuid_v7_id!(
    /// A background task (`domain::task`).
    TaskId
);
uuid_v7_id!(
    /// An account's API key (`domain::api_key`).
    ApiKeyId
);
uuid_v7_id!(
    /// A record of the audit log (`domain::audit`).
    AuditId
);

impl DeliveryId {
    /// The one delivery of `event` to `target` (`None`: the event's ad-hoc
    /// URL). Fixed by its inputs, so a repeated fan-out creates nothing twice;
    /// its time part and counter are the event's, so it sorts with the
    /// event's creation: deliveries of events one process made in one
    /// millisecond sort (and are polled) in the order the events were made.
    pub fn derive(event: EventId, target: Option<WebhookId>) -> Self {
        let target = target.map(|webhook| webhook.0);
        let target: &[u8] = match &target {
            Some(webhook) => webhook.as_bytes(),
            None => b"ad-hoc",
        };
        let mut bytes = *derived(event.0, &[event.0.as_bytes(), target]).as_bytes();
        // The version and `rand_a` (the counter): both ids are UUIDv7.
        bytes[6..8].copy_from_slice(&event.0.as_bytes()[6..8]);
        Self(Uuid::from_bytes(bytes))
    }

    /// As 32 lowercase hex digits, no hyphens (how a poll cursor lists it).
    pub fn to_hex(&self) -> String {
        self.0.simple().to_string()
    }

    /// Any 32 lowercase hex digits (what `to_hex` writes).
    pub fn from_hex(text: &str) -> Option<Self> {
        let lower_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        if text.len() != 32 || !text.bytes().all(|b| lower_hex(&b)) {
            return None;
        }
        Uuid::try_parse(text).ok().map(Self)
    }
}

impl ApiKeyId {
    /// The id of the key an account was created with before keys were a
    /// resource: fixed by the account, so every process that carries the
    /// old item over names it alike; it sorts with the account's creation.
    pub fn first_of(account: AccountId) -> Self {
        Self(derived(account.0, &[account.0.as_bytes(), b"api-key"]))
    }
}

/// A UUIDv7 with `time`'s millisecond and a tail hashed from `parts`.
fn derived(time: Uuid, parts: &[&[u8]]) -> Uuid {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    let digest = hash.finalize();
    let mut tail = [0u8; 10];
    tail.copy_from_slice(&digest[..10]);
    let millis = time.as_bytes()[..6]
        .iter()
        .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
    uuid::Builder::from_unix_timestamp_millis(millis, &tail).into_uuid()
}

impl EventId {
    /// The smallest and largest id text of anything derived from this event
    /// (same millisecond): the key range its deliveries sit in.
    pub fn id_range(&self) -> (String, String) {
        let text = self.to_string();
        let prefix = &text[..13];
        (prefix.to_owned(), format!("{prefix}~"))
    }
}

fn new_v7(at: Timestamp, random: &dyn Random) -> Uuid {
    let mut bytes = [0u8; 10];
    random.fill(&mut bytes);
    let millis = u64::try_from(at.millis()).unwrap_or(0);
    let seed = u16::from_be_bytes([bytes[0], bytes[1]]) & COUNTER_SEED_MAX;
    bytes[..2].copy_from_slice(&counted(millis, seed).to_be_bytes());
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
}

/// The 12 bits after a UUIDv7's millisecond (`rand_a`) hold a counter
/// (RFC 9562 §6.2, method 1), so the ids one process makes in one
/// millisecond sort in the order made: two webhooks, keys or audit records
/// made back to back list as they were made. A new millisecond starts it at
/// a random value of at most 11 bits, leaving at least 2,048 steps.
const COUNTER_MAX: u16 = 0x0fff;
const COUNTER_SEED_MAX: u16 = 0x07ff;

/// Per millisecond (by its remainder): the last id's millisecond (above
/// 12 bits) and its counter. A slot each, so a test's clock set days ahead
/// leaves the ids of this moment counted.
static LAST_MADE: [AtomicU64; 256] = [const { AtomicU64::new(0) }; 256];

/// The counter for an id of `millis`: one past the last one's of that
/// millisecond, else `seed` (a new millisecond, or one whose counter ran
/// out: unordered then).
fn counted(millis: u64, seed: u16) -> u16 {
    let slot = &LAST_MADE[(millis % 256) as usize];
    let mut last = slot.load(Ordering::Relaxed);
    loop {
        let (last_millis, last_count) = (last >> 12, (last & 0x0fff) as u16);
        let count = match last_millis == millis {
            true if last_count < COUNTER_MAX => last_count + 1,
            true => return seed,
            false => seed,
        };
        let next = (millis << 12) | u64::from(count);
        match slot.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return count,
            Err(now) => last = now,
        }
    }
}

/// The smallest id text of any UUIDv7 made at or after `at`: its first 13
/// characters are the millisecond timestamp, so text ranges are time ranges.
pub fn v7_prefix(at: Timestamp) -> String {
    let millis = u64::try_from(at.millis()).unwrap_or(0);
    let hex = format!("{millis:012x}");
    format!("{}-{}", &hex[..8], &hex[8..12])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::random::OsRandom;

    #[test]
    fn ids_are_v7_and_sort_by_time() {
        let early = WebhookId::generate(Timestamp::from_millis(1_000).unwrap(), &OsRandom);
        let late = WebhookId::generate(Timestamp::from_millis(2_000).unwrap(), &OsRandom);
        assert!(early.to_string() < late.to_string());
        assert_eq!(early.0.get_version_num(), 7);
    }

    #[test]
    fn ids_made_in_one_millisecond_sort_in_the_order_made() {
        let at = Timestamp::from_millis(1_700_000_000_456).unwrap();
        let made: Vec<String> = (0..2_048)
            .map(|_| AuditId::generate(at, &OsRandom).to_string())
            .collect();
        // Another test's id of another millisecond in the same slot restarts
        // the count (rarely); with random bits, half the pairs would be out.
        let in_order = made.windows(2).filter(|w| w[0] < w[1]).count();
        assert!(in_order >= 2_000, "{in_order} of 2,047 in order");
        assert!(made.iter().all(|id| id.starts_with(&v7_prefix(at))));
        // Past the counter's room: still that millisecond's.
        let more = (0..3_000).map(|_| AuditId::generate(at, &OsRandom).to_string());
        assert!(more.into_iter().all(|id| id.starts_with(&v7_prefix(at))));
    }

    #[test]
    fn prefix_bounds_ids_of_that_millisecond() {
        let at = Timestamp::from_millis(1_700_000_000_123).unwrap();
        let id = WebhookId::generate(at, &OsRandom).to_string();
        assert!(id.starts_with(&v7_prefix(at)));
        assert!(id < v7_prefix(at.plus_seconds(1)));
    }

    #[test]
    fn delivery_ids_are_fixed_by_event_and_target_and_sort_with_the_event() {
        let at = Timestamp::from_millis(1_700_000_000_123).unwrap();
        let event = EventId::generate(at, &OsRandom);
        let (a, b) = (
            WebhookId::generate(at, &OsRandom),
            WebhookId::generate(at, &OsRandom),
        );
        let one = DeliveryId::derive(event, Some(a));
        assert_eq!(one, DeliveryId::derive(event, Some(a)));
        assert_ne!(one, DeliveryId::derive(event, Some(b)));
        assert_ne!(one, DeliveryId::derive(event, None));
        assert_eq!(one.0.get_version_num(), 7);
        let (low, high) = event.id_range();
        let text = one.to_string();
        assert!(text.starts_with(&v7_prefix(at)));
        assert!(low <= text && text < high);
    }

    #[test]
    fn deliveries_of_events_made_in_one_millisecond_sort_as_the_events() {
        let at = Timestamp::from_millis(1_700_000_000_789).unwrap();
        let hook = WebhookId::generate(at, &OsRandom);
        let events: Vec<EventId> = (0..1_000)
            .map(|_| EventId::generate(at, &OsRandom))
            .collect();
        let deliveries = events.iter().map(|e| DeliveryId::derive(*e, Some(hook)));
        let deliveries: Vec<String> = deliveries.map(|d| d.to_string()).collect();
        // The count can restart (see above); with hashed bits, half would be out.
        let in_order = deliveries.windows(2).filter(|w| w[0] < w[1]).count();
        assert!(in_order >= 990, "{in_order} of 999 in order");
    }

    #[test]
    fn parse_refuses_non_uuids() {
        assert!(WebhookId::parse("nope").is_none());
    }
}
