//! The delivery function: an SQS batch in, each record handled on its own and
//! concurrently; only infrastructure failures go back as `batchItemFailures`,
//! so SQS redelivers exactly those.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use futures::future::join_all;
use hookrelay::app::App;
use hookrelay::dispatch::{handle_message, Handled};
use hookrelay::ports::queue::QueueMessage;
use hookrelay::purge::purge_deliveries;
use std::time::Duration;

/// How long one invocation spends deleting a webhook's deliveries before it
/// hands the rest to the next message (the function times out at 30 s).
const PURGE_BUDGET: Duration = Duration::from_secs(15);

/// Handles one SQS batch (up to 10 records).
pub async fn handle_batch(app: &App, event: SqsEvent) -> SqsBatchResponse {
    let outcomes = join_all(event.records.into_iter().map(|record| async move {
        let id = record.message_id.unwrap_or_default();
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
        let handled = match &message {
            QueueMessage::Deliver(delivery) => handle_message(app, delivery).await.map(|handled| {
                if let Handled::Dropped(why) = handled {
                    tracing::debug!(delivery = %delivery.delivery_id, why, "nothing to do");
                }
            }),
            QueueMessage::Purge(purge) => {
                purge_deliveries(app, purge.account_id, purge.purge_webhook_id, PURGE_BUDGET).await
            }
        };
        match handled {
            Ok(()) => None,
            Err(err) => {
                tracing::error!(message_id = %id, error = %err, "will be retried by SQS");
                Some(id)
            }
        }
    }))
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
