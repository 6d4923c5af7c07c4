//! Delivery log routes:
//!
//! | route | handler |
//! |---|---|
//! | GET /v1/deliveries | [`list`] |
//! | GET /v1/deliveries/{id} | [`get`] |
//! | POST /v1/deliveries/{id}/retry | [`retry`] |
//! | GET /v1/webhooks/{id}/deliveries | [`list_for_webhook`] |
//! | POST /v1/webhooks/{id}/recover | [`recover`] |

use axum::extract::Path;
use hookrelay::app::App;
use hookrelay::domain::audit::Actor;
use hookrelay::domain::delivery::{Attempt, Delivery, DeliveryStatus};
use hookrelay::domain::event::{Event, EventKind, EventPart};
use hookrelay::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use hookrelay::domain::listing::{sort_key, ListParams};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::transform::default_body;
use hookrelay::domain::webhook::Webhook;
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::http::answers::{InvalidParameter, NoSuchWebhook, WebhookPath};
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::page_size::{fit, page_description};
use hookrelay::http::query::{Query, LIST_PARAMS};
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::operations::replay::{recover_failed, BUDGET};
use hookrelay::operations::retry::{self, RetryError};
use hookrelay::ports::store::DeliveryFilter;
use serde::Serialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct EventRef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl EventRef {
    pub fn of(event: &EventKind) -> Self {
        Self {
            name: event.name.to_string(),
            kind: event.kind.to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttemptView {
    pub at: String,
    /// The endpoint's HTTP status; 0 when there was no response.
    pub code: u16,
    pub duration_ms: u64,
    /// timeout, connect, dns, tls, blocked_address or http_status; null on success.
    pub error: Option<String>,
    /// The first 4 KiB of the endpoint's answer.
    pub response_body: String,
}

impl From<&Attempt> for AttemptView {
    fn from(attempt: &Attempt) -> Self {
        Self {
            at: attempt.at.to_string(),
            code: attempt.code,
            duration_ms: attempt.duration_ms,
            error: attempt
                .error
                .and_then(|e| serde_json::to_value(e).ok())
                .and_then(|v| v.as_str().map(str::to_owned)),
            response_body: attempt.response_body.clone(),
        }
    }
}

/// A delivery as the log shows it.
#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub event_id: String,
    /// Null for an ad-hoc URL.
    pub webhook_id: Option<String>,
    /// The URL, its password masked; null for a poll webhook's delivery
    /// (fetched with `GET /v1/webhooks/{id}/poll`, never sent).
    pub url: Option<String>,
    pub event: EventRef,
    /// created, scheduled, dispatched, delivered or failed.
    pub status: String,
    /// The endpoint's last HTTP status; 0 if none yet.
    pub code: u16,
    pub attempts: u32,
    pub next_attempt_at: Option<String>,
    /// Why it ended `failed` (null otherwise): attempts_exhausted, gone (410),
    /// test_not_retried, webhook_disabled, webhook_deleted, event_expired,
    /// transform_failed (the webhook's template could not shape the body).
    pub failure_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The body that is sent, as the webhook's `transform` shapes it (null
    /// once the event has expired, unless it was shaped).
    pub payload: Option<Value>,
    /// Every attempt (only in the single view).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt_log: Option<Vec<AttemptView>>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryBody {
    pub delivery: DeliveryView,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    pub deliveries: Vec<DeliveryView>,
    pub offset: u32,
    pub limit: u32,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Recovered {
    /// How many failed deliveries were queued again (so far).
    pub recovered: usize,
    /// Whether more are being queued in the background (past a 5 s budget).
    pub in_background: bool,
}

/// `{id}` in a delivery's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // describes the path parameter for OpenAPI
pub struct DeliveryPath {
    /// Delivery id
    id: String,
}

/// The view, with the body that is sent: as its webhook shaped it, else
/// the default body built from `event` (stored once for all its
/// deliveries; `None` once it has expired).
fn view(delivery: &Delivery, event: Option<&Event>, with_log: bool) -> DeliveryView {
    let payload = match delivery.sent_body() {
        Some(shaped) => serde_json::from_str(shaped.as_str()).ok(),
        None => event
            .map(|event| default_body(event, delivery.id()))
            .and_then(|sent| serde_json::from_slice(&sent).ok()),
    };
    DeliveryView {
        id: delivery.id().to_string(),
        event_id: delivery.event_id().to_string(),
        webhook_id: delivery.webhook_id().map(|w| w.to_string()),
        url: delivery.url().map(WebhookUrl::masked),
        event: EventRef::of(delivery.event()),
        status: delivery.status().as_str().to_owned(),
        code: delivery.code(),
        attempts: delivery.attempts(),
        next_attempt_at: delivery.next_attempt_at().map(|t| t.to_string()),
        failure_reason: delivery.failure_reason().map(|why| why.as_str().to_owned()),
        created_at: delivery.created_at().to_string(),
        updated_at: delivery.updated_at().to_string(),
        payload,
        attempt_log: with_log.then(|| delivery.log().into_iter().map(AttemptView::from).collect()),
    }
}

/// One delivery with its attempt log, as the single view answers it.
async fn full_view(app: &App, delivery: &Delivery) -> Answer<DeliveryBody> {
    let event = app
        .store
        .get_event(delivery.account_id(), delivery.event_id(), app.clock.now())
        .await?;
    Ok(Reply::ok(DeliveryBody {
        delivery: view(delivery, event.as_ref(), true),
    }))
}

fn parse_statuses(text: &str) -> Result<Vec<DeliveryStatus>, String> {
    text.split(',')
        .map(|s| DeliveryStatus::parse(s.trim()))
        .collect()
}

/// A time field's value (ISO-8601).
pub(crate) fn time(value: &Value) -> Result<Timestamp, String> {
    Timestamp::parse(read::string(value)?)
}

pub(crate) fn parse_event(text: &str) -> Result<(EventPart, Option<EventPart>), String> {
    match text.split_once('.') {
        None => Ok((EventPart::parse(text)?, None)),
        Some((name, kind)) => Ok((EventPart::parse(name)?, Some(EventPart::parse(kind)?))),
    }
}

/// The filters and window of a list request; `webhook` fixed by the path, if any.
fn list_request(
    mut query: Query,
    webhook: Option<WebhookId>,
) -> Result<(DeliveryFilter, ListParams), ApiError> {
    let mut known = LIST_PARAMS.to_vec();
    known.extend(["status", "event", "event_id"]);
    if webhook.is_none() {
        known.push("webhook_id");
    }
    query.allow(&known);
    let statuses = query.get("status", parse_statuses).unwrap_or_default();
    let event = query.get("event", parse_event);
    let event_id = query.get("event_id", |v| {
        EventId::parse(v).ok_or_else(|| "is not an event id".to_owned())
    });
    let webhook_id = webhook.or_else(|| {
        query.get("webhook_id", |v| {
            WebhookId::parse(v).ok_or_else(|| "is not a webhook id".to_owned())
        })
    });
    let params = query.list_params();
    query.finish()?;
    let (event_name, event_type) = event.map_or((None, None), |(n, t)| (Some(n), t));
    Ok((
        DeliveryFilter {
            statuses,
            webhook_id,
            event_name,
            event_type,
            event_id,
        },
        params,
    ))
}

async fn page(
    app: &App,
    account: AccountId,
    filter: DeliveryFilter,
    params: ListParams,
) -> Answer<DeliveryList> {
    let found = app
        .store
        .list_deliveries(account, &filter, &params, app.clock.now())
        .await?;
    let events = app
        .store
        .events_of(account, &found.items, app.clock.now())
        .await?;
    let keyed = found.items.iter().map(|d| {
        let event = events.get(&d.event_id()).and_then(Option::as_ref);
        let key = sort_key(params.sort, &d.id().to_string(), d.updated_at());
        (view(d, event, false), key)
    });
    let (deliveries, ended_after) = fit(keyed);
    let next_cursor = ended_after
        .map(|key| params.cursor_after(key))
        .or(found.next_cursor);
    Ok(Reply::ok(DeliveryList {
        deliveries,
        offset: params.offset,
        limit: params.limit,
        next_cursor: next_cursor.map(|c| c.encode()),
    }))
}

async fn find(app: &App, account: AccountId, id: &str) -> Result<Delivery, ApiError> {
    let id = DeliveryId::parse(id).ok_or(ApiError::NotFound("delivery"))?;
    app.store
        .get_delivery(account, id, app.clock.now())
        .await?
        .ok_or(ApiError::NotFound("delivery"))
}

/// The account's webhook `id` (404 for another account's).
pub(crate) async fn webhook_of(
    app: &App,
    account: AccountId,
    id: &str,
) -> Result<Webhook, ApiError> {
    let id = WebhookId::parse(id).ok_or(ApiError::NotFound("webhook"))?;
    app.store
        .get_webhook(account, id)
        .await?
        .ok_or(ApiError::NotFound("webhook"))
}

pub(crate) async fn own_webhook(
    app: &App,
    account: AccountId,
    id: &str,
) -> Result<WebhookId, ApiError> {
    Ok(webhook_of(app, account, id).await?.id())
}

/// The filters both delivery lists take (parsed by `list_request`).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes query parameters for OpenAPI
struct DeliveryFilters {
    /// Comma-separated: created, scheduled, dispatched, delivered, failed
    status: Option<String>,
    /// `name` or `name.type`
    event: Option<String>,
    /// Only this event's deliveries
    event_id: Option<String>,
}

/// List deliveries
///
/// The delivery log, newest first unless `sort`/`order` say otherwise: each delivery's status,
/// last response `code`, `attempts` and the `payload` it sends. Filters: `event_id`, `status`
/// (comma-separated), `webhook_id`, `event` and a `start`/`end` window on `created_at`. Pass
/// `next_cursor` back as `cursor` for the next page (null on the last).
///
/// Any scope may call it. 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/deliveries", operation_id = "listDeliveries", tag = "deliveries",
    params(
        DeliveryFilters,
        ("webhook_id" = Option<String>, Query, description = "Only this webhook's"),
        hookrelay::http::query::ListQuery,
    ),
    responses(
        (status = 200, description = page_description("deliveries"), body = DeliveryList),
        InvalidParameter,
    )
)]
pub async fn list(Scope(app, account): Scope, query: Query) -> Answer<DeliveryList> {
    let (filter, params) = list_request(query, None)?;
    page(&app, account, filter, params).await
}

/// List a webhook's deliveries
///
/// The delivery log of one webhook: the parameters and answer of `GET /v1/deliveries`.
///
/// Any scope may call it. 404 for an unknown webhook, 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/webhooks/{id}/deliveries", operation_id = "listWebhookDeliveries", tag = "deliveries",
    params(WebhookPath, DeliveryFilters, hookrelay::http::query::ListQuery),
    responses(
        (status = 200, description = page_description("this webhook's deliveries"), body = DeliveryList),
        NoSuchWebhook, InvalidParameter,
    )
)]
pub async fn list_for_webhook(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    query: Query,
) -> Answer<DeliveryList> {
    let webhook = own_webhook(&app, account, &id).await?;
    let (filter, params) = list_request(query, Some(webhook))?;
    page(&app, account, filter, params).await
}

/// Get a delivery
///
/// One delivery with its `payload` and `attempt_log` (the last 20 attempts, oldest first: when,
/// the status code, duration, error and the first 4 KiB of the answer); a failed one says why
/// in `failure_reason`.
///
/// Any scope may call it. 404 for an id that names no delivery of this account (or one past
/// retention).
#[utoipa::path(
    get, path = "/v1/deliveries/{id}", operation_id = "getDelivery", tag = "deliveries", params(DeliveryPath),
    responses(
        (status = 200, description = "The delivery with its attempts and payload", body = DeliveryBody),
        (status = 404, description = "No such delivery in this account (or it expired)", body = ErrorBody),
    )
)]
pub async fn get(Scope(app, account): Scope, Path(id): Path<String>) -> Answer<DeliveryBody> {
    let delivery = find(&app, account, &id).await?;
    full_view(&app, &delivery).await
}

/// Retry a delivery
///
/// Sends a delivered or failed delivery again now, as a new attempt on the same delivery (the
/// same `webhook-id`, so a receiver can tell it is the same message), and answers with the
/// delivery.
///
/// Needs a `full`-scope key. 404 for an unknown delivery, 409 while it is still pending.
#[utoipa::path(
    post, path = "/v1/deliveries/{id}/retry", operation_id = "retryDelivery", tag = "deliveries", params(DeliveryPath),
    responses(
        (status = 200, description = "Sent again now, as a new attempt on the same delivery (same webhook-id)", body = DeliveryBody),
        (status = 404, description = "No such delivery in this account", body = ErrorBody),
        (status = 409, description = "The delivery is not delivered or failed yet", body = ErrorBody),
    )
)]
pub async fn retry(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    by: Actor,
) -> Answer<DeliveryBody> {
    let delivery = find(&app, account, &id).await?;
    retry::retry(&app, &delivery, &by)
        .await
        .map_err(|err| match err {
            RetryError::Pending => ApiError::Conflict(
                "delivery (it is still pending; only a delivered or failed one can be sent again)",
            ),
            RetryError::Dispatch(err) => err.into(),
        })?;
    // Read again: the view shows the attempt just made.
    let sent = find(&app, account, &id).await?;
    full_view(&app, &sent).await
}

/// The fields `POST /v1/webhooks/{id}/recover` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct RecoverRequest {
    /// Re-queue failed deliveries created at or after this time (ISO-8601 UTC).
    #[schema(format = DateTime)]
    since: String,
}
pub const RECOVER_FIELDS: &[&str] = &["since"];

/// Recover a webhook's failed deliveries
///
/// Queues again every failed delivery of the webhook created at or after `since`, and answers
/// how many (`recovered`); past a 5 s budget the rest continue in the background
/// (`in_background`).
///
/// Needs a `full`-scope key. 404 for an unknown webhook, 422 when `since` is missing or not
/// ISO-8601.
#[utoipa::path(
    post, path = "/v1/webhooks/{id}/recover", operation_id = "recoverWebhook", tag = "deliveries", params(WebhookPath),
    request_body(content = RecoverRequest, example = json!({"since": "2026-11-22T12:00:00.000Z"})),
    responses(
        (status = 200, description = "How many failed deliveries were queued again; past a 5 s budget the rest continue in the background (`in_background`)", body = Recovered),
        (status = 422, description = "`since` is missing or not ISO-8601", body = ErrorBody),
        NoSuchWebhook,
    )
)]
pub async fn recover(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    by: Actor,
    body: JsonObject,
) -> Answer<Recovered> {
    let webhook = own_webhook(&app, account, &id).await?;
    let mut fields = Fields::new(body, RECOVER_FIELDS);
    let since = fields.required("since", time);
    let since = fields.done(since)?;
    let progress = recover_failed(&app, account, webhook, since, BUDGET, &by).await?;
    Ok(Reply::ok(Recovered {
        recovered: progress.replayed,
        in_background: !progress.complete,
    }))
}
