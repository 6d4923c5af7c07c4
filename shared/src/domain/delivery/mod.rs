//! One event's delivery to one URL, with its attempt log.

mod change;
mod outcome;

pub use change::*;
pub use outcome::*;

use crate::domain::event::{Event, EventKind, JsonText};
use crate::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use crate::domain::sealed::Sealed;
use crate::domain::time::Timestamp;
use crate::domain::wake::{beyond_queue, WakeBucket};
use crate::domain::webhook_url::WebhookUrl;
use serde::{Deserialize, Serialize};

/// Where a delivery goes: a configured webhook's URL, a poll webhook's feed
/// (nothing is sent: the account fetches it), or the ad-hoc URL an event
/// named (which has no webhook, so no secret, headers or rate limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Webhook(WebhookId),
    Poll(WebhookId),
    AdHoc(KeptUrl),
}

impl Target {
    /// From the pair stored and queued today: a webhook id wins; `None` when
    /// there is neither.
    pub fn of(webhook: Option<WebhookId>, url: Option<KeptUrl>) -> Option<Self> {
        match (webhook, url) {
            (Some(id), _) => Some(Self::Webhook(id)),
            (None, Some(url)) => Some(Self::AdHoc(url)),
            (None, None) => None,
        }
    }

    pub fn webhook_id(&self) -> Option<WebhookId> {
        match self {
            Self::Webhook(id) | Self::Poll(id) => Some(*id),
            Self::AdHoc(_) => None,
        }
    }
}

/// A URL as a delivery keeps it, stored and on its queue message (DESIGN.md
/// §9): `shown` with any password masked. An ad-hoc URL's password is kept
/// too, the whole URL sealed (`sealing::keep_ad_hoc`) for the sender alone
/// to open; a webhook's delivery needs none (it is sent to the webhook's URL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptUrl {
    pub shown: WebhookUrl,
    pub sealed: Option<Sealed>,
}

impl KeptUrl {
    /// `url` kept as shown only: a password in it is masked.
    pub fn shown(url: &WebhookUrl) -> Self {
        Self {
            shown: url.masked_url(),
            sealed: None,
        }
    }
}

/// Where a delivery goes, as it keeps it (`Target`, with the URL shown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DestinationParts", into = "DestinationParts")]
enum Destination {
    /// A webhook's URL as shown (a password masked, except in an item
    /// written before secrets were sealed: `url_in_clear`).
    Webhook {
        id: WebhookId,
        url: WebhookUrl,
    },
    Poll(WebhookId),
    AdHoc(KeptUrl),
}

/// How a `Destination` is stored: `webhook_id` (null for an ad-hoc URL),
/// `url` (none for a poll webhook's delivery), `sealed_url` (an ad-hoc URL
/// with a password, whole and sealed: `KeptUrl`).
#[derive(Serialize, Deserialize)]
struct DestinationParts {
    webhook_id: Option<WebhookId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<WebhookUrl>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed_url: Option<Sealed>,
}

impl TryFrom<DestinationParts> for Destination {
    type Error = &'static str;
    fn try_from(parts: DestinationParts) -> Result<Self, Self::Error> {
        match (parts.webhook_id, parts.url, parts.sealed_url) {
            (Some(id), Some(url), None) => Ok(Self::Webhook { id, url }),
            (Some(id), None, None) => Ok(Self::Poll(id)),
            (None, Some(shown), sealed) => Ok(Self::AdHoc(KeptUrl { shown, sealed })),
            _ => Err("a delivery's webhook_id, url and sealed_url do not go together"),
        }
    }
}

impl From<Destination> for DestinationParts {
    fn from(to: Destination) -> Self {
        let (webhook_id, url, sealed_url) = match to {
            Destination::Webhook { id, url } => (Some(id), Some(url), None),
            Destination::Poll(id) => (Some(id), None, None),
            Destination::AdHoc(kept) => (None, Some(kept.shown), kept.sealed),
        };
        Self {
            webhook_id,
            url,
            sealed_url,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    id: DeliveryId,
    account_id: AccountId,
    event_id: EventId,
    #[serde(flatten)]
    to: Destination,
    event: EventKind,
    status: DeliveryStatus,
    /// The endpoint's last HTTP status; 0 if none yet.
    code: u16,
    /// Every attempt made (exact, while the log keeps only the last ones).
    attempts: u32,
    next_attempt_at: Option<Timestamp>,
    /// While `dispatched`: until when the sender that took it owns it.
    lease_until: Option<Timestamp>,
    /// While not final: when the sweeper takes it for stranded, unless a
    /// message or schedule has moved it on by then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sweep_at: Option<Timestamp>,
    /// While it waits beyond a queue message's reach: the bucket whose
    /// schedule wakes it (`domain::wake`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wake: Option<WakeBucket>,
    /// A rate-limited webhook's send slot this delivery holds (it waits for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    held_slot: Option<Timestamp>,
    /// Why it ended `failed`; `None` in any other status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    failure_reason: Option<FailureReason>,
    /// The body as its webhook's transform shapes it, as last sent (or, before
    /// the first attempt, as fan-out shaped it); `None`: the default body,
    /// which the log rebuilds from the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sent_body: Option<JsonText>,
    /// The last `KEPT_ATTEMPTS` attempts (in storage order; see `log`).
    #[serde(default)]
    attempt_log: Vec<Attempt>,
    created_at: Timestamp,
    updated_at: Timestamp,
    /// Epoch seconds after which the delivery is gone (DynamoDB TTL).
    expires_at: i64,
    version: u64,
}

/// How many attempts a delivery's log keeps (the newest); `attempts` stays exact.
pub const KEPT_ATTEMPTS: usize = 20;

impl Delivery {
    /// A new delivery of `event` to `target` (`None`: the event's ad-hoc URL)
    /// at `url`, first attempted at `due`. Its id is fixed by the event and the
    /// target; it expires with the event. It is `created` when due at once
    /// (its message is queued right after it is recorded, and the sweeper
    /// covers the gap), `scheduled` when it waits for a delay.
    pub fn new(event: &Event, target: Option<WebhookId>, url: KeptUrl, due: Timestamp) -> Self {
        let to = match target {
            Some(id) => Destination::Webhook { id, url: url.shown },
            None => Destination::AdHoc(url),
        };
        let fresh = Self::fresh(event, target, to, due);
        Self {
            sweep_at: Some(due.plus_seconds(SWEEP_GRACE_SECONDS)),
            wake: beyond_queue(event.created_at, due).then(|| WakeBucket::of(fresh.id, due)),
            ..fresh
        }
    }

    /// A new delivery of `event` to a poll webhook: nothing is sent or
    /// queued; it waits in the webhook's poll feed from `due` on (`in_feed`)
    /// until it is acknowledged. `created`, or `scheduled` while a delay
    /// keeps it out of the feed. No sweeper looks for it: there is no
    /// message to lose.
    pub fn polled(event: &Event, webhook: WebhookId, due: Timestamp) -> Self {
        Self::fresh(event, Some(webhook), Destination::Poll(webhook), due)
    }

    fn fresh(event: &Event, target: Option<WebhookId>, to: Destination, due: Timestamp) -> Self {
        Self {
            id: DeliveryId::derive(event.id, target),
            account_id: event.account_id,
            event_id: event.id,
            to,
            event: event.event.clone(),
            status: if due > event.created_at {
                DeliveryStatus::Scheduled
            } else {
                DeliveryStatus::Created
            },
            code: 0,
            attempts: 0,
            next_attempt_at: Some(due),
            lease_until: None,
            sweep_at: None,
            wake: None,
            held_slot: None,
            failure_reason: None,
            sent_body: None,
            attempt_log: Vec::new(),
            created_at: event.created_at,
            updated_at: event.created_at,
            expires_at: event.expires_at,
            version: 1,
        }
    }

    /// As `new`, with the body its webhook's transform shapes (`None`: the default).
    pub fn shaped(self, body: Option<JsonText>) -> Self {
        Self {
            sent_body: body,
            ..self
        }
    }

    /// The body as shaped, when it is not the default body (`shaped`).
    pub fn sent_body(&self) -> Option<&JsonText> {
        self.sent_body.as_ref()
    }

    /// Where it goes. A webhook's delivery keeps the URL it had too, to show.
    pub fn target(&self) -> Target {
        match &self.to {
            Destination::Webhook { id, .. } => Target::Webhook(*id),
            Destination::Poll(id) => Target::Poll(*id),
            Destination::AdHoc(kept) => Target::AdHoc(kept.clone()),
        }
    }

    /// Whether it is a poll webhook's: fetched by the account, never sent.
    pub fn is_polled(&self) -> bool {
        matches!(self.to, Destination::Poll(_))
    }

    /// While it waits to be fetched: its poll webhook, and when it became
    /// (or becomes) fetchable, its place in that webhook's feed.
    pub fn in_feed(&self) -> Option<(WebhookId, Timestamp)> {
        match (&self.to, self.next_attempt_at) {
            (Destination::Poll(webhook), Some(at)) if !self.status.is_final() => {
                Some((*webhook, at))
            }
            _ => None,
        }
    }

    /// Its URL when the password in it is stored in the clear (an item
    /// written before secrets were sealed): its next write keeps it as `rekept`.
    pub fn url_in_clear(&self) -> Option<&WebhookUrl> {
        let clear = match &self.to {
            Destination::Webhook { url, .. } => url,
            Destination::AdHoc(kept) if kept.sealed.is_none() => &kept.shown,
            Destination::AdHoc(_) | Destination::Poll(_) => return None,
        };
        clear.shows_password().then_some(clear)
    }

    /// Its URL as kept from now on (the password of one `url_in_clear` sealed or masked).
    pub fn rekept(&mut self, kept: KeptUrl) {
        match &mut self.to {
            Destination::Webhook { url, .. } => *url = kept.shown,
            Destination::AdHoc(current) => *current = kept,
            Destination::Poll(_) => {}
        }
    }

    pub fn id(&self) -> DeliveryId {
        self.id
    }

    pub fn account_id(&self) -> AccountId {
        self.account_id
    }

    pub fn event_id(&self) -> EventId {
        self.event_id
    }

    /// `None` for an ad-hoc URL given with the event.
    pub fn webhook_id(&self) -> Option<WebhookId> {
        match &self.to {
            Destination::Webhook { id, .. } | Destination::Poll(id) => Some(*id),
            Destination::AdHoc(_) => None,
        }
    }

    /// The URL as shown; `None` for a poll webhook's delivery.
    pub fn url(&self) -> Option<&WebhookUrl> {
        match &self.to {
            Destination::Webhook { url, .. } => Some(url),
            Destination::AdHoc(kept) => Some(&kept.shown),
            Destination::Poll(_) => None,
        }
    }

    pub fn event(&self) -> &EventKind {
        &self.event
    }

    pub fn status(&self) -> DeliveryStatus {
        self.status
    }

    /// The endpoint's last HTTP status; 0 if none yet.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// Every attempt made (exact, while the log keeps only the last ones).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    pub fn next_attempt_at(&self) -> Option<Timestamp> {
        self.next_attempt_at
    }

    pub fn lease_until(&self) -> Option<Timestamp> {
        self.lease_until
    }

    pub fn sweep_at(&self) -> Option<Timestamp> {
        self.sweep_at
    }

    pub fn wake(&self) -> Option<WakeBucket> {
        self.wake
    }

    pub fn held_slot(&self) -> Option<Timestamp> {
        self.held_slot
    }

    pub fn failure_reason(&self) -> Option<FailureReason> {
        self.failure_reason
    }

    /// The kept attempts in storage order (`log` sorts them).
    pub fn attempt_log(&self) -> &[Attempt] {
        &self.attempt_log
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    pub fn updated_at(&self) -> Timestamp {
        self.updated_at
    }

    pub fn expires_at(&self) -> i64 {
        self.expires_at
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn visible_to(&self, account: AccountId, now: Timestamp) -> bool {
        crate::domain::event::visible(self.account_id, self.expires_at, account, now)
    }

    /// Whether `change`, expecting `attempts` attempts made, may apply at
    /// `now`. A claim also needs the delivery due and no live lease on it; a
    /// requeue, no change since the replay began; an acknowledgement, no
    /// change since it was handed out, and the webhook it was fetched from.
    pub fn admits(&self, change: &Change, attempts: u32, now: Timestamp) -> bool {
        let claimable = || {
            let leased = self.status == DeliveryStatus::Dispatched
                && self.lease_until.is_some_and(|lease| lease > now);
            !leased && self.next_attempt_at.is_none_or(|due| due <= now)
        };
        self.attempts == attempts
            && change.allowed_from().contains(&self.status)
            && change
                .webhook()
                .is_none_or(|webhook| self.webhook_id() == Some(webhook))
            && (!matches!(change, Change::Claimed { .. }) || claimable())
            && change
                .unchanged_since()
                .is_none_or(|since| self.updated_at < since)
    }

    /// Applies `change` (checked with `admits`) at `now`.
    pub fn apply(&mut self, change: &Change, now: Timestamp) {
        self.write(Effects::of(self.id, change, self.attempts, now));
        self.version += 1;
    }

    /// The one place a delivery's state changes.
    fn write(&mut self, effects: Effects) {
        if let Some(status) = effects.status {
            self.status = status;
        }
        if let Some((code, attempts, attempt)) = effects.attempted {
            self.code = code;
            self.attempts = attempts;
            self.attempt_log.push(attempt);
            let extra = self.attempt_log.len().saturating_sub(KEPT_ATTEMPTS);
            self.attempt_log.drain(..extra);
        }
        effects.next_attempt_at.apply(&mut self.next_attempt_at);
        effects.lease_until.apply(&mut self.lease_until);
        effects.sweep_at.apply(&mut self.sweep_at);
        effects.wake.apply(&mut self.wake);
        effects.held_slot.apply(&mut self.held_slot);
        effects.failure_reason.apply(&mut self.failure_reason);
        effects.sent_body.apply(&mut self.sent_body);
        // As the DynamoDB store's one write sets it: the time of the change.
        self.updated_at = effects.updated_at;
    }

    /// Whether it shows `attempt` as its latest, made with `attempts` before
    /// it: a write the SDK sent again after it had landed finds its own work.
    pub fn shows_attempt(&self, attempts: u32, attempt: &Attempt) -> bool {
        self.attempts == attempts + 1 && self.attempt_log.iter().any(|a| a == attempt)
    }

    /// The attempt log, oldest first (storage may keep it as a ring).
    pub fn log(&self) -> Vec<&Attempt> {
        let mut log: Vec<&Attempt> = self.attempt_log.iter().collect();
        log.sort_by_key(|a| a.at);
        log
    }

    /// When a message for it should arrive: its next attempt, or the end of a sender's lease.
    pub fn due(&self) -> Option<Timestamp> {
        match self.status {
            DeliveryStatus::Dispatched => self.lease_until,
            _ => self.next_attempt_at,
        }
    }
}
