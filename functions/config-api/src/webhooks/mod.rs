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

pub use requests::{RotateRequest, WebhookRequest, ROTATE_FIELDS, WEBHOOK_FIELDS};
pub use views::{Deleted, RotatedSecret, TestSent, WebhookBody, WebhookList, WebhookView};

use axum::extract::Path;
use hookrelay::app::App;
use hookrelay::domain::audit::{Act, Action, Actor};
use hookrelay::domain::ids::{AccountId, WebhookId};
use hookrelay::domain::listing::{sort_key, ListParams};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::{Secret, Webhook};
use hookrelay::http::answers::{
    InvalidFields, InvalidFieldsNamed, InvalidParameter, NoSuchWebhook, UnknownKey, WebhookPath,
};
use hookrelay::http::body::JsonObject;
use hookrelay::http::error::ErrorBody;
use hookrelay::http::page_size::{fit, page_description};
use hookrelay::http::query::{Query, LIST_PARAMS};
use hookrelay::http::scope::Scope;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::operations::purge::delete_webhook;
use hookrelay::operations::test_send::{send_test as send_test_now, TestSendError};
use hookrelay::pipeline::change_webhook::{change_webhook, create_webhook, Changed};
use hookrelay::ports::store::{StoreError, WebhookFilter};
use requests::{parse_rotation, webhook_id, Submitted};

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
    let (name, url, events, changes) = Submitted::parse(&app, body).await.for_create()?;
    let now = app.clock.now();
    let secret = changes
        .secret
        .clone()
        .unwrap_or_else(|| Secret::generate(&*app.random));
    let mut webhook = Webhook::new(
        WebhookId::generate(now, &*app.random),
        account,
        name,
        url,
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
    request_body(content = WebhookRequest, description = "Any subset of the fields; null clears api_key, description, headers, rate_limit, retry_schedule, filter (null elsewhere leaves a field as it is)"),
    responses(
        (status = 200, description = "The changed webhook", body = WebhookBody),
        (status = 409, description = "Changed concurrently too often; retry", body = ErrorBody),
        NoSuchWebhook, InvalidFields,
    )
)]
pub async fn update(
    Scope(app, account): Scope,
    Path(id): Path<String>,
    by: Actor,
    body: JsonObject,
) -> Answer<WebhookBody> {
    webhook_id(&id)?;
    let Submitted {
        fields, changes, ..
    } = Submitted::parse(&app, body).await;
    fields.finish()?;
    let webhook = if changes.is_empty() {
        find(&app, account, &id).await?
    } else {
        let act = Action::WebhookUpdated.by(&by);
        modify(&app, account, &id, act, |webhook, now| {
            changes.apply(webhook, now)
        })
        .await?
    };
    Ok(Reply::ok(WebhookBody::masked(&webhook)))
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
    let error = made.error.map(|e| {
        serde_json::to_value(e)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    });
    Ok(Reply::ok(TestSent {
        delivered: made.error.is_none() && (200..300).contains(&made.code),
        response_code: made.code,
        duration_ms: made.duration_ms,
        error,
        response_body: made.response_body,
        delivery_id: delivery_id.to_string(),
    }))
}
