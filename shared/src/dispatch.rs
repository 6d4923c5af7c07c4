//! The delivery algorithm, shared by the delivery function, test-send, retry
//! and the local runner: send once, then record the attempt and its outcome
//! (`delivered`, the next attempt per the retry policy, or `failed`) with one
//! conditional write, and queue the next attempt.
//!
//! A fresh delivery's message carries what its first attempt needs, so that
//! attempt reads nothing: the webhook comes from a cache at least as new as
//! the one fan-out saw, the event from the message. Every other message makes
//! the sender read the delivery first. The SQS visibility timeout is the
//! queue path's lease; test-send and retry hold a `dispatched` lease.

use crate::app::App;
use crate::cache::TtlCache;
use crate::domain::delivery::{Attempt, Change, Delivery, DeliveryStatus, FailureReason, Outcome};
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::retry::Next;
use crate::domain::stats::Sample;
use crate::domain::time::Timestamp;
use crate::domain::webhook::{LastDelivery, RateLimit, Webhook};
use crate::domain::webhook_url::WebhookUrl;
use crate::health;
use crate::net::sender::Outgoing;
use crate::ports::queue::{
    DeliveryMessage, Enqueue, FirstAttempt, QueueError, MAX_QUEUE_DELAY_SECONDS,
};
use crate::ports::store::StoreError;
use crate::signing::sign;
use serde::Serialize;
use serde_json::value::RawValue;
use tracing::Instrument;

/// Infrastructure failures: the message must come back (SQS redelivers it).
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// What became of a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Handled {
    /// An attempt was made (its outcome is in the delivery's log).
    Attempted(Attempt),
    /// Not due yet: put back for the remainder.
    Requeued,
    /// Nothing to do: unknown, expired, final, stale, or changed meanwhile.
    Dropped(&'static str),
}

/// The event name of a test-send, which reaches even a disabled webhook and
/// is never retried.
pub const TEST_EVENT: (&str, &str) = ("webhook", "test");

/// How long a sender owns a `dispatched` delivery beyond its send timeout.
const LEASE_MARGIN_SECONDS: i64 = 60;
/// How long a warm sender trusts a webhook it read, and how often at most it
/// notes an unchanged `last_delivery_*` on it.
const CACHE_SECONDS: i64 = 60;
const CACHE_ENTRIES: usize = 10_000;

/// What a warm sender keeps between messages (bounded in time and size).
pub struct SenderCache {
    webhooks: TtlCache<(AccountId, WebhookId), Webhook>,
    noted: TtlCache<WebhookId, DeliveryStatus>,
    /// Attempts this sender took on lately (delivery, attempts before): a
    /// duplicate message for one of them is dropped before it sends again.
    taken: TtlCache<(DeliveryId, u32), ()>,
}

impl Default for SenderCache {
    fn default() -> Self {
        Self::keeping_for(CACHE_SECONDS)
    }
}

impl SenderCache {
    /// A cache that keeps entries `seconds` (the partition-load simulation
    /// keeps them for its whole run, so its figures do not depend on timing).
    pub fn keeping_for(seconds: i64) -> Self {
        Self {
            webhooks: TtlCache::new(seconds, CACHE_ENTRIES),
            noted: TtlCache::new(seconds, CACHE_ENTRIES),
            taken: TtlCache::new(seconds, CACHE_ENTRIES),
        }
    }

    /// Drops this sender's copy of a webhook it just changed itself.
    pub fn forget_webhook(&self, account: AccountId, id: WebhookId) {
        self.webhooks.remove(&(account, id));
    }
}

/// What one attempt needs.
#[derive(Clone, Debug)]
pub struct Job {
    pub account_id: AccountId,
    pub delivery_id: DeliveryId,
    pub event_id: EventId,
    pub webhook_id: Option<WebhookId>,
    /// The ad-hoc URL, when there is no webhook.
    pub url: Option<WebhookUrl>,
    /// A cached webhook at least this new will do; `None`: read it now.
    pub webhook_version: Option<u64>,
    /// Attempts made before this one.
    pub attempts: u32,
    pub event: Option<Event>,
}

impl Job {
    /// The attempt a delivery, as read, is due for.
    pub fn of(delivery: &Delivery) -> Self {
        Self {
            account_id: delivery.account_id,
            delivery_id: delivery.id,
            event_id: delivery.event_id,
            webhook_id: delivery.webhook_id,
            url: delivery.url.clone().into(),
            webhook_version: None,
            attempts: delivery.attempts,
            event: None,
        }
    }

    fn first(message: &DeliveryMessage, first: &FirstAttempt) -> Self {
        Self {
            account_id: message.account_id,
            delivery_id: message.delivery_id,
            event_id: first.event_id,
            webhook_id: first.webhook_id,
            url: first.url.clone(),
            webhook_version: Some(first.webhook_version),
            attempts: message.attempts,
            event: first.event.clone(),
        }
    }
}

/// The message that carries a fresh delivery's first attempt; it holds the
/// event itself when that is small.
pub fn first_message(
    delivery: &Delivery,
    event: &Event,
    webhook_version: u64,
    due: Timestamp,
) -> DeliveryMessage {
    const INLINE_EVENT_BYTES: usize = 16 * 1024;
    let small = event.payload.len() + event.context.len() <= INLINE_EVENT_BYTES;
    DeliveryMessage {
        account_id: delivery.account_id,
        delivery_id: delivery.id,
        attempts: 0,
        first: Some(Box::new(FirstAttempt {
            event_id: event.id,
            webhook_id: delivery.webhook_id,
            webhook_version,
            url: delivery.webhook_id.is_none().then(|| delivery.url.clone()),
            due,
            event: small.then(|| event.clone()),
        })),
        slot: None,
    }
}

/// Handles one queue message for a delivery. `repeated`: it was received
/// before, so its first attempt may have been made (and recorded) already.
pub async fn handle_message(
    app: &App,
    message: &DeliveryMessage,
    repeated: bool,
) -> Result<Handled, DispatchError> {
    let now = app.clock.now();
    let job = match &message.first {
        Some(first) if first.due > now => {
            // Early (the Scheduler fires to the minute): wait out the remainder.
            wake_at(app, message, first.due).await?;
            return Ok(Handled::Requeued);
        }
        // Only a first receive is trusted without reading the delivery: a
        // message back after a failure may find it delivered or failed.
        Some(first) if !repeated => Job::first(message, first),
        _ => match due_job(app, message, now).await? {
            Ok(job) => job,
            Err(handled) => return Ok(handled),
        },
    };
    if let Some(held) = wait_for_slot(app, message, &job, now).await? {
        return Ok(held);
    }
    // SQS may deliver a message twice; a sender that took this attempt
    // already (in the last minute) does not send it again.
    let attempt_key = (job.delivery_id, job.attempts);
    if app.sender_cache.taken.get(&attempt_key, now).is_some() {
        tracing::info!(delivery = %job.delivery_id, "dropped a duplicate message for an attempt taken already");
        return Ok(Handled::Dropped("this attempt was taken already"));
    }
    app.sender_cache.taken.put(attempt_key, (), now);
    Ok(match attempt(app, job).await? {
        Some(made) => Handled::Attempted(made),
        None => {
            // Nothing was sent (the delivery failed without an attempt, or
            // changed): a later message for it, after a recover, must go.
            app.sender_cache.taken.remove(&attempt_key);
            Handled::Dropped("changed meanwhile")
        }
    })
}

/// A send to a rate-limited webhook waits for its slot: reserved here (one
/// conditional write in the store, shared by every sender), or held by the
/// message already. `Some` when the message was put back to wait for it.
async fn wait_for_slot(
    app: &App,
    message: &DeliveryMessage,
    job: &Job,
    now: Timestamp,
) -> Result<Option<Handled>, DispatchError> {
    let slot = match message.slot {
        Some(held) => held,
        None => {
            let Some((id, limit)) = rate_limit(app, job, now).await? else {
                return Ok(None);
            };
            let now_micros = now.millis() * 1000;
            let reserved = app
                .store
                .reserve_send_slot(id, limit.interval_micros(), now_micros)
                .await?;
            // Rounded up to the millisecond, so it never goes early.
            Timestamp::from_millis((reserved + 999) / 1000).unwrap_or(now)
        }
    };
    if slot <= now {
        return Ok(None);
    }
    let held = DeliveryMessage {
        slot: Some(slot),
        ..message.clone()
    };
    wake_at(app, &held, slot).await?;
    Ok(Some(Handled::Requeued))
}

/// The job's webhook's rate limit, from a warm sender's copy if it has one
/// (a changed limit applies within a minute).
async fn rate_limit(
    app: &App,
    job: &Job,
    now: Timestamp,
) -> Result<Option<(WebhookId, RateLimit)>, StoreError> {
    let Some(id) = job.webhook_id else {
        return Ok(None);
    };
    let limit = match app.sender_cache.webhooks.get(&(job.account_id, id), now) {
        Some(cached) => cached.rate_limit,
        None => webhook(app, job, id).await?.and_then(|w| w.rate_limit),
    };
    Ok(limit.map(|limit| (id, limit)))
}

/// Reads the delivery a message names: the job, if it is due for this message.
async fn due_job(
    app: &App,
    message: &DeliveryMessage,
    now: Timestamp,
) -> Result<Result<Job, Handled>, DispatchError> {
    let Some(delivery) = app
        .store
        .get_delivery(message.account_id, message.delivery_id, now)
        .await?
    else {
        return Ok(Err(Handled::Dropped("unknown or expired delivery")));
    };
    if delivery.status.is_final() {
        return Ok(Err(Handled::Dropped("already delivered or failed")));
    }
    if delivery.attempts != message.attempts {
        return Ok(Err(Handled::Dropped("a later attempt was made")));
    }
    let lease = delivery.lease_until.filter(|lease| *lease > now);
    let wait = match (delivery.status, lease) {
        // A sender holds it: look again when its lease ends, in case it dies.
        (DeliveryStatus::Dispatched, Some(lease)) => Some(lease.plus_seconds(1)),
        _ => delivery.next_attempt_at.filter(|due| *due > now),
    };
    if let Some(at) = wait {
        wake_at(app, message, at).await?;
        return Ok(Err(Handled::Requeued));
    }
    Ok(Ok(Job::of(&delivery)))
}

/// How long a sender that takes a delivery now holds it.
pub fn lease_until(app: &App, now: Timestamp) -> Timestamp {
    let seconds = i64::try_from(app.settings.send_timeout.as_secs()).unwrap_or(60);
    now.plus_seconds(seconds + LEASE_MARGIN_SECONDS)
}

/// Makes one attempt of `job` now and records it, unless the delivery
/// changed meanwhile (`None`). Its logs carry the delivery id as `trace_id`.
pub async fn attempt(app: &App, job: Job) -> Result<Option<Attempt>, DispatchError> {
    let span = tracing::info_span!("delivery", trace_id = %job.delivery_id);
    attempt_traced(app, job).instrument(span).await
}

/// An attempt a caller waits for (test-send, retry): as `attempt`, and its
/// stats are written at once (no batch follows it).
pub async fn attempt_now(app: &App, job: Job) -> Result<Option<Attempt>, DispatchError> {
    let made = attempt(app, job).await;
    crate::stats::flush_stats(app).await;
    made
}

/// Sends once at `now`: the attempt and what the retry policy makes of it
/// (a test event is never retried), as of `finished`.
async fn send_once(app: &App, job: &Job, outgoing: Outgoing, is_test: bool) -> (Attempt, Outcome) {
    let now = app.clock.now();
    let sent = app.sender.send(outgoing).await;
    let next = match app
        .retry
        .next(job.attempts + 1, sent.code, sent.retry_after, &*app.random)
    {
        Next::RetryAfter { .. } if is_test => Next::Failed,
        next => next,
    };
    app.metrics.attempt(now, next, sent.duration_ms);
    let finished = app.clock.now();
    let outcome = match next {
        Next::Delivered => Outcome::Delivered,
        Next::RetryAfter { seconds } => Outcome::RetryAt(finished.plus_seconds(seconds.into())),
        Next::Failed if sent.code == 410 => Outcome::Failed(FailureReason::Gone),
        Next::Failed if is_test => Outcome::Failed(FailureReason::TestNotRetried),
        Next::Failed => Outcome::Failed(FailureReason::AttemptsExhausted),
    };
    let made = Attempt {
        at: now,
        code: sent.code,
        duration_ms: sent.duration_ms,
        error: sent.error,
        response_body: sent.response_body,
    };
    (made, outcome)
}

async fn attempt_traced(app: &App, job: Job) -> Result<Option<Attempt>, DispatchError> {
    let now = app.clock.now();
    let (made, outcome) = match prepare(app, &job, now).await? {
        Prepared::Send { outgoing, is_test } => {
            let (made, outcome) = send_once(app, &job, outgoing, is_test).await;
            (Some(made), outcome)
        }
        Prepared::Fail(reason) => {
            tracing::info!(delivery = %job.delivery_id, ?reason, "delivery failed without an attempt");
            (None, Outcome::Failed(reason))
        }
    };
    let finished = app.clock.now();
    let change = Change::Attempted {
        attempt: made.clone(),
        outcome,
    };
    let recorded = app
        .store
        .change_delivery(
            job.account_id,
            job.delivery_id,
            job.attempts,
            &change,
            finished,
        )
        .await;
    match recorded {
        Ok(()) => {}
        // Another sender recorded this attempt first (a duplicate message).
        Err(StoreError::Conflict) => return Ok(made),
        Err(err) => return Err(err.into()),
    }
    app.stats.add(
        job.account_id,
        job.webhook_id,
        finished,
        Sample {
            status: outcome.status(),
            attempt: made.as_ref().map(|m| (m.duration_ms, m.error.is_none())),
        },
    );
    if let Outcome::RetryAt(due) = outcome {
        let next = DeliveryMessage::again(job.account_id, job.delivery_id, job.attempts + 1);
        wake_at(app, &next, due).await?;
    }
    if let Some(made) = &made {
        note_last_delivery(app, &job, outcome, made, finished).await?;
    }
    tracing::info!(delivery = %job.delivery_id, code = made.as_ref().map_or(0, |m| m.code), "attempt recorded");
    Ok(made)
}

/// Notes the outcome on the webhook (`last_delivery_*` and its run of
/// failures): every failed delivery, so the auto-disable rule counts each;
/// otherwise when the status changes, and at most once a minute per warm
/// sender.
async fn note_last_delivery(
    app: &App,
    job: &Job,
    outcome: Outcome,
    made: &Attempt,
    at: Timestamp,
) -> Result<(), StoreError> {
    let Some(webhook) = job.webhook_id else {
        return Ok(());
    };
    let status = outcome.status();
    let failed = status == DeliveryStatus::Failed;
    if !failed && app.sender_cache.noted.get(&webhook, at) == Some(status) {
        return Ok(());
    }
    let last = LastDelivery {
        last_delivery_status: status,
        last_delivery_at: at,
    };
    let after = app
        .store
        .record_outcome(job.account_id, webhook, &last)
        .await?;
    app.sender_cache.noted.put(webhook, status, at);
    if let (true, Some(after)) = (failed, after) {
        health::after_failure(app, after, made, at).await;
    }
    Ok(())
}

enum Prepared {
    Send { outgoing: Outgoing, is_test: bool },
    Fail(FailureReason),
}

/// The webhook for a job: a cached copy when the job allows one.
async fn webhook(app: &App, job: &Job, id: WebhookId) -> Result<Option<Webhook>, StoreError> {
    let key = (job.account_id, id);
    let now = app.clock.now();
    if let Some(min_version) = job.webhook_version {
        if let Some(cached) = app.sender_cache.webhooks.get(&key, now) {
            if cached.version >= min_version {
                return Ok(Some(cached));
            }
        }
    }
    let read = app.store.get_webhook(job.account_id, id).await?;
    match &read {
        Some(found) => app.sender_cache.webhooks.put(key, found.clone(), now),
        None => app.sender_cache.webhooks.remove(&key),
    }
    Ok(read)
}

/// The request for this attempt, from the event and the webhook.
async fn prepare(app: &App, job: &Job, now: Timestamp) -> Result<Prepared, DispatchError> {
    let event = match &job.event {
        Some(event) => Some(event.clone()),
        None => {
            app.store
                .get_event(job.account_id, job.event_id, now)
                .await?
        }
    };
    let Some(event) = event else {
        return Ok(Prepared::Fail(FailureReason::EventExpired));
    };
    let is_test = (event.event.name.as_str(), event.event.kind.as_str()) == TEST_EVENT;
    let body = body(&event, job.delivery_id);
    let timestamp = now.epoch_seconds();
    let message_id = job.delivery_id.to_string();
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("webhook-id".to_owned(), message_id.clone()),
        ("webhook-timestamp".to_owned(), timestamp.to_string()),
    ];
    let url = match (job.webhook_id, &job.url) {
        (Some(id), _) => {
            let Some(webhook) = webhook(app, job, id).await? else {
                return Ok(Prepared::Fail(FailureReason::WebhookDeleted));
            };
            if !webhook.enabled && !is_test {
                return Ok(Prepared::Fail(FailureReason::WebhookDisabled));
            }
            headers.push((
                "webhook-signature".to_owned(),
                sign(webhook.secrets.live(now), &message_id, timestamp, &body),
            ));
            if let Some(key) = &webhook.api_key {
                headers.push(("x-api-key".to_owned(), key.expose().to_owned()));
            }
            headers.extend(webhook.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
            webhook.url.as_url().clone()
        }
        // An ad-hoc URL has no webhook and so no secret: it is sent unsigned.
        (None, Some(url)) => url.as_url().clone(),
        (None, None) => return Ok(Prepared::Fail(FailureReason::WebhookDeleted)),
    };
    let outgoing = Outgoing { url, headers, body };
    Ok(Prepared::Send { outgoing, is_test })
}

/// The JSON that is POSTed (DESIGN.md §3); payload and context byte for byte.
pub fn body(event: &Event, delivery: DeliveryId) -> Vec<u8> {
    #[derive(Serialize)]
    struct Kind<'a> {
        name: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        #[serde(rename = "traceId")]
        trace_id: String,
    }
    #[derive(Serialize)]
    struct Body<'a> {
        id: String,
        event: Kind<'a>,
        timestamp: String,
        context: &'a RawValue,
        payload: &'a RawValue,
    }
    // JsonText always holds valid JSON, so these conversions succeed.
    let raw = |text: &str| RawValue::from_string(text.to_owned());
    let (Ok(context), Ok(payload)) = (raw(event.context.as_str()), raw(event.payload.as_str()))
    else {
        return Vec::new();
    };
    serde_json::to_vec(&Body {
        id: event.id.to_string(),
        event: Kind {
            name: event.event.name.as_str(),
            kind: event.event.kind.as_str(),
            trace_id: delivery.to_string(),
        },
        timestamp: event.created_at.to_string(),
        context: &context,
        payload: &payload,
    })
    .unwrap_or_default()
}

/// Puts `message` back to arrive at `due`: SQS `DelaySeconds` up to 900 s,
/// an EventBridge Scheduler schedule beyond.
pub async fn wake_at(
    app: &App,
    message: &DeliveryMessage,
    due: Timestamp,
) -> Result<(), QueueError> {
    match queue_entry(message, due, app.clock.now()) {
        Some(entry) => app.queue.send(&[entry]).await,
        None => schedule(app, message, due).await,
    }
}

/// The queue entry for a wait SQS can hold (up to 900 s), else `None`.
pub fn queue_entry(message: &DeliveryMessage, due: Timestamp, now: Timestamp) -> Option<Enqueue> {
    let wait_seconds = u32::try_from(((due.millis() - now.millis()).max(0) + 999) / 1000).ok()?;
    (wait_seconds <= MAX_QUEUE_DELAY_SECONDS).then(|| Enqueue {
        message: message.clone().into(),
        delay_seconds: wait_seconds,
    })
}

/// A one-time schedule, named per attempt so a repeat is a no-op. It carries
/// no event (the sender reads the delivery when it fires).
pub async fn schedule(
    app: &App,
    message: &DeliveryMessage,
    due: Timestamp,
) -> Result<(), QueueError> {
    let plain = DeliveryMessage::again(message.account_id, message.delivery_id, message.attempts);
    let name = format!("{}-{}", message.delivery_id, message.attempts);
    app.scheduler.schedule(&name, due, &plain).await
}
