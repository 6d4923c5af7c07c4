//! What the API takes and answers, as far as this client reads it: fields
//! it does not name are kept in `extra`, so a newer server loses nothing.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A field a request got wrong (a 422's `errors`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Webhook {
    pub id: String,
    pub name: String,
    /// None for a polling webhook.
    #[serde(default)]
    pub url: Option<String>,
    pub events: Vec<String>,
    pub enabled: bool,
    /// Whole on create and rotate, masked elsewhere.
    pub secret: String,
    #[serde(default)]
    pub last_delivery_status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct WebhookBody {
    pub(crate) webhook: Webhook,
}

#[derive(Clone, Debug, Deserialize)]
pub struct WebhookPage {
    pub webhooks: Vec<Webhook>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// A webhook to create: name, URL and events, anything else in `extra`.
#[derive(Clone, Debug, Serialize)]
pub struct NewWebhook {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub events: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl NewWebhook {
    pub fn new<E: Into<String>>(
        name: &str,
        url: &str,
        events: impl IntoIterator<Item = E>,
    ) -> Self {
        Self {
            name: name.to_owned(),
            url: Some(url.to_owned()),
            events: events.into_iter().map(Into::into).collect(),
            extra: Map::new(),
        }
    }

    /// A polling webhook (`"delivery": "poll"`): no URL, its deliveries
    /// wait to be fetched with [`crate::Client::poll`].
    pub fn polling<E: Into<String>>(name: &str, events: impl IntoIterator<Item = E>) -> Self {
        Self {
            url: None,
            ..Self::new(name, "", events)
        }
        .with("delivery", Value::from("poll"))
    }

    /// Sets another create field (`secret`, `transform`, `delivery`, ...).
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.extra.insert(field.to_owned(), value);
        self
    }
}

/// An event to send: `name`, `type`, `payload`, anything else in `extra`.
#[derive(Clone, Debug, Serialize)]
pub struct NewEvent {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub payload: Value,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl NewEvent {
    pub fn new(name: &str, kind: &str, payload: Value) -> Self {
        Self {
            name: name.to_owned(),
            kind: kind.to_owned(),
            payload,
            extra: Map::new(),
        }
    }

    /// Sets another event field (`context`, `delay`, `webhook`).
    pub fn with(mut self, field: &str, value: Value) -> Self {
        self.extra.insert(field.to_owned(), value);
        self
    }
}

/// What ingest answered: the event's id and its deliveries' (when fanned out inline).
#[derive(Clone, Debug, Deserialize)]
pub struct SentEvent {
    pub id: String,
    #[serde(default)]
    pub deliveries: Option<Vec<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct EventRef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Delivery {
    pub id: String,
    pub event_id: String,
    #[serde(default)]
    pub webhook_id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub event: EventRef,
    pub status: String,
    pub code: u16,
    pub attempts: u32,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub payload: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub(crate) struct DeliveryBody {
    pub(crate) delivery: Delivery,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DeliveryPage {
    pub deliveries: Vec<Delivery>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// One delivery of a polling webhook, as a poll hands it out: what a push
/// would have POSTed (the body as text, the signed headers).
#[derive(Clone, Debug, Deserialize)]
pub struct PolledDelivery {
    pub id: String,
    pub event_id: String,
    pub event: EventRef,
    pub created_at: String,
    /// Verify the signature over this text as it is, then parse it.
    pub body: String,
    pub headers: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PollPage {
    pub deliveries: Vec<PolledDelivery>,
    /// Pass to the next poll once these are processed: it acknowledges them.
    #[serde(default)]
    pub next_cursor: Option<String>,
    #[serde(default)]
    pub has_more: bool,
}
