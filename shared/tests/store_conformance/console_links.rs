//! Console links.

use crate::support::*;
use hookrelay::domain::console_link::ConsoleLink;
use hookrelay::domain::embed_origin::parse_list;
use hookrelay::domain::ids::{AccountId, ConsoleLinkId};
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::Store;

pub async fn console_links_open_until_revoked_or_expired(store: &dyn Store) {
    let (acme, other) = (account("acme"), account("other"));
    let mut links = Vec::new();
    for ttl in [60, 3600, 3600, 7200] {
        let (mut link, token) = ConsoleLink::mint(&acme, ttl == 7200, ttl, at(0), &OsRandom);
        if ttl == 60 {
            let origins = ["https://app.example.com", "http://127.0.0.1:4567"];
            link.embed_origins = parse_list(&origins, false).unwrap();
        }
        store.insert_console_link(&link, &noted()).await.unwrap();
        links.push((link, token));
    }
    let (foreign, _) = ConsoleLink::mint(&other, false, 3600, at(0), &OsRandom);
    store.insert_console_link(&foreign, &noted()).await.unwrap();

    let (short, token) = &links[0];
    let read = get(store, acme.id, short.id, at(0)).await;
    // With the origins that may frame it.
    assert_eq!(read.as_ref(), Some(short));
    assert_eq!(read.as_ref().map(|l| l.embed_origins.len()), Some(2));
    assert!(read.is_some_and(|link| link.admits(&token.hash(), at(0))));
    let later = at(120_000);
    assert_eq!(get(store, acme.id, short.id, later).await, None);
    assert_eq!(get(store, other.id, short.id, at(0)).await, None);

    let ids = |links: &[ConsoleLink]| links.iter().map(|l| l.id).collect::<Vec<ConsoleLinkId>>();
    let mut live: Vec<ConsoleLinkId> = links[1..].iter().map(|(l, _)| l.id).collect();
    live.sort();
    let listed = every_page(2, |after| async move {
        store
            .list_console_links(acme.id, after.as_deref(), 2, later)
            .await
    })
    .await;
    assert_eq!(ids(&listed), live);

    let revoked = live[0];
    assert!(store
        .delete_console_link(acme.id, revoked, &noted())
        .await
        .unwrap());
    assert!(!store
        .delete_console_link(acme.id, revoked, &noted())
        .await
        .unwrap());
    assert_eq!(get(store, acme.id, revoked, at(0)).await, None);
    let listed = store
        .list_console_links(acme.id, None, 100, later)
        .await
        .unwrap();
    assert_eq!(ids(&listed.items), live[1..].to_vec());
    assert_eq!(listed.next, None);
}

/// The link as read at `now`.
async fn get(
    store: &dyn Store,
    account: AccountId,
    id: ConsoleLinkId,
    now: Timestamp,
) -> Option<ConsoleLink> {
    store.get_console_link(account, id, now).await.unwrap()
}
