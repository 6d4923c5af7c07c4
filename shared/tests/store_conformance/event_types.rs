//! The event-type catalogue.

use crate::support::*;
use hookrelay::domain::event_type::{EventType, EventTypeChanges, Example};
use hookrelay::ports::store::{Store, StoreError};

pub async fn the_event_type_catalogue_pages_in_name_order_per_account(store: &dyn Store) {
    let (acme, other) = (account("acme").id, account("other").id);
    // A webhook shares the account's partition; it must not show in the catalogue.
    store
        .insert_webhook(&webhook(acme, 0, 0, true), &noted())
        .await
        .unwrap();
    let names = [
        "user.deleted",
        "order.paid",
        "user.created",
        "invoice.sent",
        "user_x.a",
        "order.refunded",
        "a-b.c",
    ];
    for name in names {
        let example = Example::parse("{\"id\": 1E15}").ok();
        let t = event_type(acme, name, example, 1);
        store.insert_event_type(&t, &noted()).await.unwrap();
    }
    let elsewhere = event_type(other, "user.created", None, 1);
    store.insert_event_type(&elsewhere, &noted()).await.unwrap();
    let again = event_type(acme, "order.paid", None, 2);
    assert!(matches!(
        store.insert_event_type(&again, &noted()).await,
        Err(StoreError::Conflict)
    ));

    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.sort();
    for limit in [1, 3, 7, 100] {
        let all = every_page(limit, |after| async move {
            store.list_event_types(acme, after.as_deref(), limit).await
        })
        .await;
        let listed: Vec<String> = all.iter().map(EventType::key).collect();
        assert_eq!(listed, expected, "limit {limit}");
    }
}

pub async fn event_types_change_and_delete_in_their_account_only(store: &dyn Store) {
    let (acme, other) = (account("acme").id, account("other").id);
    for (owner, name) in [(acme, "order.paid"), (other, "user.created")] {
        let example = Example::parse("{\"id\": 1E15}").ok();
        let t = event_type(owner, name, example, 1);
        store.insert_event_type(&t, &noted()).await.unwrap();
    }
    let mut paid = store
        .get_event_type(acme, &kind("order.paid"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        paid.example.as_ref().map(Example::as_str),
        Some("{\"id\": 1E15}")
    );
    paid.change(
        EventTypeChanges {
            example: Some(None),
            ..Default::default()
        },
        at(5),
    )
    .unwrap();
    store.update_event_type(&paid, &noted()).await.unwrap();
    let read = store
        .get_event_type(acme, &kind("order.paid"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((read.example, read.updated_at), (None, at(5)));

    assert!(store
        .delete_event_type(acme, &kind("order.paid"), &noted())
        .await
        .unwrap());
    assert!(!store
        .delete_event_type(acme, &kind("order.paid"), &noted())
        .await
        .unwrap());
    assert!(matches!(
        store.update_event_type(&paid, &noted()).await,
        Err(StoreError::Conflict)
    ));
    assert!(store
        .get_event_type(other, &kind("order.paid"))
        .await
        .unwrap()
        .is_none());
    assert!(store
        .get_event_type(other, &kind("user.created"))
        .await
        .unwrap()
        .is_some());
}
