//! Recover: every failed delivery of a webhook created since a time is queued
//! again. Each page is queued first (so nothing is left without a message),
//! then marked `scheduled`; what a time budget does not cover continues as a
//! background task (`tasks`), a page a step.

use crate::app::App;
use crate::domain::audit::{changes_of, Action, Actor};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::task::TaskKind;
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::pipeline::tasks::{self, recover::recover_next};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// How far a recover got.
#[derive(Debug, PartialEq, Eq)]
pub struct Progress {
    /// Failed deliveries queued again.
    pub recovered: usize,
    /// `false` when the rest continues in the background.
    pub complete: bool,
}

/// Queues the webhook's failed deliveries created since `since` again, for
/// up to `budget`, then leaves the rest to a task; recorded as done `by`
/// before it starts (so no recover goes unrecorded).
pub async fn recover_failed(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
    since: Timestamp,
    budget: Duration,
    by: &Actor,
) -> Result<Progress, DispatchError> {
    let since_text = json!(since.to_string());
    let changes = changes_of([("since", Value::Null, since_text)]);
    let audit = app.audit(account, Action::WebhookRecovered.by(by), webhook, changes);
    app.store.record_audit(&audit).await?;
    let started = Instant::now();
    let (mut recovered, mut after) = (0, None);
    loop {
        let (more, next) = recover_next(app, account, webhook, since, after.as_deref()).await?;
        recovered += more;
        let Some(next) = next else {
            return Ok(Progress {
                recovered,
                complete: true,
            });
        };
        if started.elapsed() >= budget {
            let kind = TaskKind::Recover {
                webhook_id: webhook,
                since,
            };
            tasks::start(app, account, kind, Some(next), 0).await?;
            return Ok(Progress {
                recovered,
                complete: false,
            });
        }
        after = Some(next);
    }
}
