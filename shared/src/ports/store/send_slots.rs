//! A rate-limited webhook's send slots.

use super::StoreError;
use crate::domain::ids::WebhookId;
use async_trait::async_trait;

#[async_trait]
pub trait SendSlotStore: Send + Sync {
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
}
