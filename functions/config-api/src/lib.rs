//! The config API: accounts and their API keys, webhook CRUD and secret rotation, as an axum
//! router that `main.rs` hands to `lambda_http::run` and the local runner serves.

pub mod accounts;
pub mod api_keys;
pub mod branding;
pub mod console;
pub mod console_links;
pub mod event_types;
pub mod filters;
pub mod openapi;
pub mod signed_caller;
pub mod transforms;
pub mod webhooks;

use axum::routing::{get, post};
use axum::Router;
use hookrelay::app::App;

/// What the Lambda function serves: every route, the envelope's fallbacks,
/// and the caller API Gateway's IAM authoriser verified (`signed_caller`).
pub fn lambda_router(app: App) -> Router {
    hookrelay::http::with_fallbacks(routes().with_state(app)).layer(axum::middleware::from_fn(
        signed_caller::from_request_context,
    ))
}

/// Every route of this function (DESIGN.md §2), before state is applied, so
/// the local runner can merge them with the other functions' routes.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/v1/accounts", post(accounts::create))
        .route(
            "/v1/account",
            get(accounts::current).patch(accounts::update),
        )
        .route("/v1/api-keys", post(api_keys::create).get(api_keys::list))
        .route("/v1/api-keys/{id}", axum::routing::delete(api_keys::revoke))
        .route(
            "/v1/console-links",
            post(console_links::create).get(console_links::list),
        )
        .route(
            "/v1/console-links/{id}",
            axum::routing::delete(console_links::revoke),
        )
        .route(
            "/v1/event-types",
            post(event_types::create).get(event_types::list),
        )
        .route(
            "/v1/event-types/{event}",
            get(event_types::get)
                .patch(event_types::update)
                .delete(event_types::delete),
        )
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
        .route("/v1/webhooks/{id}/test", post(webhooks::send_test))
        .route("/v1/filters/test", post(filters::test))
        .route("/v1/transforms/preview", post(transforms::preview))
        .route("/v1/openapi.json", get(openapi::document))
        .route("/console", get(console::index))
        .route("/console/{file}", get(console::file))
}
