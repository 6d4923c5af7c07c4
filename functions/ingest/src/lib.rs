//! Event ingest: `POST /v1/events` and `POST /v1/events/batch`, as an axum
//! router that `main.rs` hands to `lambda_http::run` and the local runner
//! serves.

pub mod batch;
pub mod events;
pub mod quota;
pub mod record;

use axum::routing::post;
use axum::Router;
use hookrelay::app::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/v1/events", post(events::create))
        .route("/v1/events/batch", post(batch::create))
}
