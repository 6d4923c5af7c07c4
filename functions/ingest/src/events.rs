//! `POST /v1/events`: validate, claim the Idempotency-Key, record the event
//! and its fan-out (`hookrelay::pipeline::fanout`), and answer 202.

use axum::http::HeaderMap;
use hookrelay::app::App;
use hookrelay::domain::event::{Event, EventKind, EventPart, JsonText, RESERVED_EVENT_NAME};
use hookrelay::domain::idempotency::{Claimed, IdempotencyRecord};
use hookrelay::domain::ids::{AccountId, EventId};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::http::answers::{InvalidFieldsNamed, UnknownKey};
use hookrelay::http::body::{read, Fields, RawJsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::field::FieldError;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::pipeline::{contract, fanout};
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
const IDEMPOTENCY_HEADER: &str = "idempotency-key";

struct Parsed {
    kind: EventKind,
    payload: JsonText,
    context: JsonText,
    delay: u64,
    ad_hoc: Option<WebhookUrl>,
}

async fn parse(app: &App, body: RawJsonObject) -> Result<Parsed, ApiError> {
    let RawJsonObject { object, raw, .. } = body;
    // Payload and context are kept as sent, byte for byte.
    let as_sent = |field: &str| {
        raw.get(field)
            .map(|text| JsonText::parse(text.get()))
            .unwrap_or_else(|| Err("is missing".into()))
    };
    let mut fields = Fields::new(object, EVENT_FIELDS);
    let name = fields.required("name", |v| EventPart::parse(read::string(v)?));
    let kind = fields.required("type", |v| EventPart::parse(read::string(v)?));
    let payload = fields.required("payload", |_| as_sent("payload"));
    let context = fields.optional("context", |_| as_sent("context"));
    let delay = fields.optional("delay", |v| read::whole_number(v, 0, MAX_DELAY_SECONDS));
    let target = fields.optional("webhook", |v| {
        let target = v
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
    });
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
    let required = name.zip(kind).zip(payload);
    let ((name, kind), payload) = fields.done(required)?;
    let (ad_hoc, own_delay) = target.map_or((None, None), |(url, d)| (Some(url), d));
    Ok(Parsed {
        kind: EventKind { name, kind },
        payload,
        context: context
            .unwrap_or_else(|| JsonText::from_value(&Value::Object(Default::default()))),
        delay: own_delay.or(delay).unwrap_or(0),
        ad_hoc,
    })
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255);
    key.map(|k| Some(k.to_owned()))
        .ok_or_else(|| ApiError::invalid("Idempotency-Key", "must be 1 to 255 visible characters"))
}

/// What claiming an Idempotency-Key leaves this request to do.
enum Claim {
    /// The key is this request's.
    Fresh,
    /// The first request finished: answer as it did.
    Replay(Accepted),
    /// The first request died half-way: finish its event.
    Resume(IdempotencyRecord),
}

async fn claimed(app: &App, claim: &IdempotencyRecord, now: Timestamp) -> Result<Claim, ApiError> {
    let Some(before) = app.store.claim_idempotency(claim, now).await? else {
        return Ok(Claim::Fresh);
    };
    match claim.against(before, now) {
        Claimed::Answered(answer) => serde_json::from_str::<Accepted>(&answer)
            .map(Claim::Replay)
            .map_err(|_| ApiError::Conflict("event with this Idempotency-Key")),
        Claimed::InProgress => Err(ApiError::Conflict(
            "event with this Idempotency-Key (a request is still being processed)",
        )),
        Claimed::OtherBody => Err(ApiError::Taken(FieldError::new(
            "Idempotency-Key",
            "was used with a different body within 24 h",
        ))),
        Claimed::Resume(first) => Ok(Claim::Resume(first)),
    }
}

/// 422 naming the JSON pointer of each place (`payload/...`) where the
/// payload breaks the schema its event type enforces.
async fn keeps_contract(app: &App, account: AccountId, parsed: &Parsed) -> Result<(), ApiError> {
    let (found, count) = contract::broken(app, account, &parsed.kind, &parsed.payload).await?;
    if count == 0 {
        return Ok(());
    }
    let mut errors: Vec<FieldError> = found
        .into_iter()
        .map(|v| FieldError::new(format!("payload{}", v.pointer), v.message))
        .collect();
    if count > errors.len() {
        let more = count - errors.len();
        errors.push(FieldError::new(
            "payload",
            format!("and {more} more places break the schema"),
        ));
    }
    Err(ApiError::Invalid(errors))
}

#[utoipa::path(
    post, path = "/v1/events", tag = "events",
    request_body = EventRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters: the same key and body within 24 h return the first answer and create nothing new; the same key with another body is a 409")),
    responses(
        (status = 202, description = "The event and its fan-out are recorded; `deliveries` lists the delivery ids when the fan-out was expanded inline (the account's enabled webhooks fit in one page of 100), and is absent when it continues through the queue (list them with GET /v1/deliveries?event_id=)", body = Accepted),
        (status = 409, description = "A request with this Idempotency-Key is still being processed, or the key was used with another body within 24 h (`errors` names it)", body = ErrorBody),
        (status = 413, description = "The body is over 256 KiB", body = ErrorBody),
        UnknownKey, InvalidFieldsNamed,
        (status = 429, description = "The account's ingest quota (HOOKRELAY_INGEST_RATE events a second) is used up for this second: nothing was recorded; send the event again after `Retry-After` seconds", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait before sending the event again"))),
    )
)]
pub async fn create(
    Scope(app, account): Scope,
    headers: HeaderMap,
    body: RawJsonObject,
) -> Answer<Accepted> {
    let key = idempotency_key(&headers)?;
    let bytes = body.bytes.clone();
    let parsed = parse(&app, body).await?;
    keeps_contract(&app, account, &parsed).await?;
    crate::quota::admit(&app, account, 1).await?;
    let now = app.clock.now();
    let fresh = EventId::generate(now, &*app.random);
    let claim = key
        .as_deref()
        .map(|key| IdempotencyRecord::new(account, key, &bytes, fresh, now));
    let (event_id, created_at, resuming) = match &claim {
        None => (fresh, now, false),
        Some(claim) => match claimed(&app, claim, now).await? {
            Claim::Replay(first) => return Ok(Reply::accepted(first)),
            Claim::Fresh => (fresh, now, false),
            Claim::Resume(first) => (first.event_id, first.created_at, true),
        },
    };
    let event = Event::new(
        event_id,
        account,
        parsed.kind,
        parsed.payload,
        parsed.context,
        created_at,
        app.settings.retention_days,
    );
    let due = now.plus_seconds(i64::try_from(parsed.delay).unwrap_or(0));
    let ids = fanout::start(&app, &event, parsed.ad_hoc, due, resuming).await?;
    let accepted = Accepted {
        id: event.id.to_string(),
        deliveries: ids.map(|ids| ids.iter().map(ToString::to_string).collect()),
    };
    if let Some(claim) = claim {
        let answer = serde_json::to_string(&accepted).ok();
        let done = IdempotencyRecord {
            answer,
            event_id,
            created_at,
            ..claim
        };
        app.store.complete_idempotency(&done).await?;
    }
    Ok(Reply::accepted(accepted))
}
