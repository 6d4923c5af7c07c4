//! Idempotency-Key claims and the answers they keep.

use super::StoreError;
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::time::Timestamp;
use async_trait::async_trait;

#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims `record.key_hash` for the account: `None` if this call claimed
    /// it, else the live claim made before (an expired one is replaced).
    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;

    /// Stores the answer of a claim.
    async fn complete_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError>;
}
