//! A poll webhook's feed: its deliveries waiting to be fetched, read in
//! order from its own keys once due; an acknowledged or failed one leaves
//! it, one offered again comes back at its end.

use crate::support::*;
use hookrelay::domain::delivery::{Change, Delivery, DeliveryStatus, FailureReason, Outcome};
use hookrelay::domain::ids::{AccountId, WebhookId};
use hookrelay::domain::listing::ListParams;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Changed, DeliveryFilter, Store};

/// A feed read at `now_ms`, `limit` at a time: its deliveries and whether more follow.
async fn feed(
    store: &dyn Store,
    owner: AccountId,
    hook: WebhookId,
    now_ms: i64,
    limit: usize,
) -> (Vec<Delivery>, bool) {
    let page = store
        .poll_feed(owner, hook, at(-1_000), at(now_ms), limit)
        .await
        .unwrap();
    (page.items, page.next.is_some())
}

/// `hook`'s deliveries of new events, each due at its offset, recorded as
/// ingest records them; in the order a feed lists them.
async fn recorded(
    store: &dyn Store,
    owner: AccountId,
    hook: WebhookId,
    due: &[i64],
) -> Vec<Delivery> {
    let mut made = Vec::new();
    for due_ms in due {
        let source = event(owner);
        let polled = Delivery::polled(&source, hook, at(*due_ms));
        store
            .record_event(&source, std::slice::from_ref(&polled))
            .await
            .unwrap();
        made.push(polled);
    }
    made.sort_by_key(|d| (d.next_attempt_at(), d.id()));
    made
}

pub async fn a_poll_feed_hands_out_what_is_due_in_order_until_acknowledged(store: &dyn Store) {
    let (owner, stranger) = (account("Owner").id, account("Other").id);
    let hook = WebhookId::generate(at(0), &OsRandom);
    let mut waiting = recorded(store, owner, hook, &[0, 0, 0, 5_000]).await;
    // Another webhook's (a poll one, and a push one) are in no feed of `hook`'s.
    recorded(store, owner, WebhookId::generate(at(0), &OsRandom), &[0]).await;
    let source = event(owner);
    let pushed = delivery(&source, Some(hook));
    store.record_event(&source, &[pushed]).await.unwrap();

    assert_eq!(waiting[3].status(), DeliveryStatus::Scheduled);
    assert_eq!(
        feed(store, owner, hook, 10, 2).await,
        (waiting[..2].to_vec(), true)
    );
    assert_eq!(
        feed(store, owner, hook, 10, 10).await,
        (waiting[..3].to_vec(), false)
    );
    // A delayed one joins once due; a stranger sees none of it.
    assert_eq!(
        feed(store, owner, hook, 5_000, 10).await,
        (waiting.clone(), false)
    );
    assert_eq!(
        feed(store, stranger, hook, 5_000, 10).await,
        (vec![], false)
    );

    acknowledged_ones_leave(store, &mut waiting, hook).await;
    offered_again_at_the_end(store, &mut waiting, hook).await;
    failed_or_deleted_ones_leave(store, &waiting, hook).await;
    // Expired ones are never handed out, even before TTL removes them.
    let past_retention = at(0).plus_seconds(61 * 86_400).millis() - at(0).millis();
    assert_eq!(
        feed(store, owner, hook, past_retention, 10).await,
        (vec![], false)
    );
}

fn ack(hook: WebhookId, handed_out_ms: i64) -> Change {
    Change::Acknowledged {
        webhook: hook,
        handed_out_at: at(handed_out_ms),
    }
}

/// Applies `change` at `now_ms` to the store and to `expected`: whether it applied.
async fn change(store: &dyn Store, expected: &mut Delivery, change: &Change, now_ms: i64) -> bool {
    let (owner, id) = (expected.account_id(), expected.id());
    match store
        .change_delivery(owner, id, 0, change, at(now_ms))
        .await
        .unwrap()
    {
        Changed::Applied(after) => {
            expected.apply(change, at(now_ms));
            assert_eq!(&after, expected);
            true
        }
        Changed::Refused(_) => false,
    }
}

/// An acknowledgement marks one `delivered` once, only from its own
/// webhook, and only as it was handed out.
async fn acknowledged_ones_leave(store: &dyn Store, waiting: &mut Vec<Delivery>, hook: WebhookId) {
    let owner = waiting[0].account_id();
    let other = WebhookId::generate(at(0), &OsRandom);
    assert!(
        !change(store, &mut waiting[0], &ack(other, 10), 20).await,
        "another webhook's cursor"
    );
    assert!(change(store, &mut waiting[0], &ack(hook, 10), 20).await);
    assert_eq!(waiting[0].status(), DeliveryStatus::Delivered);
    assert!(
        !change(store, &mut waiting[0], &ack(hook, 10), 21).await,
        "once"
    );
    let done = waiting.remove(0);
    assert_eq!(
        feed(store, owner, hook, 5_000, 10).await,
        (waiting.clone(), false)
    );
    waiting.push(done);
}

/// A delivered one offered again (a retry, a replay) is back, last; a
/// cursor from before that does not acknowledge it.
async fn offered_again_at_the_end(store: &dyn Store, waiting: &mut [Delivery], hook: WebhookId) {
    let owner = waiting[0].account_id();
    let done = waiting.len() - 1;
    let again = |since| Change::Reoffered {
        webhook: hook,
        unchanged_since: since,
    };
    assert!(
        !change(store, &mut waiting[done], &again(Some(at(20))), 6_000).await,
        "changed since"
    );
    assert!(change(store, &mut waiting[done], &again(None), 6_000).await);
    assert_eq!(waiting[done].status(), DeliveryStatus::Created);
    assert!(
        !change(store, &mut waiting[done], &again(None), 6_001).await,
        "pending already"
    );
    assert_eq!(
        feed(store, owner, hook, 6_000, 10).await,
        (waiting.to_vec(), false)
    );
    assert!(!change(store, &mut waiting[done], &ack(hook, 5_999), 6_100).await);
    assert!(change(store, &mut waiting[done], &ack(hook, 6_000), 6_100).await);
}

/// One that cannot be handed out fails (and is listed among the failed);
/// a deleted one is gone from the feed too.
async fn failed_or_deleted_ones_leave(store: &dyn Store, waiting: &[Delivery], hook: WebhookId) {
    let owner = waiting[0].account_id();
    let mut failing = waiting[0].clone();
    let why = FailureReason::TransformFailed;
    let failed = Change::Attempted {
        attempt: None,
        outcome: Outcome::Failed(why),
        body: None,
    };
    assert!(change(store, &mut failing, &failed, 6_200).await);
    let failed_only = DeliveryFilter {
        statuses: vec![DeliveryStatus::Failed],
        ..DeliveryFilter::default()
    };
    let listed = store
        .list_deliveries(owner, &failed_only, &ListParams::default(), at(6_200))
        .await
        .unwrap();
    assert_eq!(listed.items, vec![failing]);
    store
        .delete_deliveries(owner, &[waiting[1].id()])
        .await
        .unwrap();
    let left = feed(store, owner, hook, 6_300, 10).await;
    assert_eq!(left, (waiting[2..3].to_vec(), false));
}
