//! Fault decorators for the ports: a store, queue or scheduler call that
//! fails on demand, as when the process dies there (no real server fails on
//! demand). The stranding tests and the half-way ingest test wrap the
//! embedded runner's adapters in them.

use async_trait::async_trait;
use hookrelay::domain::account::{Account, KeyHash};
use hookrelay::domain::console_link::ConsoleLink;
use hookrelay::domain::delivery::{Change, Delivery};
use hookrelay::domain::event::{Event, EventKind};
use hookrelay::domain::event_type::EventType;
use hookrelay::domain::health::{Health, Outcomes};
use hookrelay::domain::idempotency::IdempotencyRecord;
use hookrelay::domain::ids::{AccountId, ConsoleLinkId, DeliveryId, EventId, TaskId, WebhookId};
use hookrelay::domain::listing::{ListParams, Page};
use hookrelay::domain::stats::{StatsScope, Tally};
use hookrelay::domain::task::{Task, TaskChange};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::wake::WakeBucket;
use hookrelay::domain::webhook::Webhook;
use hookrelay::ports::queue::{Enqueue, Queue, QueueError, QueueMessage, Received, Scheduler};
use hookrelay::ports::store::{
    Changed, DeliveryFilter, KeyPage, Overdue, Store, StoreError, Waiting, WebhookFilter,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
/// Which call fails next: per operation, how many calls pass first; and how
/// many faults struck.
#[derive(Default)]
pub struct Faults {
    armed: Mutex<HashMap<&'static str, usize>>,
    struck: Mutex<usize>,
    /// Every message queued (so a test can queue one again).
    pub sent: Mutex<Vec<QueueMessage>>,
    /// While set, receives find nothing (a queue backlog: the messages wait).
    pub backlog: std::sync::atomic::AtomicBool,
    /// Schedules made.
    pub schedules: Mutex<usize>,
    /// Messages received and not deleted yet (by receipt), and when; the
    /// last queue call: what `everything_settles` waits on.
    open: Mutex<HashMap<String, Instant>>,
    last_call: Mutex<Option<Instant>>,
}

impl Faults {
    /// The next call of `operation` fails.
    pub fn arm(&self, operation: &'static str) {
        self.arm_after(operation, 0);
    }

    /// The call of `operation` after `passing` more fails.
    pub fn arm_after(&self, operation: &'static str, passing: usize) {
        self.armed.lock().unwrap().insert(operation, passing);
    }

    fn touch(&self) {
        *self.last_call.lock().unwrap() = Some(Instant::now());
    }

    /// No message is being handled: none was received in the last 2 s and
    /// left undeleted (one that failed stays until its visibility ends), and
    /// the queue has not been called for a moment.
    pub fn quiet(&self) -> bool {
        let recent = |at: &Instant| at.elapsed() < Duration::from_secs(2);
        let last = *self.last_call.lock().unwrap();
        !self.open.lock().unwrap().values().any(recent)
            && last.is_none_or(|at| at.elapsed() >= Duration::from_millis(30))
    }

    pub fn struck(&self) -> usize {
        *self.struck.lock().unwrap()
    }

    /// Whether this call of `operation` fails (and disarms it).
    fn strike(&self, operation: &'static str) -> bool {
        let mut armed = self.armed.lock().unwrap();
        match armed.get_mut(operation) {
            Some(0) => {
                armed.remove(operation);
                *self.struck.lock().unwrap() += 1;
                true
            }
            Some(passing) => {
                *passing -= 1;
                false
            }
            None => false,
        }
    }

    fn store(&self, operation: &'static str) -> Result<(), StoreError> {
        if self.strike(operation) {
            return Err(StoreError::Unavailable(format!("injected: {operation}")));
        }
        Ok(())
    }

    fn queue(&self, operation: &'static str) -> Result<(), QueueError> {
        if self.strike(operation) {
            return Err(QueueError(format!("injected: {operation}")));
        }
        Ok(())
    }
}

/// A port that fails where its `Faults` say, and otherwise calls `inner`.
pub struct Faulty<T: ?Sized> {
    pub inner: Arc<T>,
    pub faults: Arc<Faults>,
}

#[async_trait]
impl Store for Faulty<dyn Store> {
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError> {
        self.inner.insert_account(account, key).await
    }
    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError> {
        self.inner.account_by_key(key).await
    }
    async fn insert_webhook(&self, webhook: &Webhook) -> Result<(), StoreError> {
        self.inner.insert_webhook(webhook).await
    }
    async fn get_webhook(
        &self,
        a: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError> {
        self.inner.get_webhook(a, id).await
    }
    async fn update_webhook(&self, webhook: &Webhook, version: u64) -> Result<(), StoreError> {
        self.inner.update_webhook(webhook, version).await
    }
    async fn record_outcome(
        &self,
        a: AccountId,
        id: WebhookId,
        outcomes: &Outcomes,
        expires_at: i64,
    ) -> Result<Health, StoreError> {
        self.faults.store("record_outcome")?;
        self.inner.record_outcome(a, id, outcomes, expires_at).await
    }
    async fn reset_health(&self, a: AccountId, id: WebhookId) -> Result<(), StoreError> {
        self.inner.reset_health(a, id).await
    }
    async fn subscribers(
        &self,
        a: AccountId,
        after: Option<WebhookId>,
        limit: u32,
    ) -> Result<Page<Webhook>, StoreError> {
        self.inner.subscribers(a, after, limit).await
    }
    async fn delete_webhook(&self, a: AccountId, id: WebhookId) -> Result<bool, StoreError> {
        self.faults.store("delete_webhook")?;
        self.inner.delete_webhook(a, id).await
    }
    async fn list_webhooks(
        &self,
        a: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError> {
        self.inner.list_webhooks(a, filter, params).await
    }
    async fn record_event(&self, event: &Event, deliveries: &[Delivery]) -> Result<(), StoreError> {
        self.faults.store("record_event")?;
        self.inner.record_event(event, deliveries).await
    }
    async fn insert_event_if_absent(&self, event: &Event) -> Result<(), StoreError> {
        self.inner.insert_event_if_absent(event).await
    }
    async fn get_event(
        &self,
        a: AccountId,
        id: EventId,
        now: Timestamp,
    ) -> Result<Option<Event>, StoreError> {
        self.inner.get_event(a, id, now).await
    }
    async fn insert_deliveries(&self, deliveries: &[Delivery]) -> Result<(), StoreError> {
        self.faults.store("insert_deliveries")?;
        self.inner.insert_deliveries(deliveries).await
    }
    async fn missing_deliveries(
        &self,
        a: AccountId,
        ids: &[DeliveryId],
    ) -> Result<Vec<DeliveryId>, StoreError> {
        self.inner.missing_deliveries(a, ids).await
    }
    async fn get_delivery(
        &self,
        a: AccountId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        self.inner.get_delivery(a, id, now).await
    }
    async fn delete_deliveries(&self, a: AccountId, ids: &[DeliveryId]) -> Result<(), StoreError> {
        self.faults.store("delete_deliveries")?;
        self.inner.delete_deliveries(a, ids).await
    }
    async fn list_deliveries(
        &self,
        a: AccountId,
        filter: &DeliveryFilter,
        params: &ListParams,
        now: Timestamp,
    ) -> Result<Page<Delivery>, StoreError> {
        self.inner.list_deliveries(a, filter, params, now).await
    }
    async fn change_delivery(
        &self,
        a: AccountId,
        id: DeliveryId,
        attempts: u32,
        change: &Change,
        now: Timestamp,
    ) -> Result<Changed, StoreError> {
        let operation = match change {
            Change::Claimed { .. } => "claim",
            Change::Attempted { .. } => "record_attempt",
            Change::Held { .. } => "hold",
            Change::Reopened { .. } => "reopen",
            Change::Recovered { .. } => "recover",
            Change::Swept => "swept",
        };
        self.faults.store(operation)?;
        let changed = self
            .inner
            .change_delivery(a, id, attempts, change, now)
            .await?;
        // What a write the SDK sent again after it had landed answers: its
        // own condition fails, on the item it wrote.
        match changed {
            Changed::Applied(after) if self.faults.strike("landed_then_refused") => {
                Ok(Changed::Refused(Some(after)))
            }
            changed => Ok(changed),
        }
    }
    async fn overdue(
        &self,
        now: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Overdue>, StoreError> {
        self.inner.overdue(now, after, limit).await
    }
    async fn waiting_in(
        &self,
        bucket: WakeBucket,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Waiting>, StoreError> {
        self.inner.waiting_in(bucket, after, limit).await
    }
    async fn insert_task(&self, task: &Task) -> Result<(), StoreError> {
        self.faults.store("insert_task")?;
        self.inner.insert_task(task).await
    }
    async fn change_task(
        &self,
        a: AccountId,
        id: TaskId,
        step: u32,
        change: &TaskChange,
        now: Timestamp,
    ) -> Result<Changed<Task>, StoreError> {
        self.faults.store(match change {
            TaskChange::Claimed { .. } => "claim_task",
            TaskChange::Advanced { .. } => "advance_task",
            TaskChange::Swept => "sweep_task",
        })?;
        self.inner.change_task(a, id, step, change, now).await
    }
    async fn finish_task(&self, a: AccountId, id: TaskId, step: u32) -> Result<(), StoreError> {
        self.faults.store("finish_task")?;
        self.inner.finish_task(a, id, step).await
    }
    async fn claim_wake(&self, bucket: WakeBucket) -> Result<bool, StoreError> {
        self.faults.store("claim_wake")?;
        self.inner.claim_wake(bucket).await
    }
    async fn release_wake(&self, bucket: WakeBucket) -> Result<(), StoreError> {
        self.inner.release_wake(bucket).await
    }
    async fn claim_idempotency(
        &self,
        record: &IdempotencyRecord,
        now: Timestamp,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        self.inner.claim_idempotency(record, now).await
    }
    async fn complete_idempotency(&self, record: &IdempotencyRecord) -> Result<(), StoreError> {
        self.inner.complete_idempotency(record).await
    }
    async fn insert_event_type(&self, t: &EventType) -> Result<(), StoreError> {
        self.inner.insert_event_type(t).await
    }
    async fn get_event_type(
        &self,
        a: AccountId,
        e: &EventKind,
    ) -> Result<Option<EventType>, StoreError> {
        self.inner.get_event_type(a, e).await
    }
    async fn update_event_type(&self, t: &EventType) -> Result<(), StoreError> {
        self.inner.update_event_type(t).await
    }
    async fn delete_event_type(&self, a: AccountId, e: &EventKind) -> Result<bool, StoreError> {
        self.inner.delete_event_type(a, e).await
    }
    async fn list_event_types(
        &self,
        a: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<EventType>, StoreError> {
        self.inner.list_event_types(a, after, limit).await
    }
    async fn insert_console_link(&self, link: &ConsoleLink) -> Result<(), StoreError> {
        self.inner.insert_console_link(link).await
    }
    async fn get_console_link(
        &self,
        a: AccountId,
        id: ConsoleLinkId,
        now: Timestamp,
    ) -> Result<Option<ConsoleLink>, StoreError> {
        self.inner.get_console_link(a, id, now).await
    }
    async fn list_console_links(
        &self,
        a: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<ConsoleLink>, StoreError> {
        self.inner.list_console_links(a, after, limit, now).await
    }
    async fn delete_console_link(
        &self,
        a: AccountId,
        id: ConsoleLinkId,
    ) -> Result<bool, StoreError> {
        self.inner.delete_console_link(a, id).await
    }
    async fn reserve_send_slot(
        &self,
        w: WebhookId,
        item: u16,
        every: i64,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.inner.reserve_send_slot(w, item, every, now).await
    }
    async fn add_stats(
        &self,
        a: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        self.faults.store("add_stats")?;
        self.inner
            .add_stats(a, scope, hour, tally, expires_at)
            .await
    }
    async fn read_stats(
        &self,
        a: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError> {
        self.inner.read_stats(a, scope, from, to).await
    }
}

#[async_trait]
impl Queue for Faulty<dyn Queue> {
    async fn send(&self, messages: &[Enqueue]) -> Result<(), QueueError> {
        self.faults.queue("send")?;
        if messages
            .iter()
            .any(|m| matches!(m.message, QueueMessage::Task(_)))
        {
            self.faults.queue("send_task")?;
        }
        self.faults
            .sent
            .lock()
            .unwrap()
            .extend(messages.iter().map(|m| m.message.clone()));
        self.faults.touch();
        self.inner.send(messages).await
    }
    async fn receive(&self, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError> {
        if self
            .faults
            .backlog
            .load(std::sync::atomic::Ordering::SeqCst)
        {
            tokio::time::sleep(wait).await;
            return Ok(Vec::new());
        }
        let received = self.inner.receive(max, wait).await?;
        if !received.is_empty() {
            let now = Instant::now();
            let mut open = self.faults.open.lock().unwrap();
            open.extend(received.iter().map(|r| (r.receipt_handle.clone(), now)));
            self.faults.touch();
        }
        Ok(received)
    }
    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        self.faults.queue("delete")?;
        self.faults.open.lock().unwrap().remove(receipt);
        self.faults.touch();
        self.inner.delete(receipt).await
    }
}

#[async_trait]
impl Scheduler for Faulty<dyn Scheduler> {
    async fn schedule(
        &self,
        name: &str,
        at: Timestamp,
        message: &QueueMessage,
    ) -> Result<(), QueueError> {
        self.faults.queue("schedule")?;
        *self.faults.schedules.lock().unwrap() += 1;
        self.inner.schedule(name, at, message).await
    }
    async fn due(&self, now: Timestamp) -> Result<Vec<(String, QueueMessage)>, QueueError> {
        self.inner.due(now).await
    }
    async fn remove(&self, name: &str) -> Result<(), QueueError> {
        self.inner.remove(name).await
    }
}
