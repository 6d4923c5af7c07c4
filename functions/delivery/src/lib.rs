//! The delivery function: an SQS batch in, each record handled on its own and
//! concurrently by the queue message router (`hookrelay::pipeline::router`);
//! only the records it wants back go back as `batchItemFailures`, so SQS
//! redelivers exactly those.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use futures::future::join_all;
use hookrelay::app::App;
use hookrelay::pipeline::router::{route, Received, Routed};

pub use hookrelay::pipeline::router::MAX_RECEIVES;

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
    let received = Received {
        id: &id,
        body: record.body.as_deref(),
        receives,
    };
    match route(app, received).await {
        Routed::Done => None,
        Routed::Redeliver => Some(id),
    }
}
