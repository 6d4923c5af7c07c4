//! Auth: an account API key or a console token, as `Authorization: Bearer KEY`
//! or Basic with the key as user name; the deployment's admin: IAM in Lambda,
//! the admin key locally.

use crate::app::App;
use crate::config::AdminAuth;
use crate::domain::account::{Account, KeyHash};
use crate::domain::console_link::{Access, ConsoleToken};
use crate::http::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::Method;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// The account a request's credential opens, for a handler that may
/// change it: a read-only console link is refused here (403) for anything
/// but GET.
pub struct Caller(pub Account);

/// The account and what the credential grants, whatever the method: for
/// handlers that answer differently to a console link.
pub struct Session {
    pub account: Account,
    pub access: Access,
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

impl FromRequestParts<App> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let presented = presented_key(parts).ok_or(ApiError::Unauthorized)?;
        if let Some((account, link)) = ConsoleToken::address(&presented) {
            // Not cached: a revoked link must stop working at once.
            let now = app.clock.now();
            return match app.store.get_console_link(account, link, now).await? {
                Some(link) if link.admits(&KeyHash::of(&presented), now) => Ok(Self {
                    access: Access::ConsoleLink {
                        id: link.id,
                        read_only: link.read_only,
                        expires_at: link.expires(),
                    },
                    account: link.account,
                }),
                _ => Err(ApiError::Unauthorized),
            };
        }
        let account = account_by_key(app, KeyHash::of(&presented)).await?;
        Ok(Self {
            account,
            access: Access::ApiKey,
        })
    }
}

async fn account_by_key(app: &App, hash: KeyHash) -> Result<Account, ApiError> {
    let now = app.clock.now();
    if let Some(account) = app.warm.keys.get(&hash, now) {
        return Ok(account);
    }
    match app.store.account_by_key(hash).await? {
        Some((account, stored)) if stored.matches(&hash) => {
            app.warm.keys.put(hash, account.clone(), now);
            Ok(account)
        }
        _ => Err(ApiError::Unauthorized),
    }
}

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let session = Session::from_request_parts(parts, app).await?;
        let reads = matches!(parts.method, Method::GET | Method::HEAD);
        if session.access.read_only() && !reads {
            return Err(ApiError::Forbidden("this console link is read-only"));
        }
        Ok(Self(session.account))
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
