//! Console links: items in the account's partition, TTL-expired.

use super::catalog::*;
use super::keys::*;
use super::DynamoStore;
use crate::domain::audit::AuditRecord;
use crate::domain::console_link::ConsoleLink;
use crate::domain::ids::{AccountId, ConsoleLinkId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl ConsoleLinkStore for DynamoStore {
    async fn insert_console_link(
        &self,
        link: &ConsoleLink,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let put = self.put_write(console_link_item(link)?, "attribute_not_exists(pk)", None)?;
        self.audited(vec![put], audit).await
    }

    async fn get_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        now: Timestamp,
    ) -> Result<Option<ConsoleLink>, StoreError> {
        let item = self.get(account_pk(account), &console_link_sk(id)).await?;
        let link: Option<ConsoleLink> = item.map(decode).transpose()?;
        // TTL deletion lags: an expired link is refused until it is gone.
        Ok(link.filter(|link| link.is_live(now)))
    }

    async fn list_console_links(
        &self,
        account: AccountId,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<ConsoleLink>, StoreError> {
        let key = |link: &ConsoleLink| link.id.to_string();
        self.key_page(account, CONSOLE_LINK, after, limit, key, |link| {
            link.is_live(now)
        })
        .await
    }

    async fn delete_console_link(
        &self,
        account: AccountId,
        id: ConsoleLinkId,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        let sk = console_link_sk(id);
        self.delete_audited(account_pk(account), &sk, audit).await
    }
}
