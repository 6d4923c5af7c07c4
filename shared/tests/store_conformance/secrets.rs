//! Secrets at rest: what versions before sealing kept in the clear still
//! reads, and its next write keeps it sealed (DESIGN.md §9).

use crate::support::*;
use aws_sdk_dynamodb::types::AttributeValue;
use hookrelay::adapters::aws::keys::{account_pk, encode, webhook_sk};
use hookrelay::adapters::aws::DynamoStore;
use hookrelay::domain::delivery::{Delivery, Target};
use hookrelay::domain::ids::WebhookId;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Changed, Store, WebhookStore};
use serde_json::json;

const CLEAR: &str = "https://bob:in-the-clear@hooks.example.com/in";

pub async fn urls_kept_in_the_clear_are_sealed_by_their_next_change(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let clear = |d: Delivery| with_fields(&d, json!({ "url": CLEAR }));
    let to_webhook = clear(delivery(
        &source,
        Some(WebhookId::generate(at(0), &OsRandom)),
    ));
    let ad_hoc = clear(delivery(&source, None));
    let both = [to_webhook, ad_hoc];
    store.record_event(&source, &both).await.unwrap();
    for before in &both {
        let read = store.get_delivery(owner, before.id(), at(5)).await.unwrap();
        assert_eq!(read.as_ref(), Some(before), "read as it was written");
        assert!(before.url_in_clear().is_some());
        let Changed::Applied(after) = store
            .change_delivery(owner, before.id(), 0, &claim(60_000), at(5))
            .await
            .unwrap()
        else {
            panic!("a due delivery is claimed");
        };
        let read = store.get_delivery(owner, before.id(), at(5)).await.unwrap();
        assert_eq!(read.as_ref(), Some(&after));
        assert_eq!(after.url_in_clear(), None);
        assert_eq!(
            after.url().map(ToString::to_string).as_deref(),
            Some("https://bob:****@hooks.example.com/in")
        );
        match after.target() {
            Target::Webhook(_) | Target::Poll(_) => {} // sent to the webhook's own URL
            Target::AdHoc(kept) => assert!(kept.sealed.is_some(), "the sender opens it"),
        }
    }
}

/// On DynamoDB, which keeps items across versions: a webhook item written
/// before sealing reads as it was, and its next write seals it.
pub async fn webhooks_stored_in_the_clear_read_and_are_sealed_by_their_next_write(
    store: &DynamoStore,
    table: &str,
) {
    let hook = webhook(account("A").id, 0, 0, true);
    let key = |sk: &str| {
        [
            (
                "pk".to_owned(),
                AttributeValue::S(account_pk(hook.account_id())),
            ),
            ("sk".to_owned(), AttributeValue::S(sk.to_owned())),
        ]
    };
    let sk = webhook_sk(&hook.id().to_string());
    let mut plain = encode(&hook).unwrap();
    plain.extend(key(&sk));
    let client = aws_sdk_dynamodb::Client::new(&hookrelay::adapters::aws::sdk_config().await);
    let raw = || async {
        let item = client
            .get_item()
            .table_name(table)
            .set_key(Some(key(&sk).into()))
            .send();
        format!("{:?}", item.await.unwrap().item.unwrap())
    };
    client
        .put_item()
        .table_name(table)
        .set_item(Some(plain))
        .send()
        .await
        .unwrap();
    let secret = hook.secrets().current.to_string();
    assert!(raw().await.contains(&secret[6..]), "written in the clear");
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        Some(hook.clone())
    );
    let mut changed = hook.clone();
    let read_version = changed.change(at(1), |_| {});
    store
        .update_webhook(&changed, read_version, &noted())
        .await
        .unwrap();
    let stored = raw().await;
    for secret in [&secret[6..], "bob:pw"] {
        assert!(!stored.contains(secret), "{secret} in {stored}");
    }
    assert!(stored.contains("sealed:v1:"));
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        Some(changed)
    );
}
