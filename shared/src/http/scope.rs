//! `Scope`: what a handler on the caller's own account works with, taken
//! in one extractor instead of `State` and `Caller` side by side.

use crate::app::App;
use crate::domain::ids::AccountId;
use crate::http::auth::Caller;
use crate::http::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The app, and the id of the account the credential opens (read as
/// [`Caller`]: a read-only console link is refused beyond reading).
pub struct Scope(pub App, pub AccountId);

impl FromRequestParts<App> for Scope {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let Caller(account) = Caller::from_request_parts(parts, app).await?;
        Ok(Self(app.clone(), account.id))
    }
}
