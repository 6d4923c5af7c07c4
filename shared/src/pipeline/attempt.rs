//! One attempt of a delivery, shared by the delivery function, test-send,
//! retry and the local runner: build the signed request (`request`), send it once, then
//! record the attempt and its outcome (`delivered`, the next attempt per the
//! retry policy, or `failed`) with one conditional write, and queue the next.

use crate::app::App;
use crate::domain::delivery::{Attempt, Change, Delivery, FailureReason, Outcome, Target};
use crate::domain::event::{Event, JsonText, OperationalEvent};
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::retry::{Next, RetryPolicy, RetrySchedule};
use crate::domain::stats::Sample;
use crate::domain::time::Timestamp;
use crate::domain::transform::default_body;
use crate::domain::webhook::Webhook;
use crate::error::DispatchError;
use crate::net::sender::Outgoing;
use crate::pipeline::request::{self, To};
use crate::pipeline::wake::requeue;
use crate::ports::queue::DeliveryMessage;
use crate::ports::queue::FirstAttempt;
use crate::ports::store::{Changed, StoreError};
use crate::sealing::open_ad_hoc;
use tracing::Instrument;

/// What one attempt needs.
#[derive(Clone, Debug)]
pub struct Job {
    pub account_id: AccountId,
    pub delivery_id: DeliveryId,
    pub event_id: EventId,
    pub target: Target,
    /// A cached webhook at least this new will do; `None`: read it now.
    pub webhook_version: Option<u64>,
    /// Attempts made before this one.
    pub attempts: u32,
    pub event: Option<Event>,
    /// The rate-limit send slot this attempt holds already.
    pub slot: Option<Timestamp>,
    /// Whether this sender holds a claim (a lease) on the delivery.
    pub claimed: bool,
}

impl Job {
    /// The attempt a delivery, as read, is due for.
    pub fn of(delivery: &Delivery) -> Self {
        Self {
            account_id: delivery.account_id(),
            delivery_id: delivery.id(),
            event_id: delivery.event_id(),
            target: delivery.target(),
            webhook_version: None,
            attempts: delivery.attempts(),
            event: None,
            slot: None,
            claimed: false,
        }
    }

    /// A trusted first message's attempt: everything it needs is in it
    /// (`None` if it names no target).
    pub fn first(message: &DeliveryMessage, first: &FirstAttempt) -> Option<Self> {
        Some(Self {
            account_id: message.account_id,
            delivery_id: message.delivery_id,
            event_id: first.event_id,
            target: first.target()?,
            webhook_version: Some(first.webhook_version),
            attempts: message.attempts,
            event: first.event.clone(),
            slot: message.slot,
            claimed: false,
        })
    }

    /// The attempt of a delivery this sender just claimed for `message`
    /// (which may still carry the event, and a webhook version to trust).
    pub fn claimed(delivery: &Delivery, message: &DeliveryMessage) -> Self {
        let first = message.first.as_deref();
        Self {
            webhook_version: first.map(|f| f.webhook_version),
            event: first.and_then(|f| f.event.clone()),
            slot: message.slot.or(delivery.held_slot()),
            claimed: true,
            ..Self::of(delivery)
        }
    }
}

/// Makes one attempt of `job` now and records it, unless the delivery
/// changed meanwhile (`None`). Its logs carry the delivery id as `trace_id`.
pub async fn attempt(app: &App, job: Job) -> Result<Option<Attempt>, DispatchError> {
    let span = tracing::info_span!("delivery", trace_id = %job.delivery_id);
    attempt_traced(app, job).instrument(span).await
}

/// An attempt a caller waits for (test-send, retry): as `attempt`, and its
/// stats and notes are written at once (no batch follows it).
pub async fn attempt_now(app: &App, job: Job) -> Result<Option<Attempt>, DispatchError> {
    let made = attempt(app, job).await;
    after_batch(app).await;
    made
}

/// What a sender writes once per batch of attempts (after each SQS batch in
/// Lambda, every second in the local runner): delivery stats, and what it
/// noted on each webhook.
pub async fn after_batch(app: &App) {
    let store = app.store.as_ref();
    app.warm
        .stats
        .flush(store, app.settings.retention_days)
        .await;
    crate::pipeline::notes::flush_notes(app).await;
}

/// Sends once at `now`: the attempt and what the retry policy (`retry`, or
/// the deployment's) makes of it (a test event is never retried).
async fn send_once(
    app: &App,
    job: &Job,
    outgoing: Outgoing,
    is_test: bool,
    retry: Option<&RetryPolicy>,
) -> (Attempt, Outcome) {
    let now = app.clock.now();
    let sent = app.sender.send(outgoing).await;
    let retry = retry.unwrap_or(&app.retry);
    let next = match retry.next(job.attempts + 1, sent.code, sent.retry_after, &*app.random) {
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
    let (made, outcome, shaped) = match prepare(app, &job, now).await? {
        Prepared::Send {
            outgoing,
            shaped,
            is_test,
            retry,
        } => {
            let (made, outcome) = send_once(app, &job, outgoing, is_test, retry.as_ref()).await;
            (Some(made), outcome, shaped)
        }
        Prepared::Fail(reason) => {
            tracing::info!(delivery = %job.delivery_id, ?reason, "delivery failed without an attempt");
            (None, Outcome::Failed(reason), None)
        }
        Prepared::Polled => {
            tracing::warn!(delivery = %job.delivery_id, "a poll webhook's delivery reached a sender; left to be fetched");
            return Ok(None);
        }
    };
    let finished = app.clock.now();
    let change = Change::Attempted {
        attempt: made.clone(),
        outcome,
        body: shaped,
    };
    if !record(app, &job, &change, finished).await? {
        // Another sender recorded this attempt first (a duplicate message).
        return Ok(made);
    }
    app.warm.stats.add(
        job.account_id,
        job.target.webhook_id(),
        finished,
        Sample {
            status: outcome.status(),
            attempt: made.as_ref().map(|m| (m.duration_ms, m.error.is_none())),
        },
    );
    if let Outcome::RetryAt(due) = outcome {
        let next = DeliveryMessage::again(job.account_id, job.delivery_id, job.attempts + 1);
        requeue(app, &next, due).await?;
    }
    if let (Some(made), Target::Webhook(webhook)) = (&made, &job.target) {
        app.warm
            .sender
            .notes
            .add(job.account_id, *webhook, outcome.status(), made, finished);
    }
    tracing::info!(delivery = %job.delivery_id, code = made.as_ref().map_or(0, |m| m.code), "attempt recorded");
    Ok(made)
}

/// Records the attempt and its outcome with one conditional write; whether
/// it is this sender's. A write the SDK sent again after it had landed is
/// refused by its own condition: the delivery as it is then shows whose it was.
async fn record(
    app: &App,
    job: &Job,
    change: &Change,
    at: Timestamp,
) -> Result<bool, DispatchError> {
    let changed = app
        .store
        .change_delivery(job.account_id, job.delivery_id, job.attempts, change, at)
        .await?;
    let made = match change {
        Change::Attempted { attempt, .. } => attempt.as_ref(),
        _ => None,
    };
    Ok(match (changed, made) {
        (Changed::Applied(_), _) => true,
        (Changed::Refused(Some(now)), Some(made)) => now.shows_attempt(job.attempts, made),
        (Changed::Refused(_), _) => false,
    })
}

/// The job's event, from a warm sender's copy when it has one.
async fn read_event(app: &App, job: &Job, now: Timestamp) -> Result<Option<Event>, StoreError> {
    let cached = app.warm.sender.events.get(job.event_id, now);
    if let Some(event) = cached.filter(|e| e.visible_to(job.account_id, now)) {
        return Ok(Some(event));
    }
    let read = app
        .store
        .get_event(job.account_id, job.event_id, now)
        .await?;
    if let Some(event) = &read {
        app.warm.sender.events.put(event, now);
    }
    Ok(read)
}

enum Prepared {
    /// `shaped`: the body when the webhook shapes it; `retry`: the
    /// webhook's own schedule, if it has one.
    Send {
        outgoing: Outgoing,
        shaped: Option<JsonText>,
        is_test: bool,
        retry: Option<RetryPolicy>,
    },
    Fail(FailureReason),
    /// A poll webhook's delivery: nothing is sent, it waits to be fetched
    /// (no message is queued for one; this guards one that strays).
    Polled,
}

/// The webhook for a job: a warm sender's copy when the job allows one.
pub(crate) async fn cached_webhook(
    app: &App,
    job: &Job,
    id: WebhookId,
) -> Result<Option<Webhook>, StoreError> {
    let key = (job.account_id, id);
    let now = app.clock.now();
    // A copy at least as new as the one fan-out planned from; for any other
    // attempt, one read in the last minute (a change applies within it). A
    // switched-off copy is read again: it would fail the delivery for good,
    // and the webhook may be back on (a recover right after re-enabling).
    let cached = app.warm.sender.webhooks.get(&key, now);
    let usable = |c: &Webhook| c.enabled() && c.version() >= job.webhook_version.unwrap_or(0);
    if let Some(cached) = cached.filter(usable) {
        return Ok(Some(cached));
    }
    let read = app.store.get_webhook(job.account_id, id).await?;
    match &read {
        Some(found) => app.warm.sender.webhooks.put(key, found.clone(), now),
        None => app.warm.sender.webhooks.remove(&key),
    }
    Ok(read)
}

/// The request for this attempt, from the event and the webhook.
async fn prepare(app: &App, job: &Job, now: Timestamp) -> Result<Prepared, DispatchError> {
    let event = match &job.event {
        Some(event) => Some(event.clone()),
        None => read_event(app, job, now).await?,
    };
    let Some(event) = event else {
        return Ok(Prepared::Fail(FailureReason::EventExpired));
    };
    let is_test = OperationalEvent::parse(&event.event) == Some(OperationalEvent::Test);
    match &job.target {
        Target::Poll(_) => Ok(Prepared::Polled),
        Target::Webhook(id) => prepare_for_webhook(app, job, *id, &event, is_test, now).await,
        // An ad-hoc URL has no webhook and so no secret: it is sent unsigned.
        Target::AdHoc(kept) => {
            let url = open_ad_hoc(&app.sealer, kept, job.delivery_id)
                .await
                .map_err(StoreError::from)?;
            let body = default_body(&event, job.delivery_id);
            Ok(Prepared::Send {
                outgoing: request::outgoing(body, job.delivery_id, To::AdHoc(&url), now),
                shaped: None,
                is_test,
                retry: None,
            })
        }
    }
}

/// The request for this attempt to webhook `id`, shaped and signed as it says.
async fn prepare_for_webhook(
    app: &App,
    job: &Job,
    id: WebhookId,
    event: &Event,
    is_test: bool,
    now: Timestamp,
) -> Result<Prepared, DispatchError> {
    let Some(webhook) = cached_webhook(app, job, id).await? else {
        return Ok(Prepared::Fail(FailureReason::WebhookDeleted));
    };
    let Some(url) = webhook.url() else {
        return Ok(Prepared::Polled);
    };
    if !webhook.enabled() && !is_test {
        return Ok(Prepared::Fail(FailureReason::WebhookDisabled));
    }
    let (body, shaped) = match webhook.transform().body(event, job.delivery_id) {
        Ok(made) => made,
        Err(error) => {
            // The error names a line of the template, never payload values.
            tracing::info!(delivery = %job.delivery_id, %error, "transform failed");
            return Ok(Prepared::Fail(FailureReason::TransformFailed));
        }
    };
    let to = To::Webhook(&webhook, url);
    Ok(Prepared::Send {
        outgoing: request::outgoing(body, job.delivery_id, to, now),
        shaped,
        is_test,
        retry: webhook.retry_schedule().map(RetrySchedule::policy),
    })
}
