//! API keys by account and id, and an index of their hashes.

use super::{key_page, MemoryStore};
use crate::domain::account::KeyHash;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use crate::domain::ids::{AccountId, ApiKeyId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl ApiKeyStore for MemoryStore {
    async fn insert_api_key(
        &self,
        key: &ApiKeyRecord,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        self.write().audited(audit, |state| {
            if state.key_hashes.contains_key(&key.key_hash()) {
                return Err(StoreError::Conflict);
            }
            let address = (key.account().id, key.id());
            state.key_hashes.insert(key.key_hash(), address);
            state.api_keys.insert(address, key.clone());
            Ok(())
        })
    }

    async fn api_key_by_hash(&self, hash: KeyHash) -> Result<Option<ApiKeyRecord>, StoreError> {
        self.reading(|s| {
            let address = s.key_hashes.get(&hash)?;
            s.api_keys.get(address).cloned()
        })
    }

    async fn list_api_keys(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<ApiKeyRecord>, StoreError> {
        let key = |k: &ApiKeyRecord| k.id().to_string();
        self.reading(|s| key_page(&s.api_keys, account, after, limit, key, |_| true))
    }

    async fn note_api_key_use(&self, key: &ApiKeyRecord) -> Result<(), StoreError> {
        let at = key.last_used_at().ok_or(StoreError::Conflict)?;
        let mut state = self.write();
        let stored = state
            .api_keys
            .get_mut(&(key.account().id, key.id()))
            .ok_or(StoreError::Conflict)?;
        if stored.note_use(at) {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    async fn revoke_api_key(
        &self,
        account: AccountId,
        id: ApiKeyId,
        now: Timestamp,
        audit: &AuditOf<'_, ApiKeyRecord>,
    ) -> Result<Revocation, StoreError> {
        let mut state = self.write();
        let Some(target) = state.api_keys.get(&(account, id)) else {
            return Ok(Revocation::NotFound);
        };
        let keys = state
            .api_keys
            .range((account, ApiKeyId::MIN)..=(account, ApiKeyId::MAX));
        if target.revocation(keys.map(|(_, k)| k), now).is_err() {
            return Ok(Revocation::LastFullKey);
        }
        let record = audit(target);
        state.audited(&record, |state| {
            let gone = state.api_keys.remove(&(account, id));
            let gone = gone.ok_or(StoreError::Conflict)?;
            state.key_hashes.remove(&gone.key_hash());
            Ok(Revocation::Revoked(gone))
        })
    }
}
