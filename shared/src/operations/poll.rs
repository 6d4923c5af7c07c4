//! Polling (`GET /v1/webhooks/{id}/poll`): a poll webhook's deliveries are
//! never sent; the account fetches them. A poll first acknowledges what the
//! cursor it brings handed out (each of those `delivered`), then hands out
//! the oldest deliveries still waiting, each with what a push would carry
//! now: the body as the webhook's transform shapes it, and the headers,
//! signed (Standard Webhooks). At-least-once: whatever is not acknowledged
//! is handed out again by the next poll, to whoever polls.

use crate::app::App;
use crate::domain::delivery::{Change, Delivery, FailureReason, Outcome};
use crate::domain::event::Event;
use crate::domain::ids::DeliveryId;
use crate::domain::poll::PollCursor;
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use crate::error::DispatchError;
use crate::net::sender::USER_AGENT;
use crate::pipeline::request::webhook_headers;
use crate::ports::store::{Changed, StoreError};
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::HashSet;

/// Acknowledgements written at once.
const CONCURRENCY: usize = 16;
/// A poll webhook's delivery is never attempted: its attempt count stays 0.
const NO_ATTEMPTS: u32 = 0;

/// One delivery as a poll hands it out.
pub struct Fetched {
    pub delivery: Delivery,
    /// Exactly the bytes a push would POST (JSON text).
    pub body: String,
    /// What a push would send with it, signed over `body`.
    pub headers: Vec<(String, String)>,
}

/// The deliveries a poll hands out.
pub struct Fetch {
    pub fetched: Vec<Fetched>,
    /// Whether more are fetchable past these.
    pub more: bool,
    /// When the feed was read: the cursor's handout time.
    pub read_at: Timestamp,
}

/// Marks `delivered` each delivery `cursor` handed out from `webhook`'s
/// feed, unless it changed after the handout (made fetchable again) or is
/// not the webhook's; how many it marked. Acknowledging again changes nothing.
pub async fn acknowledge(
    app: &App,
    webhook: &Webhook,
    cursor: &PollCursor,
) -> Result<usize, DispatchError> {
    let now = app.clock.now();
    let change = Change::Acknowledged {
        webhook: webhook.id(),
        handed_out_at: cursor.handed_out_at,
    };
    let account = webhook.account_id();
    let ids: HashSet<DeliveryId> = cursor.deliveries.iter().copied().collect();
    let marked = stream::iter(ids)
        .map(|id| {
            let change = &change;
            async move {
                let changed = app
                    .store
                    .change_delivery(account, id, NO_ATTEMPTS, change, now)
                    .await?;
                Ok::<_, StoreError>(usize::from(matches!(changed, Changed::Applied(_))))
            }
        })
        .buffer_unordered(CONCURRENCY)
        .try_fold(0, |total, one| async move { Ok(total + one) })
        .await?;
    tracing::info!(webhook = %webhook.id(), marked, "poll acknowledged");
    Ok(marked)
}

/// Up to `limit` of the oldest deliveries waiting in `webhook`'s feed,
/// each with its body and signed headers. One whose event expired, or that
/// the transform cannot shape, fails as its push would (`event_expired`,
/// `transform_failed`) and is left out.
pub async fn fetch(app: &App, webhook: &Webhook, limit: usize) -> Result<Fetch, DispatchError> {
    let now = app.clock.now();
    let retention = i64::from(app.settings.retention_days) * 86_400;
    let account = webhook.account_id();
    let page = app
        .store
        .poll_feed(
            account,
            webhook.id(),
            now.plus_seconds(-retention),
            now,
            limit,
        )
        .await?;
    let read_at = app.clock.now();
    let events = app.store.events_of(account, &page.items, now).await?;
    let mut seen = HashSet::new();
    let mut fetched = Vec::with_capacity(page.items.len());
    // An index entry left over for a moment may show a delivery twice.
    for delivery in page.items.into_iter().filter(|d| seen.insert(d.id())) {
        let event = events.get(&delivery.event_id()).and_then(Option::as_ref);
        match as_pushed(webhook, &delivery, event, read_at) {
            Ok((body, headers)) => fetched.push(Fetched {
                delivery,
                body,
                headers,
            }),
            Err(reason) => fail(app, &delivery, reason).await?,
        }
    }
    Ok(Fetch {
        fetched,
        more: page.next.is_some(),
        read_at,
    })
}

/// The body and headers a push of `delivery` would send at `at`, or why it cannot be sent.
fn as_pushed(
    webhook: &Webhook,
    delivery: &Delivery,
    event: Option<&Event>,
    at: Timestamp,
) -> Result<(String, Vec<(String, String)>), FailureReason> {
    let event = event.ok_or(FailureReason::EventExpired)?;
    let body = match webhook.transform().body(event, delivery.id()) {
        // A body is JSON text: UTF-8 by construction.
        Ok((body, _)) => String::from_utf8_lossy(&body).into_owned(),
        Err(error) => {
            // The error names a line of the template, never payload values.
            tracing::info!(delivery = %delivery.id(), %error, "transform failed");
            return Err(FailureReason::TransformFailed);
        }
    };
    let mut headers = vec![("user-agent".to_owned(), USER_AGENT.to_owned())];
    headers.extend(webhook_headers(body.as_bytes(), delivery.id(), webhook, at));
    Ok((body, headers))
}

/// Fails a delivery that cannot be handed out, as its push would fail.
async fn fail(app: &App, delivery: &Delivery, reason: FailureReason) -> Result<(), StoreError> {
    let change = Change::Attempted {
        attempt: None,
        outcome: Outcome::Failed(reason),
        body: None,
    };
    let now = app.clock.now();
    let account = delivery.account_id();
    // Refused: it changed meanwhile (acknowledged by another poller).
    app.store
        .change_delivery(account, delivery.id(), NO_ATTEMPTS, &change, now)
        .await
        .map(|_| ())
}
