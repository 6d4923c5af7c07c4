//! `POST /v1/events`: validate, count it against the ingest quota, and
//! record it (`record`: the Idempotency-Key, the event and its fan-out);
//! answer 202. A batch's events are parsed here too (`parse`).

use crate::quota::QuotaRefused;
use crate::record::{key_text, record, IdempotencyKey, KEY_RULE};
use axum::body::Bytes;
use axum::http::HeaderMap;
use hookrelay::app::App;
use hookrelay::domain::event::{EventKind, EventPart, JsonText, RESERVED_EVENT_NAME};
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::http::answers::{InvalidFieldsNamed, UnknownKey};
use hookrelay::http::body::{read, Fields, RawJsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::field::FieldError;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::pipeline::contract;
use hookrelay::pipeline::fanout::Subscribers;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The fields `POST /v1/events` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct EventRequest {
    /// What the event is about, e.g. `user` (1–64 letters, digits, `_`, `-`);
    /// `webhook` is reserved for hookrelay's own events.
    #[schema(pattern = "^(?!webhook$)[A-Za-z0-9_-]{1,64}$")]
    name: String,
    /// What happened to it, e.g. `created`.
    #[schema(rename = "type", pattern = "^[A-Za-z0-9_-]{1,64}$")]
    kind: String,
    /// Any JSON but null; sent as `payload`.
    payload: Value,
    /// Any JSON but null; sent as `context` (default `{}`).
    context: Option<Value>,
    /// Seconds to wait before the first attempt: 0–604800.
    #[schema(maximum = 604800)]
    delay: Option<u32>,
    /// Send to this one URL instead of the subscribed webhooks.
    webhook: Option<AdHocTarget>,
}
pub const EVENT_FIELDS: &[&str] = &["name", "type", "payload", "context", "delay", "webhook"];

#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct AdHocTarget {
    /// As a webhook's `url`.
    url: String,
    /// Overrides the event's `delay`: 0–604800 seconds.
    #[schema(maximum = 604800)]
    delay: Option<u32>,
}

/// The 202 answer (stored whole for idempotent replays).
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct Accepted {
    /// The event's id.
    pub id: String,
    /// The delivery ids, when the fan-out was expanded inline; absent when it
    /// continues through the queue (GET /v1/deliveries?event_id= lists them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliveries: Option<Vec<String>>,
}

pub const MAX_DELAY_SECONDS: u64 = 604_800;
const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// A batch event's own Idempotency-Key.
pub const KEY_FIELD: &str = "idempotency_key";

/// An event that parsed, ready to be recorded.
pub struct Parsed {
    pub kind: EventKind,
    pub payload: JsonText,
    pub context: JsonText,
    pub delay: u64,
    pub ad_hoc: Option<WebhookUrl>,
    pub key: Option<IdempotencyKey>,
    /// The event's text as sent: what its Idempotency-Key is bound to.
    pub bytes: Bytes,
}

/// Where a request gives an event's Idempotency-Key.
pub enum KeyIn {
    /// The `Idempotency-Key` header (`POST /v1/events`), read already.
    Header(Option<String>),
    /// The event's own `idempotency_key` field (each event of a batch).
    Field,
}

/// An ad-hoc `webhook`: `{url, delay}`.
fn ad_hoc_target(value: &Value) -> Result<(WebhookUrl, Option<u64>), String> {
    let target = value
        .as_object()
        .ok_or("must be an object with `url` and optional `delay`")?;
    if let Some(unknown) = target
        .keys()
        .find(|k| !["url", "delay"].contains(&k.as_str()))
    {
        return Err(format!("has an unknown field `{unknown}`"));
    }
    let url = target.get("url").ok_or("needs a `url`")?;
    let url = WebhookUrl::parse(read::string(url)?).map_err(|m| format!("url {m}"))?;
    let delay = target
        .get("delay")
        .filter(|d| !d.is_null())
        .map(|d| read::whole_number(d, 0, MAX_DELAY_SECONDS).map_err(|m| format!("delay {m}")))
        .transpose()?;
    Ok((url, delay))
}

/// One event of `account`'s as `POST /v1/events` takes it (and, with
/// `KeyIn::Field`, a batch's event with its `idempotency_key`); 422 naming
/// each bad field, and each place its payload breaks an enforced schema.
pub async fn parse(
    app: &App,
    account: AccountId,
    body: RawJsonObject,
    key: KeyIn,
) -> Result<Parsed, ApiError> {
    let RawJsonObject { object, raw, bytes } = body;
    // Payload and context are kept as sent, byte for byte.
    let as_sent = |field: &str| {
        raw.get(field)
            .map(|text| JsonText::parse(text.get()))
            .unwrap_or_else(|| Err("is missing".into()))
    };
    let known = match key {
        KeyIn::Header(_) => EVENT_FIELDS.to_vec(),
        KeyIn::Field => [EVENT_FIELDS, &[KEY_FIELD]].concat(),
    };
    let mut fields = Fields::new(object, &known);
    let name = fields.required("name", |v| EventPart::parse(read::string(v)?));
    let kind = fields.required("type", |v| EventPart::parse(read::string(v)?));
    let payload = fields.required("payload", |_| as_sent("payload"));
    let context = fields.optional("context", |_| as_sent("context"));
    let delay = fields.optional("delay", |v| read::whole_number(v, 0, MAX_DELAY_SECONDS));
    let target = fields.optional("webhook", ad_hoc_target);
    let key = match key {
        KeyIn::Header(key) => key.map(|text| (text, IDEMPOTENCY_HEADER)),
        KeyIn::Field => fields
            .optional(KEY_FIELD, |v| key_text(read::string(v)?))
            .map(|text| (text, KEY_FIELD)),
    };
    if let Some((url, _)) = &target {
        if let Err(message) = app.settings.check_target(url, &*app.resolver).await {
            fields.error("webhook.url", message);
        }
    }
    if name
        .as_ref()
        .is_some_and(|n| n.as_str() == RESERVED_EVENT_NAME)
    {
        fields.error(
            "name",
            "`webhook` is reserved for hookrelay's own events (webhook.test, webhook.failing, webhook.disabled)",
        );
    }
    let ((name, kind), payload) = fields.done(name.zip(kind).zip(payload))?;
    let kind = EventKind { name, kind };
    keeps_contract(app, account, &kind, &payload).await?;
    let (ad_hoc, own_delay) = target.map_or((None, None), |(url, d)| (Some(url), d));
    Ok(Parsed {
        kind,
        payload,
        context: context
            .unwrap_or_else(|| JsonText::from_value(&Value::Object(Default::default()))),
        delay: own_delay.or(delay).unwrap_or(0),
        ad_hoc,
        key: key.map(|(text, field)| IdempotencyKey { text, field }),
        bytes,
    })
}

/// 422 naming the JSON pointer of each place (`payload/...`) where the
/// payload breaks the schema its event type enforces.
async fn keeps_contract(
    app: &App,
    account: AccountId,
    kind: &EventKind,
    payload: &JsonText,
) -> Result<(), ApiError> {
    let (found, count) = contract::broken(app, account, kind, payload).await?;
    if count == 0 {
        return Ok(());
    }
    let mut errors: Vec<FieldError> = found
        .into_iter()
        .map(|v| FieldError::new(format!("payload{}", v.pointer), v.message))
        .collect();
    if count > errors.len() {
        let more = count - errors.len();
        let message = format!("and {more} more places break the schema");
        errors.push(FieldError::new("payload", message));
    }
    Err(ApiError::Invalid(errors))
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| KEY_RULE.to_owned());
    text.and_then(key_text)
        .map(Some)
        .map_err(|message| ApiError::invalid(IDEMPOTENCY_HEADER, message))
}

/// Send an event
///
/// Records the event and fans it out to every enabled webhook subscribed to it (or only to the
/// ad-hoc `webhook.url`), then answers 202 with the event's `id` and its `deliveries`: each
/// will be made. `delay` holds the first attempt back for up to a week. The same
/// `Idempotency-Key` within 24 h answers the first result again and records nothing new.
///
/// Needs an `ingest` or `full` key. 409 for an idempotency key in use or used with another
/// body, 413 over 256 KiB, 422 names each invalid field (and each JSON pointer where the event
/// type enforces its schema), 429 past the account's ingest quota (send it again after
/// `Retry-After`).
#[utoipa::path(
    post, path = "/v1/events", operation_id = "createEvent", tag = "events",
    request_body(content = EventRequest, example = json!({
        "name": "order", "type": "paid",
        "payload": {"order_id": "A-1001", "total": 149.9, "currency": "EUR"},
        "context": {"source": "checkout"},
    })),
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters: the same key and body within 24 h return the first answer and create nothing new; the same key with another body is a 409")),
    responses(
        (status = 202, description = "The event and its fan-out are recorded; `deliveries` lists the delivery ids when the fan-out was expanded inline (the account's enabled webhooks fit in one page of 100), and is absent when it continues through the queue (list them with GET /v1/deliveries?event_id=)", body = Accepted),
        (status = 409, description = "A request with this Idempotency-Key is still being processed, or the key was used with another body within 24 h (`errors` names it)", body = ErrorBody),
        (status = 413, description = "The body is over 256 KiB", body = ErrorBody),
        UnknownKey, InvalidFieldsNamed, QuotaRefused,
    )
)]
pub async fn create(
    Scope(app, account): Scope,
    headers: HeaderMap,
    body: RawJsonObject,
) -> Answer<Accepted> {
    let key = idempotency_key(&headers)?;
    let parsed = parse(&app, account, body, KeyIn::Header(key)).await?;
    crate::quota::admit(&app, account, 1).await?;
    let accepted = record(&app, account, parsed, &Subscribers::default()).await?;
    Ok(Reply::accepted(accepted))
}
