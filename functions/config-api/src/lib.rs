//! The config API: accounts, webhook CRUD and secret rotation, as an axum
//! router that `main.rs` hands to `lambda_http::run` and the local runner serves.

pub mod accounts;
pub mod openapi;
pub mod webhooks;

use axum::routing::{get, post};
use axum::Router;
use hookrelay::app::App;
use hookrelay::http::ApiError;

/// Every route of this function (DESIGN.md §2), with its state applied.
pub fn router(app: App) -> Router {
    routes().with_state(app)
}

/// The routes before state is applied, so the local runner can merge them.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/v1/accounts", post(accounts::create))
        .route("/v1/webhooks", post(webhooks::create).get(webhooks::list))
        .route(
            "/v1/webhooks/{id}",
            get(webhooks::get)
                .patch(webhooks::update)
                .delete(webhooks::delete),
        )
        .route(
            "/v1/webhooks/{id}/secret/rotate",
            post(webhooks::rotate_secret),
        )
        .route("/v1/openapi.json", get(openapi::document))
}

/// Answers for paths and methods no route serves, in the envelope.
pub fn with_fallbacks(router: Router) -> Router {
    router
        .fallback(|uri: axum::http::Uri| async move {
            ApiError::NoRoute(format!("no route for {}", uri.path()))
        })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
