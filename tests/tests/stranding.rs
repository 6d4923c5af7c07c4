//! Nothing is ever stranded: a failure injected at each step of ingest,
//! fan-out, dispatch, test-send, retry, recover and cascade delete (a store,
//! queue or scheduler call that fails, as when the process dies there), then
//! time moves on, and every delivery ends `delivered` or `failed`: a message,
//! a schedule or the sweeper wakes each one. Faults are injected in process
//! (no real server fails on demand); everything else is the embedded runner.

mod common;

use async_trait::async_trait;
use common::receiver::Receiver;
use common::{eventually, Server};
use hookrelay::app::Adapters;
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
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay::ports::queue::{
    DeliveryMessage, Enqueue, Queue, QueueError, QueueMessage, Received, Scheduler,
};
use hookrelay::ports::store::{
    Changed, DeliveryFilter, KeyPage, Overdue, Store, StoreError, Waiting, WebhookFilter,
};
use hookrelay_local::Backend;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Which call fails next: per operation, how many calls pass first; and how
/// many faults struck.
#[derive(Default)]
struct Faults {
    armed: Mutex<HashMap<&'static str, usize>>,
    struck: Mutex<usize>,
    /// Every message queued (so a test can queue one again).
    sent: Mutex<Vec<QueueMessage>>,
    /// While set, receives find nothing (a queue backlog: the messages wait).
    backlog: std::sync::atomic::AtomicBool,
    /// Schedules made.
    schedules: Mutex<usize>,
    /// Messages received and not deleted yet (by receipt), and when; the
    /// last queue call: what `everything_settles` waits on.
    open: Mutex<HashMap<String, Instant>>,
    last_call: Mutex<Option<Instant>>,
}

impl Faults {
    /// The next call of `operation` fails.
    fn arm(&self, operation: &'static str) {
        self.arm_after(operation, 0);
    }

    /// The call of `operation` after `passing` more fails.
    fn arm_after(&self, operation: &'static str, passing: usize) {
        self.armed.lock().unwrap().insert(operation, passing);
    }

    fn touch(&self) {
        *self.last_call.lock().unwrap() = Some(Instant::now());
    }

    /// No message is being handled: none was received in the last 2 s and
    /// left undeleted (one that failed stays until its visibility ends), and
    /// the queue has not been called for a moment.
    fn quiet(&self) -> bool {
        let recent = |at: &Instant| at.elapsed() < Duration::from_secs(2);
        let last = *self.last_call.lock().unwrap();
        !self.open.lock().unwrap().values().any(recent)
            && last.is_none_or(|at| at.elapsed() >= Duration::from_millis(30))
    }

    fn struck(&self) -> usize {
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

struct Faulty<T: ?Sized> {
    inner: Arc<T>,
    faults: Arc<Faults>,
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
            Change::SentNow { .. } => "sent_now",
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

struct Harness {
    server: Server,
    receiver: Receiver,
    clock: Arc<ManualClock>,
    faults: Arc<Faults>,
}

impl Harness {
    async fn start() -> Self {
        let clock = Arc::new(ManualClock::new(SystemClock.now()));
        let mut settings = common::settings(Backend::Memory);
        settings.retry_schedule = vec![5, 300];
        let adapters =
            hookrelay_local::adapters_with_clock(Backend::Memory, &settings, clock.clone())
                .await
                .expect("adapters");
        let faults = Arc::new(Faults::default());
        let adapters = Adapters {
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
                faults: faults.clone(),
            }),
            clock: adapters.clock,
        };
        let server = Server::start_on(adapters, settings, None).await;
        Self {
            server,
            receiver: Receiver::start().await,
            clock,
            faults,
        }
    }

    async fn webhook(&self, path: &str) -> String {
        let body = json!({"name": path, "url": self.receiver.url(path), "events": ["order.*"]});
        self.server.create_webhook(body).await["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn event(&self, extra: Value) -> (u16, Value) {
        let mut body = json!({"name": "order", "type": "paid", "payload": {"n": 1}});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().cloned().unwrap_or_default());
        self.server.post("/v1/events", body).await
    }

    /// Every delivery of the account, read through the store.
    async fn deliveries(&self) -> Vec<Delivery> {
        let mut params = ListParams {
            limit: 100,
            ..ListParams::default()
        };
        let mut all = Vec::new();
        loop {
            let page = self
                .server
                .app
                .store
                .list_deliveries(
                    self.server.account,
                    &DeliveryFilter::default(),
                    &params,
                    self.clock.now(),
                )
                .await
                .unwrap();
            all.extend(page.items);
            match page.next_cursor {
                Some(cursor) => params.cursor = Some(cursor),
                None => return all,
            }
        }
    }

    /// A webhook and a test-send to it that is delivered while the store's
    /// `operation` after it fails once; the webhook's id.
    async fn test_send_with_its_write_failing(&self, operation: &'static str) -> String {
        let id = self.webhook("ok").await;
        self.faults.arm(operation);
        let (status, answer) = self
            .server
            .post(&format!("/v1/webhooks/{id}/test"), json!({}))
            .await;
        assert_eq!(
            (status, &answer["delivered"]),
            (200, &json!(true)),
            "{answer}"
        );
        assert_eq!(
            self.faults.struck(),
            1,
            "the write after the test-send failed"
        );
        id
    }

    /// Moves time on (past every lease, visibility timeout, retry and the
    /// sweeper's grace) until every delivery is final; at least `count` of them.
    /// Time moves only while no message is being handled: a send is never
    /// overtaken by its own lease (which, for real, outlasts the send timeout).
    async fn everything_settles(&self, count: usize) -> Vec<Delivery> {
        let settled = eventually(90, "every delivery to end delivered or failed", || async {
            eventually(10, "the worker to go quiet", || async {
                self.faults.quiet().then_some(())
            })
            .await;
            self.clock.advance_millis(5 * 60 * 1000);
            // A worker round (1 s poll) sees the new time.
            tokio::time::sleep(Duration::from_millis(150)).await;
            let all = self.deliveries().await;
            (all.len() >= count && all.iter().all(|d| d.status().is_final())).then_some(all)
        })
        .await;
        settled
    }

    /// Leftovers of a DELETE that died after removing the webhook: two of its
    /// deliveries, recorded straight into the store.
    async fn deliveries_of_a_webhook_that_is_gone(&self, id: &str) -> usize {
        let webhook = WebhookId::parse(id).unwrap();
        let now = self.clock.now();
        let url =
            hookrelay::domain::webhook_url::WebhookUrl::parse(&self.receiver.url("ok")).unwrap();
        let left: Vec<Delivery> = (0..2)
            .map(|_| {
                let event = Event::new(
                    EventId::generate(now, &hookrelay::ports::random::OsRandom),
                    self.server.account,
                    hookrelay::domain::event::EventKind {
                        name: hookrelay::domain::event::EventPart::parse("order").unwrap(),
                        kind: hookrelay::domain::event::EventPart::parse("paid").unwrap(),
                    },
                    hookrelay::domain::event::JsonText::parse("{}").unwrap(),
                    hookrelay::domain::event::JsonText::parse("{}").unwrap(),
                    now,
                    60,
                );
                Delivery::new(&event, Some(webhook), url.clone(), now)
            })
            .collect();
        self.server
            .app
            .store
            .insert_deliveries(&left)
            .await
            .unwrap();
        left.len()
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}

#[tokio::test]
async fn ingest_dying_between_recording_and_queueing() {
    let h = Harness::start().await;
    h.webhook("ok").await;
    h.webhook("ok").await;
    h.faults.arm("send");
    let (status, answer) = h.event(json!({})).await;
    assert_eq!(status, 503, "{answer}");
    let settled = h.everything_settles(2).await;
    assert!(settled.iter().all(|d| d.status().as_str() == "delivered"));
    h.stop().await;
}

#[tokio::test]
async fn ingest_dying_before_a_long_delay_is_scheduled() {
    let h = Harness::start().await;
    h.webhook("ok").await;
    h.faults.arm("schedule");
    let (status, answer) = h.event(json!({"delay": 3600})).await;
    assert_eq!(status, 503, "{answer}");
    let settled = h.everything_settles(1).await;
    assert_eq!(settled[0].status().as_str(), "delivered");
    h.stop().await;
}

#[tokio::test]
async fn a_fan_out_chunk_failing_at_each_step() {
    for fault in ["insert_deliveries", "send"] {
        let h = Harness::start().await;
        for _ in 0..101 {
            h.webhook("ok").await; // more than one page: expanded through the queue
        }
        // The chunk's first write, or its messages (the send after the
        // chunk's own), fail; SQS brings the chunk back.
        h.faults.arm_after(fault, usize::from(fault == "send"));
        let (status, _) = h.event(json!({})).await;
        assert_eq!(status, 202);
        let settled = h.everything_settles(101).await;
        assert_eq!(h.faults.struck(), 1, "{fault}");
        assert_eq!(settled.len(), 101, "{fault}: each webhook once");
        assert!(
            settled.iter().all(|d| d.status().as_str() == "delivered"),
            "{fault}"
        );
        h.stop().await;
    }
}

#[tokio::test]
async fn a_sender_dying_before_it_records_or_before_it_queues_the_retry() {
    for fault in ["record_attempt", "send"] {
        let h = Harness::start().await;
        h.webhook("flaky").await; // 500, then 200
                                  // The first record, or the retry's message (the send after ingest's), fails.
        h.faults.arm_after(fault, usize::from(fault == "send"));
        let (status, _) = h.event(json!({})).await;
        assert_eq!(status, 202);
        let settled = h.everything_settles(1).await;
        assert_eq!(h.faults.struck(), 1, "{fault}");
        assert_eq!(settled[0].status().as_str(), "delivered", "{fault}");
        h.stop().await;
    }
}

#[tokio::test]
async fn a_first_attempt_message_back_after_it_was_recorded_sends_nothing_more() {
    let h = Harness::start().await;
    h.webhook("ok").await;
    // Delivered and recorded, then acknowledging the message fails: it
    // comes back after the visibility timeout, the sender's memory of it
    // expired, and its claim finds the delivery done.
    h.faults.arm("delete");
    assert_eq!(h.event(json!({})).await.0, 202);
    let settled = h.everything_settles(1).await;
    assert_eq!(h.faults.struck(), 1);
    assert_eq!(
        (settled[0].status().as_str(), settled[0].attempts()),
        ("delivered", 1)
    );
    assert_eq!(h.receiver.requests("ok").len(), 1, "sent once");
    h.stop().await;
}

#[tokio::test]
async fn a_recover_right_after_a_failure_without_a_send_goes_through() {
    let h = Harness::start().await;
    let id = h.webhook("ok").await;
    let path = format!("/v1/webhooks/{id}");
    assert_eq!(h.event(json!({"delay": 60})).await.0, 202);
    h.server.patch(&path, json!({"enabled": false})).await;
    h.clock.advance_millis(61_000);
    // When it comes due the webhook is off: failed, nothing sent.
    eventually(10, "the delivery to fail", || async {
        let all = h.deliveries().await;
        (all.len() == 1 && all[0].status().as_str() == "failed").then_some(())
    })
    .await;
    h.server.patch(&path, json!({"enabled": true})).await;
    let (status, answer) = h
        .server
        .post(&format!("{path}/recover"), json!({"since": "2000-01-01"}))
        .await;
    assert_eq!((status, answer["recovered"].clone()), (200, json!(1)));
    // Well within the sender's minute of remembering what it took.
    h.clock.advance_millis(5_000);
    eventually(10, "the recovered delivery to be sent", || async {
        (h.receiver.requests("ok").len() == 1).then_some(())
    })
    .await;
    h.stop().await;
}

#[tokio::test]
async fn a_fan_out_chunk_expanded_again_resets_nothing() {
    let h = Harness::start().await;
    for _ in 0..101 {
        h.webhook("ok").await;
    }
    let (status, answer) = h.event(json!({})).await;
    assert_eq!(status, 202);
    h.everything_settles(101).await;
    // (Time jumps while messages are in flight here, so some may have been
    // sent twice already: at least once. What counts is that nothing more is.)
    let sent = h.receiver.requests("ok").len();
    // Each step of the fan-out once more, as a message that failed on its
    // last receive comes back: a new message, for a step done already.
    assert!(answer.get("deliveries").is_none(), "{answer}");
    let steps: Vec<Enqueue> = h
        .faults
        .sent
        .lock()
        .unwrap()
        .iter()
        .filter(|m| matches!(m, QueueMessage::Task(_)))
        .map(|m| Enqueue {
            message: m.clone(),
            delay_seconds: 0,
        })
        .collect();
    assert_eq!(steps.len(), 2, "two pages of webhooks");
    h.server.app.queue.send(&steps).await.unwrap();
    let settled = h.everything_settles(101).await;
    assert!(settled
        .iter()
        .all(|d| (d.status().as_str(), d.attempts()) == ("delivered", 1)));
    assert_eq!(h.receiver.requests("ok").len(), sent, "nothing sent again");
    h.stop().await;
}

#[tokio::test]
async fn stats_that_cannot_be_written_wait_for_the_next_flush() {
    let h = Harness::start().await;
    let id = h.test_send_with_its_write_failing("add_stats").await;
    let path = format!("/v1/webhooks/{id}/stats");
    let counted = eventually(10, "the next flush", || async {
        let (_, stats) = h.server.get(&path).await;
        (stats["totals"]["attempts"] == 1).then_some(stats)
    })
    .await;
    assert_eq!(counted["totals"]["counts"]["delivered"], 1);
    h.stop().await;
}

#[tokio::test]
async fn notes_that_cannot_be_written_wait_for_the_next_flush() {
    let h = Harness::start().await;
    let id = h.test_send_with_its_write_failing("record_outcome").await;
    let noted = eventually(10, "the next flush", || async {
        let (_, webhook) = h.server.get(&format!("/v1/webhooks/{id}")).await;
        (webhook["webhook"]["last_delivery_status"] == "delivered").then_some(webhook)
    })
    .await;
    assert!(noted["webhook"]["last_delivery_at"].is_string(), "{noted}");
    h.stop().await;
}

#[tokio::test]
async fn test_send_and_retry_dying_mid_attempt() {
    let h = Harness::start().await;
    let id = h.webhook("ok").await;
    h.faults.arm("record_attempt");
    let (status, answer) = h
        .server
        .post(&format!("/v1/webhooks/{id}/test"), json!({}))
        .await;
    assert_eq!(status, 503, "{answer}");
    let settled = h.everything_settles(1).await;
    let (status, _) = h.event(json!({})).await;
    assert_eq!(status, 202);
    let settled = h.everything_settles(settled.len() + 1).await;
    let retried = settled
        .iter()
        .find(|d| d.event().kind.as_str() == "paid")
        .unwrap();
    h.faults.arm("record_attempt");
    let (status, answer) = h
        .server
        .post(&format!("/v1/deliveries/{}/retry", retried.id()), json!({}))
        .await;
    assert_eq!(status, 503, "{answer}");
    let settled = h.everything_settles(2).await;
    let again = settled.iter().find(|d| d.id() == retried.id()).unwrap();
    assert_eq!(
        (again.status().as_str(), again.attempts()),
        ("delivered", 2)
    );
    h.stop().await;
}

#[tokio::test]
async fn recover_and_cascade_delete_failing_half_way() {
    let h = Harness::start().await;
    let id = h.webhook("gone").await; // 410: failed at once
    for _ in 0..3 {
        assert_eq!(h.event(json!({})).await.0, 202);
    }
    h.everything_settles(3).await;
    for fault in ["send", "recover"] {
        h.faults.arm(fault);
        let (status, answer) = h
            .server
            .post(
                &format!("/v1/webhooks/{id}/recover"),
                json!({"since": "2000-01-01"}),
            )
            .await;
        assert_eq!(status, 503, "{fault}: {answer}");
        h.everything_settles(3).await;
    }
    let (status, answer) = h
        .server
        .post(
            &format!("/v1/webhooks/{id}/recover"),
            json!({"since": "2000-01-01"}),
        )
        .await;
    assert_eq!(
        (status, answer["recovered"].clone()),
        (200, json!(3)),
        "{answer}"
    );
    h.everything_settles(3).await;
    // A DELETE whose purge fails half-way: the webhook is gone, and the
    // task recorded before it finishes the job.
    h.faults.arm("delete_deliveries");
    assert_eq!(h.server.delete(&format!("/v1/webhooks/{id}")).await.0, 200);
    assert_eq!(h.server.get(&format!("/v1/webhooks/{id}")).await.0, 404);
    assert_eq!(h.deliveries().await.len(), 3, "the inline purge failed");
    // A fan-out that read the webhook just before it went writes two more
    // afterwards: the task's last pass, once the deletion settled, takes them.
    h.deliveries_of_a_webhook_that_is_gone(&id).await;
    eventually(
        30,
        "every delivery of the deleted webhook purged",
        || async {
            h.clock.advance_millis(30_000);
            tokio::time::sleep(Duration::from_millis(100)).await;
            h.deliveries().await.is_empty().then_some(())
        },
    )
    .await;
    assert_eq!(h.server.delete(&format!("/v1/webhooks/{id}")).await.0, 404);
    h.stop().await;
}

#[tokio::test]
async fn a_message_failing_on_its_last_receive_is_queued_again_not_dead_lettered() {
    use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
    let h = Harness::start().await;
    h.webhook("ok").await;
    // Recorded, but its message lost: only this hand-made record carries it.
    h.faults.arm("send");
    assert_eq!(h.event(json!({})).await.0, 503);
    let stranded = h.deliveries().await.pop().expect("recorded");
    let mut record = SqsMessage::default();
    record.message_id = Some("last".into());
    record.body = Some(
        QueueMessage::from(DeliveryMessage::again(h.server.account, stranded.id(), 0)).to_json(),
    );
    record.attributes.insert(
        "ApproximateReceiveCount".into(),
        hookrelay_delivery::MAX_RECEIVES.to_string(),
    );
    let mut event = SqsEvent::default();
    event.records = vec![record];
    // Its handling fails on what would be its last receive...
    h.faults.arm("record_attempt");
    let response = hookrelay_delivery::handle_batch(&h.server.app, event).await;
    assert_eq!(h.faults.struck(), 2);
    // ...so it is not handed back to SQS (and its dead-letter queue), but
    // queued again as a new message, which delivers it.
    assert!(response.batch_item_failures.is_empty());
    let settled = h.everything_settles(1).await;
    assert_eq!(settled[0].status().as_str(), "delivered");
    assert_eq!(
        h.receiver.requests("ok").len(),
        2,
        "the failed try, then the new message"
    );
    h.stop().await;
}

#[tokio::test]
async fn a_recover_past_its_budget_continues_in_the_background() {
    let h = Harness::start().await;
    let id = h.webhook("gone").await; // 410: failed at once
    for _ in 0..150 {
        assert_eq!(h.event(json!({})).await.0, 202);
    }
    h.everything_settles(150).await;
    let webhook = WebhookId::parse(&id).unwrap();
    let since = Timestamp::parse("2000-01-01").unwrap();
    // No time budget: one page now, then a message that carries on.
    let progress = hookrelay::operations::recover::recover_failed(
        &h.server.app,
        h.server.account,
        webhook,
        since,
        Duration::ZERO,
    )
    .await
    .unwrap();
    assert_eq!((progress.recovered, progress.complete), (100, false));
    let settled = eventually(60, "every recovered delivery tried again", || async {
        let all = h.everything_settles(150).await;
        all.iter().all(|d| d.attempts() == 2).then_some(all)
    })
    .await;
    assert_eq!(settled.len(), 150, "each recovered once");
    h.stop().await;
}

#[tokio::test]
async fn a_fan_out_whose_step_message_is_lost_is_resumed_by_the_sweeper() {
    let h = Harness::start().await;
    for _ in 0..150 {
        h.webhook("ok").await;
    }
    // The message of the fan-out's second page is lost (the step after the
    // first one could not queue it): the task item says where it stopped.
    h.faults.arm_after("send_task", 1);
    let (status, answer) = h.event(json!({})).await;
    assert_eq!(status, 202, "{answer}");
    // The first page goes; then nothing until the sweeper finds the task.
    eventually(30, "the first page sent", || async {
        (h.receiver.requests("ok").len() == 100).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.receiver.requests("ok").len(), 100);
    let settled = h.everything_settles(150).await;
    assert_eq!(h.faults.struck(), 1);
    assert!(settled.iter().all(|d| d.status().as_str() == "delivered"));
    assert_eq!(h.receiver.requests("ok").len(), 150, "each once");
    h.stop().await;
}

#[tokio::test]
async fn a_queue_backlog_past_the_sweepers_grace_sends_nothing_twice() {
    let h = Harness::start().await;
    h.webhook("ok").await;
    // The first message waits in a backlog past the sweeper's grace: the
    // sweeper queues a second one; then both arrive.
    h.faults
        .backlog
        .store(true, std::sync::atomic::Ordering::SeqCst);
    // Receives already waiting (1 s long polls) end first.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(h.event(json!({})).await.0, 202);
    eventually(30, "the sweeper to queue it again", || async {
        h.clock.advance_millis(5 * 60 * 1000);
        tokio::time::sleep(Duration::from_millis(300)).await;
        (h.faults.sent.lock().unwrap().len() >= 2).then_some(())
    })
    .await;
    h.faults
        .backlog
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let settled = h.everything_settles(1).await;
    assert_eq!(
        (settled[0].status().as_str(), settled[0].attempts()),
        ("delivered", 1)
    );
    assert_eq!(h.receiver.requests("ok").len(), 1, "sent once");
    h.stop().await;
}

#[tokio::test]
async fn a_rate_limited_backlog_past_the_queues_reach_is_sent_each_once() {
    let h = Harness::start().await;
    let body = json!({"name": "slow", "url": h.receiver.url("ok"), "events": ["order.*"], "rate_limit": 1});
    h.server.create_webhook(body).await;
    // 1,000 at once at one a second: most slots are more than 900 s away.
    let count = 1_000;
    for _ in 0..count {
        assert_eq!(h.event(json!({})).await.0, 202);
    }
    let settled = h.everything_settles(count).await;
    assert!(settled
        .iter()
        .all(|d| (d.status().as_str(), d.attempts()) == ("delivered", 1)));
    assert_eq!(h.receiver.requests("ok").len(), count, "each once");
    h.stop().await;
}

#[tokio::test]
async fn a_delayed_fan_out_makes_one_schedule() {
    let h = Harness::start().await;
    for _ in 0..100 {
        h.webhook("ok").await;
    }
    let (status, answer) = h.event(json!({"delay": 7_200})).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer["deliveries"].as_array().map(Vec::len), Some(100));
    assert_eq!(
        *h.faults.schedules.lock().unwrap(),
        1,
        "one bucket for the event"
    );
    let settled = h.everything_settles(100).await;
    assert!(settled.iter().all(|d| d.status().as_str() == "delivered"));
    assert_eq!(h.receiver.requests("ok").len(), 100);
    h.stop().await;
}

#[tokio::test]
async fn a_write_the_sdk_sent_again_after_it_landed_still_queues_the_retry() {
    let h = Harness::start().await;
    h.webhook("flaky").await; // 500, then 200
                              // The first attempt's record lands, but its answer is lost and the SDK's
                              // second try is refused by the condition the first one changed.
    h.faults.arm("landed_then_refused");
    assert_eq!(h.event(json!({})).await.0, 202);
    // The retry is due 5 s on: it goes then, not when the sweeper (15 min) would.
    let done = eventually(30, "the retry", || async {
        h.clock.advance_millis(1_000);
        tokio::time::sleep(Duration::from_millis(50)).await;
        let all = h.deliveries().await;
        all.first()
            .filter(|d| d.status().as_str() == "delivered")
            .cloned()
    })
    .await;
    assert_eq!(h.faults.struck(), 1);
    assert_eq!(done.attempts(), 2);
    assert!(
        done.updated_at() < done.created_at().plus_seconds(60),
        "{done:?}"
    );
    h.stop().await;
}
