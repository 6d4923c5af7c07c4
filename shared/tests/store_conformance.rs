//! One conformance suite for every `Store` adapter: in memory, and DynamoDB
//! on moto's server (AWS_ENDPOINT_URL, set by scripts/test.sh). Without moto
//! the DynamoDB half fails; it never skips.

use hookrelay::adapters::aws::{sdk_config, DynamoStore};
use hookrelay::adapters::memory::MemoryStore;
use hookrelay::domain::account::{Account, ApiKey};
use hookrelay::domain::console_link::ConsoleLink;
use hookrelay::domain::delivery::{
    Attempt, AttemptError, Change, Delivery, DeliveryStatus, FailureReason, Outcome,
    SWEEP_GRACE_SECONDS,
};
use hookrelay::domain::event::{Event, EventKind, EventPart, JsonText};
use hookrelay::domain::event_type::{EventType, EventTypeChanges, Example};
use hookrelay::domain::health::{Health, Outcomes};
use hookrelay::domain::idempotency::IdempotencyRecord;
use hookrelay::domain::ids::{AccountId, ConsoleLinkId, DeliveryId, EventId, TaskId, WebhookId};
use hookrelay::domain::listing::{Cursor, ListParams, Order, SortField};
use hookrelay::domain::stats::{Granularity, StatsScope, Tally};
use hookrelay::domain::task::{Task, TaskChange, TaskKind};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::wake::WakeBucket;
use hookrelay::domain::webhook::{EventPattern, EventPatterns, Name, Secret, Webhook};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{
    Changed, DeliveryFilter, KeyPage, Overdue, Store, StoreError, WebhookFilter,
};

async fn memory() -> Box<dyn Store> {
    Box::new(MemoryStore::new())
}

async fn dynamodb() -> Box<dyn Store> {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: the DynamoDB conformance run needs moto's server; run scripts/test.sh"
    );
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let table = format!("conformance-{}", WebhookId::generate(at(0), &OsRandom));
    let store = DynamoStore::new(client, table);
    store.ensure_table().await.expect("create table on moto");
    Box::new(store)
}

/// Runs each listed check against both adapters.
macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        mod memory_store {
            $(#[tokio::test] async fn $check() { super::$check(&*super::memory().await).await; })*
        }
        mod dynamodb_store {
            $(#[tokio::test] async fn $check() { super::$check(&*super::dynamodb().await).await; })*
        }
    };
}

conformance!(
    accounts_are_found_by_key_hash_only,
    a_key_hash_belongs_to_one_account,
    webhooks_round_trip_per_account,
    inserting_an_existing_webhook_conflicts,
    the_last_delivery_is_noted_without_touching_the_rest,
    a_run_of_failures_is_counted_and_a_success_ends_it,
    updates_are_guarded_by_version,
    delete_reports_whether_it_existed,
    every_sort_and_order_pages_the_same_by_cursor_and_offset,
    filters_and_windows_select_the_right_webhooks,
    events_belong_to_their_account_and_expire,
    deliveries_round_trip_in_batches_and_changes_are_guarded,
    the_sweeper_finds_pending_deliveries_past_their_sweep_time,
    idempotency_keys_are_claimed_once_until_they_expire,
    a_thousand_deliveries_list_by_every_filter_sort_and_page,
    the_event_type_catalogue_pages_in_name_order_per_account,
    event_types_change_and_delete_in_their_account_only,
    console_links_open_until_revoked_or_expired,
    send_slots_are_handed_out_once_each_at_the_rate,
    stats_add_up_per_hour_and_scope,
    an_offset_past_the_read_cap_still_returns_its_page,
    a_claim_takes_a_due_delivery_once_until_its_lease_ends,
    long_waits_are_listed_by_wake_bucket_until_they_move_on,
    a_wake_buckets_schedule_is_claimed_once,
    overdue_deliveries_page_through_every_shard,
    a_held_slot_is_kept_until_the_attempt,
    an_updated_at_sort_reads_a_bounded_window,
    a_tasks_step_is_claimed_once_advanced_swept_and_ended,
);

const BASE_MS: i64 = 1_790_000_000_000;

fn at(offset_ms: i64) -> Timestamp {
    Timestamp::from_millis(BASE_MS + offset_ms).expect("valid time")
}

fn account(name: &str) -> Account {
    Account {
        id: AccountId::generate(at(0), &OsRandom),
        name: Name::parse(name).expect("name"),
        created_at: at(0),
    }
}

fn webhook(account: AccountId, created_ms: i64, updated_ms: i64, enabled: bool) -> Webhook {
    let created = at(created_ms);
    let mut hook = Webhook::new(
        WebhookId::generate(created, &OsRandom),
        account,
        Name::parse(&format!("hook {created_ms}")).expect("name"),
        WebhookUrl::parse("https://bob:pw@hooks.example.com/in?x=1").expect("url"),
        EventPatterns::new(vec![
            EventPattern::parse("user.*").expect("pattern"),
            EventPattern::parse("order.paid").expect("pattern"),
        ])
        .expect("patterns"),
        Secret::generate(&OsRandom),
        created,
    );
    hook.switch(enabled, created);
    // As stored at version 1, last changed at `updated_ms`.
    let mut stored = serde_json::to_value(&hook).expect("json");
    stored["updated_at"] = serde_json::to_value(at(updated_ms)).expect("json");
    serde_json::from_value(stored).expect("webhook")
}

async fn accounts_are_found_by_key_hash_only(store: &dyn Store) {
    let acme = account("Acme");
    let key = ApiKey::generate(&OsRandom);
    store.insert_account(&acme, key.hash()).await.unwrap();
    let (found, stored) = store
        .account_by_key(key.hash())
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found, acme);
    assert!(stored.matches(&key.hash()));
    let other = ApiKey::generate(&OsRandom);
    assert!(store.account_by_key(other.hash()).await.unwrap().is_none());
}

async fn a_key_hash_belongs_to_one_account(store: &dyn Store) {
    let key = ApiKey::generate(&OsRandom);
    store
        .insert_account(&account("First"), key.hash())
        .await
        .unwrap();
    let second = store.insert_account(&account("Second"), key.hash()).await;
    assert!(matches!(second, Err(StoreError::Conflict)), "{second:?}");
    let (found, _) = store
        .account_by_key(key.hash())
        .await
        .unwrap()
        .expect("found");
    assert_eq!(found.name.to_string(), "First");
}

async fn webhooks_round_trip_per_account(store: &dyn Store) {
    let (a, b) = (account("A").id, account("B").id);
    let mut hook = webhook(a, 0, 0, true);
    hook.rotate_secret(Secret::generate(&OsRandom), at(5), 60);
    store.insert_webhook(&hook).await.unwrap();
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

async fn the_last_delivery_is_noted_without_touching_the_rest(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook).await.unwrap();
    let last = note(DeliveryStatus::Failed, 9);
    let health = store
        .record_outcome(hook.account_id(), hook.id(), &last, KEPT_UNTIL)
        .await
        .unwrap();
    let mut expected = hook.clone();
    expected.note(&last);
    assert_eq!(health, expected.health());
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        Some(expected.clone())
    );
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
    store.update_webhook(&patched, 1).await.unwrap();
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        Some(expected.clone())
    );
    // Switched on again: the run of failures is forgotten, the last delivery kept.
    store
        .reset_health(hook.account_id(), hook.id())
        .await
        .unwrap();
    let fresh = store
        .get_webhook(hook.account_id(), hook.id())
        .await
        .unwrap()
        .expect("webhook");
    assert_eq!(
        (fresh.health(), fresh.last_delivery()),
        (Health::default(), expected.last_delivery())
    );
    // A deleted webhook stays deleted, whatever is noted after.
    assert!(store
        .delete_webhook(hook.account_id(), hook.id())
        .await
        .unwrap());
    store
        .record_outcome(hook.account_id(), hook.id(), &last, KEPT_UNTIL)
        .await
        .unwrap();
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        None
    );
}

async fn a_run_of_failures_is_counted_and_a_success_ends_it(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook).await.unwrap();
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

async fn inserting_an_existing_webhook_conflicts(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook).await.unwrap();
    let again = store.insert_webhook(&hook).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
}

async fn updates_are_guarded_by_version(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook).await.unwrap();
    let mut changed = hook.clone();
    changed.change(at(10), |w| w.switch(false, at(10)));
    store.update_webhook(&changed, 1).await.unwrap();
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        Some(changed.clone())
    );
    // A writer that read version 1 lost the race.
    let stale = store.update_webhook(&hook, 1).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    // An update racing a delete does not resurrect the webhook.
    assert!(store
        .delete_webhook(hook.account_id(), hook.id())
        .await
        .unwrap());
    let gone = store.update_webhook(&changed, 2).await;
    assert!(matches!(gone, Err(StoreError::Conflict)), "{gone:?}");
    assert_eq!(
        store
            .get_webhook(hook.account_id(), hook.id())
            .await
            .unwrap(),
        None
    );
}

async fn delete_reports_whether_it_existed(store: &dyn Store) {
    let hook = webhook(account("A").id, 0, 0, true);
    store.insert_webhook(&hook).await.unwrap();
    assert!(!store
        .delete_webhook(account("B").id, hook.id())
        .await
        .unwrap());
    assert!(store
        .delete_webhook(hook.account_id(), hook.id())
        .await
        .unwrap());
    assert!(!store
        .delete_webhook(hook.account_id(), hook.id())
        .await
        .unwrap());
}

/// 23 webhooks with distinct created_at, shuffled updated_at, some disabled.
async fn seed(store: &dyn Store) -> (AccountId, Vec<Webhook>) {
    let owner = account("Lister").id;
    let neighbour = account("Neighbour").id;
    let mut hooks = Vec::new();
    for i in 0..23i64 {
        let hook = webhook(owner, i * 1_000, ((i * 7) % 23) * 1_000 + 500, i % 3 != 0);
        store.insert_webhook(&hook).await.unwrap();
        hooks.push(hook);
    }
    store
        .insert_webhook(&webhook(neighbour, 5_000, 5_000, true))
        .await
        .unwrap();
    (owner, hooks)
}

fn expected(
    hooks: &[Webhook],
    sort: SortField,
    order: Order,
    keep: impl Fn(&Webhook) -> bool,
) -> Vec<WebhookId> {
    let mut picked: Vec<&Webhook> = hooks.iter().filter(|w| keep(w)).collect();
    picked.sort_by_key(|w| match sort {
        SortField::CreatedAt => (w.created_at(), w.id()),
        SortField::UpdatedAt => (w.updated_at(), w.id()),
        SortField::Id => (at(0), w.id()),
    });
    if order == Order::Desc {
        picked.reverse();
    }
    picked.into_iter().map(|w| w.id()).collect()
}

async fn all_pages(
    store: &dyn Store,
    account: AccountId,
    filter: &WebhookFilter,
    mut params: ListParams,
) -> Vec<WebhookId> {
    let mut ids = Vec::new();
    loop {
        let page = store.list_webhooks(account, filter, &params).await.unwrap();
        assert!(page.items.len() <= params.limit as usize);
        ids.extend(page.items.iter().map(|w| w.id()));
        match page.next_cursor {
            // Cursors travel as text in the API.
            Some(cursor) => params.cursor = Some(Cursor::decode(&cursor.encode()).unwrap()),
            None => return ids,
        }
    }
}

async fn every_sort_and_order_pages_the_same_by_cursor_and_offset(store: &dyn Store) {
    let (owner, hooks) = seed(store).await;
    let none = WebhookFilter::default();
    for sort in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Id] {
        for order in [Order::Asc, Order::Desc] {
            let want = expected(&hooks, sort, order, |_| true);
            let params = ListParams {
                sort,
                order,
                limit: 5,
                ..ListParams::default()
            };
            assert_eq!(
                all_pages(store, owner, &none, params.clone()).await,
                want,
                "{sort:?} {order:?} by cursor"
            );
            let mut by_offset = Vec::new();
            for offset in (0..25).step_by(5) {
                let page = store
                    .list_webhooks(
                        owner,
                        &none,
                        &ListParams {
                            offset,
                            ..params.clone()
                        },
                    )
                    .await
                    .unwrap();
                by_offset.extend(page.items.iter().map(|w| w.id()));
            }
            assert_eq!(by_offset, want, "{sort:?} {order:?} by offset");
        }
    }
    let last = store
        .list_webhooks(
            owner,
            &none,
            &ListParams {
                offset: 20,
                limit: 5,
                ..ListParams::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(last.items.len(), 3);
    assert!(last.next_cursor.is_none());
}

async fn filters_and_windows_select_the_right_webhooks(store: &dyn Store) {
    let (owner, hooks) = seed(store).await;
    let (start, end) = (at(4_000), at(15_000));
    for sort in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Id] {
        for enabled in [None, Some(true), Some(false)] {
            let filter = WebhookFilter { enabled };
            let keep = |w: &Webhook| {
                enabled.is_none_or(|on| w.enabled() == on)
                    && w.created_at() >= start
                    && w.created_at() < end
            };
            let want = expected(&hooks, sort, Order::Asc, keep);
            let params = ListParams {
                sort,
                order: Order::Asc,
                start: Some(start),
                end: Some(end),
                limit: 3,
                ..ListParams::default()
            };
            assert_eq!(
                all_pages(store, owner, &filter, params).await,
                want,
                "{sort:?} enabled={enabled:?}"
            );
        }
    }
    // A cursor from before the window continues with the whole window; one
    // past its end in this order yields nothing.
    let first = hooks[0].id().to_string();
    let window = |order| ListParams {
        order,
        start: Some(start),
        end: Some(end),
        cursor: Some(Cursor {
            sort: SortField::Id,
            order,
            after: first.clone(),
        }),
        sort: SortField::Id,
        ..ListParams::default()
    };
    let all = WebhookFilter::default();
    let asc = store
        .list_webhooks(owner, &all, &window(Order::Asc))
        .await
        .unwrap();
    let want = expected(&hooks, SortField::Id, Order::Asc, |w| {
        w.created_at() >= start && w.created_at() < end
    });
    assert_eq!(asc.items.iter().map(|w| w.id()).collect::<Vec<_>>(), want);
    let desc = store
        .list_webhooks(owner, &all, &window(Order::Desc))
        .await
        .unwrap();
    assert!(desc.items.is_empty());
    // start is inclusive and end exclusive, to the millisecond.
    let exact = ListParams {
        start: Some(at(4_000)),
        end: Some(at(5_000)),
        ..ListParams::default()
    };
    let page = store
        .list_webhooks(owner, &WebhookFilter::default(), &exact)
        .await
        .unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|w| w.created_at())
            .collect::<Vec<_>>(),
        vec![at(4_000)]
    );
}

fn event(account: AccountId) -> Event {
    Event {
        id: EventId::generate(at(0), &OsRandom),
        account_id: account,
        event: EventKind {
            name: EventPart::parse("user").expect("part"),
            kind: EventPart::parse("created").expect("part"),
        },
        payload: JsonText::parse(r#"{"user": {"id": 7, "big": 12345678901234567890}}"#)
            .expect("json"),
        context: JsonText::parse("{}").expect("json"),
        created_at: at(0),
        expires_at: at(0).epoch_seconds() + 60 * 86_400,
    }
}

fn delivery(event: &Event, webhook: Option<WebhookId>) -> Delivery {
    let url = WebhookUrl::parse("https://hooks.example.com/in").expect("url");
    let fresh = Delivery::new(event, webhook, url, at(1));
    let fields = serde_json::json!({
        "status": DeliveryStatus::Created,
        "sweep_at": null,
        "created_at": at(1),
        "updated_at": at(1),
    });
    with_fields(&fresh, fields)
}

/// `delivery` as stored with `fields` replaced: a state no change leads to directly.
fn with_fields(delivery: &Delivery, fields: serde_json::Value) -> Delivery {
    let mut stored = serde_json::to_value(delivery).expect("json");
    if let (Some(stored), Some(fields)) = (stored.as_object_mut(), fields.as_object()) {
        stored.extend(fields.clone());
    }
    serde_json::from_value(stored).expect("delivery")
}

async fn events_belong_to_their_account_and_expire(store: &dyn Store) {
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

fn attempt(at_ms: i64, code: u16) -> Attempt {
    Attempt {
        at: at(at_ms),
        code,
        duration_ms: 12,
        error: (code >= 300).then_some(AttemptError::HttpStatus),
        response_body: format!("answer {code}"),
    }
}

fn attempted(made: Attempt, outcome: Outcome) -> Change {
    Change::Attempted {
        attempt: Some(made),
        outcome,
    }
}

async fn deliveries_round_trip_in_batches_and_changes_are_guarded(store: &dyn Store) {
    let owner = account("Owner").id;
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
        assert_eq!(
            store
                .get_delivery(owner, d.id(), at(5))
                .await
                .unwrap()
                .as_ref(),
            Some(d)
        );
    }
    let stranger = account("Other").id;
    assert_eq!(
        store
            .get_delivery(stranger, deliveries[0].id(), at(5))
            .await
            .unwrap(),
        None
    );
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

    // An attempt is recorded exactly as the domain applies it.
    let first = &deliveries[0];
    let mut expected = first.clone();
    let failed_once = attempted(attempt(2, 500), Outcome::RetryAt(at(5_000)));
    let applied = store
        .change_delivery(owner, first.id(), 0, &failed_once, at(3))
        .await
        .unwrap();
    expected.apply(&failed_once, at(3));
    assert_eq!(applied, Changed::Applied(expected.clone()));
    let read = |id| async move { store.get_delivery(owner, id, at(5)).await.unwrap() };
    assert_eq!(read(first.id()).await, Some(expected.clone()));
    // The same attempt again (a duplicate message, or the SDK sending a
    // write again after it landed) is refused, and shows what is there.
    let again = store
        .change_delivery(owner, first.id(), 0, &failed_once, at(4))
        .await
        .unwrap();
    assert_eq!(again, Changed::Refused(Some(expected.clone())));
    assert!(expected.shows_attempt(0, &attempt(2, 500)));
    // A stranger, or an unknown delivery, finds nothing.
    let theirs = store
        .change_delivery(stranger, first.id(), 1, &failed_once, at(4))
        .await
        .unwrap();
    assert_eq!(theirs, Changed::Refused(None));
    let gone = store
        .change_delivery(owner, unknown, 0, &failed_once, at(4))
        .await
        .unwrap();
    assert_eq!(gone, Changed::Refused(None));

    // Delivered: final; only a reopen (manual retry) changes it now.
    let delivered = attempted(attempt(6, 200), Outcome::Delivered);
    store
        .change_delivery(owner, first.id(), 1, &delivered, at(7))
        .await
        .unwrap();
    expected.apply(&delivered, at(7));
    assert_eq!(read(first.id()).await, Some(expected.clone()));
    for refused in [
        delivered.clone(),
        Change::Recovered { due: at(8) },
        Change::Swept,
    ] {
        let result = store
            .change_delivery(owner, first.id(), 2, &refused, at(8))
            .await
            .unwrap();
        assert!(matches!(result, Changed::Refused(Some(_))), "{refused:?}");
    }
    let reopen = Change::Reopened {
        lease_until: at(70_000),
    };
    store
        .change_delivery(owner, first.id(), 2, &reopen, at(9))
        .await
        .unwrap();
    expected.apply(&reopen, at(9));
    assert_eq!(read(first.id()).await, Some(expected.clone()));
    assert_eq!(expected.status(), DeliveryStatus::Dispatched);

    // Failed: the reason is kept, and a recover clears it.
    let why = FailureReason::AttemptsExhausted;
    let gave_up = attempted(attempt(10, 500), Outcome::Failed(why));
    store
        .change_delivery(owner, first.id(), 2, &gave_up, at(10))
        .await
        .unwrap();
    expected.apply(&gave_up, at(10));
    assert_eq!(read(first.id()).await, Some(expected.clone()));
    assert_eq!(expected.failure_reason(), Some(why));
    let recover = Change::Recovered { due: at(11) };
    store
        .change_delivery(owner, first.id(), 3, &recover, at(11))
        .await
        .unwrap();
    expected.apply(&recover, at(11));
    assert_eq!(read(first.id()).await, Some(expected.clone()));
    assert_eq!(expected.failure_reason(), None);

    // The log keeps the last 20 attempts; `attempts` stays exact.
    let busy = &deliveries[1];
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
    let busy = read(busy.id()).await.unwrap();
    assert_eq!(busy.attempts(), 25);
    let codes: Vec<u16> = busy.log().iter().map(|a| a.code).collect();
    assert_eq!(codes, (505..525).collect::<Vec<u16>>());
    assert_eq!(busy.code(), 524);

    let expired = Timestamp::from_millis(first.expires_at() * 1000).unwrap();
    assert_eq!(
        store
            .get_delivery(owner, first.id(), expired)
            .await
            .unwrap(),
        None
    );
    // Batched deletes; ids already gone, or another account's, are skipped.
    let doomed: Vec<DeliveryId> = deliveries[..27].iter().map(|d| d.id()).collect();
    store
        .delete_deliveries(stranger, &doomed[27 - 1..])
        .await
        .unwrap();
    assert!(
        read(doomed[26]).await.is_some(),
        "not the stranger's to delete"
    );
    store.delete_deliveries(owner, &doomed).await.unwrap();
    store.delete_deliveries(owner, &doomed[..3]).await.unwrap();
    for id in &doomed {
        assert_eq!(read(*id).await, None);
    }
    assert!(read(deliveries[29].id()).await.is_some());
}

async fn the_sweeper_finds_pending_deliveries_past_their_sweep_time(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let url = WebhookUrl::parse("https://hooks.example.com/in").expect("url");
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
    let overdue = |now| async move {
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
    };
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
    // Failed ones are listed by status; delivered ones are in neither list.
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
        vec![failing.id()]
    );
    // The event's deliveries, by its id.
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

async fn idempotency_keys_are_claimed_once_until_they_expire(store: &dyn Store) {
    let owner = account("Owner").id;
    let claim = |event_id| IdempotencyRecord::new(owner, "key-1", b"{}", event_id, at(0));
    let first = claim(EventId::generate(at(0), &OsRandom));
    assert_eq!(store.claim_idempotency(&first, at(1)).await.unwrap(), None);
    let second = claim(EventId::generate(at(0), &OsRandom));
    assert_eq!(
        store.claim_idempotency(&second, at(2)).await.unwrap(),
        Some(first.clone())
    );
    let done = IdempotencyRecord {
        answer: Some(r#"{"id":"x"}"#.into()),
        ..first.clone()
    };
    store.complete_idempotency(&done).await.unwrap();
    assert_eq!(
        store.claim_idempotency(&second, at(3)).await.unwrap(),
        Some(done)
    );
    // Another account's same key is its own.
    let other = IdempotencyRecord {
        account_id: account("Other").id,
        ..second.clone()
    };
    assert_eq!(store.claim_idempotency(&other, at(3)).await.unwrap(), None);
    // After 24 h the key can be used again.
    let later = Timestamp::from_millis((first.expires_at + 1) * 1000).unwrap();
    assert_eq!(store.claim_idempotency(&second, later).await.unwrap(), None);
}

/// 1,000 deliveries of one account, an hour apart (41 days), over 5 statuses,
/// 3 webhooks and ad-hoc URLs, 2 event names × 3 types, shuffled updated_at;
/// every 50th expired; plus 20 of another account.
async fn seed_deliveries(
    store: &dyn Store,
) -> (AccountId, Vec<Delivery>, Vec<WebhookId>, Timestamp) {
    let owner = account("Owner").id;
    let webhooks: Vec<WebhookId> = (0..3)
        .map(|_| WebhookId::generate(at(0), &OsRandom))
        .collect();
    let now = at(2_000 * 3_600_000);
    let mut all = Vec::new();
    for i in 0..1_020i64 {
        let account_id = if i < 1_000 {
            owner
        } else {
            account("Other").id
        };
        let created = at(i * 3_600_000);
        let name = ["user", "order"][(i % 2) as usize];
        let kind = ["created", "paid", "deleted"][(i % 3) as usize];
        let mut source = event(account_id);
        source.event = EventKind {
            name: EventPart::parse(name).unwrap(),
            kind: EventPart::parse(kind).unwrap(),
        };
        source.id = EventId::generate(created, &OsRandom);
        source.created_at = created;
        source.expires_at = if i % 50 == 0 {
            now.epoch_seconds()
        } else {
            now.epoch_seconds() + 86_400
        };
        let webhook = (i % 7 != 0).then(|| webhooks[(i % 3) as usize]);
        let fields = serde_json::json!({
            "created_at": created,
            "updated_at": at(((i * 7_919) % 1_000) * 3_600_000 + 1),
            "status": DeliveryStatus::ALL[(i % 5) as usize],
        });
        all.push(with_fields(&delivery(&source, webhook), fields));
    }
    store.insert_deliveries(&all).await.unwrap();
    all.truncate(1_000);
    (owner, all, webhooks, now)
}

fn expected_deliveries(
    all: &[Delivery],
    filter: &DeliveryFilter,
    params: &ListParams,
    now: Timestamp,
) -> Vec<DeliveryId> {
    let mut picked: Vec<&Delivery> = all
        .iter()
        .filter(|d| {
            now.epoch_seconds() < d.expires_at()
                && filter.matches(d)
                && params.in_window(d.created_at())
        })
        .collect();
    picked.sort_by_key(|d| match params.sort {
        SortField::UpdatedAt => (d.updated_at(), d.id()),
        SortField::CreatedAt | SortField::Id => (d.created_at(), d.id()),
    });
    if params.order == Order::Desc {
        picked.reverse();
    }
    picked.into_iter().map(|d| d.id()).collect()
}

async fn deliveries_by_cursor(
    store: &dyn Store,
    account: AccountId,
    filter: &DeliveryFilter,
    mut params: ListParams,
    now: Timestamp,
) -> Vec<DeliveryId> {
    let mut ids = Vec::new();
    loop {
        let page = store
            .list_deliveries(account, filter, &params, now)
            .await
            .unwrap();
        assert!(page.items.len() <= params.limit as usize);
        ids.extend(page.items.iter().map(|d| d.id()));
        match page.next_cursor {
            Some(cursor) => params.cursor = Some(Cursor::decode(&cursor.encode()).unwrap()),
            None => return ids,
        }
    }
}

async fn a_thousand_deliveries_list_by_every_filter_sort_and_page(store: &dyn Store) {
    let (owner, all, webhooks, now) = seed_deliveries(store).await;
    let part = |s: &str| Some(EventPart::parse(s).unwrap());
    let none = DeliveryFilter::default();
    // Every sort and order, by cursor and by offset.
    for sort in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Id] {
        for order in [Order::Asc, Order::Desc] {
            let params = ListParams {
                sort,
                order,
                limit: 100,
                ..ListParams::default()
            };
            let want = expected_deliveries(&all, &none, &params, now);
            assert_eq!(want.len(), 980, "20 of 1,000 expired");
            assert_eq!(
                deliveries_by_cursor(store, owner, &none, params.clone(), now).await,
                want,
                "{sort:?} {order:?}"
            );
            // Offset paging reads offset + limit items a page: checked for the
            // default order here (and in every order by the webhook suite).
            if (sort, order) != (SortField::CreatedAt, Order::Desc) {
                continue;
            }
            let mut by_offset = Vec::new();
            for offset in (0..1_000).step_by(100) {
                let page = store
                    .list_deliveries(
                        owner,
                        &none,
                        &ListParams {
                            offset,
                            ..params.clone()
                        },
                        now,
                    )
                    .await
                    .unwrap();
                by_offset.extend(page.items.iter().map(|d| d.id()));
            }
            assert_eq!(by_offset, want, "{sort:?} {order:?} by offset");
        }
    }
    // Every filter alone and combined, with windows (start inclusive, end exclusive).
    let window = (at(100 * 3_600_000), at(700 * 3_600_000));
    let filters = [
        DeliveryFilter {
            statuses: vec![DeliveryStatus::Delivered],
            ..none.clone()
        },
        DeliveryFilter {
            statuses: vec![DeliveryStatus::Failed, DeliveryStatus::Scheduled],
            ..none.clone()
        },
        DeliveryFilter {
            statuses: vec![DeliveryStatus::Failed],
            ..none.clone()
        },
        DeliveryFilter {
            event_id: Some(all[501].event_id()),
            ..none.clone()
        },
        DeliveryFilter {
            webhook_id: Some(webhooks[1]),
            ..none.clone()
        },
        DeliveryFilter {
            webhook_id: Some(webhooks[2]),
            statuses: vec![DeliveryStatus::Created],
            ..none.clone()
        },
        DeliveryFilter {
            event_name: part("order"),
            ..none.clone()
        },
        DeliveryFilter {
            event_name: part("user"),
            event_type: part("deleted"),
            ..none.clone()
        },
        DeliveryFilter {
            event_name: part("user"),
            statuses: vec![DeliveryStatus::Dispatched],
            webhook_id: Some(webhooks[0]),
            ..none.clone()
        },
    ];
    for filter in &filters {
        for (sort, order, windowed) in [
            (SortField::CreatedAt, Order::Desc, false),
            (SortField::UpdatedAt, Order::Asc, true),
        ] {
            let (start, end) = if windowed {
                (Some(window.0), Some(window.1))
            } else {
                (None, None)
            };
            let params = ListParams {
                sort,
                order,
                start,
                end,
                limit: 100,
                ..ListParams::default()
            };
            let want = expected_deliveries(&all, filter, &params, now);
            assert!(!want.is_empty(), "{filter:?}");
            assert_eq!(
                deliveries_by_cursor(store, owner, filter, params, now).await,
                want,
                "{filter:?} {sort:?} {order:?}"
            );
        }
    }
    // Window edges to the millisecond.
    let edge = ListParams {
        start: Some(at(3_600_000)),
        end: Some(at(2 * 3_600_000)),
        ..ListParams::default()
    };
    let page = store
        .list_deliveries(owner, &none, &edge, now)
        .await
        .unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|d| d.created_at())
            .collect::<Vec<_>>(),
        vec![at(3_600_000)]
    );
    // Another account sees none of them.
    let stranger = store
        .list_deliveries(account("Stranger").id, &none, &ListParams::default(), now)
        .await
        .unwrap();
    assert!(stranger.items.is_empty());
    let theirs = DeliveryFilter {
        webhook_id: Some(webhooks[0]),
        ..none.clone()
    };
    let other = store
        .list_deliveries(account("Stranger").id, &theirs, &ListParams::default(), now)
        .await
        .unwrap();
    assert!(other.items.is_empty());
}

fn kind(dotted: &str) -> EventKind {
    EventKind::parse_dotted(dotted).expect("name.type")
}

/// Every item of a key-ordered list, page by page, `limit` at a time.
async fn every_page<T, F>(limit: usize, mut page: impl FnMut(Option<String>) -> F) -> Vec<T>
where
    F: std::future::Future<Output = Result<KeyPage<T>, StoreError>>,
{
    let (mut all, mut after) = (Vec::new(), None);
    loop {
        let KeyPage { items, next } = page(after).await.expect("page");
        assert!(items.len() <= limit);
        all.extend(items);
        match next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

async fn the_event_type_catalogue_pages_in_name_order_per_account(store: &dyn Store) {
    let (acme, other) = (account("acme").id, account("other").id);
    // A webhook shares the account's partition; it must not show in the catalogue.
    store
        .insert_webhook(&webhook(acme, 0, 0, true))
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
        let t = EventType::new(acme, kind(name), None, example, at(1));
        store.insert_event_type(&t).await.unwrap();
    }
    let elsewhere = EventType::new(other, kind("user.created"), None, None, at(1));
    store.insert_event_type(&elsewhere).await.unwrap();
    let again = EventType::new(acme, kind("order.paid"), None, None, at(2));
    assert!(matches!(
        store.insert_event_type(&again).await,
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

async fn event_types_change_and_delete_in_their_account_only(store: &dyn Store) {
    let (acme, other) = (account("acme").id, account("other").id);
    for (owner, name) in [(acme, "order.paid"), (other, "user.created")] {
        let example = Example::parse("{\"id\": 1E15}").ok();
        let t = EventType::new(owner, kind(name), None, example, at(1));
        store.insert_event_type(&t).await.unwrap();
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
    );
    store.update_event_type(&paid).await.unwrap();
    let read = store
        .get_event_type(acme, &kind("order.paid"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((read.example, read.updated_at), (None, at(5)));

    assert!(store
        .delete_event_type(acme, &kind("order.paid"))
        .await
        .unwrap());
    assert!(!store
        .delete_event_type(acme, &kind("order.paid"))
        .await
        .unwrap());
    assert!(matches!(
        store.update_event_type(&paid).await,
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

async fn console_links_open_until_revoked_or_expired(store: &dyn Store) {
    let (acme, other) = (account("acme"), account("other"));
    let mut links = Vec::new();
    for ttl in [60, 3600, 3600, 7200] {
        let (link, token) = ConsoleLink::mint(&acme, ttl == 7200, ttl, at(0), &OsRandom);
        store.insert_console_link(&link).await.unwrap();
        links.push((link, token));
    }
    let (foreign, _) = ConsoleLink::mint(&other, false, 3600, at(0), &OsRandom);
    store.insert_console_link(&foreign).await.unwrap();

    let (short, token) = &links[0];
    let read = store
        .get_console_link(acme.id, short.id, at(0))
        .await
        .unwrap();
    assert_eq!(read.as_ref(), Some(short));
    assert!(read.is_some_and(|link| link.admits(&token.hash(), at(0))));
    let later = at(120_000);
    assert_eq!(
        store
            .get_console_link(acme.id, short.id, later)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .get_console_link(other.id, short.id, at(0))
            .await
            .unwrap(),
        None
    );

    let ids = |links: &[ConsoleLink]| links.iter().map(|l| l.id).collect::<Vec<ConsoleLinkId>>();
    let mut live: Vec<ConsoleLinkId> = links[1..].iter().map(|(l, _)| l.id).collect();
    live.sort();
    let listed = every_page(2, |after| async move {
        store
            .list_console_links(acme.id, after.as_deref(), 2, later)
            .await
    })
    .await;
    assert_eq!(ids(&listed), live);

    let revoked = live[0];
    assert!(store.delete_console_link(acme.id, revoked).await.unwrap());
    assert!(!store.delete_console_link(acme.id, revoked).await.unwrap());
    assert_eq!(
        store
            .get_console_link(acme.id, revoked, at(0))
            .await
            .unwrap(),
        None
    );
    let listed = store
        .list_console_links(acme.id, None, 100, later)
        .await
        .unwrap();
    assert_eq!(ids(&listed.items), live[1..].to_vec());
    assert_eq!(listed.next, None);
}

async fn send_slots_are_handed_out_once_each_at_the_rate(store: &dyn Store) {
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

async fn an_offset_past_the_read_cap_still_returns_its_page(store: &dyn Store) {
    let owner = account("Owner").id;
    let all: Vec<Delivery> = (0..1_200i64)
        .map(|i| {
            let mut source = event(owner);
            source.id = EventId::generate(at(i * 1_000), &OsRandom);
            let fields = serde_json::json!({ "created_at": at(i * 1_000) });
            with_fields(&delivery(&source, None), fields)
        })
        .collect();
    store.insert_deliveries(&all).await.unwrap();
    let params = ListParams {
        offset: 1_100,
        limit: 10,
        ..ListParams::default()
    };
    let page = store
        .list_deliveries(owner, &DeliveryFilter::default(), &params, at(0))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 10, "next_cursor: {:?}", page.next_cursor);
}

async fn stats_add_up_per_hour_and_scope(store: &dyn Store) {
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

fn claim(lease_ms: i64) -> Change {
    Change::Claimed {
        lease_until: at(lease_ms),
    }
}

async fn a_claim_takes_a_due_delivery_once_until_its_lease_ends(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let url = WebhookUrl::parse("https://hooks.example.com/in").expect("url");
    let due = Delivery::new(&source, None, url, at(5_000));
    store
        .record_event(&source, std::slice::from_ref(&due))
        .await
        .unwrap();
    let id = due.id();
    let change = |attempts, change: Change, now_ms| {
        let change = change.clone();
        async move {
            store
                .change_delivery(owner, id, attempts, &change, at(now_ms))
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

async fn long_waits_are_listed_by_wake_bucket_until_they_move_on(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let url = WebhookUrl::parse("https://hooks.example.com/in").expect("url");
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
    let moved = store.waiting_in(later, None, 10).await.unwrap();
    assert_eq!(
        moved
            .items
            .iter()
            .map(|w| w.delivery_id)
            .collect::<Vec<_>>(),
        vec![first.id()]
    );
    assert!(!store
        .waiting_in(bucket, None, 200)
        .await
        .unwrap()
        .items
        .iter()
        .any(|w| w.delivery_id == first.id()));
    store
        .change_delivery(owner, first.id(), 1, &Change::Swept, at(7_300_000))
        .await
        .unwrap();
    assert!(store
        .waiting_in(later, None, 10)
        .await
        .unwrap()
        .items
        .is_empty());
}

async fn a_wake_buckets_schedule_is_claimed_once(store: &dyn Store) {
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

async fn overdue_deliveries_page_through_every_shard(store: &dyn Store) {
    let owner = account("Owner").id;
    let url = WebhookUrl::parse("https://hooks.example.com/in").expect("url");
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

async fn a_held_slot_is_kept_until_the_attempt(store: &dyn Store) {
    let owner = account("Owner").id;
    let source = event(owner);
    let url = WebhookUrl::parse("https://hooks.example.com/in").expect("url");
    let fresh = Delivery::new(&source, None, url, at(0));
    store
        .record_event(&source, std::slice::from_ref(&fresh))
        .await
        .unwrap();
    let slot = at(3_600_000);
    let held = Change::Held { slot };
    let Changed::Applied(waiting) = store
        .change_delivery(owner, fresh.id(), 0, &held, at(1))
        .await
        .unwrap()
    else {
        panic!("held");
    };
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
    let Changed::Applied(claimed) = store
        .change_delivery(owner, fresh.id(), 0, &claim(3_700_000), slot)
        .await
        .unwrap()
    else {
        panic!("claimed at the slot");
    };
    assert_eq!(claimed.held_slot(), Some(slot));
    let sent = attempted(attempt(3_600_001, 200), Outcome::Delivered);
    let Changed::Applied(done) = store
        .change_delivery(owner, fresh.id(), 0, &sent, at(3_600_002))
        .await
        .unwrap()
    else {
        panic!("attempted");
    };
    assert_eq!(
        (done.held_slot(), done.wake(), done.sweep_at()),
        (None, None, None)
    );
}

async fn an_updated_at_sort_reads_a_bounded_window(store: &dyn Store) {
    let owner = account("Owner").id;
    let all: Vec<Delivery> = (0..5_010)
        .map(|_| {
            let mut one = event(owner);
            one.id = EventId::generate(at(0), &OsRandom);
            delivery(&one, None)
        })
        .collect();
    store.insert_deliveries(&all).await.unwrap();
    // A filter that matches almost nothing still reads the window.
    let rare = DeliveryFilter {
        event_id: None,
        event_name: Some(EventPart::parse("rare").expect("part")),
        ..DeliveryFilter::default()
    };
    let params = ListParams {
        sort: SortField::UpdatedAt,
        ..ListParams::default()
    };
    let read = store.list_deliveries(owner, &rare, &params, at(5)).await;
    assert!(
        matches!(read, Err(StoreError::TooBroad { field: "sort", .. })),
        "{read:?}"
    );
    // A window that holds fewer reads it whole.
    let narrow = ListParams {
        end: Some(at(0)),
        ..params
    };
    let read = store.list_deliveries(owner, &rare, &narrow, at(5)).await;
    assert!(read.is_ok(), "{read:?}");
}

async fn a_tasks_step_is_claimed_once_advanced_swept_and_ended(store: &dyn Store) {
    let owner = account("Owner").id;
    let kind = TaskKind::Recover {
        webhook_id: WebhookId::generate(at(0), &OsRandom),
        since: at(0),
    };
    let task = Task::new(TaskId::generate(at(0), &OsRandom), owner, kind, at(0), 60);
    store.insert_task(&task).await.unwrap();
    let again = store.insert_task(&task).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    let change = |step, change: TaskChange, now_ms| {
        let task = task.clone();
        async move {
            store
                .change_task(owner, task.id, step, &change, at(now_ms))
                .await
                .unwrap()
        }
    };
    let claim = |lease_ms| TaskChange::Claimed {
        lease_until: at(lease_ms),
    };
    // Two copies of the step's message at once: one claims it.
    let racing = (0..6).map(|_| change(0, claim(60_000), 1));
    let claims = futures::future::join_all(racing).await;
    let won: Vec<&Task> = claims
        .iter()
        .filter_map(|c| match c {
            Changed::Applied(task) => Some(task),
            Changed::Refused(_) => None,
        })
        .collect();
    assert_eq!(won.len(), 1, "{claims:?}");
    let mut expected = task.clone();
    expected.apply(&claim(60_000), at(1));
    assert_eq!(won[0], &expected);
    // Its holder died: after the lease another takes it, a second try.
    let Changed::Applied(retaken) = change(0, claim(120_000), 60_000).await else {
        panic!("retaken");
    };
    assert_eq!(retaken.tries, 2);
    let advance = TaskChange::Advanced {
        cursor: Some("page-2".into()),
        next_at: at(61_000),
    };
    let Changed::Applied(next) = change(0, advance.clone(), 61_000).await else {
        panic!("advanced");
    };
    assert_eq!(
        (
            next.step,
            next.cursor.as_deref(),
            next.tries,
            next.lease_until
        ),
        (1, Some("page-2"), 0, None)
    );
    // A message for the step done already finds a later one.
    assert!(
        matches!(change(0, claim(200_000), 62_000).await, Changed::Refused(Some(t)) if t.step == 1)
    );
    // Its message lost, the sweeper finds it once past its sweep time.
    let overdue = |now_ms| async move { store.overdue(at(now_ms), None, 10).await.unwrap().items };
    let sweep_time = next.sweep_at.millis() - BASE_MS;
    assert!(overdue(sweep_time).await.is_empty());
    assert_eq!(
        overdue(sweep_time + 1).await,
        vec![Overdue::Task {
            account_id: owner,
            task_id: task.id,
            step: 1
        }]
    );
    let Changed::Applied(swept) = change(1, TaskChange::Swept, sweep_time + 2).await else {
        panic!("swept");
    };
    assert!(overdue(sweep_time + 3).await.is_empty());
    // Ended: gone, from the sweeper's sight too; a stale end changes nothing.
    store.finish_task(owner, task.id, 0).await.unwrap();
    assert!(matches!(
        change(1, TaskChange::Swept, 0).await,
        Changed::Applied(_)
    ));
    store.finish_task(owner, task.id, swept.step).await.unwrap();
    assert_eq!(change(1, claim(0), 0).await, Changed::Refused(None));
    let late = swept.sweep_at.millis() - BASE_MS + 1;
    assert!(overdue(late).await.is_empty());
}
