//! Send slots of rate-limited webhooks.

use crate::support::*;
use hookrelay::domain::ids::WebhookId;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::Store;

pub async fn send_slots_are_handed_out_once_each_at_the_rate(store: &dyn Store) {
    let (webhook, other) = (
        webhook(account("a").id, 0, 0, true).id(),
        WebhookId::generate(at(1), &OsRandom),
    );
    let now = BASE_MS * 1000;
    let every = 20_000; // 50 a second
    let reserve = |webhook, item, now| store.reserve_send_slot(webhook, item, every, now);
    // Idle: at once; then one interval apart, in order; per webhook and item.
    assert_eq!(reserve(webhook, 0, now).await.unwrap(), now);
    assert_eq!(reserve(webhook, 0, now).await.unwrap(), now + every);
    assert_eq!(reserve(other, 0, now).await.unwrap(), now);
    assert_eq!(reserve(webhook, 1, now).await.unwrap(), now);
    // Senders at once get distinct slots, one interval after another.
    let racing = (0..10).map(|_| reserve(webhook, 0, now + 1));
    let mut slots: Vec<i64> = futures::future::join_all(racing)
        .await
        .into_iter()
        .map(|slot| slot.expect("a slot"))
        .collect();
    slots.sort_unstable();
    let expected: Vec<i64> = (2..12).map(|k| now + k * every).collect();
    assert_eq!(slots, expected);
    // After an idle spell the next send goes at once again.
    let later = now + 60_000_000;
    assert_eq!(reserve(webhook, 0, later).await.unwrap(), later);
}
