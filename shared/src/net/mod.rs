//! Network policy shared by webhook creation and every send.

pub mod address;
pub mod sender;

use crate::config::Settings;
use crate::domain::webhook_url::WebhookUrl;
use address::Resolver;

/// The deployment's rules for a webhook target: https unless http is
/// allowed, and the address rule (DESIGN.md §2).
pub async fn check_target(
    settings: &Settings,
    url: &WebhookUrl,
    resolver: &dyn Resolver,
) -> Result<(), String> {
    if !url.is_https() && !settings.allow_http {
        return Err("must be an https URL (this deployment does not allow http)".into());
    }
    settings
        .address_policy
        .check_at_creation(url, resolver)
        .await
}
