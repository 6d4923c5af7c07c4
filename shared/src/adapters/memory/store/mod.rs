//! A `Store` in process memory, one file per role as in the DynamoDB adapter.

mod accounts;
mod api_keys;
mod audit;
mod console_links;
mod deliveries;
mod event_types;
mod events;
mod idempotency;
mod pending;
mod quota;
mod send_slots;
mod stats;
mod tasks;
mod webhooks;

use crate::domain::account::KeyHash;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use crate::domain::branding::Branding;
use crate::domain::console_link::ConsoleLink;
use crate::domain::delivery::Delivery;
use crate::domain::event::Event;
use crate::domain::event_type::EventType;
use crate::domain::health::{Health, LastDelivery};
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::ids::{
    AccountId, ApiKeyId, AuditId, ConsoleLinkId, DeliveryId, EventId, TaskId, WebhookId,
};
use crate::domain::stats::{StatsScope, Tally};
use crate::domain::task::Task;
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::domain::webhook::Webhook;
use crate::ports::store::{KeyPage, StoreError};
use crate::sealing::Sealer;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

#[derive(Default)]
struct State {
    /// Each account's keys (with the account), and where each hash leads.
    api_keys: BTreeMap<(AccountId, ApiKeyId), ApiKeyRecord>,
    key_hashes: HashMap<KeyHash, (AccountId, ApiKeyId)>,
    webhooks: BTreeMap<(AccountId, WebhookId), KeptWebhook>,
    events: HashMap<EventId, Event>,
    deliveries: HashMap<DeliveryId, Delivery>,
    /// Each poll webhook's feed in order (`Delivery::in_feed`), kept in step
    /// with `deliveries` (`put_delivery`, `remove_delivery`).
    feeds: BTreeSet<FeedKey>,
    idempotency: HashMap<(AccountId, String), IdempotencyRecord>,
    event_types: BTreeMap<(AccountId, String), EventType>,
    console_links: BTreeMap<(AccountId, ConsoleLinkId), ConsoleLink>,
    branding: HashMap<AccountId, Branding>,
    /// A rate-limited webhook's next free send slot (epoch microseconds).
    send_slots: HashMap<(WebhookId, u16), i64>,
    /// Each account's ingest-quota counters: (second, events counted).
    quota: HashMap<(AccountId, u16), (i64, u32)>,
    /// Hourly delivery counters (they expire with the process).
    stats: BTreeMap<(AccountId, StatsKey, Timestamp), Tally>,
    /// Wake buckets that have a schedule.
    wakes: HashSet<WakeBucket>,
    tasks: HashMap<TaskId, Task>,
    /// Each webhook's notes from its senders, kept apart from it (as DynamoDB does).
    health: HashMap<WebhookId, HealthRecord>,
    /// Each account's audit log, in id (time) order.
    audit: BTreeMap<(AccountId, AuditId), AuditRecord>,
}

#[derive(Default)]
struct HealthRecord {
    last: Option<LastDelivery>,
    health: Health,
}

/// A webhook as this store keeps it: sealed as the DynamoDB store keeps it
/// (`sealing::seal_webhook`), beside what lists select it by (no secret).
#[derive(Clone)]
struct KeptWebhook {
    stored: Map<String, Value>,
    enabled: bool,
    created_at: Timestamp,
    updated_at: Timestamp,
    version: u64,
}

/// A delivery's place in its poll webhook's feed.
type FeedKey = (WebhookId, Timestamp, DeliveryId);

fn feed_key(delivery: &Delivery) -> Option<FeedKey> {
    delivery
        .in_feed()
        .map(|(webhook, at)| (webhook, at, delivery.id()))
}

impl State {
    /// Stores `delivery` (new, or as changed), and its place in a feed.
    fn put_delivery(&mut self, delivery: Delivery) {
        self.remove_delivery(delivery.id());
        self.feeds.extend(feed_key(&delivery));
        self.deliveries.insert(delivery.id(), delivery);
    }

    fn remove_delivery(&mut self, id: DeliveryId) {
        if let Some(gone) = self.deliveries.remove(&id) {
            if let Some(key) = feed_key(&gone) {
                self.feeds.remove(&key);
            }
        }
    }

    /// The webhook as read: with what its senders noted.
    fn with_health(&self, mut webhook: Webhook) -> Webhook {
        let record = self.health.get(&webhook.id());
        webhook.lay_last_delivery(record.and_then(|r| r.last.clone()));
        webhook.lay_health(record.map(|r| r.health).unwrap_or_default());
        webhook
    }
}

/// `StatsScope` in an order: the account's counters, then each webhook's.
type StatsKey = Option<WebhookId>;

fn stats_key(scope: StatsScope) -> StatsKey {
    match scope {
        StatsScope::Account => None,
        StatsScope::Webhook(id) => Some(id),
    }
}

/// What a delete answers: whether there was such an item (Conflict: none).
fn found(deleted: Result<(), StoreError>) -> Result<bool, StoreError> {
    match deleted {
        Ok(()) => Ok(true),
        Err(StoreError::Conflict) => Ok(false),
        Err(err) => Err(err),
    }
}

/// Of one account's items in key order, those after `after` that `keep`
/// allows, as a page of `limit`.
fn key_page<K: Ord + Clone, T: Clone>(
    items: &BTreeMap<(AccountId, K), T>,
    account: AccountId,
    after: Option<&str>,
    limit: usize,
    key: impl Fn(&T) -> String,
    keep: impl Fn(&T) -> bool,
) -> KeyPage<T> {
    let found = items
        .iter()
        .skip_while(|((owner, _), _)| *owner != account)
        .take_while(|((owner, _), _)| *owner == account)
        .map(|(_, item)| item)
        .filter(|item| after.is_none_or(|after| key(item).as_str() > after))
        .filter(|item| keep(item))
        .take(limit + 1)
        .cloned()
        .collect();
    KeyPage::of(found, limit, key)
}

/// A `Store` in process memory. Same semantics as the DynamoDB store,
/// checked by the same conformance suite; it keeps secrets sealed as that
/// one does, with `sealer`.
pub struct MemoryStore {
    state: RwLock<State>,
    sealer: Arc<Sealer>,
}

impl MemoryStore {
    pub fn new(sealer: Arc<Sealer>) -> Self {
        Self {
            state: RwLock::default(),
            sealer,
        }
    }

    /// Every item kept, as JSON (what a test scans for secrets, as it scans
    /// a DynamoDB table): webhooks as stored, everything else as serialized.
    pub fn dump(&self) -> Vec<Value> {
        fn all<'a, T: Serialize + 'a>(items: impl Iterator<Item = T> + 'a) -> Vec<Value> {
            items
                .map(|item| serde_json::to_value(item).unwrap_or_default())
                .collect()
        }
        let s = self.read();
        let stats = s
            .stats
            .iter()
            .map(|(key, tally)| format!("{key:?} {tally:?}"));
        let health = s.health.iter().map(|(w, r)| (w, &r.last, r.health));
        [
            all(s.api_keys.values()),
            all(s.key_hashes.iter().map(|(hash, key)| (hash.to_hex(), key))),
            all(s.webhooks.values().map(|w| &w.stored)),
            all(s.events.values()),
            all(s.deliveries.values()),
            all(s.idempotency.values()),
            all(s.event_types.values()),
            all(s.console_links.values()),
            all(s.tasks.values()),
            all(s.wakes.iter()),
            all(s.send_slots.iter()),
            all(stats),
            all(health),
            all(s.audit.values()),
        ]
        .concat()
    }

    // A panic while holding the lock leaves plain data behind; keep serving it.
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    /// What `read` makes of the state, as a store answers it (memory never fails).
    fn reading<T>(&self, read: impl FnOnce(&State) -> T) -> Result<T, StoreError> {
        Ok(read(&self.read()))
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }
}
