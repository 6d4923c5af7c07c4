//! Background tasks and their steps.

use crate::support::*;
use hookrelay::domain::ids::{TaskId, WebhookId};
use hookrelay::domain::replay::Selection;
use hookrelay::domain::task::{Task, TaskChange, TaskKind};
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Changed, Overdue, Store, StoreError};

pub async fn a_tasks_step_is_claimed_once_advanced_swept_and_ended(store: &dyn Store) {
    let owner = account("Owner").id;
    let webhook = WebhookId::generate(at(0), &OsRandom);
    let kind = TaskKind::Replay(Selection::failed_since(webhook, at(0)));
    let task = Task::new(TaskId::generate(at(0), &OsRandom), owner, kind, at(0), 60);
    store.insert_task(&task).await.unwrap();
    let again = store.insert_task(&task).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    let next = claimed_once_then_advanced(store, &task).await;
    swept_once_then_ended(store, &task, &next).await;
}

/// Applies `change` to the task's step `step` at `now_ms`.
async fn change(
    store: &dyn Store,
    task: &Task,
    step: u32,
    change: TaskChange,
    now_ms: i64,
) -> Changed<Task> {
    store
        .change_task(task.account_id, task.id, step, &change, at(now_ms))
        .await
        .unwrap()
}

fn claim_step(lease_ms: i64) -> TaskChange {
    TaskChange::Claimed {
        lease_until: at(lease_ms),
    }
}

/// Copies of the step's message at once: one claims it; after the lease
/// another takes it; then it advances. The task after that.
async fn claimed_once_then_advanced(store: &dyn Store, task: &Task) -> Task {
    let racing = (0..6).map(|_| change(store, task, 0, claim_step(60_000), 1));
    let claims = futures::future::join_all(racing).await;
    let won: Vec<&Task> = claims
        .iter()
        .filter_map(|c| match c {
            Changed::Applied(task) => Some(task),
            Changed::Refused(_) => None,
        })
        .collect();
    assert_eq!(won.len(), 1, "{claims:?}");
    let mut expected = task.clone();
    expected.apply(&claim_step(60_000), at(1));
    assert_eq!(won[0], &expected);
    // Its holder died: after the lease another takes it, a second try.
    let Changed::Applied(retaken) = change(store, task, 0, claim_step(120_000), 60_000).await
    else {
        panic!("retaken");
    };
    assert_eq!(retaken.tries, 2);
    let advance = TaskChange::Advanced {
        cursor: Some("page-2".into()),
        next_at: at(61_000),
    };
    let Changed::Applied(next) = change(store, task, 0, advance.clone(), 61_000).await else {
        panic!("advanced");
    };
    assert_eq!(
        (
            next.step,
            next.cursor.as_deref(),
            next.tries,
            next.lease_until
        ),
        (1, Some("page-2"), 0, None)
    );
    // A message for the step done already finds a later one.
    assert!(
        matches!(change(store, task, 0, claim_step(200_000), 62_000).await, Changed::Refused(Some(t)) if t.step == 1)
    );
    next
}

/// Its message lost, the sweeper finds the step once past its sweep time;
/// ended, it is gone, from the sweeper's sight too; a stale end changes nothing.
async fn swept_once_then_ended(store: &dyn Store, task: &Task, next: &Task) {
    let owner = task.account_id;
    let overdue = |now_ms| async move { store.overdue(at(now_ms), None, 10).await.unwrap().items };
    let sweep_time = next.sweep_at.millis() - BASE_MS;
    assert!(overdue(sweep_time).await.is_empty());
    assert_eq!(
        overdue(sweep_time + 1).await,
        vec![Overdue::Task {
            account_id: owner,
            task_id: task.id,
            step: 1
        }]
    );
    let Changed::Applied(swept) = change(store, task, 1, TaskChange::Swept, sweep_time + 2).await
    else {
        panic!("swept");
    };
    assert!(overdue(sweep_time + 3).await.is_empty());
    store.finish_task(owner, task.id, 0).await.unwrap();
    assert!(matches!(
        change(store, task, 1, TaskChange::Swept, 0).await,
        Changed::Applied(_)
    ));
    store.finish_task(owner, task.id, swept.step).await.unwrap();
    assert_eq!(
        change(store, task, 1, claim_step(0), 0).await,
        Changed::Refused(None)
    );
    let late = swept.sweep_at.millis() - BASE_MS + 1;
    assert!(overdue(late).await.is_empty());
}
