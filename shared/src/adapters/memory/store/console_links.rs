//! Console links.

use super::found;
use super::{key_page, MemoryStore};
use crate::domain::audit::AuditRecord;
use crate::domain::console_link::ConsoleLink;
use crate::domain::ids::{AccountId, ConsoleLinkId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl ConsoleLinkStore for MemoryStore {
    async fn insert_console_link(
        &self,
        link: &ConsoleLink,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        self.write().audited(audit, |state| {
            let key = (link.account.id, link.id);
            state.console_links.insert(key, link.clone());
            Ok(())
        })
    }

    async fn get_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        now: Timestamp,
    ) -> Result<Option<ConsoleLink>, StoreError> {
        self.reading(|s| {
            s.console_links
                .get(&(account, id))
                .filter(|l| l.is_live(now))
                .cloned()
        })
    }

    async fn list_console_links(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<ConsoleLink>, StoreError> {
        let key = |link: &ConsoleLink| link.id.to_string();
        self.reading(|s| {
            key_page(&s.console_links, account, after, limit, key, |l| {
                l.is_live(now)
            })
        })
    }

    async fn delete_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        found(self.write().audited(audit, |state| {
            let gone = state.console_links.remove(&(account, id));
            gone.map(drop).ok_or(StoreError::Conflict)
        }))
    }
}
