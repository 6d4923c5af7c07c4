//! An account's event-type catalogue.

use super::{KeyPage, StoreError};
use crate::domain::audit::AuditRecord;
use crate::domain::event::EventKind;
use crate::domain::event_type::EventType;
use crate::domain::ids::AccountId;
use async_trait::async_trait;

#[async_trait]
pub trait EventTypeStore: Send + Sync {
    /// Conflict if the account has this event type already. Each change is
    /// written with its `audit` record, both or neither (`AuditStore`).
    async fn insert_event_type(
        &self,
        event_type: &EventType,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;

    async fn get_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<Option<EventType>, StoreError>;

    /// Replaces it; Conflict if it was deleted meanwhile.
    async fn update_event_type(
        &self,
        event_type: &EventType,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;

    /// Whether there was such an event type.
    async fn delete_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError>;

    /// The account's event types in `name.type` order, after `after`.
    async fn list_event_types(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<EventType>, StoreError>;
}
