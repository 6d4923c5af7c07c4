//! A rate-limited webhook's send slots: one item per webhook,
//! `SLOT#{webhook}` / `SLOT`, holding the next free slot (epoch
//! microseconds). Each send pays one conditional UpdateItem (a second one
//! when another sender took the slot it read); webhooks without a limit
//! never touch it. TTL removes the item a day after its last send.

use super::keys::{n, s};
use super::{unavailable, DynamoStore};
use crate::domain::ids::WebhookId;
use crate::ports::store::StoreError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};

/// Tries before a contended slot is given up (the message comes back).
const TRIES: usize = 50;
const KEEP_SECONDS: i64 = 86_400;

impl DynamoStore {
    pub(super) async fn reserve_slot(
        &self,
        webhook: WebhookId,
        interval_micros: i64,
        now_micros: i64,
    ) -> Result<i64, StoreError> {
        // First try: the webhook is idle and this send may go now. After a
        // lost race: the slot after the one the winner left.
        let mut seen: Option<i64> = None;
        for _ in 0..TRIES {
            let slot = seen.map_or(now_micros, |next| next.max(now_micros));
            let update = self
                .client
                .update_item()
                .table_name(&self.table)
                .key("pk", s(format!("SLOT#{webhook}")))
                .key("sk", s("SLOT"))
                .update_expression("SET next_slot = :next, expires_at = :expires")
                .expression_attribute_values(":next", n(slot + interval_micros))
                .expression_attribute_values(":expires", n(now_micros / 1_000_000 + KEEP_SECONDS))
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                );
            let update = match seen {
                None => update
                    .condition_expression("attribute_not_exists(next_slot) OR next_slot <= :now")
                    .expression_attribute_values(":now", n(now_micros)),
                Some(next) => update
                    .condition_expression("next_slot = :seen")
                    .expression_attribute_values(":seen", n(next)),
            };
            match update.send().await {
                Ok(_) => return Ok(slot),
                Err(err) => match err.as_service_error() {
                    Some(UpdateItemError::ConditionalCheckFailedException(lost)) => {
                        seen = match lost.item().and_then(|item| item.get("next_slot")) {
                            Some(AttributeValue::N(next)) => next.parse().ok(),
                            _ => None,
                        }
                        .or(Some(now_micros));
                    }
                    _ => return Err(unavailable(err)),
                },
            }
        }
        Err(StoreError::Unavailable(format!(
            "the send slots of webhook {webhook} stayed contended for {TRIES} tries"
        )))
    }
}
