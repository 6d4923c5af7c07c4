//! Webhook configuration routes:
//!
//! | route | handler |
//! |---|---|
//! | POST /v1/webhooks | [`create`] |
//! | GET /v1/webhooks | [`list`] |
//! | GET /v1/webhooks/{id} | [`get`] |
//! | PATCH /v1/webhooks/{id} | [`update`] |
//! | DELETE /v1/webhooks/{id} | [`delete`] |
//! | POST /v1/webhooks/{id}/secret/rotate | [`rotate_secret`] |
//! | POST /v1/webhooks/{id}/test | [`send_test`] |

use axum::extract::{Path, State};
use hookrelay::app::App;
use hookrelay::attempt::{attempt_now, Job};
use hookrelay::cascade_delete::delete_webhook;
use hookrelay::dispatch::lease_until;
use hookrelay::domain::delivery::{Change, Delivery};
use hookrelay::domain::event::{Event, JsonText, OperationalEvent};
use hookrelay::domain::ids::EventId;
use hookrelay::domain::ids::{AccountId, WebhookId};
use hookrelay::domain::listing::{sort_key, ListParams};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::{
    CustomHeaders, Description, EndpointApiKey, EventPattern, EventPatterns, Name, RateLimit,
    Secret, Webhook, WebhookChanges,
};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::http::auth::Caller;
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::page_size::{fit, page_description};
use hookrelay::http::query::{Query, LIST_PARAMS};
use hookrelay::http::{ApiError, Reply};
use hookrelay::net::check_target;
use hookrelay::ports::store::{StoreError, WebhookFilter};
use hookrelay::webhook_change::{change_webhook, Changed};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A webhook as responses show it: the URL's password, the secret and the
/// endpoint API key masked (the secret is shown whole on create and rotate).
#[derive(Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub description: Option<String>,
    pub headers: BTreeMap<String, String>,
    /// `whsec_…`: whole on create and rotate, masked elsewhere.
    pub secret: String,
    /// Sent as `x-api-key`; masked.
    pub api_key: Option<String>,
    /// Deliveries per second at most; null: no limit.
    pub rate_limit: Option<u32>,
    /// Why it is off: `failing` (hookrelay switched it off after
    /// HOOKRELAY_DISABLE_AFTER_FAILURES failed deliveries) or `manual`;
    /// null while enabled.
    pub disabled_reason: Option<String>,
    /// When it was switched off; null while enabled.
    pub disabled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Once there are deliveries: the status after the latest attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_delivery_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_delivery_at: Option<String>,
}

impl WebhookView {
    fn masked(webhook: &Webhook) -> Self {
        Self {
            id: webhook.id.to_string(),
            name: webhook.name.to_string(),
            url: webhook.url.masked(),
            events: webhook.events.iter().map(ToString::to_string).collect(),
            enabled: webhook.enabled,
            description: webhook.description.as_ref().map(ToString::to_string),
            headers: webhook
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            secret: webhook.secrets.current.masked(),
            api_key: webhook.api_key.as_ref().map(EndpointApiKey::masked),
            rate_limit: webhook.rate_limit.map(RateLimit::per_second),
            disabled_reason: webhook
                .disabled
                .map(|d| d.disabled_reason.as_str().to_owned()),
            disabled_at: webhook.disabled.map(|d| d.disabled_at.to_string()),
            created_at: webhook.created_at.to_string(),
            updated_at: webhook.updated_at.to_string(),
            last_delivery_status: webhook
                .last_delivery
                .as_ref()
                .map(|l| l.last_delivery_status.as_str().to_owned()),
            last_delivery_at: webhook
                .last_delivery
                .as_ref()
                .map(|l| l.last_delivery_at.to_string()),
        }
    }

    fn with_secret(webhook: &Webhook) -> Self {
        Self {
            secret: webhook.secrets.current.to_string(),
            ..Self::masked(webhook)
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WebhookBody {
    pub webhook: WebhookView,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    pub webhooks: Vec<WebhookView>,
    pub offset: u32,
    pub limit: u32,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    pub id: String,
    pub deleted: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RotatedSecret {
    /// The webhook, with its new secret whole.
    pub webhook: WebhookView,
    /// The new secret.
    pub secret: String,
    /// Until when the previous secret still signs.
    pub previous_secret_expires_at: Option<String>,
}

/// The fields `POST /v1/webhooks` accepts (PATCH takes the same, all optional).
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct WebhookRequest {
    /// 1–100 characters, not blank, no control characters.
    #[schema(
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    name: String,
    /// Absolute http(s) URL without a #fragment; user info becomes Basic
    /// auth. Hosts that are or resolve to non-public addresses are refused
    /// (422) unless the deployment allows them.
    url: String,
    /// 1–50 patterns: `name.type`, `name.*` or `*`.
    #[schema(min_items = 1, max_items = 50)]
    events: Vec<String>,
    /// `whsec_` + base64 of 24–64 bytes; generated when absent.
    secret: Option<String>,
    /// Sent as `x-api-key`: 1–255 visible ASCII characters. null (PATCH) removes it.
    #[schema(pattern = r"^[!-~]{1,255}$")]
    api_key: Option<String>,
    /// At most 1000 characters. null (PATCH) clears it.
    #[schema(max_length = 1000)]
    description: Option<String>,
    /// Extra headers for every delivery (at most 20; cannot override
    /// hookrelay's own: authorization, content-type, host, user-agent,
    /// x-api-key, webhook-*, proxy-*, hop-by-hop headers). null (PATCH) clears them.
    headers: Option<BTreeMap<String, String>>,
    /// Default true.
    enabled: Option<bool>,
    /// At most this many deliveries per second (1–10000); sends beyond it are
    /// delayed, never dropped. null (PATCH) removes the limit.
    #[schema(minimum = 1, maximum = 10000)]
    rate_limit: Option<u32>,
}

pub const WEBHOOK_FIELDS: &[&str] = &[
    "name",
    "url",
    "events",
    "secret",
    "api_key",
    "description",
    "headers",
    "enabled",
    "rate_limit",
];

/// The fields `POST /v1/webhooks/{id}/secret/rotate` accepts (the body is optional).
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct RotateRequest {
    /// How long the old secret keeps signing: 0–604800 seconds, default 86400.
    #[schema(maximum = 604800)]
    grace_seconds: Option<u32>,
    /// The new secret (`whsec_` + base64 of 24–64 bytes); generated when absent.
    secret: Option<String>,
}
pub const ROTATE_FIELDS: &[&str] = &["grace_seconds", "secret"];
const DEFAULT_GRACE_SECONDS: u64 = 86_400;
/// How long DELETE spends removing deliveries before the background takes over.
const PURGE_BUDGET: std::time::Duration = std::time::Duration::from_secs(3);
const MAX_GRACE_SECONDS: u64 = 604_800;

/// What a create or PATCH body says, each field parsed or reported.
struct Submitted {
    fields: Fields,
    name: Option<Name>,
    url: Option<WebhookUrl>,
    events: Option<EventPatterns>,
    changes: WebhookChanges,
}

impl Submitted {
    async fn parse(app: &App, body: JsonObject) -> Self {
        let mut fields = Fields::new(body, WEBHOOK_FIELDS);
        let name = fields.optional("name", |v| Name::parse(read::string(v)?));
        let url = fields.optional("url", |v| WebhookUrl::parse(read::string(v)?));
        let events = fields.optional("events", parse_events);
        let secret = fields.optional("secret", |v| Secret::parse(read::string(v)?));
        let api_key = fields.nullable("api_key", |v| EndpointApiKey::parse(read::string(v)?));
        let description = fields.nullable("description", |v| Description::parse(read::string(v)?));
        let headers = parse_headers(&mut fields);
        let enabled = fields.optional("enabled", read::boolean);
        let rate_limit = fields.nullable("rate_limit", |v| {
            RateLimit::new(read::whole_number(v, 0, u64::MAX)?)
        });
        if let Some(url) = &url {
            if let Err(message) = check_target(&app.settings, url, &*app.resolver).await {
                fields.error("url", message);
            }
        }
        let changes = WebhookChanges {
            name: name.clone(),
            url: url.clone(),
            events: events.clone(),
            secret,
            api_key,
            description,
            headers,
            enabled,
            rate_limit,
        };
        Self {
            fields,
            name,
            url,
            events,
            changes,
        }
    }
}

fn parse_events(value: &Value) -> Result<EventPatterns, String> {
    let patterns = read::strings(value)?
        .into_iter()
        .map(|p| EventPattern::parse(p).map_err(|m| format!("`{p}` {m}")))
        .collect::<Result<Vec<_>, _>>()?;
    EventPatterns::new(patterns)
}

/// `headers`: absent leaves them, null or `{}` clears them; each bad header is
/// reported as `headers.NAME`.
fn parse_headers(fields: &mut Fields) -> Option<CustomHeaders> {
    let entries = fields
        .nullable("headers", read::string_map)?
        .unwrap_or_default();
    match CustomHeaders::parse(entries) {
        Ok(headers) => Some(headers),
        Err(errors) => {
            for (name, message) in errors {
                let field = if name.is_empty() {
                    "headers".to_owned()
                } else {
                    format!("headers.{name}")
                };
                fields.error(field, message);
            }
            None
        }
    }
}

fn webhook_id(text: &str) -> Result<WebhookId, ApiError> {
    WebhookId::parse(text).ok_or(ApiError::NotFound("webhook"))
}

async fn find(app: &App, account: AccountId, id: &str) -> Result<Webhook, ApiError> {
    app.store
        .get_webhook(account, webhook_id(id)?)
        .await?
        .ok_or(ApiError::NotFound("webhook"))
}

/// Applies `change` under the version guard (`change_webhook`).
async fn modify(
    app: &App,
    account: AccountId,
    id: &str,
    change: impl Fn(&mut Webhook, Timestamp),
) -> Result<Webhook, ApiError> {
    let changed = change_webhook(app, account, webhook_id(id)?, |webhook, now| {
        change(webhook, now);
        true
    });
    match changed.await {
        Ok(Changed::Changed(webhook) | Changed::Declined(webhook)) => Ok(webhook),
        Ok(Changed::Missing) => Err(ApiError::NotFound("webhook")),
        Err(StoreError::Conflict) => Err(ApiError::Conflict("webhook")),
        Err(err) => Err(err.into()),
    }
}

#[utoipa::path(
    post, path = "/v1/webhooks", tag = "webhooks",
    request_body = WebhookRequest,
    responses(
        (status = 201, description = "Created; the secret is shown whole", body = WebhookBody),
        (status = 400, description = "The body is not a JSON object", body = hookrelay::http::error::ErrorBody),
        (status = 401, description = "Missing or unknown API key", body = hookrelay::http::error::ErrorBody),
        (status = 422, description = "Fields are invalid; `errors` names each", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn create(
    State(app): State<App>,
    Caller(account): Caller,
    body: JsonObject,
) -> Result<Reply<WebhookBody>, ApiError> {
    let mut submitted = Submitted::parse(&app, body).await;
    for (field, given) in [
        ("name", submitted.name.is_some()),
        ("url", submitted.url.is_some()),
        ("events", submitted.events.is_some()),
    ] {
        if !given && !submitted.fields.has_error(field) {
            submitted.fields.error(field, "is required");
        }
    }
    let Submitted {
        fields,
        name,
        url,
        events,
        changes,
    } = submitted;
    let (name, url, events) =
        fields.done(name.zip(url).zip(events).map(|((n, u), e)| (n, u, e)))?;
    let now = app.clock.now();
    let secret = changes
        .secret
        .clone()
        .unwrap_or_else(|| Secret::generate(&*app.random));
    let mut webhook = Webhook::new(
        WebhookId::generate(now, &*app.random),
        account.id,
        name,
        url,
        events,
        secret,
        now,
    );
    changes.apply(&mut webhook, now);
    app.store.insert_webhook(&webhook).await?;
    app.subscribers.forget(account.id);
    Ok(Reply::created(WebhookBody {
        webhook: WebhookView::with_secret(&webhook),
    }))
}

#[utoipa::path(
    get, path = "/v1/webhooks", tag = "webhooks",
    params(
        ("enabled" = Option<bool>, Query, description = "Only enabled (true) or disabled (false) webhooks"),
        hookrelay::http::query::ListQuery,
    ),
    responses(
        (status = 200, description = page_description("webhooks"), body = WebhookList),
        (status = 401, description = "Missing or unknown API key", body = hookrelay::http::error::ErrorBody),
        (status = 422, description = "A parameter is invalid; `errors` names it", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn list(
    State(app): State<App>,
    Caller(account): Caller,
    mut query: Query,
) -> Result<Reply<WebhookList>, ApiError> {
    query.allow(&[&LIST_PARAMS[..], &["enabled"]].concat());
    let filter = WebhookFilter {
        enabled: query.get("enabled", |v| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err("must be true or false".to_owned()),
        }),
    };
    let params: ListParams = query.list_params();
    query.finish()?;
    let page = app
        .store
        .list_webhooks(account.id, &filter, &params)
        .await?;
    let keyed = page.items.iter().map(|w| {
        let key = sort_key(params.sort, &w.id.to_string(), w.updated_at);
        (WebhookView::masked(w), key)
    });
    let (webhooks, ended_after) = fit(keyed);
    let next_cursor = ended_after
        .map(|key| params.cursor_after(key))
        .or(page.next_cursor);
    Ok(Reply::ok(WebhookList {
        webhooks,
        offset: params.offset,
        limit: params.limit,
        next_cursor: next_cursor.map(|c| c.encode()),
    }))
}

#[utoipa::path(
    get, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The webhook", body = WebhookBody),
        (status = 404, description = "No such webhook in this account", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn get(
    State(app): State<App>,
    Caller(account): Caller,
    Path(id): Path<String>,
) -> Result<Reply<WebhookBody>, ApiError> {
    let webhook = find(&app, account.id, &id).await?;
    Ok(Reply::ok(WebhookBody {
        webhook: WebhookView::masked(&webhook),
    }))
}

#[utoipa::path(
    patch, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    request_body(content = WebhookRequest, description = "Any subset of the fields; null clears api_key, description, headers, rate_limit (null elsewhere leaves a field as it is)"),
    responses(
        (status = 200, description = "The changed webhook", body = WebhookBody),
        (status = 404, description = "No such webhook in this account", body = hookrelay::http::error::ErrorBody),
        (status = 409, description = "Changed concurrently too often; retry", body = hookrelay::http::error::ErrorBody),
        (status = 422, description = "Fields are invalid", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn update(
    State(app): State<App>,
    Caller(account): Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Result<Reply<WebhookBody>, ApiError> {
    webhook_id(&id)?;
    let Submitted {
        fields, changes, ..
    } = Submitted::parse(&app, body).await;
    fields.finish()?;
    if changes.is_empty() {
        let webhook = find(&app, account.id, &id).await?;
        return Ok(Reply::ok(WebhookBody {
            webhook: WebhookView::masked(&webhook),
        }));
    }
    let webhook = modify(&app, account.id, &id, |webhook, now| {
        changes.apply(webhook, now)
    })
    .await?;
    Ok(Reply::ok(WebhookBody {
        webhook: WebhookView::masked(&webhook),
    }))
}

#[utoipa::path(
    delete, path = "/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        (status = 404, description = "No such webhook in this account", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn delete(
    State(app): State<App>,
    Caller(account): Caller,
    Path(id): Path<String>,
) -> Result<Reply<Deleted>, ApiError> {
    let id = webhook_id(&id)?;
    if !delete_webhook(&app, account.id, id, PURGE_BUDGET).await? {
        return Err(ApiError::NotFound("webhook"));
    }
    Ok(Reply::ok(Deleted {
        id: id.to_string(),
        deleted: true,
    }))
}

#[utoipa::path(
    post, path = "/v1/webhooks/{id}/secret/rotate", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    request_body(content = RotateRequest, description = "Optional"),
    responses(
        (status = 200, description = "The new secret; the old one signs alongside it for grace_seconds", body = RotatedSecret),
        (status = 404, description = "No such webhook in this account", body = hookrelay::http::error::ErrorBody),
        (status = 422, description = "Fields are invalid", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn rotate_secret(
    State(app): State<App>,
    Caller(account): Caller,
    Path(id): Path<String>,
    body: JsonObject,
) -> Result<Reply<RotatedSecret>, ApiError> {
    webhook_id(&id)?;
    let mut fields = Fields::new(body, ROTATE_FIELDS);
    let grace = fields
        .optional("grace_seconds", |v| {
            read::whole_number(v, 0, MAX_GRACE_SECONDS)
        })
        .unwrap_or(DEFAULT_GRACE_SECONDS);
    let next = fields.optional("secret", |v| Secret::parse(read::string(v)?));
    fields.finish()?;
    let next = next.unwrap_or_else(|| Secret::generate(&*app.random));
    let grace = u32::try_from(grace).unwrap_or(u32::MAX);
    let webhook = modify(&app, account.id, &id, |webhook, now| {
        webhook.secrets.rotate(next.clone(), now, grace)
    })
    .await?;
    let previous_secret_expires_at = webhook
        .secrets
        .retired
        .last()
        .map(|r| r.expires_at.to_string());
    Ok(Reply::ok(RotatedSecret {
        secret: webhook.secrets.current.to_string(),
        webhook: WebhookView::with_secret(&webhook),
        previous_secret_expires_at: previous_secret_expires_at.filter(|_| grace > 0),
    }))
}

/// The outcome of a test-send.
#[derive(Serialize, ToSchema)]
pub struct TestSent {
    /// Whether the endpoint answered 2xx within the send timeout.
    pub delivered: bool,
    /// The endpoint's HTTP status; 0 when there was no response. (DESIGN.md
    /// calls it `code`, but the envelope's `code` is this answer's own status.)
    pub response_code: u16,
    pub duration_ms: u64,
    /// timeout, connect, dns, tls, blocked_address or http_status; null when delivered.
    pub error: Option<String>,
    /// The first 4 KiB of the endpoint's answer.
    pub response_body: String,
    /// The logged delivery (retried like any other if this attempt failed).
    pub delivery_id: String,
}

#[utoipa::path(
    post, path = "/v1/webhooks/{id}/test", tag = "webhooks",
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "Sent a `webhook.test` event now; the outcome", body = TestSent),
        (status = 404, description = "No such webhook in this account", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn send_test(
    State(app): State<App>,
    Caller(account): Caller,
    Path(id): Path<String>,
) -> Result<Reply<TestSent>, ApiError> {
    let webhook = find(&app, account.id, &id).await?;
    let now = app.clock.now();
    let payload = serde_json::json!({
        "webhook_id": webhook.id.to_string(),
        "message": "This is a test event from hookrelay.",
    });
    let event = Event::new(
        EventId::generate(now, &*app.random),
        account.id,
        OperationalEvent::Test.event_kind(),
        JsonText::from_value(&payload),
        JsonText::from_value(&serde_json::json!({})),
        now,
        app.settings.retention_days,
    );
    // Recorded `dispatched` under this request's lease: if it dies, the
    // sweeper finds the delivery when the lease ends. Never retried.
    let mut delivery = Delivery::new(&event, Some(webhook.id), webhook.url.clone(), now);
    let lease_until = lease_until(&app, now);
    delivery.apply(&Change::TestSent { lease_until }, now);
    app.store
        .record_event(&event, std::slice::from_ref(&delivery))
        .await?;
    let delivery_id = delivery.id.to_string();
    let made = attempt_now(&app, Job::of(&delivery))
        .await?
        .ok_or(ApiError::Conflict("delivery"))?;
    let error = made.error.map(|e| {
        serde_json::to_value(e)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    });
    Ok(Reply::ok(TestSent {
        delivered: made.error.is_none() && (200..300).contains(&made.code),
        response_code: made.code,
        duration_ms: made.duration_ms,
        error,
        response_body: made.response_body,
        delivery_id,
    }))
}
