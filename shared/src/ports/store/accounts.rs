//! Accounts, each created with its first API key, and their branding (kept
//! apart from the account, which keys and links carry a copy of, so a
//! change of branding is one write).

use super::StoreError;
use crate::domain::account::Account;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use crate::domain::branding::Branding;
use crate::domain::ids::AccountId;
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

    /// The account's branding; the default (nothing set) when it has none.
    async fn get_branding(&self, account: AccountId) -> Result<Branding, StoreError>;

    /// Replaces the account's branding, written with its `audit` record, both or neither.
    async fn put_branding(
        &self,
        account: AccountId,
        branding: &Branding,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;
}
