//! A webhook as both stores keep it: its JSON, with what is secret (its
//! signing secrets, retired ones included, the endpoint API key, the custom
//! headers, and the whole URL when it has a password) sealed together in
//! one value, `sealed`, and the URL shown with its password masked. One
//! data key and one seal per webhook write; an item written before sealing
//! (no `sealed`) still reads, and is sealed by its next write.

use super::Sealer;
use crate::domain::sealed::Sealed;
use crate::domain::webhook::Webhook;
use crate::ports::store::StoreError;
use serde_json::{Map, Value};

/// The fields of a stored webhook that hold secrets, as serialized.
const SECRET_FIELDS: [&str; 3] = ["secrets", "api_key", "headers"];
/// Where a stored webhook keeps them, sealed.
const SEALED: &str = "sealed";

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("stored webhook: {what}"))
}

/// What its sealed value is bound to: this webhook of this account.
fn context(stored: &Map<String, Value>) -> Result<String, StoreError> {
    let field = |name: &str| {
        stored
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| corrupt(format!("no {name}")))
    };
    Ok(format!("webhook:{}:{}", field("account_id")?, field("id")?))
}

/// `webhook` as it is stored, its secrets sealed.
pub async fn seal_webhook(
    sealer: &Sealer,
    webhook: &Webhook,
) -> Result<Map<String, Value>, StoreError> {
    let Value::Object(mut stored) = serde_json::to_value(webhook).map_err(corrupt)? else {
        return Err(corrupt("not an object"));
    };
    let mut secret = Map::new();
    for field in SECRET_FIELDS {
        if let Some(value) = stored.remove(field) {
            secret.insert(field.to_owned(), value);
        }
    }
    if let Some(url) = webhook.url().filter(|url| url.has_password()) {
        secret.insert("url".into(), url.to_string().into());
        stored.insert("url".into(), url.masked().into());
    }
    let plaintext = serde_json::to_vec(&secret).map_err(corrupt)?;
    let sealed = sealer.seal(&plaintext, &context(&stored)?).await?;
    stored.insert(SEALED.into(), sealed.to_string().into());
    Ok(stored)
}

/// The webhook `stored` holds, its secrets opened (or read as they are, from
/// an item written before sealing).
pub async fn open_webhook(
    sealer: &Sealer,
    mut stored: Map<String, Value>,
) -> Result<Webhook, StoreError> {
    if let Some(sealed) = stored.remove(SEALED) {
        let sealed = sealed
            .as_str()
            .ok_or_else(|| corrupt("`sealed` is not text"))?;
        let sealed = Sealed::parse(sealed).map_err(corrupt)?;
        let plaintext = sealer.open(&sealed, &context(&stored)?).await?;
        let secret: Map<String, Value> = serde_json::from_slice(&plaintext).map_err(corrupt)?;
        stored.extend(secret);
    }
    serde_json::from_value(Value::Object(stored)).map_err(corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::memory::LocalKeyRing;
    use crate::domain::ids::{AccountId, WebhookId};
    use crate::domain::time::Timestamp;
    use crate::domain::webhook::{
        CustomHeaders, EndpointApiKey, EventPattern, EventPatterns, Name, Secret, WebhookChanges,
    };
    use crate::domain::webhook_url::WebhookUrl;
    use crate::ports::clock::SystemClock;
    use crate::ports::random::OsRandom;
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn webhook() -> Webhook {
        let now = Timestamp::from_millis(1_790_000_000_000).unwrap();
        let mut hook = Webhook::new(
            WebhookId::generate(now, &OsRandom),
            AccountId::generate(now, &OsRandom),
            Name::parse("hook").unwrap(),
            WebhookUrl::parse("https://bob:url-password@hooks.example.com/in").unwrap(),
            EventPatterns::new(vec![EventPattern::All]).unwrap(),
            Secret::generate(&OsRandom),
            now,
        );
        hook.rotate_secret(Secret::generate(&OsRandom), now, 3600);
        let headers = BTreeMap::from([("X-Token".to_owned(), "header-value".to_owned())]);
        let changes = WebhookChanges {
            api_key: Some(Some(EndpointApiKey::parse("endpoint-api-key").unwrap())),
            headers: Some(CustomHeaders::parse(headers).unwrap()),
            ..WebhookChanges::default()
        };
        changes.apply(&mut hook, now);
        hook
    }

    #[tokio::test]
    async fn a_stored_webhook_holds_no_secret_and_opens_as_it_was() {
        let sealer = LocalKeyRing::ephemeral_sealer(Arc::new(SystemClock));
        let hook = webhook();
        let stored = seal_webhook(&sealer, &hook).await.unwrap();
        let text = Value::Object(stored.clone()).to_string();
        let secrets: Vec<String> = hook
            .secrets()
            .live(hook.created_at())
            .map(|s| s.to_string())
            .collect();
        assert_eq!(secrets.len(), 2);
        for secret in secrets.iter().map(|s| &s[6..]).chain([
            "url-password",
            "endpoint-api-key",
            "header-value",
        ]) {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(stored["url"], "https://bob:****@hooks.example.com/in");
        assert_eq!(open_webhook(&sealer, stored.clone()).await.unwrap(), hook);
        // Bound to its webhook: moved to another, it does not open.
        let mut moved = stored;
        moved.insert(
            "id".into(),
            WebhookId::generate(hook.created_at(), &OsRandom)
                .to_string()
                .into(),
        );
        assert!(matches!(
            open_webhook(&sealer, moved).await,
            Err(StoreError::Corrupt(_))
        ));
    }

    #[tokio::test]
    async fn a_webhook_stored_before_sealing_still_reads() {
        let sealer = LocalKeyRing::ephemeral_sealer(Arc::new(SystemClock));
        let hook = webhook();
        let Value::Object(plain) = serde_json::to_value(&hook).unwrap() else {
            panic!("an object");
        };
        assert_eq!(open_webhook(&sealer, plain).await.unwrap(), hook);
    }
}
