//! Accounts and the hashes of their API keys.

use super::StoreError;
use crate::domain::account::{Account, KeyHash};
use async_trait::async_trait;

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Records an account with the hash of its key. Conflict if the hash is taken.
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError>;

    /// The account a key hash belongs to.
    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError>;
}
