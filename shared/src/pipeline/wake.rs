//! Putting work back to arrive later. A wait the queue can hold (up to 900 s)
//! is a message with a delay. A longer one is the delivery's wake bucket
//! (`domain::wake`: the delivery was recorded in it): the bucket's schedule
//! is made once, and when it fires, `wake` puts each of its deliveries on the
//! queue to arrive at its second, so nothing is sent early and Scheduler
//! calls follow the minutes in use, not the deliveries.

use crate::app::App;
use crate::domain::time::Timestamp;
use crate::domain::wake::{WakeBucket, MAX_QUEUE_DELAY_SECONDS};
use crate::error::DispatchError;
use crate::ports::queue::{DeliveryMessage, Enqueue, QueueMessage, Schedule, WakeMessage};
use std::time::{Duration, Instant};

/// Deliveries a wake reads and queues at a time.
const WAKE_PAGE: usize = 100;

/// The queue entry for a wait the queue can hold (up to 900 s), else `None`.
pub fn queue_entry(message: &DeliveryMessage, due: Timestamp, now: Timestamp) -> Option<Enqueue> {
    let wait_seconds = delay_seconds(due, now)?;
    (wait_seconds <= MAX_QUEUE_DELAY_SECONDS).then(|| Enqueue {
        message: message.clone().into(),
        delay_seconds: wait_seconds,
    })
}

/// Whole seconds from `now` until `due`, rounded up (never early).
fn delay_seconds(due: Timestamp, now: Timestamp) -> Option<u32> {
    u32::try_from(((due.millis() - now.millis()).max(0) + 999) / 1000).ok()
}

/// Puts `message` back to arrive at `due`: a queue delay, or the wake bucket
/// its delivery was recorded in when `due` is beyond the queue's reach.
pub async fn requeue(
    app: &App,
    message: &DeliveryMessage,
    due: Timestamp,
) -> Result<(), DispatchError> {
    match queue_entry(message, due, app.clock.now()) {
        Some(entry) => Ok(app.queue.send(&[entry]).await?),
        None => ensure_schedule(app, WakeBucket::of(message.delivery_id, due)).await,
    }
}

/// Makes sure `bucket` has its schedule: made once, by whoever records the
/// bucket first (a conditional write; a repeated CreateSchedule would still
/// count against the Scheduler quota), and known to a warm sender after.
pub async fn ensure_schedule(app: &App, bucket: WakeBucket) -> Result<(), DispatchError> {
    let now = app.clock.now();
    if app.warm.sender.wakes.get(&bucket, now).is_some() {
        return Ok(());
    }
    if app.store.claim_wake(bucket).await? {
        let wake = Schedule {
            name: bucket.schedule_name(),
            at: bucket.starts_at,
            message: QueueMessage::Wake(WakeMessage {
                bucket,
                after: None,
            }),
        };
        let made = app.scheduler.schedule(&wake).await;
        if let Err(err) = made {
            // Best effort: the next one to need the bucket tries again (the
            // sweeper still finds each delivery in it, later).
            if let Err(release) = app.store.release_wake(bucket).await {
                tracing::error!(error = %release, "a wake bucket's record outlived its failed schedule");
            }
            return Err(err.into());
        }
    }
    app.warm.sender.wakes.put(bucket, (), now);
    Ok(())
}

/// A fired bucket: each of its deliveries goes on the queue, delayed to its
/// second; past `budget` the rest continues in a message of its own.
pub async fn wake(app: &App, message: &WakeMessage, budget: Duration) -> Result<(), DispatchError> {
    let started = Instant::now();
    let mut after = message.after.clone();
    loop {
        let page = app
            .store
            .waiting_in(message.bucket, after.as_deref(), WAKE_PAGE)
            .await?;
        let now = app.clock.now();
        let entries: Vec<Enqueue> = page
            .items
            .iter()
            .map(|w| Enqueue {
                message: DeliveryMessage::again(w.account_id, w.delivery_id, w.attempts).into(),
                delay_seconds: delay_seconds(w.due, now)
                    .unwrap_or(0)
                    .min(MAX_QUEUE_DELAY_SECONDS),
            })
            .collect();
        app.queue.send(&entries).await?;
        let Some(next) = page.next else {
            return Ok(());
        };
        if started.elapsed() >= budget {
            let rest = WakeMessage {
                bucket: message.bucket,
                after: Some(next),
            };
            let entry = Enqueue {
                message: QueueMessage::Wake(rest),
                delay_seconds: 0,
            };
            return Ok(app.queue.send(&[entry]).await?);
        }
        after = Some(next);
    }
}
