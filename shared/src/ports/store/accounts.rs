//! Accounts, each created with its first API key.

use super::StoreError;
use crate::domain::account::Account;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use async_trait::async_trait;

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Records an account with its first key, in one write. Conflict if the
    /// key's hash is taken.
    async fn insert_account(
        &self,
        account: &Account,
        first_key: &ApiKeyRecord,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;
}
