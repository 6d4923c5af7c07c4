//! The seed envelope: `{"success": true, "code": 200, ...}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};

/// A successful answer: `data`'s fields after `success` and `code`.
pub struct Reply<T> {
    status: StatusCode,
    data: T,
}

impl<T> Reply<T> {
    pub fn ok(data: T) -> Self {
        Self {
            status: StatusCode::OK,
            data,
        }
    }

    pub fn created(data: T) -> Self {
        Self {
            status: StatusCode::CREATED,
            data,
        }
    }

    pub fn accepted(data: T) -> Self {
        Self {
            status: StatusCode::ACCEPTED,
            data,
        }
    }
}

/// `{"success": ..., "code": status}` followed by `fields`.
pub fn envelope(status: StatusCode, fields: Map<String, Value>) -> Response {
    let mut body = Map::with_capacity(fields.len() + 2);
    body.insert("success".into(), Value::Bool(status.is_success()));
    body.insert("code".into(), Value::from(status.as_u16()));
    // `success` and `code` belong to the envelope; a reply cannot replace them.
    body.extend(
        fields
            .into_iter()
            .filter(|(k, _)| k != "success" && k != "code"),
    );
    (status, Json(Value::Object(body))).into_response()
}

impl<T: Serialize> IntoResponse for Reply<T> {
    fn into_response(self) -> Response {
        match serde_json::to_value(self.data) {
            Ok(Value::Object(fields)) => envelope(self.status, fields),
            // Every reply type is a struct; anything else is a programming error.
            other => {
                tracing::error!(?other, "reply data is not a JSON object");
                envelope(StatusCode::INTERNAL_SERVER_ERROR, Map::new())
            }
        }
    }
}
