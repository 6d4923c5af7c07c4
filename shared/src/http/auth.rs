//! Auth: an account API key or a console token, as `Authorization: Bearer KEY`
//! or Basic with the key as user name; the deployment's admin: IAM in Lambda,
//! the admin key locally. What a credential may call is decided here, once,
//! from the method and the matched route (`permit`), so no handler repeats it.

use crate::app::App;
use crate::config::AdminAuth;
use crate::domain::account::{Account, KeyHash};
use crate::domain::api_key::{ApiKeyRecord, Scope};
use crate::domain::audit::{Actor, ActorKind};
use crate::domain::console_link::{Access, ConsoleToken};
use crate::domain::ids::{AccountId, ConsoleLinkId};
use crate::domain::time::Timestamp;
use crate::http::error::ApiError;
use axum::extract::{FromRequestParts, MatchedPath};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::Method;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The account a request's credential opens, once `permit` let it through.
pub struct Caller(pub Account);

/// The account and what the credential grants: for handlers that answer
/// differently to each kind of credential. Worked out once per request
/// (kept on it), however many extractors ask.
#[derive(Clone)]
pub struct Session {
    pub account: Account,
    pub access: Access,
    /// Who the audit log says made a change with it.
    pub actor: Actor,
}

/// A request the deployment's admin made: `by` names the signed AWS
/// caller (its ARN) in Lambda, `None` for the local admin key.
pub struct Admin {
    pub by: Option<String>,
}

/// The AWS caller API Gateway's IAM authoriser verified (a SigV4-signed
/// request), as the Lambda entry point finds it in the request context and
/// puts it on the request. Nothing a client sends can set it: it exists
/// only on a route whose authoriser ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedCaller {
    /// The caller's ARN (`arn:aws:iam::ACCOUNT:user/NAME`, an assumed role, ...).
    pub arn: String,
}

/// The key a request presents, from Bearer or Basic (user name, any password).
fn presented_key(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, credentials) = value.split_once(' ')?;
    let credentials = credentials.trim();
    let key = if scheme.eq_ignore_ascii_case("bearer") {
        credentials.to_owned()
    } else if scheme.eq_ignore_ascii_case("basic") {
        let decoded = String::from_utf8(STANDARD.decode(credentials).ok()?).ok()?;
        decoded
            .split_once(':')
            .map_or(decoded.as_str(), |(user, _)| user)
            .to_owned()
    } else {
        return None;
    };
    (!key.is_empty()).then_some(key)
}

/// The routes of API keys themselves.
const API_KEYS: &str = "/v1/api-keys";

/// Routes only an account API key may call, never a console link: a link
/// cannot mint, see or revoke credentials, so it cannot outlive or widen itself.
const KEY_ONLY: [(&str, &str); 2] = [
    (
        "/v1/console-links",
        "console links are managed with the account's API key, not with a console link",
    ),
    (
        API_KEYS,
        "API keys are managed with a full-scope API key, not with a console link",
    ),
];

/// The account a credential opens: a console link reads it, and only an
/// API key changes it (its branding is the producer's, not its customer's).
const ACCOUNT: &str = "/v1/account";
const ACCOUNT_BY_KEY: &str =
    "the account is changed with the account's API key, not with a console link";

/// `route` is `base` or below it.
fn under(route: &str, base: &str) -> bool {
    route
        .strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// POST routes that only work out an answer and change nothing: they read.
const CHANGING_NOTHING: [&str; 2] = ["/v1/filters/test", "/v1/transforms/preview"];

/// GET routes that change something: a poll acknowledges what its cursor
/// handed out (those deliveries become `delivered`, gone from the feed).
const CHANGING_GETS: [&str; 1] = ["/v1/webhooks/{id}/poll"];

/// Whether calling `method` on `route` only reads.
fn reads(method: &Method, route: &str) -> bool {
    (matches!(*method, Method::GET | Method::HEAD) && !CHANGING_GETS.contains(&route))
        || (*method == Method::POST && CHANGING_NOTHING.contains(&route))
}

/// The routes that send events: POSTing to them is what `ingest` keys do.
const INGEST_ROUTES: [&str; 2] = ["/v1/events", "/v1/events/batch"];

/// The narrowest scope that may call `method` on `route` (the route's
/// pattern, e.g. `/v1/webhooks/{id}`):
///
/// | scope | routes |
/// |---|---|
/// | `ingest` | `POST /v1/events`, `POST /v1/events/batch` |
/// | `read` | any other GET, but `GET /v1/webhooks/{id}/poll`; `POST /v1/filters/test`, `POST /v1/transforms/preview` |
/// | `full` | the rest, `GET /v1/webhooks/{id}/poll` (it acknowledges: a reader must change nothing, and a producer's `ingest` key must not drain a consumer's deliveries), and API keys' own routes whatever the method (a narrower key does not see credentials) |
pub fn scope_needed(method: &Method, route: &str) -> Scope {
    if under(route, API_KEYS) {
        Scope::Full
    } else if *method == Method::POST && INGEST_ROUTES.contains(&route) {
        Scope::Ingest
    } else if reads(method, route) {
        Scope::Read
    } else {
        Scope::Full
    }
}

/// Whether `access` may call `method` on `route`: the one check.
pub fn permit(access: &Access, method: &Method, route: &str) -> Result<(), ApiError> {
    match access {
        Access::ApiKey { scope, .. } => {
            let needed = scope_needed(method, route);
            if scope.covers(needed) {
                Ok(())
            } else {
                Err(ApiError::OutOfScope {
                    scope: *scope,
                    needed,
                })
            }
        }
        Access::ConsoleLink { read_only, .. } => {
            if let Some((_, why)) = KEY_ONLY.iter().find(|(base, _)| under(route, base)) {
                Err(ApiError::Forbidden(why))
            } else if route == ACCOUNT && !reads(method, route) {
                Err(ApiError::Forbidden(ACCOUNT_BY_KEY))
            } else if *read_only && !reads(method, route) {
                Err(ApiError::Forbidden("this console link is read-only"))
            } else {
                Ok(())
            }
        }
    }
}

impl FromRequestParts<App> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        if let Some(session) = parts.extensions.get::<Session>() {
            return Ok(session.clone());
        }
        let presented = presented_key(parts).ok_or(ApiError::Unauthorized)?;
        let session = match ConsoleToken::address(&presented) {
            Some((account, link)) => console_link(app, &presented, account, link).await?,
            None => api_key(app, &presented).await?,
        };
        let route = match parts.extensions.get::<MatchedPath>() {
            Some(matched) => matched.as_str(),
            None => parts.uri.path(),
        };
        permit(&session.access, &parts.method, route)?;
        parts.extensions.insert(session.clone());
        Ok(session)
    }
}

async fn console_link(
    app: &App,
    presented: &str,
    account: AccountId,
    link: ConsoleLinkId,
) -> Result<Session, ApiError> {
    // Not cached: a revoked link must stop working at once.
    let now = app.clock.now();
    match app.store.get_console_link(account, link, now).await? {
        Some(link) if link.admits(&KeyHash::of(presented), now) => Ok(Session {
            actor: Actor {
                kind: ActorKind::ConsoleLink,
                id: link.id.to_string(),
                name: match link.read_only {
                    true => "console link (read-only)".into(),
                    false => "console link".into(),
                },
            },
            access: Access::ConsoleLink {
                id: link.id,
                read_only: link.read_only,
                expires_at: link.expires(),
            },
            account: link.account,
        }),
        _ => Err(ApiError::Unauthorized),
    }
}

/// The key's record: from the warm cache (`KEY_CACHE_SECONDS`, so a key
/// revoked in another process is refused within that), or read and kept.
async fn api_key(app: &App, presented: &str) -> Result<Session, ApiError> {
    let hash = KeyHash::of(presented);
    let now = app.clock.now();
    let key = match app.warm.keys.get(&hash, now) {
        Some(key) => key,
        None => {
            let key = app
                .store
                .api_key_by_hash(hash)
                .await?
                .filter(|key| key.key_hash().matches(&hash))
                .ok_or(ApiError::Unauthorized)?;
            let key = noted(app, key, now).await;
            app.warm.keys.put(hash, key.clone(), now);
            key
        }
    };
    if let Some(end) = key.expires_at().filter(|_| !key.is_live(now)) {
        return Err(ApiError::KeyExpired(end));
    }
    Ok(Session {
        actor: Actor {
            kind: ActorKind::ApiKey,
            id: key.id().to_string(),
            name: key.name().to_string(),
        },
        account: key.account().clone(),
        access: Access::ApiKey {
            id: key.id(),
            scope: key.scope(),
            expires_at: key.expires_at(),
        },
    })
}

/// The key with this use noted: written when the last one noted is a
/// minute old (so once a minute at most, never per request); a write that
/// fails costs the request nothing.
async fn noted(app: &App, mut key: ApiKeyRecord, now: Timestamp) -> ApiKeyRecord {
    if key.is_live(now) && key.note_use(now) {
        match app.store.note_api_key_use(&key).await {
            // Conflict: another process noted a use within the minute.
            Ok(()) | Err(crate::ports::store::StoreError::Conflict) => {}
            Err(err) => tracing::warn!(error = %err, key = %key.id(), "last_used_at not written"),
        }
    }
    key
}

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        Ok(Self(Session::from_request_parts(parts, app).await?.account))
    }
}

impl FromRequestParts<App> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        Ok(Session::from_request_parts(parts, app).await?.actor)
    }
}

impl Admin {
    /// The operator, as the audit log names them: the signed caller's ARN,
    /// or the local admin key.
    pub fn actor(&self) -> Actor {
        let (id, name) = match &self.by {
            Some(arn) => (arn.clone(), arn.clone()),
            None => ("admin-key".to_owned(), "ADMIN_API_KEY".to_owned()),
        };
        Actor {
            kind: ActorKind::Operator,
            id,
            name,
        }
    }
}

impl FromRequestParts<App> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        match &app.settings.admin {
            // The route's IAM authoriser let the request through; without
            // its caller (the route lost its authoriser) nobody is admin.
            AdminAuth::Iam => match parts.extensions.get::<SignedCaller>() {
                Some(caller) => Ok(Self {
                    by: Some(caller.arn.clone()),
                }),
                None => Err(ApiError::Unauthorized),
            },
            AdminAuth::Key(admin) => {
                let presented = KeyHash::of(&presented_key(parts).ok_or(ApiError::Unauthorized)?);
                if admin.matches(&presented) {
                    Ok(Self { by: None })
                } else {
                    Err(ApiError::Unauthorized)
                }
            }
            AdminAuth::Off => Err(ApiError::Unauthorized),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(authorization: &str) -> Parts {
        Request::builder()
            .header(AUTHORIZATION, authorization)
            .body(())
            .unwrap()
            .into_parts()
            .0
    }

    #[test]
    fn each_route_needs_the_narrowest_scope_that_may_call_it() {
        use Scope::*;
        for (method, route, needed) in [
            (Method::POST, "/v1/events", Ingest),
            (Method::POST, "/v1/events/batch", Ingest),
            (Method::GET, "/v1/events/batch", Read),
            (Method::GET, "/v1/webhooks/{id}", Read),
            (Method::HEAD, "/v1/deliveries", Read),
            (Method::GET, "/v1/account", Read),
            (Method::POST, "/v1/webhooks", Full),
            (Method::PATCH, "/v1/webhooks/{id}", Full),
            (Method::POST, "/v1/events/{id}", Full),
            (Method::GET, "/v1/api-keys", Full),
            (Method::DELETE, "/v1/api-keys/{id}", Full),
            (Method::GET, "/v1/api-keysmith", Read),
            (Method::POST, "/v1/filters/test", Read),
            (Method::PATCH, "/v1/filters/test", Full),
            (Method::GET, "/v1/webhooks/{id}/poll", Full),
            (Method::GET, "/v1/webhooks/{id}/deliveries", Read),
        ] {
            assert_eq!(scope_needed(&method, route), needed, "{method} {route}");
        }
    }

    #[test]
    fn a_refusal_names_the_scope_the_route_needs() {
        let key = |scope| Access::ApiKey {
            id: crate::domain::ids::ApiKeyId::MIN,
            scope,
            expires_at: None,
        };
        let refusal = |access: &Access, method, route| {
            permit(access, &method, route)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            refusal(&key(Scope::Read), Method::POST, "/v1/webhooks"),
            "this API key's scope is `read`; this route needs `full`"
        );
        assert_eq!(
            refusal(&key(Scope::Ingest), Method::GET, "/v1/webhooks"),
            "this API key's scope is `ingest`; this route needs `read` (or `full`)"
        );
        assert_eq!(
            refusal(&key(Scope::Read), Method::GET, "/v1/api-keys"),
            "this API key's scope is `read`; this route needs `full`"
        );
        assert_eq!(refusal(&key(Scope::Full), Method::GET, "/v1/api-keys"), "");
        let link = |read_only| Access::ConsoleLink {
            id: crate::domain::ids::ConsoleLinkId::MIN,
            read_only,
            expires_at: Timestamp::from_millis(0).unwrap(),
        };
        assert!(
            refusal(&link(false), Method::GET, "/v1/api-keys").contains("not with a console link")
        );
        assert_eq!(
            refusal(&link(true), Method::POST, "/v1/events"),
            "this console link is read-only"
        );
        assert_eq!(refusal(&link(true), Method::GET, "/v1/webhooks"), "");
        assert_eq!(refusal(&link(false), Method::GET, "/v1/account"), "");
        assert!(refusal(&link(false), Method::PATCH, "/v1/account").contains("API key"));
        assert_eq!(
            refusal(&link(true), Method::GET, "/v1/webhooks/{id}/poll"),
            "this console link is read-only"
        );
        assert_eq!(
            refusal(&key(Scope::Read), Method::GET, "/v1/webhooks/{id}/poll"),
            "this API key's scope is `read`; this route needs `full`"
        );
        assert_eq!(refusal(&link(true), Method::POST, "/v1/filters/test"), "");
        assert_eq!(
            refusal(&key(Scope::Read), Method::POST, "/v1/filters/test"),
            ""
        );
    }

    #[test]
    fn reads_bearer_and_basic() {
        assert_eq!(
            presented_key(&parts("Bearer hr_abc")).as_deref(),
            Some("hr_abc")
        );
        assert_eq!(
            presented_key(&parts("bearer  hr_abc ")).as_deref(),
            Some("hr_abc")
        );
        let basic = format!("Basic {}", STANDARD.encode("hr_abc:"));
        assert_eq!(presented_key(&parts(&basic)).as_deref(), Some("hr_abc"));
        let no_colon = format!("Basic {}", STANDARD.encode("hr_abc"));
        assert_eq!(presented_key(&parts(&no_colon)).as_deref(), Some("hr_abc"));
        assert_eq!(presented_key(&parts("Bearer ")), None);
        assert_eq!(presented_key(&parts("Token hr_abc")), None);
        assert_eq!(presented_key(&parts("Basic !!!")), None);
    }
}
