//! What waits: overdue deliveries for the sweeper, wake buckets and their schedules.

use crate::support::*;
use hookrelay::domain::delivery::{
    Change, Delivery, DeliveryStatus, FailureReason, KeptUrl, Outcome, SWEEP_GRACE_SECONDS,
};
use hookrelay::domain::event::Event;
use hookrelay::domain::ids::{AccountId, DeliveryId, WebhookId};
use hookrelay::domain::listing::ListParams;
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::wake::WakeBucket;
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{DeliveryFilter, Overdue, Store};

pub async fn the_sweeper_finds_pending_deliveries_past_their_sweep_time(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let url = KeptUrl::shown(&WebhookUrl::parse("https://hooks.example.com/in").expect("url"));
    let to = |due_ms| {
        Delivery::new(
            &source,
            Some(WebhookId::generate(at(0), &OsRandom)),
            url.clone(),
            at(due_ms),
        )
    };
    let (soon, later, done, failing) = (to(0), to(36_000_000), to(0), to(0));
    store
        .record_event(
            &source,
            &[soon.clone(), later.clone(), done.clone(), failing.clone()],
        )
        .await
        .unwrap();
    let delivered = attempted(attempt(1, 200), Outcome::Delivered);
    store
        .change_delivery(owner, done.id(), 0, &delivered, at(1))
        .await
        .unwrap();
    let gave_up = attempted(attempt(1, 410), Outcome::Failed(FailureReason::Gone));
    store
        .change_delivery(owner, failing.id(), 0, &gave_up, at(1))
        .await
        .unwrap();
    let overdue = |now| overdue_deliveries(store, owner, now);
    let grace = SWEEP_GRACE_SECONDS * 1000;
    assert!(
        overdue(at(grace)).await.is_empty(),
        "not before its grace ends"
    );
    assert_eq!(overdue(at(grace + 1)).await, vec![soon.id()]);
    // Swept: queued again, so not taken again before another grace period.
    let swept_at = at(grace + 2);
    store
        .change_delivery(owner, soon.id(), 0, &Change::Swept, swept_at)
        .await
        .unwrap();
    assert!(overdue(at(grace + 3)).await.is_empty());
    let mut both = vec![soon.id(), later.id()];
    both.sort();
    assert_eq!(overdue(at(36_000_000 + 2 * grace + 3)).await, both);
    failed_and_event_lists(store, &source, failing.id()).await;
}

/// The overdue deliveries at `now` (all the owner's, none attempted), in id order.
async fn overdue_deliveries(
    store: &dyn Store,
    owner: AccountId,
    now: Timestamp,
) -> Vec<DeliveryId> {
    let mut found: Vec<DeliveryId> = store
        .overdue(now, None, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|o| match o {
            Overdue::Delivery {
                account_id,
                delivery_id,
                attempts,
            } => {
                assert_eq!((account_id, attempts), (owner, 0));
                delivery_id
            }
            task => panic!("only deliveries here: {task:?}"),
        })
        .collect();
    found.sort();
    found
}

/// Failed ones are listed by status (delivered ones are in neither list);
/// the event's deliveries by its id.
async fn failed_and_event_lists(store: &dyn Store, source: &Event, failing: DeliveryId) {
    let owner = source.account_id;
    let failed = DeliveryFilter {
        statuses: vec![DeliveryStatus::Failed],
        ..DeliveryFilter::default()
    };
    let page = store
        .list_deliveries(owner, &failed, &ListParams::default(), at(5))
        .await
        .unwrap();
    assert_eq!(
        page.items.iter().map(|d| d.id()).collect::<Vec<_>>(),
        vec![failing]
    );
    let of_event = DeliveryFilter {
        event_id: Some(source.id),
        ..DeliveryFilter::default()
    };
    let page = store
        .list_deliveries(owner, &of_event, &ListParams::default(), at(5))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 4);
}

pub async fn long_waits_are_listed_by_wake_bucket_until_they_move_on(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let url = KeptUrl::shown(&WebhookUrl::parse("https://hooks.example.com/in").expect("url"));
    let due = at(7_200_000); // two hours on: beyond the queue
    let waiting: Vec<Delivery> = (0..130)
        .map(|_| {
            let to = Some(WebhookId::generate(at(0), &OsRandom));
            Delivery::new(&source, to, url.clone(), due)
        })
        .collect();
    let soon = Delivery::new(&source, None, url.clone(), at(60_000));
    let mut all = waiting.clone();
    all.push(soon.clone());
    store.record_event(&source, &all).await.unwrap();
    let bucket = waiting[0].wake().expect("a long wait has a wake bucket");
    assert_eq!(soon.wake(), None, "a short wait is the queue's");
    let listed = every_page(50, |after| async move {
        store.waiting_in(bucket, after.as_deref(), 50).await
    })
    .await;
    let mut ids: Vec<DeliveryId> = listed.iter().map(|w| w.delivery_id).collect();
    ids.sort();
    let mut expected: Vec<DeliveryId> = waiting.iter().map(|d| d.id()).collect();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(listed
        .iter()
        .all(|w| w.due == due && w.attempts == 0 && w.account_id == owner));
    // A retry an hour later moves to that hour's bucket; the sweeper's
    // touch, or an attempt, takes it out of any.
    let first = &waiting[0];
    let retried = attempted(attempt(7_200_001, 500), Outcome::RetryAt(at(10_800_000)));
    store
        .change_delivery(owner, first.id(), 0, &retried, at(7_200_002))
        .await
        .unwrap();
    let later = WakeBucket::of(first.id(), at(10_800_000));
    assert_eq!(waiting_ids(store, later, 10).await, vec![first.id()]);
    assert!(!waiting_ids(store, bucket, 200).await.contains(&first.id()));
    store
        .change_delivery(owner, first.id(), 1, &Change::Swept, at(7_300_000))
        .await
        .unwrap();
    assert!(waiting_ids(store, later, 10).await.is_empty());
}

/// The first `limit` deliveries waiting in `bucket`.
async fn waiting_ids(store: &dyn Store, bucket: WakeBucket, limit: usize) -> Vec<DeliveryId> {
    let page = store.waiting_in(bucket, None, limit).await.unwrap();
    page.items.iter().map(|w| w.delivery_id).collect()
}

pub async fn a_wake_buckets_schedule_is_claimed_once(store: &dyn Store) {
    let bucket = WakeBucket::of(DeliveryId::generate(at(0), &OsRandom), at(3_600_000));
    assert!(
        store.claim_wake(bucket).await.unwrap(),
        "the first claims it"
    );
    assert!(!store.claim_wake(bucket).await.unwrap(), "once");
    let racing = (0..8).map(|_| {
        let other = WakeBucket {
            group: (bucket.group + 1) % 16,
            ..bucket
        };
        store.claim_wake(other)
    });
    let won = futures::future::join_all(racing)
        .await
        .into_iter()
        .filter(|claimed| *claimed.as_ref().expect("claim"))
        .count();
    assert_eq!(won, 1, "racing claims: exactly one wins");
    store.release_wake(bucket).await.unwrap();
    assert!(
        store.claim_wake(bucket).await.unwrap(),
        "released: claimable again"
    );
}

pub async fn overdue_deliveries_page_through_every_shard(store: &dyn Store) {
    let owner = account("Owner").id;
    let url = KeptUrl::shown(&WebhookUrl::parse("https://hooks.example.com/in").expect("url"));
    let all: Vec<Delivery> = (0..250)
        .map(|i| {
            let source = event(owner);
            let due = if i % 5 == 0 { at(7_200_000) } else { at(0) };
            Delivery::new(&source, None, url.clone(), due)
        })
        .collect();
    store.insert_deliveries(&all).await.unwrap();
    let now = at(7_200_000 + SWEEP_GRACE_SECONDS * 1000 + 1);
    let found = every_page(100, |after| async move {
        store.overdue(now, after.as_deref(), 100).await
    })
    .await;
    let mut ids: Vec<DeliveryId> = found
        .iter()
        .filter_map(|o| match o {
            Overdue::Delivery { delivery_id, .. } => Some(*delivery_id),
            Overdue::Task { .. } => None,
        })
        .collect();
    ids.sort();
    let mut expected: Vec<DeliveryId> = all.iter().map(|d| d.id()).collect();
    expected.sort();
    assert_eq!(ids, expected, "each once, short and long waits alike");
}
