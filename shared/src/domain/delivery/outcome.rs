//! What an attempt came to: the delivery statuses, an attempt as logged, its
//! outcome, and why a delivery failed.

use crate::domain::time::Timestamp;
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

/// Why a delivery ended `failed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// Every attempt of the retry schedule failed.
    AttemptsExhausted,
    /// The endpoint answered 410 Gone.
    Gone,
    /// A test-send, which is never retried, failed.
    TestNotRetried,
    /// The webhook is off (`disabled_reason` on it says why).
    WebhookDisabled,
    WebhookDeleted,
    /// The event expired before it could be sent.
    EventExpired,
    /// The webhook's transform could not shape a body for the event.
    TransformFailed,
}

impl FailureReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AttemptsExhausted => "attempts_exhausted",
            Self::Gone => "gone",
            Self::TestNotRetried => "test_not_retried",
            Self::WebhookDisabled => "webhook_disabled",
            Self::WebhookDeleted => "webhook_deleted",
            Self::EventExpired => "event_expired",
            Self::TransformFailed => "transform_failed",
        }
    }
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

/// What became of an attempt (or of a delivery that could not be attempted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Failed(FailureReason),
    RetryAt(Timestamp),
}

impl Outcome {
    /// The delivery's status after it.
    pub fn status(self) -> DeliveryStatus {
        match self {
            Self::Delivered => DeliveryStatus::Delivered,
            Self::Failed(_) => DeliveryStatus::Failed,
            Self::RetryAt(_) => DeliveryStatus::Scheduled,
        }
    }
}
