//! Payload filters (`hookrelay::domain::filter`): reading a webhook's
//! `filter` with each mistake named at its path, and trying one:
//!
//! | route | handler |
//! |---|---|
//! | POST /v1/filters/test | [`test`] |
//!
//! Trying a filter changes nothing, so a `read` key (or a read-only console
//! link) may (`http::auth::scope_needed`).

use hookrelay::domain::event::{EventKind, EventPart};
use hookrelay::domain::filter::{subject, Filter};
use hookrelay::http::answers::{InvalidFieldsNamed, UnknownKey};
use hookrelay::http::auth::Caller;
use hookrelay::http::body::{Fields, JsonObject};
use hookrelay::http::{Answer, Reply};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

/// The fields `POST /v1/filters/test` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct FilterTestRequest {
    /// The pattern to try, as a webhook's `filter`.
    #[schema(value_type = Object)]
    filter: Value,
    /// The event: `name.type`, or `{"name", "type"}`.
    #[schema(value_type = Object)]
    event: Value,
    /// Any JSON but null, as `POST /v1/events` takes it.
    payload: Value,
    /// Any JSON but null (default `{}`).
    context: Option<Value>,
}
pub const TEST_FIELDS: &[&str] = &["filter", "event", "payload", "context"];

/// Whether the filter matches the example.
#[derive(Serialize, ToSchema)]
pub struct FilterTested {
    /// true: a webhook with this filter would be sent this event.
    pub matches: bool,
}

/// `pattern` parsed, or each of its mistakes reported as `filter.PATH`.
pub(crate) fn parse_pattern(fields: &mut Fields, pattern: &Value) -> Option<Filter> {
    match Filter::parse(pattern) {
        Ok(filter) => Some(filter),
        Err(errors) => {
            for error in errors {
                fields.error(error.field("filter"), error.message);
            }
            None
        }
    }
}

/// A field taken as it is (any JSON).
fn any(value: &Value) -> Result<Value, String> {
    Ok(value.clone())
}

/// `name.type`, or `{"name": .., "type": ..}`.
pub(crate) fn event(value: &Value) -> Result<EventKind, String> {
    let hint = || r#"must be `name.type` or {"name": .., "type": ..}"#.to_owned();
    if let Some(dotted) = value.as_str() {
        return EventKind::parse_dotted(dotted).ok_or_else(hint);
    }
    let object = value
        .as_object()
        .filter(|o| o.len() == 2)
        .ok_or_else(hint)?;
    let part = |name: &str| {
        let text = object.get(name).and_then(Value::as_str).ok_or_else(hint)?;
        EventPart::parse(text).map_err(|m| format!("{name} {m}"))
    };
    Ok(EventKind {
        name: part("name")?,
        kind: part("type")?,
    })
}

/// Try a payload filter on an event
///
/// Whether `filter` (a webhook's EventBridge event pattern) matches the given event, `payload`
/// and `context`. Nothing is sent or stored.
///
/// Any scope may call it, and so may a read-only console link. 422 names each mistake of the
/// pattern by its path, e.g. `filter.payload.total.0.numeric`.
#[utoipa::path(
    post, path = "/v1/filters/test", operation_id = "testFilter", tag = "webhooks",
    request_body(content = FilterTestRequest, example = json!({
        "filter": {"payload": {"total": [{"numeric": [">=", 100]}], "currency": ["EUR", "USD"]}},
        "event": "order.paid",
        "payload": {"order_id": "A-1001", "total": 149.9, "currency": "EUR"},
    })),
    responses(
        (status = 200, description = "Whether the filter matches the event (nothing is sent or stored)", body = FilterTested),
        UnknownKey, InvalidFieldsNamed,
    )
)]
pub async fn test(_: Caller, body: JsonObject) -> Answer<FilterTested> {
    let mut fields = Fields::new(body, TEST_FIELDS);
    let pattern = fields.required("filter", any);
    let filter = pattern.and_then(|pattern| parse_pattern(&mut fields, &pattern));
    let kind = fields.required("event", event);
    let payload = fields.required("payload", any);
    let context = fields.optional("context", any).unwrap_or_else(|| json!({}));
    let (filter, (kind, payload)) = fields.done(filter.zip(kind.zip(payload)))?;
    Ok(Reply::ok(FilterTested {
        matches: filter.matches(&subject(&kind, payload, context)),
    }))
}
