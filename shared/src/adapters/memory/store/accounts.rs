//! Accounts by the hash of their key.

use super::MemoryStore;
use crate::domain::account::{Account, KeyHash};
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl AccountStore for MemoryStore {
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError> {
        let mut state = self.write();
        if state.accounts.contains_key(&key) {
            return Err(StoreError::Conflict);
        }
        state.accounts.insert(key, account.clone());
        Ok(())
    }

    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError> {
        Ok(self.read().accounts.get(&key).map(|a| (a.clone(), key)))
    }
}
