//! A queue message for a delivery: which attempt it is for, and whether this
//! sender may make it. A fresh delivery's first message, received on time,
//! carries what its first attempt needs and is trusted without a read (the
//! happy path: one write per attempt). Any other message (a retry, a wake, the
//! sweeper's, a first message received late or again) first claims the
//! delivery with one conditional write that also reads it, so two messages
//! for one attempt never both send. Then a rate-limited webhook's send slot,
//! then the attempt (`attempt`).

use crate::app::App;
use crate::domain::delivery::{Attempt, Change, Delivery, DeliveryStatus, Target};
use crate::domain::ids::WebhookId;
use crate::domain::time::Timestamp;
use crate::domain::webhook::RateLimit;
use crate::error::DispatchError;
use crate::pipeline::attempt::{attempt, cached_webhook, Job};
use crate::pipeline::wake::requeue;
use crate::ports::queue::DeliveryMessage;
use crate::ports::store::{Changed, StoreError};

/// What became of a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Handled {
    /// An attempt was made (its outcome is in the delivery's log).
    Attempted(Attempt),
    /// Not due yet, or held by another sender: put back for later.
    Requeued,
    /// Nothing to do: unknown, expired, final, stale, or changed meanwhile.
    Dropped(&'static str),
}

/// How late after its due time a first message is still trusted without a
/// claim: well inside the sweeper's grace (900 s), so the sweeper's message
/// for the same attempt cannot race it.
const TRUST_SECONDS: i64 = 300;
/// How long a sender owns a claimed delivery beyond its send timeout.
const LEASE_MARGIN_SECONDS: i64 = 60;
/// A wait for a send slot longer than this is recorded on the delivery: its
/// sweep time moves past the slot, and the slot outlives a lost message.
const RECORD_HOLD_SECONDS: i64 = 60;
/// How long a sender that takes a delivery now holds it.
pub fn lease_until(app: &App, now: Timestamp) -> Timestamp {
    let seconds = i64::try_from(app.settings.send_timeout.as_secs()).unwrap_or(60);
    now.plus_seconds(seconds + LEASE_MARGIN_SECONDS)
}

/// Handles one queue message for a delivery. `repeated`: it was received
/// before, so its first attempt may have been made (and recorded) already.
pub async fn handle_message(
    app: &App,
    message: &DeliveryMessage,
    repeated: bool,
) -> Result<Handled, DispatchError> {
    let now = app.clock.now();
    let trusted = match &message.first {
        Some(first) if first.due > now => {
            // Early (a delay rounded): wait out the remainder.
            requeue(app, message, first.due).await?;
            return Ok(Handled::Requeued);
        }
        // One that names no target (none is written so) is not trusted: the
        // delivery as claimed says where it goes.
        Some(first) if !repeated && now <= first.due.plus_seconds(TRUST_SECONDS) => {
            Job::first(message, first)
        }
        _ => None,
    };
    let job = match trusted {
        Some(job) => job,
        None => match claim(app, message, now).await? {
            Ok(job) => job,
            Err(handled) => return Ok(handled),
        },
    };
    if let Some(held) = wait_for_slot(app, message, &job, now).await? {
        return Ok(held);
    }
    take(app, job, now).await
}

/// Makes the attempt, unless this sender took it already: SQS may deliver a
/// trusted message twice, and a sender drops the repeat it sees (in the last
/// minute) before it sends again.
async fn take(app: &App, job: Job, now: Timestamp) -> Result<Handled, DispatchError> {
    let key = (job.delivery_id, job.attempts);
    if app.warm.sender.taken.get(&key, now).is_some() {
        tracing::info!(delivery = %job.delivery_id, "dropped a duplicate message for an attempt taken already");
        return Ok(Handled::Dropped("this attempt was taken already"));
    }
    app.warm.sender.taken.put(key, (), now);
    Ok(match attempt(app, job).await? {
        Some(made) => Handled::Attempted(made),
        None => {
            // Nothing was sent (the delivery failed without an attempt, or
            // changed): a later message for it, after a recover, must go.
            app.warm.sender.taken.remove(&key);
            Handled::Dropped("changed meanwhile")
        }
    })
}

/// Claims the delivery for the attempt the message is for: the job, or
/// what became of the message when the delivery is not to be sent now.
async fn claim(
    app: &App,
    message: &DeliveryMessage,
    now: Timestamp,
) -> Result<Result<Job, Handled>, DispatchError> {
    let change = Change::Claimed {
        lease_until: lease_until(app, now),
    };
    let changed = app
        .store
        .change_delivery(
            message.account_id,
            message.delivery_id,
            message.attempts,
            &change,
            now,
        )
        .await?;
    Ok(match changed {
        Changed::Applied(delivery) => Ok(Job::claimed(&delivery, message)),
        Changed::Refused(None) => Err(Handled::Dropped("unknown delivery")),
        Changed::Refused(Some(found)) => Err(not_now(app, message, &found, now).await?),
    })
}

/// Why a claim was refused; a delivery that is only not due yet (or held
/// by another sender's live lease) gets the message back for then.
async fn not_now(
    app: &App,
    message: &DeliveryMessage,
    found: &Delivery,
    now: Timestamp,
) -> Result<Handled, DispatchError> {
    if !found.visible_to(message.account_id, now) {
        return Ok(Handled::Dropped("expired delivery"));
    }
    if found.status().is_final() {
        return Ok(Handled::Dropped("already delivered or failed"));
    }
    if found.attempts() != message.attempts {
        return Ok(Handled::Dropped("a later attempt was made"));
    }
    let leased = found
        .lease_until()
        .filter(|lease| *lease > now && found.status() == DeliveryStatus::Dispatched);
    let at = leased
        .map(|lease| lease.plus_seconds(1))
        .or_else(|| found.next_attempt_at().filter(|due| *due > now))
        // It changed between the claim and its answer: look again shortly.
        .unwrap_or_else(|| now.plus_seconds(1));
    // Without the first attempt's payload: it is not trusted again.
    let again = DeliveryMessage {
        first: None,
        ..message.clone()
    };
    requeue(app, &again, at).await?;
    Ok(Handled::Requeued)
}

/// A send to a rate-limited webhook waits for its slot: reserved here (one
/// write in the store, shared by every sender), or held already. `Some`
/// when the message was put back to wait for it.
async fn wait_for_slot(
    app: &App,
    message: &DeliveryMessage,
    job: &Job,
    now: Timestamp,
) -> Result<Option<Handled>, DispatchError> {
    let slot = match job.slot {
        Some(held) => held,
        None => match reserve_slot(app, job, now).await? {
            Some(slot) => slot,
            None => return Ok(None),
        },
    };
    if slot <= now {
        return Ok(None);
    }
    // A claimed delivery, or a long wait, is written down as holding its slot.
    let recorded = job.claimed || slot > now.plus_seconds(RECORD_HOLD_SECONDS);
    if recorded {
        let held = Change::Held { slot };
        let changed = app
            .store
            .change_delivery(job.account_id, job.delivery_id, job.attempts, &held, now)
            .await?;
        if let Changed::Refused(_) = changed {
            return Ok(Some(Handled::Dropped("changed meanwhile")));
        }
    }
    let held = DeliveryMessage {
        slot: Some(slot),
        first: if recorded {
            None
        } else {
            message.first.clone()
        },
        ..message.clone()
    };
    requeue(app, &held, slot).await?;
    Ok(Some(Handled::Requeued))
}

/// Reserves the next send slot of the job's webhook, if it has a rate
/// limit: from one of its slot items, chosen by the delivery.
async fn reserve_slot(
    app: &App,
    job: &Job,
    now: Timestamp,
) -> Result<Option<Timestamp>, StoreError> {
    let Some((id, limit)) = rate_limit(app, job, now).await? else {
        return Ok(None);
    };
    let item = limit.slot_item(job.delivery_id);
    let now_micros = now.millis() * 1000;
    let reserved = app
        .store
        .reserve_send_slot(id, item, limit.interval_micros(), now_micros)
        .await?;
    // Rounded up to the millisecond, so it never goes early.
    Ok(Some(
        Timestamp::from_millis((reserved + 999) / 1000).unwrap_or(now),
    ))
}

/// The job's webhook's rate limit, from a warm sender's copy if it has one
/// (a changed limit applies within a minute).
async fn rate_limit(
    app: &App,
    job: &Job,
    now: Timestamp,
) -> Result<Option<(WebhookId, RateLimit)>, StoreError> {
    let Target::Webhook(id) = job.target else {
        return Ok(None);
    };
    let limit = match app.warm.sender.webhooks.get(&(job.account_id, id), now) {
        Some(cached) => cached.rate_limit(),
        None => cached_webhook(app, job, id)
            .await?
            .and_then(|w| w.rate_limit()),
    };
    Ok(limit.map(|limit| (id, limit)))
}
