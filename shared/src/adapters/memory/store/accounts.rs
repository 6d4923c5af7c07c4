//! Accounts: kept inside their keys (`api_keys`), as the DynamoDB key items do.

use super::MemoryStore;
use crate::domain::account::Account;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
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
}
