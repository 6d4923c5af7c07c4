//! API keys: listed per account, used, revoked; never the last full key.

use crate::support::*;
use hookrelay::domain::account::{Account, ApiKey};
use hookrelay::domain::api_key::{ApiKeyRecord, NewKey, Scope};
use hookrelay::domain::ids::ApiKeyId;
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::webhook::Name;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Revocation, Store, StoreError};

/// An account with its first key, as `POST /v1/accounts` makes them.
async fn with_first_key(store: &dyn Store, name: &str) -> (Account, ApiKeyRecord) {
    let owner = account(name);
    let (first, _) = ApiKeyRecord::issue(&owner, NewKey::first(), at(0), &OsRandom);
    store
        .insert_account(&owner, &first, &noted())
        .await
        .unwrap();
    (owner, first)
}

/// Adds a key to `owner`; its record and the key.
async fn add(
    store: &dyn Store,
    owner: &Account,
    scope: Scope,
    expires_at: Option<Timestamp>,
) -> (ApiKeyRecord, ApiKey) {
    let new = NewKey {
        name: Name::parse(&format!("{scope} key")).unwrap(),
        scope,
        expires_at,
    };
    let (record, key) = ApiKeyRecord::issue(owner, new, at(1), &OsRandom);
    store.insert_api_key(&record, &noted()).await.unwrap();
    (record, key)
}

pub async fn api_keys_are_listed_per_account_in_creation_order(store: &dyn Store) {
    let (acme, first) = with_first_key(store, "acme").await;
    let (_, theirs) = with_first_key(store, "other").await;
    let mut mine = vec![first];
    for (scope, expires) in [
        (Scope::Ingest, None),
        (Scope::Read, Some(at(60_000))),
        (Scope::Full, None),
    ] {
        mine.push(add(store, &acme, scope, expires).await.0);
    }
    mine.sort_by_key(ApiKeyRecord::id);
    let listed = every_page(2, |after| async move {
        store.list_api_keys(acme.id, after.as_deref(), 2).await
    })
    .await;
    assert_eq!(listed, mine);
    assert!(!listed.contains(&theirs));
    let taken = ApiKeyRecord::carried_over(acme.clone(), mine[1].key_hash());
    let again = store.insert_api_key(&taken, &noted()).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    let found = store.api_key_by_hash(mine[2].key_hash()).await.unwrap();
    assert_eq!(found.as_ref(), Some(&mine[2]));
}

pub async fn a_keys_last_use_is_written_at_most_once_a_minute(store: &dyn Store) {
    let (acme, _) = with_first_key(store, "acme").await;
    let (record, key) = add(store, &acme, Scope::Read, None).await;
    let used_at = |ms| {
        let mut used = record.clone();
        assert!(used.note_use(at(ms)));
        used
    };
    store.note_api_key_use(&used_at(1_000)).await.unwrap();
    let read = store.api_key_by_hash(key.hash()).await.unwrap().unwrap();
    assert_eq!(read.last_used_at(), Some(at(1_000)));
    // Another process noting a use within the minute writes nothing.
    let early = store.note_api_key_use(&used_at(60_999)).await;
    assert!(matches!(early, Err(StoreError::Conflict)), "{early:?}");
    store.note_api_key_use(&used_at(61_000)).await.unwrap();
    let read = store.api_key_by_hash(key.hash()).await.unwrap().unwrap();
    assert_eq!(read.last_used_at(), Some(at(61_000)));
    // A revoked key is not brought back by a late note.
    let revoked = store
        .revoke_api_key(acme.id, record.id(), at(62_000), &|_: &ApiKeyRecord| {
            noted()
        })
        .await;
    assert!(matches!(revoked, Ok(Revocation::Revoked(_))), "{revoked:?}");
    let late = store.note_api_key_use(&used_at(200_000)).await;
    assert!(matches!(late, Err(StoreError::Conflict)), "{late:?}");
    assert_eq!(store.api_key_by_hash(key.hash()).await.unwrap(), None);
}

pub async fn the_last_working_full_key_is_never_revoked(store: &dyn Store) {
    let (acme, first) = with_first_key(store, "acme").await;
    let (other, _) = with_first_key(store, "other").await;
    let now = at(10_000);
    let (reader, reader_key) = add(store, &acme, Scope::Read, None).await;
    let (expired, _) = add(store, &acme, Scope::Full, Some(at(5_000))).await;
    let revoke = |id: ApiKeyId| store.revoke_api_key(acme.id, id, now, &|_: &ApiKeyRecord| noted());
    assert_eq!(revoke(first.id()).await.unwrap(), Revocation::LastFullKey);
    assert_eq!(
        store
            .revoke_api_key(other.id, reader.id(), now, &|_: &ApiKeyRecord| noted())
            .await
            .unwrap(),
        Revocation::NotFound
    );
    assert_eq!(
        revoke(reader.id()).await.unwrap(),
        Revocation::Revoked(reader.clone())
    );
    assert_eq!(
        store.api_key_by_hash(reader_key.hash()).await.unwrap(),
        None
    );
    assert_eq!(revoke(reader.id()).await.unwrap(), Revocation::NotFound);
    // An expired full key is no full key to keep; it goes.
    assert!(matches!(
        revoke(expired.id()).await.unwrap(),
        Revocation::Revoked(_)
    ));
    let (second, _) = add(store, &acme, Scope::Full, None).await;
    assert_eq!(
        revoke(first.id()).await.unwrap(),
        Revocation::Revoked(first.clone())
    );
    assert_eq!(revoke(second.id()).await.unwrap(), Revocation::LastFullKey);
    let left = store.list_api_keys(acme.id, None, 100).await.unwrap();
    assert_eq!(left.items, [second]);
}

pub async fn two_revocations_at_once_leave_a_full_key(store: &dyn Store) {
    let (acme, first) = with_first_key(store, "acme").await;
    let (second, _) = add(store, &acme, Scope::Full, None).await;
    let now = at(10_000);
    let (one, two) = tokio::join!(
        store.revoke_api_key(acme.id, first.id(), now, &|_: &ApiKeyRecord| noted()),
        store.revoke_api_key(acme.id, second.id(), now, &|_: &ApiKeyRecord| noted()),
    );
    let revoked = [&one, &two]
        .iter()
        .filter(|r| matches!(r, Ok(Revocation::Revoked(_))))
        .count();
    assert_eq!(revoked, 1, "{one:?} {two:?}");
    for refused in [one, two]
        .into_iter()
        .filter(|r| !matches!(r, Ok(Revocation::Revoked(_))))
    {
        assert!(
            matches!(
                refused,
                Ok(Revocation::LastFullKey) | Err(StoreError::Conflict)
            ),
            "{refused:?}"
        );
    }
    let left = store.list_api_keys(acme.id, None, 100).await.unwrap();
    assert_eq!(left.items.len(), 1, "{left:?}");
}
