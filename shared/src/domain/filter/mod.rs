//! Payload filters (DESIGN.md §9): an optional pattern on a webhook, in
//! EventBridge's event-pattern syntax, over the body a delivery would send
//! (`event` `{name, type}`, `payload`, `context`). Fan-out creates no
//! delivery for a webhook whose filter does not match.
//!
//! A pattern is an object whose leaves are arrays: every field must match
//! (AND), any element of a leaf may (OR). An element is a value to equal
//! (a string, a number, true, false or null) or one matcher: `prefix`,
//! `suffix` (each a string or `{"equals-ignore-case": s}`),
//! `equals-ignore-case`, `anything-but` (a value, a list of strings or of
//! numbers, or `{"prefix" | "suffix" | "equals-ignore-case": ..}`),
//! `numeric` (`[">", 0, "<=", 5]`) or `exists` (true: the field is there,
//! whatever its value; false: it is not). A field holding an array matches
//! when any element does. `$or` is not supported. Bounds: `MAX_BYTES` of
//! JSON, fields at most `MAX_DEPTH` levels down.

mod parse;
mod pattern;
#[cfg(test)]
mod tests;

use crate::domain::event::{Event, EventKind};
use pattern::Fields;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::cell::OnceCell;

/// The largest pattern accepted, in bytes of compact JSON.
pub const MAX_BYTES: usize = 2048;
/// How far down a pattern's fields may go (`payload.a.b.c.d.e` is 6).
pub const MAX_DEPTH: usize = 6;

/// A parsed filter; stored (and compared) as the pattern it was given.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Filter {
    source: Value,
    fields: Fields,
}

/// What is wrong with a pattern, and where: the path of fields (and list
/// positions) down to it, empty for the pattern as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub path: Vec<String>,
    pub message: String,
}

impl PatternError {
    /// The request field it names: `root` and the path, dotted
    /// (`filter.payload.total.0.numeric`).
    pub fn field(&self, root: &str) -> String {
        std::iter::once(root)
            .chain(self.path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl Filter {
    pub fn parse(pattern: &Value) -> Result<Self, Vec<PatternError>> {
        let size = pattern.to_string().len();
        if size > MAX_BYTES {
            return Err(vec![PatternError {
                path: Vec::new(),
                message: format!("must be at most {MAX_BYTES} bytes of JSON (this is {size})"),
            }]);
        }
        let mut parser = parse::Parser::default();
        let fields = parser.top(pattern);
        let fields = parser.finish(fields)?;
        Ok(Self {
            source: pattern.clone(),
            fields,
        })
    }

    /// The pattern as given.
    pub fn pattern(&self) -> &Value {
        &self.source
    }

    /// Whether `subject` (see [`subject`]) passes.
    pub fn matches(&self, subject: &Value) -> bool {
        self.fields.matches(subject)
    }
}

impl PartialEq for Filter {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Filter {}

impl TryFrom<String> for Filter {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let pattern = serde_json::from_str(&text).map_err(|e| format!("filter: {e}"))?;
        Self::parse(&pattern).map_err(|errors| {
            let messages: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field("filter"), e.message))
                .collect();
            messages.join("; ")
        })
    }
}

impl From<Filter> for String {
    fn from(filter: Filter) -> Self {
        filter.source.to_string()
    }
}

/// What a filter is matched against: the body that is sent, less what
/// differs between deliveries of one event (`id`, `traceId`, `timestamp`).
pub fn subject(kind: &EventKind, payload: Value, context: Value) -> Value {
    json!({
        "event": {"name": kind.name.as_str(), "type": kind.kind.as_str()},
        "payload": payload,
        "context": context,
    })
}

/// An event's [`subject`], read from its payload at most once, when the
/// first webhook with a filter asks.
pub struct Subject<'a> {
    event: &'a Event,
    body: OnceCell<Value>,
}

impl<'a> Subject<'a> {
    pub fn of(event: &'a Event) -> Self {
        Self {
            event,
            body: OnceCell::new(),
        }
    }

    pub fn kind(&self) -> &EventKind {
        &self.event.event
    }

    pub fn body(&self) -> &Value {
        self.body.get_or_init(|| {
            // Both are JSON by construction (`JsonText`).
            let read = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
            subject(
                &self.event.event,
                read(self.event.payload.as_str()),
                read(self.event.context.as_str()),
            )
        })
    }
}
