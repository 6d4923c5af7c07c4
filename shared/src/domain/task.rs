//! Background tasks: work that outlives a request or a message (an event's
//! fan-out past one page of webhooks, a replay past its budget, a deleted
//! webhook's log). Each is an item with a cursor, worked one step at a time
//! by whoever claims the step (a lease), and found by the sweeper like a
//! pending delivery when its message is lost: a task in progress is never
//! only a message. A step's claim, advance and end are written once here
//! and applied alike by both stores.

use crate::domain::delivery::SWEEP_GRACE_SECONDS;
use crate::domain::ids::{AccountId, EventId, TaskId, WebhookId};
use crate::domain::replay::Selection;
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What a task does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum TaskKind {
    /// Records and queues an event's deliveries, a page of webhooks a step.
    Fanout { event_id: EventId, due: Timestamp },
    /// Queues a webhook's deliveries again (a replay, or a recover: what
    /// was recorded as `recover` before replays existed reads as one).
    #[serde(alias = "recover")]
    Replay(Selection),
    /// Removes a deleted webhook's deliveries, including those a fan-out
    /// that read the webhook before it went writes after (`SETTLE_SECONDS`).
    Purge {
        webhook_id: WebhookId,
        deleted_at: Timestamp,
    },
}

/// How long after a webhook's deletion its purge makes its last pass: past
/// any fan-out step or ingest that read the webhook before (a step holds
/// its lease at most `LEASE_SECONDS`, a function runs at most 30 s).
pub const SETTLE_SECONDS: i64 = 90;

/// How long a step's claim holds: longer than any function runs, so a
/// holder cannot still be writing when another takes the step over.
pub const LEASE_SECONDS: i64 = 60;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub account_id: AccountId,
    #[serde(flatten)]
    pub kind: TaskKind,
    /// Steps done.
    pub step: u32,
    /// Where the next step starts (the kind's own key), `None` at the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_until: Option<Timestamp>,
    /// Claims of this step: more than one means a holder died in it.
    #[serde(default)]
    pub tries: u32,
    pub sweep_at: Timestamp,
    pub created_at: Timestamp,
    /// Epoch seconds (DynamoDB TTL): a task that somehow never ends goes.
    pub expires_at: i64,
}

/// A change of a task's step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskChange {
    /// A worker takes the step until `lease_until`.
    Claimed { lease_until: Timestamp },
    /// The step is done: the next starts at `cursor`, its message due at `next_at`.
    Advanced {
        cursor: Option<String>,
        next_at: Timestamp,
    },
    /// The sweeper queued the step's message again.
    Swept,
}

impl TaskChange {
    /// The task's sweep time after the change at `now`: a grace period
    /// past the end of a claim's lease, or past when its next message is due.
    pub fn sweep_at(&self, now: Timestamp) -> Timestamp {
        let due = match self {
            Self::Claimed { lease_until } => *lease_until,
            Self::Advanced { next_at, .. } => *next_at,
            Self::Swept => now,
        };
        due.plus_seconds(SWEEP_GRACE_SECONDS)
    }
}

impl Task {
    /// A task made at `now`, its first step's message due then.
    pub fn new(
        id: TaskId,
        account_id: AccountId,
        kind: TaskKind,
        now: Timestamp,
        retention_days: u32,
    ) -> Self {
        Self {
            id,
            account_id,
            kind,
            step: 0,
            cursor: None,
            lease_until: None,
            tries: 0,
            sweep_at: now.plus_seconds(SWEEP_GRACE_SECONDS),
            created_at: now,
            expires_at: crate::domain::event::expiry(now, retention_days),
        }
    }

    /// The same task starting at `cursor`, its first message due at `first_at`.
    pub fn starting(self, cursor: Option<String>, first_at: Timestamp) -> Self {
        Self {
            cursor,
            sweep_at: first_at.plus_seconds(SWEEP_GRACE_SECONDS),
            ..self
        }
    }

    /// Whether `change` may apply to step `step` at `now`: the step must be
    /// the current one, and a claim needs no live lease on it.
    pub fn admits(&self, change: &TaskChange, step: u32, now: Timestamp) -> bool {
        self.step == step
            && match change {
                TaskChange::Claimed { .. } => self.lease_until.is_none_or(|lease| lease <= now),
                TaskChange::Advanced { .. } | TaskChange::Swept => true,
            }
    }

    /// Applies `change` (checked with `admits`) at `now`.
    pub fn apply(&mut self, change: &TaskChange, now: Timestamp) {
        self.sweep_at = change.sweep_at(now);
        match change {
            TaskChange::Claimed { lease_until } => {
                self.lease_until = Some(*lease_until);
                self.tries += 1;
            }
            TaskChange::Advanced { cursor, .. } => {
                self.step += 1;
                self.cursor = cursor.clone();
                self.lease_until = None;
                self.tries = 0;
            }
            TaskChange::Swept => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::random::OsRandom;

    #[test]
    fn a_step_is_claimed_once_until_its_lease_ends_and_advancing_frees_the_next() {
        let now = Timestamp::from_millis(1_790_000_000_000).unwrap();
        let kind = TaskKind::Fanout {
            event_id: EventId::generate(now, &OsRandom),
            due: now,
        };
        let mut task = Task::new(
            TaskId::generate(now, &OsRandom),
            AccountId::generate(now, &OsRandom),
            kind,
            now,
            60,
        );
        let claim = TaskChange::Claimed {
            lease_until: now.plus_seconds(LEASE_SECONDS),
        };
        assert!(task.admits(&claim, 0, now));
        task.apply(&claim, now);
        assert!(!task.admits(&claim, 0, now.plus_seconds(59)));
        assert!(
            task.admits(&claim, 0, now.plus_seconds(60)),
            "its holder died"
        );
        task.apply(&claim, now.plus_seconds(60));
        assert_eq!(task.tries, 2);
        let advance = TaskChange::Advanced {
            cursor: Some("after".into()),
            next_at: now.plus_seconds(61),
        };
        task.apply(&advance, now.plus_seconds(61));
        assert_eq!((task.step, task.tries, task.lease_until), (1, 0, None));
        assert!(
            !task.admits(&claim, 0, now.plus_seconds(62)),
            "a stale step"
        );
        assert!(task.admits(&claim, 1, now.plus_seconds(62)));
    }

    #[test]
    fn a_recover_task_recorded_before_replays_reads_as_a_replay_of_the_failed() {
        let now = Timestamp::from_millis(1_790_000_000_000).unwrap();
        let webhook = WebhookId::generate(now, &OsRandom);
        let replay = Selection {
            began_at: now.plus_seconds(1),
            ..Selection::failed_since(webhook, now)
        };
        let id = TaskId::generate(now, &OsRandom);
        let account = AccountId::generate(now, &OsRandom);
        let task = Task::new(id, account, TaskKind::Replay(replay.clone()), now, 60);
        let mut stored = serde_json::to_value(&task).unwrap();
        assert_eq!(
            (&stored["task"], &stored["webhook_id"]),
            (&serde_json::json!("replay"), &serde_json::json!(webhook))
        );
        assert_eq!(
            serde_json::from_value::<Task>(stored.clone()).unwrap(),
            task
        );
        // As a recover task was stored: no statuses, no start.
        stored["task"] = "recover".into();
        let fields = stored.as_object_mut().unwrap();
        fields.remove("statuses");
        fields.remove("began_at");
        let old: Task = serde_json::from_value(stored).unwrap();
        let unbounded = Selection {
            began_at: Timestamp::last(),
            ..replay
        };
        assert_eq!(old.kind, TaskKind::Replay(unbounded));
    }
}
