//! Send slots of rate-limited webhooks.

use super::MemoryStore;
use crate::domain::ids::WebhookId;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl SendSlotStore for MemoryStore {
    async fn reserve_send_slot(
        &self,
        webhook: WebhookId,
        item: u16,
        interval_micros: i64,
        now_micros: i64,
    ) -> Result<i64, StoreError> {
        let mut state = self.write();
        let next = state
            .send_slots
            .entry((webhook, item))
            .or_insert(now_micros);
        let slot = (*next).max(now_micros);
        *next = slot + interval_micros;
        Ok(slot)
    }
}
