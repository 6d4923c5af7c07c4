//! Events, each stored once.

use super::MemoryStore;
use crate::domain::delivery::Delivery;
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, EventId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl EventStore for MemoryStore {
    async fn record_event(&self, event: &Event, deliveries: &[Delivery]) -> Result<(), StoreError> {
        self.write().events.insert(event.id, event.clone());
        self.insert_deliveries(deliveries).await
    }

    async fn insert_event_if_absent(&self, event: &Event) -> Result<(), StoreError> {
        self.write()
            .events
            .entry(event.id)
            .or_insert_with(|| event.clone());
        Ok(())
    }

    async fn get_event(
        &self,
        account: AccountId,
        id: EventId,
        now: Timestamp,
    ) -> Result<Option<Event>, StoreError> {
        self.reading(|s| {
            s.events
                .get(&id)
                .filter(|e| e.visible_to(account, now))
                .cloned()
        })
    }
}
