//! Events: the payload, stored once for all its deliveries.

use super::StoreError;
use crate::domain::delivery::Delivery;
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, EventId};
use crate::domain::time::Timestamp;
use async_trait::async_trait;
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::{HashMap, HashSet};

#[async_trait]
pub trait EventStore: Send + Sync {
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

    /// The events of `deliveries`, each distinct one read once (a page of one
    /// event's deliveries reads it once, not once a row: up to 64 read units
    /// each), several at a time; `None` for one that expired.
    async fn events_of(
        &self,
        account: AccountId,
        deliveries: &[Delivery],
        now: Timestamp,
    ) -> Result<HashMap<EventId, Option<Event>>, StoreError> {
        let ids: HashSet<EventId> = deliveries.iter().map(|d| d.event_id()).collect();
        stream::iter(ids)
            .map(|id| async move { self.get_event(account, id, now).await.map(|e| (id, e)) })
            .buffer_unordered(EVENT_READS_AT_ONCE)
            .try_collect()
            .await
    }
}

/// Parallel event reads of `events_of`.
const EVENT_READS_AT_ONCE: usize = 16;
