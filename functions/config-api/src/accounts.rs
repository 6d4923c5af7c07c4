//! `POST /v1/accounts` (the admin: IAM in Lambda, the admin key locally): a
//! new account and its first API key (scope `full`), shown once.
//! `GET /v1/account`: the account a credential opens, with its branding;
//! `PATCH /v1/account` changes the branding (an API key of scope `full`).

use crate::branding::{self, BrandingView};
use axum::extract::State;
use hookrelay::app::App;
use hookrelay::domain::account::Account;
use hookrelay::domain::api_key::{ApiKeyRecord, NewKey};
use hookrelay::domain::audit::{changes_between, Action};
use hookrelay::domain::branding::Branding;
use hookrelay::domain::console_link::Access;
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::webhook::Name;
use hookrelay::http::answers::InvalidFields;
use hookrelay::http::auth::{Admin, Session};
use hookrelay::http::body::{read, Fields, JsonObject};
use hookrelay::http::error::ErrorBody;
use hookrelay::http::{Answer, Reply};
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
    /// The account's first API key (scope `full`, listed by
    /// `GET /v1/api-keys`): shown only in this answer; store it now.
    pub api_key: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountBody {
    pub account: AccountView,
}

/// Create an account
///
/// A new account and its first API key (scope `full`, named "Initial key"), shown this once.
/// Only the deployment's operator calls it: in the local runner with `ADMIN_API_KEY` as the
/// bearer; in AWS with a request signed with SigV4, which API Gateway's IAM authoriser checks
/// (it answers 403 itself to others).
///
/// 401 without the admin key (local runner), 422 names the invalid field.
#[utoipa::path(
    post, path = "/v1/accounts", operation_id = "createAccount", tag = "accounts",
    request_body(content = CreateAccountRequest, example = json!({"name": "Acme"})),
    security(("admin_key" = [])),
    responses(
        (status = 201, description = "The account and its API key (shown once)", body = AccountBody),
        (status = 401, description = "Local runner: missing or wrong admin key, or no admin key configured. In AWS: the request reached the function without a signed caller (the route lost its IAM authoriser)", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    )
)]
pub async fn create(State(app): State<App>, admin: Admin, body: JsonObject) -> Answer<AccountBody> {
    let mut fields = Fields::new(body, CREATE_FIELDS);
    let name = fields.required("name", |v| Name::parse(read::string(v)?));
    let name = fields.done(name)?;
    let now = app.clock.now();
    let account = Account {
        id: AccountId::generate(now, &*app.random),
        name,
        created_at: now,
    };
    let (first_key, key) = ApiKeyRecord::issue(&account, NewKey::first(), now, &*app.random);
    let by = admin.actor();
    let act = Action::AccountCreated.by(&by);
    let audit = app.audit(
        account.id,
        act,
        account.id,
        changes_between(None, Some(&account)),
    );
    app.store
        .insert_account(&account, &first_key, &audit)
        .await?;
    // Who made it: the signed AWS caller's ARN in Lambda (never a key).
    let by = admin.by.as_deref().unwrap_or("the admin key");
    tracing::info!(account = %account.id, by, "account created");
    Ok(Reply::created(AccountBody {
        account: AccountView {
            id: account.id.to_string(),
            name: account.name.to_string(),
            api_key: key.expose().to_owned(),
            created_at: account.created_at.to_string(),
        },
    }))
}

hookrelay::error_answers! {
    Unauthenticated = 401, "Missing, unknown, expired or revoked credential";
}

#[derive(Serialize, ToSchema)]
pub struct CurrentAccount {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub branding: BrandingView,
}

/// What the request's credential grants.
#[derive(Serialize, ToSchema)]
pub struct AccessView {
    /// `api_key` or `console_link`.
    pub kind: &'static str,
    /// GET only: a read-only console link, or an API key of scope `read`.
    pub read_only: bool,
    /// When the credential stops working; null for an API key that does not expire.
    pub expires_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CurrentAccountBody {
    pub account: CurrentAccount,
    pub access: AccessView,
}

impl CurrentAccountBody {
    fn of(session: &Session, branding: &Branding) -> Self {
        let (kind, expires_at) = match &session.access {
            Access::ApiKey { expires_at, .. } => ("api_key", *expires_at),
            Access::ConsoleLink { expires_at, .. } => ("console_link", Some(*expires_at)),
        };
        let access = AccessView {
            kind,
            read_only: session.access.read_only(),
            expires_at: expires_at.map(|at| at.to_string()),
        };
        Self {
            account: CurrentAccount {
                id: session.account.id.to_string(),
                name: session.account.name.to_string(),
                created_at: session.account.created_at.to_string(),
                branding: branding.into(),
            },
            access,
        }
    }
}

/// Get the current account
///
/// The account the credential opens, its `branding`, and what the credential grants:
/// `access.kind` (`api_key` or `console_link`), `read_only` and `expires_at`.
///
/// Any credential may call it. 401 for a missing, unknown, expired or revoked one.
#[utoipa::path(
    get, path = "/v1/account", operation_id = "getCurrentAccount", tag = "accounts",
    responses(
        (status = 200, description = "The account the credential opens, its branding, and what the credential grants", body = CurrentAccountBody),
        Unauthenticated,
    )
)]
pub async fn current(State(app): State<App>, session: Session) -> Answer<CurrentAccountBody> {
    let branding = app.store.get_branding(session.account.id).await?;
    Ok(Reply::ok(CurrentAccountBody::of(&session, &branding)))
}

/// The fields `PATCH /v1/account` accepts.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct AccountChangeRequest {
    /// What the console shows: each field left out is kept, null clears
    /// it; `"branding": null` clears them all.
    branding: Option<branding::BrandingRequest>,
}
pub const CHANGE_FIELDS: &[&str] = &["branding"];

/// Change the account's branding
///
/// Sets what the console shows for the account: `branding.display_name`,
/// `branding.accent_color` (`#rrggbb`) and `branding.logo` (a `data:` URL of a PNG,
/// JPEG or SVG image of at most 64 KiB, its bytes of the type it names). A field left
/// out is kept, null clears it, and `"branding": null` clears them all. Audited as
/// `account.updated`.
///
/// Needs a `full` key: a console link or a narrower key gets 403. 422 names each bad field.
#[utoipa::path(
    patch, path = "/v1/account", operation_id = "updateAccount", tag = "accounts",
    request_body(content = AccountChangeRequest, example = json!({
        "branding": {"display_name": "Acme Payments", "accent_color": "#0f766e"}
    })),
    responses(
        (status = 200, description = "The account with its branding as now kept", body = CurrentAccountBody),
        Unauthenticated,
        InvalidFields,
    )
)]
pub async fn update(
    State(app): State<App>,
    session: Session,
    body: JsonObject,
) -> Answer<CurrentAccountBody> {
    let mut fields = Fields::new(body, CHANGE_FIELDS);
    let changes = fields.nullable_object("branding", branding::FIELDS, branding::parse_changes);
    fields.finish()?;
    let account = session.account.id;
    let before = app.store.get_branding(account).await?;
    let after = match changes {
        None => before.clone(),
        Some(None) => Branding::default(),
        Some(Some(changes)) => before.changed(changes),
    };
    if after != before {
        let act = Action::AccountUpdated.by(&session.actor);
        let changes = changes_between(Some(&before), Some(&after));
        let audit = app.audit(account, act, account, changes);
        app.store.put_branding(account, &after, &audit).await?;
        tracing::info!(%account, "branding changed");
    }
    Ok(Reply::ok(CurrentAccountBody::of(&session, &after)))
}
