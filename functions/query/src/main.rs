//! Lambda entry point: build the ports once, then serve API Gateway requests.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let router = hookrelay::http::lambda_router(hookrelay_query::routes()).await?;
    lambda_http::run(router).await
}
