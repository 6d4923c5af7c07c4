//! The account's catalogue of event types ("Available events"): what a
//! producer sends, described for the people who subscribe. Advisory only:
//! subscriptions and ingest are not limited to it.

use crate::domain::event::{EventKind, JsonText};
use crate::domain::ids::AccountId;
use crate::domain::time::Timestamp;
use crate::domain::webhook::Description;
use serde::{Deserialize, Serialize};

/// The largest example payload kept, as JSON text.
pub const EXAMPLE_MAX_BYTES: usize = 16 * 1024;

/// An example payload: JSON of at most `EXAMPLE_MAX_BYTES`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Example(JsonText);

impl Example {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > EXAMPLE_MAX_BYTES {
            return Err(format!("must be at most {EXAMPLE_MAX_BYTES} bytes of JSON"));
        }
        JsonText::parse(text).map(Self)
    }

    pub fn from_value(value: &serde_json::Value) -> Result<Self, String> {
        Self::parse(&value.to_string())
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Display for Example {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
text_type!(Example);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventType {
    pub account_id: AccountId,
    pub event: EventKind,
    pub description: Option<Description>,
    pub example: Option<Example>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a PATCH may change: `Some(None)` clears a field.
#[derive(Clone, Debug, Default)]
pub struct EventTypeChanges {
    pub description: Option<Option<Description>>,
    pub example: Option<Option<Example>>,
}

impl EventType {
    pub fn new(
        account_id: AccountId,
        event: EventKind,
        description: Option<Description>,
        example: Option<Example>,
        now: Timestamp,
    ) -> Self {
        Self {
            account_id,
            event,
            description,
            example,
            created_at: now,
            updated_at: now,
        }
    }

    /// Applies `changes`; `updated_at` moves with every change.
    pub fn change(&mut self, changes: EventTypeChanges, now: Timestamp) {
        if let Some(description) = changes.description {
            self.description = description;
        }
        if let Some(example) = changes.example {
            self.example = example;
        }
        self.updated_at = now;
    }

    /// `name.type`: its address, and the order the catalogue is listed in.
    pub fn key(&self) -> String {
        self.event.dotted()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_json_of_bounded_size() {
        assert!(Example::parse("{\"id\": 1}").is_ok());
        assert!(Example::parse("{id: 1}").is_err());
        let big = format!("\"{}\"", "x".repeat(EXAMPLE_MAX_BYTES));
        assert!(Example::parse(&big).is_err());
    }
}
