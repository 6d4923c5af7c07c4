//! The delivery log (queries, resend, recover and replay), a poll webhook's
//! feed (poll.rs), delivery stats and the audit log, as an axum router that
//! `main.rs` hands to `lambda_http::run` and the local runner serves.

pub mod audit;
pub mod deliveries;
pub mod poll;
pub mod replay;
pub mod stats;

use axum::routing::{get, post};
use axum::Router;
use hookrelay::app::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/v1/deliveries", get(deliveries::list))
        .route("/v1/deliveries/{id}", get(deliveries::get))
        .route("/v1/deliveries/{id}/retry", post(deliveries::retry))
        .route(
            "/v1/webhooks/{id}/deliveries",
            get(deliveries::list_for_webhook),
        )
        .route("/v1/webhooks/{id}/recover", post(deliveries::recover))
        .route("/v1/webhooks/{id}/replay", post(replay::replay))
        .route("/v1/webhooks/{id}/poll", get(poll::poll))
        .route("/v1/stats", get(stats::account))
        .route("/v1/webhooks/{id}/stats", get(stats::webhook))
        .route("/v1/audit", get(audit::list))
}
