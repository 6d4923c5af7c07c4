//! `POST /v1/accounts` (admin key): a new account and its API key, shown once.

use axum::extract::State;
use hookrelay::app::App;
use hookrelay::domain::account::{Account, ApiKey};
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::webhook::Name;
use hookrelay::http::auth::Admin;
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::{ApiError, Reply};
use serde::Serialize;
use utoipa::ToSchema;

/// The fields `POST /v1/accounts` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct CreateAccountRequest {
    /// 1–100 characters.
    name: String,
}
pub const CREATE_FIELDS: &[&str] = &["name"];

#[derive(Serialize, ToSchema)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    /// Shown only in this answer; store it now.
    pub api_key: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountBody {
    pub account: AccountView,
}

#[utoipa::path(
    post, path = "/v1/accounts", tag = "accounts",
    request_body = CreateAccountRequest,
    security(("admin_key" = [])),
    responses(
        (status = 201, description = "The account and its API key (shown once)", body = AccountBody),
        (status = 401, description = "Missing or wrong admin key, or no admin key configured", body = hookrelay::http::error::ErrorBody),
        (status = 422, description = "A field is invalid", body = hookrelay::http::error::ErrorBody),
    )
)]
pub async fn create(
    State(app): State<App>,
    _: Admin,
    body: JsonObject,
) -> Result<Reply<AccountBody>, ApiError> {
    let mut fields = Fields::new(body, CREATE_FIELDS);
    let name = fields.required("name", |v| Name::parse(read::string(v)?));
    let name = fields.done(name)?;
    let now = app.clock.now();
    let account = Account {
        id: AccountId::generate(now, &*app.random),
        name,
        created_at: now,
    };
    let key = ApiKey::generate(&*app.random);
    app.store.insert_account(&account, key.hash()).await?;
    tracing::info!(account = %account.id, "account created");
    Ok(Reply::created(AccountBody {
        account: AccountView {
            id: account.id.to_string(),
            name: account.name.to_string(),
            api_key: key.expose().to_owned(),
            created_at: account.created_at.to_string(),
        },
    }))
}
