//! Background tasks (fan-out, recover, purge) and their steps.

use super::{Changed, StoreError};
use crate::domain::ids::{AccountId, TaskId};
use crate::domain::task::{Task, TaskChange};
use crate::domain::time::Timestamp;
use async_trait::async_trait;

#[async_trait]
pub trait TaskStore: Send + Sync {
    /// Records a new background task; Conflict if it exists.
    async fn insert_task(&self, task: &Task) -> Result<(), StoreError>;

    /// Applies `change` to the task's step `step` if it admits it
    /// (`Task::admits`), and says what it found either way.
    async fn change_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
        change: &TaskChange,
        now: Timestamp,
    ) -> Result<Changed<Task>, StoreError>;

    /// Ends the task after its step `step` (it is removed); nothing if it
    /// moved on or is gone.
    async fn finish_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
    ) -> Result<(), StoreError>;
}
