//! The delivery function: an SQS batch in, each record handled on its own and
//! concurrently; only infrastructure failures go back as `batchItemFailures`,
//! so SQS redelivers exactly those.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use futures::future::join_all;
use hookrelay::app::App;
use hookrelay::dispatch::{handle_message, Handled};
use hookrelay::ports::queue::DeliveryMessage;

/// Handles one SQS batch (up to 10 records).
pub async fn handle_batch(app: &App, event: SqsEvent) -> SqsBatchResponse {
    let outcomes = join_all(event.records.into_iter().map(|record| async move {
        let id = record.message_id.unwrap_or_default();
        // A malformed record is dropped, not retried: it would never parse.
        let message = match record.body.as_deref().map(DeliveryMessage::from_json) {
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
        match handle_message(app, &message).await {
            Ok(Handled::Dropped(why)) => {
                tracing::debug!(delivery = %message.delivery_id, why, "nothing to do");
                None
            }
            Ok(_) => None,
            Err(err) => {
                tracing::error!(delivery = %message.delivery_id, error = %err, "will be retried by SQS");
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
