//! The delivery algorithm, shared by the delivery function, the test-send
//! route and the local runner: take a lease, send once, record the attempt,
//! then `delivered`, the next attempt per the retry policy, or `failed`.

use crate::app::App;
use crate::domain::delivery::{Attempt, Delivery, DeliveryStatus};
use crate::domain::event::Event;
use crate::domain::retry::Next;
use crate::domain::time::Timestamp;
use crate::domain::webhook::LastDelivery;
use crate::net::sender::Outgoing;
use crate::ports::queue::{DeliveryMessage, Enqueue, QueueError, MAX_QUEUE_DELAY_SECONDS};
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
    /// Nothing to do: unknown, expired, final, or another sender holds it.
    Dropped(&'static str),
}

/// The event name of a test-send, which reaches even a disabled webhook.
pub const TEST_EVENT: (&str, &str) = ("webhook", "test");

/// How long a sender owns a `dispatched` delivery beyond its send timeout.
const LEASE_MARGIN_SECONDS: i64 = 60;

/// Handles one queue message for a delivery.
pub async fn handle_message(
    app: &App,
    message: &DeliveryMessage,
) -> Result<Handled, DispatchError> {
    // A lost lease race is usually a benign write (ingest marking it
    // `scheduled`): read again and decide again. A sender that really took it
    // shows on the re-read as a live lease or a final status.
    const READS: usize = 3;
    for _ in 0..READS {
        let now = app.clock.now();
        let Some(delivery) = app
            .store
            .get_delivery(message.account_id, message.delivery_id, now)
            .await?
        else {
            return Ok(Handled::Dropped("unknown or expired delivery"));
        };
        if delivery.status.is_final() {
            return Ok(Handled::Dropped("already delivered or failed"));
        }
        let live_lease = delivery.lease_until.filter(|lease| *lease > now);
        if let (DeliveryStatus::Dispatched, Some(lease)) = (delivery.status, live_lease) {
            // Another sender holds it. Look again when its lease ends, in case
            // that sender dies: then this message is what sends it.
            wake_at(app, &delivery, lease.plus_seconds(1)).await?;
            return Ok(Handled::Requeued);
        }
        if let Some(due) = delivery.next_attempt_at.filter(|due| *due > now) {
            // Early (the Scheduler fires to the minute): wait out the remainder.
            wake_at(app, &delivery, due).await?;
            return Ok(Handled::Requeued);
        }
        if let Some(attempt) = attempt(app, delivery).await? {
            return Ok(Handled::Attempted(attempt));
        }
    }
    // Still contended: leave the message for SQS to bring back.
    Err(DispatchError::Store(StoreError::Conflict))
}

/// Makes one attempt now on `delivery` (as read), unless another sender
/// changes it first (`None`). Its logs carry the delivery id as `trace_id`.
pub async fn attempt(app: &App, delivery: Delivery) -> Result<Option<Attempt>, DispatchError> {
    let span = tracing::info_span!("delivery", trace_id = %delivery.id);
    attempt_traced(app, delivery).instrument(span).await
}

async fn attempt_traced(
    app: &App,
    mut delivery: Delivery,
) -> Result<Option<Attempt>, DispatchError> {
    let now = app.clock.now();
    let read_version = delivery.version;
    let lease_seconds =
        i64::try_from(app.settings.send_timeout.as_secs()).unwrap_or(60) + LEASE_MARGIN_SECONDS;
    delivery.status = DeliveryStatus::Dispatched;
    delivery.lease_until = Some(now.plus_seconds(lease_seconds));
    delivery.updated_at = now;
    delivery.version = read_version + 1;
    match app.store.update_delivery(&delivery, read_version).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => return Ok(None),
        Err(err) => return Err(err.into()),
    }

    let attempt = match prepare(app, &delivery, now).await? {
        Prepared::Send(outgoing) => {
            let outcome = app.sender.send(outgoing).await;
            let attempt = Attempt {
                at: now,
                code: outcome.code,
                duration_ms: outcome.duration_ms,
                error: outcome.error,
                response_body: outcome.response_body,
            };
            let attempts = delivery.attempts + 1;
            let next = app
                .retry
                .next(attempts, outcome.code, outcome.retry_after, &*app.random);
            app.metrics.attempt(now, next, outcome.duration_ms);
            Some((attempt, next))
        }
        Prepared::Fail(reason) => {
            tracing::info!(delivery = %delivery.id, reason, "delivery failed without an attempt");
            None
        }
    };

    let finished_at = app.clock.now();
    let lease_version = delivery.version;
    delivery.lease_until = None;
    delivery.updated_at = finished_at;
    delivery.version = lease_version + 1;
    let next = match &attempt {
        Some((made, next)) => {
            delivery.attempts += 1;
            delivery.code = made.code;
            delivery.attempt_log.push(made.clone());
            *next
        }
        None => Next::Failed,
    };
    match next {
        Next::Delivered => {
            delivery.status = DeliveryStatus::Delivered;
            delivery.next_attempt_at = None;
        }
        Next::Failed => {
            delivery.status = DeliveryStatus::Failed;
            delivery.next_attempt_at = None;
        }
        Next::RetryAfter { seconds } => {
            delivery.status = DeliveryStatus::Scheduled;
            delivery.next_attempt_at = Some(finished_at.plus_seconds(seconds.into()));
        }
    }
    match app.store.update_delivery(&delivery, lease_version).await {
        Ok(()) => {}
        // The lease ran out and another sender took over: it records its own.
        Err(StoreError::Conflict) => return Ok(attempt.map(|(made, _)| made)),
        Err(err) => return Err(err.into()),
    }
    if let Some(due) = delivery.next_attempt_at {
        wake_at(app, &delivery, due).await?;
    }
    if let (Some(webhook), Some(_)) = (delivery.webhook_id, &attempt) {
        let last = LastDelivery {
            last_delivery_status: delivery.status,
            last_delivery_at: finished_at,
        };
        app.store
            .record_last_delivery(delivery.account_id, webhook, &last)
            .await?;
    }
    tracing::info!(
        delivery = %delivery.id,
        status = delivery.status.as_str(),
        code = delivery.code,
        attempts = delivery.attempts,
        "attempt recorded"
    );
    Ok(attempt.map(|(made, _)| made))
}

enum Prepared {
    Send(Outgoing),
    Fail(&'static str),
}

/// The request for this attempt, from the event and the webhook as they are now.
async fn prepare(
    app: &App,
    delivery: &Delivery,
    now: Timestamp,
) -> Result<Prepared, DispatchError> {
    let Some(event) = app
        .store
        .get_event(delivery.account_id, delivery.event_id, now)
        .await?
    else {
        return Ok(Prepared::Fail("the event expired"));
    };
    let body = body(&event, delivery);
    let timestamp = now.epoch_seconds();
    let message_id = delivery.id.to_string();
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("webhook-id".to_owned(), message_id.clone()),
        ("webhook-timestamp".to_owned(), timestamp.to_string()),
    ];
    let url = match delivery.webhook_id {
        // An ad-hoc URL has no webhook and so no secret: it is sent unsigned.
        None => delivery.url.as_url().clone(),
        Some(webhook_id) => {
            let Some(webhook) = app
                .store
                .get_webhook(delivery.account_id, webhook_id)
                .await?
            else {
                return Ok(Prepared::Fail("the webhook was deleted"));
            };
            let is_test = (event.event.name.as_str(), event.event.kind.as_str()) == TEST_EVENT;
            if !webhook.enabled && !is_test {
                return Ok(Prepared::Fail("the webhook is disabled"));
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
    };
    Ok(Prepared::Send(Outgoing { url, headers, body }))
}

/// The JSON that is POSTed (DESIGN.md §3); payload and context byte for byte.
pub fn body(event: &Event, delivery: &Delivery) -> Vec<u8> {
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
            trace_id: delivery.id.to_string(),
        },
        timestamp: event.created_at.to_string(),
        context: &context,
        payload: &payload,
    })
    .unwrap_or_default()
}

/// Puts the delivery's message back to arrive at `due`: SQS `DelaySeconds`
/// up to 900 s, an EventBridge Scheduler schedule beyond.
pub async fn wake_at(app: &App, delivery: &Delivery, due: Timestamp) -> Result<(), QueueError> {
    match queue_entry(delivery, due, app.clock.now()) {
        Some(entry) => app.queue.send(&[entry]).await,
        None => schedule(app, delivery, due).await,
    }
}

/// The queue message for a wait SQS can hold (up to 900 s), else `None`.
pub fn queue_entry(delivery: &Delivery, due: Timestamp, now: Timestamp) -> Option<Enqueue> {
    let wait_seconds = u32::try_from(((due.millis() - now.millis()).max(0) + 999) / 1000).ok()?;
    (wait_seconds <= MAX_QUEUE_DELAY_SECONDS).then_some(Enqueue {
        message: DeliveryMessage {
            account_id: delivery.account_id,
            delivery_id: delivery.id,
        }
        .into(),
        delay_seconds: wait_seconds,
    })
}

/// A one-time schedule, named per attempt so a repeat is a no-op.
pub async fn schedule(app: &App, delivery: &Delivery, due: Timestamp) -> Result<(), QueueError> {
    let message = DeliveryMessage {
        account_id: delivery.account_id,
        delivery_id: delivery.id,
    };
    let name = format!("{}-{}", delivery.id, delivery.attempts);
    app.scheduler.schedule(&name, due, &message).await
}
