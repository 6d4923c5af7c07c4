//! Console links: a short-lived, revocable token that opens the console for
//! this account, so a producer can hand the console to its own customer
//! without sharing the API key.
//!
//! | route | handler |
//! |---|---|
//! | POST /v1/console-links | [`create`] |
//! | GET /v1/console-links | [`list`] |
//! | DELETE /v1/console-links/{id} | [`revoke`] |
//!
//! Only an account API key manages links (`http::auth::permit`): a link
//! cannot mint, list or revoke links, so it cannot outlive or widen itself;
//! minting one needs a full-scope key.

use crate::webhooks::Deleted;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use hookrelay::app::App;
use hookrelay::domain::audit::{changes_between, Action, Actor};
use hookrelay::domain::console_link::{
    ConsoleLink, TTL_DEFAULT_SECONDS, TTL_MAX_SECONDS, TTL_MIN_SECONDS,
};
use hookrelay::domain::embed_origin;
use hookrelay::domain::ids::ConsoleLinkId;
use hookrelay::http::answers::InvalidFields;
use hookrelay::http::auth::Caller;
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::page_size::{fit_key_page, page_description};
use hookrelay::http::query::Query;
use hookrelay::http::{Answer, ApiError, Reply};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ConsoleLinkView {
    pub id: String,
    /// GET only (and `POST /v1/filters/test`, which changes nothing): every
    /// other call answers 403.
    pub read_only: bool,
    pub created_at: String,
    pub expires_at: String,
    /// Origins allowed to show this link's console in a frame (its page's
    /// `frame-ancestors`); empty: it cannot be framed.
    pub embed_origins: Vec<String>,
    /// The token, as `Authorization: Bearer`: only in the answer that mints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The console, signed in with the token: only in the answer that mints
    /// it. `…/console#token=…`; for a link with `embed_origins`,
    /// `…/console?link={account}.{link}#token=…` (the address, no secret, tells
    /// the server which origins may frame the page): an iframe's `src`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl From<&ConsoleLink> for ConsoleLinkView {
    fn from(link: &ConsoleLink) -> Self {
        Self {
            id: link.id.to_string(),
            read_only: link.read_only,
            created_at: link.created_at.to_string(),
            expires_at: link.expires().to_string(),
            embed_origins: link.embed_origins.iter().map(ToString::to_string).collect(),
            token: None,
            url: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConsoleLinkBody {
    pub console_link: ConsoleLinkView,
}

#[derive(Serialize, ToSchema)]
pub struct ConsoleLinkList {
    pub console_links: Vec<ConsoleLinkView>,
    pub limit: u32,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The fields `POST /v1/console-links` accepts (the body is optional).
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct ConsoleLinkRequest {
    /// Default false.
    read_only: Option<bool>,
    /// 60–604800, default 3600.
    #[schema(minimum = 60, maximum = 604800)]
    ttl_seconds: Option<u32>,
    /// Origins allowed to show this console in a frame, at most 10, each
    /// `scheme://host[:port]` and nothing more, e.g. `https://app.example.com`:
    /// https, or http on localhost and 127.0.0.0/8 (anywhere where the
    /// deployment allows http, `HOOKRELAY_ALLOW_HTTP`). Default none: the
    /// console refuses every frame (`frame-ancestors 'none'`).
    embed_origins: Option<Vec<String>>,
}
pub const CREATE_FIELDS: &[&str] = &["read_only", "ttl_seconds", "embed_origins"];

hookrelay::error_answers! {
    NotApiKey = 403, "Made with a console link, or with an API key whose scope does not cover the route";
}

/// Page size of the link list: default and most.
const LIMIT: u32 = 100;

/// Where the console is, as the caller reached this API (API Gateway sets
/// `x-forwarded-proto`; the local runner is plain http).
fn console_url(headers: &HeaderMap, link: &ConsoleLink, token: &str) -> String {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let origin = match header(header::HOST.as_str()) {
        Some(host) => {
            let scheme = header("x-forwarded-proto").unwrap_or("http");
            format!("{scheme}://{host}")
        }
        None => String::new(),
    };
    // The token stays in the #fragment, which no request carries; an
    // embeddable link's page also names the link, so its answer may be framed.
    match link.embed_origins.is_empty() {
        true => format!("{origin}/console#token={token}"),
        false => format!("{origin}/console?link={}#token={token}", link.address()),
    }
}

/// Create a console link
///
/// Mints a link that opens the web console for this account without a key: optionally
/// `read_only`, for `ttl_seconds` (60–604800, default 3600). The answer holds its `token` and
/// `url`, this once.
///
/// Needs a `full`-scope API key (a link cannot make links). 422 names each invalid field.
#[utoipa::path(
    post, path = "/v1/console-links", operation_id = "createConsoleLink", tag = "console links",
    request_body(content = ConsoleLinkRequest, description = "Optional", example = json!({"read_only": true, "ttl_seconds": 3600})),
    responses(
        (status = 201, description = "The link, with its token and console URL (shown once)", body = ConsoleLinkBody),
        NotApiKey, InvalidFields,
    )
)]
pub async fn create(
    State(app): State<App>,
    Caller(account): Caller,
    by: Actor,
    headers: HeaderMap,
    body: JsonObject,
) -> Answer<ConsoleLinkBody> {
    let mut fields = Fields::new(body, CREATE_FIELDS);
    let read_only = fields.optional("read_only", read::boolean);
    let ttl = fields.optional("ttl_seconds", |v| {
        read::whole_number(v, TTL_MIN_SECONDS, TTL_MAX_SECONDS)
    });
    let embed_origins = fields.optional("embed_origins", |v| {
        embed_origin::parse_list(&read::strings(v)?, app.settings.allow_http)
    });
    fields.finish()?;
    let now = app.clock.now();
    let (mut link, token) = ConsoleLink::mint(
        &account,
        read_only.unwrap_or(false),
        ttl.unwrap_or(TTL_DEFAULT_SECONDS),
        now,
        &*app.random,
    );
    link.embed_origins = embed_origins.unwrap_or_default();
    let act = Action::ConsoleLinkCreated.by(&by);
    let audit = app.audit(account.id, act, link.id, changes_between(None, Some(&link)));
    app.store.insert_console_link(&link, &audit).await?;
    let embeddable = !link.embed_origins.is_empty();
    tracing::info!(account = %link.account.id, link = %link.id, read_only = link.read_only, embeddable, "console link minted");
    Ok(Reply::created(ConsoleLinkBody {
        console_link: ConsoleLinkView {
            url: Some(console_url(&headers, &link, token.expose())),
            token: Some(token.expose().to_owned()),
            ..(&link).into()
        },
    }))
}

/// List console links
///
/// The account's live links, oldest first, without their tokens. Pass `next_cursor` back as
/// `cursor` for the next page.
///
/// Needs an API key (not a console link). 422 names a bad parameter.
#[utoipa::path(
    get, path = "/v1/console-links", operation_id = "listConsoleLinks", tag = "console links",
    params(
        ("limit" = Option<u32>, Query, description = "1–100, default 100", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page", pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
    ),
    responses(
        (status = 200, description = page_description("the live links, oldest first (no tokens)"), body = ConsoleLinkList),
        (status = 422, description = "A parameter is invalid", body = ErrorBody),
        NotApiKey,
    )
)]
pub async fn list(
    State(app): State<App>,
    Caller(account): Caller,
    mut query: Query,
) -> Answer<ConsoleLinkList> {
    let (limit, after) = query.key_page(LIMIT, |c| ConsoleLinkId::parse(c).is_some());
    query.finish()?;
    let now = app.clock.now();
    let page = app
        .store
        .list_console_links(account.id, after.as_deref(), limit as usize, now)
        .await?;
    let (console_links, next_cursor) = fit_key_page(&page, |link| {
        (ConsoleLinkView::from(link), link.id.to_string())
    });
    Ok(Reply::ok(ConsoleLinkList {
        console_links,
        limit,
        next_cursor,
    }))
}

/// Revoke a console link
///
/// Its token answers 401 from the next request on.
///
/// Needs a `full`-scope API key (not a console link). 404 for a link of no or another account.
#[utoipa::path(
    delete, path = "/v1/console-links/{id}", operation_id = "revokeConsoleLink", tag = "console links", params(("id" = String, Path, description = "Console link id")),
    responses(
        (status = 200, description = "Revoked: its token opens nothing from now on", body = Deleted),
        (status = 404, description = "No such link in this account", body = ErrorBody),
        NotApiKey,
    )
)]
pub async fn revoke(
    State(app): State<App>,
    Caller(account): Caller,
    Path(id): Path<String>,
    by: Actor,
) -> Answer<Deleted> {
    let id = ConsoleLinkId::parse(&id).ok_or(ApiError::NotFound("console link"))?;
    let now = app.clock.now();
    let before = app.store.get_console_link(account.id, id, now).await?;
    let act = Action::ConsoleLinkRevoked.by(&by);
    let changes = changes_between(before.as_ref().map(|l| l as _), None);
    let audit = app.audit(account.id, act, id, changes);
    if !app
        .store
        .delete_console_link(account.id, id, &audit)
        .await?
    {
        return Err(ApiError::NotFound("console link"));
    }
    tracing::info!(account = %account.id, link = %id, "console link revoked");
    Ok(Reply::ok(Deleted::of(id)))
}
