//! The storage port: accounts and webhooks. Implemented by the in-memory and
//! DynamoDB adapters and checked by one conformance suite.

use crate::domain::account::{Account, KeyHash};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{ListParams, Page};
use crate::domain::webhook::Webhook;
use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A conditional write lost: the item is gone, exists already, or changed.
    #[error("the item changed or does not exist")]
    Conflict,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

/// Filters of the webhook list beyond the common window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookFilter {
    pub enabled: Option<bool>,
}

#[async_trait]
pub trait Store: Send + Sync {
    /// Records an account with the hash of its key. Conflict if the hash is taken.
    async fn insert_account(&self, account: &Account, key: KeyHash) -> Result<(), StoreError>;

    /// The account a key hash belongs to.
    async fn account_by_key(&self, key: KeyHash) -> Result<Option<(Account, KeyHash)>, StoreError>;

    /// Conflict if a webhook with that id exists.
    async fn insert_webhook(&self, webhook: &Webhook) -> Result<(), StoreError>;

    async fn get_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError>;

    /// Replaces the webhook if its stored `version` is still `expected_version`;
    /// Conflict if it changed or was deleted meanwhile.
    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
    ) -> Result<(), StoreError>;

    /// Whether there was such a webhook.
    async fn delete_webhook(&self, account: AccountId, id: WebhookId) -> Result<bool, StoreError>;

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError>;
}
