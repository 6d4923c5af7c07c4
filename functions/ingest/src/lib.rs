//! Event ingest: `POST /v1/events`, as an axum router that `main.rs` hands to
//! `lambda_http::run` and the local runner serves.

pub mod events;
pub mod quota;

use axum::routing::post;
use axum::Router;
use hookrelay::app::App;

pub fn routes() -> Router<App> {
    Router::new().route("/v1/events", post(events::create))
}
