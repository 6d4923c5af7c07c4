//! The ingest quota's counters.

use crate::support::*;
use hookrelay::domain::quota::QuotaWindow;
use hookrelay::ports::store::Store;

pub async fn a_quota_counter_admits_up_to_its_limit_once_across_callers(store: &dyn Store) {
    let (a, b) = (account("a").id, account("b").id);
    let second = BASE_MS / 1000;
    let window = |account, second, counter, limit| QuotaWindow {
        account,
        second,
        counter,
        limit,
    };
    let three = window(a, second, 0, 3);
    let take = |w: QuotaWindow, count| async move { store.take_ingest_quota(&w, count).await };
    assert!(take(three, 2).await.unwrap());
    // Over the limit: refused, and nothing counted.
    assert!(!take(three, 2).await.unwrap());
    assert!(!take(three, 4).await.unwrap());
    assert!(take(three, 1).await.unwrap());
    assert!(!take(three, 1).await.unwrap());
    // Another account, another counter, the next second: each its own.
    assert!(take(window(b, second, 0, 3), 3).await.unwrap());
    assert!(take(window(a, second, 1, 3), 3).await.unwrap());
    assert!(take(window(a, second + 1, 0, 3), 3).await.unwrap());
    // Callers at once: exactly the limit is admitted.
    let five = window(a, second + 2, 0, 5);
    let racing = (0..12).map(|_| take(five, 1));
    let admitted = futures::future::join_all(racing)
        .await
        .into_iter()
        .filter(|taken| *taken.as_ref().expect("an answer"))
        .count();
    assert_eq!(admitted, 5);
}
