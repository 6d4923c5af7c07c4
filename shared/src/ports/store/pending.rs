//! What waits to be woken: items past their sweep time, the deliveries of a
//! wake bucket, and the record that a bucket has its schedule.

use super::{KeyPage, StoreError};
use crate::domain::delivery::Delivery;
use crate::domain::ids::{AccountId, DeliveryId, TaskId};
use crate::domain::task::Task;
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use async_trait::async_trait;

/// What the sweeper found past its `sweep_at`: a pending delivery, or a
/// background task's step.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Overdue {
    Delivery {
        account_id: AccountId,
        delivery_id: DeliveryId,
        attempts: u32,
    },
    Task {
        account_id: AccountId,
        task_id: TaskId,
        step: u32,
    },
}

impl Overdue {
    pub fn of(delivery: &Delivery) -> Self {
        Self::Delivery {
            account_id: delivery.account_id(),
            delivery_id: delivery.id(),
            attempts: delivery.attempts(),
        }
    }

    pub fn of_task(task: &Task) -> Self {
        Self::Task {
            account_id: task.account_id,
            task_id: task.id,
            step: task.step,
        }
    }
}

/// A delivery waiting in a wake bucket, and when it is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub account_id: AccountId,
    pub delivery_id: DeliveryId,
    pub attempts: u32,
    pub due: Timestamp,
}

#[async_trait]
pub trait PendingStore: Send + Sync {
    /// Pending deliveries and task steps whose `sweep_at` is before `now`, a
    /// page of up to `limit` after the key `after` (oldest first within a shard).
    async fn overdue(
        &self,
        now: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Overdue>, StoreError>;

    /// The deliveries waiting in `bucket`, a page of up to `limit` after `after`.
    async fn waiting_in(
        &self,
        bucket: WakeBucket,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Waiting>, StoreError>;

    /// Records that `bucket` has a schedule; `false` if it had one already.
    /// The record expires a day after the bucket's minute.
    async fn claim_wake(&self, bucket: WakeBucket) -> Result<bool, StoreError>;

    /// Forgets the record of `bucket` (its schedule could not be made).
    async fn release_wake(&self, bucket: WakeBucket) -> Result<(), StoreError>;
}
