//! What every HTTP function shares: the response envelope, the one mapping of
//! errors to it, request body and query parsing, API-key auth, and how much
//! a list page may show.

pub mod auth;
pub mod body;
pub mod envelope;
pub mod error;
pub mod field;
pub mod page_size;
pub mod query;

pub use envelope::Reply;
pub use error::ApiError;

/// Answers for paths and methods no route serves, in the envelope.
pub fn with_fallbacks(router: axum::Router) -> axum::Router {
    router
        .fallback(|uri: axum::http::Uri| async move {
            ApiError::NoRoute(format!("no route for {}", uri.path()))
        })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}
