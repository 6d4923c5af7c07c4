//! `GET /v1/webhooks/{id}/poll`: a poll webhook's deliveries, fetched
//! (`operations::poll`). A cursor brought back acknowledges the page it
//! came with; the answer is the oldest deliveries still waiting, and the
//! cursor that acknowledges them.

use crate::deliveries::{webhook_of, EventRef};
use axum::extract::Path;
use hookrelay::domain::ids::DeliveryId;
use hookrelay::domain::poll::{PollCursor, MAX_PAGE};
use hookrelay::domain::webhook::DeliveryMode;
use hookrelay::http::answers::{InvalidParameter, NoSuchWebhook, WebhookPath};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::page_size::fit;
use hookrelay::http::query::Query;
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::operations::poll::{acknowledge, fetch, Fetched};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// One delivery as a poll hands it out: what a push would have POSTed.
#[derive(Serialize, ToSchema)]
pub struct PolledDelivery {
    /// The delivery id: `webhook-id`, the same whenever it is handed out
    /// again (deduplicate on it).
    pub id: String,
    pub event_id: String,
    pub event: EventRef,
    pub created_at: String,
    /// Exactly the body a push would POST (JSON text, shaped by the
    /// webhook's `transform`): verify the signature over this string as it
    /// is, then parse it.
    pub body: String,
    /// The headers a push would send, signed at this poll: `content-type`,
    /// `user-agent`, `webhook-id`, `webhook-timestamp`, `webhook-signature`
    /// (one per live secret), `x-api-key` and the custom headers when the
    /// webhook has them. Any Standard Webhooks library verifies them (most
    /// refuse a `webhook-timestamp` more than 5 minutes old: verify on receipt).
    pub headers: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct PollPage {
    /// The oldest deliveries waiting, oldest first (by when each became
    /// fetchable, then id).
    pub deliveries: Vec<PolledDelivery>,
    /// Pass as `cursor` on the next poll once these are processed: that
    /// poll marks them `delivered` first. Null when none was handed out.
    pub next_cursor: Option<String>,
    /// Whether more are waiting past these (poll again at once).
    pub has_more: bool,
}

/// The query `GET /v1/webhooks/{id}/poll` takes.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes query parameters for OpenAPI
pub struct PollQuery {
    /// The `next_cursor` of the previous poll: what it handed out is
    /// acknowledged (`delivered`) before this page is read.
    cursor: Option<String>,
    /// 1–100, default 100
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

fn view(fetched: Fetched) -> (PolledDelivery, ()) {
    let delivery = &fetched.delivery;
    let view = PolledDelivery {
        id: delivery.id().to_string(),
        event_id: delivery.event_id().to_string(),
        event: EventRef::of(delivery.event()),
        created_at: delivery.created_at().to_string(),
        body: fetched.body,
        headers: fetched.headers.into_iter().collect(),
    };
    (view, ())
}

/// Poll a polling webhook's deliveries
///
/// For a webhook with `"delivery": "poll"`: the oldest deliveries waiting, oldest first,
/// each with the body and the signed headers a push would have sent (verify them with
/// any Standard Webhooks library), and `next_cursor`. Bringing that cursor back on the
/// next poll acknowledges the page it came with (its deliveries become `delivered`) before
/// the next page is read; a page not acknowledged is handed out again. `has_more` says
/// to poll again at once.
///
/// Needs a `full` key (it acknowledges): a read key or a read-only console link gets 403.
/// 409 for a webhook that pushes; 404 for an unknown webhook; 422 for a bad cursor or limit.
#[utoipa::path(
    get, path = "/v1/webhooks/{id}/poll", operation_id = "pollWebhook", tag = "deliveries",
    params(WebhookPath, PollQuery),
    responses(
        (status = 200, description = "The oldest deliveries waiting, after acknowledging what `cursor` handed out; a page ends early, with `has_more`, at the answer budget", body = PollPage),
        (status = 409, description = "The webhook pushes its deliveries (`delivery` is `push`): there is nothing to poll", body = ErrorBody),
        NoSuchWebhook, InvalidParameter,
    )
)]
pub async fn poll(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    mut query: Query,
) -> Answer<PollPage> {
    let webhook = webhook_of(&app, account, &id).await?;
    let max = u32::try_from(MAX_PAGE).unwrap_or(u32::MAX);
    let (limit, cursor) = query.key_page(max, |text| PollCursor::parse(text).is_ok());
    query.finish()?;
    if webhook.delivery() != DeliveryMode::Poll {
        return Err(ApiError::Refused(
            "this webhook pushes its deliveries to its URL; only a webhook with \"delivery\": \"poll\" is polled",
        ));
    }
    if let Some(cursor) = cursor
        .as_deref()
        .map(PollCursor::parse)
        .and_then(Result::ok)
    {
        acknowledge(&app, &webhook, &cursor).await?;
    }
    let limit = usize::try_from(limit).unwrap_or(MAX_PAGE);
    let found = fetch(&app, &webhook, limit).await?;
    let mut ids: Vec<DeliveryId> = found.fetched.iter().map(|f| f.delivery.id()).collect();
    let (deliveries, cut) = fit(found.fetched.into_iter().map(view));
    // The cursor names what this answer shows, no more.
    ids.truncate(deliveries.len());
    let handed = PollCursor {
        handed_out_at: found.read_at,
        deliveries: ids,
    };
    Ok(Reply::ok(PollPage {
        next_cursor: (!deliveries.is_empty()).then(|| handed.encode()),
        has_more: found.more || cut.is_some(),
        deliveries,
    }))
}
