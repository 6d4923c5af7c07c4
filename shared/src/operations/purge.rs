//! Cascade delete: a deleted webhook's deliveries are removed in pages, as
//! many as the request's budget allows, then by a background task (`tasks`,
//! recorded before the webhook goes, so a DELETE that dies half-way still
//! finishes) that keeps going until none is left and the deletion has
//! settled: a fan-out that read the webhook just before it went may still
//! write its deliveries for a while (`SETTLE_SECONDS`), and the task's last
//! pass, made after that, removes them too.

use crate::app::App;
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{ListParams, Order, SortField};
use crate::domain::task::{Task, TaskKind, SETTLE_SECONDS};
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::pipeline::tasks::{self, Step};
use crate::ports::store::DeliveryFilter;
use std::time::{Duration, Instant};

/// Removes one page of the webhook's deliveries; whether it found any.
async fn purge_page(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
) -> Result<bool, DispatchError> {
    let filter = DeliveryFilter {
        webhook_id: Some(webhook),
        ..DeliveryFilter::default()
    };
    let page = ListParams {
        sort: SortField::Id,
        order: Order::Asc,
        limit: ListParams::MAX_LIMIT,
        ..ListParams::default()
    };
    // Expired ones too: TTL would remove them, but later.
    let everything = Timestamp::from_millis(0).unwrap_or_else(|| app.clock.now());
    let found = app
        .store
        .list_deliveries(account, &filter, &page, everything)
        .await?;
    let ids: Vec<_> = found.items.iter().map(|d| d.id()).collect();
    app.store.delete_deliveries(account, &ids).await?;
    Ok(!ids.is_empty())
}

/// Deletes the webhook and its deliveries: first the task that finishes
/// the job whatever happens next (its first pass once the deletion has
/// settled), then the webhook, then as many pages of its log as `budget`
/// allows. Whether there was such a webhook.
pub async fn delete_webhook(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
    budget: Duration,
) -> Result<bool, DispatchError> {
    if app.store.get_webhook(account, webhook).await?.is_none() {
        return Ok(false);
    }
    let kind = TaskKind::Purge {
        webhook_id: webhook,
        deleted_at: app.clock.now(),
    };
    let settle = u32::try_from(SETTLE_SECONDS).unwrap_or(u32::MAX);
    tasks::start(app, account, kind, None, settle).await?;
    if !app.store.delete_webhook(account, webhook).await? {
        return Ok(false);
    }
    app.warm.subscribers.forget(account);
    let started = Instant::now();
    while started.elapsed() < budget {
        match purge_page(app, account, webhook).await {
            Ok(true) => {}
            Ok(false) => break,
            // The task (recorded above) finishes the job.
            Err(err) => {
                tracing::warn!(webhook = %webhook, error = %err, "purging a deleted webhook's log continues in the background");
                break;
            }
        }
    }
    Ok(true)
}

/// One step of a purge task: a page, or, with none left, the last pass once
/// the deletion has settled.
pub async fn purge_step(
    app: &App,
    task: &Task,
    webhook: WebhookId,
    deleted_at: Timestamp,
) -> Result<Step, DispatchError> {
    let now = app.clock.now();
    let settled = deleted_at.plus_seconds(SETTLE_SECONDS);
    if purge_page(app, task.account_id, webhook).await? {
        return Ok(Step::Next {
            cursor: None,
            at: now,
        });
    }
    Ok(if now >= settled {
        Step::Done
    } else {
        Step::Next {
            cursor: None,
            at: settled,
        }
    })
}
