//! An account's API keys: found by the hash of the key, listed and revoked
//! by id within the account.

use super::{KeyPage, StoreError};
use crate::domain::account::KeyHash;
use crate::domain::api_key::ApiKeyRecord;
use crate::domain::audit::AuditRecord;
use crate::domain::ids::{AccountId, ApiKeyId};
use crate::domain::time::Timestamp;
use async_trait::async_trait;

/// The audit record of a change to a `T` the store reads as it writes.
pub type AuditOf<'a, T> = dyn Fn(&T) -> AuditRecord + Send + Sync + 'a;

/// What a revocation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revocation {
    /// The key is gone: it was this.
    Revoked(ApiKeyRecord),
    /// The account has no such key.
    NotFound,
    /// It is the account's last full key that works (`ApiKeyRecord::revocation`).
    LastFullKey,
}

#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Records a new key of its account. Conflict if its hash is taken.
    /// Each change is written with its `audit` record, both or neither.
    async fn insert_api_key(
        &self,
        key: &ApiKeyRecord,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;

    /// The key with this hash, expired or not (a key stored before keys were
    /// a resource reads as `ApiKeyRecord::carried_over`, and is listed from then on).
    async fn api_key_by_hash(&self, hash: KeyHash) -> Result<Option<ApiKeyRecord>, StoreError>;

    /// The account's keys in id (creation) order, after the key `after`.
    async fn list_api_keys(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<ApiKeyRecord>, StoreError>;

    /// Writes the key's `last_used_at` (`ApiKeyRecord::note_use`) unless the
    /// stored one is later than `ApiKeyRecord::replaces_use_before` it, or
    /// the key is gone: then Conflict, and nothing is written.
    async fn note_api_key_use(&self, key: &ApiKeyRecord) -> Result<(), StoreError>;

    /// Revokes the key, unless the account would be left without a full key
    /// that works at `now`; decided and done as one step, so two revocations
    /// at once cannot both take the last two. Written with the record
    /// `audit` makes of the key revoked.
    async fn revoke_api_key(
        &self,
        account: AccountId,
        id: ApiKeyId,
        now: Timestamp,
        audit: &AuditOf<'_, ApiKeyRecord>,
    ) -> Result<Revocation, StoreError>;
}
