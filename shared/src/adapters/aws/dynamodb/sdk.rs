//! The SDK calls every role is built from: reads, writes, batches, and the
//! one mapping of SDK errors to `StoreError`.

use super::keys::*;
use super::DynamoStore;
use crate::ports::store::*;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, KeysAndAttributes, Put, TransactWriteItem, WriteRequest,
};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

pub(super) fn unavailable<E, R>(err: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    StoreError::Unavailable(DisplayErrorContext(&err).to_string())
}

/// The one conflict check: a failed condition (or a cancelled transaction) is
/// `Conflict`, anything else `Unavailable`.
pub(super) fn write_error<E, R>(err: SdkError<E, R>) -> StoreError
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

pub(super) fn built<T>(
    result: Result<T, aws_sdk_dynamodb::error::BuildError>,
) -> Result<T, StoreError> {
    result.map_err(|e| StoreError::Unavailable(e.to_string()))
}

/// An UpdateItem asked for the item after it, answered without one.
pub(super) fn no_item() -> StoreError {
    StoreError::Unavailable("an update that answered no item".into())
}

/// A string attribute every item of its kind has (a key): missing or of
/// another type, the item is corrupt.
pub(super) fn text(item: &Item, attr: &str) -> Result<String, StoreError> {
    match item.get(attr) {
        Some(AttributeValue::S(text)) => Ok(text.clone()),
        _ => Err(StoreError::Corrupt(format!("an item without its {attr}"))),
    }
}

impl DynamoStore {
    pub(super) async fn get(&self, pk: String, sk: &str) -> Result<Option<Item>, StoreError> {
        self.read(pk, sk, true).await
    }

    /// A read that may miss the latest write, at half the cost.
    pub(super) async fn get_eventually(
        &self,
        pk: String,
        sk: &str,
    ) -> Result<Option<Item>, StoreError> {
        self.read(pk, sk, false).await
    }

    async fn read(
        &self,
        pk: String,
        sk: &str,
        consistent: bool,
    ) -> Result<Option<Item>, StoreError> {
        let response = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .consistent_read(consistent)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(response.item)
    }

    pub(super) async fn put(&self, item: Item) -> Result<(), StoreError> {
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
    pub(super) async fn delete(&self, pk: String, sk: &str) -> Result<bool, StoreError> {
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
    pub(super) async fn put_if(
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

    /// A put of a transaction, guarded by `condition` with its `values`
    /// (an empty condition: whether or not the item is there).
    pub(super) fn put_write(
        &self,
        item: Item,
        condition: &str,
        values: Option<Item>,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .set_condition_expression((!condition.is_empty()).then(|| condition.to_owned()))
            .set_expression_attribute_values(values);
        Ok(TransactWriteItem::builder()
            .put(built(put.build())?)
            .build())
    }

    /// A delete of a transaction, of the item at `key` if it exists.
    pub(super) fn delete_write(&self, key: Item) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key))
            .condition_expression("attribute_exists(pk)");
        let delete = built(delete.build())?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// One transaction; a failed condition is `Conflict`.
    pub(super) async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<(), StoreError> {
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(write_error)?;
        Ok(())
    }

    /// Reads `query` page by page, handing each page's items to `take`, until
    /// `take` has enough (`true`) or the items run out.
    pub(super) async fn query_until(
        &self,
        query: QueryFluentBuilder,
        mut take: impl FnMut(Vec<Item>) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let mut start = None;
        loop {
            let page = query.clone().set_exclusive_start_key(start);
            let answer = page.send().await.map_err(unavailable)?;
            let enough = take(answer.items.unwrap_or_default())?;
            start = answer.last_evaluated_key;
            if enough || start.is_none() {
                return Ok(());
            }
        }
    }

    /// BatchWriteItem in chunks of 25.
    pub(super) async fn batch_write(&self, requests: Vec<WriteRequest>) -> Result<(), StoreError> {
        for chunk in requests.chunks(25) {
            until_processed(chunk.to_vec(), "writes", |pending| async move {
                let call = self.client.batch_write_item();
                let answer = call.request_items(&self.table, pending);
                let mut answer = answer.send().await.map_err(unavailable)?;
                let left = answer.unprocessed_items.as_mut();
                Ok((Vec::<()>::new(), left.and_then(|l| l.remove(&self.table))))
            })
            .await?;
        }
        Ok(())
    }

    /// BatchGetItem (consistent) of these base keys, in chunks of 100, in the
    /// order given; keys with no item are left out.
    pub(super) async fn batch_get(&self, keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        self.batch_get_projected(keys, None).await
    }

    pub(super) async fn batch_get_projected(
        &self,
        keys: Vec<Item>,
        projection: Option<&str>,
    ) -> Result<Vec<Item>, StoreError> {
        let base_key = |item: &Item| -> Item {
            item.iter()
                .filter(|(k, _)| k.as_str() == "pk" || k.as_str() == "sk")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let id = |item: &Item| Ok::<_, StoreError>((text(item, "pk")?, text(item, "sk")?));
        let mut found: HashMap<(String, String), Item> = HashMap::new();
        for chunk in keys.chunks(100) {
            let pending: Vec<Item> = chunk.iter().map(base_key).collect();
            let items = until_processed(pending, "reads", |pending| async move {
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(pending))
                    .consistent_read(true)
                    .set_projection_expression(projection.map(str::to_owned));
                let call = self.client.batch_get_item();
                let answer = call.request_items(&self.table, built(request.build())?);
                let mut answer = answer.send().await.map_err(unavailable)?;
                let items = answer
                    .responses
                    .as_mut()
                    .and_then(|r| r.remove(&self.table));
                let left = answer.unprocessed_keys.as_mut();
                let left = left.and_then(|l| l.remove(&self.table)).map(|k| k.keys);
                Ok((items.unwrap_or_default(), left))
            })
            .await?;
            for item in items {
                found.insert(id(&item)?, item);
            }
        }
        let mut ordered = Vec::with_capacity(found.len());
        for key in &keys {
            ordered.extend(found.remove(&id(key)?));
        }
        Ok(ordered)
    }
}

/// Tries of a batch call before what it leaves unprocessed is an error.
const BATCH_TRIES: u32 = 6;

/// Runs a batch call until it leaves nothing unprocessed: each try sends
/// what the last one left (`call` answers its items and what it left), backing
/// off between tries (unprocessed items mean throttling); an error once the
/// tries are used up. Returns the items every try answered.
async fn until_processed<T, R, F, Fut>(
    mut pending: Vec<T>,
    what: &str,
    mut call: F,
) -> Result<Vec<R>, StoreError>
where
    F: FnMut(Vec<T>) -> Fut,
    Fut: Future<Output = Result<(Vec<R>, Option<Vec<T>>), StoreError>>,
{
    let mut answered = Vec::new();
    for attempt in 1.. {
        let (items, left) = call(pending).await?;
        answered.extend(items);
        pending = left.unwrap_or_default();
        if pending.is_empty() {
            break;
        }
        if attempt == BATCH_TRIES {
            let left = pending.len();
            return Err(StoreError::Unavailable(format!(
                "{left} {what} left unprocessed"
            )));
        }
        tokio::time::sleep(Duration::from_millis(50 << (attempt - 1))).await;
    }
    Ok(answered)
}
