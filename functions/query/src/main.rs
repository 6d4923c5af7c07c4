//! Lambda entry point: build the ports once, then serve API Gateway requests.

use hookrelay::app::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    hookrelay::telemetry::init_lambda();
    let app = App::for_lambda().await?;
    lambda_http::run(hookrelay::http::with_fallbacks(
        hookrelay_query::routes().with_state(app),
    ))
    .await
}
