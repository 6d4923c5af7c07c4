//! The event-type catalogue.

use super::found;
use super::{key_page, MemoryStore};
use crate::domain::audit::AuditRecord;
use crate::domain::event::EventKind;
use crate::domain::event_type::EventType;
use crate::domain::ids::AccountId;
use crate::ports::store::*;
use async_trait::async_trait;
use std::collections::btree_map::Entry;

#[async_trait]
impl EventTypeStore for MemoryStore {
    async fn insert_event_type(
        &self,
        event_type: &EventType,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let key = (event_type.account_id, event_type.key());
        self.write()
            .audited(audit, |state| match state.event_types.entry(key) {
                Entry::Occupied(_) => Err(StoreError::Conflict),
                Entry::Vacant(slot) => {
                    slot.insert(event_type.clone());
                    Ok(())
                }
            })
    }

    async fn get_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<Option<EventType>, StoreError> {
        Ok(self
            .read()
            .event_types
            .get(&(account, event.dotted()))
            .cloned())
    }

    async fn update_event_type(
        &self,
        event_type: &EventType,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let key = (event_type.account_id, event_type.key());
        self.write()
            .audited(audit, |state| match state.event_types.get_mut(&key) {
                Some(stored) => {
                    *stored = event_type.clone();
                    Ok(())
                }
                None => Err(StoreError::Conflict),
            })
    }

    async fn delete_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        let key = (account, event.dotted());
        found(self.write().audited(audit, |state| {
            let gone = state.event_types.remove(&key);
            gone.map(drop).ok_or(StoreError::Conflict)
        }))
    }

    async fn list_event_types(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<EventType>, StoreError> {
        self.reading(|s| {
            key_page(
                &s.event_types,
                account,
                after,
                limit,
                EventType::key,
                |_| true,
            )
        })
    }
}
