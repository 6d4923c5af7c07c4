//! The audit log. A change's record is written with the change itself, in
//! one write of the role that makes it (`insert_webhook`, `revoke_api_key`,
//! ...: each takes its record), so neither is ever stored without the
//! other; an operation (retry, recover) records itself here before it starts.

use super::{KeyPage, StoreError};
use crate::domain::audit::{AuditFilter, AuditRecord};
use crate::domain::ids::AccountId;
use crate::domain::time::Timestamp;
use async_trait::async_trait;

/// The most records one list request reads past its filters before it
/// answers the page it has (with a cursor to go on), so a narrow filter
/// over a long log costs bounded reads per request.
pub const AUDIT_READ_BUDGET: usize = 1_000;

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Records an operation about to start. Conflict if the id is taken.
    async fn record_audit(&self, record: &AuditRecord) -> Result<(), StoreError>;

    /// The account's live records that `filter` admits, newest first (oldest
    /// first if `filter.ascending`), after the record `after`; `next` is where
    /// reading stopped, so a page may hold fewer than `limit` and go on.
    async fn list_audit(
        &self,
        account: AccountId,
        filter: &AuditFilter,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<AuditRecord>, StoreError>;
}
