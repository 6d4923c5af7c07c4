//! A replay task's steps: a page of the webhook's deliveries a replay
//! selects, queued again (`operations::replay` starts it, and works what its
//! request's budget allows through the same `replay_next`).

use super::Step;
use crate::app::App;
use crate::domain::delivery::Change;
use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::replay::Selection;
use crate::domain::task::Task;
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::ports::queue::{DeliveryMessage, Enqueue};
use crate::ports::store::{Changed, StoreError};
use futures::stream::{self, StreamExt};

/// Status changes made at once.
const CONCURRENCY: usize = 16;

/// A delivery a replay takes: its attempts made, and its poll webhook if it
/// has one (it is then offered again, not sent).
struct Found {
    id: DeliveryId,
    attempts: u32,
    polled: Option<WebhookId>,
}

/// Marks these deliveries `scheduled` unless they changed since the replay
/// began, then queues those that were; how many. Marked first: a message
/// never arrives before its delivery is due again, and one that is not
/// queued (the process dies, the queue fails) leaves its delivery pending,
/// which the sweeper queues after its grace. A poll webhook's delivery is
/// offered again instead (back in its feed, nothing queued).
async fn replay_page(
    app: &App,
    account: AccountId,
    found: Vec<Found>,
    began_at: Timestamp,
) -> Result<usize, DispatchError> {
    let now = app.clock.now();
    let changed: Vec<Result<Option<Found>, StoreError>> = stream::iter(found)
        .map(|found| async move {
            let change = match found.polled {
                Some(webhook) => Change::Reoffered {
                    webhook,
                    unchanged_since: Some(began_at),
                },
                None => Change::Requeued {
                    due: now,
                    unchanged_since: began_at,
                },
            };
            // Refused: changed meanwhile (sent again already, by this
            // page worked before or by another replay).
            let changed = app
                .store
                .change_delivery(account, found.id, found.attempts, &change, now)
                .await?;
            Ok(matches!(changed, Changed::Applied(_)).then_some(found))
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let (mut requeued, mut failure) = (Vec::new(), None);
    for one in changed {
        match one {
            Ok(applied) => requeued.extend(applied),
            Err(err) => failure = failure.or(Some(err)),
        }
    }
    let messages: Vec<Enqueue> = requeued
        .iter()
        .filter(|found| found.polled.is_none())
        .map(|found| Enqueue {
            message: DeliveryMessage::again(account, found.id, found.attempts).into(),
            delay_seconds: 0,
        })
        .collect();
    if !messages.is_empty() {
        app.queue.send(&messages).await?;
    }
    match failure {
        Some(err) => Err(err.into()),
        None => Ok(requeued.len()),
    }
}

/// One page of what `selection` takes, after the delivery `after`: queued
/// again, or only counted (`dry_run`); how many, and where the rest starts.
pub async fn replay_next(
    app: &App,
    account: AccountId,
    selection: &Selection,
    after: Option<&str>,
    dry_run: bool,
) -> Result<(usize, Option<String>), DispatchError> {
    let page = app
        .store
        .list_deliveries(
            account,
            &selection.filter(),
            &selection.page(after),
            app.clock.now(),
        )
        .await?;
    let found: Vec<Found> = page
        .items
        .iter()
        .filter(|d| selection.takes(d))
        .map(|d| Found {
            id: d.id(),
            attempts: d.attempts(),
            polled: d.is_polled().then_some(selection.webhook_id),
        })
        .collect();
    let next = page.next_cursor.map(|c| c.after);
    if dry_run || found.is_empty() {
        return Ok((found.len(), next));
    }
    let replayed = replay_page(app, account, found, selection.began_at).await?;
    Ok((replayed, next))
}

/// One step of a replay task: a page.
pub async fn step(app: &App, task: &Task, selection: &Selection) -> Result<Step, DispatchError> {
    let after = task.cursor.as_deref();
    let (_, next) = replay_next(app, task.account_id, selection, after, false).await?;
    Ok(match next {
        Some(cursor) => Step::Next {
            cursor: Some(cursor),
            at: app.clock.now(),
        },
        None => Step::Done,
    })
}
