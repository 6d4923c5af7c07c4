//! Recover: every failed delivery of a webhook created since a time is queued
//! again. Each page is queued first (so nothing is left without a message),
//! then marked `scheduled`; what a time budget does not cover continues in the
//! background through the delivery queue.

use crate::app::App;
use crate::domain::delivery::{Change, DeliveryStatus};
use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::listing::{Cursor, ListParams, Order, SortField};
use crate::domain::time::Timestamp;
use crate::errors::DispatchError;
use crate::ports::queue::{DeliveryMessage, Enqueue, QueueMessage, RecoverMessage};
use crate::ports::store::{Changed, DeliveryFilter, StoreError};
use futures::stream::{self, StreamExt};
use std::time::{Duration, Instant};

/// How long a recovered delivery's message waits, so its status change lands first.
const SETTLE_SECONDS: u32 = 2;
/// Status changes made at once.
const CONCURRENCY: usize = 16;

/// How far a recover got.
#[derive(Debug, PartialEq, Eq)]
pub struct Progress {
    /// Failed deliveries queued again.
    pub recovered: usize,
    /// `false` when the rest continues in the background.
    pub complete: bool,
}

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

/// Queues the webhook's failed deliveries created since `since` (after
/// `after`, when continuing) again, for up to `budget`, then leaves a message
/// that continues with the rest.
pub async fn recover_failed(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
    since: Timestamp,
    after: Option<DeliveryId>,
    budget: Duration,
) -> Result<Progress, DispatchError> {
    let started = Instant::now();
    let filter = DeliveryFilter {
        statuses: vec![DeliveryStatus::Failed],
        webhook_id: Some(webhook),
        ..DeliveryFilter::default()
    };
    let mut params = ListParams {
        sort: SortField::Id,
        order: Order::Asc,
        start: Some(since),
        limit: ListParams::MAX_LIMIT,
        cursor: after.map(|id| Cursor {
            sort: SortField::Id,
            order: Order::Asc,
            after: id.to_string(),
        }),
        ..ListParams::default()
    };
    let mut recovered = 0;
    loop {
        let now = app.clock.now();
        let page = app
            .store
            .list_deliveries(account, &filter, &params, now)
            .await?;
        let found: Vec<(DeliveryId, u32)> = page.items.iter().map(|d| (d.id, d.attempts)).collect();
        recovered += recover_page(app, account, found, now).await?;
        let Some(cursor) = page.next_cursor else {
            return Ok(Progress {
                recovered,
                complete: true,
            });
        };
        if started.elapsed() >= budget {
            let rest = RecoverMessage {
                account_id: account,
                recover_webhook_id: webhook,
                since,
                after: DeliveryId::parse(&cursor.after),
            };
            let entry = Enqueue {
                message: QueueMessage::Recover(rest),
                delay_seconds: 0,
            };
            app.queue.send(&[entry]).await?;
            return Ok(Progress {
                recovered,
                complete: false,
            });
        }
        params.cursor = Some(cursor);
    }
}
