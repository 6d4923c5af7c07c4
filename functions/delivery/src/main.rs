//! Lambda entry point: build the ports once, then handle SQS batches.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use hookrelay::app::App;
use lambda_runtime::{service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    hookrelay::telemetry::init_lambda();
    let app = App::for_lambda().await?;
    let app = &app;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let response = hookrelay_delivery::handle_batch(app, event.payload).await;
        // One write per webhook (and per hour of stats) for the whole batch.
        hookrelay::pipeline::attempt::after_batch(app).await;
        Ok::<SqsBatchResponse, Error>(response)
    }))
    .await
}
