//! The storage port: accounts and webhooks. Implemented by the in-memory and
//! DynamoDB adapters and checked by one conformance suite.

use crate::domain::account::{Account, KeyHash};
use crate::domain::console_link::ConsoleLink;
use crate::domain::delivery::{Change, Delivery, DeliveryStatus};
use crate::domain::event::{Event, EventKind, EventPart};
use crate::domain::event_type::EventType;
use crate::domain::health::{Health, Outcomes};
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::ids::{AccountId, ConsoleLinkId, DeliveryId, EventId, TaskId, WebhookId};
use crate::domain::listing::{ListParams, Page, TooBroad};
use crate::domain::stats::{StatsScope, Tally};
use crate::domain::task::{Task, TaskChange};
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::domain::webhook::Webhook;
use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A conditional write lost: the item is gone, exists already, or changed.
    #[error("the item changed or does not exist")]
    Conflict,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A request that would read more than a list may: the caller narrows it.
    #[error("{field}: {message}")]
    TooBroad {
        field: &'static str,
        message: String,
    },
}

impl From<TooBroad> for StoreError {
    fn from(err: TooBroad) -> Self {
        Self::TooBroad {
            field: err.field,
            message: err.message,
        }
    }
}

/// Filters of the webhook list beyond the common window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookFilter {
    pub enabled: Option<bool>,
}

/// Filters of the delivery lists beyond the common window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryFilter {
    /// Any of these; empty means every status.
    pub statuses: Vec<DeliveryStatus>,
    pub webhook_id: Option<WebhookId>,
    pub event_name: Option<EventPart>,
    /// Only with `event_name` (`name.type`).
    pub event_type: Option<EventPart>,
    pub event_id: Option<EventId>,
}

impl DeliveryFilter {
    /// Whether a list reads `delivery` at all (before the other filters):
    /// a webhook's deliveries, or the failed ones, are read from their own
    /// index; any other list reads all of the account's.
    pub fn reads(&self, delivery: &Delivery) -> bool {
        let failed_only = self.statuses == [DeliveryStatus::Failed];
        self.webhook_id
            .is_none_or(|w| delivery.webhook_id() == Some(w))
            && (!failed_only || delivery.status() == DeliveryStatus::Failed)
    }

    pub fn matches(&self, delivery: &Delivery) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&delivery.status()))
            && self
                .webhook_id
                .is_none_or(|w| delivery.webhook_id() == Some(w))
            && self
                .event_name
                .as_ref()
                .is_none_or(|n| &delivery.event().name == n)
            && self
                .event_type
                .as_ref()
                .is_none_or(|t| &delivery.event().kind == t)
            && self.event_id.is_none_or(|e| delivery.event_id() == e)
    }
}

/// A page of a list kept in key order (the event-type catalogue, console
/// links): up to the limit asked for, and the key to continue after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> KeyPage<T> {
    /// The first `limit` of `items` (read in key order, one more than
    /// `limit` if there is more), continuing after the last one kept.
    pub fn of(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Self {
        let more = items.len() > limit;
        items.truncate(limit);
        let next = if more { items.last().map(key) } else { None };
        Self { items, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> KeyPage<U> {
        KeyPage {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

/// What the sweeper found past its `sweep_at`: a pending delivery, or a
/// background task's step.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Overdue {
    Delivery {
        account_id: AccountId,
        delivery_id: DeliveryId,
        attempts: u32,
    },
    Task {
        account_id: AccountId,
        task_id: TaskId,
        step: u32,
    },
}

impl Overdue {
    pub fn of(delivery: &Delivery) -> Self {
        Self::Delivery {
            account_id: delivery.account_id(),
            delivery_id: delivery.id(),
            attempts: delivery.attempts(),
        }
    }

    pub fn of_task(task: &Task) -> Self {
        Self::Task {
            account_id: task.account_id,
            task_id: task.id,
            step: task.step,
        }
    }
}

/// A delivery waiting in a wake bucket, and when it is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub account_id: AccountId,
    pub delivery_id: DeliveryId,
    pub attempts: u32,
    pub due: Timestamp,
}

/// What became of a conditional change of a delivery or a task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed<T = Delivery> {
    /// It applied: the item as it is now.
    Applied(T),
    /// Its condition failed: the item as it is (`None`: gone, or not the account's).
    Refused(Option<T>),
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Records an account with the hash of its key. Conflict if the hash is taken.
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError>;

    /// The account a key hash belongs to.
    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError>;

    /// Conflict if a webhook with that id exists.
    async fn insert_webhook(&self, webhook: &Webhook) -> Result<(), StoreError>;

    async fn get_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError>;

    /// Replaces the webhook if its stored `version` is still `expected_version`;
    /// Conflict if it changed or was deleted meanwhile.
    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
    ) -> Result<(), StoreError>;

    /// Notes a sender's outcomes on the webhook's health (`Outcomes::apply`:
    /// `last_delivery_*` and its run of failures, counted exactly however
    /// many senders note at once), kept apart from the webhook so a busy
    /// webhook's notes never contend with its account's partition. The
    /// health after. It expires `RETENTION_DAYS` after its last note, with
    /// the deliveries it speaks of.
    async fn record_outcome(
        &self,
        account: AccountId,
        id: WebhookId,
        outcomes: &Outcomes,
        expires_at: i64,
    ) -> Result<Health, StoreError>;

    /// Forgets the webhook's run of failures (it was switched on again).
    async fn reset_health(&self, account: AccountId, id: WebhookId) -> Result<(), StoreError>;

    /// Whether there was such a webhook.
    async fn delete_webhook(&self, account: AccountId, id: WebhookId) -> Result<bool, StoreError>;

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError>;

    /// Up to `limit` of the account's enabled webhooks after `after`, in id
    /// order, as fan-out needs them (without `last_delivery_*` or health).
    async fn subscribers(
        &self,
        account: AccountId,
        after: Option<WebhookId>,
        limit: u32,
    ) -> Result<Page<Webhook>, StoreError>;

    /// Stores a new event (its payload, once for all its deliveries) and its
    /// first deliveries, batched: a fresh ingest, where none of it exists yet.
    async fn record_event(&self, event: &Event, deliveries: &[Delivery]) -> Result<(), StoreError>;

    /// Stores the event unless it exists: a resumed ingest never rewrites it.
    async fn insert_event_if_absent(&self, event: &Event) -> Result<(), StoreError>;

    /// The event, unless it expired.
    async fn get_event(
        &self,
        account: AccountId,
        id: EventId,
        now: Timestamp,
    ) -> Result<Option<Event>, StoreError>;

    /// Records new deliveries, batched. Where a repeat is possible (a resumed
    /// ingest, a fan-out chunk received again), callers first keep only the
    /// `missing_deliveries`, so nothing a sender advanced is written over.
    async fn insert_deliveries(&self, deliveries: &[Delivery]) -> Result<(), StoreError>;

    /// Of `ids`, those not stored.
    async fn missing_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<Vec<DeliveryId>, StoreError>;

    /// The delivery, unless it expired.
    async fn get_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError>;

    /// Removes these deliveries (batched); ids that are gone are skipped.
    async fn delete_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<(), StoreError>;

    /// One page of an account's live deliveries.
    async fn list_deliveries(
        &self,
        account: AccountId,
        filter: &DeliveryFilter,
        params: &ListParams,
        now: Timestamp,
    ) -> Result<Page<Delivery>, StoreError>;

    /// Applies `change` at `now` if the delivery admits it with exactly
    /// `attempts` attempts made (`Delivery::admits`), and says what it found
    /// either way. One write, no read.
    async fn change_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        attempts: u32,
        change: &Change,
        now: Timestamp,
    ) -> Result<Changed, StoreError>;

    /// Pending deliveries and task steps whose `sweep_at` is before `now`, a
    /// page of up to `limit` after the key `after` (oldest first within a shard).
    async fn overdue(
        &self,
        now: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Overdue>, StoreError>;

    /// The deliveries waiting in `bucket`, a page of up to `limit` after `after`.
    async fn waiting_in(
        &self,
        bucket: WakeBucket,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Waiting>, StoreError>;

    /// Records a new background task; Conflict if it exists.
    async fn insert_task(&self, task: &Task) -> Result<(), StoreError>;

    /// Applies `change` to the task's step `step` if it admits it
    /// (`Task::admits`), and says what it found either way.
    async fn change_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
        change: &TaskChange,
        now: Timestamp,
    ) -> Result<Changed<Task>, StoreError>;

    /// Ends the task after its step `step` (it is removed); nothing if it
    /// moved on or is gone.
    async fn finish_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
    ) -> Result<(), StoreError>;

    /// Records that `bucket` has a schedule; `false` if it had one already.
    /// The record expires a day after the bucket's minute.
    async fn claim_wake(&self, bucket: WakeBucket) -> Result<bool, StoreError>;

    /// Forgets the record of `bucket` (its schedule could not be made).
    async fn release_wake(&self, bucket: WakeBucket) -> Result<(), StoreError>;

    /// Claims `record.key_hash` for the account: `None` if this call claimed
    /// it, else the live claim made before (an expired one is replaced).
    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;

    /// Stores the answer of a claim.
    async fn complete_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError>;

    /// Conflict if the account has this event type already.
    async fn insert_event_type(&self, event_type: &EventType) -> Result<(), StoreError>;

    async fn get_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<Option<EventType>, StoreError>;

    /// Replaces it; Conflict if it was deleted meanwhile.
    async fn update_event_type(&self, event_type: &EventType) -> Result<(), StoreError>;

    /// Whether there was such an event type.
    async fn delete_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<bool, StoreError>;

    /// The account's event types in `name.type` order, after `after`.
    async fn list_event_types(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<EventType>, StoreError>;

    async fn insert_console_link(&self, link: &ConsoleLink) -> Result<(), StoreError>;

    /// The link, unless it expired or was revoked.
    async fn get_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        now: Timestamp,
    ) -> Result<Option<ConsoleLink>, StoreError>;

    /// The account's live links, oldest first, after the link `after`.
    async fn list_console_links(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<ConsoleLink>, StoreError>;

    /// Revokes it; whether there was such a link.
    async fn delete_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
    ) -> Result<bool, StoreError>;

    /// Reserves the next send of a rate-limited webhook from its slot item
    /// `item`: the time, in epoch microseconds, at which this send may go
    /// (`now_micros` or later), with at least `interval_micros` between any
    /// two slots the item hands out, across all senders. Each slot is given once.
    async fn reserve_send_slot(
        &self,
        webhook: WebhookId,
        item: u16,
        interval_micros: i64,
        now_micros: i64,
    ) -> Result<i64, StoreError>;

    /// Adds `tally` to the counters of `scope` for the hour starting at
    /// `hour`, in place (concurrent adds all count); they expire at
    /// `expires_at` (epoch seconds).
    async fn add_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The counters of `scope` for the hours in [`from`, `to`), oldest
    /// first; hours without any are left out. One read, bounded by the hours.
    async fn read_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError>;
}
