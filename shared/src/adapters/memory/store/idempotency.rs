//! Idempotency-Key claims.

use super::MemoryStore;
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl IdempotencyStore for MemoryStore {
    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let mut state = self.write();
        let key = (record.account_id, record.key_hash.clone());
        match state.idempotency.get(&key) {
            Some(existing) if existing.is_live(now) => Ok(Some(existing.clone())),
            _ => {
                state.idempotency.insert(key, record.clone());
                Ok(None)
            }
        }
    }

    async fn complete_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.write()
            .idempotency
            .insert((record.account_id, record.key_hash.clone()), record.clone());
        Ok(())
    }
}
