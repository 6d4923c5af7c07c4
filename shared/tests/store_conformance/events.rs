//! Events.

use crate::support::*;
use hookrelay::domain::event::{Event, JsonText};
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::store::Store;

pub async fn events_belong_to_their_account_and_expire(store: &dyn Store) {
    let owner = account("Owner").id;
    let stored = event(owner);
    store.record_event(&stored, &[]).await.unwrap();
    // A resumed ingest never rewrites an event that is there.
    let rewritten = Event {
        payload: JsonText::parse(r#"{"other": true}"#).unwrap(),
        ..stored.clone()
    };
    store.insert_event_if_absent(&rewritten).await.unwrap();
    assert_eq!(
        store.get_event(owner, stored.id, at(5)).await.unwrap(),
        Some(stored.clone())
    );
    assert_eq!(
        store
            .get_event(account("Other").id, stored.id, at(5))
            .await
            .unwrap(),
        None
    );
    // Past expires_at the event is hidden even before TTL removes it.
    let expired = Timestamp::from_millis(stored.expires_at * 1000).unwrap();
    assert_eq!(
        store.get_event(owner, stored.id, expired).await.unwrap(),
        None
    );
}
