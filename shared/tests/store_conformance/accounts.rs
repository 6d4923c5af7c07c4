//! Accounts by API key hash.

use crate::support::*;
use hookrelay::domain::account::ApiKey;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Store, StoreError};

pub async fn accounts_are_found_by_key_hash_only(store: &dyn Store) {
    let acme = account("Acme");
    let key = ApiKey::generate(&OsRandom);
    store.insert_account(&acme, key.hash()).await.unwrap();
    let (found, stored) = store
        .account_by_key(key.hash())
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found, acme);
    assert!(stored.matches(&key.hash()));
    let other = ApiKey::generate(&OsRandom);
    assert!(store.account_by_key(other.hash()).await.unwrap().is_none());
}

pub async fn a_key_hash_belongs_to_one_account(store: &dyn Store) {
    let key = ApiKey::generate(&OsRandom);
    store
        .insert_account(&account("First"), key.hash())
        .await
        .unwrap();
    let second = store.insert_account(&account("Second"), key.hash()).await;
    assert!(matches!(second, Err(StoreError::Conflict)), "{second:?}");
    let (found, _) = store
        .account_by_key(key.hash())
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found.name.to_string(), "First");
}
