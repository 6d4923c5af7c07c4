//! A webhook made or changed: stored (a change under its version guard,
//! re-read and tried again on a lost race with a concurrent PATCH, rotate,
//! DELETE or auto-disable), and this process's cached subscribers of its
//! account forgotten so the next event fans out to it as it now is.

use crate::app::App;
use crate::domain::audit::{changes_between, Act, Action, Actor};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use crate::ports::store::StoreError;

/// What became of the webhook.
pub enum Changed {
    /// Stored as changed.
    Changed(Webhook),
    /// `change` declined: it is as read.
    Declined(Webhook),
    Missing,
}

/// Stores a new webhook, with its audit record.
pub async fn create_webhook(app: &App, webhook: &Webhook, by: &Actor) -> Result<(), StoreError> {
    let act = Action::WebhookCreated.by(by);
    let changes = changes_between(None, Some(webhook));
    let audit = app.audit(webhook.account_id(), act, webhook.id(), changes);
    app.store.insert_webhook(webhook, &audit).await?;
    app.warm.subscribers.forget(webhook.account_id());
    Ok(())
}

/// Applies `change` (which may decline by answering false) to the webhook as
/// stored, recorded as `act`; Conflict after three lost races.
pub async fn change_webhook(
    app: &App,
    account: AccountId,
    id: WebhookId,
    act: Act<'_>,
    change: impl Fn(&mut Webhook, Timestamp) -> bool,
) -> Result<Changed, StoreError> {
    const ATTEMPTS: usize = 3;
    for _ in 0..ATTEMPTS {
        let Some(mut webhook) = app.store.get_webhook(account, id).await? else {
            return Ok(Changed::Missing);
        };
        let now = app.clock.now();
        let read = webhook.clone();
        let mut accepted = false;
        let expected = webhook.change(now, |webhook| accepted = change(webhook, now));
        if !accepted {
            return Ok(Changed::Declined(read));
        }
        let audit = app.audit(
            account,
            act,
            id,
            changes_between(Some(&read), Some(&webhook)),
        );
        match app.store.update_webhook(&webhook, expected, &audit).await {
            Ok(()) => {
                app.warm.subscribers.forget(account);
                if webhook.enabled() && !read.enabled() {
                    // Switched on again: a fresh start for the failure rule.
                    app.store.reset_health(account, id).await?;
                }
                return Ok(Changed::Changed(webhook));
            }
            Err(StoreError::Conflict) => continue,
            Err(err) => return Err(err),
        }
    }
    Err(StoreError::Conflict)
}
