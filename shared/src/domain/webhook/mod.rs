//! A webhook (endpoint configuration) and the parts it is made of.

mod endpoint;
mod fields;
mod secrets;
mod switch;

pub use endpoint::*;
pub use fields::*;
pub use secrets::*;
pub use switch::*;

use crate::domain::filter::{Filter, Subject};
use crate::domain::health::LastDelivery;
use crate::domain::health::{Health, HealthPolicy, Outcomes, Verdict};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::retry::RetrySchedule;
use crate::domain::time::Timestamp;
use crate::domain::transform::Transform;
use crate::domain::webhook_url::WebhookUrl;
use serde::{Deserialize, Serialize};

/// A webhook as stored. `version` guards every change (optimistic concurrency).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    id: WebhookId,
    account_id: AccountId,
    name: Name,
    /// Its URL (push), or none: its deliveries wait to be fetched (poll).
    #[serde(flatten)]
    endpoint: Endpoint,
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
    /// Its own waits between attempts; none: the deployment's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_schedule: Option<RetrySchedule>,
    /// A pattern over what is sent: an event it does not match is not sent here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filter: Option<Filter>,
    /// The body's shape (`default`: hookrelay's own).
    #[serde(default, skip_serializing_if = "Transform::is_default")]
    transform: Transform,
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
    /// A new, enabled webhook POSTing to `url`, signing with `secret`, with
    /// nothing optional set.
    pub fn new(
        id: WebhookId,
        account_id: AccountId,
        name: Name,
        url: WebhookUrl,
        events: EventPatterns,
        secret: Secret,
        now: Timestamp,
    ) -> Self {
        Self::with_endpoint(
            id,
            account_id,
            name,
            Endpoint::Push(url),
            events,
            secret,
            now,
        )
    }

    /// As `new`, its deliveries going to `endpoint` (a URL, or its poll feed).
    pub fn with_endpoint(
        id: WebhookId,
        account_id: AccountId,
        name: Name,
        endpoint: Endpoint,
        events: EventPatterns,
        secret: Secret,
        now: Timestamp,
    ) -> Self {
        Self {
            id,
            account_id,
            name,
            endpoint,
            events,
            secrets: SigningSecrets::new(secret),
            api_key: None,
            description: None,
            headers: CustomHeaders::default(),
            created_at: now,
            updated_at: now,
            version: 1,
            rate_limit: None,
            retry_schedule: None,
            filter: None,
            transform: Transform::Default,
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

    /// Where it POSTs; `None` for a poll webhook.
    pub fn url(&self) -> Option<&WebhookUrl> {
        self.endpoint.url()
    }

    pub fn delivery(&self) -> DeliveryMode {
        self.endpoint.mode()
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

    pub fn retry_schedule(&self) -> Option<&RetrySchedule> {
        self.retry_schedule.as_ref()
    }

    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    pub fn transform(&self) -> &Transform {
        &self.transform
    }

    /// Whether `subject`'s event is for it: one of its patterns names the
    /// event, and its filter, if any, matches what would be sent.
    pub fn wants(&self, subject: &Subject) -> bool {
        let kind = subject.kind();
        self.events.matches(kind.name.as_str(), kind.kind.as_str())
            && self
                .filter
                .as_ref()
                .is_none_or(|f| f.matches(subject.body()))
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
    pub retry_schedule: Option<Option<RetrySchedule>>,
    pub filter: Option<Option<Filter>>,
    pub transform: Option<Transform>,
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
            retry_schedule,
            filter,
            transform,
        } = self.clone();
        if let Some(rate_limit) = rate_limit {
            webhook.rate_limit = rate_limit;
        }
        if let Some(retry_schedule) = retry_schedule {
            webhook.retry_schedule = retry_schedule;
        }
        if let Some(filter) = filter {
            webhook.filter = filter;
        }
        if let Some(transform) = transform {
            webhook.transform = transform;
        }
        if let Some(name) = name {
            webhook.name = name;
        }
        // A poll webhook has no URL to change (the API refuses one for it).
        if let (Some(url), Endpoint::Push(current)) = (url, &mut webhook.endpoint) {
            *current = url.keeping_masked_password(current);
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
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use std::collections::BTreeMap;

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
