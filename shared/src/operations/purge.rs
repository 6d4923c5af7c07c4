//! Cascade delete: a deleted webhook's deliveries are removed in pages, as
//! many as the request's budget allows, then by a background task (`tasks`,
//! recorded before the webhook goes, so a DELETE that dies half-way still
//! finishes) that keeps going until none is left and the deletion has
//! settled: a fan-out that read the webhook just before it went may still
//! write its deliveries for a while (`SETTLE_SECONDS`), and the task's last
//! pass, made after that, removes them too.

use crate::app::App;
use crate::domain::audit::{changes_between, Action, Actor};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::task::{TaskKind, SETTLE_SECONDS};
use crate::error::DispatchError;
use crate::pipeline::tasks::{self, purge::purge_page};
use std::time::{Duration, Instant};

/// Deletes the webhook and its deliveries: first the task that finishes
/// the job whatever happens next (its first pass once the deletion has
/// settled), then the webhook, then as many pages of its log as `budget`
/// allows; recorded as done `by`. Whether there was such a webhook.
pub async fn delete_webhook(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
    budget: Duration,
    by: &Actor,
) -> Result<bool, DispatchError> {
    let Some(before) = app.store.get_webhook(account, webhook).await? else {
        return Ok(false);
    };
    let kind = TaskKind::Purge {
        webhook_id: webhook,
        deleted_at: app.clock.now(),
    };
    let settle = u32::try_from(SETTLE_SECONDS).unwrap_or(u32::MAX);
    tasks::start(app, account, kind, None, settle).await?;
    let act = Action::WebhookDeleted.by(by);
    let audit = app.audit(account, act, webhook, changes_between(Some(&before), None));
    if !app.store.delete_webhook(account, webhook, &audit).await? {
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
