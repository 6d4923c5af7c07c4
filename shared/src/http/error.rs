//! API errors, mapped once to the envelope `{"success": false, "code", "message", "errors"}`.

use crate::domain::api_key::Scope;
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::http::envelope::envelope;
use crate::http::field::FieldError;
use crate::ports::queue::QueueError;
use crate::ports::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Map};
use utoipa::ToSchema;

/// Every error answer: `code` equals the HTTP status; `errors` names each bad
/// field or parameter (422).
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub success: bool,
    pub code: u16,
    pub message: String,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("a valid API key is required: send `Authorization: Bearer KEY`, or HTTP Basic auth with the key as user name and an empty password")]
    Unauthorized,
    #[error(
        "this API key expired at {0}: make a new one with a full-scope key (POST /v1/api-keys)"
    )]
    KeyExpired(Timestamp),
    /// The credential is valid but may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// An API key whose scope does not cover the route.
    #[error("this API key's scope is `{scope}`; this route needs `{needed}`{}", if *.needed == Scope::Full { "" } else { " (or `full`)" })]
    OutOfScope { scope: Scope, needed: Scope },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    NoRoute(String),
    #[error("method not allowed on this path")]
    MethodNotAllowed,
    #[error("the {0} exists already")]
    Exists(&'static str),
    #[error("the {0} changed while this request was processed; try again")]
    Conflict(&'static str),
    /// What the resource's state does not allow; the message says why.
    #[error("{0}")]
    Refused(&'static str),
    /// A value that is valid but taken (an Idempotency-Key bound to another body).
    #[error("{}", describe_invalid(std::slice::from_ref(.0)))]
    Taken(FieldError),
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("{}", describe_invalid(.0))]
    Invalid(Vec<FieldError>),
    /// Over a quota: nothing was done; the same request may be sent again
    /// after `retry_after` seconds (the `Retry-After` header).
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    #[error("storage is unavailable; try again shortly")]
    Unavailable(#[source] StoreError),
    /// Stored secrets cannot be opened (`StoreError::KeyUnavailable`).
    #[error("the key that protects stored secrets is unavailable; try again shortly")]
    KeyUnavailable(#[source] StoreError),
    #[error("the delivery queue is unavailable; try again shortly")]
    QueueUnavailable(#[source] QueueError),
}

fn describe_invalid(errors: &[FieldError]) -> String {
    match errors {
        [one] if one.field.is_empty() => one.message.clone(),
        [one] => format!("invalid `{}`: {}", one.field, one.message),
        many => {
            let names: Vec<&str> = many.iter().map(|e| e.field.as_str()).collect();
            format!("invalid fields: {}", names.join(", "))
        }
    }
}

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::KeyExpired(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::OutOfScope { .. } => StatusCode::FORBIDDEN,
            Self::NotFound(_) | Self::NoRoute(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) | Self::Exists(_) | Self::Taken(_) | Self::Refused(_) => {
                StatusCode::CONFLICT
            }
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) | Self::KeyUnavailable(_) | Self::QueueUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
    }

    /// The fields `errors` names: each bad one (422), the one taken (409).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => errors,
            Self::Taken(error) => std::slice::from_ref(error),
            _ => &[],
        }
    }

    /// Logs what the caller is not told: the cause of a 503.
    pub fn log_cause(&self) {
        match self {
            Self::Unavailable(source) => tracing::error!(error = %source, "store unavailable"),
            Self::KeyUnavailable(source) => {
                tracing::error!(error = %source, "key ring unavailable")
            }
            Self::QueueUnavailable(source) => tracing::error!(error = %source, "queue unavailable"),
            _ => {}
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict => Self::Conflict("resource"),
            StoreError::TooBroad { field, message } => Self::invalid(field, message),
            locked @ StoreError::KeyUnavailable(_) => Self::KeyUnavailable(locked),
            unavailable => Self::Unavailable(unavailable),
        }
    }
}

impl From<QueueError> for ApiError {
    fn from(err: QueueError) -> Self {
        Self::QueueUnavailable(err)
    }
}

impl From<DispatchError> for ApiError {
    fn from(err: DispatchError) -> Self {
        match err {
            DispatchError::Store(err) => err.into(),
            DispatchError::Queue(err) => err.into(),
            // Logged and answered as the store failing: the caller can do nothing about it.
            DispatchError::Corrupt(what) => StoreError::Unavailable(what).into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        self.log_cause();
        let errors = json!(self.field_errors());
        let mut fields = Map::new();
        fields.insert("message".into(), json!(self.to_string()));
        fields.insert("errors".into(), errors);
        let mut response = envelope(status, fields);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"hookrelay\""),
            );
        }
        if let Self::TooManyRequests { retry_after, .. } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_key_that_is_unavailable_is_a_503_that_says_so_and_no_more() {
        let cause = "KMS: AccessDeniedException for arn:aws:kms:eu-west-1:1:key/abc";
        let error = ApiError::from(StoreError::KeyUnavailable(cause.into()));
        assert_eq!(error.status(), StatusCode::SERVICE_UNAVAILABLE);
        let response = error.into_response();
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            (&body["success"], &body["code"], &body["errors"]),
            (&json!(false), &json!(503), &json!([]))
        );
        assert!(!body.to_string().contains("arn:aws:kms"), "{body}");
    }
}
