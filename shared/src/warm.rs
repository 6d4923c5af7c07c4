//! What a warm process keeps between requests and messages, apart from the
//! ports (`App`): a small time-bounded cache (entries live `ttl` on the
//! `Clock`'s time, and at most `capacity` are kept; when full, expired ones
//! go first, then everything, so memory stays bounded), and what each
//! function keeps in it. Nothing here takes an `App`: the use cases that
//! fill and flush it do (`pipeline`, `operations`, `http::auth`).

use crate::domain::account::{Account, KeyHash};
use crate::domain::delivery::DeliveryStatus;
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::listing::Page;
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::domain::webhook::Webhook;
use crate::pipeline::note_buffer::NoteBuffer;
use crate::pipeline::stats_buffer::StatsBuffer;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// The warm state of one process.
pub struct Warm {
    /// What a warm sender keeps between messages.
    pub sender: SenderCache,
    /// Delivery stats not written yet (`StatsBuffer::flush`).
    pub stats: StatsBuffer,
    /// API key → account, kept `KEY_CACHE_SECONDS` by a warm function.
    pub keys: TtlCache<KeyHash, Account>,
    /// Each account's first page of enabled webhooks, kept by a warm ingest.
    pub subscribers: SubscriberCache,
}

/// How long a warm function trusts an API-key lookup.
pub const KEY_CACHE_SECONDS: i64 = 60;

impl Default for Warm {
    fn default() -> Self {
        Self::keeping_for(KEY_CACHE_SECONDS, SENDER_SECONDS)
    }
}

impl Warm {
    /// Keys kept `key_seconds`, a sender's copies `sender_seconds` (the
    /// partition-load simulation keeps both for its whole run, so its
    /// figures do not depend on timing).
    pub fn keeping_for(key_seconds: i64, sender_seconds: i64) -> Self {
        Self {
            sender: SenderCache::keeping_for(sender_seconds),
            stats: StatsBuffer::default(),
            keys: TtlCache::new(key_seconds, 10_000),
            subscribers: SubscriberCache::default(),
        }
    }
}

pub struct TtlCache<K, V> {
    ttl_seconds: i64,
    capacity: usize,
    entries: Mutex<HashMap<K, (Timestamp, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl_seconds: i64, capacity: usize) -> Self {
        Self {
            ttl_seconds,
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The value stored for `key` less than the TTL before `now`.
    pub fn get(&self, key: &K, now: Timestamp) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.plus_seconds(self.ttl_seconds) > now)
            .map(|(_, value)| value.clone())
    }

    pub fn put(&self, key: K, value: V, now: Timestamp) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let ttl = self.ttl_seconds;
            entries.retain(|_, (at, _)| at.plus_seconds(ttl) > now);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (now, value));
    }

    pub fn remove(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(key);
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// How long a warm sender trusts a webhook it read, and how often at most it
/// notes an unchanged `last_delivery_*` on it.
const SENDER_SECONDS: i64 = 60;
const SENDER_ENTRIES: usize = 10_000;
/// How long a sender remembers that a wake bucket has its schedule (a
/// bucket is in use at most ~15 minutes before its minute).
const WAKE_SECONDS: i64 = 3_600;

/// Events a warm sender read (the ones a message does not carry: large
/// ones, and any retry's), kept `SENDER_SECONDS` within `EVENT_BYTES`, so a
/// large event fanned out to many webhooks is read once per warm sender.
pub struct EventCache {
    entries: TtlCache<EventId, Event>,
    bytes: Mutex<usize>,
}

/// Payload and context bytes a sender keeps at most.
const EVENT_BYTES: usize = 32 * 1024 * 1024;

impl EventCache {
    fn keeping_for(seconds: i64) -> Self {
        Self {
            entries: TtlCache::new(seconds, SENDER_ENTRIES),
            bytes: Mutex::new(0),
        }
    }

    pub fn get(&self, id: EventId, now: Timestamp) -> Option<Event> {
        self.entries.get(&id, now)
    }

    pub fn put(&self, event: &Event, now: Timestamp) {
        let size = event.payload.len() + event.context.len();
        let mut bytes = self.bytes.lock().unwrap_or_else(|p| p.into_inner());
        if *bytes + size > EVENT_BYTES {
            // Full: start over (entries live a minute anyway).
            self.entries.clear();
            *bytes = 0;
        }
        *bytes += size;
        self.entries.put(event.id, event.clone(), now);
    }
}

/// What a warm sender keeps between messages (bounded in time and size).
pub struct SenderCache {
    pub(crate) webhooks: TtlCache<(AccountId, WebhookId), Webhook>,
    pub(crate) noted: TtlCache<WebhookId, DeliveryStatus>,
    /// Attempts this sender took on lately (delivery, attempts before): a
    /// duplicate message for one of them is dropped before it sends again.
    pub(crate) taken: TtlCache<(DeliveryId, u32), ()>,
    /// Wake buckets this sender knows have their schedule.
    pub(crate) wakes: TtlCache<WakeBucket, ()>,
    /// What it noted on webhooks and has not written yet.
    pub(crate) notes: NoteBuffer,
    pub(crate) events: EventCache,
}

impl SenderCache {
    /// A cache that keeps entries `seconds`.
    fn keeping_for(seconds: i64) -> Self {
        Self {
            webhooks: TtlCache::new(seconds, SENDER_ENTRIES),
            noted: TtlCache::new(seconds, SENDER_ENTRIES),
            taken: TtlCache::new(seconds, SENDER_ENTRIES),
            wakes: TtlCache::new(WAKE_SECONDS.max(seconds), SENDER_ENTRIES),
            notes: NoteBuffer::default(),
            events: EventCache::keeping_for(seconds),
        }
    }

    /// Keeps `webhook` as this sender's copy (it just read or changed it).
    pub fn keep_webhook(&self, webhook: &Webhook, now: Timestamp) {
        self.webhooks
            .put((webhook.account_id, webhook.id), webhook.clone(), now);
    }
}

/// How long a warm ingest trusts the account's first page of webhooks: a
/// webhook created, changed or deleted in another process applies to events
/// within this (in the process that changed it, at once).
pub const SUBSCRIBERS_SECONDS: i64 = 5;
/// Accounts a warm ingest keeps that page for (up to 100 webhooks each).
const SUBSCRIBER_ACCOUNTS: usize = 100;

/// The first page of each account's enabled webhooks that a warm ingest
/// keeps: an account sending thousands of events a second reads it once per
/// warm function every few seconds, not once per event.
pub struct SubscriberCache(pub(crate) TtlCache<AccountId, Page<Webhook>>);

impl Default for SubscriberCache {
    fn default() -> Self {
        Self(TtlCache::new(SUBSCRIBERS_SECONDS, SUBSCRIBER_ACCOUNTS))
    }
}

impl SubscriberCache {
    /// Forgets the account's page: one of its webhooks changed here.
    pub fn forget(&self, account: AccountId) {
        self.0.remove(&account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_millis(seconds * 1000).unwrap()
    }

    #[test]
    fn entries_expire_and_capacity_is_bounded() {
        let cache = TtlCache::new(60, 2);
        cache.put("a", 1, at(0));
        assert_eq!(cache.get(&"a", at(59)), Some(1));
        assert_eq!(cache.get(&"a", at(60)), None);
        cache.put("b", 2, at(20));
        cache.put("c", 3, at(70)); // full: "a" has expired and goes
        assert_eq!(cache.get(&"b", at(70)), Some(2));
        assert_eq!(cache.get(&"c", at(70)), Some(3));
        cache.put("d", 4, at(71)); // full of live entries: starts over
        assert_eq!(cache.get(&"b", at(71)), None);
        assert_eq!(cache.get(&"d", at(71)), Some(4));
    }
}
