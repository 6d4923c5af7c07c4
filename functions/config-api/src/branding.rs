//! An account's branding as the API reads and takes it (`GET` and
//! `PATCH /v1/account`); the console shows it in its header.

use hookrelay::domain::branding::{AccentColor, Branding, BrandingChanges, Logo};
use hookrelay::domain::webhook::Name;
use hookrelay::http::body::{read, Fields};
use serde::Serialize;
use utoipa::ToSchema;

/// What the console shows of the account: null fields fall back to the
/// account's name and hookrelay's own look.
#[derive(Serialize, ToSchema)]
pub struct BrandingView {
    /// Shown in the console's header instead of the account's name.
    pub display_name: Option<String>,
    /// `#rrggbb`: the console's primary buttons and links.
    pub accent_color: Option<String>,
    /// A `data:` URL (PNG, JPEG or SVG, at most 64 KiB), shown as an image in
    /// the console's header.
    pub logo: Option<String>,
}

impl From<&Branding> for BrandingView {
    fn from(branding: &Branding) -> Self {
        Self {
            display_name: branding.display_name.as_ref().map(ToString::to_string),
            accent_color: branding.accent_color.as_ref().map(ToString::to_string),
            logo: branding.logo.as_ref().map(ToString::to_string),
        }
    }
}

/// The fields `branding` takes in `PATCH /v1/account`: each left out is
/// kept, null clears it.
#[derive(ToSchema)]
#[allow(dead_code)] // describes the request body for OpenAPI
pub struct BrandingRequest {
    /// 1–100 characters, not blank, no control characters.
    display_name: Option<String>,
    /// `#rrggbb`.
    accent_color: Option<String>,
    /// `data:image/png;base64,...` (or `image/jpeg`, `image/svg+xml`): at most
    /// 64 KiB of image, whose bytes must be of the type named. An SVG is only
    /// ever shown as an image, where it runs no script.
    logo: Option<String>,
}
pub const FIELDS: &[&str] = &["display_name", "accent_color", "logo"];

/// The change `branding` asks for.
pub fn parse_changes(fields: &mut Fields) -> BrandingChanges {
    BrandingChanges {
        display_name: fields.nullable("display_name", |v| Name::parse(read::string(v)?)),
        accent_color: fields.nullable("accent_color", |v| AccentColor::parse(read::string(v)?)),
        logo: fields.nullable("logo", |v| Logo::parse(read::string(v)?)),
    }
}
