//! Idempotency-Key claims: one item per key hash, replaced once expired.

use super::keys::*;
use super::DynamoStore;
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;
use std::collections::HashMap;

#[async_trait]
impl IdempotencyStore for DynamoStore {
    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let pk = idempotency_pk(record);
        let values = HashMap::from([(":now".to_owned(), n(now.epoch_seconds()))]);
        // Twice at most: a claim that expires and vanishes in between is claimed again.
        for _ in 0..2 {
            let item = with_key(encode(record)?, pk.clone(), "IDEMPOTENCY");
            match self
                .put_if(
                    item,
                    "attribute_not_exists(pk) OR expires_at <= :now",
                    Some(values.clone()),
                )
                .await
            {
                Ok(()) => return Ok(None),
                Err(StoreError::Conflict) => {
                    if let Some(existing) = self.get(pk.clone(), "IDEMPOTENCY").await? {
                        return Ok(Some(decode(existing)?));
                    }
                }
                Err(err) => return Err(err),
            }
        }
        Err(StoreError::Conflict)
    }

    async fn complete_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.put(with_key(
            encode(record)?,
            idempotency_pk(record),
            "IDEMPOTENCY",
        ))
        .await
    }
}

fn idempotency_pk(record: &IdempotencyRecord) -> String {
    format!("IDEMPOTENCY#{}#{}", record.account_id, record.key_hash)
}
