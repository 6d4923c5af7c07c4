//! Lambda entry point: build the ports once, then sweep on each scheduled
//! invocation (an EventBridge rule, every 5 minutes in template.yaml).

use hookrelay::app::App;
use hookrelay::pipeline::sweep::sweep;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use std::time::Duration;

/// The function times out at 60 s; the sweep stops taking batches after this.
const BUDGET: Duration = Duration::from_secs(45);

#[tokio::main]
async fn main() -> Result<(), Error> {
    hookrelay::telemetry::init_lambda();
    let app = App::for_lambda().await?;
    let app = &app;
    lambda_runtime::run(service_fn(
        move |_: LambdaEvent<serde_json::Value>| async move {
            let swept = sweep(app, BUDGET).await?;
            Ok::<_, Error>(serde_json::json!({ "swept": swept }))
        },
    ))
    .await
}
