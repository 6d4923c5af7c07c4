//! Lambda entry point: build the ports once, then serve API Gateway requests.

use hookrelay::app::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    hookrelay::telemetry::init_lambda();
    let app = App::for_lambda().await?;
    lambda_http::run(hookrelay_config_api::lambda_router(app)).await
}
