//! `POST /v1/events/batch`: up to 100 events in one request, each parsed
//! and recorded as `POST /v1/events` does it alone (`events::parse`,
//! `record::record`), and answered in order; one that is refused does not
//! stop the others. The batch counts its events against the ingest quota
//! in one step (all or none) and reads the account's webhooks once.

use crate::events::{parse, Accepted, KeyIn, Parsed};
use crate::quota::QuotaRefused;
use crate::record::record;
use axum::body::Bytes;
use futures::stream::{self, StreamExt};
use hookrelay::app::App;
use hookrelay::domain::ids::AccountId;
use hookrelay::http::answers::{InvalidFieldsNamed, UnknownKey};
use hookrelay::http::body::{Fields, RawJsonObject, MAX_BODY_BYTES};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::field::FieldError;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::pipeline::fanout::Subscribers;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;

/// The most events one batch holds.
pub const MAX_EVENTS: usize = 100;
/// The largest batch body (1 MiB); each event in it is still at most
/// `MAX_BODY_BYTES` (256 KiB), as alone.
pub const MAX_BATCH_BYTES: usize = 1024 * 1024;
/// Events of a batch parsed or recorded at once: about the store and queue
/// calls of ten requests in flight, so a batch of 100 takes ten rounds.
const IN_FLIGHT: usize = 10;

/// The fields `POST /v1/events/batch` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct BatchRequest {
    /// 1–100 events, each as `POST /v1/events` takes its body, with an
    /// optional `idempotency_key` (`BatchEvent`). Each is answered in
    /// `results`: one that is not valid is refused there, alone.
    #[schema(min_items = 1, max_items = 100)]
    events: Vec<Value>,
}
pub const BATCH_FIELDS: &[&str] = &["events"];

/// The 200 answer: each event's outcome.
#[derive(Serialize, ToSchema)]
pub struct BatchAccepted {
    /// One per event, in the order sent.
    pub results: Vec<EventResult>,
}

/// One event's outcome.
#[derive(Serialize, ToSchema)]
pub struct EventResult {
    /// 202 when the event and its fan-out are recorded; else what
    /// `POST /v1/events` would answer for it alone, and it was not recorded:
    /// 422 (`errors` names each bad field, as `events[3].type`), 409 (its
    /// `idempotency_key` was used with another event, or is in use), 503 (the
    /// store or queue failed: send it again, with its key).
    pub code: u16,
    /// The event's id (202).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its delivery ids when the fan-out was expanded inline, as
    /// `POST /v1/events` answers them (202).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliveries: Option<Vec<String>>,
    /// Why it was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The fields refused, named within the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

impl EventResult {
    fn of(outcome: Result<Accepted, ApiError>) -> Self {
        match outcome {
            Ok(Accepted { id, deliveries }) => Self {
                code: 202,
                id: Some(id),
                deliveries,
                message: None,
                errors: None,
            },
            Err(refused) => {
                refused.log_cause();
                Self {
                    code: refused.status().as_u16(),
                    id: None,
                    deliveries: None,
                    message: Some(refused.to_string()),
                    errors: Some(refused.field_errors().to_vec()),
                }
            }
        }
    }
}

/// The batch's events as sent; 422 naming `events` unless 1–100 of them.
fn events_of(body: RawJsonObject<MAX_BATCH_BYTES>) -> Result<Vec<Box<RawValue>>, ApiError> {
    let RawJsonObject { object, raw, .. } = body;
    let mut fields = Fields::new(object, BATCH_FIELDS);
    let count = fields.required("events", |v| {
        v.as_array()
            .map(Vec::len)
            .filter(|n| (1..=MAX_EVENTS).contains(n))
            .ok_or_else(|| format!("must be an array of 1 to {MAX_EVENTS} events"))
    });
    fields.done(count)?;
    // `events` is an array, so its text reads as one.
    raw.get("events")
        .and_then(|text| serde_json::from_str(text.get()).ok())
        .ok_or_else(|| ApiError::invalid("events", "must be an array"))
}

/// One event of the batch, parsed as `POST /v1/events` parses its body
/// (and its `idempotency_key`); one over 256 KiB, or not an object, is a
/// 422 naming the event itself.
async fn parse_event(app: &App, account: AccountId, text: &RawValue) -> Result<Parsed, ApiError> {
    let size = text.get().len();
    if size > MAX_BODY_BYTES {
        let message = format!("is {size} bytes: one event may have at most {MAX_BODY_BYTES}");
        return Err(ApiError::invalid("", message));
    }
    let body = RawJsonObject::parse(Bytes::copy_from_slice(text.get().as_bytes()))
        .map_err(|_| ApiError::invalid("", "must be a JSON object"))?;
    parse(app, account, body, KeyIn::Field).await
}

/// `refused`'s fields named within the batch: `events[3].type`.
fn within(index: usize, refused: ApiError) -> ApiError {
    let name = |error: FieldError| FieldError {
        field: match error.field.as_str() {
            "" => format!("events[{index}]"),
            field => format!("events[{index}].{field}"),
        },
        ..error
    };
    match refused {
        ApiError::Invalid(errors) => ApiError::Invalid(errors.into_iter().map(name).collect()),
        ApiError::Taken(error) => ApiError::Taken(name(error)),
        other => other,
    }
}

/// Records the events that parsed, `IN_FLIGHT` at once, in two waves: an
/// `idempotency_key` given again in the batch waits for its first use, so
/// it finds that event's answer (or a conflict) as a later request would.
/// Each event's outcome, in order.
async fn record_all(
    app: &App,
    account: AccountId,
    parsed: Vec<Result<Parsed, ApiError>>,
) -> Vec<Result<Accepted, ApiError>> {
    let subscribers = &Subscribers::default();
    let mut outcomes = BTreeMap::new();
    let mut keys = HashSet::new();
    let mut waves: [Vec<(usize, Parsed)>; 2] = Default::default();
    for (index, event) in parsed.into_iter().enumerate() {
        match event {
            Err(refused) => {
                outcomes.insert(index, Err(refused));
            }
            Ok(event) => {
                let key = event.key.as_ref().map(|key| key.text.clone());
                let again = key.is_some_and(|key| !keys.insert(key));
                waves[usize::from(again)].push((index, event));
            }
        }
    }
    for wave in waves {
        let record_one = |(index, event): (usize, Parsed)| async move {
            (index, record(app, account, event, subscribers).await)
        };
        let recorded: Vec<_> = stream::iter(wave)
            .map(record_one)
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        outcomes.extend(recorded);
    }
    outcomes.into_values().collect()
}

/// Send a batch of events
///
/// 1–100 events in one request, each what `POST /v1/events` takes plus its own optional
/// `idempotency_key`. The answer is 200 with `results`, one per event in order: a 202 with its
/// `id` and `deliveries`, or the `code`, `message` and `errors` that event alone would get. A
/// bad event does not stop the others.
///
/// Needs an `ingest` or `full` key. 413 over 1 MiB, 422 when `events` is not a list of 1–100,
/// 429 when the batch's valid events do not all fit the ingest quota (nothing recorded).
#[utoipa::path(
    post, path = "/v1/events/batch", operation_id = "createEventBatch", tag = "events",
    request_body(content = BatchRequest, example = json!({"events": [
        {"name": "order", "type": "paid", "payload": {"order_id": "A-1001", "total": 149.9},
         "idempotency_key": "order-A-1001-paid"},
        {"name": "order", "type": "shipped", "payload": {"order_id": "A-1001", "carrier": "DHL"},
         "delay": 60},
    ]})),
    responses(
        (status = 200, description = "The batch was taken: `results` has each event's outcome in order, a 202 with its `id` (and `deliveries`, as `POST /v1/events` answers them) once the event and its fan-out are recorded, or the status and `errors` that event alone would get (it was not recorded; the others were)", body = BatchAccepted),
        (status = 413, description = "The body is over 1 MiB (an event over 256 KiB is refused in its result)", body = ErrorBody),
        UnknownKey, InvalidFieldsNamed, QuotaRefused,
    )
)]
pub async fn create(
    Scope(app, account): Scope,
    body: RawJsonObject<MAX_BATCH_BYTES>,
) -> Answer<BatchAccepted> {
    let app = &app;
    let parsed: Vec<_> = stream::iter(events_of(body)?)
        .map(|text| async move { parse_event(app, account, &text).await })
        .buffered(IN_FLIGHT)
        .collect()
        .await;
    let valid = parsed.iter().filter(|event| event.is_ok()).count();
    crate::quota::admit(app, account, u32::try_from(valid).unwrap_or(u32::MAX)).await?;
    let outcomes = record_all(app, account, parsed).await;
    let results = outcomes
        .into_iter()
        .enumerate()
        .map(|(index, outcome)| EventResult::of(outcome.map_err(|e| within(index, e))))
        .collect();
    Ok(Reply::ok(BatchAccepted { results }))
}
