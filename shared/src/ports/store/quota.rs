//! The account-level ingest quota's counters.

use super::StoreError;
use crate::domain::quota::QuotaWindow;
use async_trait::async_trait;

#[async_trait]
pub trait QuotaStore: Send + Sync {
    /// Counts `count` events on the window's counter if it stays within the
    /// window's limit (`true`), across every caller at once; otherwise
    /// counts nothing (`false`). A window's counter is forgotten after its second.
    async fn take_ingest_quota(&self, window: &QuotaWindow, count: u32)
        -> Result<bool, StoreError>;
}
