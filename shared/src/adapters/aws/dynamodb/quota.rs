//! The ingest quota's counters: items `QUOTA#{account}#{second}#{counter}` /
//! `QUOTA`, each counting one second's events of one counter with one
//! conditional `ADD` (a write unit, refused or not). TTL removes an item a
//! minute after its second; nothing reads it after its second.

use super::keys::{n, s};
use super::sdk::write_error;
use super::DynamoStore;
use crate::domain::quota::QuotaWindow;
use crate::ports::store::{QuotaStore, StoreError};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;

const KEEP_SECONDS: i64 = 60;

pub fn quota_pk(window: &QuotaWindow) -> String {
    format!(
        "QUOTA#{}#{}#{}",
        window.account, window.second, window.counter
    )
}

#[async_trait]
impl QuotaStore for DynamoStore {
    async fn take_ingest_quota(
        &self,
        window: &QuotaWindow,
        count: u32,
    ) -> Result<bool, StoreError> {
        let Some(room) = window.limit.checked_sub(count) else {
            return Ok(false);
        };
        let answer = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(quota_pk(window)))
            .key("sk", s("QUOTA"))
            .update_expression("SET expires_at = :expires ADD used :count")
            .condition_expression("attribute_not_exists(used) OR used <= :room")
            .expression_attribute_values(":expires", n(window.second + KEEP_SECONDS))
            .expression_attribute_values(":count", n(count))
            .expression_attribute_values(":room", n(room))
            // The item as it is now, for the partition-load replay (free).
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match answer.map_err(write_error) {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(err) => Err(err),
        }
    }
}
