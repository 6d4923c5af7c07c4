//! Error answers and a path parameter that several operations document alike,
//! each named once for `#[utoipa::path(responses(...), params(...))]`. The
//! descriptions are the OpenAPI document's words; changing one changes it.

use utoipa::IntoParams;

/// Declares error answers for `responses(...)`: each a status and a
/// description, with the envelope's `ErrorBody`.
#[macro_export]
macro_rules! error_answers {
    ($($(#[$doc:meta])* $name:ident = $status:tt, $description:tt;)+) => {$(
        $(#[$doc])*
        #[derive(utoipa::IntoResponses)]
        #[response(status = $status, description = $description)]
        pub struct $name(pub $crate::http::error::ErrorBody);
    )+};
}

error_answers! {
    UnknownKey = 401, "Missing or unknown API key";
    NoSuchWebhook = 404, "No such webhook in this account";
    /// For a create body, whose fields are listed one by one.
    InvalidFieldsNamed = 422, "Fields are invalid; `errors` names each";
    InvalidFields = 422, "Fields are invalid";
    InvalidParameter = 422, "A parameter is invalid; `errors` names it";
}

/// `{id}` in a webhook's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // describes the path parameter for OpenAPI
pub struct WebhookPath {
    /// Webhook id
    id: String,
}
