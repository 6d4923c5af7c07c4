//! The sweeper: the backstop that makes "nothing is stranded" hold whatever
//! failed. Every pending delivery carries a `sweep_at` (its due time, or the
//! end of a sender's lease, plus a grace period); one whose `sweep_at` has
//! passed has lost its message or schedule, so it is queued again (message
//! first, then `sweep_at` moves on, so the next sweep does not repeat it).

use crate::app::App;
use crate::dispatch::DispatchError;
use crate::domain::delivery::Change;
use crate::ports::queue::{DeliveryMessage, Enqueue};
use crate::ports::store::{Overdue, StoreError};
use futures::stream::{self, StreamExt};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Overdue deliveries taken at a time.
const BATCH: usize = 100;
/// Status changes made at once.
const CONCURRENCY: usize = 16;

/// Queues every overdue delivery again, for up to `budget`; how many.
pub async fn sweep(app: &App, budget: Duration) -> Result<usize, DispatchError> {
    let started = Instant::now();
    let mut swept = 0;
    // The index read next may lag the writes just made (DynamoDB's global
    // indexes are eventually consistent): what one run queued, it never
    // queues again, and a batch of only those ends the run.
    let mut queued = HashSet::new();
    loop {
        let now = app.clock.now();
        let overdue: Vec<Overdue> = app
            .store
            .overdue_deliveries(now, BATCH)
            .await?
            .into_iter()
            .filter(|o| !queued.contains(&o.delivery_id))
            .collect();
        if overdue.is_empty() {
            return Ok(swept);
        }
        queued.extend(overdue.iter().map(|o| o.delivery_id));
        let messages: Vec<Enqueue> = overdue
            .iter()
            .map(|o| Enqueue {
                message: DeliveryMessage::again(o.account_id, o.delivery_id, o.attempts).into(),
                delay_seconds: 0,
            })
            .collect();
        app.queue.send(&messages).await?;
        let swept_now = overdue.len();
        let moved: Vec<Result<(), StoreError>> = stream::iter(overdue)
            .map(|o: Overdue| async move {
                let change = Change::Swept;
                match app
                    .store
                    .change_delivery(o.account_id, o.delivery_id, o.attempts, &change, now)
                    .await
                {
                    // Moved on meanwhile: it has a newer sweep time of its own.
                    Ok(()) | Err(StoreError::Conflict) => Ok(()),
                    Err(err) => Err(err),
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        moved.into_iter().collect::<Result<(), _>>()?;
        swept += swept_now;
        tracing::warn!(count = swept_now, "queued stranded deliveries again");
        if started.elapsed() >= budget {
            return Ok(swept);
        }
    }
}
