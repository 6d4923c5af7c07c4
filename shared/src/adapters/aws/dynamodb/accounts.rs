//! Accounts: the account item, written with its first key's items; its
//! branding, an item of its own in the account's partition.

use super::api_keys::key_items;
use super::keys::*;
use super::DynamoStore;
use crate::domain::account::Account;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use crate::domain::branding::Branding;
use crate::domain::ids::AccountId;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl AccountStore for DynamoStore {
    async fn insert_account(
        &self,
        account: &Account,
        first_key: &ApiKeyRecord,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let account_item = with_key(encode(account)?, account_pk(account.id), "ACCOUNT");
        let mut items = vec![account_item];
        items.extend(key_items(first_key)?);
        self.put_all_new(items, audit).await
    }

    async fn get_branding(&self, account: AccountId) -> Result<Branding, StoreError> {
        let item = self.get(account_pk(account), BRANDING).await?;
        Ok(item.map(decode).transpose()?.unwrap_or_default())
    }

    async fn put_branding(
        &self,
        account: AccountId,
        branding: &Branding,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let item = with_key(encode(branding)?, account_pk(account), BRANDING);
        // Whether or not there was one: the last change wins, as for event types.
        let put = self.put_write(item, "", None)?;
        self.audited(vec![put], audit).await
    }
}

/// The sort key of an account's branding item.
const BRANDING: &str = "BRANDING";
