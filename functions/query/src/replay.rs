//! `POST /v1/webhooks/{id}/replay` ([`replay`]): a webhook's delivered or
//! failed deliveries created in a window, by status and event, sent again
//! as new attempts on the same deliveries (`operations::replay`), or only
//! counted (`dry_run`).

use crate::deliveries::{parse_event, time, webhook_of};
use axum::extract::Path;
use hookrelay::domain::audit::Actor;
use hookrelay::domain::delivery::DeliveryStatus;
use hookrelay::domain::ids::WebhookId;
use hookrelay::domain::replay::Selection;
use hookrelay::domain::time::Timestamp;
use hookrelay::http::answers::{NoSuchWebhook, WebhookPath};
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::operations::replay::{count, replay_webhook, BUDGET};
use serde::Serialize;
use utoipa::ToSchema;

/// The fields `POST /v1/webhooks/{id}/replay` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct ReplayRequest {
    /// Replay deliveries created at or after this time (ISO-8601 UTC).
    #[schema(format = DateTime)]
    since: String,
    /// …and before this time (exclusive; ISO-8601 UTC); default now. Before
    /// `since` is a 422 naming it.
    #[schema(format = DateTime)]
    until: Option<String>,
    /// Comma-separated: `delivered`, `failed` (default both). Pending
    /// deliveries are on their way already (422 naming `status`).
    status: Option<String>,
    /// `name` or `name.type`, as the delivery list's `event` filter.
    event: Option<String>,
    /// Only count what would be sent; nothing changes (default false).
    dry_run: Option<bool>,
}
pub const REPLAY_FIELDS: &[&str] = &["since", "until", "status", "event", "dry_run"];

#[derive(Serialize, ToSchema)]
pub struct Replayed {
    /// How many deliveries were sent again (so far); with `dry_run`, how
    /// many would be.
    pub replayed: usize,
    /// Whether more are being sent in the background (past a 5 s budget).
    /// With `dry_run`, nothing runs in the background: counting stopped at
    /// the 5 s budget, and at least `replayed` match.
    pub in_background: bool,
    /// Whether this only counted.
    pub dry_run: bool,
}

/// The final statuses a replay takes; a pending one is refused.
fn final_statuses(text: &str) -> Result<Vec<DeliveryStatus>, String> {
    text.split(',')
        .map(|s| match DeliveryStatus::parse(s.trim())? {
            status if status.is_final() => Ok(status),
            pending => Err(format!(
                "`{}` cannot be replayed: only delivered and failed deliveries are (a pending one is on its way)",
                pending.as_str()
            )),
        })
        .collect()
}

/// What the body asks for, as of `now`: the selection, and whether only to count.
fn parse_request(
    body: JsonObject,
    webhook: WebhookId,
    now: Timestamp,
) -> Result<(Selection, bool), ApiError> {
    let mut fields = Fields::new(body, REPLAY_FIELDS);
    let since = fields.required("since", time);
    let until = fields.optional("until", time);
    let statuses = fields.optional("status", |v| final_statuses(read::string(v)?));
    let event = fields.optional("event", |v| parse_event(read::string(v)?));
    let dry_run = fields.optional("dry_run", read::boolean).unwrap_or(false);
    if let (Some(since), Some(until)) = (since, until) {
        if until < since {
            fields.error("until", "must not be before `since`");
        }
    }
    let since = fields.done(since)?;
    let (event_name, event_type) = event.map_or((None, None), |(n, t)| (Some(n), t));
    let selection = Selection {
        // By default, now (a `since` after it is an empty window).
        until: Some(until.unwrap_or(now)),
        statuses: statuses
            .unwrap_or_else(|| vec![DeliveryStatus::Delivered, DeliveryStatus::Failed]),
        event_name,
        event_type,
        began_at: now,
        ..Selection::failed_since(webhook, since)
    };
    Ok((selection, dry_run))
}

/// Replay a webhook's deliveries
///
/// Sends again, each once and as a new attempt on the same delivery, the webhook's deliveries
/// created in [`since`, `until`) that ended `delivered` and/or `failed` (`status`), optionally
/// only those of `event`. `dry_run` only counts them.
///
/// Needs a `full`-scope key. 404 for an unknown webhook, 409 while the webhook is off, 422
/// names the invalid field.
#[utoipa::path(
    post, path = "/v1/webhooks/{id}/replay", operation_id = "replayWebhook", tag = "deliveries", params(WebhookPath),
    request_body(content = ReplayRequest, example = json!({
        "since": "2026-11-22T12:00:00.000Z", "until": "2026-11-22T13:00:00.000Z",
        "status": "failed", "event": "order", "dry_run": true,
    })),
    responses(
        (status = 200, description = "How many deliveries were sent again (or, with `dry_run`, would be), each once, as a new attempt on the same delivery (same webhook-id); past a 5 s budget the rest continue in the background (`in_background`)", body = Replayed),
        (status = 409, description = "The webhook is off: its deliveries would fail at once (a dry run still counts). Switch it on first, or with `PATCH /v1/webhooks/{id}` `{\"enabled\": true, \"replay_failed\": true}`", body = ErrorBody),
        (status = 422, description = "A field is invalid (`since` missing or not ISO-8601, `until` before `since`, a pending `status`); `errors` names it", body = ErrorBody),
        NoSuchWebhook,
    )
)]
pub async fn replay(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    by: Actor,
    body: JsonObject,
) -> Answer<Replayed> {
    let webhook = webhook_of(&app, account, &id).await?;
    let (selection, dry_run) = parse_request(body, webhook.id(), app.clock.now())?;
    let progress = if dry_run {
        count(&app, account, selection, BUDGET).await?
    } else if webhook.enabled() {
        replay_webhook(&app, account, selection, BUDGET, &by).await?
    } else {
        return Err(ApiError::Refused(
            "the webhook is off, so its deliveries would fail at once: switch it on first, \
             or switch it on and replay what failed while it was off in one call \
             (PATCH /v1/webhooks/{id} with {\"enabled\": true, \"replay_failed\": true})",
        ));
    };
    Ok(Reply::ok(Replayed {
        replayed: progress.replayed,
        in_background: !progress.complete,
        dry_run,
    }))
}
