//! Running background tasks (`domain::task`): each message is one step of
//! one task. The step is claimed first (a lease on the task item, so two
//! copies of a message never work it at once, and a repeated message for a
//! step done already finds nothing to do), then worked, then the task
//! advances (or ends) and the next step's message is queued. A message lost
//! anywhere leaves the task item past its sweep time: the sweeper queues the
//! step again.

pub mod purge;
pub mod replay;

use crate::app::App;
use crate::domain::ids::{AccountId, TaskId};
use crate::domain::task::{Task, TaskChange, TaskKind, LEASE_SECONDS};
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::ports::queue::{Enqueue, QueueMessage, TaskMessage};
use crate::ports::store::Changed;

/// What a step did: the task goes on from `cursor` at `at`, or it is done.
pub enum Step {
    Next {
        cursor: Option<String>,
        at: Timestamp,
    },
    Done,
}

/// Records a new task for `account`, starting at `cursor`, and queues its
/// first step after `delay_seconds`. Once it is recorded it cannot be lost.
pub async fn start(
    app: &App,
    account: AccountId,
    kind: TaskKind,
    cursor: Option<String>,
    delay_seconds: u32,
) -> Result<(), DispatchError> {
    let now = app.clock.now();
    let first_at = now.plus_seconds(delay_seconds.into());
    let id = TaskId::generate(now, &*app.random);
    let task =
        Task::new(id, account, kind, now, app.settings.retention_days).starting(cursor, first_at);
    app.store.insert_task(&task).await?;
    if let Err(err) = queue_step(app, &task, first_at).await {
        // Recorded: the sweeper queues it once its sweep time passes.
        tracing::warn!(task = %task.id, error = %err, "a task's first message was not queued; the sweeper will");
    }
    Ok(())
}

async fn queue_step(app: &App, task: &Task, at: Timestamp) -> Result<(), DispatchError> {
    let wait = ((at.millis() - app.clock.now().millis()).max(0) + 999) / 1000;
    let entry = Enqueue {
        message: QueueMessage::Task(TaskMessage {
            account_id: task.account_id,
            task_id: task.id,
            step: task.step,
        }),
        delay_seconds: u32::try_from(wait).unwrap_or(0).min(900),
    };
    Ok(app.queue.send(&[entry]).await?)
}

/// Claims the step `message` is for: the task to work, or `None` when the
/// step is done already, ended, or held by another worker (whose message
/// comes back when its lease ends). The router works it (`router`).
pub async fn claim(app: &App, message: &TaskMessage) -> Result<Option<Task>, DispatchError> {
    let now = app.clock.now();
    let claim = TaskChange::Claimed {
        lease_until: now.plus_seconds(LEASE_SECONDS),
    };
    let claimed = app
        .store
        .change_task(
            message.account_id,
            message.task_id,
            message.step,
            &claim,
            now,
        )
        .await?;
    match claimed {
        Changed::Applied(task) => Ok(Some(task)),
        // Another worker holds this step: look again when its lease ends.
        Changed::Refused(Some(held)) if held.step == message.step => {
            let after = held.lease_until.unwrap_or(now).plus_seconds(1);
            queue_step(app, &held, after).await?;
            Ok(None)
        }
        // Done already, or ended.
        Changed::Refused(_) => Ok(None),
    }
}

/// Advances the task past its step (or ends it), then queues the next step.
pub async fn finish_step(app: &App, task: &Task, step: Step) -> Result<(), DispatchError> {
    let (cursor, at) = match step {
        Step::Done => {
            return Ok(app
                .store
                .finish_task(task.account_id, task.id, task.step)
                .await?)
        }
        Step::Next { cursor, at } => (cursor, at),
    };
    let advance = TaskChange::Advanced {
        cursor,
        next_at: at,
    };
    let now = app.clock.now();
    let advanced = app
        .store
        .change_task(task.account_id, task.id, task.step, &advance, now)
        .await?;
    match advanced {
        Changed::Applied(next) => queue_step(app, &next, at).await,
        // Someone else took the step further meanwhile (our lease ran out).
        Changed::Refused(_) => Ok(()),
    }
}

/// The sweeper's touch: the step's message again, then a new sweep time.
pub async fn sweep(
    app: &App,
    account: AccountId,
    id: TaskId,
    step: u32,
) -> Result<(), DispatchError> {
    let entry = Enqueue {
        message: QueueMessage::Task(TaskMessage {
            account_id: account,
            task_id: id,
            step,
        }),
        delay_seconds: 0,
    };
    app.queue.send(&[entry]).await?;
    let now = app.clock.now();
    app.store
        .change_task(account, id, step, &TaskChange::Swept, now)
        .await?;
    Ok(())
}
