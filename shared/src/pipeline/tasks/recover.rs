//! A recover task's steps: a webhook's failed deliveries queued again a page
//! at a time (`operations::recover` starts it, and queues what its request's
//! budget allows through the same `recover_next`).

use super::Step;
use crate::app::App;
use crate::domain::delivery::{Change, DeliveryStatus};
use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::listing::{Cursor, ListParams, Order, SortField};
use crate::domain::task::Task;
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::ports::queue::{DeliveryMessage, Enqueue};
use crate::ports::store::{Changed, DeliveryFilter, StoreError};
use futures::stream::{self, StreamExt};

/// How long a recovered delivery's message waits, so its status change lands first.
const SETTLE_SECONDS: u32 = 2;
/// Status changes made at once.
const CONCURRENCY: usize = 16;

/// Queues these failed deliveries (id, attempts made) again, then marks
/// them `scheduled`; how many were still failed.
async fn recover_page(
    app: &App,
    account: AccountId,
    found: Vec<(DeliveryId, u32)>,
    now: Timestamp,
) -> Result<usize, DispatchError> {
    let messages: Vec<Enqueue> = found
        .iter()
        .map(|(id, attempts)| Enqueue {
            message: DeliveryMessage::again(account, *id, *attempts).into(),
            delay_seconds: SETTLE_SECONDS,
        })
        .collect();
    app.queue.send(&messages).await?;
    let change = Change::Recovered { due: now };
    let changed: Vec<Result<bool, StoreError>> = stream::iter(found)
        .map(|(id, attempts)| {
            let change = &change;
            async move {
                // Refused: changed meanwhile, no longer failed; its message
                // finds nothing to do.
                let changed = app
                    .store
                    .change_delivery(account, id, attempts, change, now)
                    .await?;
                Ok::<_, StoreError>(matches!(changed, Changed::Applied(_)))
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let mut recovered = 0;
    for one in changed {
        recovered += usize::from(one?);
    }
    Ok(recovered)
}

/// One page of the webhook's failed deliveries created since `since`,
/// after `after`, queued again; how many, and where the rest starts.
pub async fn recover_next(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
    since: Timestamp,
    after: Option<&str>,
) -> Result<(usize, Option<String>), DispatchError> {
    let filter = DeliveryFilter {
        statuses: vec![DeliveryStatus::Failed],
        webhook_id: Some(webhook),
        ..DeliveryFilter::default()
    };
    let params = ListParams {
        sort: SortField::Id,
        order: Order::Asc,
        start: Some(since),
        limit: ListParams::MAX_LIMIT,
        cursor: after.map(|id| Cursor {
            sort: SortField::Id,
            order: Order::Asc,
            after: id.to_owned(),
        }),
        ..ListParams::default()
    };
    let now = app.clock.now();
    let page = app
        .store
        .list_deliveries(account, &filter, &params, now)
        .await?;
    let found: Vec<(DeliveryId, u32)> = page.items.iter().map(|d| (d.id(), d.attempts())).collect();
    let recovered = recover_page(app, account, found, now).await?;
    Ok((recovered, page.next_cursor.map(|c| c.after)))
}

/// One step of a recover task: a page.
pub async fn step(
    app: &App,
    task: &Task,
    webhook: WebhookId,
    since: Timestamp,
) -> Result<Step, DispatchError> {
    let after = task.cursor.as_deref();
    let (_, next) = recover_next(app, task.account_id, webhook, since, after).await?;
    Ok(match next {
        Some(cursor) => Step::Next {
            cursor: Some(cursor),
            at: app.clock.now(),
        },
        None => Step::Done,
    })
}
