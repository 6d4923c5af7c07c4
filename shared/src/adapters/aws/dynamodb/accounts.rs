//! Accounts: the account item, written with its first key's items.

use super::api_keys::key_items;
use super::keys::*;
use super::DynamoStore;
use crate::domain::account::Account;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
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
}
