//! Deliveries: batched writes, lists, and the one conditional change.

use super::{Changed, KeyPage, StoreError};
use crate::domain::delivery::{Change, Delivery, DeliveryStatus};
use crate::domain::event::EventPart;
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::listing::{ListParams, Page};
use crate::domain::time::Timestamp;
use async_trait::async_trait;

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

/// A delivery's place in its poll webhook's feed, `{fetchable from}#{id}`:
/// what a `poll_feed` page continues after.
pub fn feed_sort_key(delivery: &Delivery) -> String {
    let at = delivery.next_attempt_at().map(|at| at.to_string());
    format!("{}#{}", at.unwrap_or_default(), delivery.id())
}

#[async_trait]
pub trait DeliveryStore: Send + Sync {
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

    /// A page of poll webhook `webhook`'s feed: its deliveries waiting to be
    /// fetched (`Delivery::in_feed`) from a time in `[since, now]` (before
    /// `since` they have expired), oldest first (by that time, then id), up
    /// to `limit`, with the key past which there are more. Always from the
    /// start: an acknowledged delivery has left the feed. A Query of the
    /// feed's keys, never a Scan: O(limit) reads.
    async fn poll_feed(
        &self,
        account: AccountId,
        webhook: WebhookId,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<KeyPage<Delivery>, StoreError>;

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
}
