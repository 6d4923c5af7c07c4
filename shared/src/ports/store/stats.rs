//! Hourly delivery counters per account and webhook.

use super::StoreError;
use crate::domain::ids::AccountId;
use crate::domain::stats::{StatsScope, Tally};
use crate::domain::time::Timestamp;
use async_trait::async_trait;

#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Adds `tally` to the counters of `scope` for the hour starting at
    /// `hour`, in place (concurrent adds all count); they expire at
    /// `expires_at` (epoch seconds).
    async fn add_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The counters of `scope` for the hours in [`from`, `to`), oldest
    /// first; hours without any are left out. One read, bounded by the hours.
    async fn read_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError>;
}
