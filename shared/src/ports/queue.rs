//! The delivery queue (SQS in AWS) and the scheduler for long waits
//! (EventBridge Scheduler), as ports.

use crate::domain::delivery::{KeptUrl, Target};
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, DeliveryId, EventId, TaskId, WebhookId};
use crate::domain::sealed::Sealed;
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::domain::webhook_url::WebhookUrl;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What travels on the queue for one delivery. A message from ingest or
/// fan-out carries what the first attempt needs (`first`), so the sender
/// reads nothing before it sends; any other (a retry, a recover, the
/// sweeper's, a schedule's) makes the sender read the delivery first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryMessage {
    pub account_id: AccountId,
    pub delivery_id: DeliveryId,
    /// Attempts made when this was queued: it is for the next one.
    #[serde(default)]
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<Box<FirstAttempt>>,
    /// The send slot of a rate-limited webhook this attempt holds already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<Timestamp>,
}

/// What the first attempt of a freshly recorded delivery needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstAttempt {
    pub event_id: EventId,
    /// `None`: the ad-hoc `url`.
    pub webhook_id: Option<WebhookId>,
    /// The webhook's version fan-out saw: a cached copy at least this new will do.
    #[serde(default)]
    pub webhook_version: u64,
    /// As the delivery keeps it (`KeptUrl`): shown, and sealed when it has a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<WebhookUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_url: Option<Sealed>,
    pub due: Timestamp,
    /// The event itself, when it is small (else the sender reads it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
}

impl FirstAttempt {
    /// Where it goes: the webhook, or the ad-hoc URL (`None`: the message
    /// names neither, and the delivery as stored must say).
    pub fn target(&self) -> Option<Target> {
        let url = self.url.clone().map(|shown| KeptUrl {
            shown,
            sealed: self.sealed_url.clone(),
        });
        Target::of(self.webhook_id, url)
    }
}

impl DeliveryMessage {
    /// A message that makes the sender read the delivery first.
    pub fn again(account_id: AccountId, delivery_id: DeliveryId, attempts: u32) -> Self {
        Self {
            account_id,
            delivery_id,
            attempts,
            first: None,
            slot: None,
        }
    }
}

/// One step of a background task (`domain::task`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMessage {
    pub account_id: AccountId,
    pub task_id: TaskId,
    pub step: u32,
}

/// A wake bucket whose schedule fired: its deliveries (after `after`, when
/// continuing) are put on the queue at their second.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WakeMessage {
    pub bucket: WakeBucket,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// Everything the delivery queue carries, told apart by `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QueueMessage {
    Deliver(DeliveryMessage),
    Task(TaskMessage),
    Wake(WakeMessage),
}

impl QueueMessage {
    /// The message body. Ids, times and validated text always serialize; if
    /// one ever did not, the send fails rather than queue an empty body.
    pub fn to_json(&self) -> Result<String, QueueError> {
        serde_json::to_string(self)
            .map_err(|err| QueueError(format!("a queue message does not serialize: {err}")))
    }

    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// This message sent again as a new one (after it failed on its last
    /// receive): a delivery message loses what its first attempt carried,
    /// so whoever takes it reads the delivery and sees what was done.
    pub fn resent(self) -> Self {
        match self {
            Self::Deliver(m) => Self::Deliver(DeliveryMessage::again(
                m.account_id,
                m.delivery_id,
                m.attempts,
            )),
            other => other,
        }
    }
}

impl From<DeliveryMessage> for QueueMessage {
    fn from(message: DeliveryMessage) -> Self {
        Self::Deliver(message)
    }
}

/// Whether a queue takes `text` in a message body. SQS refuses U+FFFE and
/// U+FFFF (JSON escapes every other character it refuses), and so does the
/// in-memory queue, so a message that could not travel fails everywhere.
pub fn queue_safe(text: &str) -> bool {
    !text.contains(['\u{FFFE}', '\u{FFFF}'])
}

/// The bodies of `messages` as `queue` would carry them; an error, before
/// any is sent, if one does not serialize or holds what a queue refuses.
pub fn bodies(messages: &[Enqueue], queue: &str) -> Result<Vec<String>, QueueError> {
    let bodies = messages
        .iter()
        .map(|m| m.message.to_json())
        .collect::<Result<Vec<String>, _>>()?;
    if !bodies.iter().all(|body| queue_safe(body)) {
        return Err(QueueError(format!(
            "a message holds a character {queue} refuses (U+FFFE or U+FFFF)"
        )));
    }
    Ok(bodies)
}

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

/// A message for the delivery queue at a time, made once under its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub name: String,
    pub at: Timestamp,
    pub message: QueueMessage,
}

#[async_trait]
pub trait Scheduler: Send + Sync {
    /// Puts the message on the delivery queue at its time (one-time, deleted
    /// after it fires). A second schedule of the same name is a no-op.
    async fn schedule(&self, schedule: &Schedule) -> Result<(), QueueError>;

    /// The schedules due at `now`, by name: for runners that fire schedules
    /// themselves (emulators never fire them). They stay until `remove`d, so
    /// a runner enqueues each before it removes it.
    async fn due(&self, now: Timestamp) -> Result<Vec<(String, QueueMessage)>, QueueError>;

    /// Removes a schedule (gone already is fine).
    async fn remove(&self, name: &str) -> Result<(), QueueError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages exactly as this version writes them: one of each kind, and a
    /// first message with everything in it. An upgrade must read every one
    /// of them (messages in flight, schedules waiting) and write them alike.
    const IN_FLIGHT: [&str; 5] = [
        r#"{"kind":"deliver","account_id":"0b9e7f5c-6a3e-4a57-9d4e-2f2d7f3c1a10","delivery_id":"01937f0c-8a00-7000-8000-000000000001","attempts":2}"#,
        r#"{"kind":"deliver","account_id":"0b9e7f5c-6a3e-4a57-9d4e-2f2d7f3c1a10","delivery_id":"01937f0c-8a00-7000-8000-000000000001","attempts":0,"first":{"event_id":"01937f0c-8a00-7000-8000-000000000002","webhook_id":"01937f0c-8a00-7000-8000-000000000003","webhook_version":4,"due":"2026-11-22T12:00:00.001Z","event":{"id":"01937f0c-8a00-7000-8000-000000000002","account_id":"0b9e7f5c-6a3e-4a57-9d4e-2f2d7f3c1a10","event":{"name":"user","type":"created"},"payload":"{\"a\":1}","context":"{}","created_at":"2026-11-22T12:00:00.001Z","expires_at":1795000000}},"slot":"2026-11-22T12:00:01.000Z"}"#,
        r#"{"kind":"deliver","account_id":"0b9e7f5c-6a3e-4a57-9d4e-2f2d7f3c1a10","delivery_id":"01937f0c-8a00-7000-8000-000000000001","attempts":0,"first":{"event_id":"01937f0c-8a00-7000-8000-000000000002","webhook_id":null,"webhook_version":0,"url":"https://example.com/hook","due":"2026-11-22T12:00:00.001Z"}}"#,
        r#"{"kind":"task","account_id":"0b9e7f5c-6a3e-4a57-9d4e-2f2d7f3c1a10","task_id":"01937f0c-8a00-7000-8000-000000000004","step":3}"#,
        r#"{"kind":"wake","bucket":{"starts_at":"2026-11-22T12:00:00.000Z","group":7},"after":"01937f0c-8a00-7000-8000-000000000001"}"#,
    ];

    #[test]
    fn messages_written_today_read_back_and_write_alike() {
        for text in IN_FLIGHT {
            let message = QueueMessage::from_json(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(message.to_json().unwrap(), text);
        }
    }
}
