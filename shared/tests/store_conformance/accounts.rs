//! Accounts, each made with its first API key.

use crate::support::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hookrelay::domain::account::ApiKey;
use hookrelay::domain::api_key::{ApiKeyRecord, NewKey, Scope};
use hookrelay::domain::branding::{AccentColor, Branding, Logo};
use hookrelay::domain::webhook::Name;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Store, StoreError};

pub async fn accounts_are_found_by_key_hash_only(store: &dyn Store) {
    let acme = account("Acme");
    let (first, key) = ApiKeyRecord::issue(&acme, NewKey::first(), at(0), &OsRandom);
    store.insert_account(&acme, &first, &noted()).await.unwrap();
    let found = store
        .api_key_by_hash(key.hash())
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found, first);
    assert_eq!(found.account(), &acme);
    assert_eq!(found.scope(), Scope::Full);
    assert!(found.key_hash().matches(&key.hash()));
    let other = ApiKey::generate(&OsRandom);
    assert!(store.api_key_by_hash(other.hash()).await.unwrap().is_none());
    let listed = store.list_api_keys(acme.id, None, 100).await.unwrap();
    assert_eq!(listed.items, [first]);
}

pub async fn a_key_hash_belongs_to_one_account(store: &dyn Store) {
    let key = ApiKey::generate(&OsRandom);
    let first = |name: &str| {
        let owner = account(name);
        let record = ApiKeyRecord::of(&owner, &key, NewKey::first(), at(0), &OsRandom);
        (owner, record)
    };
    let (one, its_key) = first("First");
    store
        .insert_account(&one, &its_key, &noted())
        .await
        .unwrap();
    let (two, same_key) = first("Second");
    let second = store.insert_account(&two, &same_key, &noted()).await;
    assert!(matches!(second, Err(StoreError::Conflict)), "{second:?}");
    let found = store
        .api_key_by_hash(key.hash())
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found.account().name.to_string(), "First");
    let listed = store.list_api_keys(two.id, None, 100).await.unwrap();
    assert!(listed.items.is_empty(), "{listed:?}");
}

pub async fn branding_is_kept_per_account_and_replaced_whole(store: &dyn Store) {
    let (acme, other) = (account("Acme"), account("Other"));
    assert_eq!(
        store.get_branding(acme.id).await.unwrap(),
        Branding::default()
    );
    // The largest logo: 64 KiB fits in one item beside the rest.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(Logo::MAX_BYTES, 7);
    let logo = format!("data:image/png;base64,{}", STANDARD.encode(&png));
    let branded = Branding {
        display_name: Some(Name::parse("Acme Cloud").unwrap()),
        accent_color: Some(AccentColor::parse("#0a7cff").unwrap()),
        logo: Some(Logo::parse(&logo).unwrap()),
    };
    let first = noted();
    store.put_branding(acme.id, &branded, &first).await.unwrap();
    assert_eq!(store.get_branding(acme.id).await.unwrap(), branded);
    assert_eq!(
        store.get_branding(other.id).await.unwrap(),
        Branding::default()
    );

    let plainer = Branding {
        logo: None,
        ..branded.clone()
    };
    store
        .put_branding(acme.id, &plainer, &noted())
        .await
        .unwrap();
    assert_eq!(store.get_branding(acme.id).await.unwrap(), plainer);
    // A record whose id is taken stops its change: nothing is written.
    let again = store.put_branding(acme.id, &branded, &first).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    assert_eq!(store.get_branding(acme.id).await.unwrap(), plainer);
}
