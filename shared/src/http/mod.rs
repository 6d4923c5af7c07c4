//! What every HTTP function shares: the response envelope, the one mapping of
//! errors to it, request body and query parsing, API-key auth (and the
//! `Scope` most handlers take), how much a list page may show, the answers
//! several operations document alike, and the Lambda entry point's router.

pub mod answers;
pub mod auth;
pub mod body;
pub mod envelope;
pub mod error;
pub mod field;
pub mod page_size;
pub mod query;
pub mod scope;

pub use envelope::Reply;
pub use error::ApiError;

use crate::app::{App, StartError};

/// What a handler returns: a reply in the envelope, or an error in it.
pub type Answer<T> = Result<Reply<T>, ApiError>;

/// Answers for paths and methods no route serves, in the envelope.
pub fn with_fallbacks(router: axum::Router) -> axum::Router {
    router
        .fallback(|uri: axum::http::Uri| async move {
            ApiError::NoRoute(format!("no route for {}", uri.path()))
        })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}

/// What an HTTP function's Lambda entry point serves: `routes` on ports
/// built once for the deployment, with the fallbacks.
pub async fn lambda_router(routes: axum::Router<App>) -> Result<axum::Router, StartError> {
    crate::telemetry::init_lambda();
    let app = App::for_lambda().await?;
    Ok(with_fallbacks(routes.with_state(app)))
}
