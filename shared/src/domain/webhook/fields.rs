//! The parts of a webhook's configuration, each parsed once: name, description,
//! event patterns, endpoint API key, custom headers, rate limit.

use crate::domain::event::is_event_part;
use crate::domain::ids::DeliveryId;
use http::{HeaderName, HeaderValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A display name: 1–100 characters, not blank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    pub fn parse(text: &str) -> Result<Self, String> {
        let count = text.chars().count();
        if text.trim().is_empty() {
            return Err("must not be empty".into());
        }
        if count > 100 {
            return Err(format!("must be at most 100 characters (got {count})"));
        }
        if text.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        Ok(Self(text.to_owned()))
    }
}

text_type!(Name, shown as is);

/// Free text describing a webhook: at most 1000 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

impl Description {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.chars().count() > 1000 {
            return Err("must be at most 1000 characters".into());
        }
        Ok(Self(text.to_owned()))
    }
}

text_type!(Description, shown as is);

/// A subscription: `name.type`, `name.*` or `*`, parts of `[A-Za-z0-9_-]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum EventPattern {
    All,
    AnyType { name: String },
    Exact { name: String, kind: String },
}

impl EventPattern {
    const HINT: &'static str = "must be `name.type`, `name.*` or `*`, with parts of letters, digits, `_` and `-` (e.g. user.created)";

    pub fn parse(text: &str) -> Result<Self, String> {
        if text == "*" {
            return Ok(Self::All);
        }
        let (name, kind) = text.split_once('.').ok_or(Self::HINT)?;
        if !is_event_part(name) {
            return Err(Self::HINT.into());
        }
        match kind {
            "*" => Ok(Self::AnyType { name: name.into() }),
            kind if is_event_part(kind) => Ok(Self::Exact {
                name: name.into(),
                kind: kind.into(),
            }),
            _ => Err(Self::HINT.into()),
        }
    }

    pub fn matches(&self, event_name: &str, event_type: &str) -> bool {
        match self {
            Self::All => true,
            Self::AnyType { name } => name == event_name,
            Self::Exact { name, kind } => name == event_name && kind == event_type,
        }
    }
}

impl fmt::Display for EventPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("*"),
            Self::AnyType { name } => write!(f, "{name}.*"),
            Self::Exact { name, kind } => write!(f, "{name}.{kind}"),
        }
    }
}
text_type!(EventPattern);

/// 1–50 distinct patterns, in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<EventPattern>", into = "Vec<EventPattern>")]
pub struct EventPatterns(Vec<EventPattern>);

impl EventPatterns {
    pub const MAX: usize = 50;

    /// 1–50 patterns as listed (repeats count: the limit is on the request),
    /// kept once each.
    pub fn new(patterns: Vec<EventPattern>) -> Result<Self, String> {
        match patterns.len() {
            0 => return Err("must list at least one event pattern".into()),
            n if n > Self::MAX => {
                return Err(format!(
                    "must list at most {} patterns (got {n})",
                    Self::MAX
                ))
            }
            _ => {}
        }
        let mut distinct: Vec<EventPattern> = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            if !distinct.contains(&pattern) {
                distinct.push(pattern);
            }
        }
        Ok(Self(distinct))
    }

    pub fn matches(&self, event_name: &str, event_type: &str) -> bool {
        self.0.iter().any(|p| p.matches(event_name, event_type))
    }

    pub fn iter(&self) -> impl Iterator<Item = &EventPattern> {
        self.0.iter()
    }
}

impl TryFrom<Vec<EventPattern>> for EventPatterns {
    type Error = String;
    fn try_from(patterns: Vec<EventPattern>) -> Result<Self, String> {
        Self::new(patterns)
    }
}

impl From<EventPatterns> for Vec<EventPattern> {
    fn from(patterns: EventPatterns) -> Self {
        patterns.0
    }
}

/// The key a webhook sends as `x-api-key`: 1–255 visible ASCII characters.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EndpointApiKey(String);

impl EndpointApiKey {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() || text.len() > 255 || !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err("must be 1 to 255 visible ASCII characters".into());
        }
        Ok(Self(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn masked(&self) -> String {
        let keep = if self.0.len() >= 12 { 4 } else { 0 };
        format!("****{}", &self.0[self.0.len() - keep..])
    }
}

impl fmt::Debug for EndpointApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EndpointApiKey({})", self.masked())
    }
}
text_type!(EndpointApiKey, shown as is);

/// Extra headers sent with every delivery. They may not replace the ones
/// hookrelay sets (signature, content type, auth) nor hop-by-hop headers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, String>",
    into = "BTreeMap<String, String>"
)]
pub struct CustomHeaders(BTreeMap<String, String>);

impl CustomHeaders {
    pub const MAX: usize = 20;
    const RESERVED: [&'static str; 12] = [
        "authorization",
        "connection",
        "content-encoding",
        "content-length",
        "content-type",
        "host",
        "keep-alive",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
    ];

    /// Checks every header; the errors name each bad one (`headers.NAME`).
    pub fn parse(entries: BTreeMap<String, String>) -> Result<Self, Vec<(String, String)>> {
        let mut errors = Vec::new();
        if entries.len() > Self::MAX {
            errors.push((String::new(), format!("at most {} headers", Self::MAX)));
        }
        let mut seen = std::collections::HashSet::new();
        for (name, value) in &entries {
            let lower = name.to_ascii_lowercase();
            let problem = if HeaderName::from_bytes(name.as_bytes()).is_err() {
                Some("is not a valid header name".to_owned())
            } else if Self::RESERVED.contains(&lower.as_str())
                || lower == "x-api-key"
                || lower.starts_with("webhook-")
                || lower.starts_with("proxy-")
            {
                Some("is set by hookrelay and cannot be overridden".to_owned())
            } else if !seen.insert(lower) {
                Some("is given twice (header names ignore case)".to_owned())
            } else if value.len() > 4096 || HeaderValue::from_str(value).is_err() {
                Some("has a value that is not a valid header value (max 4096 bytes)".to_owned())
            } else {
                None
            };
            if let Some(message) = problem {
                errors.push((name.clone(), message));
            }
        }
        if errors.is_empty() {
            Ok(Self(entries))
        } else {
            Err(errors)
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }
}

impl TryFrom<BTreeMap<String, String>> for CustomHeaders {
    type Error = String;
    fn try_from(entries: BTreeMap<String, String>) -> Result<Self, String> {
        Self::parse(entries).map_err(|errors| format!("invalid custom headers: {errors:?}"))
    }
}

impl From<CustomHeaders> for BTreeMap<String, String> {
    fn from(headers: CustomHeaders) -> Self {
        headers.0
    }
}

/// At most this many deliveries per second to one webhook (1–10,000):
/// sends beyond it are delayed, never dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct RateLimit(u32);

impl RateLimit {
    pub const MAX: u32 = 10_000;

    pub fn new(per_second: u64) -> Result<Self, String> {
        u32::try_from(per_second)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
            .ok_or_else(|| {
                format!(
                    "must be a whole number of deliveries per second from 1 to {}",
                    Self::MAX
                )
            })
    }

    pub fn per_second(self) -> u32 {
        self.0
    }

    /// The least time between two sends, in microseconds.
    /// The send-slot items its sends are spread over: each hands out at
    /// most `SENDS_PER_SLOT_ITEM` slots a second, well inside what one key
    /// takes (1,000 writes a second).
    pub fn slot_items(self) -> u16 {
        u16::try_from(self.0.div_ceil(u32::from(SENDS_PER_SLOT_ITEM))).unwrap_or(u16::MAX)
    }

    /// The slot item a delivery reserves from.
    pub fn slot_item(self, delivery: DeliveryId) -> u16 {
        delivery.spread() % self.slot_items()
    }

    /// Microseconds between two slots of one item, so that all items
    /// together hand out at most the limit.
    pub fn interval_micros(self) -> i64 {
        1_000_000 * i64::from(self.slot_items()) / i64::from(self.0)
    }
}

/// Sends a second one send-slot item hands out at most (`RateLimit::slot_items`).
pub const SENDS_PER_SLOT_ITEM: u16 = 100;

impl TryFrom<u32> for RateLimit {
    type Error = String;
    fn try_from(n: u32) -> Result<Self, String> {
        Self::new(n.into())
    }
}

impl From<RateLimit> for u32 {
    fn from(limit: RateLimit) -> u32 {
        limit.0
    }
}
