//! An ad-hoc URL's password at rest: a delivery (and its queue message)
//! keeps the URL shown with the password masked, and the whole URL sealed
//! for the sender, bound to that delivery (`KeptUrl`).

use super::{SealError, Sealer};
use crate::domain::delivery::{Delivery, KeptUrl};
use crate::domain::ids::DeliveryId;
use crate::domain::webhook_url::WebhookUrl;

fn context(delivery: DeliveryId) -> String {
    format!("delivery:{delivery}")
}

/// `url`, the ad-hoc URL of `delivery`, as the delivery keeps it.
pub async fn keep_ad_hoc(
    sealer: &Sealer,
    url: &WebhookUrl,
    delivery: DeliveryId,
) -> Result<KeptUrl, SealError> {
    let mut kept = KeptUrl::shown(url);
    if url.has_password() {
        let sealed = sealer
            .seal(url.to_string().as_bytes(), &context(delivery))
            .await?;
        kept.sealed = Some(sealed);
    }
    Ok(kept)
}

/// The URL to send `delivery` to: opened, or as shown when nothing was
/// sealed (no password, or an item written before sealing).
pub async fn open_ad_hoc(
    sealer: &Sealer,
    kept: &KeptUrl,
    delivery: DeliveryId,
) -> Result<WebhookUrl, SealError> {
    let Some(sealed) = &kept.sealed else {
        return Ok(kept.shown.clone());
    };
    let opened = sealer.open(sealed, &context(delivery)).await?;
    std::str::from_utf8(&opened)
        .ok()
        .and_then(|text| WebhookUrl::parse(text).ok())
        .ok_or_else(|| SealError::Corrupt(format!("the sealed URL of delivery {delivery}")))
}

/// How a delivery written with its URL's password in the clear (before
/// secrets were sealed) keeps it from its next write on: a webhook's
/// delivery only as shown, an ad-hoc one sealed.
/// `clear` is its URL as `Delivery::url_in_clear` finds it.
pub async fn rekeep(
    sealer: &Sealer,
    delivery: &Delivery,
    clear: &WebhookUrl,
) -> Result<KeptUrl, SealError> {
    match delivery.webhook_id() {
        Some(_) => Ok(KeptUrl::shown(clear)),
        None => keep_ad_hoc(sealer, clear, delivery.id()).await,
    }
}
