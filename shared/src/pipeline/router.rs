//! The queue message router: each message the queue brings is told apart
//! (a delivery's attempt, a task's step, a wake bucket) and handed to its
//! use case. Only infrastructure failures bring a message back (the queue
//! redelivers it); one that fails on its last receive is not left to the
//! dead-letter queue: it is queued again as a new message, after a pause,
//! so what it stands for is never silently parked.

use crate::app::App;
use crate::domain::task::TaskKind;
use crate::error::DispatchError;
use crate::pipeline::dispatch::{handle_message, Handled};
use crate::pipeline::{fanout, tasks, wake};
use crate::ports::queue::{Enqueue, QueueMessage, TaskMessage};
use std::time::Duration;

/// How long one invocation spends waking a bucket's deliveries before it
/// hands the rest to the next message (the function times out at 30 s).
const BACKGROUND_BUDGET: Duration = Duration::from_secs(15);

/// The queue's `maxReceiveCount` (template.yaml): a failure on this receive
/// would send the record to the dead-letter queue.
pub const MAX_RECEIVES: u32 = 5;

/// How long a record that failed on its last receive waits before it is tried again.
const LAST_RECEIVE_PAUSE_SECONDS: u32 = 300;

/// A queue record as received.
pub struct Received<'a> {
    pub id: &'a str,
    pub body: Option<&'a str>,
    /// How many times the queue has brought it (1 the first time).
    pub receives: u32,
}

/// What the queue does with a record.
#[derive(Debug, PartialEq, Eq)]
pub enum Routed {
    /// Done with (handled, dropped, or queued again as a new message).
    Done,
    /// Brought back by the queue.
    Redeliver,
}

/// Handles one record.
pub async fn route(app: &App, record: Received<'_>) -> Routed {
    let id = record.id;
    // A malformed record is dropped, not retried: it would never parse.
    let message = match record.body.map(QueueMessage::from_json) {
        Some(Ok(message)) => message,
        Some(Err(err)) => {
            tracing::warn!(message_id = %id, error = %err, "dropped a malformed record");
            return Routed::Done;
        }
        None => {
            tracing::warn!(message_id = %id, "dropped a record without a body");
            return Routed::Done;
        }
    };
    let err = match handle(app, &message, record.receives > 1).await {
        Ok(()) => return Routed::Done,
        Err(err) => err,
    };
    if record.receives < MAX_RECEIVES {
        tracing::error!(message_id = %id, error = %err, "will be retried by SQS");
        return Routed::Redeliver;
    }
    let again = Enqueue {
        message: message.resent(),
        delay_seconds: LAST_RECEIVE_PAUSE_SECONDS,
    };
    match app.queue.send(&[again]).await {
        Ok(()) => {
            tracing::error!(message_id = %id, error = %err, "failed on its last receive; queued again as a new message");
            Routed::Done
        }
        Err(queue) => {
            tracing::error!(message_id = %id, error = %err, queue = %queue, "failed on its last receive and could not be queued again: goes to the dead-letter queue (the sweeper still covers its delivery)");
            Routed::Redeliver
        }
    }
}

async fn handle(app: &App, message: &QueueMessage, repeated: bool) -> Result<(), DispatchError> {
    match message {
        QueueMessage::Deliver(delivery) => {
            if let Handled::Dropped(why) = handle_message(app, delivery, repeated).await? {
                tracing::debug!(delivery = %delivery.delivery_id, why, "nothing to do");
            }
            Ok(())
        }
        QueueMessage::Task(task) => run_task(app, task).await,
        QueueMessage::Wake(bucket) => wake::wake(app, bucket, BACKGROUND_BUDGET).await,
    }
}

/// Works the task step `message` is for, if it is still to be done, with
/// the use case of its kind.
async fn run_task(app: &App, message: &TaskMessage) -> Result<(), DispatchError> {
    let Some(task) = tasks::claim(app, message).await? else {
        return Ok(());
    };
    let step = match &task.kind {
        TaskKind::Fanout { event_id, due } => {
            fanout::expand_step(app, &task, *event_id, *due).await?
        }
        TaskKind::Replay(selection) => tasks::replay::step(app, &task, selection).await?,
        TaskKind::Purge {
            webhook_id,
            deleted_at,
        } => tasks::purge::step(app, &task, *webhook_id, *deleted_at).await?,
    };
    tasks::finish_step(app, &task, step).await
}
