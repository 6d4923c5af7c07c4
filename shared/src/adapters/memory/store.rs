use crate::domain::account::{Account, KeyHash};
use crate::domain::console_link::ConsoleLink;
use crate::domain::delivery::{Change, Delivery};
use crate::domain::event::{Event, EventKind};
use crate::domain::event_type::EventType;
use crate::domain::health::{Health, LastDelivery, Outcomes};
use crate::domain::idempotency::IdempotencyRecord;
use crate::domain::ids::{AccountId, ConsoleLinkId, DeliveryId, EventId, TaskId, WebhookId};
use crate::domain::listing::{
    check_updated_sort_bound, page_in_key_order, sort_key, ListParams, Page, SortField,
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
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

#[derive(Default)]
struct State {
    accounts: HashMap<KeyHash, Account>,
    webhooks: BTreeMap<(AccountId, WebhookId), Webhook>,
    events: HashMap<EventId, Event>,
    deliveries: HashMap<DeliveryId, Delivery>,
    idempotency: HashMap<(AccountId, String), IdempotencyRecord>,
    event_types: BTreeMap<(AccountId, String), EventType>,
    console_links: BTreeMap<(AccountId, ConsoleLinkId), ConsoleLink>,
    /// A rate-limited webhook's next free send slot (epoch microseconds).
    send_slots: HashMap<(WebhookId, u16), i64>,
    /// Hourly delivery counters (they expire with the process).
    stats: BTreeMap<(AccountId, StatsKey, Timestamp), Tally>,
    /// Wake buckets that have a schedule.
    wakes: HashSet<WakeBucket>,
    tasks: HashMap<TaskId, Task>,
    /// Each webhook's notes from its senders, kept apart from it (as DynamoDB does).
    health: HashMap<WebhookId, HealthRecord>,
}

#[derive(Default)]
struct HealthRecord {
    last: Option<LastDelivery>,
    health: Health,
}

impl State {
    /// The webhook as read: with what its senders noted.
    fn with_health(&self, webhook: &Webhook) -> Webhook {
        let record = self.health.get(&webhook.id());
        let mut webhook = webhook.clone();
        webhook.lay_last_delivery(record.and_then(|r| r.last.clone()));
        webhook.lay_health(record.map(|r| r.health).unwrap_or_default());
        webhook
    }
}

/// Of the pending deliveries, those `pick` finds (with the time they are
/// ordered by), as `{time}#{id}` keys.
fn pending<'a, T: 'a>(
    state: &'a State,
    pick: impl Fn(&Delivery) -> Option<(Timestamp, T)> + 'a,
) -> impl Iterator<Item = (String, T)> + 'a {
    state
        .deliveries
        .values()
        .filter(|d| !d.status().is_final())
        .filter_map(move |d| pick(d).map(|(at, item)| (format!("{at}#{}", d.id()), item)))
}

/// `found` in key order after `after`, as a page of `limit`.
fn key_ordered<T>(
    found: impl Iterator<Item = (String, T)>,
    after: Option<&str>,
    limit: usize,
) -> KeyPage<T> {
    let mut found: Vec<(String, T)> = found
        .filter(|(key, _)| after.is_none_or(|after| key.as_str() > after))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.truncate(limit + 1);
    KeyPage::of(found, limit, |(key, _)| key.clone()).map(|(_, item)| item)
}

/// `StatsScope` in an order: the account's counters, then each webhook's.
type StatsKey = Option<WebhookId>;

fn stats_key(scope: StatsScope) -> StatsKey {
    match scope {
        StatsScope::Account => None,
        StatsScope::Webhook(id) => Some(id),
    }
}

/// Of one account's items in key order, those after `after` that `keep`
/// allows, as a page of `limit`.
fn key_page<K: Ord + Clone, T: Clone>(
    items: &BTreeMap<(AccountId, K), T>,
    account: AccountId,
    after: Option<&str>,
    limit: usize,
    key: impl Fn(&T) -> String,
    keep: impl Fn(&T) -> bool,
) -> KeyPage<T> {
    let found = items
        .iter()
        .skip_while(|((owner, _), _)| *owner != account)
        .take_while(|((owner, _), _)| *owner == account)
        .map(|(_, item)| item)
        .filter(|item| after.is_none_or(|after| key(item).as_str() > after))
        .filter(|item| keep(item))
        .take(limit + 1)
        .cloned()
        .collect();
    KeyPage::of(found, limit, key)
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
        let state = self.read();
        Ok(state
            .webhooks
            .get(&(account, id))
            .map(|w| state.with_health(w)))
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

    async fn record_event(&self, event: &Event, deliveries: &[Delivery]) -> Result<(), StoreError> {
        self.write().events.insert(event.id, event.clone());
        self.insert_deliveries(deliveries).await
    }

    async fn insert_event_if_absent(&self, event: &Event) -> Result<(), StoreError> {
        self.write()
            .events
            .entry(event.id)
            .or_insert_with(|| event.clone());
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
            .filter(|e| e.visible_to(account, now))
            .cloned())
    }

    async fn insert_deliveries(&self, deliveries: &[Delivery]) -> Result<(), StoreError> {
        let mut state = self.write();
        for delivery in deliveries {
            state.deliveries.insert(delivery.id(), delivery.clone());
        }
        Ok(())
    }

    async fn missing_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<Vec<DeliveryId>, StoreError> {
        let state = self.read();
        Ok(ids
            .iter()
            .filter(|id| {
                state
                    .deliveries
                    .get(id)
                    .is_none_or(|d| d.account_id() != account)
            })
            .copied()
            .collect())
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
            .filter(|d| d.visible_to(account, now))
            .cloned())
    }

    async fn delete_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<(), StoreError> {
        let mut state = self.write();
        for id in ids {
            if state
                .deliveries
                .get(id)
                .is_some_and(|d| d.account_id() == account)
            {
                state.deliveries.remove(id);
            }
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
        let key = |d: &Delivery| sort_key(params.sort, &d.id().to_string(), d.updated_at());
        let state = self.read();
        let read: Vec<&Delivery> = state
            .deliveries
            .values()
            .filter(|d| {
                d.account_id() == account && filter.reads(d) && params.in_window(d.created_at())
            })
            .collect();
        if params.sort == SortField::UpdatedAt {
            check_updated_sort_bound(read.len())?;
        }
        let matching: Vec<Delivery> = read
            .into_iter()
            .filter(|d| d.visible_to(account, now) && filter.matches(d))
            .cloned()
            .collect();
        Ok(page_in_key_order(matching, params, key))
    }

    async fn change_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        attempts: u32,
        change: &Change,
        now: Timestamp,
    ) -> Result<Changed, StoreError> {
        let mut state = self.write();
        match state.deliveries.get_mut(&id) {
            Some(stored) if stored.account_id() != account => Ok(Changed::Refused(None)),
            Some(stored) if stored.admits(change, attempts, now) => {
                stored.apply(change, now);
                Ok(Changed::Applied(stored.clone()))
            }
            stored => Ok(Changed::Refused(stored.cloned())),
        }
    }

    async fn overdue(
        &self,
        now: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Overdue>, StoreError> {
        let state = self.read();
        let deliveries = pending(&state, |d| {
            d.sweep_at()
                .filter(|at| *at < now)
                .map(|at| (at, Overdue::of(d)))
        });
        let tasks = state
            .tasks
            .values()
            .filter(|t| t.sweep_at < now)
            .map(|t| (format!("{}#{}", t.sweep_at, t.id), Overdue::of_task(t)));
        Ok(key_ordered(deliveries.chain(tasks), after, limit))
    }

    async fn waiting_in(
        &self,
        bucket: WakeBucket,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Waiting>, StoreError> {
        let state = self.read();
        let found = pending(&state, |d| {
            let due = d.next_attempt_at().filter(|_| d.wake() == Some(bucket))?;
            let waiting = Waiting {
                account_id: d.account_id(),
                delivery_id: d.id(),
                attempts: d.attempts(),
                due,
            };
            Some((due, waiting))
        });
        Ok(key_ordered(found, after, limit))
    }

    async fn insert_task(&self, task: &Task) -> Result<(), StoreError> {
        match self.write().tasks.entry(task.id) {
            std::collections::hash_map::Entry::Occupied(_) => Err(StoreError::Conflict),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(task.clone());
                Ok(())
            }
        }
    }

    async fn change_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
        change: &TaskChange,
        now: Timestamp,
    ) -> Result<Changed<Task>, StoreError> {
        let mut state = self.write();
        match state.tasks.get_mut(&id) {
            Some(stored) if stored.account_id != account => Ok(Changed::Refused(None)),
            Some(stored) if stored.admits(change, step, now) => {
                stored.apply(change, now);
                Ok(Changed::Applied(stored.clone()))
            }
            stored => Ok(Changed::Refused(stored.cloned())),
        }
    }

    async fn finish_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
    ) -> Result<(), StoreError> {
        let mut state = self.write();
        if state
            .tasks
            .get(&id)
            .is_some_and(|t| t.account_id == account && t.step == step)
        {
            state.tasks.remove(&id);
        }
        Ok(())
    }

    async fn claim_wake(&self, bucket: WakeBucket) -> Result<bool, StoreError> {
        Ok(self.write().wakes.insert(bucket))
    }

    async fn release_wake(&self, bucket: WakeBucket) -> Result<(), StoreError> {
        self.write().wakes.remove(&bucket);
        Ok(())
    }

    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let mut state = self.write();
        let key = (record.account_id, record.key_hash.clone());
        match state.idempotency.get(&key) {
            Some(existing) if existing.is_live(now) => Ok(Some(existing.clone())),
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

    async fn insert_event_type(&self, event_type: &EventType) -> Result<(), StoreError> {
        let key = (event_type.account_id, event_type.key());
        match self.write().event_types.entry(key) {
            Entry::Occupied(_) => Err(StoreError::Conflict),
            Entry::Vacant(slot) => {
                slot.insert(event_type.clone());
                Ok(())
            }
        }
    }

    async fn get_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<Option<EventType>, StoreError> {
        Ok(self
            .read()
            .event_types
            .get(&(account, event.dotted()))
            .cloned())
    }

    async fn update_event_type(&self, event_type: &EventType) -> Result<(), StoreError> {
        let key = (event_type.account_id, event_type.key());
        match self.write().event_types.get_mut(&key) {
            Some(stored) => {
                *stored = event_type.clone();
                Ok(())
            }
            None => Err(StoreError::Conflict),
        }
    }

    async fn delete_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<bool, StoreError> {
        let key = (account, event.dotted());
        Ok(self.write().event_types.remove(&key).is_some())
    }

    async fn list_event_types(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<EventType>, StoreError> {
        let state = self.read();
        Ok(key_page(
            &state.event_types,
            account,
            after,
            limit,
            EventType::key,
            |_| true,
        ))
    }

    async fn insert_console_link(&self, link: &ConsoleLink) -> Result<(), StoreError> {
        self.write()
            .console_links
            .insert((link.account.id, link.id), link.clone());
        Ok(())
    }

    async fn get_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        now: Timestamp,
    ) -> Result<Option<ConsoleLink>, StoreError> {
        let state = self.read();
        let link = state.console_links.get(&(account, id));
        Ok(link.filter(|link| link.is_live(now)).cloned())
    }

    async fn list_console_links(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<ConsoleLink>, StoreError> {
        let state = self.read();
        Ok(key_page(
            &state.console_links,
            account,
            after,
            limit,
            |link| link.id.to_string(),
            |link| link.is_live(now),
        ))
    }

    async fn delete_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
    ) -> Result<bool, StoreError> {
        Ok(self.write().console_links.remove(&(account, id)).is_some())
    }

    async fn reserve_send_slot(
        &self,
        webhook: WebhookId,
        item: u16,
        interval_micros: i64,
        now_micros: i64,
    ) -> Result<i64, StoreError> {
        let mut state = self.write();
        let next = state
            .send_slots
            .entry((webhook, item))
            .or_insert(now_micros);
        let slot = (*next).max(now_micros);
        *next = slot + interval_micros;
        Ok(slot)
    }

    async fn add_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        _expires_at: i64,
    ) -> Result<(), StoreError> {
        let key = (account, stats_key(scope), hour);
        self.write().stats.entry(key).or_default().merge(tally);
        Ok(())
    }

    async fn read_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError> {
        if to <= from {
            return Ok(Vec::new());
        }
        let scope = stats_key(scope);
        let range = (account, scope, from)..(account, scope, to);
        Ok(self
            .read()
            .stats
            .range(range)
            .map(|((_, _, hour), tally)| (*hour, tally.clone()))
            .collect())
    }
}
