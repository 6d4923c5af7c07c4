//! API keys, two items each, written together: the key item
//! `APIKEY#{sha256 hex}` / `APIKEY` holds the whole record, so a request is
//! one GetItem; the account's partition holds an entry `APIKEY#{id}` naming
//! the hash, so a list or a revocation is a Query there, never a Scan.
//!
//! A key item written before keys were a resource holds only the account
//! and the hash (no `scope`): it reads as that account's first full key
//! (`ApiKeyRecord::carried_over`), and the read writes its entry and its new
//! form, so from then on it is listed and revocable like any other.

use super::keys::*;
use super::sdk::{built, text, write_error};
use super::DynamoStore;
use crate::domain::account::{Account, KeyHash};
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use crate::domain::ids::{AccountId, ApiKeyId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem};
use serde::Deserialize;

const KEY_SK: &str = "APIKEY";
/// The account's entries: `sk` prefix.
const ENTRY: &str = "APIKEY#";
/// Entries a revocation reads at a time while it looks for another full key.
const ENTRY_PAGE: usize = 100;

/// What an entry holds: the hash its key item is keyed by.
#[derive(Deserialize)]
struct Entry {
    sk: String,
    key_hash: KeyHash,
}

impl Entry {
    fn id(&self) -> String {
        self.sk.trim_start_matches(ENTRY).to_owned()
    }
}

fn entry_sk(id: ApiKeyId) -> String {
    format!("{ENTRY}{id}")
}

fn key_item(key: &ApiKeyRecord) -> Result<Item, StoreError> {
    Ok(with_key(encode(key)?, key_pk(key.key_hash()), KEY_SK))
}

fn entry_item(key: &ApiKeyRecord) -> Item {
    let mut item = with_key(
        Item::new(),
        account_pk(key.account().id),
        &entry_sk(key.id()),
    );
    item.insert("key_hash".into(), s(key.key_hash().to_hex()));
    item
}

/// A key's two items.
pub(super) fn key_items(key: &ApiKeyRecord) -> Result<[Item; 2], StoreError> {
    Ok([key_item(key)?, entry_item(key)])
}

/// The base key of an item.
fn address(pk: String, sk: &str) -> Item {
    with_key(Item::new(), pk, sk)
}

#[async_trait]
impl ApiKeyStore for DynamoStore {
    async fn insert_api_key(
        &self,
        key: &ApiKeyRecord,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        self.put_all_new(key_items(key)?.into(), audit).await
    }

    async fn api_key_by_hash(&self, hash: KeyHash) -> Result<Option<ApiKeyRecord>, StoreError> {
        match self.get(key_pk(hash), KEY_SK).await? {
            Some(item) => Ok(Some(self.read_key(item, hash).await?)),
            None => Ok(None),
        }
    }

    async fn list_api_keys(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<ApiKeyRecord>, StoreError> {
        let entries = self
            .key_page(account, ENTRY, after, limit, Entry::id, |_| true)
            .await?;
        let addresses = entries
            .items
            .iter()
            .map(|entry| address(key_pk(entry.key_hash), KEY_SK))
            .collect();
        let mut keys = Vec::with_capacity(entries.items.len());
        // In entry order; a key revoked since its entry was read is left out.
        for item in self.batch_get(addresses).await? {
            let hash = text(&item, "key_hash")?;
            let hash = KeyHash::from_hex(&hash)
                .ok_or_else(|| StoreError::Corrupt("a key item's key_hash".into()))?;
            keys.push(self.read_key(item, hash).await?);
        }
        Ok(KeyPage {
            items: keys,
            next: entries.next,
        })
    }

    async fn note_api_key_use(&self, key: &ApiKeyRecord) -> Result<(), StoreError> {
        let at = key.last_used_at().ok_or(StoreError::Conflict)?;
        let before = ApiKeyRecord::replaces_use_before(at);
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(key_pk(key.key_hash())))
            .key("sk", s(KEY_SK))
            .update_expression("SET last_used_at = :at")
            // Not on a revoked key (an update would make the item again).
            .condition_expression(
                "attribute_exists(pk) AND (attribute_not_exists(last_used_at) OR last_used_at <= :before)",
            )
            .expression_attribute_values(":at", s(at.to_string()))
            .expression_attribute_values(":before", s(before.to_string()))
            .send()
            .await
            .map_err(write_error)?;
        Ok(())
    }

    async fn revoke_api_key(
        &self,
        account: AccountId,
        id: ApiKeyId,
        now: Timestamp,
        audit: &AuditOf<'_, ApiKeyRecord>,
    ) -> Result<Revocation, StoreError> {
        let Some(entry) = self.get(account_pk(account), &entry_sk(id)).await? else {
            return Ok(Revocation::NotFound);
        };
        let hash: Entry = decode(entry)?;
        let Some(item) = self.get(key_pk(hash.key_hash), KEY_SK).await? else {
            return Ok(Revocation::NotFound);
        };
        let target = self.read_key(item, hash.key_hash).await?;
        // Only a working full key needs another to stay; only then are the others read.
        let keys = match target.revocation([], now) {
            Ok(_) => Vec::new(),
            Err(_) => self.every_key(account).await?,
        };
        let Ok(witness) = target.revocation(&keys, now) else {
            return Ok(Revocation::LastFullKey);
        };
        self.delete_key(&target, witness, &audit(&target)).await?;
        Ok(Revocation::Revoked(target))
    }
}

impl DynamoStore {
    /// Puts `items` with their audit record in one transaction, each only
    /// if it is not there yet.
    pub(super) async fn put_all_new(
        &self,
        items: Vec<Item>,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let puts = items
            .into_iter()
            .map(|item| self.put_write(item, "attribute_not_exists(pk)", None));
        self.audited(puts.collect::<Result<_, StoreError>>()?, audit)
            .await
    }

    /// A key item as a record; one in the form from before keys were a
    /// resource is carried over first.
    async fn read_key(&self, item: Item, hash: KeyHash) -> Result<ApiKeyRecord, StoreError> {
        if item.contains_key("scope") {
            return decode(item);
        }
        let account: Account = decode(item)?;
        let key = ApiKeyRecord::carried_over(account, hash);
        self.carry_over(&key).await?;
        Ok(key)
    }

    /// The entry first, then the key item's new form: each write may be made
    /// again, so a process that stops between them leaves what the next read
    /// finishes; of two at once, one rewrites the key item and the other
    /// finds it rewritten.
    async fn carry_over(&self, key: &ApiKeyRecord) -> Result<(), StoreError> {
        self.put(entry_item(key)).await?;
        let written = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(key_item(key)?))
            .condition_expression("attribute_exists(pk) AND attribute_not_exists(#scope)")
            .expression_attribute_names("#scope", "scope")
            .send()
            .await
            .map_err(write_error);
        match written {
            Ok(_) | Err(StoreError::Conflict) => {
                tracing::info!(account = %key.account().id, key = %key.id(), "API key carried over");
                Ok(())
            }
            Err(err) => Err(err),
        }
    }

    /// Every key of the account, a page of entries at a time.
    async fn every_key(&self, account: AccountId) -> Result<Vec<ApiKeyRecord>, StoreError> {
        let mut keys = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .list_api_keys(account, after.as_deref(), ENTRY_PAGE)
                .await?;
            keys.extend(page.items);
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(keys),
            }
        }
    }

    /// Deletes the key's two items in one transaction, which also checks
    /// that `witness` (the full key that stays) is still there.
    async fn delete_key(
        &self,
        key: &ApiKeyRecord,
        witness: Option<&ApiKeyRecord>,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let mut items = vec![
            self.delete_write(address(key_pk(key.key_hash()), KEY_SK))?,
            self.delete_write(address(account_pk(key.account().id), &entry_sk(key.id())))?,
        ];
        if let Some(witness) = witness {
            let check = ConditionCheck::builder()
                .table_name(&self.table)
                .set_key(Some(address(key_pk(witness.key_hash()), KEY_SK)))
                .condition_expression("attribute_exists(pk)");
            let check = built(check.build())?;
            items.push(TransactWriteItem::builder().condition_check(check).build());
        }
        self.audited(items, audit).await
    }
}
