//! One event's delivery to one URL, with its attempt log.

use crate::domain::event::{Event, EventKind};
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::time::Timestamp;
use crate::domain::webhook_url::WebhookUrl;
use serde::{Deserialize, Serialize};

/// `created` → `scheduled` → `dispatched` → `delivered` | `failed` (DESIGN.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Recorded, not yet queued.
    Created,
    /// Waiting for its time: a delay or a retry.
    Scheduled,
    /// Handed to a sender, which holds a lease on it.
    Dispatched,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [Self; 5] = [
        Self::Created,
        Self::Scheduled,
        Self::Dispatched,
        Self::Delivered,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Scheduled => "scheduled",
            Self::Dispatched => "dispatched",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                format!("`{text}` is not one of created, scheduled, dispatched, delivered, failed")
            })
    }

    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::Failed)
    }
}

/// Why an attempt did not get a 2xx.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptError {
    Timeout,
    Connect,
    Dns,
    Tls,
    BlockedAddress,
    HttpStatus,
}

/// One try at sending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at: Timestamp,
    /// The endpoint's HTTP status; 0 when there was no response.
    pub code: u16,
    pub duration_ms: u64,
    pub error: Option<AttemptError>,
    /// The first 4 KiB of the response body.
    pub response_body: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: DeliveryId,
    pub account_id: AccountId,
    pub event_id: EventId,
    /// `None` for an ad-hoc URL given with the event.
    pub webhook_id: Option<WebhookId>,
    pub url: WebhookUrl,
    pub event: EventKind,
    pub status: DeliveryStatus,
    /// The endpoint's last HTTP status; 0 if none yet.
    pub code: u16,
    pub attempts: u32,
    pub next_attempt_at: Option<Timestamp>,
    /// While `dispatched`: until when the sender that took it owns it.
    pub lease_until: Option<Timestamp>,
    #[serde(default)]
    pub attempt_log: Vec<Attempt>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Epoch seconds after which the delivery is gone (DynamoDB TTL).
    pub expires_at: i64,
    pub version: u64,
}

impl Delivery {
    /// A new delivery of `event` to `url`, first attempted at `due`. It
    /// expires with the event.
    pub fn new(
        id: DeliveryId,
        event: &Event,
        webhook_id: Option<WebhookId>,
        url: WebhookUrl,
        due: Timestamp,
    ) -> Self {
        Self {
            id,
            account_id: event.account_id,
            event_id: event.id,
            webhook_id,
            url,
            event: event.event.clone(),
            status: DeliveryStatus::Created,
            code: 0,
            attempts: 0,
            next_attempt_at: Some(due),
            lease_until: None,
            attempt_log: Vec::new(),
            created_at: event.created_at,
            updated_at: event.created_at,
            expires_at: event.expires_at,
            version: 1,
        }
    }
}
