//! The DynamoDB store: one table, `pk`/`sk` strings, overloaded `gsi1`.
//!
//! | item | pk | sk | gsi1pk | gsi1sk |
//! |---|---|---|---|---|
//! | account | `ACCOUNT#{account}` | `ACCOUNT` | | |
//! | API key → account | `APIKEY#{sha256 hex}` | `APIKEY` | | |
//! | webhook | `ACCOUNT#{account}` | `WEBHOOK#{webhook}` | `ACCOUNT#{account}#WEBHOOKS` | `{updated_at}#{webhook}` |
//! | event | `EVENT#{event}` | `EVENT` | | |
//! | delivery | `DELIVERY#{delivery}` | `DELIVERY` | | |
//! | idempotency claim | `IDEMPOTENCY#{account}#{sha256(key)}` | `IDEMPOTENCY` | | |
//!
//! Events and deliveries each have their own partition, so a busy account is
//! not one hot key; each read checks the item's account and `expires_at`.
//!
//! Deliveries are listed through indexes (`ACCOUNT#{a}#DELIVERIES` is
//! `gsi1pk`, with `gsi1sk` = `{updated_at}#{id}`, and `gsi2pk`, with `gsi2sk` = id;
//! `gsi3pk` = `ACCOUNT#{a}#WEBHOOK#{w}#DELIVERIES`; `gsi4pk` =
//! `ACCOUNT#{a}#DSTATUS#{status}`; `gsi3sk`/`gsi4sk` = id).
//!
//! Webhook ids are UUIDv7, so the base table's `sk` order is creation order:
//! sort=id and sort=created_at query the table (a created_at window is a key
//! range on the id's time prefix); sort=updated_at queries `gsi1`.

use crate::domain::account::{Account, KeyHash};
use crate::domain::delivery::Delivery;
use crate::domain::event::Event;
use crate::domain::ids::{v7_prefix, AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::listing::{sort_key, ListParams, Order, Page, SortField};
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use crate::ports::store::{DeliveryFilter, IdempotencyRecord, Store, StoreError, WebhookFilter};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, DeleteRequest, GlobalSecondaryIndex,
    KeySchemaElement, KeyType, Projection, ProjectionType, Put, PutRequest, ScalarAttributeType,
    TableStatus, TimeToLiveSpecification, TransactWriteItem, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use std::collections::HashMap;
use std::time::Duration;

type Item = HashMap<String, AttributeValue>;

const GSI1: &str = "gsi1";
/// Every global index: `{name}pk` / `{name}sk`, all attributes projected.
const INDEXES: [&str; 4] = [GSI1, "gsi2", "gsi3", "gsi4"];
/// The TTL attribute (epoch seconds) of expiring items.
pub const TTL_ATTRIBUTE: &str = "expires_at";

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn account_pk(account: AccountId) -> String {
    format!("ACCOUNT#{account}")
}

fn key_pk(key: KeyHash) -> String {
    format!("APIKEY#{}", key.to_hex())
}

fn webhook_sk(id: &str) -> String {
    format!("WEBHOOK#{id}")
}

fn with_key(mut item: Item, pk: String, sk: &str) -> Item {
    item.insert("pk".into(), s(pk));
    item.insert("sk".into(), s(sk));
    item
}

/// An id-sorted key range for a list's created_at window, with the cursor's
/// start key inside it, or `Empty` when the cursor is already past the range.
enum Window {
    Empty,
    Range {
        low: String,
        high: String,
        after: Option<String>,
    },
}

/// `sk` turns an id (or id prefix) into the index's sort key.
fn id_window(params: &ListParams, sk: impl Fn(&str) -> String) -> Window {
    // Ids are lowercase hex: "0" sorts before every one (keys cannot be empty).
    let low = sk(&params.start.map(v7_prefix).unwrap_or_else(|| "0".into()));
    let high = sk(&params.end.map(v7_prefix).unwrap_or_else(|| "~".into()));
    let after = match params.cursor.as_ref().map(|c| sk(&c.after)) {
        // DynamoDB refuses a start key outside the key condition's range.
        Some(key) if key < low || key > high => {
            if (key < low) == (params.order == Order::Asc) {
                None // the whole range is still ahead
            } else {
                return Window::Empty;
            }
        }
        other => other,
    };
    Window::Range { low, high, after }
}

fn deliveries_pk(account: AccountId) -> String {
    format!("ACCOUNT#{account}#DELIVERIES")
}

fn delivery_pk(id: &str) -> String {
    format!("DELIVERY#{id}")
}

/// A delivery with the keys of every index that lists it.
fn delivery_item(delivery: &Delivery) -> Result<Item, StoreError> {
    let id = delivery.id.to_string();
    let account = delivery.account_id;
    let mut item = with_key(encode(delivery)?, delivery_pk(&id), "DELIVERY");
    let mut index = |pk: &str, pk_value: String, sk: &str, sk_value: String| {
        item.insert(pk.into(), s(pk_value));
        item.insert(sk.into(), s(sk_value));
    };
    index(
        "gsi1pk",
        deliveries_pk(account),
        "gsi1sk",
        sort_key(SortField::UpdatedAt, &id, delivery.updated_at),
    );
    index("gsi2pk", deliveries_pk(account), "gsi2sk", id.clone());
    if let Some(webhook) = delivery.webhook_id {
        index(
            "gsi3pk",
            format!("ACCOUNT#{account}#WEBHOOK#{webhook}#DELIVERIES"),
            "gsi3sk",
            id.clone(),
        );
    }
    index(
        "gsi4pk",
        format!("ACCOUNT#{account}#DSTATUS#{}", delivery.status.as_str()),
        "gsi4sk",
        id,
    );
    Ok(item)
}

fn idempotency_pk(record: &IdempotencyRecord) -> String {
    format!("IDEMPOTENCY#{}#{}", record.account_id, record.key_hash)
}

fn webhooks_gsi1pk(account: AccountId) -> String {
    format!("ACCOUNT#{account}#WEBHOOKS")
}

fn unavailable<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    StoreError::Unavailable(DisplayErrorContext(&err).to_string())
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value)
        .map_err(|e| StoreError::Unavailable(format!("encoding an item: {e}")))
}

fn decode<T: serde::de::DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item)
        .map_err(|e| StoreError::Unavailable(format!("decoding an item: {e}")))
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

    /// Creates the table with its index and TTL if it does not exist (local
    /// mode and tests; deployments get it from template.yaml).
    pub async fn ensure_table(&self) -> Result<(), StoreError> {
        match self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
        {
            Ok(_) => return Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) => {}
            Err(err) => return Err(unavailable(err)),
        }
        let key = |name: &str, kind| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
        };
        let string_attr = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
        };
        let built = (|| {
            Ok::<_, aws_sdk_dynamodb::error::BuildError>((
                vec![key("pk", KeyType::Hash)?, key("sk", KeyType::Range)?],
                [
                    "pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk",
                    "gsi4pk", "gsi4sk",
                ]
                .into_iter()
                .map(string_attr)
                .collect::<Result<Vec<_>, _>>()?,
                INDEXES
                    .iter()
                    .map(|index| {
                        GlobalSecondaryIndex::builder()
                            .index_name(*index)
                            .key_schema(key(&format!("{index}pk"), KeyType::Hash)?)
                            .key_schema(key(&format!("{index}sk"), KeyType::Range)?)
                            .projection(
                                Projection::builder()
                                    .projection_type(ProjectionType::All)
                                    .build(),
                            )
                            .build()
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                TimeToLiveSpecification::builder()
                    .attribute_name(TTL_ATTRIBUTE)
                    .enabled(true)
                    .build()?,
            ))
        })();
        let (keys, attributes, indexes, ttl) =
            built.map_err(|e| StoreError::Unavailable(format!("table definition: {e}")))?;
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .set_key_schema(Some(keys))
            .set_attribute_definitions(Some(attributes))
            .set_global_secondary_indexes(Some(indexes))
            .send()
            .await;
        match created {
            Ok(_) => {}
            // Another process created it first.
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_in_use_exception()) => {}
            Err(err) => return Err(unavailable(err)),
        }
        self.wait_until_active().await?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn wait_until_active(&self) -> Result<(), StoreError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
        loop {
            let table = self
                .client
                .describe_table()
                .table_name(&self.table)
                .send()
                .await
                .map_err(unavailable)?;
            if table.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(StoreError::Unavailable(format!(
                    "table {} did not become active",
                    self.table
                )));
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    fn webhook_item(&self, webhook: &Webhook) -> Result<Item, StoreError> {
        let mut item = encode(webhook)?;
        let id = webhook.id.to_string();
        item.insert("pk".into(), s(account_pk(webhook.account_id)));
        item.insert("sk".into(), s(webhook_sk(&id)));
        item.insert("gsi1pk".into(), s(webhooks_gsi1pk(webhook.account_id)));
        item.insert(
            "gsi1sk".into(),
            s(sort_key(SortField::UpdatedAt, &id, webhook.updated_at)),
        );
        Ok(item)
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

    /// A put guarded by `condition`; a failed condition is `Conflict`.
    async fn put_if(
        &self,
        item: Item,
        condition: &str,
        values: Option<Item>,
    ) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(condition)
            .set_expression_attribute_values(values)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err) => match err.into_service_error() {
                PutItemError::ConditionalCheckFailedException(_) => Err(StoreError::Conflict),
                other => Err(StoreError::Unavailable(
                    DisplayErrorContext(&other).to_string(),
                )),
            },
        }
    }

    async fn put_webhook(
        &self,
        webhook: &Webhook,
        condition: &str,
        values: Option<Item>,
    ) -> Result<(), StoreError> {
        self.put_if(self.webhook_item(webhook)?, condition, values)
            .await
    }

    /// Reads pages of `query` until `offset + limit + 1` items pass `keep`.
    async fn collect_page<T: serde::de::DeserializeOwned>(
        &self,
        query: QueryFluentBuilder,
        start_key: Option<Item>,
        params: &ListParams,
        keep: impl Fn(&T) -> bool,
        key: impl Fn(&T) -> String,
    ) -> Result<Page<T>, StoreError> {
        let wanted = params.offset as usize + params.limit as usize + 1;
        let query = query.scan_index_forward(params.order == Order::Asc);
        let (mut seen, mut items, mut start_key) = (0usize, Vec::new(), start_key);
        'pages: loop {
            // At least 100 a call: with a filter applied here, asking for only
            // what is still missing would take many round trips.
            let batch = i32::try_from((wanted - seen).clamp(100, 1000)).unwrap_or(1000);
            let response = query
                .clone()
                .limit(batch)
                .set_exclusive_start_key(start_key.take())
                .send()
                .await
                .map_err(unavailable)?;
            for raw in response.items.unwrap_or_default() {
                let item: T = decode(raw)?;
                if !keep(&item) {
                    continue;
                }
                seen += 1;
                if seen > params.offset as usize {
                    items.push(item);
                }
                if seen == wanted {
                    break 'pages;
                }
            }
            match response.last_evaluated_key {
                Some(last) => start_key = Some(last),
                None => break,
            }
        }
        Ok(Page::from_overfetch(items, params, key))
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
        let result = self
            .client
            .transact_write_items()
            .transact_items(put(account_item)?)
            .transact_items(put(key_item)?)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_transaction_canceled_exception()) =>
            {
                Err(StoreError::Conflict)
            }
            Err(err) => Err(unavailable(err)),
        }
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
        self.put_webhook(webhook, "attribute_not_exists(pk)", None)
            .await
    }

    async fn get_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError> {
        let response = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(account_pk(account)))
            .key("sk", s(webhook_sk(&id.to_string())))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        response.item.map(decode).transpose()
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
        self.put_webhook(webhook, "version = :v", Some(values))
            .await
    }

    async fn record_last_delivery(
        &self,
        account: AccountId,
        id: WebhookId,
        last: &crate::domain::webhook::LastDelivery,
    ) -> Result<(), StoreError> {
        // Only these two attributes: a concurrent PATCH (a whole-item put of
        // what it read) may carry an older value, never lose the webhook.
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(account_pk(account)))
            .key("sk", s(webhook_sk(&id.to_string())))
            .update_expression("SET last_delivery_status = :s, last_delivery_at = :t")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":s", s(last.last_delivery_status.as_str()))
            .expression_attribute_values(":t", s(last.last_delivery_at.to_string()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(())
            }
            Err(err) => Err(unavailable(err)),
        }
    }

    async fn delete_webhook(&self, account: AccountId, id: WebhookId) -> Result<bool, StoreError> {
        let response = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(account_pk(account)))
            .key("sk", s(webhook_sk(&id.to_string())))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(response.attributes.is_some_and(|old| !old.is_empty()))
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
                let Window::Range { low, high, after } = id_window(params, webhook_sk) else {
                    return Ok(Page {
                        items: Vec::new(),
                        next_cursor: None,
                    });
                };
                let query = base
                    .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
                    .expression_attribute_values(":pk", s(account_pk(account)))
                    .expression_attribute_values(":low", s(low))
                    .expression_attribute_values(":high", s(high))
                    .consistent_read(true);
                let start = after.map(|sk| {
                    HashMap::from([
                        ("pk".to_owned(), s(account_pk(account))),
                        ("sk".to_owned(), s(sk)),
                    ])
                });
                (query, start)
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

    async fn put_event(&self, event: &Event) -> Result<(), StoreError> {
        self.put(with_key(
            encode(event)?,
            format!("EVENT#{}", event.id),
            "EVENT",
        ))
        .await
    }

    async fn get_event(
        &self,
        account: AccountId,
        id: EventId,
        now: Timestamp,
    ) -> Result<Option<Event>, StoreError> {
        let item = self.get(format!("EVENT#{id}"), "EVENT").await?;
        let event: Option<Event> = item.map(decode).transpose()?;
        Ok(event.filter(|e| e.account_id == account && now.epoch_seconds() < e.expires_at))
    }

    async fn insert_deliveries(&self, deliveries: &[Delivery]) -> Result<(), StoreError> {
        let requests = deliveries
            .iter()
            .map(|d| {
                let put = PutRequest::builder()
                    .set_item(Some(delivery_item(d)?))
                    .build()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.batch_write(requests).await
    }

    async fn delete_deliveries(&self, ids: &[DeliveryId]) -> Result<(), StoreError> {
        let requests = ids
            .iter()
            .map(|id| {
                let delete = DeleteRequest::builder()
                    .key("pk", s(delivery_pk(&id.to_string())))
                    .key("sk", s("DELIVERY"))
                    .build()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
                Ok(WriteRequest::builder().delete_request(delete).build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.batch_write(requests).await
    }

    async fn insert_delivery_if_absent(&self, delivery: &Delivery) -> Result<(), StoreError> {
        self.put_if(delivery_item(delivery)?, "attribute_not_exists(pk)", None)
            .await
    }

    async fn get_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        let item = self.get(delivery_pk(&id.to_string()), "DELIVERY").await?;
        let delivery: Option<Delivery> = item.map(decode).transpose()?;
        Ok(delivery.filter(|d| d.account_id == account && now.epoch_seconds() < d.expires_at))
    }

    async fn list_deliveries(
        &self,
        account: AccountId,
        filter: &DeliveryFilter,
        params: &ListParams,
        now: Timestamp,
    ) -> Result<Page<Delivery>, StoreError> {
        let key = |d: &Delivery| sort_key(params.sort, &d.id.to_string(), d.updated_at);
        let keep = |d: &Delivery| {
            d.account_id == account
                && now.epoch_seconds() < d.expires_at
                && filter.matches(d)
                && params.in_window(d.created_at)
        };
        // The index that narrows the most: one webhook, one status, or the account.
        let (index, pk_value, sort_value): (&str, String, fn(&str) -> String) = match params.sort {
            SortField::UpdatedAt => (GSI1, deliveries_pk(account), |key| key.to_owned()),
            SortField::Id | SortField::CreatedAt => {
                match (filter.webhook_id, filter.statuses.as_slice()) {
                    (Some(webhook), _) => (
                        "gsi3",
                        format!("ACCOUNT#{account}#WEBHOOK#{webhook}#DELIVERIES"),
                        |id| id.to_owned(),
                    ),
                    (None, [status]) => (
                        "gsi4",
                        format!("ACCOUNT#{account}#DSTATUS#{}", status.as_str()),
                        |id| id.to_owned(),
                    ),
                    _ => ("gsi2", deliveries_pk(account), |id| id.to_owned()),
                }
            }
        };
        let (pk_attr, sk_attr) = (format!("{index}pk"), format!("{index}sk"));
        let base = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(index);
        let (query, after) = if params.sort == SortField::UpdatedAt {
            let query = base
                .key_condition_expression(format!("{pk_attr} = :p"))
                .expression_attribute_values(":p", s(pk_value.clone()));
            (query, params.cursor.as_ref().map(|c| c.after.clone()))
        } else {
            let Window::Range { low, high, after } = id_window(params, sort_value) else {
                return Ok(Page {
                    items: Vec::new(),
                    next_cursor: None,
                });
            };
            let query = base
                .key_condition_expression(format!(
                    "{pk_attr} = :p AND {sk_attr} BETWEEN :low AND :high"
                ))
                .expression_attribute_values(":p", s(pk_value.clone()))
                .expression_attribute_values(":low", s(low))
                .expression_attribute_values(":high", s(high));
            (query, after)
        };
        let start_key = after.map(|after| {
            let id = after.rsplit('#').next().unwrap_or_default().to_owned();
            HashMap::from([
                ("pk".to_owned(), s(delivery_pk(&id))),
                ("sk".to_owned(), s("DELIVERY")),
                (pk_attr.clone(), s(pk_value.clone())),
                (sk_attr.clone(), s(after)),
            ])
        });
        self.collect_page(query, start_key, params, keep, key).await
    }

    async fn update_delivery(
        &self,
        delivery: &Delivery,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let item = delivery_item(delivery)?;
        let values = HashMap::from([
            (
                ":v".to_owned(),
                AttributeValue::N(expected_version.to_string()),
            ),
            (":a".to_owned(), s(delivery.account_id.to_string())),
        ]);
        self.put_if(item, "version = :v AND account_id = :a", Some(values))
            .await
    }

    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let pk = idempotency_pk(record);
        let values = HashMap::from([(
            ":now".to_owned(),
            AttributeValue::N(now.epoch_seconds().to_string()),
        )]);
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
