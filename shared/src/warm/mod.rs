//! What a warm process keeps between requests and messages, apart from the
//! ports (`App`): bounded caches (`ttl_cache`), a sender's copies
//! (`sender_cache`), what senders noted and counted and have not written yet
//! (`note_buffer`, `stats_buffer`), API keys and subscribers. Nothing here
//! takes an `App`: the use cases that fill and flush it do (`pipeline`,
//! `operations`, `http::auth`).

pub mod note_buffer;
pub mod sender_cache;
pub mod stats_buffer;
pub mod ttl_cache;

pub use sender_cache::SenderCache;
pub use ttl_cache::TtlCache;

use crate::domain::account::KeyHash;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::ids::AccountId;
use crate::domain::listing::Page;
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use stats_buffer::StatsBuffer;
use std::sync::Arc;

/// How long a warm ingest trusts what it read of an event type's contract.
pub const CONTRACT_SECONDS: i64 = 60;

/// The warm state of one process.
pub struct Warm {
    /// What a warm sender keeps between messages.
    pub sender: SenderCache,
    /// Delivery stats not written yet (`StatsBuffer::flush`).
    pub stats: StatsBuffer,
    /// API key hash → the key (with its account and scope), kept
    /// `KEY_CACHE_SECONDS` by a warm function.
    pub keys: TtlCache<KeyHash, ApiKeyRecord>,
    /// Each account's first page of enabled webhooks, kept by a warm ingest.
    pub subscribers: SubscriberCache,
    /// The second in which each account's ingest quota last refused a
    /// request here, and how many events it had: the rest of that second, a
    /// request of as many or more is refused without a write.
    pub spent_quota: TtlCache<AccountId, (i64, u32)>,
    /// Each (account, `name.type`)'s enforced schema, compiled, or that
    /// none is enforced (`pipeline::contract`).
    pub contracts: TtlCache<(AccountId, String), Option<Arc<jsonschema::Validator>>>,
}

/// How long a warm function trusts an API-key lookup: a key revoked in
/// another process is refused here within this (in the revoking one, at
/// once), and its `last_used_at` is read, and written, about this often.
pub const KEY_CACHE_SECONDS: i64 = 60;

impl Default for Warm {
    fn default() -> Self {
        Self::keeping_for(KEY_CACHE_SECONDS, sender_cache::SENDER_SECONDS)
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
            spent_quota: TtlCache::new(1, 10_000),
            contracts: TtlCache::new(CONTRACT_SECONDS, 10_000),
        }
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
pub struct SubscriberCache(TtlCache<AccountId, Page<Webhook>>);

impl Default for SubscriberCache {
    fn default() -> Self {
        Self(TtlCache::new(SUBSCRIBERS_SECONDS, SUBSCRIBER_ACCOUNTS))
    }
}

impl SubscriberCache {
    pub fn get(&self, account: AccountId, now: Timestamp) -> Option<Page<Webhook>> {
        self.0.get(&account, now)
    }

    pub fn put(&self, account: AccountId, page: Page<Webhook>, now: Timestamp) {
        self.0.put(account, page, now);
    }

    /// Forgets the account's page: one of its webhooks changed here.
    pub fn forget(&self, account: AccountId) {
        self.0.remove(&account);
    }
}
