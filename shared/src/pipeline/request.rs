//! The request an attempt sends (DESIGN.md §3): the body as its webhook
//! shapes it (`domain::transform`), the Standard Webhooks headers, and
//! their signature over that body:
//! `v1,BASE64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}"))`, one per live
//! secret, space-separated, during a rotation's grace.

use crate::domain::ids::DeliveryId;
use crate::domain::time::Timestamp;
use crate::domain::webhook::{Secret, Webhook};
use crate::domain::webhook_url::WebhookUrl;
use crate::net::sender::Outgoing;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Where a request goes.
pub enum To<'a> {
    /// A webhook at its URL: signed with its live secrets, with its API key
    /// and headers.
    Webhook(&'a Webhook, &'a WebhookUrl),
    /// An ad-hoc URL has no webhook and so no secret: it is sent unsigned.
    AdHoc(&'a WebhookUrl),
}

/// The request POSTing `body` for `delivery`, made at `now`.
pub fn outgoing(body: Vec<u8>, delivery: DeliveryId, to: To<'_>, now: Timestamp) -> Outgoing {
    let (url, headers) = match to {
        To::Webhook(webhook, url) => (url, webhook_headers(&body, delivery, webhook, now)),
        To::AdHoc(url) => (url, plain_headers(delivery, now)),
    };
    Outgoing {
        url: url.as_url().clone(),
        headers,
        body,
    }
}

/// The headers a request for `delivery` carries besides a webhook's own.
fn plain_headers(delivery: DeliveryId, now: Timestamp) -> Vec<(String, String)> {
    vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("webhook-id".to_owned(), delivery.to_string()),
        (
            "webhook-timestamp".to_owned(),
            now.epoch_seconds().to_string(),
        ),
    ]
}

/// The headers `webhook` sends `body` of `delivery` with at `now`: signed
/// with its live secrets, its API key and custom headers. A poll webhook's
/// delivery is handed out with these (and the `user-agent` the sender adds).
pub fn webhook_headers(
    body: &[u8],
    delivery: DeliveryId,
    webhook: &Webhook,
    now: Timestamp,
) -> Vec<(String, String)> {
    let mut headers = plain_headers(delivery, now);
    let signature = sign(
        webhook.secrets().live(now),
        &delivery.to_string(),
        now.epoch_seconds(),
        body,
    );
    headers.push(("webhook-signature".to_owned(), signature));
    if let Some(key) = &webhook.api_key() {
        headers.push(("x-api-key".to_owned(), key.expose().to_owned()));
    }
    headers.extend(
        webhook
            .headers()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    headers
}

/// The `webhook-signature` value for a message signed with every secret given.
pub fn sign<'a>(
    secrets: impl IntoIterator<Item = &'a Secret>,
    message_id: &str,
    timestamp: i64,
    body: &[u8],
) -> String {
    secrets
        .into_iter()
        .map(|secret| {
            format!(
                "v1,{}",
                signature(secret.key(), message_id, timestamp, body)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn signature(key: &[u8], message_id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(message_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn matches_the_specification_vector() {
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let signed = sign(
            [&secret],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(signed, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn signs_once_per_live_secret_and_changes_with_any_input() {
        let a = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let b = Secret::parse("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
        let both = sign([&a, &b], "msg_1", 1, b"{}");
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], sign([&a], "msg_1", 1, b"{}"));
        assert_ne!(sign([&a], "msg_1", 1, b"{}"), sign([&a], "msg_2", 1, b"{}"));
        assert_ne!(sign([&a], "msg_1", 1, b"{}"), sign([&a], "msg_1", 2, b"{}"));
        assert_ne!(sign([&a], "msg_1", 1, b"{}"), sign([&a], "msg_1", 1, b"[]"));
    }
}
