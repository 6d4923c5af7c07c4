//! The audit log: who changed what, and when. Every change to a webhook, an
//! event type, an API key or a console link, and every retry, recover and replay,
//! is one record: the actor (an API key or console link by id and name, or
//! the operator), the action, the resource, and each changed field before →
//! after, secrets masked. A record is stored with its change, in one write
//! (`ports::store::AuditStore`), and kept for the retention period.

use crate::domain::account::Account;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::branding::{Branding, Logo};
use crate::domain::console_link::ConsoleLink;
use crate::domain::event::expiry;
use crate::domain::event_type::EventType;
use crate::domain::filter::Filter;
use crate::domain::ids::{v7_prefix, AccountId, AuditId};
use crate::domain::time::Timestamp;
use crate::domain::webhook::{EndpointApiKey, RateLimit, Webhook};
use crate::domain::webhook_url::WebhookUrl;
use crate::ports::random::Random;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Who made a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    ApiKey,
    ConsoleLink,
    /// The deployment's operator: the admin (IAM, or the local admin key),
    /// or a rule of the deployment acting on its own (auto-disable).
    Operator,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    #[serde(rename = "type")]
    pub kind: ActorKind,
    pub id: String,
    pub name: String,
}

impl Actor {
    /// The local runner, making its default account.
    pub fn local_runner() -> Self {
        Self {
            kind: ActorKind::Operator,
            id: "hookrelay-local".into(),
            name: "the local runner's default account".into(),
        }
    }

    /// The rule that switches a failing webhook off (`pipeline::auto_disable`).
    pub fn auto_disable() -> Self {
        Self {
            kind: ActorKind::Operator,
            id: "auto-disable".into(),
            name: "hookrelay (HOOKRELAY_DISABLE_AFTER_FAILURES)".into(),
        }
    }
}

/// What a record is about: its kind follows from the action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Account,
    Webhook,
    EventType,
    ApiKey,
    ConsoleLink,
    Delivery,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    #[serde(rename = "type")]
    pub kind: ResourceKind,
    pub id: String,
}

macro_rules! actions {
    ($($variant:ident = $text:literal on $kind:ident),* $(,)?) => {
        /// What was done, as `resource.verb`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Action {
            $(#[serde(rename = $text)] $variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text,)* }
            }

            pub fn resource(self) -> ResourceKind {
                match self { $(Self::$variant => ResourceKind::$kind,)* }
            }
        }
    };
}

actions! {
    AccountCreated = "account.created" on Account,
    AccountUpdated = "account.updated" on Account,
    WebhookCreated = "webhook.created" on Webhook,
    WebhookUpdated = "webhook.updated" on Webhook,
    WebhookSecretRotated = "webhook.secret_rotated" on Webhook,
    WebhookDisabled = "webhook.disabled" on Webhook,
    WebhookDeleted = "webhook.deleted" on Webhook,
    WebhookRecovered = "webhook.recovered" on Webhook,
    WebhookReplayed = "webhook.replayed" on Webhook,
    DeliveryRetried = "delivery.retried" on Delivery,
    EventTypeCreated = "event_type.created" on EventType,
    EventTypeUpdated = "event_type.updated" on EventType,
    EventTypeDeleted = "event_type.deleted" on EventType,
    ApiKeyCreated = "api_key.created" on ApiKey,
    ApiKeyRevoked = "api_key.revoked" on ApiKey,
    ConsoleLinkCreated = "console_link.created" on ConsoleLink,
    ConsoleLinkRevoked = "console_link.revoked" on ConsoleLink,
}

impl Action {
    /// This action, done by `by`.
    pub fn by(self, by: &Actor) -> Act<'_> {
        Act { by, action: self }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == text)
            .ok_or_else(|| {
                let known: Vec<_> = Self::ALL.iter().map(|a| a.as_str()).collect();
                format!("must be one of {}", known.join(", "))
            })
    }
}

impl ResourceKind {
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_value(Value::String(text.to_owned())).map_err(|_| {
            "must be one of account, webhook, event_type, api_key, console_link, delivery".into()
        })
    }
}

impl ActorKind {
    pub fn parse(text: &str) -> Result<Self, String> {
        serde_json::from_value(Value::String(text.to_owned()))
            .map_err(|_| "must be one of api_key, console_link, operator".into())
    }
}

/// One field's value before and after (null: it had none, or the resource
/// did not exist).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub before: Value,
    pub after: Value,
}

/// The fields a change changed, by name.
pub type Changes = BTreeMap<String, FieldChange>;

/// The fields that differ between two states of a resource (`None`: it did
/// not exist), as `Audited::audit_fields` shows them.
pub fn changes_between(before: Option<&dyn Audited>, after: Option<&dyn Audited>) -> Changes {
    let fields = |state: Option<&dyn Audited>| state.map(|s| s.audit_fields()).unwrap_or_default();
    let (before, after) = (fields(before), fields(after));
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let was = before.get(name).cloned().unwrap_or(Value::Null);
            let is = after.get(name).cloned().unwrap_or(Value::Null);
            (was != is).then(|| {
                (
                    name.clone(),
                    FieldChange {
                        before: was,
                        after: is,
                    },
                )
            })
        })
        .collect()
}

/// Changes given field by field (an operation's parameters and outcome).
pub fn changes_of<const N: usize>(fields: [(&str, Value, Value); N]) -> Changes {
    fields
        .into_iter()
        .map(|(name, before, after)| (name.to_owned(), FieldChange { before, after }))
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: AuditId,
    pub account_id: AccountId,
    pub at: Timestamp,
    pub actor: Actor,
    pub action: Action,
    pub resource: Resource,
    pub changes: Changes,
    /// Epoch seconds; also the table's TTL attribute.
    pub expires_at: i64,
}

/// Who does what: the part of a record known before the change is made.
#[derive(Clone, Copy, Debug)]
pub struct Act<'a> {
    pub by: &'a Actor,
    pub action: Action,
}

/// What a record is made of before it gets its id and time.
pub struct AuditNote<'a> {
    pub account: AccountId,
    pub act: Act<'a>,
    pub resource_id: String,
    pub changes: Changes,
}

impl AuditRecord {
    pub fn new(note: AuditNote<'_>, now: Timestamp, random: &dyn Random, days: u32) -> Self {
        Self {
            id: AuditId::generate(now, random),
            account_id: note.account,
            at: now,
            actor: note.act.by.clone(),
            action: note.act.action,
            resource: Resource {
                kind: note.act.action.resource(),
                id: note.resource_id,
            },
            changes: note.changes,
            expires_at: expiry(now, days),
        }
    }

    pub fn is_live(&self, now: Timestamp) -> bool {
        now.epoch_seconds() < self.expires_at
    }
}

/// Which records `GET /v1/audit` lists: each filter given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<Action>,
    pub resource_type: Option<ResourceKind>,
    pub resource_id: Option<String>,
    pub actor_type: Option<ActorKind>,
    pub actor_id: Option<String>,
    /// `at` in `[start, end]`.
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    /// Oldest first; newest first when false (the default).
    pub ascending: bool,
}

impl AuditFilter {
    /// The one rule both stores list by (the time window they also read by key).
    pub fn admits(&self, record: &AuditRecord, now: Timestamp) -> bool {
        let given = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        record.is_live(now)
            && self.action.is_none_or(|a| a == record.action)
            && self.resource_type.is_none_or(|k| k == record.resource.kind)
            && given(&self.resource_id, &record.resource.id)
            && self.actor_type.is_none_or(|k| k == record.actor.kind)
            && given(&self.actor_id, &record.actor.id)
            && self.start.is_none_or(|s| record.at >= s)
            && self.end.is_none_or(|e| record.at <= e)
    }

    /// The id text range the window spans (ids are time-ordered): from
    /// the first id of `start`'s millisecond to past the last of `end`'s.
    pub fn id_range(&self) -> (String, String) {
        let low = self.start.map_or_else(|| "0".to_owned(), v7_prefix);
        let high = self
            .end
            .map_or_else(|| "~".to_owned(), |e| format!("{}~", v7_prefix(e)));
        (low, high)
    }
}

/// A resource as its audit records show it: what a change may change, with
/// every secret masked as responses mask it (header values, which responses
/// show, to their last four characters).
pub trait Audited {
    fn audit_fields(&self) -> Map<String, Value>;
}

/// A header value as the log shows it: its last four characters when it
/// has twelve or more (as an endpoint API key is shown), so a change shows.
fn masked(value: &str) -> String {
    let tail = match value.len() >= 12 {
        true => value.get(value.len() - 4..).unwrap_or_default(),
        false => "",
    };
    format!("****{tail}")
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl Audited for Account {
    fn audit_fields(&self) -> Map<String, Value> {
        object(json!({ "name": self.name.to_string() }))
    }
}

impl Audited for Webhook {
    fn audit_fields(&self) -> Map<String, Value> {
        let headers: Map<String, Value> = self
            .headers()
            .iter()
            .map(|(name, value)| (name.clone(), json!(masked(value))))
            .collect();
        object(json!({
            "name": self.name().to_string(),
            "delivery": self.delivery().as_str(),
            "url": self.url().map(WebhookUrl::masked),
            "events": self.events().iter().map(ToString::to_string).collect::<Vec<_>>(),
            "enabled": self.enabled(),
            "description": self.description().map(ToString::to_string),
            "headers": headers,
            "secret": self.secrets().current.masked(),
            "api_key": self.api_key().map(EndpointApiKey::masked),
            "rate_limit": self.rate_limit().map(RateLimit::per_second),
            "retry_schedule": self.retry_schedule().map(|s| s.waits()),
            "filter": self.filter().map(Filter::pattern),
            "transform": Value::from(self.transform().clone()),
            "disabled_reason": self.disabled().map(|d| d.disabled_reason.as_str()),
        }))
    }
}

impl Audited for EventType {
    fn audit_fields(&self) -> Map<String, Value> {
        let example: Option<Value> = self
            .example
            .as_ref()
            .and_then(|e| serde_json::from_str(e.as_str()).ok());
        object(json!({
            "event": self.event.dotted(),
            "description": self.description.as_ref().map(ToString::to_string),
            "example": example,
        }))
    }
}

impl Audited for ApiKeyRecord {
    fn audit_fields(&self) -> Map<String, Value> {
        object(json!({
            "name": self.name().to_string(),
            "scope": self.scope().as_str(),
            "prefix": self.prefix().map(|p| p.as_str().to_owned()),
            "expires_at": self.expires_at().map(|at| at.to_string()),
        }))
    }
}

impl Audited for ConsoleLink {
    fn audit_fields(&self) -> Map<String, Value> {
        object(json!({
            "read_only": self.read_only,
            "expires_at": self.expires().to_string(),
            // None is no value: a link that cannot be framed records none.
            "embed_origins": (!self.embed_origins.is_empty()).then_some(&self.embed_origins),
        }))
    }
}

/// The account's branding: the logo as its type, size and digest (a record
/// holds no image).
impl Audited for Branding {
    fn audit_fields(&self) -> Map<String, Value> {
        object(json!({
            "branding.display_name": self.display_name.as_ref().map(ToString::to_string),
            "branding.accent_color": self.accent_color.as_ref().map(ToString::to_string),
            "branding.logo": self.logo.as_ref().map(Logo::summary),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fields(Value);
    impl Audited for Fields {
        fn audit_fields(&self) -> Map<String, Value> {
            object(self.0.clone())
        }
    }

    #[test]
    fn only_the_fields_that_differ_are_changes() {
        let before = Fields(json!({"name": "a", "url": "https://x", "enabled": true}));
        let after = Fields(json!({"name": "b", "url": "https://x", "enabled": true}));
        let changes = changes_between(Some(&before), Some(&after));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes["name"].before, json!("a"));
        assert_eq!(changes["name"].after, json!("b"));
        let created = changes_between(None, Some(&after));
        assert_eq!(created["url"].before, Value::Null);
        assert_eq!(created.len(), 3);
    }

    #[test]
    fn actions_read_back_and_name_their_resource() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Ok(*action));
            let text = serde_json::to_value(action).unwrap();
            assert_eq!(text, json!(action.as_str()));
        }
        assert_eq!(Action::DeliveryRetried.resource(), ResourceKind::Delivery);
        assert!(Action::parse("webhook.exploded").is_err());
    }
}
