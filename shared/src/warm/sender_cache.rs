//! What a warm sender keeps between messages: its copies of webhooks and
//! events, the attempts it took, the wake buckets it knows are scheduled,
//! and what it noted and has not written yet.

use crate::domain::delivery::DeliveryStatus;
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::domain::webhook::Webhook;
use crate::warm::note_buffer::NoteBuffer;
use crate::warm::ttl_cache::TtlCache;
use std::sync::Mutex;

/// How long a warm sender trusts a webhook it read, and how often at most it
/// notes an unchanged `last_delivery_*` on it.
pub(super) const SENDER_SECONDS: i64 = 60;
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
    pub(super) fn keeping_for(seconds: i64) -> Self {
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
            .put((webhook.account_id(), webhook.id()), webhook.clone(), now);
    }
}
