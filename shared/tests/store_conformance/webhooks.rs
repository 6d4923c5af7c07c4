//! Webhooks: round trips, versions, deletes, and the health senders note.

use crate::support::*;
use hookrelay::domain::delivery::DeliveryStatus;
use hookrelay::domain::health::{Health, Outcomes};
use hookrelay::domain::listing::ListParams;
use hookrelay::domain::webhook::{Secret, Webhook};
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Store, StoreError, WebhookFilter};

pub async fn webhooks_round_trip_per_account(store: &dyn Store) {
    let (a, b) = (account("A").id, account("B").id);
    let mut hook = webhook(a, 0, 0, true);
    hook.rotate_secret(Secret::generate(&OsRandom), at(5), 60);
    store.insert_webhook(&hook, &noted()).await.unwrap();
    assert_eq!(
        store.get_webhook(a, hook.id()).await.unwrap(),
        Some(hook.clone())
    );
    assert_eq!(store.get_webhook(b, hook.id()).await.unwrap(), None);
    let listed = store
        .list_webhooks(b, &WebhookFilter::default(), &ListParams::default())
        .await
        .unwrap();
    assert!(listed.items.is_empty());
}

fn note(status: DeliveryStatus, seconds: i64) -> Outcomes {
    let mut outcomes = Outcomes::default();
    outcomes.add(status, at(seconds));
    outcomes
}

const KEPT_UNTIL: i64 = 2_000_000_000;

pub async fn the_last_delivery_is_noted_without_touching_the_rest(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook, &noted()).await.unwrap();
    let last = note(DeliveryStatus::Failed, 9);
    let health = store
        .record_outcome(hook.account_id(), hook.id(), &last, KEPT_UNTIL)
        .await
        .unwrap();
    let mut expected = hook.clone();
    expected.note(&last);
    assert_eq!(health, expected.health());
    assert_eq!(read(store, &hook).await, Some(expected.clone()));
    let listed = store
        .list_webhooks(
            hook.account_id(),
            &WebhookFilter::default(),
            &ListParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(listed.items, vec![expected.clone()]);
    // Not version-guarded, and kept apart: a later PATCH (whatever health
    // it carries) neither waits for it nor undoes it.
    let mut expected = expected.clone();
    expected.change(expected.updated_at(), |_| {});
    let mut patched = expected.clone();
    patched.lay_health(Health::default());
    patched.lay_last_delivery(None);
    store.update_webhook(&patched, 1, &noted()).await.unwrap();
    assert_eq!(read(store, &hook).await, Some(expected.clone()));
    // Switched on again: the run of failures is forgotten, the last delivery kept.
    store
        .reset_health(hook.account_id(), hook.id())
        .await
        .unwrap();
    let fresh = read(store, &hook).await.expect("webhook");
    assert_eq!(
        (fresh.health(), fresh.last_delivery()),
        (Health::default(), expected.last_delivery())
    );
    // A deleted webhook stays deleted, whatever is noted after.
    assert!(store
        .delete_webhook(hook.account_id(), hook.id(), &noted())
        .await
        .unwrap());
    store
        .record_outcome(hook.account_id(), hook.id(), &last, KEPT_UNTIL)
        .await
        .unwrap();
    assert_eq!(read(store, &hook).await, None);
}

/// The webhook as stored now.
async fn read(store: &dyn Store, hook: &Webhook) -> Option<Webhook> {
    store
        .get_webhook(hook.account_id(), hook.id())
        .await
        .unwrap()
}

pub async fn a_run_of_failures_is_counted_and_a_success_ends_it(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook, &noted()).await.unwrap();
    let (account_id, id) = (hook.account_id(), hook.id());
    let record = |outcomes: Outcomes| async move {
        store
            .record_outcome(account_id, id, &outcomes, KEPT_UNTIL)
            .await
            .unwrap()
    };
    // Concurrent notes each count, one failure or several at a time.
    let mut two = note(DeliveryStatus::Failed, 15);
    two.add(DeliveryStatus::Failed, at(16));
    let failures = (10..15)
        .map(|s| note(DeliveryStatus::Failed, s))
        .chain([two]);
    futures::future::join_all(failures.map(record)).await;
    let health = record(note(DeliveryStatus::Scheduled, 20)).await;
    assert_eq!(health.consecutive_failures, 7);
    assert!(health
        .failing_since
        .is_some_and(|t| t >= at(10) && t <= at(15)));
    let healed = record(note(DeliveryStatus::Delivered, 30)).await;
    assert_eq!(
        healed,
        Health {
            consecutive_failures: 0,
            failing_since: None,
            last_success_at: Some(at(30)),
        }
    );
    let again = record(note(DeliveryStatus::Failed, 40)).await;
    assert_eq!(
        (
            again.consecutive_failures,
            again.failing_since,
            again.last_success_at
        ),
        (1, Some(at(40)), Some(at(30)))
    );
    // A success and the failures after it, in one write: the run starts there.
    let mut batch = note(DeliveryStatus::Delivered, 50);
    batch.add(DeliveryStatus::Failed, at(51));
    batch.add(DeliveryStatus::Failed, at(52));
    assert_eq!(
        record(batch).await,
        Health {
            consecutive_failures: 2,
            failing_since: Some(at(51)),
            last_success_at: Some(at(50)),
        }
    );
}

pub async fn inserting_an_existing_webhook_conflicts(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook, &noted()).await.unwrap();
    let again = store.insert_webhook(&hook, &noted()).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
}

pub async fn updates_are_guarded_by_version(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook, &noted()).await.unwrap();
    let mut changed = hook.clone();
    changed.change(at(10), |w| w.switch(false, at(10)));
    store.update_webhook(&changed, 1, &noted()).await.unwrap();
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        Some(changed.clone())
    );
    // A writer that read version 1 lost the race.
    let stale = store.update_webhook(&hook, 1, &noted()).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    // An update racing a delete does not resurrect the webhook.
    assert!(store
        .delete_webhook(hook.account_id(), hook.id(), &noted())
        .await
        .unwrap());
    let gone = store.update_webhook(&changed, 2, &noted()).await;
    assert!(matches!(gone, Err(StoreError::Conflict)), "{gone:?}");
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        None
    );
}

pub async fn delete_reports_whether_it_existed(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook, &noted()).await.unwrap();
    assert!(!store
        .delete_webhook(account("B").id, hook.id(), &noted())
        .await
        .unwrap());
    assert!(store
        .delete_webhook(hook.account_id(), hook.id(), &noted())
        .await
        .unwrap());
    assert!(!store
        .delete_webhook(hook.account_id(), hook.id(), &noted())
        .await
        .unwrap());
}
