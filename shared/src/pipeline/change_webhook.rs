//! A change to a stored webhook under its version guard, re-read and tried
//! again on a lost race (a concurrent PATCH, rotate, DELETE or auto-disable).

use crate::app::App;
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

/// Applies `change` (which may decline by answering false) to the webhook as
/// stored; Conflict after three lost races.
pub async fn change_webhook(
    app: &App,
    account: AccountId,
    id: WebhookId,
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
        match app.store.update_webhook(&webhook, expected).await {
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
