//! The ingest quota's counters: each counter of each account holds its
//! current second only.

use super::MemoryStore;
use crate::domain::quota::QuotaWindow;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl QuotaStore for MemoryStore {
    async fn take_ingest_quota(
        &self,
        window: &QuotaWindow,
        count: u32,
    ) -> Result<bool, StoreError> {
        let mut state = self.write();
        let (second, used) = state
            .quota
            .entry((window.account, window.counter))
            .or_insert((window.second, 0));
        if *second != window.second {
            (*second, *used) = (window.second, 0);
        }
        let admitted = window.admits(*used, count);
        if admitted {
            *used += count;
        }
        Ok(admitted)
    }
}
