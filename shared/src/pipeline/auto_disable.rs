//! Auto-disable (DESIGN.md §8). After each failed delivery the webhook's run
//! of failures is held against the rule: half-way there the account hears
//! `webhook.failing`, and at the threshold the webhook is switched off and
//! the account hears `webhook.disabled`, each through its own subscribed
//! webhooks (the normal pipeline).

use crate::app::App;
use crate::domain::audit::{Action, Actor};
use crate::domain::delivery::Attempt;
use crate::domain::event::{Event, JsonText, OperationalEvent};
use crate::domain::health::Health;
use crate::domain::health::Verdict;
use crate::domain::ids::{AccountId, EventId, WebhookId};
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use crate::domain::webhook_url::WebhookUrl;
use crate::error::DispatchError;
use crate::pipeline::change_webhook::{change_webhook, Changed};
use crate::pipeline::fanout::{self, Recipients, Subscribers};
use serde_json::json;

/// Applies the rule to a webhook whose health is `health` just after
/// `added` of its deliveries failed, the last one after attempt `last`.
/// Best effort: a failure here is logged, and the next failed delivery
/// applies the rule again.
pub async fn after_failures(
    app: &App,
    account: AccountId,
    id: WebhookId,
    health: Health,
    added: u32,
    last: &Attempt,
    now: Timestamp,
) {
    // A warm sender's copy will do: `disable` re-checks the stored one.
    let read = match app.warm.sender.webhooks.get(&(account, id), now) {
        Some(cached) => Ok(Some(cached)),
        None => app.store.get_webhook(account, id).await,
    };
    let result = match read {
        Ok(Some(mut webhook)) => {
            webhook.lay_health(health);
            match webhook.verdict(&app.settings.health, now, added) {
                Verdict::Healthy => return,
                Verdict::Failing => {
                    notify(app, &webhook, OperationalEvent::Failing, last, now).await
                }
                Verdict::Disable => disable(app, &webhook, last).await,
            }
        }
        Ok(None) => return,
        Err(err) => Err(err.into()),
    };
    if let Err(err) = result {
        tracing::error!(webhook = %id, error = %err, "auto-disable did not complete");
    }
}

async fn disable(app: &App, webhook: &Webhook, last: &Attempt) -> Result<(), DispatchError> {
    let policy = app.settings.health;
    // Re-checked on the stored copy: only one sender switches it off, and
    // not if a success came in meanwhile.
    let by = Actor::auto_disable();
    let act = Action::WebhookDisabled.by(&by);
    let changed = change_webhook(app, webhook.account_id(), webhook.id(), act, |w, now| {
        let due = w.verdict(&policy, now, 0) == Verdict::Disable;
        if due {
            w.disable_failing(now);
        }
        due
    })
    .await?;
    let disabled = match changed {
        Changed::Changed(disabled) => disabled,
        // As stored (switched off already, or healed): this sender's copy
        // is stale, and would have it asked again at every failure.
        Changed::Declined(stored) => {
            app.warm.sender.keep_webhook(&stored, app.clock.now());
            return Ok(());
        }
        Changed::Missing => return Ok(()),
    };
    app.warm.sender.keep_webhook(&disabled, app.clock.now());
    tracing::warn!(webhook = %disabled.id(), failures = disabled.health().consecutive_failures, "webhook disabled: its deliveries keep failing");
    let at = disabled.updated_at();
    notify(app, &disabled, OperationalEvent::Disabled, last, at).await
}

/// Sends the operational event `kind` about `webhook`.
async fn notify(
    app: &App,
    webhook: &Webhook,
    kind: OperationalEvent,
    last: &Attempt,
    now: Timestamp,
) -> Result<(), DispatchError> {
    let event = Event::new(
        EventId::generate(now, &*app.random),
        webhook.account_id(),
        kind.event_kind(),
        JsonText::from_value(&payload(webhook, last)),
        JsonText::from_value(&json!({})),
        now,
        app.settings.retention_days,
    );
    let subscribers = Subscribers::default();
    fanout::start(
        app,
        &event,
        Recipients::Subscribers(&subscribers),
        now,
        false,
    )
    .await?;
    tracing::info!(webhook = %webhook.id(), event = %event.id, kind = kind.kind(), "operational event sent");
    Ok(())
}

/// What the operational events carry: the webhook's id, name and URL (its
/// password masked, as every view shows it), its run of failures and the
/// last error; never its secret, key or headers.
fn payload(webhook: &Webhook, last: &Attempt) -> serde_json::Value {
    json!({
        "id": webhook.id().to_string(),
        "name": webhook.name().to_string(),
        "url": webhook.url().map(WebhookUrl::masked),
        "enabled": webhook.enabled(),
        "disabled_reason": webhook.disabled().map(|d| d.disabled_reason.as_str()),
        "disabled_at": webhook.disabled().map(|d| d.disabled_at.to_string()),
        "consecutive_failures": webhook.health().consecutive_failures,
        "failing_since": webhook.health().failing_since.map(|t| t.to_string()),
        "last_success_at": webhook.health().last_success_at.map(|t| t.to_string()),
        "last_error": {
            "at": last.at.to_string(),
            "code": last.code,
            "error": last.error,
            "duration_ms": last.duration_ms,
        },
    })
}
