//! An ingested event: stored once, shared by all of its deliveries.

use crate::domain::ids::{AccountId, EventId};
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// An event name or type part: 1–64 of `[A-Za-z0-9_-]`.
pub fn is_event_part(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// One part of an event's `name.type`: 1–64 of `[A-Za-z0-9_-]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventPart(String);

impl EventPart {
    pub fn parse(text: &str) -> Result<Self, String> {
        if is_event_part(text) {
            Ok(Self(text.to_owned()))
        } else {
            Err("must be 1 to 64 letters, digits, `_` or `-`".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_type!(EventPart, shown as is);

/// The event name hookrelay keeps for its own events (`webhook.test`,
/// `webhook.failing`, `webhook.disabled`): producers may not send it.
pub const RESERVED_EVENT_NAME: &str = "webhook";

/// hookrelay's own events, all named `webhook` (`RESERVED_EVENT_NAME`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationalEvent {
    /// A test-send: it reaches even a disabled webhook and is never retried.
    Test,
    /// A webhook's deliveries have failed half-way to auto-disable.
    Failing,
    /// hookrelay switched a webhook off: its deliveries kept failing.
    Disabled,
}

impl OperationalEvent {
    pub const ALL: [Self; 3] = [Self::Test, Self::Failing, Self::Disabled];

    pub fn name(self) -> &'static str {
        RESERVED_EVENT_NAME
    }

    pub fn kind(self) -> &'static str {
        match self {
            Self::Test => "test",
            Self::Failing => "failing",
            Self::Disabled => "disabled",
        }
    }

    /// Which of them `event` is, if any.
    pub fn parse(event: &EventKind) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|op| event.name.as_str() == op.name() && event.kind.as_str() == op.kind())
    }

    /// Its `name.type`: both parts are constants, valid by construction.
    pub fn event_kind(self) -> EventKind {
        EventKind {
            name: EventPart(self.name().to_owned()),
            kind: EventPart(self.kind().to_owned()),
        }
    }
}

/// What happened: `{name}.{type}`, e.g. `user.created`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventKind {
    pub name: EventPart,
    #[serde(rename = "type")]
    pub kind: EventPart,
}

impl EventKind {
    /// Reads `name.type`, as a path segment or a cursor carries it.
    pub fn parse_dotted(text: &str) -> Option<Self> {
        let (name, kind) = text.split_once('.')?;
        Some(Self {
            name: EventPart::parse(name).ok()?,
            kind: EventPart::parse(kind).ok()?,
        })
    }

    pub fn dotted(&self) -> String {
        format!("{}.{}", self.name, self.kind)
    }
}

/// JSON text that is known to parse (kept as text so it is sent byte for byte).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JsonText(String);

impl JsonText {
    pub fn from_value(value: &serde_json::Value) -> Self {
        Self(value.to_string())
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map(|_| Self(text.to_owned()))
            .map_err(|e| format!("not JSON: {e}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

text_type!(JsonText, shown as is);

/// Epoch seconds at which something created at `at` expires after `retention_days`.
pub fn expiry(at: Timestamp, retention_days: u32) -> i64 {
    at.epoch_seconds() + i64::from(retention_days) * 86_400
}

/// Whether an item of `owner` that expires at `expires_at` is readable by
/// `account` at `now`: both stores hide other accounts' items, and expired
/// ones that TTL has not removed yet.
pub fn visible(owner: AccountId, expires_at: i64, account: AccountId, now: Timestamp) -> bool {
    owner == account && now.epoch_seconds() < expires_at
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub account_id: AccountId,
    pub event: EventKind,
    pub payload: JsonText,
    pub context: JsonText,
    pub created_at: Timestamp,
    /// Epoch seconds after which the event is gone (DynamoDB TTL).
    pub expires_at: i64,
}

impl Event {
    pub fn visible_to(&self, account: AccountId, now: Timestamp) -> bool {
        visible(self.account_id, self.expires_at, account, now)
    }

    #[allow(clippy::too_many_arguments)] // one constructor for every field of an event
    pub fn new(
        id: EventId,
        account_id: AccountId,
        event: EventKind,
        payload: JsonText,
        context: JsonText,
        created_at: Timestamp,
        retention_days: u32,
    ) -> Self {
        Self {
            id,
            account_id,
            event,
            payload,
            context,
            created_at,
            expires_at: expiry(created_at, retention_days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operational_events_are_valid_parts_and_parse_back() {
        for op in OperationalEvent::ALL {
            let kind = op.event_kind();
            assert_eq!(EventPart::parse(op.name()).as_ref(), Ok(&kind.name));
            assert_eq!(EventPart::parse(op.kind()).as_ref(), Ok(&kind.kind));
            assert_eq!(OperationalEvent::parse(&kind), Some(op));
        }
        let other = EventKind::parse_dotted("webhook.created").unwrap();
        assert_eq!(OperationalEvent::parse(&other), None);
    }
}
