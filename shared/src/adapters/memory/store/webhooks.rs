//! Webhooks, kept sealed (`sealing`), and the health their senders note
//! (kept apart, as in DynamoDB). A list selects by what is kept beside the
//! sealed webhook and opens only the webhooks it answers.

use super::{found, KeptWebhook, MemoryStore};
use crate::domain::audit::AuditRecord;
use crate::domain::health::{Health, Outcomes};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{page_in_key_order, sort_key, ListParams, Page, SortField};
use crate::domain::webhook::Webhook;
use crate::ports::store::*;
use crate::sealing::{open_webhook, seal_webhook};
use async_trait::async_trait;

impl MemoryStore {
    async fn keep(&self, webhook: &Webhook) -> Result<KeptWebhook, StoreError> {
        Ok(KeptWebhook {
            stored: seal_webhook(&self.sealer, webhook).await?,
            enabled: webhook.enabled(),
            created_at: webhook.created_at(),
            updated_at: webhook.updated_at(),
            version: webhook.version(),
        })
    }

    /// The webhooks `kept`, opened, with what their senders noted.
    async fn opened(&self, kept: Vec<KeptWebhook>) -> Result<Vec<Webhook>, StoreError> {
        let mut webhooks = Vec::with_capacity(kept.len());
        for webhook in kept {
            webhooks.push(open_webhook(&self.sealer, webhook.stored).await?);
        }
        let state = self.read();
        Ok(webhooks.into_iter().map(|w| state.with_health(w)).collect())
    }
}

#[async_trait]
impl WebhookStore for MemoryStore {
    async fn insert_webhook(
        &self,
        webhook: &Webhook,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let kept = self.keep(webhook).await?;
        let key = (webhook.account_id(), webhook.id());
        self.write().audited(audit, |state| {
            if state.webhooks.contains_key(&key) {
                return Err(StoreError::Conflict);
            }
            state.webhooks.insert(key, kept);
            Ok(())
        })
    }

    async fn get_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError> {
        let kept = self.reading(|s| s.webhooks.get(&(account, id)).cloned())?;
        Ok(self.opened(kept.into_iter().collect()).await?.pop())
    }

    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let kept = self.keep(webhook).await?;
        let key = (webhook.account_id(), webhook.id());
        self.write()
            .audited(audit, |state| match state.webhooks.get_mut(&key) {
                Some(stored) if stored.version == expected_version => {
                    *stored = kept;
                    Ok(())
                }
                _ => Err(StoreError::Conflict),
            })
    }

    async fn record_outcome(
        &self,
        _account: AccountId,
        id: WebhookId,
        outcomes: &Outcomes,
        _expires_at: i64,
    ) -> Result<Health, StoreError> {
        let mut state = self.write();
        let record = state.health.entry(id).or_default();
        record.health = outcomes.apply(record.health);
        if let Some(last) = &outcomes.last {
            record.last = Some(last.clone());
        }
        Ok(record.health)
    }

    async fn reset_health(&self, _account: AccountId, id: WebhookId) -> Result<(), StoreError> {
        if let Some(record) = self.write().health.get_mut(&id) {
            record.health = Health::default();
        }
        Ok(())
    }

    async fn subscribers(
        &self,
        account: AccountId,
        after: Option<WebhookId>,
        limit: u32,
    ) -> Result<Page<Webhook>, StoreError> {
        let from = after.unwrap_or(WebhookId::MIN);
        let mut found: Vec<(WebhookId, KeptWebhook)> = self.reading(|s| {
            s.webhooks
                .range((account, from)..=(account, WebhookId::MAX))
                .filter(|((_, id), w)| Some(*id) != after && w.enabled)
                .take(limit as usize + 1)
                .map(|((_, id), w)| (*id, w.clone()))
                .collect()
        })?;
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        let params = ListParams {
            sort: SortField::Id,
            order: crate::domain::listing::Order::Asc,
            limit,
            ..ListParams::default()
        };
        let next_cursor = found
            .last()
            .filter(|_| more)
            .map(|(id, _)| params.cursor_after(id.to_string()));
        let kept = found.into_iter().map(|(_, w)| w).collect();
        Ok(Page {
            items: self.opened(kept).await?,
            next_cursor,
        })
    }

    async fn delete_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        let mut state = self.write();
        state.health.remove(&id);
        let deleted = state.audited(audit, |state| {
            let gone = state.webhooks.remove(&(account, id));
            gone.map(drop).ok_or(StoreError::Conflict)
        });
        found(deleted)
    }

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError> {
        let matching: Vec<(WebhookId, KeptWebhook)> = self.reading(|s| {
            s.webhooks
                .range((account, WebhookId::MIN)..=(account, WebhookId::MAX))
                .filter(|(_, w)| filter.enabled.is_none_or(|on| w.enabled == on))
                .filter(|(_, w)| params.in_window(w.created_at))
                .map(|((_, id), w)| (*id, w.clone()))
                .collect()
        })?;
        let key = |(id, w): &(WebhookId, KeptWebhook)| {
            sort_key(params.sort, &id.to_string(), w.updated_at)
        };
        let page = page_in_key_order(matching, params, key);
        let kept = page.items.into_iter().map(|(_, w)| w).collect();
        Ok(Page {
            items: self.opened(kept).await?,
            next_cursor: page.next_cursor,
        })
    }
}
