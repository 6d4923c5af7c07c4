use crate::domain::account::{Account, KeyHash};
use crate::domain::delivery::Delivery;
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::listing::{sort_key, ListParams, Order, Page};
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use crate::ports::store::{DeliveryFilter, IdempotencyRecord, Store, StoreError, WebhookFilter};
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

#[derive(Default)]
struct State {
    accounts: HashMap<KeyHash, Account>,
    webhooks: BTreeMap<(AccountId, WebhookId), Webhook>,
    events: HashMap<EventId, Event>,
    deliveries: HashMap<DeliveryId, Delivery>,
    idempotency: HashMap<(AccountId, String), IdempotencyRecord>,
}

/// Sorts `items` by `key` in the params' order and cuts the page after the
/// cursor and offset (the same semantics as the DynamoDB queries).
fn page_of<'a, T: Clone + 'a>(
    items: impl Iterator<Item = &'a T>,
    params: &ListParams,
    key: impl Fn(&T) -> String,
) -> Page<T> {
    let mut keyed: Vec<(String, &T)> = items
        .map(|item| (key(item), item))
        .filter(|(k, _)| params.after_cursor(k))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    if params.order == Order::Desc {
        keyed.reverse();
    }
    let window = keyed
        .into_iter()
        .skip(params.offset as usize)
        .take(params.limit as usize + 1)
        .map(|(_, item)| item.clone())
        .collect();
    Page::from_overfetch(window, params, key)
}

/// Whether an item with this TTL is still readable at `now`.
fn live(expires_at: i64, now: Timestamp) -> bool {
    now.epoch_seconds() < expires_at
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

    async fn record_last_delivery(
        &self,
        account: AccountId,
        id: WebhookId,
        last: &crate::domain::webhook::LastDelivery,
    ) -> Result<(), StoreError> {
        if let Some(webhook) = self.write().webhooks.get_mut(&(account, id)) {
            webhook.last_delivery = Some(last.clone());
        }
        Ok(())
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
        let matching = state
            .webhooks
            .range((account, WebhookId::MIN)..=(account, WebhookId::MAX))
            .map(|(_, w)| w)
            .filter(|w| filter.enabled.is_none_or(|on| w.enabled == on))
            .filter(|w| params.in_window(w.created_at));
        Ok(page_of(matching, params, key))
    }

    async fn put_event(&self, event: &Event) -> Result<(), StoreError> {
        self.write().events.insert(event.id, event.clone());
        Ok(())
    }

    async fn get_event(
        &self,
        account: AccountId,
        id: EventId,
        now: Timestamp,
    ) -> Result<Option<Event>, StoreError> {
        let state = self.read();
        Ok(state
            .events
            .get(&id)
            .filter(|e| e.account_id == account && live(e.expires_at, now))
            .cloned())
    }

    async fn insert_deliveries(&self, deliveries: &[Delivery]) -> Result<(), StoreError> {
        let mut state = self.write();
        for delivery in deliveries {
            state
                .deliveries
                .entry(delivery.id)
                .or_insert_with(|| delivery.clone());
        }
        Ok(())
    }

    async fn insert_delivery_if_absent(&self, delivery: &Delivery) -> Result<(), StoreError> {
        let mut state = self.write();
        if state.deliveries.contains_key(&delivery.id) {
            return Err(StoreError::Conflict);
        }
        state.deliveries.insert(delivery.id, delivery.clone());
        Ok(())
    }

    async fn get_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        let state = self.read();
        Ok(state
            .deliveries
            .get(&id)
            .filter(|d| d.account_id == account && live(d.expires_at, now))
            .cloned())
    }

    async fn delete_deliveries(&self, ids: &[DeliveryId]) -> Result<(), StoreError> {
        let mut state = self.write();
        for id in ids {
            state.deliveries.remove(id);
        }
        Ok(())
    }

    async fn list_deliveries(
        &self,
        account: AccountId,
        filter: &DeliveryFilter,
        params: &ListParams,
        now: Timestamp,
    ) -> Result<Page<Delivery>, StoreError> {
        let key = |d: &Delivery| sort_key(params.sort, &d.id.to_string(), d.updated_at);
        let state = self.read();
        let matching = state
            .deliveries
            .values()
            .filter(|d| d.account_id == account && live(d.expires_at, now))
            .filter(|d| filter.matches(d) && params.in_window(d.created_at));
        Ok(page_of(matching, params, key))
    }

    async fn update_delivery(
        &self,
        delivery: &Delivery,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let mut state = self.write();
        match state.deliveries.get_mut(&delivery.id) {
            Some(stored)
                if stored.version == expected_version
                    && stored.account_id == delivery.account_id =>
            {
                *stored = delivery.clone();
                Ok(())
            }
            _ => Err(StoreError::Conflict),
        }
    }

    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let mut state = self.write();
        let key = (record.account_id, record.key_hash.clone());
        match state.idempotency.get(&key) {
            Some(existing) if live(existing.expires_at, now) => Ok(Some(existing.clone())),
            _ => {
                state.idempotency.insert(key, record.clone());
                Ok(None)
            }
        }
    }

    async fn complete_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.write()
            .idempotency
            .insert((record.account_id, record.key_hash.clone()), record.clone());
        Ok(())
    }
}
