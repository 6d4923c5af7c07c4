//! What the webhook routes answer: a webhook with its secrets masked (or
//! the secret whole, on create and rotate), lists, and a test-send's outcome.

use hookrelay::domain::delivery::Attempt;
use hookrelay::domain::ids::DeliveryId;
use hookrelay::domain::webhook::{EndpointApiKey, RateLimit, Webhook};
use hookrelay::domain::webhook_url::WebhookUrl;
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
    /// Where deliveries are POSTed, its password masked; null for a poll webhook.
    pub url: Option<String>,
    /// `push` (POSTed to `url`) or `poll` (fetched with
    /// `GET /v1/webhooks/{id}/poll`); fixed at creation.
    pub delivery: String,
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
    /// Its own waits between attempts (seconds); null: the deployment's.
    pub retry_schedule: Option<Vec<u32>>,
    /// Its EventBridge event pattern over what is sent; null: every event
    /// its `events` name is sent.
    #[schema(value_type = Option<Object>)]
    pub filter: Option<Value>,
    /// The body's shape: `"default"` (hookrelay's), `"settings"`
    /// (`{event_time, event_type, current_context, data}`) or `{"template": "..."}`.
    #[schema(value_type = Object)]
    pub transform: Value,
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
    pub(super) fn masked(webhook: &Webhook) -> Self {
        Self {
            id: webhook.id().to_string(),
            name: webhook.name().to_string(),
            url: webhook.url().map(WebhookUrl::masked),
            delivery: webhook.delivery().as_str().to_owned(),
            events: webhook.events().iter().map(ToString::to_string).collect(),
            enabled: webhook.enabled(),
            description: webhook.description().as_ref().map(ToString::to_string),
            headers: webhook
                .headers()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            secret: webhook.secrets().current.masked(),
            api_key: webhook.api_key().map(EndpointApiKey::masked),
            rate_limit: webhook.rate_limit().map(RateLimit::per_second),
            retry_schedule: webhook.retry_schedule().map(|s| s.waits().to_vec()),
            filter: webhook.filter().map(|f| f.pattern().clone()),
            transform: Value::from(webhook.transform().clone()),
            disabled_reason: webhook
                .disabled()
                .map(|d| d.disabled_reason.as_str().to_owned()),
            disabled_at: webhook.disabled().map(|d| d.disabled_at.to_string()),
            created_at: webhook.created_at().to_string(),
            updated_at: webhook.updated_at().to_string(),
            last_delivery_status: webhook
                .last_delivery()
                .as_ref()
                .map(|l| l.last_delivery_status.as_str().to_owned()),
            last_delivery_at: webhook
                .last_delivery()
                .as_ref()
                .map(|l| l.last_delivery_at.to_string()),
        }
    }

    pub(super) fn with_secret(webhook: &Webhook) -> Self {
        Self {
            secret: webhook.secrets().current.to_string(),
            ..Self::masked(webhook)
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WebhookBody {
    pub webhook: WebhookView,
}

impl WebhookBody {
    pub(super) fn masked(webhook: &Webhook) -> Self {
        Self {
            webhook: WebhookView::masked(webhook),
        }
    }
}

/// What `replay_failed` did.
#[derive(Serialize, ToSchema)]
pub struct ReplayStarted {
    /// How many deliveries that failed while the webhook was off were sent
    /// again (so far); 0 when it was on already.
    pub replayed: usize,
    /// Whether more are being sent in the background (past a 5 s budget).
    pub in_background: bool,
}

/// A PATCH's answer: the webhook, and what `replay_failed` did (only when asked).
#[derive(Serialize, ToSchema)]
pub struct WebhookChanged {
    pub webhook: WebhookView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replay: Option<ReplayStarted>,
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

impl Deleted {
    pub fn of(id: impl ToString) -> Self {
        Self {
            id: id.to_string(),
            deleted: true,
        }
    }
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

/// The outcome of a test-send. A poll webhook's test event is not sent: it
/// waits to be fetched (`delivered` false, `response_code` 0, no error).
#[derive(Serialize, ToSchema)]
pub struct TestSent {
    /// Whether the endpoint answered 2xx within the send timeout.
    pub delivered: bool,
    /// The endpoint's HTTP status; 0 when there was no response. (DESIGN.md
    /// calls it `code`, but the envelope's `code` is this answer's own status.)
    pub response_code: u16,
    pub duration_ms: u64,
    /// timeout, connect, dns, tls, blocked_address or http_status; null when
    /// delivered (or kept to be polled).
    pub error: Option<String>,
    /// The first 4 KiB of the endpoint's answer.
    pub response_body: String,
    /// The logged delivery (retried like any other if this attempt failed).
    pub delivery_id: String,
}

impl TestSent {
    /// What a test-send made: its attempt, or none (kept to be polled).
    pub(super) fn of(delivery: DeliveryId, made: Option<Attempt>) -> Self {
        let delivery_id = delivery.to_string();
        let Some(made) = made else {
            return Self {
                delivered: false,
                response_code: 0,
                duration_ms: 0,
                error: None,
                response_body: String::new(),
                delivery_id,
            };
        };
        let error = made.error.map(|e| {
            serde_json::to_value(e)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        });
        Self {
            delivered: made.error.is_none() && (200..300).contains(&made.code),
            response_code: made.code,
            duration_ms: made.duration_ms,
            error,
            response_body: made.response_body,
            delivery_id,
        }
    }
}
