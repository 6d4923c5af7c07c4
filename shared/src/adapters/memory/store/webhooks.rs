//! Webhooks, and the health their senders note (kept apart, as in DynamoDB).

use super::MemoryStore;
use crate::domain::health::{Health, Outcomes};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{page_in_key_order, sort_key, ListParams, Page, SortField};
use crate::domain::webhook::Webhook;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl WebhookStore for MemoryStore {
    async fn insert_webhook(&self, webhook: &Webhook) -> Result<(), StoreError> {
        let mut state = self.write();
        let key = (webhook.account_id(), webhook.id());
        if state.webhooks.contains_key(&key) {
            return Err(StoreError::Conflict);
        }
        state.webhooks.insert(key, webhook.clone());
        Ok(())
    }

    async fn get_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError> {
        self.reading(|s| s.webhooks.get(&(account, id)).map(|w| s.with_health(w)))
    }

    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let mut state = self.write();
        match state
            .webhooks
            .get_mut(&(webhook.account_id(), webhook.id()))
        {
            Some(stored) if stored.version() == expected_version => {
                *stored = webhook.clone();
                Ok(())
            }
            _ => Err(StoreError::Conflict),
        }
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
        let state = self.read();
        let from = after.unwrap_or(WebhookId::MIN);
        let mut found: Vec<Webhook> = state
            .webhooks
            .range((account, from)..=(account, WebhookId::MAX))
            .map(|(_, w)| w)
            .filter(|w| Some(w.id()) != after && w.enabled())
            .take(limit as usize + 1)
            .cloned()
            .collect();
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
            .map(|w| params.cursor_after(w.id().to_string()));
        Ok(Page {
            items: found,
            next_cursor,
        })
    }

    async fn delete_webhook(&self, account: AccountId, id: WebhookId) -> Result<bool, StoreError> {
        let mut state = self.write();
        state.health.remove(&id);
        Ok(state.webhooks.remove(&(account, id)).is_some())
    }

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError> {
        let key = |w: &Webhook| sort_key(params.sort, &w.id().to_string(), w.updated_at());
        let state = self.read();
        let matching = state
            .webhooks
            .range((account, WebhookId::MIN)..=(account, WebhookId::MAX))
            .map(|(_, w)| w)
            .filter(|w| filter.enabled.is_none_or(|on| w.enabled() == on))
            .filter(|w| params.in_window(w.created_at()))
            .map(|w| state.with_health(w))
            .collect();
        Ok(page_in_key_order(matching, params, key))
    }
}
