//! API keys as a resource: each with a name, a scope, a visible prefix, an
//! optional expiry and when it was last used; the key itself is shown once.
//!
//! | route | handler |
//! |---|---|
//! | POST /v1/api-keys | [`create`] |
//! | GET /v1/api-keys | [`list`] |
//! | DELETE /v1/api-keys/{id} | [`revoke`] |
//!
//! Every route needs a full-scope API key, never a console link
//! (`http::auth::permit` says so for every route, in one place).

use axum::extract::{Path, State};
use hookrelay::app::App;
use hookrelay::domain::api_key::{ApiKeyRecord, NewKey, Scope};
use hookrelay::domain::audit::{changes_between, Action, Actor};
use hookrelay::domain::ids::ApiKeyId;
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::Name;
use hookrelay::http::answers::{InvalidFieldsNamed, InvalidParameter, UnknownKey};
use hookrelay::http::auth::Caller;
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::page_size::{fit_key_page, page_description};
use hookrelay::http::query::Query;
use hookrelay::http::scope::Scope as Own;
use hookrelay::http::{Answer, ApiError, Reply};
use hookrelay::ports::store::{Revocation, StoreError};
use hookrelay::warm::KEY_CACHE_SECONDS;
use serde::Serialize;
use utoipa::ToSchema;

/// What a key may call: `full` every route, `ingest` only `POST /v1/events`,
/// `read` only GETs and `POST /v1/filters/test`. A route the scope does not cover answers 403 naming
/// the scope it needs.
#[derive(ToSchema)]
#[schema(as = ApiKeyScope, rename_all = "lowercase")]
#[allow(dead_code)] // describes the field for OpenAPI
pub enum ScopeSchema {
    Full,
    Ingest,
    Read,
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    #[schema(value_type = ScopeSchema)]
    pub scope: &'static str,
    /// The key's first characters (`hr_live_ab12`), to recognise it; null for
    /// the key an account was created with before keys had one.
    pub prefix: Option<String>,
    pub created_at: String,
    /// When a request last used it (noted at most once a minute); null if never.
    pub last_used_at: Option<String>,
    /// When it stops working (401 from then on); null: never.
    pub expires_at: Option<String>,
    /// The key, as `Authorization: Bearer`: only in the answer that creates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl From<&ApiKeyRecord> for ApiKeyView {
    fn from(key: &ApiKeyRecord) -> Self {
        let text = |at: Option<Timestamp>| at.map(|at| at.to_string());
        Self {
            id: key.id().to_string(),
            name: key.name().to_string(),
            scope: key.scope().as_str(),
            prefix: key.prefix().map(|p| p.as_str().to_owned()),
            created_at: key.created_at().to_string(),
            last_used_at: text(key.last_used_at()),
            expires_at: text(key.expires_at()),
            key: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyBody {
    pub api_key: ApiKeyView,
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyList {
    pub api_keys: Vec<ApiKeyView>,
    pub limit: u32,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyRevoked {
    pub id: String,
    pub deleted: bool,
    /// Requests with the key are refused within this many seconds everywhere
    /// (a warm function trusts a key it checked for this long).
    pub refused_within_seconds: i64,
    /// The same, in words.
    pub note: String,
}

/// The fields `POST /v1/api-keys` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct ApiKeyRequest {
    /// 1–100 characters, not blank, no control characters (as a webhook's name).
    #[schema(max_length = 100)]
    name: String,
    #[schema(inline)]
    scope: ScopeSchema,
    /// When it stops working (ISO-8601, later than now); default never.
    #[schema(format = DateTime)]
    expires_at: Option<String>,
}
pub const CREATE_FIELDS: &[&str] = &["name", "scope", "expires_at"];

hookrelay::error_answers! {
    NotFullKey = 403, "Made with a console link, or with an API key whose scope is not `full`";
}

/// Page size of the key list: default and most.
const LIMIT: u32 = 100;

const LAST_FULL_KEY: &str = "this is the account's last full-scope API key that works: \
    create another full key before revoking this one";

/// Create an API key
///
/// A new key for the account, with a `scope` (`full` calls every route, `ingest` only the event
/// routes, `read` only what changes nothing) and an optional expiry. The key itself is in this
/// answer only (`key`): hookrelay keeps its hash.
///
/// Needs a `full`-scope API key (not a console link). 422 names each invalid field.
#[utoipa::path(
    post, path = "/v1/api-keys", operation_id = "createApiKey", tag = "API keys",
    request_body(content = ApiKeyRequest, example = json!({
        "name": "CI deploys", "scope": "ingest", "expires_at": "2030-01-01T00:00:00.000Z",
    })),
    responses(
        (status = 201, description = "The key, with the key itself (`key`, shown once)", body = ApiKeyBody),
        UnknownKey, NotFullKey, InvalidFieldsNamed,
    )
)]
pub async fn create(
    State(app): State<App>,
    Caller(account): Caller,
    by: Actor,
    body: JsonObject,
) -> Answer<ApiKeyBody> {
    let now = app.clock.now();
    let mut fields = Fields::new(body, CREATE_FIELDS);
    let name = fields.required("name", |v| Name::parse(read::string(v)?));
    let scope = fields.required("scope", |v| Scope::parse(read::string(v)?));
    let expires_at = fields.optional("expires_at", |v| {
        NewKey::expiry(Timestamp::parse(read::string(v)?)?, now)
    });
    let (name, scope) = fields.done(name.zip(scope))?;
    let new = NewKey {
        name,
        scope,
        expires_at,
    };
    let (record, key) = ApiKeyRecord::issue(&account, new, now, &*app.random);
    let act = Action::ApiKeyCreated.by(&by);
    let changes = changes_between(None, Some(&record));
    let audit = app.audit(account.id, act, record.id(), changes);
    app.store.insert_api_key(&record, &audit).await?;
    tracing::info!(account = %account.id, key = %record.id(), %scope, "API key created");
    Ok(Reply::created(ApiKeyBody {
        api_key: ApiKeyView {
            key: Some(key.expose().to_owned()),
            ..(&record).into()
        },
    }))
}

/// List API keys
///
/// The account's keys, oldest first, expired ones too: name, scope, prefix, creation, last use
/// and expiry, never the key itself. Pass `next_cursor` back as `cursor` for the next page.
///
/// Needs a `full`-scope API key. 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/api-keys", operation_id = "listApiKeys", tag = "API keys",
    params(
        ("limit" = Option<u32>, Query, description = "1–100, default 100", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page", pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
    ),
    responses(
        (status = 200, description = page_description("the account's keys, oldest first, expired ones too (never the keys themselves)"), body = ApiKeyList),
        UnknownKey, NotFullKey, InvalidParameter,
    )
)]
pub async fn list(Own(app, account): Own, mut query: Query) -> Answer<ApiKeyList> {
    let (limit, after) = query.key_page(LIMIT, |c| ApiKeyId::parse(c).is_some());
    query.finish()?;
    let page = app
        .store
        .list_api_keys(account, after.as_deref(), limit as usize)
        .await?;
    let (api_keys, next_cursor) =
        fit_key_page(&page, |key| (ApiKeyView::from(key), key.id().to_string()));
    Ok(Reply::ok(ApiKeyList {
        api_keys,
        limit,
        next_cursor,
    }))
}

/// Revoke an API key
///
/// The key is refused at once here, and everywhere within `refused_within_seconds` (60).
///
/// Needs a `full`-scope API key. 404 for a key of no or another account, 409 for the account's
/// last full-scope key that works (create another first).
#[utoipa::path(
    delete, path = "/v1/api-keys/{id}", operation_id = "revokeApiKey", tag = "API keys",
    params(("id" = String, Path, description = "API key id")),
    responses(
        (status = 200, description = "Revoked: refused here at once, and everywhere within `refused_within_seconds` (60)", body = ApiKeyRevoked),
        (status = 404, description = "No such key in this account", body = ErrorBody),
        (status = 409, description = "The account's last full-scope key that works: create another first", body = ErrorBody),
        UnknownKey, NotFullKey,
    )
)]
pub async fn revoke(
    Own(app, account): Own,
    Path(id): Path<String>,
    by: Actor,
) -> Answer<ApiKeyRevoked> {
    let id = ApiKeyId::parse(&id).ok_or(ApiError::NotFound("API key"))?;
    let act = Action::ApiKeyRevoked.by(&by);
    let audit = |key: &ApiKeyRecord| app.audit(account, act, id, changes_between(Some(key), None));
    let revoked = app
        .store
        .revoke_api_key(account, id, app.clock.now(), &audit);
    let key = match revoked.await {
        Ok(Revocation::Revoked(key)) => key,
        Ok(Revocation::NotFound) => return Err(ApiError::NotFound("API key")),
        Ok(Revocation::LastFullKey) => return Err(ApiError::Refused(LAST_FULL_KEY)),
        Err(StoreError::Conflict) => return Err(ApiError::Conflict("account's keys")),
        Err(err) => return Err(err.into()),
    };
    // This process refuses it at once; others within their cache's bound.
    app.warm.keys.remove(&key.key_hash());
    tracing::info!(%account, key = %id, "API key revoked");
    Ok(Reply::ok(ApiKeyRevoked {
        id: id.to_string(),
        deleted: true,
        refused_within_seconds: KEY_CACHE_SECONDS,
        note: format!(
            "Revoked. Requests made with this key are refused within {KEY_CACHE_SECONDS} seconds \
             (a running function trusts a key it has checked for up to that long)."
        ),
    }))
}
