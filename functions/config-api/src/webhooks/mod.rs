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

#[utoipa::path(
    post, path = "/v1/webhooks", tag = "webhooks",
    request_body = WebhookRequest,
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

#[utoipa::path(
    get, path = "/v1/webhooks", tag = "webhooks",
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

#[utoipa::path(
    get, path = "/v1/webhooks/{id}", tag = "webhooks", params(WebhookPath),
    responses((status = 200, description = "The webhook", body = WebhookBody), NoSuchWebhook)
)]
pub async fn get(Scope(app, account): Scope, Path(id): Path<String>) -> Answer<WebhookBody> {
    let webhook = find(&app, account, &id).await?;
    Ok(Reply::ok(WebhookBody::masked(&webhook)))
}

#[utoipa::path(
    patch, path = "/v1/webhooks/{id}", tag = "webhooks", params(WebhookPath),
    request_body(content = WebhookRequest, description = "Any subset of the fields; null clears api_key, description, headers, rate_limit, retry_schedule, filter, and sets transform back to \"default\" (null elsewhere leaves a field as it is). `replay_failed` with `\"enabled\": true` switches a webhook that is off on and replays what failed while it was off"),
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

#[utoipa::path(
    delete, path = "/v1/webhooks/{id}", tag = "webhooks", params(WebhookPath),
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

#[utoipa::path(
    post, path = "/v1/webhooks/{id}/secret/rotate", tag = "webhooks", params(WebhookPath),
    request_body(content = RotateRequest, description = "Optional"),
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

#[utoipa::path(
    post, path = "/v1/webhooks/{id}/test", tag = "webhooks", params(WebhookPath),
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
