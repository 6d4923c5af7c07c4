//! Body shapes (`hookrelay::domain::transform`): trying one on an example,
//! and the check a webhook's template passes before it is stored:
//!
//! | route | handler |
//! |---|---|
//! | POST /v1/transforms/preview | [`preview`] |
//!
//! A preview changes nothing, so a `read` key (or a read-only console link)
//! may call it (`http::auth::scope_needed`).

use crate::filters::event;
use hookrelay::app::App;
use hookrelay::domain::event::{Event, EventKind, JsonText};
use hookrelay::domain::event_type::EventType;
use hookrelay::domain::ids::{AccountId, DeliveryId, EventId};
use hookrelay::domain::transform::{Transform, TransformError};
use hookrelay::domain::webhook::EventPatterns;
use hookrelay::http::answers::{InvalidFieldsNamed, UnknownKey};
use hookrelay::http::body::{Fields, JsonObject};
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::ports::store::StoreError;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The fields `POST /v1/transforms/preview` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct TransformPreviewRequest {
    /// The shape to try, as a webhook's `transform`.
    #[schema(value_type = Object)]
    transform: Value,
    /// The event: `name.type`, or `{"name", "type"}`.
    #[schema(value_type = Object)]
    event: Value,
    /// Any JSON but null; default: the catalogue's example for the event, else `{}`.
    payload: Option<Value>,
    /// Any JSON but null (default `{}`).
    context: Option<Value>,
}
pub const PREVIEW_FIELDS: &[&str] = &["transform", "event", "payload", "context"];

/// The body a delivery of the example would send.
#[derive(Serialize, ToSchema)]
pub struct TransformPreview {
    #[schema(value_type = Object)]
    pub body: Value,
}

/// Any JSON but null.
fn json(value: &Value) -> Result<JsonText, String> {
    match value {
        Value::Null => Err("must be JSON other than null".into()),
        value => Ok(JsonText::from_value(value)),
    }
}

/// Preview a body shape
///
/// The body a delivery of the event would send with `transform` (as a webhook's: `"default"`,
/// `"settings"` or a template). `payload` defaults to the catalogue's example for the event.
/// Nothing is sent or stored.
///
/// Any scope may call it, and so may a read-only console link. A template that does not render
/// JSON is a 422 on `transform` naming its line.
#[utoipa::path(
    post, path = "/v1/transforms/preview", operation_id = "previewTransform", tag = "webhooks",
    request_body(content = TransformPreviewRequest, example = json!({
        "transform": "settings", "event": "order.paid",
        "payload": {"order_id": "A-1001", "total": 149.9, "currency": "EUR"},
    })),
    responses(
        (status = 200, description = "The body a delivery of this event would send (nothing is sent or stored)", body = TransformPreview),
        UnknownKey, InvalidFieldsNamed,
    )
)]
pub async fn preview(Scope(app, account): Scope, body: JsonObject) -> Answer<TransformPreview> {
    let mut fields = Fields::new(body, PREVIEW_FIELDS);
    let transform = fields.required("transform", |v| {
        Transform::parse(v).map_err(|e| e.to_string())
    });
    let kind = fields.required("event", event);
    let payload = fields.optional("payload", json);
    let context = fields.optional("context", json);
    let (transform, kind) = fields.done(transform.zip(kind))?;
    let payload = match payload {
        Some(payload) => payload,
        None => example_of(&app, account, &kind).await?,
    };
    let sample = sample(&app, account, kind, payload, context);
    let body =
        render(&transform, &sample).map_err(|e| ApiError::invalid("transform", e.to_string()))?;
    Ok(Reply::ok(TransformPreview { body }))
}

/// The catalogue's example for `kind`, else `{}`.
async fn example_of(
    app: &App,
    account: AccountId,
    kind: &EventKind,
) -> Result<JsonText, StoreError> {
    let entry = app.store.get_event_type(account, kind).await?;
    Ok(entry
        .and_then(|e| e.example)
        .map_or_else(empty, |example| example.text().clone()))
}

fn empty() -> JsonText {
    JsonText::from_value(&Value::Object(Default::default()))
}

/// An event as ingest would record it now, for trying a shape on.
fn sample(
    app: &App,
    account: AccountId,
    kind: EventKind,
    payload: JsonText,
    context: Option<JsonText>,
) -> Event {
    let now = app.clock.now();
    let id = EventId::generate(now, &*app.random);
    let context = context.unwrap_or_else(empty);
    Event::new(
        id,
        account,
        kind,
        payload,
        context,
        now,
        app.settings.retention_days,
    )
}

fn render(transform: &Transform, sample: &Event) -> Result<Value, TransformError> {
    let body = transform.render(sample, DeliveryId::derive(sample.id, None))?;
    serde_json::from_slice(&body).map_err(|e| TransformError::new(e.to_string()))
}

/// How many catalogue entries a template is tried on before it is stored.
const TRIED_ON: usize = 100;

/// Whether `transform` renders JSON for the example of each catalogued
/// event type `events` subscribes to (the first `TRIED_ON`): the first
/// failure, naming the example. With no example, it is run on an empty
/// payload, which only the template's own text can fail (an error from
/// the missing data is the example's to find).
pub(crate) async fn check_on_examples(
    app: &App,
    account: AccountId,
    events: &EventPatterns,
    transform: &Transform,
) -> Result<Result<(), String>, StoreError> {
    if !matches!(transform, Transform::Template(_)) {
        return Ok(Ok(()));
    }
    let catalogue = app.store.list_event_types(account, None, TRIED_ON).await?;
    let examples: Vec<(EventKind, JsonText)> = catalogue
        .items
        .into_iter()
        .filter(|t| events.matches(t.event.name.as_str(), t.event.kind.as_str()))
        .filter_map(|EventType { event, example, .. }| Some((event, example?.text().clone())))
        .collect();
    if examples.is_empty() {
        let Some(kind) = EventKind::parse_dotted("example.event") else {
            return Ok(Ok(()));
        };
        return Ok(
            match render(transform, &sample(app, account, kind, empty(), None)) {
                Err(error) if !error.in_run => Err(format!("{error} (rendering an empty payload)")),
                _ => Ok(()),
            },
        );
    }
    for (kind, payload) in examples {
        let name = kind.dotted();
        if let Err(error) = render(transform, &sample(app, account, kind, payload, None)) {
            return Ok(Err(format!("{error} (rendering the example of {name})")));
        }
    }
    Ok(Ok(()))
}
