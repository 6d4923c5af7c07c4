//! Deliveries: sharded over the account's partitions, gsi3 per webhook,
//! gsi4 for the failed and the pending ones; every change one conditional UpdateItem.

use super::keys::*;
use super::paging::Source;
use super::sdk::{built, no_item, text, unavailable, write_error};
use super::update_expression::Update;
use super::DynamoStore;
use crate::domain::delivery::{Change, Delivery, DeliveryStatus, Effects};
use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::listing::{
    check_updated_sort_bound, page_in_key_order, sort_key, ListParams, Order, Page, SortField,
    UPDATED_SORT_MAX,
};
use crate::domain::time::Timestamp;
use crate::domain::webhook_url::WebhookUrl;
use crate::ports::store::*;
use crate::sealing::rekeep;
use async_trait::async_trait;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    DeleteRequest, PutRequest, ReturnValue, ReturnValuesOnConditionCheckFailure, WriteRequest,
};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

impl DynamoStore {
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

    /// Keeps the URL of a delivery written before secrets were sealed as
    /// new ones keep it (`sealing::rekeep`): its next write after the upgrade.
    /// `clear`: its URL as `Delivery::url_in_clear` finds it.
    async fn rekeep_url(
        &self,
        delivery: &mut Delivery,
        clear: WebhookUrl,
    ) -> Result<(), StoreError> {
        let kept = rekeep(&self.sealer, delivery, &clear).await?;
        let mut values = std::collections::HashMap::from([
            (":clear".to_owned(), s(clear.to_string())),
            (":shown".to_owned(), s(kept.shown.to_string())),
        ]);
        let expression = match &kept.sealed {
            Some(sealed) => {
                values.insert(":sealed".into(), s(sealed.to_string()));
                "SET #url = :shown, sealed_url = :sealed"
            }
            None => "SET #url = :shown",
        };
        let answer = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(delivery_key(delivery.account_id(), delivery.id())))
            .update_expression(expression)
            .condition_expression("#url = :clear")
            .expression_attribute_names("#url", "url")
            .set_expression_attribute_values(Some(values))
            .send()
            .await;
        match answer.map_err(write_error) {
            // Another write kept it first.
            Ok(_) | Err(StoreError::Conflict) => {
                delivery.rekept(kept);
                Ok(())
            }
            Err(err) => Err(err),
        }
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

#[async_trait]
impl DeliveryStore for DynamoStore {
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
        let stored = found
            .iter()
            .map(|item| text(item, "sk"))
            .collect::<Result<std::collections::HashSet<String>, _>>()?;
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
        let (pk, sk) = (text(&key, "pk")?, text(&key, "sk")?);
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

    async fn poll_feed(
        &self,
        account: AccountId,
        webhook: WebhookId,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<KeyPage<Delivery>, StoreError> {
        let source = Source {
            index: Some(GSI4),
            pk_attr: "gsi4pk",
            sk_attr: "gsi4sk",
            partitions: feed_partitions(webhook),
            keys_only: true,
        };
        let params = ListParams {
            order: Order::Asc,
            limit: u32::try_from(limit).unwrap_or(u32::MAX),
            ..ListParams::default()
        };
        // The index is read eventually consistent, its items consistently:
        // an entry the index still shows for a delivery acknowledged a
        // moment ago is dropped here.
        let keep = |d: &Delivery| {
            d.visible_to(account, now)
                && d.in_feed().is_some_and(|(w, at)| w == webhook && at <= now)
        };
        let range = (since.to_string(), format!("{now}#~"));
        let page = self
            .merged_page(&source, range, &params, keep, feed_sort_key)
            .await?;
        Ok(KeyPage {
            items: page.items,
            next: page.next_cursor.map(|cursor| cursor.after),
        })
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
                let mut after = after.ok_or_else(no_item)?;
                if let Some(clear) = after.url_in_clear().cloned() {
                    self.rekeep_url(&mut after, clear).await?;
                }
                Ok(Changed::Applied(after))
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
