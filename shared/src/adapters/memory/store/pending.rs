//! What waits: overdue items, wake buckets and their schedules.

use super::{MemoryStore, State};
use crate::domain::delivery::Delivery;
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::ports::store::*;
use async_trait::async_trait;

/// Of the pending deliveries, those `pick` finds (with the time they are
/// ordered by), as `{time}#{id}` keys.
fn pending<'a, T: 'a>(
    state: &'a State,
    pick: impl Fn(&Delivery) -> Option<(Timestamp, T)> + 'a,
) -> impl Iterator<Item = (String, T)> + 'a {
    state
        .deliveries
        .values()
        .filter(|d| !d.status().is_final())
        .filter_map(move |d| pick(d).map(|(at, item)| (format!("{at}#{}", d.id()), item)))
}

/// `found` in key order after `after`, as a page of `limit`.
fn key_ordered<T>(
    found: impl Iterator<Item = (String, T)>,
    after: Option<&str>,
    limit: usize,
) -> KeyPage<T> {
    let mut found: Vec<(String, T)> = found
        .filter(|(key, _)| after.is_none_or(|after| key.as_str() > after))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.truncate(limit + 1);
    KeyPage::of(found, limit, |(key, _)| key.clone()).map(|(_, item)| item)
}

#[async_trait]
impl PendingStore for MemoryStore {
    async fn overdue(
        &self,
        now: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Overdue>, StoreError> {
        let state = self.read();
        let deliveries = pending(&state, |d| {
            d.sweep_at()
                .filter(|at| *at < now)
                .map(|at| (at, Overdue::of(d)))
        });
        let tasks = state
            .tasks
            .values()
            .filter(|t| t.sweep_at < now)
            .map(|t| (format!("{}#{}", t.sweep_at, t.id), Overdue::of_task(t)));
        Ok(key_ordered(deliveries.chain(tasks), after, limit))
    }

    async fn waiting_in(
        &self,
        bucket: WakeBucket,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Waiting>, StoreError> {
        let state = self.read();
        let found = pending(&state, |d| {
            let due = d.next_attempt_at().filter(|_| d.wake() == Some(bucket))?;
            let waiting = Waiting {
                account_id: d.account_id(),
                delivery_id: d.id(),
                attempts: d.attempts(),
                due,
            };
            Some((due, waiting))
        });
        Ok(key_ordered(found, after, limit))
    }

    async fn claim_wake(&self, bucket: WakeBucket) -> Result<bool, StoreError> {
        Ok(self.write().wakes.insert(bucket))
    }

    async fn release_wake(&self, bucket: WakeBucket) -> Result<(), StoreError> {
        self.write().wakes.remove(&bucket);
        Ok(())
    }
}
