//! The delivery function: an SQS batch in, each record handled on its own and
//! concurrently; only infrastructure failures go back as `batchItemFailures`,
//! so SQS redelivers exactly those. A record on its last receive is not left
//! to the dead-letter queue: it is queued again as a new message, after a
//! pause, so what it stands for is never silently parked.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use futures::future::join_all;
use hookrelay::app::App;
use hookrelay::dispatch::{handle_message, Handled};
use hookrelay::errors::DispatchError;
use hookrelay::ports::queue::{Enqueue, QueueMessage};
use hookrelay::tasks;
use hookrelay::waits;
use std::time::Duration;

/// How long one invocation spends waking a bucket's deliveries before it
/// hands the rest to the next message (the function times out at 30 s).
const BACKGROUND_BUDGET: Duration = Duration::from_secs(15);

/// The queue's `maxReceiveCount` (template.yaml): a failure on this receive
/// would send the record to the dead-letter queue.
pub const MAX_RECEIVES: u32 = 5;

/// How long a record that failed on its last receive waits before it is tried again.
const LAST_RECEIVE_PAUSE_SECONDS: u32 = 300;

/// Handles one SQS batch (up to 10 records).
pub async fn handle_batch(app: &App, event: SqsEvent) -> SqsBatchResponse {
    let outcomes = join_all(
        event
            .records
            .into_iter()
            .map(|record| handle_record(app, record)),
    )
    .await;
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = outcomes
        .into_iter()
        .flatten()
        .map(|id| {
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = id;
            failure
        })
        .collect();
    response
}

/// `None` when the record is done with; its id when SQS must bring it back.
async fn handle_record(app: &App, record: SqsMessage) -> Option<String> {
    let id = record.message_id.unwrap_or_default();
    let receives: u32 = record
        .attributes
        .get("ApproximateReceiveCount")
        .and_then(|count| count.parse().ok())
        .unwrap_or(1);
    // A malformed record is dropped, not retried: it would never parse.
    let message = match record.body.as_deref().map(QueueMessage::from_json) {
        Some(Ok(message)) => message,
        Some(Err(err)) => {
            tracing::warn!(message_id = %id, error = %err, "dropped a malformed record");
            return None;
        }
        None => {
            tracing::warn!(message_id = %id, "dropped a record without a body");
            return None;
        }
    };
    let err = match handle(app, &message, receives > 1).await {
        Ok(()) => return None,
        Err(err) => err,
    };
    if receives < MAX_RECEIVES {
        tracing::error!(message_id = %id, error = %err, "will be retried by SQS");
        return Some(id);
    }
    let again = Enqueue {
        message: message.resent(),
        delay_seconds: LAST_RECEIVE_PAUSE_SECONDS,
    };
    match app.queue.send(&[again]).await {
        Ok(()) => {
            tracing::error!(message_id = %id, error = %err, "failed on its last receive; queued again as a new message");
            None
        }
        Err(queue) => {
            tracing::error!(message_id = %id, error = %err, queue = %queue, "failed on its last receive and could not be queued again: goes to the dead-letter queue (the sweeper still covers its delivery)");
            Some(id)
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
        QueueMessage::Task(task) => tasks::run(app, task).await,
        QueueMessage::Wake(wake) => waits::wake(app, wake, BACKGROUND_BUDGET).await,
    }
}
