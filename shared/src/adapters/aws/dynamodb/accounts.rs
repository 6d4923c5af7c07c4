//! Accounts, and an item per API key hash pointing at its account.

use super::keys::*;
use super::sdk::{unavailable, write_error};
use super::DynamoStore;
use crate::domain::account::{Account, KeyHash};
use crate::ports::store::*;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};

#[async_trait]
impl AccountStore for DynamoStore {
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError> {
        let mut account_item = encode(account)?;
        let mut key_item = account_item.clone();
        account_item.insert("pk".into(), s(account_pk(account.id)));
        account_item.insert("sk".into(), s("ACCOUNT"));
        key_item.insert("pk".into(), s(key_pk(key)));
        key_item.insert("sk".into(), s("APIKEY"));
        key_item.insert("key_hash".into(), s(key.to_hex()));
        let put = |item: Item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map(|put| TransactWriteItem::builder().put(put).build())
                .map_err(|e| StoreError::Unavailable(e.to_string()))
        };
        self.client
            .transact_write_items()
            .transact_items(put(account_item)?)
            .transact_items(put(key_item)?)
            .send()
            .await
            .map_err(write_error)?;
        Ok(())
    }

    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError> {
        let response = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(key_pk(key)))
            .key("sk", s("APIKEY"))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        let Some(item) = response.item else {
            return Ok(None);
        };
        let stored = match item.get("key_hash") {
            Some(AttributeValue::S(hex)) => KeyHash::from_hex(hex),
            _ => None,
        }
        .ok_or_else(|| StoreError::Corrupt("an API key item without its key_hash".into()))?;
        Ok(Some((decode(item)?, stored)))
    }
}
