//! Deliveries: batched writes and the guarded changes of one.

use crate::support::*;
use hookrelay::domain::delivery::{
    Change, Delivery, DeliveryStatus, FailureReason, Outcome, SWEEP_GRACE_SECONDS,
};
use hookrelay::domain::event::JsonText;
use hookrelay::domain::ids::{AccountId, DeliveryId, WebhookId};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::wake::WakeBucket;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Changed, Store};

pub async fn deliveries_round_trip_in_batches_and_changes_are_guarded(store: &dyn Store) {
    let (owner, stranger) = (account("Owner").id, account("Other").id);
    let deliveries = recorded_in_a_batch(store, owner, stranger).await;
    let mut expected = deliveries[0].clone();
    an_attempt_is_recorded_once(store, &mut expected, stranger).await;
    only_a_reopen_or_requeue_changes_a_final_state(store, &mut expected).await;
    the_log_keeps_the_last_attempts(store, &deliveries[1]).await;
    deletes_are_batched_and_skip_what_is_gone(store, &deliveries, stranger).await;
}

/// The delivery as read at 5 ms (before any of them expires).
async fn read(store: &dyn Store, owner: AccountId, id: DeliveryId) -> Option<Delivery> {
    store.get_delivery(owner, id, at(5)).await.unwrap()
}

/// An event and 30 deliveries recorded at once, read back by their owner only.
async fn recorded_in_a_batch(
    store: &dyn Store,
    owner: AccountId,
    stranger: AccountId,
) -> Vec<Delivery> {
    let source = event(owner);
    let deliveries: Vec<Delivery> = (0..30)
        .map(|_| delivery(&source, Some(WebhookId::generate(at(0), &OsRandom))))
        .collect();
    store.record_event(&source, &deliveries).await.unwrap();
    assert_eq!(
        store.get_event(owner, source.id, at(5)).await.unwrap(),
        Some(source.clone())
    );
    for d in &deliveries {
        assert_eq!(read(store, owner, d.id()).await.as_ref(), Some(d));
    }
    assert_eq!(read(store, stranger, deliveries[0].id()).await, None);
    let unknown = DeliveryId::generate(at(0), &OsRandom);
    let asked = [deliveries[0].id(), unknown];
    assert_eq!(
        store.missing_deliveries(owner, &asked).await.unwrap(),
        vec![unknown]
    );
    assert_eq!(
        store.missing_deliveries(stranger, &asked).await.unwrap(),
        asked.to_vec()
    );
    deliveries
}

/// An attempt is recorded exactly as the domain applies it, once.
async fn an_attempt_is_recorded_once(
    store: &dyn Store,
    expected: &mut Delivery,
    stranger: AccountId,
) {
    let (owner, id) = (expected.account_id(), expected.id());
    let failed_once = attempted(attempt(2, 500), Outcome::RetryAt(at(5_000)));
    let applied = store
        .change_delivery(owner, id, 0, &failed_once, at(3))
        .await
        .unwrap();
    expected.apply(&failed_once, at(3));
    assert_eq!(applied, Changed::Applied(expected.clone()));
    assert_eq!(read(store, owner, id).await.as_ref(), Some(&*expected));
    // The same attempt again (a duplicate message, or the SDK sending a
    // write again after it landed) is refused, and shows what is there.
    let again = store
        .change_delivery(owner, id, 0, &failed_once, at(4))
        .await
        .unwrap();
    assert_eq!(again, Changed::Refused(Some(expected.clone())));
    assert!(expected.shows_attempt(0, &attempt(2, 500)));
    // A stranger, or an unknown delivery, finds nothing.
    let theirs = store
        .change_delivery(stranger, id, 1, &failed_once, at(4))
        .await
        .unwrap();
    assert_eq!(theirs, Changed::Refused(None));
    let unknown = DeliveryId::generate(at(0), &OsRandom);
    let gone = store
        .change_delivery(owner, unknown, 0, &failed_once, at(4))
        .await
        .unwrap();
    assert_eq!(gone, Changed::Refused(None));
}

/// Applies `change` (expecting `attempts`) at `now` to the store and to
/// `expected`, and reads back what the domain made of it.
async fn change_as_expected(
    store: &dyn Store,
    expected: &mut Delivery,
    attempts: u32,
    change: &Change,
    now: Timestamp,
) {
    let (owner, id) = (expected.account_id(), expected.id());
    store
        .change_delivery(owner, id, attempts, change, now)
        .await
        .unwrap();
    expected.apply(change, now);
    assert_eq!(read(store, owner, id).await.as_ref(), Some(&*expected));
}

/// Delivered is final: only a reopen (manual retry) or a requeue (replay)
/// of it as it was when the replay began changes it. Failed keeps its
/// reason, and a requeue clears it.
async fn only_a_reopen_or_requeue_changes_a_final_state(
    store: &dyn Store,
    expected: &mut Delivery,
) {
    let delivered = attempted(attempt(6, 200), Outcome::Delivered);
    change_as_expected(store, expected, 1, &delivered, at(7)).await;
    for refused in [
        delivered.clone(),
        // A replay that began before it was delivered.
        requeue(8, 7),
        Change::Swept,
    ] {
        let result = store
            .change_delivery(expected.account_id(), expected.id(), 2, &refused, at(8))
            .await
            .unwrap();
        assert!(matches!(result, Changed::Refused(Some(_))), "{refused:?}");
    }
    let reopen = Change::Reopened {
        lease_until: at(70_000),
    };
    change_as_expected(store, expected, 2, &reopen, at(9)).await;
    assert_eq!(expected.status(), DeliveryStatus::Dispatched);

    let why = FailureReason::AttemptsExhausted;
    let gave_up = attempted(attempt(10, 500), Outcome::Failed(why));
    change_as_expected(store, expected, 2, &gave_up, at(10)).await;
    assert_eq!(expected.failure_reason(), Some(why));
    change_as_expected(store, expected, 3, &requeue(11, 11), at(11)).await;
    assert_eq!(expected.failure_reason(), None);
}

/// A replay's requeue, due at `due_ms`, of a delivery unchanged since `began_ms`.
fn requeue(due_ms: i64, began_ms: i64) -> Change {
    Change::Requeued {
        due: at(due_ms),
        unchanged_since: at(began_ms),
    }
}

/// A replay sends a final delivery again once: its requeue applies to the
/// delivery as it was when the replay began, and to nothing it became after
/// (the same page worked again, before or after the new attempt).
pub async fn a_replay_requeues_a_final_delivery_once(store: &dyn Store) {
    let (owner, due) = recorded_due(store, 0).await;
    let id = due.id();
    let change = |attempts, change: Change, now_ms| async move {
        store
            .change_delivery(owner, id, attempts, &change, at(now_ms))
            .await
            .unwrap()
    };
    let sent = attempted(attempt(3, 200), Outcome::Delivered);
    assert!(matches!(change(0, sent, 3).await, Changed::Applied(_)));
    let late = change(1, requeue(5, 3), 5).await;
    assert!(
        matches!(late, Changed::Refused(Some(_))),
        "changed as it began: {late:?}"
    );
    let Changed::Applied(queued) = change(1, requeue(5, 4), 5).await else {
        panic!("a delivery unchanged since the replay began is queued again");
    };
    assert_eq!(
        (queued.status(), queued.next_attempt_at(), queued.attempts()),
        (DeliveryStatus::Scheduled, Some(at(5)), 1)
    );
    let twice = change(1, requeue(5, 4), 5).await;
    assert!(matches!(twice, Changed::Refused(Some(_))), "{twice:?}");
    assert!(matches!(
        change(1, claim(60_000), 6).await,
        Changed::Applied(_)
    ));
    let again = attempted(attempt(7, 500), Outcome::Failed(FailureReason::Gone));
    assert!(matches!(change(1, again, 7).await, Changed::Applied(_)));
    let after = change(2, requeue(8, 4), 8).await;
    assert!(
        matches!(after, Changed::Refused(Some(_))),
        "sent once: {after:?}"
    );
    let next = change(2, requeue(9, 8), 9).await;
    assert!(
        matches!(next, Changed::Applied(_)),
        "a later replay: {next:?}"
    );
}

/// The log keeps the last 20 attempts; `attempts` stays exact.
async fn the_log_keeps_the_last_attempts(store: &dyn Store, busy: &Delivery) {
    let owner = busy.account_id();
    for i in 0..25u32 {
        let change = attempted(
            attempt(100 + i64::from(i), 500 + i as u16),
            Outcome::RetryAt(at(900_000)),
        );
        store
            .change_delivery(owner, busy.id(), i, &change, at(100 + i64::from(i)))
            .await
            .unwrap();
    }
    let busy = read(store, owner, busy.id()).await.unwrap();
    assert_eq!(busy.attempts(), 25);
    let codes: Vec<u16> = busy.log().iter().map(|a| a.code).collect();
    assert_eq!(codes, (505..525).collect::<Vec<u16>>());
    assert_eq!(busy.code(), 524);
}

/// Expired deliveries are not read; deletes are batched, and ids already
/// gone, or another account's, are skipped.
async fn deletes_are_batched_and_skip_what_is_gone(
    store: &dyn Store,
    deliveries: &[Delivery],
    stranger: AccountId,
) {
    let (owner, first) = (deliveries[0].account_id(), &deliveries[0]);
    let expired = Timestamp::from_millis(first.expires_at() * 1000).unwrap();
    assert_eq!(
        store
            .get_delivery(owner, first.id(), expired)
            .await
            .unwrap(),
        None
    );
    let doomed: Vec<DeliveryId> = deliveries[..27].iter().map(|d| d.id()).collect();
    store
        .delete_deliveries(stranger, &doomed[27 - 1..])
        .await
        .unwrap();
    assert!(
        read(store, owner, doomed[26]).await.is_some(),
        "not the stranger's to delete"
    );
    store.delete_deliveries(owner, &doomed).await.unwrap();
    store.delete_deliveries(owner, &doomed[..3]).await.unwrap();
    for id in &doomed {
        assert_eq!(read(store, owner, *id).await, None);
    }
    assert!(read(store, owner, deliveries[29].id()).await.is_some());
}

pub async fn a_claim_takes_a_due_delivery_once_until_its_lease_ends(store: &dyn Store) {
    let (owner, due) = recorded_due(store, 5_000).await;
    let due_id = due.id();
    let change = |attempts, change: Change, now_ms| {
        let change = change.clone();
        async move {
            store
                .change_delivery(owner, due_id, attempts, &change, at(now_ms))
                .await
                .unwrap()
        }
    };
    // Not due yet: refused, and the answer says when it is.
    let early = change(0, claim(60_000), 4_999).await;
    assert!(
        matches!(&early, Changed::Refused(Some(d)) if d.next_attempt_at() == Some(at(5_000))),
        "{early:?}"
    );
    // Due: taken, leased; a second claim meanwhile is refused.
    let taken = change(0, claim(60_000), 5_000).await;
    let Changed::Applied(claimed) = taken else {
        panic!("claimed: {taken:?}");
    };
    assert_eq!(
        (
            claimed.status(),
            claimed.lease_until(),
            claimed.next_attempt_at()
        ),
        (DeliveryStatus::Dispatched, Some(at(60_000)), None)
    );
    assert_eq!(
        claimed.sweep_at(),
        due.sweep_at(),
        "a claim moves no sweep entry"
    );
    let rival = change(0, claim(70_000), 10_000).await;
    assert!(matches!(rival, Changed::Refused(Some(_))), "{rival:?}");
    // The lease ends: another sender may take it (the first one died).
    let after = change(0, claim(90_000), 60_001).await;
    assert!(matches!(after, Changed::Applied(_)), "{after:?}");
    // Once the attempt is recorded, a claim for it is stale.
    let sent = attempted(attempt(60_002, 200), Outcome::Delivered);
    assert!(matches!(change(0, sent, 60_003).await, Changed::Applied(_)));
    let stale = change(0, claim(99_000), 60_004).await;
    assert!(matches!(stale, Changed::Refused(Some(d)) if d.status().is_final()));
}

pub async fn a_held_slot_is_kept_until_the_attempt(store: &dyn Store) {
    let (owner, fresh) = recorded_due(store, 0).await;
    let slot = at(3_600_000);
    let id = fresh.id();
    let apply = |change: Change, now: Timestamp| async move {
        match store.change_delivery(owner, id, 0, &change, now).await {
            Ok(Changed::Applied(delivery)) => delivery,
            other => panic!("{change:?} refused: {other:?}"),
        }
    };
    let waiting = apply(Change::Held { slot }, at(1)).await;
    assert_eq!(
        (
            waiting.status(),
            waiting.held_slot(),
            waiting.next_attempt_at()
        ),
        (DeliveryStatus::Scheduled, Some(slot), Some(slot))
    );
    assert_eq!(waiting.wake(), Some(WakeBucket::of(fresh.id(), slot)));
    assert_eq!(
        waiting.sweep_at(),
        Some(slot.plus_seconds(SWEEP_GRACE_SECONDS))
    );
    // Woken and claimed at its slot, it still holds it; the attempt ends that.
    let claimed = apply(claim(3_700_000), slot).await;
    assert_eq!(claimed.held_slot(), Some(slot));
    let sent = attempted(attempt(3_600_001, 200), Outcome::Delivered);
    let done = apply(sent, at(3_600_002)).await;
    assert_eq!(
        (done.held_slot(), done.wake(), done.sweep_at()),
        (None, None, None)
    );
}

/// A body its webhook shapes is kept from fan-out, replaced by each attempt
/// with what it sent, and dropped when an attempt sends the default body;
/// a failure without an attempt leaves it.
pub async fn a_shaped_body_is_kept_as_last_sent(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let text = |json: &str| JsonText::parse(json).unwrap();
    let fresh = delivery(&source, Some(WebhookId::generate(at(0), &OsRandom)))
        .shaped(Some(text(r#"{"planned": true}"#)));
    store
        .record_event(&source, std::slice::from_ref(&fresh))
        .await
        .unwrap();
    assert_eq!(read(store, owner, fresh.id()).await, Some(fresh.clone()));
    let id = fresh.id();
    let apply = |change: Change, attempts: u32, now: i64| async move {
        match store
            .change_delivery(owner, id, attempts, &change, at(now))
            .await
        {
            Ok(Changed::Applied(delivery)) => delivery,
            other => panic!("{change:?} refused: {other:?}"),
        }
    };
    let sent = |body: Option<JsonText>, outcome| Change::Attempted {
        attempt: Some(attempt(2, 500)),
        outcome,
        body,
    };
    let retry = Outcome::RetryAt(at(4));
    let first = apply(sent(Some(text(r#"{"sent": 1}"#)), retry), 0, 3).await;
    assert_eq!(
        first.sent_body().map(JsonText::as_str),
        Some(r#"{"sent": 1}"#)
    );
    let plain = apply(sent(None, retry), 1, 5).await;
    assert_eq!(plain.sent_body(), None);
    let shaped = apply(sent(Some(text("[2]")), retry), 2, 6).await;
    let expired = Change::Attempted {
        attempt: None,
        outcome: Outcome::Failed(FailureReason::TransformFailed),
        body: None,
    };
    let failed = apply(expired, 3, 7).await;
    assert_eq!(failed.sent_body(), shaped.sent_body());
    assert_eq!(read(store, owner, id).await, Some(failed));
}
