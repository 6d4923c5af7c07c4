//! A purge task's steps: a deleted webhook's deliveries removed a page at a
//! time (`operations::purge` starts it, and removes what its request's
//! budget allows through the same `purge_page`).

use super::Step;
use crate::app::App;
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{ListParams, Order, SortField};
use crate::domain::task::{Task, SETTLE_SECONDS};
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::ports::store::DeliveryFilter;

/// Removes one page of the webhook's deliveries; whether it found any.
pub async fn purge_page(
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

/// One step of a purge task: a page, or, with none left, the last pass once
/// the deletion has settled.
pub async fn step(
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
