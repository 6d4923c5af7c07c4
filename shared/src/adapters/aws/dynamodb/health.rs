//! A webhook's health, noted by its senders: `HEALTH#{webhook}` / `HEALTH`
//! (`last_delivery_*` and the run of failures), kept apart from the webhook
//! item so that a busy webhook's notes never write the account's partition
//! (where every webhook of the account lives) nor its webhook-list index.
//! One UpdateItem applies a sender's `Outcomes` in place; reads of a webhook
//! take both items in one BatchGetItem. It expires with the deliveries it
//! speaks of.

use super::keys::{attribute, n, s, Item};
use super::sdk::{no_item, text, unavailable};
use super::DynamoStore;
use crate::domain::health::{Health, LastDelivery, Outcomes};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::webhook::Webhook;
use crate::ports::store::StoreError;
use aws_sdk_dynamodb::types::ReturnValue;
use std::collections::HashMap;

pub fn health_key(id: WebhookId) -> Item {
    HashMap::from([
        ("pk".to_owned(), s(format!("HEALTH#{id}"))),
        ("sk".to_owned(), s("HEALTH")),
    ])
}

/// The webhook as read, with its health item (if it has one) laid over it.
pub fn with_health(mut webhook: Webhook, health: Option<&Item>) -> Result<Webhook, StoreError> {
    let Some(item) = health else {
        return Ok(webhook);
    };
    let read: Noted = serde_dynamo::from_item(item.clone())
        .map_err(|e| StoreError::Unavailable(format!("decoding a health item: {e}")))?;
    let last = read.last.or_else(|| webhook.last_delivery().cloned());
    webhook.lay_health(read.health);
    webhook.lay_last_delivery(last);
    Ok(webhook)
}

#[derive(serde::Deserialize)]
struct Noted {
    #[serde(flatten)]
    health: Health,
    #[serde(flatten, default)]
    last: Option<LastDelivery>,
}

/// The UpdateItem expression that applies `outcomes` (`Outcomes::apply`).
pub(super) fn outcomes_update(
    account: AccountId,
    outcomes: &Outcomes,
    expires_at: i64,
) -> Result<(String, Item), StoreError> {
    let mut set = vec!["account_id = :a".to_owned(), "expires_at = :e".to_owned()];
    let mut remove = Vec::new();
    let mut values = HashMap::from([
        (":a".to_owned(), s(account.to_string())),
        (":e".to_owned(), n(expires_at)),
        (":f".to_owned(), n(outcomes.failures)),
    ]);
    if let Some(last) = &outcomes.last {
        set.push("last_delivery_status = :s, last_delivery_at = :t".into());
        values.insert(":s".into(), attribute(&last.last_delivery_status)?);
        values.insert(":t".into(), s(last.last_delivery_at.to_string()));
    }
    if let Some(first) = outcomes.first_failure_at {
        values.insert(":ff".into(), s(first.to_string()));
    }
    match outcomes.success_at {
        Some(success) => {
            set.push("consecutive_failures = :f, last_success_at = :ok".into());
            values.insert(":ok".into(), s(success.to_string()));
            match outcomes.first_failure_at {
                Some(_) => set.push("failing_since = :ff".into()),
                None => remove.push("failing_since"),
            }
        }
        None if outcomes.failures > 0 => {
            set.push(
                "consecutive_failures = if_not_exists(consecutive_failures, :zero) + :f, \
                 failing_since = if_not_exists(failing_since, :ff)"
                    .into(),
            );
            values.insert(":zero".into(), n(0));
        }
        None => {
            values.remove(":f");
        }
    }
    let mut text = format!("SET {}", set.join(", "));
    if !remove.is_empty() {
        text.push_str(&format!(" REMOVE {}", remove.join(", ")));
    }
    Ok((text, values))
}

impl DynamoStore {
    /// Applies an `outcomes_update` to the webhook's health item.
    pub(super) async fn note_outcomes(
        &self,
        id: WebhookId,
        (update, values): (String, Item),
    ) -> Result<Health, StoreError> {
        let answer = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(health_key(id)))
            .update_expression(update)
            .set_expression_attribute_values(Some(values))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(unavailable)?;
        let item = answer.attributes.ok_or_else(no_item)?;
        serde_dynamo::from_item(item)
            .map_err(|e| StoreError::Corrupt(format!("decoding a health item: {e}")))
    }

    pub(super) async fn forget_failures(&self, id: WebhookId) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(health_key(id)))
            .update_expression(
                "SET consecutive_failures = :zero REMOVE failing_since, last_success_at",
            )
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":zero", n(0))
            .send()
            .await
            .map(|_| ())
            .or_else(|err| match super::sdk::write_error(err) {
                // No health item: nothing to forget.
                StoreError::Conflict => Ok(()),
                other => Err(other),
            })
    }

    /// Lays each webhook's health item over it (one BatchGetItem a page).
    pub(super) async fn with_health(
        &self,
        webhooks: Vec<Webhook>,
    ) -> Result<Vec<Webhook>, StoreError> {
        let keys = webhooks.iter().map(|w| health_key(w.id())).collect();
        let found = self.batch_get(keys).await?;
        let by_pk: HashMap<String, Item> = found
            .into_iter()
            .map(|item| Ok((text(&item, "pk")?, item)))
            .collect::<Result<_, StoreError>>()?;
        webhooks
            .into_iter()
            .map(|w| {
                let item = by_pk.get(&format!("HEALTH#{}", w.id()));
                with_health(w, item)
            })
            .collect()
    }
}
