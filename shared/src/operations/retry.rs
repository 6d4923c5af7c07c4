//! Retry (`POST /v1/deliveries/{id}/retry`): a delivered or failed delivery
//! sent again now, as a new attempt on the same delivery (same webhook-id).
//! A poll webhook's is made fetchable again instead: back at the end of the
//! webhook's feed, for its next poll.

use crate::app::App;
use crate::domain::audit::{changes_of, Action, Actor};
use crate::domain::delivery::{Change, Delivery, DeliveryStatus, Target};
use crate::error::DispatchError;
use crate::pipeline::attempt::{attempt_now, Job};
use crate::pipeline::dispatch::lease_until;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum RetryError {
    /// Only a delivered or failed delivery can be sent again.
    #[error("the delivery is still pending")]
    Pending,
    #[error(transparent)]
    Dispatch(#[from] DispatchError),
}

/// Reopens `delivery` under this request's lease and makes its attempt now
/// (a poll webhook's: offers it again), recorded as done `by` before it
/// starts (so no retry goes unrecorded).
pub async fn retry(app: &App, delivery: &Delivery, by: &Actor) -> Result<(), RetryError> {
    if !delivery.status().is_final() {
        return Err(RetryError::Pending);
    }
    let now = app.clock.now();
    let (reopen, becomes) = match delivery.target() {
        Target::Poll(webhook) => {
            let again = Change::Reoffered {
                webhook,
                unchanged_since: None,
            };
            (again, DeliveryStatus::Created)
        }
        _ => {
            let lease_until = lease_until(app, now);
            (Change::Reopened { lease_until }, DeliveryStatus::Dispatched)
        }
    };
    let was = json!(delivery.status().as_str());
    let changes = changes_of([("status", was, json!(becomes.as_str()))]);
    let act = Action::DeliveryRetried.by(by);
    let audit = app.audit(delivery.account_id(), act, delivery.id(), changes);
    app.store
        .record_audit(&audit)
        .await
        .map_err(DispatchError::from)?;
    app.store
        .change_delivery(
            delivery.account_id(),
            delivery.id(),
            delivery.attempts(),
            &reopen,
            now,
        )
        .await
        .map_err(DispatchError::from)?;
    if becomes == DeliveryStatus::Dispatched {
        attempt_now(app, Job::of(delivery)).await?;
    }
    Ok(())
}
