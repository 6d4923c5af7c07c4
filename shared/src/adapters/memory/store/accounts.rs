//! Accounts: kept inside their keys (`api_keys`), as the DynamoDB key items
//! do; their branding beside them.

use super::MemoryStore;
use crate::domain::account::Account;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use crate::domain::branding::Branding;
use crate::domain::ids::AccountId;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl AccountStore for MemoryStore {
    async fn insert_account(
        &self,
        _account: &Account,
        first_key: &ApiKeyRecord,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        self.insert_api_key(first_key, audit).await
    }

    async fn get_branding(&self, account: AccountId) -> Result<Branding, StoreError> {
        self.reading(|s| s.branding.get(&account).cloned().unwrap_or_default())
    }

    async fn put_branding(
        &self,
        account: AccountId,
        branding: &Branding,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        self.write().audited(audit, |state| {
            state.branding.insert(account, branding.clone());
            Ok(())
        })
    }
}
