//! Events: the payload, stored once for all its deliveries.

use super::StoreError;
use crate::domain::delivery::Delivery;
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, EventId};
use crate::domain::time::Timestamp;
use async_trait::async_trait;

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
}
