//! Webhook configuration routes:
//!
//! | route | handler |
//! |---|---|
//! | POST /v1/webhooks | [`create`] |
//! | GET /v1/webhooks | [`list`] |
//! | GET /v1/webhooks/{id} | [`get`] |
//! | PATCH /v1/webhooks/{id} | [`update`] |
//! | DELETE /v1/webhooks/{id} | [`delete`] |
//! | POST /v1/webhooks/{id}/secret/rotate | [`rotate_secret`] |
//! | POST /v1/webhooks/{id}/test | [`send_test`] |

mod requests;
mod views;

pub use requests::{
    RotateRequest, WebhookRequest, CHANGE_ONLY_FIELDS, ROTATE_FIELDS, WEBHOOK_FIELDS,
};
pub use views::{
    Deleted, ReplayStarted, RotatedSecret, TestSent, WebhookBody, WebhookChanged, WebhookList,
    WebhookView,
};

use axum::extract::Path;
use hookrelay::app::App;
use hookrelay::config::longest_life_seconds;
use hookrelay::domain::audit::{Act, Action, Actor};
use hookrelay::domain::ids::{AccountId, WebhookId};
use hookrelay::domain::listing::{sort_key, ListParams};
use hookrelay::domain::replay::Selection;
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::{Disabled, Secret, Webhook};
use hookrelay::http::answers::{
    InvalidFields, InvalidFieldsNamed, InvalidParameter, NoSuchWebhook, UnknownKey, WebhookPath,
};
use hookrelay::http::body::{read, JsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::page_size::{fit, page_description};
use hookrelay::http::query::{Query, LIST_PARAMS};
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::operations::purge::delete_webhook;
use hookrelay::operations::replay::{replay_webhook, BUDGET};
use hookrelay::operations::test_send::{send_test as send_test_now, TestSendError};
use hookrelay::pipeline::change_webhook::{change_webhook, create_webhook, Changed};
use hookrelay::ports::store::{StoreError, WebhookFilter};
use requests::{parse_rotation, webhook_id, Submitted};
use std::sync::{Mutex, PoisonError};

/// How long DELETE spends removing deliveries before the background takes over.
const PURGE_BUDGET: std::time::Duration = std::time::Duration::from_secs(3);

async fn find(app: &App, account: AccountId, id: &str) -> Result<Webhook, ApiError> {
    app.store
        .get_webhook(account, webhook_id(id)?)
        .await?
        .ok_or(ApiError::NotFound("webhook"))
}

/// Applies `change` under the version guard (`change_webhook`), recorded as `act`.
async fn modify(
    app: &App,
    account: AccountId,
    id: &str,
    act: Act<'_>,
    change: impl Fn(&mut Webhook, Timestamp),
) -> Result<Webhook, ApiError> {
    let changed = change_webhook(app, account, webhook_id(id)?, act, |webhook, now| {
        change(webhook, now);
        true
    });
    match changed.await {
        Ok(Changed::Changed(webhook) | Changed::Declined(webhook)) => Ok(webhook),
        Ok(Changed::Missing) => Err(ApiError::NotFound("webhook")),
        Err(StoreError::Conflict) => Err(ApiError::Conflict("webhook")),
        Err(err) => Err(err.into()),
    }
}

/// Create a webhook
///
/// Registers an endpoint that receives every event matching one of its `events` patterns (and
/// its `filter`, when it has one), signed with its secret. The answer shows the secret whole,
/// this once; later answers mask it. The URL must be https unless the deployment allows http,
/// and its host may not be, or resolve to, a loopback, private, link-local, CGNAT, multicast or
/// unspecified address unless the deployment allows that subnet.
///
/// Needs a `full`-scope key. 422 names each invalid field.
#[utoipa::path(
    post, path = "/v1/webhooks", operation_id = "createWebhook", tag = "webhooks",
    request_body(content = WebhookRequest, example = json!({
        "name": "Orders", "url": "https://example.com/webhooks/orders",
        "events": ["order.*", "user.created"],
        "description": "Order updates for the billing service",
        "headers": {"x-team": "billing"},
    })),
    responses(
        (status = 201, description = "Created; the secret is shown whole", body = WebhookBody),
        UnknownKey, InvalidFieldsNamed,
    )
)]
pub async fn create(
    Scope(app, account): Scope,
    by: Actor,
    body: JsonObject,
) -> Answer<WebhookBody> {
    let mut submitted = Submitted::parse(&app, body, WEBHOOK_FIELDS).await;
    submitted.check_delivery(None);
    submitted.try_transform(&app, account, None).await?;
    let (name, endpoint, events, changes) = submitted.for_create()?;
    let now = app.clock.now();
    let secret = changes
        .secret
        .clone()
        .unwrap_or_else(|| Secret::generate(&*app.random));
    let mut webhook = Webhook::with_endpoint(
        WebhookId::generate(now, &*app.random),
        account,
        name,
        endpoint,
        events,
        secret,
        now,
    );
    changes.apply(&mut webhook, now);
    create_webhook(&app, &webhook, &by).await?;
    Ok(Reply::created(WebhookBody {
        webhook: WebhookView::with_secret(&webhook),
    }))
}

/// List webhooks
///
/// The account's webhooks, newest first unless `sort`/`order` say otherwise, one page at a
/// time: pass `next_cursor` back as `cursor` for the next page (it is null on the last).
/// Filters: `enabled`, and a `start` (inclusive) / `end` (exclusive) window on `created_at`.
///
/// Any scope may call it. 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/webhooks", operation_id = "listWebhooks", tag = "webhooks",
    params(
        ("enabled" = Option<bool>, Query, description = "Only enabled (true) or disabled (false) webhooks"),
        hookrelay::http::query::ListQuery,
    ),
    responses(
        (status = 200, description = page_description("webhooks"), body = WebhookList),
        UnknownKey, InvalidParameter,
    )
)]
pub async fn list(Scope(app, account): Scope, mut query: Query) -> Answer<WebhookList> {
    query.allow(&[&LIST_PARAMS[..], &["enabled"]].concat());
    let filter = WebhookFilter {
        enabled: query.get("enabled", |v| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err("must be true or false".to_owned()),
        }),
    };
    let params: ListParams = query.list_params();
    query.finish()?;
    let page = app.store.list_webhooks(account, &filter, &params).await?;
    let keyed = page.items.iter().map(|w| {
        let key = sort_key(params.sort, &w.id().to_string(), w.updated_at());
        (WebhookView::masked(w), key)
    });
    let (webhooks, ended_after) = fit(keyed);
    let next_cursor = ended_after
        .map(|key| params.cursor_after(key))
        .or(page.next_cursor);
    Ok(Reply::ok(WebhookList {
        webhooks,
        offset: params.offset,
        limit: params.limit,
        next_cursor: next_cursor.map(|c| c.encode()),
    }))
}

/// Get a webhook
///
/// One webhook, its secret, endpoint `api_key` and URL password masked. A webhook that is off
/// shows why (`disabled_reason`: `manual`, or `failing` when hookrelay switched it off) and
/// since when (`disabled_at`).
///
/// Any scope may call it. 404 for an id that names no webhook of this account.
#[utoipa::path(
    get, path = "/v1/webhooks/{id}", operation_id = "getWebhook", tag = "webhooks", params(WebhookPath),
    responses((status = 200, description = "The webhook", body = WebhookBody), NoSuchWebhook)
)]
pub async fn get(Scope(app, account): Scope, Path(id): Path<String>) -> Answer<WebhookBody> {
    let webhook = find(&app, account, &id).await?;
    Ok(Reply::ok(WebhookBody::masked(&webhook)))
}

/// Update a webhook
///
/// Changes any of the create fields; a field left out keeps its value, and null clears the ones
/// that can be cleared. `{"enabled": false}` switches the webhook off; `{"enabled": true,
/// "replay_failed": true}` switches it on and sends again what failed while it was off.
///
/// Needs a `full`-scope key. 404 for an unknown webhook, 409 when it was changed concurrently
/// too often (send it again), 422 names each invalid field.
#[utoipa::path(
    patch, path = "/v1/webhooks/{id}", operation_id = "updateWebhook", tag = "webhooks", params(WebhookPath),
    request_body(content = WebhookRequest, description = "Any subset of the fields; null clears api_key, description, headers, rate_limit, retry_schedule, filter, and sets transform back to \"default\" (null elsewhere leaves a field as it is). `replay_failed` with `\"enabled\": true` switches a webhook that is off on and replays what failed while it was off",
        example = json!({"enabled": false, "description": "Paused while billing migrates"})),
    responses(
        (status = 200, description = "The changed webhook; with `replay_failed`, how many failed deliveries were sent again (`replay`)", body = WebhookChanged),
        (status = 409, description = "Changed concurrently too often; retry", body = ErrorBody),
        NoSuchWebhook, InvalidFields,
    )
)]
pub async fn update(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    by: Actor,
    body: JsonObject,
) -> Answer<WebhookChanged> {
    webhook_id(&id)?;
    let known = [WEBHOOK_FIELDS, CHANGE_ONLY_FIELDS].concat();
    let mut submitted = Submitted::parse(&app, body, &known).await;
    // Its `delivery` never changes, so the copy read here holds for the change.
    let stored = match submitted.needs_stored() {
        true => Some(find(&app, account, &id).await?),
        false => None,
    };
    if let Some(stored) = &stored {
        submitted.check_delivery(Some(stored.delivery()));
    }
    submitted
        .try_transform(&app, account, stored.as_ref().map(Webhook::events))
        .await?;
    let Submitted {
        mut fields,
        changes,
        ..
    } = submitted;
    let replay = fields.optional("replay_failed", read::boolean) == Some(true);
    if replay && changes.enabled != Some(true) {
        let why = "needs \"enabled\": true in the same request (it switches the webhook on and replays what failed while it was off)";
        fields.error("replay_failed", why);
    }
    fields.finish()?;
    // When the webhook as read for the change was switched off, if it was.
    let was_off = Mutex::new(None);
    let webhook = if changes.is_empty() {
        find(&app, account, &id).await?
    } else {
        let act = Action::WebhookUpdated.by(&by);
        modify(&app, account, &id, act, |webhook, now| {
            *was_off.lock().unwrap_or_else(PoisonError::into_inner) = webhook.disabled();
            changes.apply(webhook, now)
        })
        .await?
    };
    let replay = if replay {
        let was_off = *was_off.lock().unwrap_or_else(PoisonError::into_inner);
        Some(replay_failed_while_off(&app, &webhook, was_off, &by).await?)
    } else {
        None
    };
    Ok(Reply::ok(WebhookChanged {
        webhook: WebhookView::masked(&webhook),
        replay,
    }))
}

/// Sends again what failed while `webhook` was off (`was_off`: since when,
/// as read before it was switched on); nothing if it was on.
async fn replay_failed_while_off(
    app: &App,
    webhook: &Webhook,
    was_off: Option<Disabled>,
    by: &Actor,
) -> Result<ReplayStarted, ApiError> {
    let Some(off) = was_off else {
        return Ok(ReplayStarted {
            replayed: 0,
            in_background: false,
        });
    };
    let life = longest_life_seconds(&app.settings.retry_schedule);
    let now = app.clock.now();
    let selection = Selection::failed_while_off(webhook.id(), off.disabled_at, life, now);
    let progress = replay_webhook(app, webhook.account_id(), selection, BUDGET, by).await?;
    Ok(ReplayStarted {
        replayed: progress.replayed,
        in_background: !progress.complete,
    })
}

/// Delete a webhook
///
/// Deletes the webhook and its delivery log; what 3 s do not cover is removed in the
/// background, through the delivery queue.
///
/// Needs a `full`-scope key. 404 for an unknown webhook.
#[utoipa::path(
    delete, path = "/v1/webhooks/{id}", operation_id = "deleteWebhook", tag = "webhooks", params(WebhookPath),
    responses((status = 200, description = "Deleted", body = Deleted), NoSuchWebhook)
)]
pub async fn delete(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    by: Actor,
) -> Answer<Deleted> {
    let id = webhook_id(&id)?;
    if !delete_webhook(&app, account, id, PURGE_BUDGET, &by).await? {
        return Err(ApiError::NotFound("webhook"));
    }
    Ok(Reply::ok(Deleted::of(id)))
}

/// Rotate a webhook's signing secret
///
/// Sets a new secret (the one given, or a generated one) and keeps the old one signing
/// alongside it for `grace_seconds` (default 86400), so a receiver can switch without refusing
/// a delivery; at most 3 old secrets are kept. The answer shows the new secret, this once.
///
/// Needs a `full`-scope key. 404 for an unknown webhook, 422 names each invalid field.
#[utoipa::path(
    post, path = "/v1/webhooks/{id}/secret/rotate", operation_id = "rotateWebhookSecret", tag = "webhooks", params(WebhookPath),
    request_body(content = RotateRequest, description = "Optional", example = json!({"grace_seconds": 3600})),
    responses(
        (status = 200, description = "The new secret; the old one signs alongside it for grace_seconds", body = RotatedSecret),
        NoSuchWebhook, InvalidFields,
    )
)]
pub async fn rotate_secret(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    by: Actor,
    body: JsonObject,
) -> Answer<RotatedSecret> {
    webhook_id(&id)?;
    let (next, grace) = parse_rotation(&app, body)?;
    let act = Action::WebhookSecretRotated.by(&by);
    let webhook = modify(&app, account, &id, act, |webhook, now| {
        webhook.rotate_secret(next.clone(), now, grace)
    })
    .await?;
    let previous_secret_expires_at = webhook
        .secrets()
        .retired
        .last()
        .map(|r| r.expires_at.to_string());
    Ok(Reply::ok(RotatedSecret {
        secret: webhook.secrets().current.to_string(),
        webhook: WebhookView::with_secret(&webhook),
        previous_secret_expires_at: previous_secret_expires_at.filter(|_| grace > 0),
    }))
}

/// Send a test event to a webhook
///
/// Sends a `webhook.test` event to the webhook now, even when it is off, and answers with the
/// outcome: `delivered`, the endpoint's `response_code`, `duration_ms`, `error` and the first 4
/// KiB of `response_body`. It is logged like any delivery.
///
/// Needs a `full`-scope key. 404 for an unknown webhook.
#[utoipa::path(
    post, path = "/v1/webhooks/{id}/test", operation_id = "sendTestEvent", tag = "webhooks", params(WebhookPath),
    responses(
        (status = 200, description = "Sent a `webhook.test` event now; the outcome", body = TestSent),
        NoSuchWebhook,
    )
)]
pub async fn send_test(Scope(app, account): Scope, Path(id): Path<String>) -> Answer<TestSent> {
    let webhook = find(&app, account, &id).await?;
    let (delivery_id, made) = send_test_now(&app, &webhook)
        .await
        .map_err(|err| match err {
            TestSendError::Changed => ApiError::Conflict("delivery"),
            TestSendError::Dispatch(err) => err.into(),
        })?;
    Ok(Reply::ok(TestSent::of(delivery_id, made)))
}
