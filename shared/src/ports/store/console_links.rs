//! Console links: live until they expire or are revoked.

use super::{KeyPage, StoreError};
use crate::domain::audit::AuditRecord;
use crate::domain::console_link::ConsoleLink;
use crate::domain::ids::{AccountId, ConsoleLinkId};
use crate::domain::time::Timestamp;
use async_trait::async_trait;

#[async_trait]
pub trait ConsoleLinkStore: Send + Sync {
    /// Each change is written with its `audit` record, both or neither.
    async fn insert_console_link(
        &self,
        link: &ConsoleLink,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;

    /// The link, unless it expired or was revoked.
    async fn get_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        now: Timestamp,
    ) -> Result<Option<ConsoleLink>, StoreError>;

    /// The account's live links, oldest first, after the link `after`.
    async fn list_console_links(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<ConsoleLink>, StoreError>;

    /// Revokes it; whether there was such a link.
    async fn delete_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError>;
}
