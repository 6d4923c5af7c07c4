//! The storage port, one trait per aggregate (each adapter implements every
//! role; a use case names the roles it needs, or `Store` for all of them).
//! Implemented by the in-memory and DynamoDB adapters and checked by one
//! conformance suite.

mod accounts;
mod api_keys;
mod audit;
mod console_links;
mod deliveries;
mod event_types;
mod events;
mod idempotency;
mod pending;
mod quota;
mod send_slots;
mod stats;
mod tasks;
mod webhooks;

pub use accounts::*;
pub use api_keys::*;
pub use audit::*;
pub use console_links::*;
pub use deliveries::*;
pub use event_types::*;
pub use events::*;
pub use idempotency::*;
pub use pending::*;
pub use quota::*;
pub use send_slots::*;
pub use stats::*;
pub use tasks::*;
pub use webhooks::*;

use crate::domain::delivery::Delivery;
use crate::domain::listing::TooBroad;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A conditional write lost: the item is gone, exists already, or changed.
    #[error("the item changed or does not exist")]
    Conflict,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A stored item that does not read back as what was written: never
    /// defaulted, so bad data stops here instead of spreading.
    #[error("corrupt stored item: {0}")]
    Corrupt(String),
    /// Stored secrets cannot be opened: the key ring refused or did not
    /// answer (`sealing`). Never read around: no plaintext fallback.
    #[error("the key that opens stored secrets is unavailable: {0}")]
    KeyUnavailable(String),
    /// A request that would read more than a list may: the caller narrows it.
    #[error("{field}: {message}")]
    TooBroad {
        field: &'static str,
        message: String,
    },
}

impl From<TooBroad> for StoreError {
    fn from(err: TooBroad) -> Self {
        Self::TooBroad {
            field: err.field,
            message: err.message,
        }
    }
}

/// A page of a list kept in key order (the event-type catalogue, console
/// links): up to the limit asked for, and the key to continue after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPage<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> KeyPage<T> {
    /// The first `limit` of `items` (read in key order, one more than
    /// `limit` if there is more), continuing after the last one kept.
    pub fn of(mut items: Vec<T>, limit: usize, key: impl Fn(&T) -> String) -> Self {
        let more = items.len() > limit;
        items.truncate(limit);
        let next = if more { items.last().map(key) } else { None };
        Self { items, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> KeyPage<U> {
        KeyPage {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

/// What became of a conditional change of a delivery or a task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed<T = Delivery> {
    /// It applied: the item as it is now.
    Applied(T),
    /// Its condition failed: the item as it is (`None`: gone, or not the account's).
    Refused(Option<T>),
}

// The roles are listed once, for the trait and its blanket impl.
macro_rules! every_role {
    ($first:ident $(+ $role:ident)*) => {
        /// Every role: what an adapter implements and `App` holds (as
        /// `Arc<dyn Store>`); whatever implements them all is a `Store`.
        pub trait Store: $first $(+ $role)* {}

        impl<T: $first $(+ $role)*> Store for T {}
    };
}

every_role!(
    AccountStore
        + ApiKeyStore
        + AuditStore
        + WebhookStore
        + EventStore
        + DeliveryStore
        + PendingStore
        + TaskStore
        + IdempotencyStore
        + EventTypeStore
        + ConsoleLinkStore
        + SendSlotStore
        + QuotaStore
        + StatsStore
);
