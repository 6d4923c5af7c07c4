//! The pipeline at scale and at cost: an event matching thousands of webhooks
//! reaches every one of them, and on SQS/DynamoDB (moto) one delivery costs
//! at most 4 AWS calls and 6 write units, counted by an SDK interceptor on
//! the requests actually made and the items actually stored.

mod common;

use common::receiver::Receiver;
use common::{eventually, Server};
use futures::stream::{self, StreamExt};
use hookrelay::domain::ids::WebhookId;
use hookrelay::domain::webhook::{EventPattern, EventPatterns, Name, Secret, Webhook};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::ports::random::OsRandom;
use hookrelay_local::Backend;
use serde_json::json;
use std::collections::HashSet;
use std::time::Instant;

on_both_backends!(an_event_matching_thousands_of_webhooks_reaches_every_one);

/// `count` enabled webhooks of the server's account on `url`, subscribed to `order.*`.
async fn many_webhooks(server: &Server, url: &str, count: usize) {
    let now = server.app.clock.now();
    let url = WebhookUrl::parse(url).expect("url");
    let inserted: Vec<_> = stream::iter(0..count)
        .map(|i| {
            let webhook = Webhook::new(
                WebhookId::generate(now, &OsRandom),
                server.account,
                Name::parse(&format!("hook {i}")).expect("name"),
                url.clone(),
                EventPatterns::new(vec![EventPattern::parse("order.*").expect("pattern")])
                    .expect("patterns"),
                Secret::generate(&OsRandom),
                now,
            );
            let store = server.app.store.clone();
            async move { store.insert_webhook(&webhook).await }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    assert!(inserted.iter().all(Result::is_ok));
}

async fn an_event_matching_thousands_of_webhooks_reaches_every_one(backend: Backend) {
    // Memory: the 10,000; moto is slower per call, so 1,000 there.
    let count = if backend == Backend::Memory {
        10_000
    } else {
        1_000
    };
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    many_webhooks(&server, &receiver.url("ok"), count).await;
    let started = Instant::now();
    let (status, accepted) = server
        .post(
            "/v1/events",
            json!({"name": "order", "type": "paid", "payload": {"n": 1}}),
        )
        .await;
    let took = started.elapsed();
    assert_eq!(status, 202, "{accepted}");
    assert!(
        accepted.get("deliveries").is_none(),
        "a fan-out this large continues through the queue: {accepted}"
    );
    assert!(
        took.as_millis() < 1_000,
        "ingest is O(1) in subscribers; took {took:?}"
    );
    eventually(300, "every webhook to receive the event", || async {
        let ids: HashSet<String> = receiver
            .requests("ok")
            .iter()
            .map(|r| r.headers["webhook-id"].clone())
            .collect();
        (ids.len() >= count).then_some(())
    })
    .await;
    assert_eq!(receiver.requests("ok").len(), count, "each exactly once");
    // The event's deliveries are listed by its id, every one delivered.
    let event = accepted["id"].as_str().expect("event id");
    let mut listed = HashSet::new();
    let mut path = format!("/v1/deliveries?event_id={event}&limit=100");
    loop {
        let (status, page) = server.get(&path).await;
        assert_eq!(status, 200, "{page}");
        for delivery in page["deliveries"].as_array().expect("deliveries") {
            assert_eq!(delivery["event_id"], json!(event));
            assert_eq!(delivery["status"], json!("delivered"), "{delivery}");
            listed.insert(delivery["id"].as_str().expect("id").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/v1/deliveries?event_id={event}&limit=100&cursor={cursor}")
            }
            None => break,
        }
    }
    assert_eq!(listed.len(), count);
    server.stop().await;
}

#[tokio::test]
async fn a_delivery_costs_at_most_four_aws_calls_and_six_write_units() {
    const EVENTS: usize = 20;
    let receiver = Receiver::start().await;
    let report = hookrelay_local::costs::measure(
        common::settings(Backend::Aws),
        &receiver.url("ok"),
        EVENTS,
    )
    .await
    .expect("measured on moto");
    println!(
        "AWS calls for {EVENTS} events at fan-out 1: {:?}",
        report.calls
    );
    assert!(
        report.calls_per_delivery() <= 4.0,
        "{:.2} calls a delivery: {:?}",
        report.calls_per_delivery(),
        report.calls
    );
    // Delivery stats are flushed in batches (each second here, each SQS
    // batch in Lambda): fewer writes than deliveries.
    println!("stats writes: {}", report.stats_writes);
    assert!(report.stats_writes < EVENTS, "{}", report.stats_writes);
    assert_eq!(report.deliveries.len(), EVENTS);
    for writes in &report.deliveries {
        println!("{writes:?}");
        assert!(writes.units <= 6, "{writes:?}");
    }
    assert_eq!(
        receiver.requests("ok").len(),
        EVENTS + 1,
        "each once, and the warm-up"
    );
}

#[tokio::test]
async fn a_list_page_ends_before_its_answer_passes_five_megabytes() {
    let server = Server::start(Backend::Memory).await;
    let receiver = Receiver::start().await;
    server
        .create_webhook(json!({"name": "big", "url": receiver.url("ok"), "events": ["order.*"]}))
        .await;
    let payload = "x".repeat(200_000);
    for n in 0..30 {
        let body = json!({"name": "order", "type": "paid", "payload": {"n": n, "blob": payload}});
        assert_eq!(server.post("/v1/events", body).await.0, 202);
    }
    let (status, first) = server.get("/v1/deliveries?limit=100").await;
    assert_eq!(status, 200);
    let shown = first["deliveries"].as_array().expect("deliveries").len();
    assert!(
        (1..30).contains(&shown),
        "30 × 200 KB does not fit in 5 MB: {shown} shown"
    );
    assert!(first.to_string().len() < 5_200_000);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a cursor for the rest");
    let (_, rest) = server
        .get(&format!("/v1/deliveries?limit=100&cursor={cursor}"))
        .await;
    let mut ids: HashSet<&str> = HashSet::new();
    for page in [&first, &rest] {
        for d in page["deliveries"].as_array().expect("deliveries") {
            ids.insert(d["id"].as_str().expect("id"));
        }
    }
    assert_eq!(ids.len(), 30, "every delivery, once, across the pages");
    server.stop().await;
}
