//! Hourly counters.

use crate::support::*;
use hookrelay::domain::ids::WebhookId;
use hookrelay::domain::stats::{Granularity, StatsScope, Tally};
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::Store;

pub async fn stats_add_up_per_hour_and_scope(store: &dyn Store) {
    let (owner, other) = (account("Stats").id, account("Other").id);
    let hook = WebhookId::generate(at(0), &OsRandom);
    let hour = |n: i64| Granularity::Hour.floor(at(0)).plus_seconds(3600 * n);
    let tally = |n: u64| {
        let mut tally = Tally {
            attempts: n,
            errors: 1,
            delivered: n - 1,
            scheduled: 0,
            failed: 1,
            ..Tally::default()
        };
        tally.durations[3] = n;
        tally
    };
    let add = |who, scope, h, n| async move {
        store
            .add_stats(who, scope, hour(h), &tally(n), 2_000_000_000)
            .await
            .unwrap()
    };
    // Concurrent adds all count.
    futures::future::join_all((0..5).map(|_| add(owner, StatsScope::Account, 1, 2))).await;
    add(owner, StatsScope::Webhook(hook), 1, 2).await;
    add(owner, StatsScope::Webhook(hook), 2, 3).await;
    add(
        owner,
        StatsScope::Webhook(WebhookId::generate(at(1), &OsRandom)),
        1,
        7,
    )
    .await;
    add(other, StatsScope::Account, 1, 9).await;
    let read = |scope, from, to| async move {
        store
            .read_stats(owner, scope, hour(from), hour(to))
            .await
            .unwrap()
    };
    let mut five = Tally::default();
    for _ in 0..5 {
        five.merge(&tally(2));
    }
    assert_eq!(read(StatsScope::Account, 0, 5).await, vec![(hour(1), five)]);
    let webhook = StatsScope::Webhook(hook);
    assert_eq!(
        read(webhook, 0, 5).await,
        vec![(hour(1), tally(2)), (hour(2), tally(3))]
    );
    assert_eq!(read(webhook, 2, 3).await, vec![(hour(2), tally(3))]);
    assert_eq!(read(webhook, 1, 2).await, vec![(hour(1), tally(2))]);
    assert!(read(webhook, 3, 2).await.is_empty());
}
