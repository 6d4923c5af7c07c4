//! The DynamoDB store: one table, `pk`/`sk` strings, three global indexes.
//! `keys` says how items are addressed, `paging` how lists are read,
//! `provisioning` how the table is made where no template makes it.

mod catalog;
pub mod costs;
mod health;
pub mod hot_keys;
pub mod keys;
mod paging;
mod pending;
mod provisioning;
pub mod replay;
mod send_slots;
mod stats;
mod tasks;

use crate::domain::account::{Account, KeyHash};
use crate::domain::console_link::ConsoleLink;
use crate::domain::delivery::{
    Attempt, Change, Delivery, DeliveryStatus, Effects, Field, KEPT_ATTEMPTS, SWEEP_GRACE_SECONDS,
};
use crate::domain::event::{Event, EventKind};
use crate::domain::event_type::EventType;
use crate::domain::health::{Health, Outcomes};
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::ids::{AccountId, ConsoleLinkId, DeliveryId, EventId, TaskId, WebhookId};
use crate::domain::listing::{
    check_updated_sort_bound, page_in_key_order, sort_key, Cursor, ListParams, Order, Page,
    SortField, UPDATED_SORT_MAX,
};
use crate::domain::stats::{StatsScope, Tally};
use crate::domain::task::{Task, TaskChange};
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::domain::webhook::Webhook;
use crate::ports::store::{
    Changed, DeliveryFilter, KeyPage, Overdue, Store, StoreError, Waiting, WebhookFilter,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, Put, PutRequest, ReturnValue,
    ReturnValuesOnConditionCheckFailure, TransactWriteItem, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use catalog::*;
use health::{health_key, with_health};
use keys::*;
use paging::Source;
use pending::Pending;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
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
    /// Stats writes made, which spread the account's counters over their shards.
    stats_writes: std::sync::atomic::AtomicUsize,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            stats_writes: Default::default(),
        }
    }

    /// A Query of the account's webhooks with sort keys in `[low, high]`.
    fn webhooks_between(
        &self,
        account: AccountId,
        low: String,
        high: String,
    ) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
        self.client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
            .expression_attribute_values(":pk", s(account_pk(account)))
            .expression_attribute_values(":low", s(low))
            .expression_attribute_values(":high", s(high))
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

    async fn get_eventually(&self, pk: String, sk: &str) -> Result<Option<Item>, StoreError> {
        let response = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
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

    async fn page_with_health(&self, page: Page<Webhook>) -> Result<Page<Webhook>, StoreError> {
        Ok(Page {
            items: self.with_health(page.items).await?,
            next_cursor: page.next_cursor,
        })
    }

    /// A delivery list by updated_at. No index is kept by it (it changes on
    /// every attempt): the window is read whole, up to `UPDATED_SORT_MAX`
    /// deliveries read (kept or not), and ordered here.
    async fn updated_sorted(
        &self,
        source: &Source,
        filter: &DeliveryFilter,
        params: &ListParams,
        keep: impl Fn(&Delivery) -> bool,
    ) -> Result<Page<Delivery>, StoreError> {
        let read = AtomicUsize::new(0);
        let counted = |d: &Delivery| {
            read.fetch_add(1, AtomicOrdering::Relaxed);
            keep(d)
        };
        let mut window = ListParams {
            sort: SortField::Id,
            offset: 0,
            limit: u32::try_from(UPDATED_SORT_MAX).unwrap_or(u32::MAX),
            cursor: None,
            ..params.clone()
        };
        let mut everything = Vec::new();
        while let Some(range) = event_range(filter, id_range(&window, |k| k.to_owned())) {
            let page = self
                .merged_page(source, range, &window, &counted, |d: &Delivery| {
                    d.id().to_string()
                })
                .await?;
            everything.extend(page.items);
            check_updated_sort_bound(read.load(AtomicOrdering::Relaxed))?;
            match page.next_cursor {
                Some(cursor) => window.cursor = Some(cursor),
                None => break,
            }
        }
        Ok(page_in_key_order(everything, params, |d: &Delivery| {
            sort_key(SortField::UpdatedAt, &d.id().to_string(), d.updated_at())
        }))
    }

    /// Where a delivery list reads its keys: one webhook's index partitions,
    /// the account's failed ones, or the account's own shards.
    fn delivery_source(account: AccountId, filter: &DeliveryFilter) -> Source {
        match (filter.webhook_id, filter.statuses.as_slice()) {
            (Some(webhook), _) => Source {
                index: Some(GSI3),
                pk_attr: "gsi3pk",
                sk_attr: "gsi3sk",
                partitions: webhook_partitions(webhook),
                keys_only: true,
            },
            (None, [DeliveryStatus::Failed]) => Source {
                index: Some(GSI4),
                pk_attr: "gsi4pk",
                sk_attr: "gsi4sk",
                partitions: account_partitions(account, true),
                keys_only: true,
            },
            _ => Source {
                index: None,
                pk_attr: "pk",
                sk_attr: "sk",
                partitions: account_partitions(account, false),
                keys_only: false,
            },
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
        id: DeliveryId,
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
            update.log(attempt, attempts)?;
        }
        update.field("next_attempt_at", effects.next_attempt_at)?;
        update.field("lease_until", effects.lease_until)?;
        update.field("sweep_at", effects.sweep_at)?;
        update.field("wake", effects.wake)?;
        update.field("held_slot", effects.held_slot)?;
        update.field("failure_reason", effects.failure_reason)?;
        update.index_keys(account, id, effects);
        Ok(update)
    }

    /// The log is a ring of the last KEPT_ATTEMPTS: append until full, then
    /// overwrite the oldest slot (the view orders by time).
    fn log(&mut self, attempt: &Attempt, attempts: u32) -> Result<(), StoreError> {
        let logged = attribute(attempt)?;
        let kept = u32::try_from(KEPT_ATTEMPTS).unwrap_or(u32::MAX);
        if attempts < kept {
            self.set
                .push("attempt_log = list_append(if_not_exists(attempt_log, :none), :log)".into());
            self.values
                .insert(":none".into(), AttributeValue::L(Vec::new()));
            self.values
                .insert(":log".into(), AttributeValue::L(vec![logged]));
        } else {
            self.set
                .push(format!("attempt_log[{}] = :log", attempts % kept));
            self.values.insert(":log".into(), logged);
        }
        Ok(())
    }

    /// gsi4's keys follow the status and the sweep time; a change that
    /// keeps both (a claim) leaves the index entry alone.
    fn index_keys(&mut self, account: AccountId, id: DeliveryId, effects: &Effects) {
        let sweep_at = match effects.sweep_at {
            Field::Keep if !effects.status.is_some_and(DeliveryStatus::is_final) => return,
            Field::Set(at) => Some(at),
            Field::Keep | Field::Clear => None,
        };
        let wake = match effects.wake {
            Field::Set(bucket) => Some(bucket),
            Field::Keep | Field::Clear => None,
        };
        // The sweeper's touch keeps a pending status.
        let status = effects.status.unwrap_or(DeliveryStatus::Scheduled);
        match gsi4_keys(account, id, status, sweep_at, wake) {
            Some((pk, sk)) => {
                self.assign("gsi4pk", ":g4p", s(pk));
                self.assign("gsi4sk", ":g4s", s(sk));
            }
            None => self.remove.extend(["gsi4pk".into(), "gsi4sk".into()]),
        }
    }

    fn assign(&mut self, name: &str, placeholder: &str, value: AttributeValue) {
        self.set.push(format!("{name} = {placeholder}"));
        self.values.insert(placeholder.to_owned(), value);
    }

    fn field<T: serde::Serialize>(
        &mut self,
        name: &str,
        field: Field<T>,
    ) -> Result<(), StoreError> {
        match field {
            Field::Keep => {}
            Field::Set(value) => self.assign(name, &format!(":{name}"), attribute(&value)?),
            Field::Clear => self.remove.push(name.to_owned()),
        }
        Ok(())
    }

    /// The condition of `change` expecting `attempts` made, at `now`
    /// (`Delivery::admits`, as an expression).
    fn condition(
        &mut self,
        account: AccountId,
        change: &Change,
        attempts: u32,
        now: Timestamp,
    ) -> String {
        let mut placeholders = Vec::new();
        for (i, status) in change.allowed_from().iter().enumerate() {
            let name = format!(":from{i}");
            self.values.insert(name.clone(), s(status.as_str()));
            placeholders.push(name);
        }
        self.values.insert(":n".into(), n(attempts));
        self.values.insert(":a".into(), s(account.to_string()));
        let mut condition = format!(
            "attempts = :n AND account_id = :a AND #st IN ({})",
            placeholders.join(", ")
        );
        if matches!(change, Change::Claimed { .. }) {
            self.values.insert(":now".into(), s(now.to_string()));
            self.values
                .insert(":dispatched".into(), s(DeliveryStatus::Dispatched.as_str()));
            condition.push_str(
                " AND (#st <> :dispatched OR attribute_not_exists(lease_until) OR lease_until <= :now) \
                 AND (attribute_not_exists(next_attempt_at) OR next_attempt_at <= :now)",
            );
        }
        condition
    }

    fn expression(&self) -> String {
        let mut text = format!("SET {}", self.set.join(", "));
        if !self.remove.is_empty() {
            text.push_str(&format!(" REMOVE {}", self.remove.join(", ")));
        }
        text
    }
}

pub(super) fn sort_value(item: &Item, attr: &str) -> String {
    match item.get(attr) {
        Some(AttributeValue::S(text)) => text.clone(),
        _ => String::new(),
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
        let key = HashMap::from([
            ("pk".to_owned(), s(account_pk(account))),
            ("sk".to_owned(), s(webhook_sk(&id.to_string()))),
        ]);
        let mut items = self.batch_get(vec![key, health_key(id)]).await?;
        let health = items
            .iter()
            .position(|item| sort_value(item, "sk") == "HEALTH")
            .map(|i| items.remove(i));
        match items.pop() {
            Some(item) => Ok(Some(with_health(decode(item)?, health.as_ref())?)),
            None => Ok(None),
        }
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
        outcomes: &Outcomes,
        expires_at: i64,
    ) -> Result<Health, StoreError> {
        self.note_outcomes(account, id, outcomes, expires_at).await
    }

    async fn reset_health(&self, _account: AccountId, id: WebhookId) -> Result<(), StoreError> {
        self.forget_failures(id).await
    }

    async fn delete_webhook(&self, account: AccountId, id: WebhookId) -> Result<bool, StoreError> {
        let key = health_key(id);
        self.delete(sort_value(&key, "pk"), "HEALTH").await?;
        self.delete(account_pk(account), &webhook_sk(&id.to_string()))
            .await
    }

    async fn subscribers(
        &self,
        account: AccountId,
        after: Option<WebhookId>,
        limit: u32,
    ) -> Result<Page<Webhook>, StoreError> {
        let params = ListParams {
            sort: SortField::Id,
            order: Order::Asc,
            limit,
            cursor: after.map(|id| Cursor {
                sort: SortField::Id,
                order: Order::Asc,
                after: id.to_string(),
            }),
            ..ListParams::default()
        };
        let Some((low, high)) = id_range(&params, webhook_sk) else {
            return Ok(Page::empty());
        };
        // A fan-out takes webhooks as they were a moment ago (a warm ingest
        // keeps them for seconds anyway): half the read units.
        let query = self
            .webhooks_between(account, low, high)
            .consistent_read(false);
        let key = |w: &Webhook| w.id().to_string();
        self.collect_page(query, None, &params, |w: &Webhook| w.enabled(), key)
            .await
    }

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError> {
        let key = |w: &Webhook| sort_key(params.sort, &w.id().to_string(), w.updated_at());
        let keep = |w: &Webhook| {
            filter.enabled.is_none_or(|on| w.enabled() == on) && params.in_window(w.created_at())
        };
        match params.sort {
            SortField::Id | SortField::CreatedAt => {
                let Some((low, high)) = id_range(params, webhook_sk) else {
                    return Ok(Page::empty());
                };
                let query = self
                    .webhooks_between(account, low, high)
                    .consistent_read(true);
                let page = self.collect_page(query, None, params, keep, key).await?;
                self.page_with_health(page).await
            }
            SortField::UpdatedAt => {
                // gsi1 keeps keys only (a webhook's notes would rewrite a
                // whole copy): the page's webhooks are read by key.
                let everything = ("0".to_owned(), "~".to_owned());
                let Some(range) = past_cursor(everything, params, |k| k.to_owned()) else {
                    return Ok(Page::empty());
                };
                let source = Source {
                    index: Some(GSI1),
                    pk_attr: "gsi1pk",
                    sk_attr: "gsi1sk",
                    partitions: vec![webhooks_gsi1pk(account)],
                    keys_only: true,
                };
                let page = self.merged_page(&source, range, params, keep, key).await?;
                self.page_with_health(page).await
            }
        }
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
        // Events never change: an eventually consistent read (half the
        // units) is right whenever it finds one; only a miss (written a
        // moment ago) is read again, consistently.
        let item = match self.get_eventually(event_pk(id), "EVENT").await? {
            Some(item) => Some(item),
            None => self.get(event_pk(id), "EVENT").await?,
        };
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
        let key = delivery_key(account, id);
        let (pk, sk) = (sort_value(&key, "pk"), sort_value(&key, "sk"));
        let item = self.get(pk, &sk).await?;
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
            d.visible_to(account, now) && filter.matches(d) && params.in_window(d.created_at())
        };
        let source = Self::delivery_source(account, filter);
        let id = |d: &Delivery| d.id().to_string();
        if params.sort == SortField::UpdatedAt {
            return self.updated_sorted(&source, filter, params, keep).await;
        }
        let Some(range) = event_range(filter, id_range(params, |k| k.to_owned())) else {
            return Ok(Page::empty());
        };
        self.merged_page(&source, range, params, keep, id).await
    }

    async fn change_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        attempts: u32,
        change: &Change,
        now: Timestamp,
    ) -> Result<Changed, StoreError> {
        let effects = Effects::of(id, change, attempts, now);
        let mut update = Update::of(account, id, &effects, attempts)?;
        let condition = update.condition(account, change, attempts, now);
        let answer = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(delivery_key(account, id)))
            .update_expression(update.expression())
            .condition_expression(condition)
            .expression_attribute_names("#st", "status")
            .set_expression_attribute_values(Some(update.values))
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match answer {
            Ok(out) => {
                let after: Option<Delivery> = out.attributes.map(decode).transpose()?;
                after.map(Changed::Applied).ok_or_else(|| {
                    StoreError::Unavailable("an update that answered no item".into())
                })
            }
            Err(err) => match err.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(refused)) => {
                    let found: Option<Delivery> = refused.item.clone().map(decode).transpose()?;
                    Ok(Changed::Refused(
                        found.filter(|d| d.account_id() == account),
                    ))
                }
                _ => Err(unavailable(err)),
            },
        }
    }

    async fn overdue(
        &self,
        now: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Overdue>, StoreError> {
        let range = ("0".to_owned(), now.to_string());
        let page = self
            .sweep_page(sweep_partitions(), range, after, limit)
            .await?;
        Ok(page.map(|entry| match entry.item {
            Pending::Delivery { id, attempts } => Overdue::Delivery {
                account_id: entry.account_id,
                delivery_id: id,
                attempts,
            },
            Pending::Task { id, step } => Overdue::Task {
                account_id: entry.account_id,
                task_id: id,
                step,
            },
        }))
    }

    async fn waiting_in(
        &self,
        bucket: WakeBucket,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Waiting>, StoreError> {
        // Their sweep time is their due time plus the grace: the bucket's minute, shifted.
        let grace = |at: Timestamp| at.plus_seconds(SWEEP_GRACE_SECONDS).to_string();
        let range = (grace(bucket.starts_at), grace(bucket.ends_at()));
        let page = self
            .sweep_page(bucket_partitions(bucket), range, after, limit)
            .await?;
        // A wake bucket's partitions hold deliveries only.
        let deliveries = page.items.into_iter().filter_map(|entry| match entry.item {
            Pending::Delivery { id, attempts } => Some(Waiting {
                account_id: entry.account_id,
                delivery_id: id,
                attempts,
                due: entry.sweep_at.plus_seconds(-SWEEP_GRACE_SECONDS),
            }),
            Pending::Task { .. } => None,
        });
        Ok(KeyPage {
            items: deliveries.collect(),
            next: page.next,
        })
    }

    async fn insert_task(&self, task: &Task) -> Result<(), StoreError> {
        self.put_task(task).await
    }

    async fn change_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
        change: &TaskChange,
        now: Timestamp,
    ) -> Result<Changed<Task>, StoreError> {
        self.update_task(account, id, step, change, now).await
    }

    async fn finish_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
    ) -> Result<(), StoreError> {
        self.end_task(account, id, step).await
    }

    async fn claim_wake(&self, bucket: WakeBucket) -> Result<bool, StoreError> {
        let expires = bucket.starts_at.plus_seconds(86_400).epoch_seconds();
        let item = HashMap::from([("expires_at".to_owned(), n(expires))]);
        let item = with_key(item, wake_pk(bucket), "WAKE");
        match self.put_if(item, "attribute_not_exists(pk)", None).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(err) => Err(err),
        }
    }

    async fn release_wake(&self, bucket: WakeBucket) -> Result<(), StoreError> {
        self.delete(wake_pk(bucket), "WAKE").await.map(|_| ())
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
        item: u16,
        interval_micros: i64,
        now_micros: i64,
    ) -> Result<i64, StoreError> {
        self.reserve_slot(webhook, item, interval_micros, now_micros)
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
