//! The delivery queue (SQS in AWS) and the scheduler for long waits
//! (EventBridge Scheduler), as ports.

use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::time::Timestamp;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What travels on the queue: which delivery to work on (never the payload).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeliveryMessage {
    pub account_id: AccountId,
    pub delivery_id: DeliveryId,
}

impl DeliveryMessage {
    pub fn to_json(&self) -> String {
        // Two ids always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// A deleted webhook whose deliveries are still being removed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PurgeMessage {
    pub account_id: AccountId,
    pub purge_webhook_id: WebhookId,
}

/// Everything the delivery queue carries. A delivery message keeps its plain
/// `{account_id, delivery_id}` shape (what schedules put back, too).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum QueueMessage {
    Deliver(DeliveryMessage),
    Purge(PurgeMessage),
}

impl QueueMessage {
    pub fn to_json(&self) -> String {
        // Plain ids always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl From<DeliveryMessage> for QueueMessage {
    fn from(message: DeliveryMessage) -> Self {
        Self::Deliver(message)
    }
}

/// The longest wait SQS can hold (`DelaySeconds`); longer ones go to the Scheduler.
pub const MAX_QUEUE_DELAY_SECONDS: u32 = 900;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enqueue {
    pub message: QueueMessage,
    /// 0–900 seconds before the message becomes visible.
    pub delay_seconds: u32,
}

/// A message as a consumer receives it (the fields Lambda's SQS event carries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub message_id: String,
    pub receipt_handle: String,
    pub body: String,
    pub receive_count: u32,
}

#[derive(Debug, thiserror::Error)]
#[error("queue unavailable: {0}")]
pub struct QueueError(pub String);

#[async_trait]
pub trait Queue: Send + Sync {
    /// Durably enqueues every message (in batches), or fails as a whole.
    async fn send(&self, messages: &[Enqueue]) -> Result<(), QueueError>;

    /// Up to `max` visible messages, waiting up to `wait` for the first. What
    /// Lambda's event source mapping does in AWS; the local runner does it itself.
    async fn receive(&self, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError>;

    /// Acknowledges a received message.
    async fn delete(&self, receipt_handle: &str) -> Result<(), QueueError>;
}

#[async_trait]
pub trait Scheduler: Send + Sync {
    /// Puts `message` on the delivery queue at `at` (one-time, deleted after it
    /// fires). `name` is unique per delivery attempt, so a repeat is a no-op.
    async fn schedule(
        &self,
        name: &str,
        at: Timestamp,
        message: &DeliveryMessage,
    ) -> Result<(), QueueError>;

    /// Removes and returns the schedules due at `now`: for runners that fire
    /// schedules themselves (emulators never fire them).
    async fn take_due(&self, now: Timestamp) -> Result<Vec<DeliveryMessage>, QueueError>;
}
