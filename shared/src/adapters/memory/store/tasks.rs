//! Background tasks.

use super::MemoryStore;
use crate::domain::ids::{AccountId, TaskId};
use crate::domain::task::{Task, TaskChange};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

#[async_trait]
impl TaskStore for MemoryStore {
    async fn insert_task(&self, task: &Task) -> Result<(), StoreError> {
        match self.write().tasks.entry(task.id) {
            std::collections::hash_map::Entry::Occupied(_) => Err(StoreError::Conflict),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(task.clone());
                Ok(())
            }
        }
    }

    async fn change_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
        change: &TaskChange,
        now: Timestamp,
    ) -> Result<Changed<Task>, StoreError> {
        let mut state = self.write();
        match state.tasks.get_mut(&id) {
            Some(stored) if stored.account_id != account => Ok(Changed::Refused(None)),
            Some(stored) if stored.admits(change, step, now) => {
                stored.apply(change, now);
                Ok(Changed::Applied(stored.clone()))
            }
            stored => Ok(Changed::Refused(stored.cloned())),
        }
    }

    async fn finish_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
    ) -> Result<(), StoreError> {
        let mut state = self.write();
        if state
            .tasks
            .get(&id)
            .is_some_and(|t| t.account_id == account && t.step == step)
        {
            state.tasks.remove(&id);
        }
        Ok(())
    }
}
