use crate::domain::account::{Account, KeyHash};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{sort_key, ListParams, Order, Page};
use crate::domain::webhook::Webhook;
use crate::ports::store::{Store, StoreError, WebhookFilter};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

#[derive(Default)]
struct State {
    accounts: HashMap<KeyHash, Account>,
    webhooks: BTreeMap<(AccountId, WebhookId), Webhook>,
}

/// A `Store` in process memory. Same semantics as the DynamoDB store,
/// checked by the same conformance suite.
#[derive(Default)]
pub struct MemoryStore {
    state: RwLock<State>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    // A panic while holding the lock leaves plain data behind; keep serving it.
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError> {
        let mut state = self.write();
        if state.accounts.contains_key(&key) {
            return Err(StoreError::Conflict);
        }
        state.accounts.insert(key, account.clone());
        Ok(())
    }

    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError> {
        Ok(self.read().accounts.get(&key).map(|a| (a.clone(), key)))
    }

    async fn insert_webhook(&self, webhook: &Webhook) -> Result<(), StoreError> {
        let mut state = self.write();
        let key = (webhook.account_id, webhook.id);
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
        Ok(self.read().webhooks.get(&(account, id)).cloned())
    }

    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let mut state = self.write();
        match state.webhooks.get_mut(&(webhook.account_id, webhook.id)) {
            Some(stored) if stored.version == expected_version => {
                *stored = webhook.clone();
                Ok(())
            }
            _ => Err(StoreError::Conflict),
        }
    }

    async fn delete_webhook(&self, account: AccountId, id: WebhookId) -> Result<bool, StoreError> {
        Ok(self.write().webhooks.remove(&(account, id)).is_some())
    }

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError> {
        let key = |w: &Webhook| sort_key(params.sort, &w.id.to_string(), w.updated_at);
        let state = self.read();
        let mut matching: Vec<(String, &Webhook)> = state
            .webhooks
            .range((account, WebhookId::MIN)..=(account, WebhookId::MAX))
            .map(|(_, w)| w)
            .filter(|w| filter.enabled.is_none_or(|on| w.enabled == on))
            .filter(|w| params.in_window(w.created_at))
            .map(|w| (key(w), w))
            .filter(|(k, _)| params.after_cursor(k))
            .collect();
        matching.sort_by(|a, b| a.0.cmp(&b.0));
        if params.order == Order::Desc {
            matching.reverse();
        }
        let window = matching
            .into_iter()
            .skip(params.offset as usize)
            .take(params.limit as usize + 1)
            .map(|(_, w)| w.clone())
            .collect();
        Ok(Page::from_overfetch(window, params, key))
    }
}
