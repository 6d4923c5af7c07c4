//! A webhook (endpoint configuration) and the parts it is made of.

pub use crate::domain::event::is_event_part;
use crate::domain::health::LastDelivery;
use crate::domain::health::{Health, HealthPolicy, Outcomes, Verdict};
use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::time::Timestamp;
use crate::domain::webhook_url::WebhookUrl;
use crate::ports::random::Random;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
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

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
text_type!(Name);

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

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
text_type!(Description);

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

/// A Standard Webhooks signing secret: `whsec_` + base64 of 24–64 bytes.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Secret(Vec<u8>);

impl Secret {
    const PREFIX: &'static str = "whsec_";

    pub fn generate(random: &dyn Random) -> Self {
        let mut bytes = vec![0u8; 32];
        random.fill(&mut bytes);
        Self(bytes)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        const HINT: &str = "must be `whsec_` followed by the base64 of 24 to 64 random bytes";
        let encoded = text.strip_prefix(Self::PREFIX).ok_or(HINT)?;
        let bytes = STANDARD
            .decode(encoded)
            .or_else(|_| STANDARD_NO_PAD.decode(encoded))
            .map_err(|_| HINT)?;
        if !(24..=64).contains(&bytes.len()) {
            return Err(HINT.into());
        }
        Ok(Self(bytes))
    }

    /// The decoded key the HMAC is computed with.
    pub fn key(&self) -> &[u8] {
        &self.0
    }

    /// What responses show outside create and rotate: the prefix and last four characters.
    pub fn masked(&self) -> String {
        let full = self.to_string();
        let tail = &full[full.len().saturating_sub(4)..];
        format!("{}****{tail}", Self::PREFIX)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Self::PREFIX, STANDARD.encode(&self.0))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}
text_type!(Secret);

/// A secret that still signs until `expires_at` (after a rotation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredSecret {
    pub secret: Secret,
    pub expires_at: Timestamp,
}

/// The current secret and those still within their rotation grace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningSecrets {
    pub current: Secret,
    #[serde(default)]
    pub retired: Vec<RetiredSecret>,
}

impl SigningSecrets {
    /// Rotations within a grace period keep at most this many old secrets (the newest).
    pub const MAX_RETIRED: usize = 3;

    pub fn new(current: Secret) -> Self {
        Self {
            current,
            retired: Vec::new(),
        }
    }

    /// `next` becomes current; the old one keeps signing for `grace_seconds`.
    pub fn rotate(&mut self, next: Secret, now: Timestamp, grace_seconds: u32) {
        let old = std::mem::replace(&mut self.current, next);
        self.retired.retain(|r| r.expires_at > now);
        if grace_seconds > 0 {
            self.retired.push(RetiredSecret {
                secret: old,
                expires_at: now.plus_seconds(grace_seconds.into()),
            });
        }
        // Bounded, so the stored item and the signature header stay small.
        let excess = self.retired.len().saturating_sub(Self::MAX_RETIRED);
        self.retired.drain(..excess);
    }

    /// Every secret a message sent at `now` is signed with, current first.
    pub fn live(&self, now: Timestamp) -> impl Iterator<Item = &Secret> {
        std::iter::once(&self.current).chain(
            self.retired
                .iter()
                .filter(move |r| r.expires_at > now)
                .map(|r| &r.secret),
        )
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

impl fmt::Display for EndpointApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EndpointApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EndpointApiKey({})", self.masked())
    }
}
text_type!(EndpointApiKey);

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

/// Why a webhook is off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisabledReason {
    /// A caller switched it off.
    Manual,
    /// hookrelay switched it off: its deliveries kept failing.
    Failing,
}

impl DisabledReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Manual => "manual",
            Self::Failing => "failing",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disabled {
    pub disabled_reason: DisabledReason,
    pub disabled_at: Timestamp,
}

/// Whether a webhook sends: on, or off for a reason since a time. Stored as
/// before, `enabled` beside the `disabled_*` fields, which only an off one has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SwitchParts", into = "SwitchParts")]
pub enum Switch {
    On,
    Off(Disabled),
}

/// How a `Switch` is stored.
#[derive(Serialize, Deserialize)]
struct SwitchParts {
    enabled: bool,
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    disabled: Option<Disabled>,
}

impl TryFrom<SwitchParts> for Switch {
    type Error = String;
    fn try_from(parts: SwitchParts) -> Result<Self, String> {
        match parts {
            SwitchParts { enabled: true, .. } => Ok(Self::On),
            SwitchParts {
                disabled: Some(disabled),
                ..
            } => Ok(Self::Off(disabled)),
            SwitchParts { disabled: None, .. } => {
                Err("a disabled webhook without disabled_reason and disabled_at".into())
            }
        }
    }
}

impl From<Switch> for SwitchParts {
    fn from(switch: Switch) -> Self {
        match switch {
            Switch::On => Self {
                enabled: true,
                disabled: None,
            },
            Switch::Off(disabled) => Self {
                enabled: false,
                disabled: Some(disabled),
            },
        }
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

/// A webhook as stored. `version` guards every change (optimistic concurrency).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    id: WebhookId,
    account_id: AccountId,
    name: Name,
    url: WebhookUrl,
    events: EventPatterns,
    secrets: SigningSecrets,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_key: Option<EndpointApiKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<Description>,
    #[serde(default)]
    headers: CustomHeaders,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rate_limit: Option<RateLimit>,
    /// On, or why and since when it is off.
    #[serde(flatten)]
    switch: Switch,
    created_at: Timestamp,
    updated_at: Timestamp,
    version: u64,
    /// Written by senders alone (field by field), so never version-guarded.
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    last_delivery: Option<LastDelivery>,
    /// Written by senders alone, like `last_delivery`.
    #[serde(flatten, default)]
    health: Health,
}

impl Webhook {
    /// A new, enabled webhook signing with `secret`, with nothing optional set.
    pub fn new(
        id: WebhookId,
        account_id: AccountId,
        name: Name,
        url: WebhookUrl,
        events: EventPatterns,
        secret: Secret,
        now: Timestamp,
    ) -> Self {
        Self {
            id,
            account_id,
            name,
            url,
            events,
            secrets: SigningSecrets::new(secret),
            api_key: None,
            description: None,
            headers: CustomHeaders::default(),
            created_at: now,
            updated_at: now,
            version: 1,
            rate_limit: None,
            switch: Switch::On,
            last_delivery: None,
            health: Health::default(),
        }
    }

    pub fn id(&self) -> WebhookId {
        self.id
    }

    pub fn account_id(&self) -> AccountId {
        self.account_id
    }

    pub fn name(&self) -> &Name {
        &self.name
    }

    pub fn url(&self) -> &WebhookUrl {
        &self.url
    }

    pub fn events(&self) -> &EventPatterns {
        &self.events
    }

    pub fn secrets(&self) -> &SigningSecrets {
        &self.secrets
    }

    pub fn api_key(&self) -> Option<&EndpointApiKey> {
        self.api_key.as_ref()
    }

    pub fn description(&self) -> Option<&Description> {
        self.description.as_ref()
    }

    pub fn headers(&self) -> &CustomHeaders {
        &self.headers
    }

    pub fn enabled(&self) -> bool {
        self.switch == Switch::On
    }

    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.rate_limit
    }

    /// Why and when it was switched off; `None` while enabled.
    pub fn disabled(&self) -> Option<Disabled> {
        match self.switch {
            Switch::On => None,
            Switch::Off(disabled) => Some(disabled),
        }
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    pub fn updated_at(&self) -> Timestamp {
        self.updated_at
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn last_delivery(&self) -> Option<&LastDelivery> {
        self.last_delivery.as_ref()
    }

    pub fn health(&self) -> Health {
        self.health
    }

    /// Lays the health kept apart from the webhook (senders write it) over it.
    pub fn lay_health(&mut self, health: Health) {
        self.health = health;
    }

    /// Lays the last delivery kept apart from the webhook over it, like `lay_health`.
    pub fn lay_last_delivery(&mut self, last: Option<LastDelivery>) {
        self.last_delivery = last;
    }

    /// `next` becomes its current secret; the old one signs for `grace_seconds` more.
    pub fn rotate_secret(&mut self, next: Secret, now: Timestamp, grace_seconds: u32) {
        self.secrets.rotate(next, now, grace_seconds);
    }

    /// A caller's on/off switch. Switching on forgets why it was off and
    /// the failure streak, so a re-enabled webhook gets a fresh start.
    pub fn switch(&mut self, on: bool, now: Timestamp) {
        if on == self.enabled() {
            return;
        }
        if on {
            self.switch = Switch::On;
            self.health = Health::default();
        } else {
            self.switch = Switch::Off(Disabled {
                disabled_reason: DisabledReason::Manual,
                disabled_at: now,
            });
        }
    }

    /// A sender's notes of its deliveries' outcomes: `last_delivery_*` and
    /// the run of failures (the stores apply the same to what they keep).
    pub fn note(&mut self, outcomes: &Outcomes) {
        self.health = outcomes.apply(self.health);
        if let Some(last) = &outcomes.last {
            self.last_delivery = Some(last.clone());
        }
    }

    /// What the auto-disable rule makes of it after `added` failed deliveries.
    pub fn verdict(&self, policy: &HealthPolicy, now: Timestamp, added: u32) -> Verdict {
        if self.enabled() {
            policy.verdict(&self.health, self.created_at, now, added)
        } else {
            Verdict::Healthy
        }
    }

    /// hookrelay's own switch-off of a webhook that keeps failing.
    pub fn disable_failing(&mut self, now: Timestamp) {
        self.switch = Switch::Off(Disabled {
            disabled_reason: DisabledReason::Failing,
            disabled_at: now,
        });
    }

    /// Changes the webhook at `now` with `change`, and moves its `version` and
    /// `updated_at` on with it (the one place a webhook changes); the version
    /// it had, for the store's guard.
    pub fn change(&mut self, now: Timestamp, change: impl FnOnce(&mut Self)) -> u64 {
        let read = self.version;
        change(self);
        self.version = read + 1;
        self.updated_at = now.max(self.updated_at);
        read
    }
}

/// The fields a PATCH may change; `None` leaves a field as it is, and the
/// inner `None` of a clearable field clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookChanges {
    pub name: Option<Name>,
    pub url: Option<WebhookUrl>,
    pub events: Option<EventPatterns>,
    pub secret: Option<Secret>,
    pub api_key: Option<Option<EndpointApiKey>>,
    pub description: Option<Option<Description>>,
    pub headers: Option<CustomHeaders>,
    pub enabled: Option<bool>,
    pub rate_limit: Option<Option<RateLimit>>,
}

impl WebhookChanges {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    pub fn apply(&self, webhook: &mut Webhook, now: Timestamp) {
        let Self {
            name,
            url,
            events,
            secret,
            api_key,
            description,
            headers,
            enabled,
            rate_limit,
        } = self.clone();
        if let Some(rate_limit) = rate_limit {
            webhook.rate_limit = rate_limit;
        }
        if let Some(name) = name {
            webhook.name = name;
        }
        if let Some(url) = url {
            webhook.url = url.keeping_masked_password(&webhook.url);
        }
        if let Some(events) = events {
            webhook.events = events;
        }
        // A secret set directly replaces every live one; rotation keeps the old.
        if let Some(secret) = secret {
            webhook.secrets = SigningSecrets::new(secret);
        }
        if let Some(api_key) = api_key {
            webhook.api_key = api_key;
        }
        if let Some(description) = description {
            webhook.description = description;
        }
        if let Some(headers) = headers {
            webhook.headers = headers;
        }
        if let Some(enabled) = enabled {
            webhook.switch(enabled, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::random::OsRandom;

    #[test]
    fn names_are_one_to_a_hundred_characters() {
        assert!(Name::parse("Orders").is_ok());
        assert!(Name::parse(&"é".repeat(100)).is_ok());
        assert!(Name::parse("").is_err());
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse(&"a".repeat(101)).is_err());
    }

    #[test]
    fn patterns_match_as_documented() {
        let exact = EventPattern::parse("user.created").unwrap();
        let any_type = EventPattern::parse("user.*").unwrap();
        let all = EventPattern::parse("*").unwrap();
        assert!(exact.matches("user", "created") && !exact.matches("user", "deleted"));
        assert!(any_type.matches("user", "deleted") && !any_type.matches("order", "created"));
        assert!(all.matches("order", "paid"));
        for bad in [
            "user",
            "user.",
            ".created",
            "user.created.now",
            "us er.created",
            "*.created",
            "user.cr*",
        ] {
            assert!(EventPattern::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(any_type.to_string(), "user.*");
    }

    #[test]
    fn pattern_lists_hold_one_to_fifty_distinct_patterns() {
        let p = |s: &str| EventPattern::parse(s).unwrap();
        assert!(EventPatterns::new(vec![]).is_err());
        let deduped = EventPatterns::new(vec![p("a.b"), p("a.b")]).unwrap();
        assert_eq!(deduped.iter().count(), 1);
        let many: Vec<_> = (0..51).map(|i| p(&format!("e{i}.x"))).collect();
        assert!(EventPatterns::new(many).is_err());
        assert!(EventPatterns::new(vec![p("a.b"); 51]).is_err());
    }

    #[test]
    fn secrets_are_whsec_base64_of_24_to_64_bytes() {
        let generated = Secret::generate(&OsRandom);
        assert_eq!(generated.key().len(), 32);
        assert_eq!(Secret::parse(&generated.to_string()).unwrap(), generated);
        assert!(Secret::parse(&format!("whsec_{}", STANDARD.encode([7u8; 24]))).is_ok());
        assert!(Secret::parse(&format!("whsec_{}", STANDARD.encode([7u8; 23]))).is_err());
        assert!(Secret::parse(&format!("whsec_{}", STANDARD.encode([7u8; 65]))).is_err());
        assert!(Secret::parse(&STANDARD.encode([7u8; 32])).is_err());
        assert!(Secret::parse("whsec_not base64!").is_err());
        assert!(!generated.masked().contains(&generated.to_string()[6..20]));
    }

    #[test]
    fn rotation_keeps_the_old_secret_for_the_grace_period() {
        let now = Timestamp::from_millis(1_000_000).unwrap();
        let (old, new) = (Secret::generate(&OsRandom), Secret::generate(&OsRandom));
        let mut secrets = SigningSecrets::new(old.clone());
        secrets.rotate(new.clone(), now, 60);
        assert_eq!(secrets.live(now).collect::<Vec<_>>(), vec![&new, &old]);
        assert_eq!(
            secrets.live(now.plus_seconds(60)).collect::<Vec<_>>(),
            vec![&new]
        );
        for _ in 0..10 {
            secrets.rotate(Secret::generate(&OsRandom), now, 60);
        }
        assert_eq!(secrets.live(now).count(), 1 + SigningSecrets::MAX_RETIRED);
    }

    #[test]
    fn custom_headers_may_not_override_ours() {
        let one = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), v.to_owned())]);
        assert!(CustomHeaders::parse(one("X-Team", "billing")).is_ok());
        for reserved in [
            "Content-Type",
            "user-agent",
            "Webhook-Signature",
            "X-API-Key",
            "Authorization",
            "Host",
        ] {
            assert!(
                CustomHeaders::parse(one(reserved, "x")).is_err(),
                "{reserved}"
            );
        }
        assert!(CustomHeaders::parse(one("bad header", "x")).is_err());
        assert!(CustomHeaders::parse(one("X-Ok", "line\nbreak")).is_err());
        let twice = BTreeMap::from([
            ("X-A".to_owned(), "1".to_owned()),
            ("x-a".to_owned(), "2".to_owned()),
        ]);
        assert!(CustomHeaders::parse(twice).is_err());
    }

    #[test]
    fn the_switch_is_stored_as_enabled_beside_the_disabled_fields() {
        let now = Timestamp::from_millis(1_000_000).unwrap();
        let patterns = EventPatterns::new(vec![EventPattern::All]).unwrap();
        let mut hook = Webhook::new(
            WebhookId::generate(now, &OsRandom),
            AccountId::generate(now, &OsRandom),
            Name::parse("hook").unwrap(),
            WebhookUrl::parse("https://hooks.example.com/in").unwrap(),
            patterns,
            Secret::generate(&OsRandom),
            now,
        );
        let on = serde_json::to_value(&hook).unwrap();
        assert_eq!(on["enabled"], true);
        assert!(on.get("disabled_reason").is_none() && on.get("disabled_at").is_none());
        hook.disable_failing(now);
        let off = serde_json::to_value(&hook).unwrap();
        assert_eq!(
            (
                &off["enabled"],
                &off["disabled_reason"],
                &off["disabled_at"]
            ),
            (&false.into(), &"failing".into(), &now.to_string().into())
        );
        assert_eq!(
            serde_json::from_value::<Webhook>(off.clone()).unwrap(),
            hook
        );
        let mut unexplained = off;
        unexplained
            .as_object_mut()
            .unwrap()
            .remove("disabled_reason");
        assert!(serde_json::from_value::<Webhook>(unexplained).is_err());
    }

    #[test]
    fn endpoint_api_keys_are_visible_ascii() {
        assert!(EndpointApiKey::parse("abc123").is_ok());
        assert!(EndpointApiKey::parse("").is_err());
        assert!(EndpointApiKey::parse("with space").is_err());
        assert_eq!(
            EndpointApiKey::parse("0123456789abcdef").unwrap().masked(),
            "****cdef"
        );
    }
}
