//! A rate-limited webhook's send slots: items `SLOT#{webhook}#{item}` / `SLOT`
//! (a limit over 100 a second is spread over several, `RateLimit::slot_items`),
//! each holding its next free slot (epoch microseconds). A busy item (its
//! next slot to come, or less than a second old) hands out a slot with one
//! `ADD`, which never loses a race; one idle longer is restarted at now with
//! a conditional write. Webhooks without a limit never touch them. TTL
//! removes an item a day after its last send.

use super::keys::{n, s};
use super::sdk::unavailable;
use super::DynamoStore;
use crate::domain::ids::WebhookId;
use crate::ports::store::{SendSlotStore, StoreError};
use async_trait::async_trait;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

/// Rounds of (add to a busy item, restart an idle one) before giving up.
const TRIES: usize = 5;
/// How far behind `now` an item's next slot may be and still be added to:
/// a busy item is one write a send; one idle longer is restarted at now.
const BURST_MICROS: i64 = 1_000_000;
const KEEP_SECONDS: i64 = 86_400;

#[async_trait]
impl SendSlotStore for DynamoStore {
    async fn reserve_send_slot(
        &self,
        webhook: WebhookId,
        item: u16,
        interval_micros: i64,
        now_micros: i64,
    ) -> Result<i64, StoreError> {
        let slot = Slot {
            key: format!("SLOT#{webhook}#{item}"),
            interval_micros,
            now_micros,
        };
        for _ in 0..TRIES {
            if let Some(taken) = self.take_busy_slot(&slot).await? {
                return Ok(taken);
            }
            if self.restart_idle(&slot).await? {
                return Ok(now_micros);
            }
        }
        Err(StoreError::Unavailable(format!(
            "the send slots of webhook {webhook} stayed contended for {TRIES} rounds"
        )))
    }
}

/// One reservation: the slot item and what a sender asks of it.
struct Slot {
    key: String,
    interval_micros: i64,
    now_micros: i64,
}

impl DynamoStore {
    /// An UpdateItem of the slot item with what both writes set: its
    /// expiry, and the floor (`:floor`) below which it counts as idle.
    fn slot_update(&self, slot: &Slot) -> UpdateItemFluentBuilder {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&slot.key))
            .key("sk", s("SLOT"))
            .expression_attribute_values(":floor", n(slot.now_micros - BURST_MICROS))
            .expression_attribute_values(":expires", n(slot.now_micros / 1_000_000 + KEEP_SECONDS))
    }

    /// The next slot of an item whose next slot is past `now` by less than
    /// a second, or to come (a slot up to a second old goes at once: sends
    /// may burst by a second's worth); `None` when it is idle longer.
    async fn take_busy_slot(&self, slot: &Slot) -> Result<Option<i64>, StoreError> {
        let answer = self
            .slot_update(slot)
            .update_expression("SET expires_at = :expires ADD next_slot :interval")
            .condition_expression("next_slot > :floor")
            .expression_attribute_values(":interval", n(slot.interval_micros))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match answer {
            Ok(out) => {
                let next = match out.attributes.as_ref().and_then(|a| a.get("next_slot")) {
                    Some(AttributeValue::N(text)) => text.parse::<i64>().ok(),
                    _ => None,
                };
                let next = next.ok_or_else(|| {
                    StoreError::Corrupt(format!("{} answered without its next slot", slot.key))
                })?;
                Ok(Some((next - slot.interval_micros).max(slot.now_micros)))
            }
            Err(err) if is_condition_failure(&err) => Ok(None),
            Err(err) => Err(unavailable(err)),
        }
    }

    /// Takes the slot `now` of an idle item (none yet, or its next slot past);
    /// `false` when another sender got there first.
    async fn restart_idle(&self, slot: &Slot) -> Result<bool, StoreError> {
        let answer = self
            .slot_update(slot)
            .update_expression("SET next_slot = :next, expires_at = :expires")
            .condition_expression("attribute_not_exists(next_slot) OR next_slot <= :floor")
            .expression_attribute_values(":next", n(slot.now_micros + slot.interval_micros))
            .send()
            .await;
        match answer {
            Ok(_) => Ok(true),
            Err(err) if is_condition_failure(&err) => Ok(false),
            Err(err) => Err(unavailable(err)),
        }
    }
}

fn is_condition_failure<R>(err: &aws_sdk_dynamodb::error::SdkError<UpdateItemError, R>) -> bool {
    matches!(
        err.as_service_error(),
        Some(UpdateItemError::ConditionalCheckFailedException(_))
    )
}
