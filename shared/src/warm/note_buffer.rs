//! What a warm sender noted on its webhooks and has not written yet
//! (`notes` writes it): per webhook, its outcomes and its latest failed attempt.

use crate::domain::delivery::{Attempt, DeliveryStatus};
use crate::domain::health::Outcomes;
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::time::Timestamp;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

pub(crate) type Key = (AccountId, WebhookId);

/// A webhook's outcomes not written yet, and its latest failed attempt
/// (what an operational event about it tells).
#[derive(Clone, Default)]
pub(crate) struct Pending {
    pub(crate) outcomes: Outcomes,
    pub(crate) last_failure: Option<Attempt>,
}

#[derive(Default)]
pub struct NoteBuffer {
    pending: Mutex<HashMap<Key, Pending>>,
}

impl NoteBuffer {
    /// Notes that a delivery to `webhook` became `status` after `attempt`.
    pub fn add(
        &self,
        account: AccountId,
        webhook: WebhookId,
        status: DeliveryStatus,
        attempt: &Attempt,
        at: Timestamp,
    ) {
        let mut pending = self.lock();
        let entry = pending.entry((account, webhook)).or_default();
        entry.outcomes.add(status, at);
        if status == DeliveryStatus::Failed {
            entry.last_failure = Some(attempt.clone());
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Pending>> {
        // A panic elsewhere leaves the notes as they were: keep them.
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn take(&self) -> HashMap<Key, Pending> {
        std::mem::take(&mut *self.lock())
    }

    /// Puts back notes whose write failed, before any made since.
    pub(crate) fn put_back(&self, key: Key, earlier: Pending) {
        let mut pending = self.lock();
        let later = pending.remove(&key).unwrap_or_default();
        pending.insert(
            key,
            Pending {
                outcomes: earlier.outcomes.then(later.outcomes),
                last_failure: later.last_failure.or(earlier.last_failure),
            },
        );
    }
}
