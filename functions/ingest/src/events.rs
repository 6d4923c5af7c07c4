//! `POST /v1/events`: validate, fan out to every enabled webhook whose
//! patterns match (or to one ad-hoc URL), record the event once and every
//! delivery, queue or schedule them, and answer 202 with their ids.

use axum::extract::State;
use axum::http::HeaderMap;
use futures::stream::{self, StreamExt};
use hookrelay::app::App;
use hookrelay::dispatch::{queue_entry, schedule, TEST_EVENT};
use hookrelay::domain::delivery::{Delivery, DeliveryStatus};
use hookrelay::domain::event::{Event, EventKind, EventPart, JsonText};
use hookrelay::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use hookrelay::domain::listing::{ListParams, Order, SortField};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::http::auth::Caller;
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::{ApiError, Reply};
use hookrelay::net::check_target;
use hookrelay::ports::store::{IdempotencyRecord, StoreError, WebhookFilter};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The fields `POST /v1/events` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct EventRequest {
    /// What the event is about, e.g. `user` (letters, digits, `_`, `-`).
    name: String,
    /// What happened to it, e.g. `created`.
    #[schema(rename = "type")]
    kind: String,
    /// Any JSON; sent as `payload`.
    payload: Value,
    /// Any JSON; sent as `context` (default `{}`).
    context: Option<Value>,
    /// Seconds to wait before the first attempt: 0–604800.
    delay: Option<u32>,
    /// Send to this one URL instead of the subscribed webhooks.
    webhook: Option<AdHocTarget>,
}
pub const EVENT_FIELDS: &[&str] = &["name", "type", "payload", "context", "delay", "webhook"];

#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct AdHocTarget {
    url: String,
    /// Overrides the event's `delay`.
    delay: Option<u32>,
}

/// The 202 answer (stored whole for idempotent replays).
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct Accepted {
    pub id: String,
    pub deliveries: Vec<String>,
}

pub const MAX_DELAY_SECONDS: u64 = 604_800;
const IDEMPOTENCY_HEADER: &str = "idempotency-key";
const IDEMPOTENCY_SECONDS: i64 = 86_400;
/// A claim younger than this without an answer is a request still running.
const IN_PROGRESS_SECONDS: i64 = 30;
/// Deliveries marked `scheduled` at once.
const CONCURRENCY: usize = 16;

struct Parsed {
    kind: EventKind,
    payload: JsonText,
    context: JsonText,
    delay: u64,
    ad_hoc: Option<WebhookUrl>,
}

async fn parse(app: &App, body: JsonObject) -> Result<Parsed, ApiError> {
    let mut fields = Fields::new(body, EVENT_FIELDS);
    let name = fields.required("name", |v| EventPart::parse(read::string(v)?));
    let kind = fields.required("type", |v| EventPart::parse(read::string(v)?));
    let payload = fields.required("payload", |v| Ok(JsonText::from_value(v)));
    let context = fields.optional("context", |v| Ok(JsonText::from_value(v)));
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
            .map(|d| read::whole_number(d, 0, MAX_DELAY_SECONDS).map_err(|m| format!("delay {m}")))
            .transpose()?;
        Ok((url, delay))
    });
    if let Some((url, _)) = &target {
        if let Err(message) = check_target(&app.settings, url, &*app.resolver).await {
            fields.error("webhook.url", message);
        }
    }
    if name
        .as_ref()
        .zip(kind.as_ref())
        .is_some_and(|(n, k)| (n.as_str(), k.as_str()) == TEST_EVENT)
    {
        fields.error(
            "type",
            "webhook.test is reserved for POST /v1/webhooks/{id}/test",
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
    key.map(|k| Some(hex::encode(Sha256::digest(k.as_bytes()))))
        .ok_or_else(|| ApiError::invalid("Idempotency-Key", "must be 1 to 255 visible characters"))
}

/// Every enabled webhook of the account subscribed to `kind`, in id order.
async fn subscribers(
    app: &App,
    account: AccountId,
    kind: &EventKind,
) -> Result<Vec<WebhookId>, StoreError> {
    let filter = WebhookFilter {
        enabled: Some(true),
    };
    let mut params = ListParams {
        sort: SortField::Id,
        order: Order::Asc,
        limit: ListParams::MAX_LIMIT,
        ..ListParams::default()
    };
    let mut found = Vec::new();
    loop {
        let page = app.store.list_webhooks(account, &filter, &params).await?;
        found.extend(
            page.items
                .iter()
                .filter(|w| w.events.matches(kind.name.as_str(), kind.kind.as_str()))
                .map(|w| w.id),
        );
        match page.next_cursor {
            Some(cursor) => params.cursor = Some(cursor),
            None => return Ok(found),
        }
    }
}

#[utoipa::path(
    post, path = "/v1/events", tag = "events",
    request_body = EventRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters: the same key within 24 h returns the first answer and creates nothing new")),
    responses(
        (status = 202, description = "Recorded and queued (or scheduled) for every subscriber", body = Accepted),
        (status = 400, description = "The body is not a JSON object", body = hookrelay::http::error::ErrorBody),
        (status = 401, description = "Missing or unknown API key", body = hookrelay::http::error::ErrorBody),
        (status = 409, description = "A request with this Idempotency-Key is still being processed", body = hookrelay::http::error::ErrorBody),
        (status = 413, description = "The body is over 256 KiB", body = hookrelay::http::error::ErrorBody),
        (status = 422, description = "Fields are invalid; `errors` names each", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn create(
    State(app): State<App>,
    Caller(account): Caller,
    headers: HeaderMap,
    body: JsonObject,
) -> Result<Reply<Accepted>, ApiError> {
    let key = idempotency_key(&headers)?;
    let parsed = parse(&app, body).await?;
    let now = app.clock.now();
    let targets: Vec<Option<WebhookId>> = match parsed.ad_hoc {
        Some(_) => vec![None],
        None => subscribers(&app, account.id, &parsed.kind)
            .await?
            .into_iter()
            .map(Some)
            .collect(),
    };
    let mut plan = IdempotencyRecord {
        account_id: account.id,
        key_hash: key.clone().unwrap_or_default(),
        event_id: EventId::generate(now, &*app.random),
        deliveries: targets
            .into_iter()
            .map(|t| (DeliveryId::generate(now, &*app.random), t))
            .collect(),
        answer: None,
        created_at: now,
        expires_at: now.epoch_seconds() + IDEMPOTENCY_SECONDS,
    };
    let mut resuming = false;
    if key.is_some() {
        if let Some(first) = app.store.claim_idempotency(&plan, now).await? {
            if let Some(answer) = first
                .answer
                .as_deref()
                .and_then(|a| serde_json::from_str::<Accepted>(a).ok())
            {
                return Ok(Reply::accepted(answer));
            }
            if first.created_at.plus_seconds(IN_PROGRESS_SECONDS) > now {
                return Err(ApiError::Conflict(
                    "event with this Idempotency-Key (a request is still being processed)",
                ));
            }
            // The first request died half-way: finish its plan.
            plan = first;
            resuming = true;
        }
    }
    let accepted = record_and_queue(&app, &plan, &parsed, now, resuming).await?;
    if key.is_some() {
        let answer = serde_json::to_string(&accepted).ok();
        app.store
            .complete_idempotency(&IdempotencyRecord { answer, ..plan })
            .await?;
    }
    Ok(Reply::accepted(accepted))
}

/// Stores the event and its deliveries, then queues or schedules each one;
/// on a resumed plan, only what is missing.
async fn record_and_queue(
    app: &App,
    plan: &IdempotencyRecord,
    parsed: &Parsed,
    now: Timestamp,
    resuming: bool,
) -> Result<Accepted, ApiError> {
    let event = Event::new(
        plan.event_id,
        plan.account_id,
        parsed.kind.clone(),
        parsed.payload.clone(),
        parsed.context.clone(),
        plan.created_at,
        app.settings.retention_days,
    );
    app.store.put_event(&event).await?;

    let due = now.plus_seconds(i64::try_from(parsed.delay).unwrap_or(0));
    let (mut fresh, mut pending) = (Vec::new(), Vec::new());
    for (id, webhook_id) in &plan.deliveries {
        if resuming {
            if let Some(existing) = app.store.get_delivery(plan.account_id, *id, now).await? {
                if existing.status == DeliveryStatus::Created {
                    pending.push(existing);
                }
                continue;
            }
        }
        let url = match (webhook_id, &parsed.ad_hoc) {
            (None, Some(url)) => url.clone(),
            (Some(webhook_id), _) => {
                match app.store.get_webhook(plan.account_id, *webhook_id).await? {
                    Some(webhook) => webhook.url,
                    None => continue, // deleted since the plan was made
                }
            }
            (None, None) => continue,
        };
        fresh.push(Delivery::new(*id, &event, *webhook_id, url, due));
    }
    if resuming {
        // Another request with the same key may be resuming too: never
        // overwrite a delivery it recorded (and a sender may have advanced).
        for delivery in fresh {
            match app.store.insert_delivery_if_absent(&delivery).await {
                Ok(()) => pending.push(delivery),
                Err(StoreError::Conflict) => {}
                Err(err) => return Err(err.into()),
            }
        }
    } else {
        app.store.insert_deliveries(&fresh).await?;
        pending.extend(fresh);
    }
    queue(app, &pending, now).await?;
    Ok(Accepted {
        id: plan.event_id.to_string(),
        deliveries: plan
            .deliveries
            .iter()
            .map(|(id, _)| id.to_string())
            .collect(),
    })
}

/// Queues (one batched send) or schedules every delivery, then marks it `scheduled`.
async fn queue(app: &App, deliveries: &[Delivery], now: Timestamp) -> Result<(), ApiError> {
    let mut batch = Vec::new();
    for delivery in deliveries {
        let due = delivery.next_attempt_at.unwrap_or(now);
        match queue_entry(delivery, due, now) {
            Some(entry) => batch.push(entry),
            None => schedule(app, delivery, due).await?,
        }
    }
    app.queue.send(&batch).await?;
    let marked: Vec<Result<(), StoreError>> = stream::iter(deliveries.iter().cloned())
        .map(|mut delivery| async move {
            let read = delivery.version;
            delivery.status = DeliveryStatus::Scheduled;
            delivery.version = read + 1;
            match app.store.update_delivery(&delivery, read).await {
                // A sender got to it first: it is past `scheduled` already.
                Ok(()) | Err(StoreError::Conflict) => Ok(()),
                Err(err) => Err(err),
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    marked.into_iter().collect::<Result<(), _>>()?;
    Ok(())
}
