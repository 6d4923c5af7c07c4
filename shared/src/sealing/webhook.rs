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
    if webhook.url().has_password() {
        secret.insert("url".into(), webhook.url().to_string().into());
        stored.insert("url".into(), webhook.url().masked().into());
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
