//! The delivery function's batch contract, as Lambda's SQS event source sees it.

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use hookrelay::adapters::memory::{LocalKeyRing, MemoryQueue, MemoryScheduler, MemoryStore};
use hookrelay::app::{Adapters, App};
use hookrelay::config::{Deployment, Settings};
use hookrelay::domain::delivery::{Delivery, DeliveryStatus, KeptUrl};
use hookrelay::domain::event::{Event, EventKind, EventPart, JsonText};
use hookrelay::domain::ids::{AccountId, EventId, WebhookId};
use hookrelay::domain::listing::ListParams;
use hookrelay::domain::task::TaskKind;
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::pipeline::tasks;
use hookrelay::ports::clock::{Clock, SystemClock};
use hookrelay::ports::queue::{DeliveryMessage, QueueMessage};
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::DeliveryFilter;
use std::sync::Arc;
use std::time::Duration;

fn app() -> App {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let sealer = LocalKeyRing::ephemeral_sealer(clock.clone());
    let adapters = Adapters {
        store: Arc::new(MemoryStore::new(sealer.clone())),
        queue: Arc::new(MemoryQueue::new(clock.clone(), Duration::from_secs(60))),
        scheduler: Arc::new(MemoryScheduler::new()),
        clock,
        sealer,
    };
    App::new(adapters, Settings::defaults(Deployment::Local)).expect("app")
}

/// An `a.b` event of `account`, now.
fn event_of(app: &App, account: AccountId) -> Event {
    let now = app.clock.now();
    let kind = EventKind {
        name: EventPart::parse("a").expect("part"),
        kind: EventPart::parse("b").expect("part"),
    };
    let empty = || JsonText::parse("{}").expect("json");
    Event::new(
        EventId::generate(now, &OsRandom),
        account,
        kind,
        empty(),
        empty(),
        now,
        60,
    )
}

fn record(id: &str, body: &str) -> SqsMessage {
    let mut record = SqsMessage::default();
    record.message_id = Some(id.to_owned());
    record.body = Some(body.to_owned());
    record
}

/// An ad-hoc delivery to a loopback receiver that answers 200.
async fn pending_delivery(app: &App) -> (DeliveryMessage, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let receiver = tokio::spawn(async move {
        let router = axum::Router::new().route("/in", axum::routing::post(|| async { "ok" }));
        let _ = axum::serve(listener, router).await;
    });
    let now = app.clock.now();
    let account = AccountId::generate(now, &OsRandom);
    let event = event_of(app, account);
    let url = KeptUrl::shown(&WebhookUrl::parse(&format!("http://{addr}/in")).expect("url"));
    let delivery = Delivery::new(&event, None, url, now);
    app.store
        .record_event(&event, std::slice::from_ref(&delivery))
        .await
        .expect("event and delivery");
    (DeliveryMessage::again(account, delivery.id(), 0), receiver)
}

#[tokio::test]
async fn a_malformed_record_is_dropped_without_failing_the_batch() {
    let app = app();
    let (message, _receiver) = pending_delivery(&app).await;
    let mut event = SqsEvent::default();
    event.records = vec![
        record("bad-json", "{not json"),
        record("wrong-shape", r#"{"hello": "world"}"#),
        record(
            "good",
            &QueueMessage::from(message.clone()).to_json().unwrap(),
        ),
    ];
    let response = hookrelay_delivery::handle_batch(&app, event).await;
    assert!(
        response.batch_item_failures.is_empty(),
        "malformed records are not retried"
    );
    let delivered = app
        .store
        .get_delivery(message.account_id, message.delivery_id, app.clock.now())
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (delivered.status(), delivered.attempts()),
        (DeliveryStatus::Delivered, 1)
    );
}

#[tokio::test]
async fn a_repeated_message_for_a_finished_delivery_is_dropped() {
    let app = app();
    let (message, _receiver) = pending_delivery(&app).await;
    let batch = || {
        let mut event = SqsEvent::default();
        event.records = vec![record(
            "m",
            &QueueMessage::from(message.clone()).to_json().unwrap(),
        )];
        event
    };
    assert!(hookrelay_delivery::handle_batch(&app, batch())
        .await
        .batch_item_failures
        .is_empty());
    // At-least-once: the same message again sends nothing more.
    assert!(hookrelay_delivery::handle_batch(&app, batch())
        .await
        .batch_item_failures
        .is_empty());
    let delivery = app
        .store
        .get_delivery(message.account_id, message.delivery_id, app.clock.now())
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(delivery.attempts(), 1);
}

/// How many deliveries of `webhook` the store holds.
async fn deliveries_of(app: &App, account: AccountId, webhook: WebhookId) -> usize {
    let filter = DeliveryFilter {
        webhook_id: Some(webhook),
        ..DeliveryFilter::default()
    };
    let mut params = ListParams {
        limit: 100,
        ..ListParams::default()
    };
    let mut total = 0;
    loop {
        let page = app
            .store
            .list_deliveries(account, &filter, &params, app.clock.now())
            .await
            .expect("list");
        total += page.items.len();
        match page.next_cursor {
            Some(c) => params.cursor = Some(c),
            None => return total,
        }
    }
}

/// Hands what the queue holds to the delivery function, a batch of 10 at a
/// time, until it is empty (at most 20 batches); each batch succeeds.
async fn work_through_the_queue(app: &App) {
    for _ in 0..20 {
        let received = app
            .queue
            .receive(10, Duration::ZERO)
            .await
            .expect("receive");
        if received.is_empty() {
            break;
        }
        let mut event = SqsEvent::default();
        event.records = received
            .iter()
            .map(|r| record(&r.message_id, &r.body))
            .collect();
        assert!(hookrelay_delivery::handle_batch(app, event)
            .await
            .batch_item_failures
            .is_empty());
        for r in received {
            app.queue.delete(&r.receipt_handle).await.expect("delete");
        }
    }
}

#[tokio::test]
async fn a_deleted_webhooks_deliveries_are_removed_in_the_background() {
    let app = app();
    let now = app.clock.now();
    let account = AccountId::generate(now, &OsRandom);
    let (gone, kept) = (
        WebhookId::generate(now, &OsRandom),
        WebhookId::generate(now, &OsRandom),
    );
    let url = KeptUrl::shown(&WebhookUrl::parse("https://hooks.example.com/in").expect("url"));
    let deliveries: Vec<Delivery> = (0..255)
        .map(|i| {
            Delivery::new(
                &event_of(&app, account),
                Some(if i < 250 { gone } else { kept }),
                url.clone(),
                now,
            )
        })
        .collect();
    app.store
        .insert_deliveries(&deliveries)
        .await
        .expect("insert");
    // A purge task (as DELETE records one), past the deletion's settling time.
    let kind = TaskKind::Purge {
        webhook_id: gone,
        deleted_at: now.plus_seconds(-600),
    };
    tasks::start(&app, account, kind, None, 0)
        .await
        .expect("task");
    assert_eq!(deliveries_of(&app, account, gone).await, 250);
    // The delivery function works through its steps, a page at a time.
    work_through_the_queue(&app).await;
    assert_eq!(
        deliveries_of(&app, account, gone).await,
        0,
        "every delivery of the deleted webhook is gone"
    );
    assert_eq!(
        deliveries_of(&app, account, kept).await,
        5,
        "other webhooks keep theirs"
    );
}

/// The event `cargo lambda invoke delivery --data-file tests/fixtures/sqs-batch.json`
/// sends (README) is one the handler takes: an unknown delivery and a malformed
/// record, both dropped without failing the batch.
#[tokio::test]
async fn the_readme_fixture_is_a_batch_the_handler_takes() {
    let fixture = include_str!("../../../tests/fixtures/sqs-batch.json");
    let event: SqsEvent = serde_json::from_str(fixture).expect("an SQS event");
    assert_eq!(event.records.len(), 2);
    let response = hookrelay_delivery::handle_batch(&app(), event).await;
    assert!(response.batch_item_failures.is_empty());
}
