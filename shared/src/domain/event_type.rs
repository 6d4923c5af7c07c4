//! The account's catalogue of event types ("Available events"): what a
//! producer sends, described for the people who subscribe. Advisory only:
//! subscriptions and ingest are not limited to it.

use crate::domain::event::{EventKind, JsonText};
use crate::domain::ids::AccountId;
use crate::domain::payload_schema::{violations, PayloadSchema};
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

    pub fn text(&self) -> &JsonText {
        &self.0
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
    /// The contract of its events' `payload`, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<PayloadSchema>,
    /// With a schema: `POST /v1/events` refuses a payload that breaks it.
    #[serde(default)]
    pub enforce: bool,
    /// Moves on with every change of `schema` (0: it never had one).
    #[serde(default)]
    pub schema_version: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a create or PATCH sets: `Some(None)` clears a field.
#[derive(Clone, Debug, Default)]
pub struct EventTypeChanges {
    pub description: Option<Option<Description>>,
    pub example: Option<Option<Example>>,
    pub schema: Option<Option<PayloadSchema>>,
    pub enforce: Option<bool>,
}

impl EventType {
    /// A new entry with `changes` set, or the fields it breaks (`check`).
    pub fn new(
        account_id: AccountId,
        event: EventKind,
        changes: EventTypeChanges,
        now: Timestamp,
    ) -> Result<Self, Vec<(&'static str, String)>> {
        let mut made = Self {
            account_id,
            event,
            description: None,
            example: None,
            schema: None,
            enforce: false,
            schema_version: 0,
            created_at: now,
            updated_at: now,
        };
        made.change(changes, now)?;
        Ok(made)
    }

    /// Applies `changes` if the entry they make keeps its rules (`check`);
    /// `updated_at` moves with every change, `schema_version` with the schema's.
    pub fn change(
        &mut self,
        changes: EventTypeChanges,
        now: Timestamp,
    ) -> Result<(), Vec<(&'static str, String)>> {
        let mut next = self.clone();
        if let Some(description) = changes.description {
            next.description = description;
        }
        if let Some(example) = changes.example {
            next.example = example;
        }
        if let Some(schema) = changes.schema.filter(|s| *s != self.schema) {
            next.schema = schema;
            next.schema_version += 1;
        }
        if let Some(enforce) = changes.enforce {
            next.enforce = enforce;
        }
        next.check()?;
        next.updated_at = now;
        *self = next;
        Ok(())
    }

    /// The example must keep to the schema. (`enforce` without a schema
    /// enforces nothing until one is set.)
    fn check(&self) -> Result<(), Vec<(&'static str, String)>> {
        let (Some(schema), Some(example)) = (&self.schema, &self.example) else {
            return Ok(());
        };
        let Ok(validator) = schema.compile() else {
            return Ok(());
        };
        let example = serde_json::from_str(example.as_str()).unwrap_or(serde_json::Value::Null);
        match violations(&validator, &example) {
            (_, 0) => Ok(()),
            (found, _) => Err(found
                .into_iter()
                .map(|v| {
                    (
                        "example",
                        format!("breaks the schema at `{}`: {}", v.pointer, v.message),
                    )
                })
                .collect()),
        }
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
