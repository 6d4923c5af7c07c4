//! Replay: a webhook's delivered or failed deliveries that a `Selection`
//! takes, sent again as new attempts on the same deliveries. Each delivery
//! of a page is marked `scheduled` if unchanged since the replay began (so
//! each is sent once; a recover, as it always did, takes whatever is failed
//! when it gets there), then the page's messages are queued (a delivery left
//! without one is pending: the sweeper queues it);
//! what a time budget does not cover continues as a background task
//! (`tasks`), a page a step. Recover is the replay of the failed ones since
//! a time; a dry run only counts.

use crate::app::App;
use crate::domain::audit::{changes_of, Action, Actor, AuditRecord, Changes};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::replay::Selection;
use crate::domain::task::TaskKind;
use crate::domain::time::Timestamp;
use crate::error::DispatchError;
use crate::pipeline::tasks::{self, replay::replay_next};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// How long a request works on a replay before the rest continues in the background.
pub const BUDGET: Duration = Duration::from_secs(5);

/// How far a replay (or a count) got.
#[derive(Debug, PartialEq, Eq)]
pub struct Progress {
    /// Deliveries queued again (counted, in a dry run).
    pub replayed: usize,
    /// `false` when the rest continues in the background (a dry run: more
    /// match than were counted).
    pub complete: bool,
}

/// Sends again what `selection` takes, asked for by `by`, recorded before
/// it starts (so no replay goes unrecorded).
pub async fn replay_webhook(
    app: &App,
    account: AccountId,
    selection: Selection,
    budget: Duration,
    by: &Actor,
) -> Result<Progress, DispatchError> {
    let act = Action::WebhookReplayed.by(by);
    let audit = app.audit(account, act, selection.webhook_id, changes(&selection));
    replay(app, account, selection, budget, &audit).await
}

/// Queues the webhook's failed deliveries created since `since` again,
/// recorded as a recover done `by`.
pub async fn recover_failed(
    app: &App,
    account: AccountId,
    webhook: WebhookId,
    since: Timestamp,
    budget: Duration,
    by: &Actor,
) -> Result<Progress, DispatchError> {
    let changes = changes_of([("since", Value::Null, json!(since.to_string()))]);
    let audit = app.audit(account, Action::WebhookRecovered.by(by), webhook, changes);
    let selection = Selection::failed_since(webhook, since);
    replay(app, account, selection, budget, &audit).await
}

/// What `replay_webhook` would send, counted for up to `budget`.
pub async fn count(
    app: &App,
    account: AccountId,
    selection: Selection,
    budget: Duration,
) -> Result<Progress, DispatchError> {
    pages(app, account, selection, budget, true).await
}

/// A replay's parameters as its audit record shows them.
fn changes(selection: &Selection) -> Changes {
    let statuses: Vec<&str> = selection.statuses.iter().map(|s| s.as_str()).collect();
    let event = selection
        .event_name
        .as_ref()
        .map(|name| match &selection.event_type {
            Some(kind) => format!("{name}.{kind}"),
            None => name.to_string(),
        });
    let time = |at: Option<Timestamp>| json!(at.map(|t| t.to_string()));
    let mut changes = changes_of([
        ("since", Value::Null, time(Some(selection.since))),
        ("until", Value::Null, time(selection.until)),
        ("status", Value::Null, json!(statuses.join(","))),
        ("event", Value::Null, json!(event)),
    ]);
    if let Some(after) = selection.ended_after {
        changes.extend(changes_of([(
            "failed_after",
            Value::Null,
            time(Some(after)),
        )]));
    }
    changes
}

async fn replay(
    app: &App,
    account: AccountId,
    selection: Selection,
    budget: Duration,
    audit: &AuditRecord,
) -> Result<Progress, DispatchError> {
    app.store.record_audit(audit).await?;
    pages(app, account, selection, budget, false).await
}

/// Works (or counts) page after page for up to `budget`; a replay leaves
/// the rest to a task.
async fn pages(
    app: &App,
    account: AccountId,
    selection: Selection,
    budget: Duration,
    dry_run: bool,
) -> Result<Progress, DispatchError> {
    let started = Instant::now();
    let (mut replayed, mut after) = (0, None);
    loop {
        let (more, next) = replay_next(app, account, &selection, after.as_deref(), dry_run).await?;
        replayed += more;
        let Some(next) = next else {
            return Ok(Progress {
                replayed,
                complete: true,
            });
        };
        if started.elapsed() >= budget {
            if !dry_run {
                let kind = TaskKind::Replay(selection);
                tasks::start(app, account, kind, Some(next), 0).await?;
            }
            return Ok(Progress {
                replayed,
                complete: false,
            });
        }
        after = Some(next);
    }
}
