//! Enforced event contracts, at ingest: an event whose type the account's
//! catalogue enforces a schema for is refused, before anything is recorded,
//! when its payload breaks it. A warm ingest keeps each (account, type)'s
//! compiled schema, or that none is enforced, for `warm::CONTRACT_SECONDS`: a
//! catalogue change applies within that (in the process that made it, at once).

use crate::app::App;
use crate::domain::event::{EventKind, JsonText};
use crate::domain::ids::AccountId;
use crate::domain::payload_schema::{violations, Violation};
use crate::ports::store::StoreError;
use std::sync::Arc;

/// Where `payload` breaks the schema the catalogue enforces for `kind`
/// (none: it keeps to it, or nothing is enforced), and how many places in all.
pub async fn broken(
    app: &App,
    account: AccountId,
    kind: &EventKind,
    payload: &JsonText,
) -> Result<(Vec<Violation>, usize), StoreError> {
    let Some(validator) = enforced(app, account, kind).await? else {
        return Ok((Vec::new(), 0));
    };
    let payload = serde_json::from_str(payload.as_str()).unwrap_or(serde_json::Value::Null);
    Ok(violations(&validator, &payload))
}

async fn enforced(
    app: &App,
    account: AccountId,
    kind: &EventKind,
) -> Result<Option<Arc<jsonschema::Validator>>, StoreError> {
    let key = (account, kind.dotted());
    let now = app.clock.now();
    if let Some(kept) = app.warm.contracts.get(&key, now) {
        return Ok(kept);
    }
    let entry = app.store.get_event_type(account, kind).await?;
    let schema = entry.filter(|e| e.enforce).and_then(|e| e.schema);
    // A stored schema compiled when it was kept; one that no longer does
    // (a crate upgrade) enforces nothing rather than refusing every event.
    let compiled = schema.and_then(|s| s.compile().ok()).map(Arc::new);
    app.warm.contracts.put(key, compiled.clone(), now);
    Ok(compiled)
}

/// Forgets what this process keeps of `kind`'s contract (it just changed).
pub fn forget(app: &App, account: AccountId, kind: &EventKind) {
    app.warm.contracts.remove(&(account, kind.dotted()));
}
