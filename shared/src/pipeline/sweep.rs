//! The sweeper: the backstop that makes "nothing is stranded" hold whatever
//! failed. Every pending delivery carries a `sweep_at` (its due time, or the
//! end of a sender's lease, plus a grace period); one whose `sweep_at` has
//! passed has lost its message or its bucket's wake, so it is queued again
//! (message first, then `sweep_at` moves on, so the next sweep does not
//! repeat it). Its message claims the delivery before it sends, so a
//! message that was only late (a queue backlog) cannot send it twice. A
//! background task's step past its sweep time is queued again the same way.

use crate::app::App;
use crate::domain::delivery::Change;
use crate::domain::ids::{AccountId, DeliveryId};
use crate::error::DispatchError;
use crate::pipeline::tasks;
use crate::ports::queue::{DeliveryMessage, Enqueue};
use crate::ports::store::Overdue;
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
    let now = app.clock.now();
    let mut swept = 0;
    // The index read may lag the writes just made (DynamoDB's global indexes
    // are eventually consistent): what one run queued, it never queues again.
    let mut queued = HashSet::new();
    let mut after: Option<String> = None;
    loop {
        let page = app.store.overdue(now, after.as_deref(), BATCH).await?;
        let mut deliveries = Vec::new();
        for overdue in page.items.into_iter().filter(|o| queued.insert(o.clone())) {
            match overdue {
                Overdue::Delivery {
                    account_id,
                    delivery_id,
                    attempts,
                } => deliveries.push((account_id, delivery_id, attempts)),
                Overdue::Task {
                    account_id,
                    task_id,
                    step,
                } => {
                    tasks::sweep(app, account_id, task_id, step).await?;
                    swept += 1;
                }
            }
        }
        swept += requeue_overdue(app, deliveries).await?;
        match page.next {
            Some(next) if started.elapsed() < budget => after = Some(next),
            _ => return Ok(swept),
        }
    }
}

/// Queues these overdue deliveries (account, id, attempts made), then
/// moves their sweep time on; how many.
async fn requeue_overdue(
    app: &App,
    overdue: Vec<(AccountId, DeliveryId, u32)>,
) -> Result<usize, DispatchError> {
    if overdue.is_empty() {
        return Ok(0);
    }
    let messages: Vec<Enqueue> = overdue
        .iter()
        .map(|(account, id, attempts)| Enqueue {
            message: DeliveryMessage::again(*account, *id, *attempts).into(),
            delay_seconds: 0,
        })
        .collect();
    app.queue.send(&messages).await?;
    let now = app.clock.now();
    let count = overdue.len();
    let moved: Vec<Result<_, _>> = stream::iter(overdue)
        .map(|(account, id, attempts)| async move {
            // Refused: it moved on meanwhile, with a newer sweep time of its own.
            let change = Change::Swept;
            app.store
                .change_delivery(account, id, attempts, &change, now)
                .await
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for result in moved {
        result?;
    }
    tracing::warn!(count, "queued stranded deliveries again");
    Ok(count)
}
