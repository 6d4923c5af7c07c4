//! Cascade delete: a deleted webhook's deliveries are removed in batches, as
//! much as a time budget allows, and the rest in the background through the
//! delivery queue (so deleting thousands never times out an API request).

use crate::app::App;
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{ListParams, Order, SortField};
use crate::domain::time::Timestamp;
use crate::errors::DispatchError;
use crate::ports::queue::{Enqueue, PurgeMessage, QueueMessage};
use crate::ports::store::DeliveryFilter;
use std::time::{Duration, Instant};

/// Removes the webhook's deliveries for up to `budget`, then leaves a message
/// that continues where this stopped.
pub async fn purge_deliveries(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
    budget: Duration,
) -> Result<(), DispatchError> {
    let started = Instant::now();
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
    loop {
        let found = app
            .store
            .list_deliveries(account, &filter, &page, everything)
            .await?;
        if found.items.is_empty() {
            return Ok(());
        }
        let ids: Vec<_> = found.items.iter().map(|d| d.id).collect();
        app.store.delete_deliveries(account, &ids).await?;
        if started.elapsed() >= budget {
            let rest = PurgeMessage {
                account_id: account,
                purge_webhook_id: webhook,
            };
            let entry = Enqueue {
                message: QueueMessage::Purge(rest),
                delay_seconds: 0,
            };
            app.queue.send(&[entry]).await?;
            tracing::info!(webhook = %webhook, "deleting the rest of the webhook's deliveries in the background");
            return Ok(());
        }
    }
}
