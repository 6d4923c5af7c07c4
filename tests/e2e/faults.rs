//! Fault decorators for the ports: a store, queue or scheduler call that
//! fails on demand, as when the process dies there (no real server fails on
//! demand). The stranding tests and the half-way ingest test wrap the
//! embedded runner's adapters in them.

use async_trait::async_trait;
use hookrelay::app::Adapters;
use hookrelay::domain::account::{Account, KeyHash};
use hookrelay::domain::api_key::ApiKeyRecord;
use hookrelay::domain::audit::{AuditFilter, AuditRecord};
use hookrelay::domain::branding::Branding;
use hookrelay::domain::console_link::ConsoleLink;
use hookrelay::domain::delivery::{Change, Delivery};
use hookrelay::domain::event::{Event, EventKind};
use hookrelay::domain::event_type::EventType;
use hookrelay::domain::health::{Health, Outcomes};
use hookrelay::domain::idempotency::IdempotencyRecord;
use hookrelay::domain::ids::{
    AccountId, ApiKeyId, ConsoleLinkId, DeliveryId, EventId, TaskId, WebhookId,
};
use hookrelay::domain::listing::{ListParams, Page};
use hookrelay::domain::quota::QuotaWindow;
use hookrelay::domain::stats::{StatsScope, Tally};
use hookrelay::domain::task::{Task, TaskChange};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::wake::WakeBucket;
use hookrelay::domain::webhook::Webhook;
use hookrelay::ports::queue::{
    Enqueue, Queue, QueueError, QueueMessage, Received, Schedule, Scheduler,
};
use hookrelay::ports::store::*;
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

/// `adapters` with their store, queue and scheduler failing as `faults` is armed.
pub fn faulty(adapters: Adapters, faults: &Arc<Faults>) -> Adapters {
    let faults = faults.clone();
    Adapters {
        store: Arc::new(Faulty {
            inner: adapters.store,
            faults: faults.clone(),
        }),
        queue: Arc::new(Faulty {
            inner: adapters.queue,
            faults: faults.clone(),
        }),
        scheduler: Arc::new(Faulty {
            inner: adapters.scheduler,
            faults,
        }),
        ..adapters
    }
}

/// Forwards a store role to the inner store; a call fails when a test armed
/// the method's name. Methods with their own fault names follow the list.
macro_rules! faulty_role {
    ($role:ident { $(fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty;)* } $($own:tt)*) => {
        #[async_trait]
        impl $role for Faulty<dyn Store> {
            $(async fn $name(&self, $($arg: $ty),*) -> Result<$ret, StoreError> {
                self.faults.store(stringify!($name))?;
                self.inner.$name($($arg),*).await
            })*
            $($own)*
        }
    };
}

faulty_role!(AccountStore {
    fn insert_account(account: &Account, first_key: &ApiKeyRecord, audit: &AuditRecord) -> ();
    fn get_branding(a: AccountId) -> Branding;
    fn put_branding(a: AccountId, branding: &Branding, audit: &AuditRecord) -> ();
});
faulty_role!(ApiKeyStore {
    fn insert_api_key(key: &ApiKeyRecord, audit: &AuditRecord) -> ();
    fn api_key_by_hash(hash: KeyHash) -> Option<ApiKeyRecord>;
    fn list_api_keys(a: AccountId, after: Option<&str>, limit: usize) -> KeyPage<ApiKeyRecord>;
    fn note_api_key_use(key: &ApiKeyRecord) -> ();
    fn revoke_api_key(
        a: AccountId,
        id: ApiKeyId,
        now: Timestamp,
        audit: &AuditOf<'_, ApiKeyRecord>,
    ) -> Revocation;
});
faulty_role!(WebhookStore {
    fn insert_webhook(webhook: &Webhook, audit: &AuditRecord) -> ();
    fn get_webhook(a: AccountId, id: WebhookId) -> Option<Webhook>;
    fn update_webhook(webhook: &Webhook, version: u64, audit: &AuditRecord) -> ();
    fn record_outcome(a: AccountId, id: WebhookId, outcomes: &Outcomes, expires_at: i64) -> Health;
    fn reset_health(a: AccountId, id: WebhookId) -> ();
    fn delete_webhook(a: AccountId, id: WebhookId, audit: &AuditRecord) -> bool;
    fn list_webhooks(a: AccountId, filter: &WebhookFilter, params: &ListParams) -> Page<Webhook>;
    fn subscribers(a: AccountId, after: Option<WebhookId>, limit: u32) -> Page<Webhook>;
});
faulty_role!(EventStore {
    fn record_event(event: &Event, deliveries: &[Delivery]) -> ();
    fn insert_event_if_absent(event: &Event) -> ();
    fn get_event(a: AccountId, id: EventId, now: Timestamp) -> Option<Event>;
});
faulty_role!(DeliveryStore {
    fn insert_deliveries(deliveries: &[Delivery]) -> ();
    fn missing_deliveries(a: AccountId, ids: &[DeliveryId]) -> Vec<DeliveryId>;
    fn get_delivery(a: AccountId, id: DeliveryId, now: Timestamp) -> Option<Delivery>;
    fn delete_deliveries(a: AccountId, ids: &[DeliveryId]) -> ();
    fn list_deliveries(
        a: AccountId,
        filter: &DeliveryFilter,
        params: &ListParams,
        now: Timestamp,
    ) -> Page<Delivery>;
    fn poll_feed(
        a: AccountId,
        webhook: WebhookId,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> KeyPage<Delivery>;
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
            Change::TestSent { .. } => "test_send",
            Change::Requeued { .. } => "requeue",
            Change::Swept => "swept",
            Change::Acknowledged { .. } => "acknowledge",
            Change::Reoffered { .. } => "reoffer",
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
);
faulty_role!(PendingStore {
    fn overdue(now: Timestamp, after: Option<&str>, limit: usize) -> KeyPage<Overdue>;
    fn waiting_in(bucket: WakeBucket, after: Option<&str>, limit: usize) -> KeyPage<Waiting>;
    fn claim_wake(bucket: WakeBucket) -> bool;
    fn release_wake(bucket: WakeBucket) -> ();
});
faulty_role!(TaskStore {
    fn insert_task(task: &Task) -> ();
    fn finish_task(a: AccountId, id: TaskId, step: u32) -> ();
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
);
faulty_role!(IdempotencyStore {
    fn claim_idempotency(record: &IdempotencyRecord, now: Timestamp) -> Option<IdempotencyRecord>;
    fn complete_idempotency(record: &IdempotencyRecord) -> ();
});
faulty_role!(EventTypeStore {
    fn insert_event_type(t: &EventType, audit: &AuditRecord) -> ();
    fn get_event_type(a: AccountId, e: &EventKind) -> Option<EventType>;
    fn update_event_type(t: &EventType, audit: &AuditRecord) -> ();
    fn delete_event_type(a: AccountId, e: &EventKind, audit: &AuditRecord) -> bool;
    fn list_event_types(a: AccountId, after: Option<&str>, limit: usize) -> KeyPage<EventType>;
});
faulty_role!(ConsoleLinkStore {
    fn insert_console_link(link: &ConsoleLink, audit: &AuditRecord) -> ();
    fn get_console_link(a: AccountId, id: ConsoleLinkId, now: Timestamp) -> Option<ConsoleLink>;
    fn list_console_links(
        a: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> KeyPage<ConsoleLink>;
    fn delete_console_link(a: AccountId, id: ConsoleLinkId, audit: &AuditRecord) -> bool;
});
faulty_role!(AuditStore {
    fn record_audit(record: &AuditRecord) -> ();
    fn list_audit(
        a: AccountId,
        filter: &AuditFilter,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> KeyPage<AuditRecord>;
});
faulty_role!(SendSlotStore {
    fn reserve_send_slot(w: WebhookId, item: u16, every: i64, now: i64) -> i64;
});
faulty_role!(QuotaStore {
    fn take_ingest_quota(window: &QuotaWindow, count: u32) -> bool;
});
faulty_role!(StatsStore {
    fn add_stats(
        a: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        expires_at: i64,
    ) -> ();
    fn read_stats(
        a: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Vec<(Timestamp, Tally)>;
});

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
    async fn schedule(&self, schedule: &Schedule) -> Result<(), QueueError> {
        self.faults.queue("schedule")?;
        *self.faults.schedules.lock().unwrap() += 1;
        self.inner.schedule(schedule).await
    }
    async fn due(&self, now: Timestamp) -> Result<Vec<(String, QueueMessage)>, QueueError> {
        self.inner.due(now).await
    }
    async fn remove(&self, name: &str) -> Result<(), QueueError> {
        self.inner.remove(name).await
    }
}
