//! The audit log: listed per account by every filter, and written with the
//! change it records, both or neither.

use crate::support::*;
use futures::StreamExt;
use hookrelay::domain::api_key::{ApiKeyRecord, NewKey};
use hookrelay::domain::audit::{
    Action, Actor, ActorKind, AuditFilter, AuditNote, AuditRecord, Changes, ResourceKind,
};
use hookrelay::domain::console_link::ConsoleLink;
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{Revocation, Store, StoreError, AUDIT_READ_BUDGET};

fn actor(kind: ActorKind, id: &str) -> Actor {
    Actor {
        kind,
        id: id.into(),
        name: format!("{id} name"),
    }
}

/// A record of `account`'s, made at `at_ms`, kept `days`.
fn record(account: AccountId, action: Action, by: &Actor, at_ms: i64, days: u32) -> AuditRecord {
    let note = AuditNote {
        account,
        act: action.by(by),
        resource_id: format!("{}-{}", action.as_str(), at_ms % 3),
        changes: Changes::new(),
    };
    AuditRecord::new(note, at(at_ms), &OsRandom, days)
}

async fn listed(
    store: &dyn Store,
    account: AccountId,
    filter: &AuditFilter,
    limit: usize,
    now: Timestamp,
) -> Vec<AuditRecord> {
    every_page(limit, |after| async move {
        store
            .list_audit(account, filter, after.as_deref(), limit, now)
            .await
    })
    .await
}

/// Filters of every kind, alone and together.
fn filters() -> [AuditFilter; 6] {
    [
        AuditFilter::default(),
        AuditFilter {
            ascending: true,
            ..AuditFilter::default()
        },
        AuditFilter {
            action: Some(Action::WebhookUpdated),
            ..AuditFilter::default()
        },
        AuditFilter {
            resource_type: Some(ResourceKind::Webhook),
            actor_type: Some(ActorKind::ConsoleLink),
            ..AuditFilter::default()
        },
        AuditFilter {
            actor_id: Some("key-1".into()),
            start: Some(at(10_000)),
            end: Some(at(30_000)),
            ..AuditFilter::default()
        },
        AuditFilter {
            resource_id: Some("api_key.created-1".into()),
            ascending: true,
            ..AuditFilter::default()
        },
    ]
}

pub async fn audit_records_list_newest_first_by_every_filter(store: &dyn Store) {
    let (acme, other) = (account("acme").id, account("other").id);
    let key = actor(ActorKind::ApiKey, "key-1");
    let link = actor(ActorKind::ConsoleLink, "link-1");
    let actions = [
        Action::WebhookCreated,
        Action::WebhookUpdated,
        Action::ApiKeyCreated,
        Action::DeliveryRetried,
    ];
    let mut kept = Vec::new();
    for i in 0..40 {
        let by = if i % 3 == 0 { &link } else { &key };
        let made = record(acme, actions[i % 4], by, 1_000 * i as i64, 60);
        store.record_audit(&made).await.unwrap();
        kept.push(made);
    }
    // Another account's, and one of acme's past its retention.
    let foreign = record(other, Action::WebhookCreated, &key, 5_000, 60);
    store.record_audit(&foreign).await.unwrap();
    let expired = record(acme, Action::WebhookCreated, &key, 2_500, 1);
    store.record_audit(&expired).await.unwrap();
    let now = at(2 * 86_400_000);
    assert!(expired.expires_at < now.epoch_seconds());

    for filter in &filters() {
        let mut expected: Vec<&AuditRecord> =
            kept.iter().filter(|r| filter.admits(r, now)).collect();
        if !filter.ascending {
            expected.reverse();
        }
        assert!(!expected.is_empty(), "{filter:?} selects something");
        for limit in [1, 7, 100] {
            let got = listed(store, acme, filter, limit, now).await;
            let got: Vec<&AuditRecord> = got.iter().collect();
            assert_eq!(got, expected, "{filter:?}, limit {limit}");
        }
    }
    let theirs = listed(store, other, &AuditFilter::default(), 10, now).await;
    assert_eq!(theirs, vec![foreign]);
}

/// The account's records of `action`, as listed.
/// Whether a write failed as a lost condition.
fn conflict<T>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::Conflict))
}

async fn records_of(store: &dyn Store, account: AccountId, action: Action) -> Vec<AuditRecord> {
    let filter = AuditFilter {
        action: Some(action),
        ..AuditFilter::default()
    };
    listed(store, account, &filter, 100, at(0)).await
}

/// `action`'s record of `account`'s, whose id is taken already: the write
/// that carries it must fail, and leave no trace.
async fn taken(store: &dyn Store, account: AccountId, action: Action) -> AuditRecord {
    let by = actor(ActorKind::ApiKey, "key-1");
    let first = record(account, action, &by, 0, 60);
    store.record_audit(&first).await.unwrap();
    let mut again = record(account, action, &by, 0, 60);
    again.id = first.id;
    again
}

pub async fn a_change_and_its_record_are_written_together_or_not_at_all(store: &dyn Store) {
    let owner = account("acme");
    let acme = owner.id;
    let by = actor(ActorKind::ApiKey, "key-1");

    // A webhook: a record that cannot be written stops the change.
    let hook = webhook(acme, 0, 0, true);
    let blocked = taken(store, acme, Action::WebhookCreated).await;
    assert!(conflict(store.insert_webhook(&hook, &blocked).await));
    assert_eq!(store.get_webhook(acme, hook.id()).await.unwrap(), None);
    let created = record(acme, Action::WebhookCreated, &by, 1, 60);
    store.insert_webhook(&hook, &created).await.unwrap();
    // A change refused by its own condition writes no record.
    let twice = record(acme, Action::WebhookCreated, &by, 2, 60);
    assert!(conflict(store.insert_webhook(&hook, &twice).await));
    let mut changed = hook.clone();
    let version = changed.change(at(3), |w| w.switch(false, at(3)));
    let stale = record(acme, Action::WebhookUpdated, &by, 3, 60);
    assert!(conflict(
        store.update_webhook(&changed, version + 1, &stale).await
    ));
    let blocked = taken(store, acme, Action::WebhookUpdated).await;
    assert!(conflict(
        store.update_webhook(&changed, version, &blocked).await
    ));
    let read = store.get_webhook(acme, hook.id()).await.unwrap().unwrap();
    assert!(read.enabled(), "the update without its record was not made");
    let blocked = taken(store, acme, Action::WebhookDeleted).await;
    assert!(!store
        .delete_webhook(acme, hook.id(), &blocked)
        .await
        .unwrap());
    assert!(store.get_webhook(acme, hook.id()).await.unwrap().is_some());
    let deleted = record(acme, Action::WebhookDeleted, &by, 4, 60);
    assert!(store
        .delete_webhook(acme, hook.id(), &deleted)
        .await
        .unwrap());
    let gone = record(acme, Action::WebhookDeleted, &by, 5, 60);
    assert!(!store.delete_webhook(acme, hook.id(), &gone).await.unwrap());

    let ids = |records: Vec<AuditRecord>| records.into_iter().map(|r| r.id).collect::<Vec<_>>();
    // Each action: the record `taken` made, and the one of the change made.
    for (action, made) in [
        (Action::WebhookCreated, &created),
        (Action::WebhookDeleted, &deleted),
    ] {
        let kept = ids(records_of(store, acme, action).await);
        assert_eq!(kept.len(), 2, "{action:?}");
        assert!(kept.contains(&made.id), "{action:?}");
    }
    assert_eq!(
        records_of(store, acme, Action::WebhookUpdated).await.len(),
        1
    );

    event_types_console_links_and_keys_write_with_their_records(store, &owner).await;
}

async fn event_types_console_links_and_keys_write_with_their_records(
    store: &dyn Store,
    owner: &hookrelay::domain::account::Account,
) {
    let acme = owner.id;
    let paid = event_type(acme, "order.paid", None, 1);
    let blocked = taken(store, acme, Action::EventTypeCreated).await;
    assert!(conflict(store.insert_event_type(&paid, &blocked).await));
    assert_eq!(store.get_event_type(acme, &paid.event).await.unwrap(), None);
    let blocked = taken(store, acme, Action::EventTypeCreated).await;
    let (link, _) = ConsoleLink::mint(owner, false, 3600, at(0), &OsRandom);
    assert!(conflict(store.insert_console_link(&link, &blocked).await));
    assert_eq!(
        store.get_console_link(acme, link.id, at(0)).await.unwrap(),
        None
    );

    let (first, _) = ApiKeyRecord::issue(owner, NewKey::first(), at(0), &OsRandom);
    let blocked = taken(store, acme, Action::AccountCreated).await;
    assert!(conflict(
        store.insert_account(owner, &first, &blocked).await
    ));
    assert_eq!(store.api_key_by_hash(first.key_hash()).await.unwrap(), None);
    store.insert_account(owner, &first, &noted()).await.unwrap();
    let (second, _) = ApiKeyRecord::issue(owner, NewKey::first(), at(1), &OsRandom);
    store.insert_api_key(&second, &noted()).await.unwrap();
    let blocked = taken(store, acme, Action::ApiKeyRevoked).await;
    let revoked = store
        .revoke_api_key(acme, second.id(), at(2), &|_: &ApiKeyRecord| {
            blocked.clone()
        })
        .await;
    assert!(conflict(revoked));
    assert!(store
        .api_key_by_hash(second.key_hash())
        .await
        .unwrap()
        .is_some());
    let by = actor(ActorKind::ApiKey, "key-1");
    let made = |_: &ApiKeyRecord| record(acme, Action::ApiKeyRevoked, &by, 7, 60);
    let revoked = store.revoke_api_key(acme, second.id(), at(2), &made).await;
    assert!(matches!(revoked, Ok(Revocation::Revoked(_))));
    assert_eq!(
        records_of(store, acme, Action::ApiKeyRevoked).await.len(),
        2
    );
}

pub async fn a_narrow_filter_reads_a_bounded_page_and_goes_on(store: &dyn Store) {
    let acme = account("acme").id;
    let key = actor(ActorKind::ApiKey, "key-1");
    let rare = record(acme, Action::ApiKeyRevoked, &key, 0, 60);
    store.record_audit(&rare).await.unwrap();
    // More newer records than one request reads, none of them a match.
    let records: Vec<AuditRecord> = (1..=AUDIT_READ_BUDGET as i64 + 50)
        .map(|i| record(acme, Action::WebhookUpdated, &key, i, 60))
        .collect();
    // Sixteen at a time: what a busy emulator takes without timing out.
    let writes = futures::stream::iter(records.iter().map(|r| store.record_audit(r)));
    let written: Vec<_> = writes.buffer_unordered(16).collect().await;
    assert!(written.iter().all(Result::is_ok), "{written:?}");
    let filter = AuditFilter {
        action: Some(Action::ApiKeyRevoked),
        ..AuditFilter::default()
    };
    let first = store
        .list_audit(acme, &filter, None, 10, at(0))
        .await
        .unwrap();
    // Either the match, or a short page that says where to go on.
    assert!(first.items == [rare.clone()] || (first.items.is_empty() && first.next.is_some()));
    assert_eq!(listed(store, acme, &filter, 10, at(0)).await, vec![rare]);
}
