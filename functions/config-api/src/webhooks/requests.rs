//! What the webhook routes accept: each body parsed field by field (every
//! bad field reported), and the request schemas the OpenAPI document shows.

use crate::filters::parse_pattern;
use crate::transforms::check_on_examples;
use hookrelay::app::App;
use hookrelay::domain::filter::Filter;
use hookrelay::domain::ids::{AccountId, WebhookId};
use hookrelay::domain::retry::RetrySchedule;
use hookrelay::domain::transform::Transform;
use hookrelay::domain::webhook::{
    CustomHeaders, DeliveryMode, Description, Endpoint, EndpointApiKey, EventPattern,
    EventPatterns, Name, RateLimit, Secret, WebhookChanges,
};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::ApiError;
use hookrelay::ports::store::StoreError;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

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
    /// (422) unless the deployment allows them. Required for a push
    /// webhook; a poll webhook has none (422).
    url: Option<String>,
    /// `push` (default): each delivery is POSTed to `url`. `poll`: nothing
    /// is sent; the deliveries wait, signed as a push would be, for
    /// `GET /v1/webhooks/{id}/poll` (no `url`, `rate_limit` or
    /// `retry_schedule`: 422). Fixed at creation: a PATCH may repeat it,
    /// not change it (422).
    delivery: Option<String>,
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
    /// Its own waits between attempts, in seconds (1–20 waits of 1–86400
    /// each), in place of the deployment's `HOOKRELAY_RETRY_SCHEDULE`: a
    /// delivery is tried once and then after each wait (±20 % jitter).
    /// Doubled (a `Retry-After` may stretch a wait to twice its step) and
    /// with the longest event delay, they must fit `RETENTION_DAYS`. null
    /// (PATCH) goes back to the deployment's.
    #[schema(min_items = 1, max_items = 20)]
    retry_schedule: Option<Vec<u32>>,
    /// An EventBridge event pattern over what would be sent (`event`
    /// `{name, type}`, `payload`, `context`): an event it does not match
    /// gets no delivery here. At most 2048 bytes of JSON, fields at most 6
    /// levels down; each mistake is named by its path (`filter.payload.total.0.numeric`).
    /// null (PATCH) removes it.
    #[schema(value_type = Option<Object>)]
    filter: Option<Value>,
    /// The body's shape: `"default"` (hookrelay's body), `"settings"`
    /// (`{event_time, event_type, current_context, data}`) or
    /// `{"template": "..."}`: Jinja (minijinja) rendering JSON from the
    /// default body's fields (`id`, `event`, `timestamp`, `context`,
    /// `payload`); each `{{ value }}` is written as JSON, or as text inside a
    /// JSON string. At most 8192 bytes; it must render JSON for the example
    /// of each catalogued event type it subscribes to, else a 422 naming the
    /// line. null (PATCH) goes back to `"default"`.
    #[schema(value_type = Option<Object>)]
    transform: Option<Value>,
}

/// What PATCH takes beside the create fields (`openapi` describes them):
/// not stored, they act on the change.
pub const CHANGE_ONLY_FIELDS: &[&str] = &["replay_failed"];

pub const WEBHOOK_FIELDS: &[&str] = &[
    "name",
    "url",
    "delivery",
    "events",
    "secret",
    "api_key",
    "description",
    "headers",
    "enabled",
    "rate_limit",
    "retry_schedule",
    "filter",
    "transform",
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
const MAX_GRACE_SECONDS: u64 = 604_800;

/// What a create or PATCH body says, each field parsed or reported.
pub(super) struct Submitted {
    pub(super) fields: Fields,
    name: Option<Name>,
    url: Option<WebhookUrl>,
    delivery: Option<DeliveryMode>,
    events: Option<EventPatterns>,
    pub(super) changes: WebhookChanges,
}

impl Submitted {
    /// The create fields of `body`, whose fields are all `known` (else a 422 each).
    pub(super) async fn parse(app: &App, body: JsonObject, known: &[&str]) -> Self {
        let mut fields = Fields::new(body, known);
        let name = fields.optional("name", |v| Name::parse(read::string(v)?));
        let url = fields.optional("url", |v| WebhookUrl::parse(read::string(v)?));
        let delivery = fields.optional("delivery", |v| DeliveryMode::parse(read::string(v)?));
        let events = fields.optional("events", parse_events);
        let secret = fields.optional("secret", |v| Secret::parse(read::string(v)?));
        let api_key = fields.nullable("api_key", |v| EndpointApiKey::parse(read::string(v)?));
        let description = fields.nullable("description", |v| Description::parse(read::string(v)?));
        let headers = parse_headers(&mut fields);
        let enabled = fields.optional("enabled", read::boolean);
        let rate_limit = fields.nullable("rate_limit", |v| {
            RateLimit::new(read::whole_number(v, 0, u64::MAX)?)
        });
        let retry_schedule = fields.nullable("retry_schedule", parse_schedule);
        let filter = parse_filter(&mut fields);
        let transform = fields
            .nullable("transform", |v| {
                Transform::parse(v).map_err(|e| e.to_string())
            })
            .map(Option::unwrap_or_default);
        if let Some(Some(schedule)) = &retry_schedule {
            if let Err(message) = app.settings.check_retry_schedule(schedule) {
                fields.error("retry_schedule", message);
            }
        }
        if let Some(url) = &url {
            if let Err(message) = app.settings.check_target(url, &*app.resolver).await {
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
            retry_schedule,
            filter,
            transform,
        };
        Self {
            fields,
            name,
            url,
            delivery,
            events,
            changes,
        }
    }
}

impl Submitted {
    /// A template is tried on the catalogue's examples for the events it
    /// will get (`events`, when the request names none) before it is
    /// stored: a failure is the `transform` field's error.
    pub(super) async fn try_transform(
        &mut self,
        app: &App,
        account: AccountId,
        events: Option<&EventPatterns>,
    ) -> Result<(), StoreError> {
        let (Some(transform), Some(events)) =
            (&self.changes.transform, self.events.as_ref().or(events))
        else {
            return Ok(());
        };
        if let Err(message) = check_on_examples(app, account, events, transform).await? {
            self.fields.error("transform", message);
        }
        Ok(())
    }

    /// Whether a PATCH needs the webhook as stored: to try the request's
    /// template on its events, or to hold fields to its `delivery`.
    pub(super) fn needs_stored(&self) -> bool {
        let template = matches!(self.changes.transform, Some(Transform::Template(_)));
        (template && self.events.is_none())
            || self.delivery.is_some()
            || self.url.is_some()
            || matches!(self.changes.rate_limit, Some(Some(_)))
            || matches!(self.changes.retry_schedule, Some(Some(_)))
    }

    /// Holds the request to the webhook's `delivery` (`stored`, on PATCH;
    /// the one asked for on create): it is fixed at creation, and a poll
    /// webhook takes no URL, rate limit or retry schedule (nothing is sent).
    pub(super) fn check_delivery(&mut self, stored: Option<DeliveryMode>) {
        if let (Some(stored), Some(asked)) = (stored, self.delivery) {
            if stored != asked {
                let why = format!("is `{}` and cannot change: its waiting deliveries would be left on the wrong path; create a new webhook instead", stored.as_str());
                self.fields.error("delivery", why);
            }
        }
        if stored.or(self.delivery).unwrap_or_default() != DeliveryMode::Poll {
            return;
        }
        let refused = [
            ("url", self.url.is_some(), "must be left out for a poll webhook: its deliveries are fetched with GET /v1/webhooks/{id}/poll"),
            ("rate_limit", matches!(self.changes.rate_limit, Some(Some(_))), "does not apply to a poll webhook: nothing is sent"),
            ("retry_schedule", matches!(self.changes.retry_schedule, Some(Some(_))), "does not apply to a poll webhook: nothing is sent, so nothing is retried"),
        ];
        for (field, given, why) in refused {
            if given && !self.fields.has_error(field) {
                self.fields.error(field, why);
            }
        }
    }

    /// What a create needs: name, events and (for a push webhook) url are
    /// required; where its deliveries go.
    pub(super) fn for_create(
        mut self,
    ) -> Result<(Name, Endpoint, EventPatterns, WebhookChanges), ApiError> {
        let polled = self.delivery == Some(DeliveryMode::Poll);
        // A `delivery` it cannot read leaves open whether a URL is needed.
        let unknown = self.fields.has_error("delivery");
        for (field, given) in [
            ("name", self.name.is_some()),
            ("url", self.url.is_some() || polled || unknown),
            ("events", self.events.is_some()),
        ] {
            if !given && !self.fields.has_error(field) {
                self.fields.error(field, "is required");
            }
        }
        let endpoint = match (polled, self.url.take()) {
            (true, _) => Some(Endpoint::Poll),
            (false, url) => url.map(Endpoint::Push),
        };
        let Self {
            fields,
            name,
            events,
            changes,
            ..
        } = self;
        let (name, endpoint, events) = fields.done(
            name.zip(endpoint)
                .zip(events)
                .map(|((n, to), e)| (n, to, e)),
        )?;
        Ok((name, endpoint, events, changes))
    }
}

/// A rotate body: the new secret (generated when absent) and how long the
/// old one keeps signing.
pub(super) fn parse_rotation(app: &App, body: JsonObject) -> Result<(Secret, u32), ApiError> {
    let mut fields = Fields::new(body, ROTATE_FIELDS);
    let grace = fields
        .optional("grace_seconds", |v| {
            read::whole_number(v, 0, MAX_GRACE_SECONDS)
        })
        .unwrap_or(DEFAULT_GRACE_SECONDS);
    let next = fields.optional("secret", |v| Secret::parse(read::string(v)?));
    fields.finish()?;
    let next = next.unwrap_or_else(|| Secret::generate(&*app.random));
    Ok((next, u32::try_from(grace).unwrap_or(u32::MAX)))
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
    // Values as OpenAPI states them: visible ASCII, spaces and tabs. (The
    // domain also takes the non-ASCII bytes HTTP tolerates, so a webhook
    // stored with them before still reads.)
    let plain = |value: &str| {
        value
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    };
    let mut errors: Vec<(String, String)> = entries
        .iter()
        .filter(|(_, value)| !plain(value))
        .map(|(name, _)| {
            (
                name.clone(),
                "has a value that is not visible ASCII".to_owned(),
            )
        })
        .collect();
    let parsed = CustomHeaders::parse(entries)
        .map_err(|more| errors.extend(more))
        .ok();
    for (name, message) in &errors {
        let field = if name.is_empty() {
            "headers".to_owned()
        } else {
            format!("headers.{name}")
        };
        fields.error(field, message.as_str());
    }
    parsed.filter(|_| errors.is_empty())
}

/// `filter`: absent leaves it, null removes it; each mistake in the
/// pattern is reported at its path (`filter.payload.total`).
fn parse_filter(fields: &mut Fields) -> Option<Option<Filter>> {
    match fields.nullable("filter", |pattern| Ok(pattern.clone()))? {
        None => Some(None),
        Some(pattern) => parse_pattern(fields, &pattern).map(Some),
    }
}

pub(super) fn webhook_id(text: &str) -> Result<WebhookId, ApiError> {
    WebhookId::parse(text).ok_or(ApiError::NotFound("webhook"))
}

/// A retry schedule: an array of whole seconds.
fn parse_schedule(value: &Value) -> Result<RetrySchedule, String> {
    let most = u64::from(RetrySchedule::MAX_WAIT_SECONDS);
    let waits = value
        .as_array()
        .ok_or("must be an array of seconds")?
        .iter()
        .map(|wait| read::whole_number(wait, 1, most).map(|w| u32::try_from(w).unwrap_or(u32::MAX)))
        .collect::<Result<Vec<u32>, String>>()?;
    RetrySchedule::new(waits)
}
