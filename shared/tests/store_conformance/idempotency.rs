//! Idempotency-Key claims.

use crate::support::*;
use hookrelay::domain::idempotency::IdempotencyRecord;
use hookrelay::domain::ids::EventId;
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::Store;

pub async fn idempotency_keys_are_claimed_once_until_they_expire(store: &dyn Store) {
    let owner = account("Owner").id;
    let claim = |event_id| IdempotencyRecord::new(owner, "key-1", b"{}", event_id, at(0));
    let first = claim(EventId::generate(at(0), &OsRandom));
    assert_eq!(store.claim_idempotency(&first, at(1)).await.unwrap(), None);
    let second = claim(EventId::generate(at(0), &OsRandom));
    assert_eq!(
        store.claim_idempotency(&second, at(2)).await.unwrap(),
        Some(first.clone())
    );
    let done = IdempotencyRecord {
        answer: Some(r#"{"id":"x"}"#.into()),
        ..first.clone()
    };
    store.complete_idempotency(&done).await.unwrap();
    assert_eq!(
        store.claim_idempotency(&second, at(3)).await.unwrap(),
        Some(done)
    );
    // Another account's same key is its own.
    let other = IdempotencyRecord {
        account_id: account("Other").id,
        ..second.clone()
    };
    assert_eq!(store.claim_idempotency(&other, at(3)).await.unwrap(), None);
    // After 24 h the key can be used again.
    let later = Timestamp::from_millis((first.expires_at + 1) * 1000).unwrap();
    assert_eq!(store.claim_idempotency(&second, later).await.unwrap(), None);
}
