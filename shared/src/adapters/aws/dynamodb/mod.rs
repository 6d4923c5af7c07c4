//! The DynamoDB store: one table, `pk`/`sk` strings, three global indexes.
//! `keys` says how items are addressed, `paging` how lists are read,
//! `provisioning` how the table is made where no template makes it.

mod catalog;
pub mod costs;
pub mod hot_keys;
mod keys;
mod paging;
mod provisioning;
pub mod replay;
mod send_slots;
mod stats;

use crate::domain::account::{Account, KeyHash};
use crate::domain::console_link::ConsoleLink;
use crate::domain::delivery::{Change, Delivery, DeliveryStatus, Effects, KEPT_ATTEMPTS};
use crate::domain::event::{Event, EventKind};
use crate::domain::event_type::EventType;
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::ids::{AccountId, ConsoleLinkId, DeliveryId, EventId, WebhookId};
use crate::domain::listing::{sort_key, ListParams, Page, SortField};
use crate::domain::stats::{StatsScope, Tally};
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use crate::ports::store::{DeliveryFilter, KeyPage, Overdue, Store, StoreError, WebhookFilter};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, Put, PutRequest, ReturnValue,
    TransactWriteItem, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use catalog::*;
use keys::*;
use paging::Source;
use std::collections::HashMap;
use std::time::Duration;

fn unavailable<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    StoreError::Unavailable(DisplayErrorContext(&err).to_string())
}

/// The one conflict check: a failed condition (or a cancelled transaction) is
/// `Conflict`, anything else `Unavailable`.
fn write_error<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match err.as_service_error().and_then(|e| e.code()) {
        Some("ConditionalCheckFailedException" | "TransactionCanceledException") => {
            StoreError::Conflict
        }
        _ => unavailable(err),
    }
}

fn built<T>(result: Result<T, aws_sdk_dynamodb::error::BuildError>) -> Result<T, StoreError> {
    result.map_err(|e| StoreError::Unavailable(e.to_string()))
}

pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    async fn get(&self, pk: String, sk: &str) -> Result<Option<Item>, StoreError> {
        let response = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(response.item)
    }

    async fn put(&self, item: Item) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// Deletes an item; whether there was one.
    async fn delete(&self, pk: String, sk: &str) -> Result<bool, StoreError> {
        let response = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(response.attributes.is_some_and(|old| !old.is_empty()))
    }

    /// A put guarded by `condition`; a failed condition is `Conflict`.
    async fn put_if(
        &self,
        item: Item,
        condition: &str,
        values: Option<Item>,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .set_expression_attribute_values(values)
            .send()
            .await
            .map_err(write_error)?;
        Ok(())
    }

    /// BatchWriteItem in chunks of 25, retrying unprocessed items with backoff.
    async fn batch_write(&self, requests: Vec<WriteRequest>) -> Result<(), StoreError> {
        const TRIES: u32 = 6;
        for chunk in requests.chunks(25) {
            let mut pending = chunk.to_vec();
            for attempt in 0..TRIES {
                let answer = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, pending)
                    .send()
                    .await
                    .map_err(unavailable)?;
                pending = answer
                    .unprocessed_items
                    .and_then(|mut left| left.remove(&self.table))
                    .unwrap_or_default();
                if pending.is_empty() {
                    break;
                }
                if attempt + 1 == TRIES {
                    return Err(StoreError::Unavailable(format!(
                        "{} writes left unprocessed",
                        pending.len()
                    )));
                }
                // Unprocessed items mean throttling: back off before the next try.
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
            }
        }
        Ok(())
    }

    /// BatchGetItem (consistent) of these base keys, in chunks of 100, in the
    /// order given; keys with no item are left out.
    async fn batch_get(&self, keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        self.batch_get_projected(keys, None).await
    }

    async fn batch_get_projected(
        &self,
        keys: Vec<Item>,
        projection: Option<&str>,
    ) -> Result<Vec<Item>, StoreError> {
        const TRIES: u32 = 6;
        let base_key = |item: &Item| -> Item {
            item.iter()
                .filter(|(k, _)| k.as_str() == "pk" || k.as_str() == "sk")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let id = |item: &Item| (sort_value(item, "pk"), sort_value(item, "sk"));
        let mut found: HashMap<(String, String), Item> = HashMap::new();
        for chunk in keys.chunks(100) {
            let mut pending: Vec<Item> = chunk.iter().map(base_key).collect();
            for attempt in 0..TRIES {
                let request = built(
                    KeysAndAttributes::builder()
                        .set_keys(Some(pending))
                        .consistent_read(true)
                        .set_projection_expression(projection.map(str::to_owned))
                        .build(),
                )?;
                let answer = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(unavailable)?;
                let items = answer
                    .responses
                    .and_then(|mut r| r.remove(&self.table))
                    .unwrap_or_default();
                found.extend(items.into_iter().map(|item| (id(&item), item)));
                pending = answer
                    .unprocessed_keys
                    .and_then(|mut left| left.remove(&self.table))
                    .map(|k| k.keys)
                    .unwrap_or_default();
                if pending.is_empty() {
                    break;
                }
                if attempt + 1 == TRIES {
                    return Err(StoreError::Unavailable("reads left unprocessed".into()));
                }
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
            }
        }
        Ok(keys
            .iter()
            .filter_map(|key| found.remove(&id(key)))
            .collect())
    }

    /// Where a delivery list reads its keys: one webhook's index partition,
    /// the account's failed ones, or the account's own shards.
    fn delivery_source(
        account: AccountId,
        filter: &DeliveryFilter,
    ) -> (Source, fn(&str) -> String) {
        let all_shards =
            |pk: fn(AccountId, u8) -> String| (0..SHARDS).map(|i| pk(account, i)).collect();
        match (filter.webhook_id, filter.statuses.as_slice()) {
            (Some(webhook), _) => (
                Source {
                    index: Some(GSI3),
                    pk_attr: "gsi3pk",
                    sk_attr: "gsi3sk",
                    partitions: vec![webhook_deliveries_pk(webhook)],
                    keys_only: true,
                },
                |id| id.to_owned(),
            ),
            (None, [DeliveryStatus::Failed]) => (
                Source {
                    index: Some(GSI4),
                    pk_attr: "gsi4pk",
                    sk_attr: "gsi4sk",
                    partitions: all_shards(failed_pk),
                    keys_only: true,
                },
                |id| id.to_owned(),
            ),
            _ => (
                Source {
                    index: None,
                    pk_attr: "pk",
                    sk_attr: "sk",
                    partitions: all_shards(deliveries_pk),
                    keys_only: false,
                },
                |id| id.to_owned(),
            ),
        }
    }
}

/// One UpdateItem expression for `effects`, as names and values.
struct Update {
    set: Vec<String>,
    remove: Vec<String>,
    values: Item,
}

impl Update {
    fn of(
        account: AccountId,
        id: &str,
        effects: &Effects,
        attempts: u32,
    ) -> Result<Self, StoreError> {
        let mut update = Self {
            set: vec!["updated_at = :u".into(), "version = version + :one".into()],
            remove: Vec::new(),
            values: HashMap::from([
                (":u".to_owned(), s(effects.updated_at.to_string())),
                (":one".to_owned(), n(1)),
            ]),
        };
        if let Some(status) = effects.status {
            update.assign("#st", ":st", s(status.as_str()));
        }
        if let Some((code, total, attempt)) = &effects.attempted {
            update.assign("code", ":code", n(code));
            update.assign("attempts", ":n1", n(total));
            let logged = attribute(attempt)?;
            // The log is a ring of the last KEPT_ATTEMPTS: append until full,
            // then overwrite the oldest slot (the view orders by time).
            let kept = u32::try_from(KEPT_ATTEMPTS).unwrap_or(u32::MAX);
            if attempts < kept {
                update.set.push(
                    "attempt_log = list_append(if_not_exists(attempt_log, :none), :log)".into(),
                );
                update
                    .values
                    .insert(":none".into(), AttributeValue::L(Vec::new()));
                update
                    .values
                    .insert(":log".into(), AttributeValue::L(vec![logged]));
            } else {
                update
                    .set
                    .push(format!("attempt_log[{}] = :log", attempts % kept));
                update.values.insert(":log".into(), logged);
            }
        }
        if effects.sets_schedule {
            update.optional("next_attempt_at", effects.next_attempt_at);
            update.optional("lease_until", effects.lease_until);
            match effects.failure_reason {
                Some(why) => update.assign("failure_reason", ":why", attribute(&why)?),
                None => update.remove.push("failure_reason".into()),
            }
        }
        update.optional("sweep_at", effects.sweep_at);
        // The sweeper's touch keeps a pending status.
        let status = effects.status.unwrap_or(DeliveryStatus::Scheduled);
        match gsi4_keys(account, id, status, effects.sweep_at) {
            Some((pk, sk)) => {
                update.assign("gsi4pk", ":g4p", s(pk));
                update.assign("gsi4sk", ":g4s", s(sk));
            }
            None => update.remove.extend(["gsi4pk".into(), "gsi4sk".into()]),
        }
        Ok(update)
    }

    fn assign(&mut self, name: &str, placeholder: &str, value: AttributeValue) {
        self.set.push(format!("{name} = {placeholder}"));
        self.values.insert(placeholder.to_owned(), value);
    }

    fn optional(&mut self, name: &str, value: Option<Timestamp>) {
        match value {
            Some(at) => self.assign(name, &format!(":{name}"), s(at.to_string())),
            None => self.remove.push(name.to_owned()),
        }
    }

    fn expression(&self) -> String {
        let mut text = format!("SET {}", self.set.join(", "));
        if !self.remove.is_empty() {
            text.push_str(&format!(" REMOVE {}", self.remove.join(", ")));
        }
        text
    }
}

fn sort_value(item: &Item, attr: &str) -> String {
    match item.get(attr) {
        Some(AttributeValue::S(text)) => text.clone(),
        _ => String::new(),
    }
}

fn number(item: &Item, attr: &str) -> u32 {
    match item.get(attr) {
        Some(AttributeValue::N(text)) => text.parse().unwrap_or(0),
        _ => 0,
    }
}

#[async_trait]
impl Store for DynamoStore {
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError> {
        let mut account_item = encode(account)?;
        let mut key_item = account_item.clone();
        account_item.insert("pk".into(), s(account_pk(account.id)));
        account_item.insert("sk".into(), s("ACCOUNT"));
        key_item.insert("pk".into(), s(key_pk(key)));
        key_item.insert("sk".into(), s("APIKEY"));
        key_item.insert("key_hash".into(), s(key.to_hex()));
        let put = |item: Item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map(|put| TransactWriteItem::builder().put(put).build())
                .map_err(|e| StoreError::Unavailable(e.to_string()))
        };
        self.client
            .transact_write_items()
            .transact_items(put(account_item)?)
            .transact_items(put(key_item)?)
            .send()
            .await
            .map_err(write_error)?;
        Ok(())
    }

    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError> {
        let response = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(key_pk(key)))
            .key("sk", s("APIKEY"))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        let Some(item) = response.item else {
            return Ok(None);
        };
        let stored = match item.get("key_hash") {
            Some(AttributeValue::S(hex)) => KeyHash::from_hex(hex),
            _ => None,
        }
        .ok_or_else(|| StoreError::Unavailable("API key item without a key_hash".into()))?;
        Ok(Some((decode(item)?, stored)))
    }

    async fn insert_webhook(&self, webhook: &Webhook) -> Result<(), StoreError> {
        self.put_if(webhook_item(webhook)?, "attribute_not_exists(pk)", None)
            .await
    }

    async fn get_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError> {
        let item = self
            .get(account_pk(account), &webhook_sk(&id.to_string()))
            .await?;
        item.map(decode).transpose()
    }

    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let values = HashMap::from([(
            ":v".to_owned(),
            AttributeValue::N(expected_version.to_string()),
        )]);
        self.put_if(webhook_item(webhook)?, "version = :v", Some(values))
            .await
    }

    async fn record_outcome(
        &self,
        account: AccountId,
        id: WebhookId,
        last: &crate::domain::webhook::LastDelivery,
    ) -> Result<Option<Webhook>, StoreError> {
        // Only these attributes: a concurrent PATCH (a whole-item put of what
        // it read) may carry older values, never lose the webhook. Failures
        // are counted in place, so concurrent senders count each one.
        let mut values = HashMap::from([
            (":s".to_owned(), s(last.last_delivery_status.as_str())),
            (":t".to_owned(), s(last.last_delivery_at.to_string())),
        ]);
        let health = match last.last_delivery_status {
            DeliveryStatus::Delivered => {
                values.insert(":zero".to_owned(), n(0));
                ", consecutive_failures = :zero, last_success_at = :t REMOVE failing_since"
            }
            DeliveryStatus::Failed => {
                values.extend([(":zero".to_owned(), n(0)), (":one".to_owned(), n(1))]);
                ", consecutive_failures = if_not_exists(consecutive_failures, :zero) + :one, \
                 failing_since = if_not_exists(failing_since, :t)"
            }
            _ => "",
        };
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(account_pk(account)))
            .key("sk", s(webhook_sk(&id.to_string())))
            .update_expression(format!(
                "SET last_delivery_status = :s, last_delivery_at = :t{health}"
            ))
            .condition_expression("attribute_exists(pk)")
            .set_expression_attribute_values(Some(values))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match result.map_err(write_error) {
            Ok(out) => out.attributes.map(decode).transpose(),
            Err(StoreError::Conflict) => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn delete_webhook(&self, account: AccountId, id: WebhookId) -> Result<bool, StoreError> {
        self.delete(account_pk(account), &webhook_sk(&id.to_string()))
            .await
    }

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError> {
        let key = |w: &Webhook| sort_key(params.sort, &w.id.to_string(), w.updated_at);
        let keep = |w: &Webhook| {
            filter.enabled.is_none_or(|on| w.enabled == on) && params.in_window(w.created_at)
        };
        let base = self.client.query().table_name(&self.table);
        let (query, start_key) = match params.sort {
            SortField::Id | SortField::CreatedAt => {
                let Some((low, high)) = id_range(params, webhook_sk) else {
                    return Ok(Page::empty());
                };
                let query = base
                    .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
                    .expression_attribute_values(":pk", s(account_pk(account)))
                    .expression_attribute_values(":low", s(low))
                    .expression_attribute_values(":high", s(high))
                    .consistent_read(true);
                (query, None)
            }
            SortField::UpdatedAt => {
                let query = base
                    .index_name(GSI1)
                    .key_condition_expression("gsi1pk = :p")
                    .expression_attribute_values(":p", s(webhooks_gsi1pk(account)));
                let start = params.cursor.as_ref().map(|c| {
                    let id = c.after.rsplit('#').next().unwrap_or_default();
                    HashMap::from([
                        ("pk".to_owned(), s(account_pk(account))),
                        ("sk".to_owned(), s(webhook_sk(id))),
                        ("gsi1pk".to_owned(), s(webhooks_gsi1pk(account))),
                        ("gsi1sk".to_owned(), s(c.after.clone())),
                    ])
                });
                (query, start)
            }
        };
        self.collect_page(query, start_key, params, keep, key).await
    }

    async fn record_event(&self, event: &Event, deliveries: &[Delivery]) -> Result<(), StoreError> {
        let mut items = vec![with_key(encode(event)?, event_pk(event.id), "EVENT")];
        for delivery in deliveries {
            items.push(delivery_item(delivery)?);
        }
        let requests = items
            .into_iter()
            .map(|item| {
                let put = built(PutRequest::builder().set_item(Some(item)).build())?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.batch_write(requests).await
    }

    async fn insert_event_if_absent(&self, event: &Event) -> Result<(), StoreError> {
        let item = with_key(encode(event)?, event_pk(event.id), "EVENT");
        match self.put_if(item, "attribute_not_exists(pk)", None).await {
            Ok(()) | Err(StoreError::Conflict) => Ok(()),
            Err(err) => Err(err),
        }
    }

    async fn get_event(
        &self,
        account: AccountId,
        id: EventId,
        now: Timestamp,
    ) -> Result<Option<Event>, StoreError> {
        let item = self.get(event_pk(id), "EVENT").await?;
        let event: Option<Event> = item.map(decode).transpose()?;
        Ok(event.filter(|e| e.visible_to(account, now)))
    }

    async fn insert_deliveries(&self, deliveries: &[Delivery]) -> Result<(), StoreError> {
        let requests = deliveries
            .iter()
            .map(|d| {
                let put = built(
                    PutRequest::builder()
                        .set_item(Some(delivery_item(d)?))
                        .build(),
                )?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.batch_write(requests).await
    }

    async fn missing_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<Vec<DeliveryId>, StoreError> {
        let keys: Vec<Item> = ids.iter().map(|id| delivery_key(account, *id)).collect();
        let found = self.batch_get_projected(keys, Some("pk, sk")).await?;
        let stored: std::collections::HashSet<String> =
            found.iter().map(|item| sort_value(item, "sk")).collect();
        Ok(ids
            .iter()
            .filter(|id| !stored.contains(&id.to_string()))
            .copied()
            .collect())
    }

    async fn get_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        let id = id.to_string();
        let item = self.get(deliveries_pk(account, shard(&id)), &id).await?;
        let delivery: Option<Delivery> = item.map(decode).transpose()?;
        Ok(delivery.filter(|d| d.visible_to(account, now)))
    }

    async fn delete_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<(), StoreError> {
        let requests = ids
            .iter()
            .map(|id| {
                let delete = built(
                    DeleteRequest::builder()
                        .set_key(Some(delivery_key(account, *id)))
                        .build(),
                )?;
                Ok(WriteRequest::builder().delete_request(delete).build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.batch_write(requests).await
    }

    async fn list_deliveries(
        &self,
        account: AccountId,
        filter: &DeliveryFilter,
        params: &ListParams,
        now: Timestamp,
    ) -> Result<Page<Delivery>, StoreError> {
        let keep = |d: &Delivery| {
            d.visible_to(account, now) && filter.matches(d) && params.in_window(d.created_at)
        };
        let (source, sk) = Self::delivery_source(account, filter);
        if params.sort == SortField::UpdatedAt {
            // No index is kept by updated_at (it changes on every attempt):
            // the window is read whole, within a bound, and ordered here.
            let mut window = ListParams {
                sort: SortField::Id,
                offset: 0,
                limit: ListParams::MAX_LIMIT,
                cursor: None,
                ..params.clone()
            };
            let mut everything = Vec::new();
            loop {
                let range = event_range(filter, id_range(&window, sk));
                let Some(range) = range else { break };
                let page = self
                    .merged_page(&source, range, &window, keep, |d: &Delivery| {
                        d.id.to_string()
                    })
                    .await?;
                everything.extend(page.items);
                crate::domain::listing::check_updated_sort_bound(everything.len())?;
                match page.next_cursor {
                    Some(cursor) => window.cursor = Some(cursor),
                    None => break,
                }
            }
            return Ok(crate::domain::listing::page_in_key_order(
                everything,
                params,
                |d: &Delivery| sort_key(SortField::UpdatedAt, &d.id.to_string(), d.updated_at),
            ));
        }
        let Some(range) = event_range(filter, id_range(params, sk)) else {
            return Ok(Page::empty());
        };
        self.merged_page(&source, range, params, keep, |d: &Delivery| {
            d.id.to_string()
        })
        .await
    }

    async fn change_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        attempts: u32,
        change: &Change,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let id_text = id.to_string();
        let effects = Effects::of(change, attempts, now);
        let mut update = Update::of(account, &id_text, &effects, attempts)?;
        let allowed = change.allowed_from();
        let mut placeholders = Vec::new();
        for (i, status) in allowed.iter().enumerate() {
            let name = format!(":from{i}");
            update.values.insert(name.clone(), s(status.as_str()));
            placeholders.push(name);
        }
        update.values.insert(":n".into(), n(attempts));
        update.values.insert(":a".into(), s(account.to_string()));
        let condition = format!(
            "attempts = :n AND account_id = :a AND #st IN ({})",
            placeholders.join(", ")
        );
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(delivery_key(account, id)))
            .update_expression(update.expression())
            .condition_expression(condition)
            .expression_attribute_names("#st", "status")
            .set_expression_attribute_values(Some(update.values))
            .send()
            .await
            .map_err(write_error)?;
        Ok(())
    }

    async fn overdue_deliveries(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<Overdue>, StoreError> {
        let mut overdue = Vec::new();
        for shard in 0..SHARDS {
            let response = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI4)
                .key_condition_expression("gsi4pk = :p AND gsi4sk < :now")
                .expression_attribute_values(":p", s(pending_pk(shard)))
                .expression_attribute_values(":now", s(now.to_string()))
                .limit(i32::try_from(limit).unwrap_or(i32::MAX))
                .send()
                .await
                .map_err(unavailable)?;
            for item in response.items.unwrap_or_default() {
                let account = sort_value(&item, "pk")
                    .strip_prefix("D#")
                    .and_then(|rest| rest.split('#').next())
                    .and_then(AccountId::parse);
                let delivery = DeliveryId::parse(&sort_value(&item, "sk"));
                if let (Some(account_id), Some(delivery_id)) = (account, delivery) {
                    overdue.push(Overdue {
                        account_id,
                        delivery_id,
                        attempts: number(&item, "attempts"),
                    });
                }
            }
        }
        overdue.truncate(limit);
        Ok(overdue)
    }

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

    async fn insert_event_type(&self, event_type: &EventType) -> Result<(), StoreError> {
        let item = event_type_item(event_type)?;
        self.put_if(item, "attribute_not_exists(pk)", None).await
    }

    async fn get_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<Option<EventType>, StoreError> {
        let item = self.get(account_pk(account), &event_type_sk(event)).await?;
        item.map(decode).transpose()
    }

    async fn update_event_type(&self, event_type: &EventType) -> Result<(), StoreError> {
        let item = event_type_item(event_type)?;
        self.put_if(item, "attribute_exists(pk)", None).await
    }

    async fn delete_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<bool, StoreError> {
        self.delete(account_pk(account), &event_type_sk(event))
            .await
    }

    async fn list_event_types(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<EventType>, StoreError> {
        self.key_page(account, EVENT_TYPE, after, limit, EventType::key, |_| true)
            .await
    }

    async fn insert_console_link(&self, link: &ConsoleLink) -> Result<(), StoreError> {
        self.put(console_link_item(link)?).await
    }

    async fn get_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        now: Timestamp,
    ) -> Result<Option<ConsoleLink>, StoreError> {
        let item = self.get(account_pk(account), &console_link_sk(id)).await?;
        let link: Option<ConsoleLink> = item.map(decode).transpose()?;
        // TTL deletion lags: an expired link is refused until it is gone.
        Ok(link.filter(|link| link.is_live(now)))
    }

    async fn list_console_links(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<ConsoleLink>, StoreError> {
        let key = |link: &ConsoleLink| link.id.to_string();
        self.key_page(account, CONSOLE_LINK, after, limit, key, |link| {
            link.is_live(now)
        })
        .await
    }

    async fn delete_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
    ) -> Result<bool, StoreError> {
        self.delete(account_pk(account), &console_link_sk(id)).await
    }

    async fn reserve_send_slot(
        &self,
        webhook: WebhookId,
        interval_micros: i64,
        now_micros: i64,
    ) -> Result<i64, StoreError> {
        self.reserve_slot(webhook, interval_micros, now_micros)
            .await
    }

    async fn add_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.add_tally(account, scope, hour, tally, expires_at)
            .await
    }

    async fn read_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError> {
        self.read_tallies(account, scope, from, to).await
    }
}

fn idempotency_pk(record: &IdempotencyRecord) -> String {
    format!("IDEMPOTENCY#{}#{}", record.account_id, record.key_hash)
}

/// Narrows an id range to one event's deliveries (their ids share its millisecond).
fn event_range(
    filter: &DeliveryFilter,
    range: Option<(String, String)>,
) -> Option<(String, String)> {
    let (low, high) = range?;
    match filter.event_id {
        None => Some((low, high)),
        Some(event) => {
            let (event_low, event_high) = event.id_range();
            let (low, high) = (low.max(event_low), high.min(event_high));
            (low <= high).then_some((low, high))
        }
    }
}
