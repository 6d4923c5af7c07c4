//! Hourly counters.

use super::{stats_key, MemoryStore};
use crate::domain::ids::AccountId;
use crate::domain::stats::{StatsScope, Tally};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl StatsStore for MemoryStore {
    async fn add_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        _expires_at: i64,
    ) -> Result<(), StoreError> {
        let key = (account, stats_key(scope), hour);
        self.write().stats.entry(key).or_default().merge(tally);
        Ok(())
    }

    async fn read_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError> {
        if to <= from {
            return Ok(Vec::new());
        }
        let scope = stats_key(scope);
        let range = (account, scope, from)..(account, scope, to);
        Ok(self
            .read()
            .stats
            .range(range)
            .map(|((_, _, hour), tally)| (*hour, tally.clone()))
            .collect())
    }
}
