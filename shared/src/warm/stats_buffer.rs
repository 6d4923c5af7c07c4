//! Delivery stats, recorded cheaply: each attempt adds to a tally kept in
//! the process, per (account, webhook or account-wide, hour); a flush writes
//! each tally with one in-place add. The delivery function flushes after
//! each SQS batch, the local runner's worker every second, test-send and
//! retry right after their attempt. A failed flush keeps its tallies for the
//! next one; stats never hold up or fail a delivery.

use crate::domain::event::expiry;
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::stats::{Granularity, Sample, StatsScope, Tally};
use crate::domain::time::Timestamp;
use crate::ports::store::Store;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::Mutex;

type Key = (AccountId, StatsScope, Timestamp);

/// Tallies not written yet.
#[derive(Default)]
pub struct StatsBuffer {
    pending: Mutex<HashMap<Key, Tally>>,
}

impl StatsBuffer {
    /// Counts `sample`, made at `at`, for the account and for its webhook.
    pub fn add(
        &self,
        account: AccountId,
        webhook: Option<WebhookId>,
        at: Timestamp,
        sample: Sample,
    ) {
        let hour = Granularity::Hour.floor(at);
        let scopes = std::iter::once(StatsScope::Account).chain(webhook.map(StatsScope::Webhook));
        let mut pending = self.lock();
        for scope in scopes {
            pending
                .entry((account, scope, hour))
                .or_default()
                .add(sample);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Tally>> {
        // A panic elsewhere leaves the counters as they were: keep them.
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn take(&self) -> HashMap<Key, Tally> {
        std::mem::take(&mut *self.lock())
    }

    fn put_back(&self, key: Key, tally: Tally) {
        self.lock().entry(key).or_default().merge(&tally);
    }

    /// Writes every pending tally (kept `retention_days`); those that fail
    /// wait for the next flush. A few at a time, so a slow store holds a
    /// flush up for a few calls' time, not one per counter.
    pub async fn flush(&self, store: &dyn Store, retention_days: u32) {
        let writes = self.take().into_iter().map(|((account, scope, hour), tally)| async move {
            let expires_at = expiry(hour, retention_days);
            if let Err(err) = store.add_stats(account, scope, hour, &tally, expires_at).await {
                tracing::warn!(error = %err, "delivery stats not written yet; kept for the next flush");
                self.put_back((account, scope, hour), tally);
            }
        });
        futures::stream::iter(writes)
            .buffer_unordered(FLUSH_CONCURRENCY)
            .collect::<Vec<()>>()
            .await;
    }
}

/// Writes a flush makes at once.
pub const FLUSH_CONCURRENCY: usize = 8;
