//! Test-send (`POST /v1/webhooks/{id}/test`): a `webhook.test` event to one
//! webhook, sent now (even to a disabled one) and never retried; its
//! delivery is logged like any other. A poll webhook's waits in its feed,
//! to be fetched like any other.

use crate::app::App;
use crate::domain::delivery::{Attempt, Change, Delivery, KeptUrl};
use crate::domain::event::{Event, JsonText, OperationalEvent};
use crate::domain::ids::{DeliveryId, EventId};
use crate::domain::webhook::Webhook;
use crate::error::DispatchError;
use crate::pipeline::attempt::{attempt_now, Job};
use crate::pipeline::dispatch::lease_until;

#[derive(Debug, thiserror::Error)]
pub enum TestSendError {
    /// The delivery changed before its attempt was recorded.
    #[error("the test delivery changed meanwhile")]
    Changed,
    #[error(transparent)]
    Dispatch(#[from] DispatchError),
}

/// Sends a test event to `webhook` now: the logged delivery and its
/// attempt (`None`: a poll webhook's, recorded to be fetched).
pub async fn send_test(
    app: &App,
    webhook: &Webhook,
) -> Result<(DeliveryId, Option<Attempt>), TestSendError> {
    let now = app.clock.now();
    let payload = serde_json::json!({
        "webhook_id": webhook.id().to_string(),
        "message": "This is a test event from hookrelay.",
    });
    let event = Event::new(
        EventId::generate(now, &*app.random),
        webhook.account_id(),
        OperationalEvent::Test.event_kind(),
        JsonText::from_value(&payload),
        JsonText::from_value(&serde_json::json!({})),
        now,
        app.settings.retention_days,
    );
    let Some(url) = webhook.url() else {
        let delivery = Delivery::polled(&event, webhook.id(), now);
        record(app, &event, &delivery).await?;
        return Ok((delivery.id(), None));
    };
    // Recorded `dispatched` under this request's lease: if it dies, the
    // sweeper finds the delivery when the lease ends. Never retried.
    let mut delivery = Delivery::new(&event, Some(webhook.id()), KeptUrl::shown(url), now);
    let lease_until = lease_until(app, now);
    delivery.apply(&Change::TestSent { lease_until }, now);
    record(app, &event, &delivery).await?;
    let made = attempt_now(app, Job::of(&delivery))
        .await?
        .ok_or(TestSendError::Changed)?;
    Ok((delivery.id(), Some(made)))
}

async fn record(app: &App, event: &Event, delivery: &Delivery) -> Result<(), DispatchError> {
    app.store
        .record_event(event, std::slice::from_ref(delivery))
        .await
        .map_err(DispatchError::from)
}
