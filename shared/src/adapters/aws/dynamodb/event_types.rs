//! The event-type catalogue: items in the account's partition, in name order.

use super::catalog::*;
use super::keys::*;
use super::DynamoStore;
use crate::domain::audit::AuditRecord;
use crate::domain::event::EventKind;
use crate::domain::event_type::EventType;
use crate::domain::ids::AccountId;
use crate::ports::store::*;
use async_trait::async_trait;

impl DynamoStore {
    async fn put_audited(
        &self,
        event_type: &EventType,
        condition: &str,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let put = self.put_write(event_type_item(event_type)?, condition, None)?;
        self.audited(vec![put], audit).await
    }
}

#[async_trait]
impl EventTypeStore for DynamoStore {
    async fn insert_event_type(
        &self,
        event_type: &EventType,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        self.put_audited(event_type, "attribute_not_exists(pk)", audit)
            .await
    }

    async fn get_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
    ) -> Result<Option<EventType>, StoreError> {
        let item = self.get(account_pk(account), &event_type_sk(event)).await?;
        item.map(decode).transpose()
    }

    async fn update_event_type(
        &self,
        event_type: &EventType,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        self.put_audited(event_type, "attribute_exists(pk)", audit)
            .await
    }

    async fn delete_event_type(
        &self,
        account: AccountId,
        event: &EventKind,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        let sk = event_type_sk(event);
        self.delete_audited(account_pk(account), &sk, audit).await
    }

    async fn list_event_types(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<EventType>, StoreError> {
        self.key_page(account, EVENT_TYPE, after, limit, EventType::key, |_| true)
            .await
    }
}
