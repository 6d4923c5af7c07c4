//! Webhooks: one item each in the account's partition, their health apart
//! (`health`), gsi1 for the updated_at order.

use super::health::{health_key, outcomes_update, with_health};
use super::keys::*;
use super::paging::Source;
use super::sdk::text;
use super::DynamoStore;
use crate::domain::audit::AuditRecord;
use crate::domain::health::{Health, Outcomes};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{sort_key, Cursor, ListParams, Order, Page, SortField};
use crate::domain::webhook::Webhook;
use crate::ports::store::*;
use crate::sealing::{open_webhook, seal_webhook};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

impl DynamoStore {
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

    async fn page_with_health(&self, page: Page<Webhook>) -> Result<Page<Webhook>, StoreError> {
        Ok(Page {
            items: self.with_health(page.items).await?,
            next_cursor: page.next_cursor,
        })
    }

    /// `webhook`'s item, its secrets sealed.
    async fn sealed_item(&self, webhook: &Webhook) -> Result<Item, StoreError> {
        webhook_item(webhook, &seal_webhook(&self.sealer, webhook).await?)
    }

    /// The webhook a stored item holds, its secrets opened.
    pub(super) async fn open_item(&self, item: Item) -> Result<Webhook, StoreError> {
        let stored = serde_dynamo::from_item(item)
            .map_err(|e| StoreError::Corrupt(format!("decoding a webhook: {e}")))?;
        open_webhook(&self.sealer, stored).await
    }
}

#[async_trait]
impl WebhookStore for DynamoStore {
    async fn insert_webhook(
        &self,
        webhook: &Webhook,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let item = self.sealed_item(webhook).await?;
        let put = self.put_write(item, "attribute_not_exists(pk)", None)?;
        self.audited(vec![put], audit).await
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
            .position(
                |item| matches!(item.get("sk"), Some(AttributeValue::S(sk)) if sk == "HEALTH"),
            )
            .map(|i| items.remove(i));
        match items.pop() {
            Some(item) => Ok(Some(with_health(
                self.open_item(item).await?,
                health.as_ref(),
            )?)),
            None => Ok(None),
        }
    }

    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let values = HashMap::from([(
            ":v".to_owned(),
            AttributeValue::N(expected_version.to_string()),
        )]);
        let item = self.sealed_item(webhook).await?;
        let put = self.put_write(item, "version = :v", Some(values))?;
        self.audited(vec![put], audit).await
    }

    async fn record_outcome(
        &self,
        account: AccountId,
        id: WebhookId,
        outcomes: &Outcomes,
        expires_at: i64,
    ) -> Result<Health, StoreError> {
        let update = outcomes_update(account, outcomes, expires_at)?;
        self.note_outcomes(id, update).await
    }

    async fn reset_health(&self, _account: AccountId, id: WebhookId) -> Result<(), StoreError> {
        self.forget_failures(id).await
    }

    async fn delete_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        let key = health_key(id);
        self.delete(text(&key, "pk")?, "HEALTH").await?;
        let sk = webhook_sk(&id.to_string());
        self.delete_audited(account_pk(account), &sk, audit).await
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
}
