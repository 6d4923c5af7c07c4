//! The pipeline at scale and at cost: an event matching thousands of webhooks
//! reaches every one of them, and on SQS/DynamoDB (moto) one delivery costs
//! at most 4 AWS calls and 6 write units, counted by an SDK interceptor on
//! the requests actually made and the items actually stored.

mod common;

use aws_sdk_dynamodb::types::AttributeValue;
use common::receiver::Receiver;
use common::{eventually, Server};
use futures::stream::{self, StreamExt};
use hookrelay::adapters::aws::calls::Call;
use hookrelay::adapters::aws::costs::{item_size, write_units};
use hookrelay::adapters::aws::{sdk_config, AwsClients, CallLog};
use hookrelay::domain::ids::WebhookId;
use hookrelay::domain::webhook::{EventPattern, EventPatterns, Name, Secret, Webhook};
use hookrelay::domain::webhook_url::WebhookUrl;
use hookrelay::ports::clock::SystemClock;
use hookrelay::ports::random::OsRandom;
use hookrelay_local::Backend;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
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

/// What the local runner calls to do what AWS does around the functions:
/// the event source mapping's receive/delete, EventBridge firing schedules.
const RUNNER_OWN: [&str; 6] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "scheduler:ListSchedules",
    "scheduler:GetSchedule",
    "scheduler:DeleteSchedule",
];

/// A DynamoDB wire-format value (`{"S": "..."}`) as the SDK's type.
fn attribute(value: &Value) -> AttributeValue {
    let (kind, inner) = value
        .as_object()
        .and_then(|o| o.iter().next())
        .expect("a typed value");
    let text = || inner.as_str().unwrap_or_default().to_owned();
    match kind.as_str() {
        "S" => AttributeValue::S(text()),
        "N" => AttributeValue::N(text()),
        "BOOL" => AttributeValue::Bool(inner.as_bool().unwrap_or_default()),
        "NULL" => AttributeValue::Null(true),
        "L" => AttributeValue::L(
            inner
                .as_array()
                .into_iter()
                .flatten()
                .map(attribute)
                .collect(),
        ),
        "M" => AttributeValue::M(item(inner)),
        other => panic!("an attribute type these items do not use: {other}"),
    }
}

fn item(value: &Value) -> HashMap<String, AttributeValue> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), attribute(v)))
        .collect()
}

/// Every item put by the BatchWriteItem calls in `calls`.
fn batch_puts(calls: &[Call]) -> Vec<HashMap<String, AttributeValue>> {
    calls
        .iter()
        .filter(|c| c.action == "dynamodb:BatchWriteItem")
        .filter_map(|c| serde_json::from_str::<Value>(c.body.as_deref()?).ok())
        .flat_map(|body| {
            body["RequestItems"]
                .as_object()
                .into_iter()
                .flat_map(|tables| tables.values())
                .flat_map(|writes| writes.as_array().cloned().unwrap_or_default())
                .filter_map(|write| write.get("PutRequest").map(|p| item(&p["Item"])))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn text(item: &HashMap<String, AttributeValue>, name: &str) -> String {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_delivery_costs_at_most_four_aws_calls_and_six_write_units() {
    let settings = common::settings(Backend::Aws);
    let config = sdk_config().await;
    let log = CallLog::new();
    let adapters = hookrelay_local::aws_adapters(
        &settings,
        AwsClients::recorded(&config, &log),
        Arc::new(SystemClock),
    )
    .await
    .expect("adapters on moto");
    let table = settings.table_name.clone();
    let server = Server::start_on(adapters, settings, None).await;
    let receiver = Receiver::start().await;
    server
        .create_webhook(json!({"name": "one", "url": receiver.url("ok"), "events": ["order.*"]}))
        .await;
    let send = |n: usize| {
        let server = &server;
        async move {
            let body = json!({"name": "order", "type": "paid", "payload": {"order_id": n, "total": "19.99"}});
            let (status, answer) = server.post("/v1/events", body).await;
            assert_eq!(status, 202, "{answer}");
        }
    };
    let arrived = |n: usize| {
        let receiver = &receiver;
        async move {
            eventually(60, "the deliveries", || async {
                (receiver.requests("ok").len() >= n).then_some(())
            })
            .await
        }
    };
    // A warm function: the first event fills the API-key and webhook caches.
    send(0).await;
    arrived(1).await;
    let deliveries = || async {
        let (_, page) = server
            .get("/v1/deliveries?status=delivered&limit=100")
            .await;
        page["deliveries"].as_array().map_or(0, Vec::len)
    };
    eventually(30, "the first delivery recorded", || async {
        (deliveries().await >= 1).then_some(())
    })
    .await;
    log.take();

    const EVENTS: usize = 20;
    for n in 1..=EVENTS {
        send(n).await;
    }
    arrived(EVENTS + 1).await;
    // Until every outcome is recorded (read with a client that is not counted).
    let plain = aws_sdk_dynamodb::Client::new(&config);
    let puts_so_far = || batch_puts(&log.snapshot());
    let final_item = |pk: String, sk: String| {
        let plain = plain.clone();
        let table = table.clone();
        async move {
            plain
                .get_item()
                .table_name(table)
                .key("pk", AttributeValue::S(pk))
                .key("sk", AttributeValue::S(sk))
                .consistent_read(true)
                .send()
                .await
                .expect("get item")
                .item
                .expect("stored")
        }
    };
    let finals = eventually(30, "every delivery recorded delivered", || async {
        let mut finals = Vec::new();
        for put in puts_so_far()
            .iter()
            .filter(|i| text(i, "pk").starts_with("D#"))
        {
            let stored = final_item(text(put, "pk"), text(put, "sk")).await;
            if text(&stored, "status") != "delivered" {
                return None;
            }
            finals.push((put.clone(), stored));
        }
        (finals.len() == EVENTS).then_some(finals)
    })
    .await;

    let calls = log.take();
    let counted: Vec<&Call> = calls
        .iter()
        .filter(|c| !RUNNER_OWN.contains(&c.action.as_str()))
        .collect();
    let mut by_action: BTreeMap<&str, usize> = BTreeMap::new();
    for call in &counted {
        *by_action.entry(call.action.as_str()).or_default() += 1;
    }
    println!("AWS calls for {EVENTS} events at fan-out 1: {by_action:?}");
    assert!(
        counted.len() <= 4 * EVENTS,
        "{} calls for {EVENTS} events ({:.2} each): {by_action:?}",
        counted.len(),
        counted.len() as f64 / EVENTS as f64
    );

    let events: HashMap<String, HashMap<String, AttributeValue>> = batch_puts(&calls)
        .into_iter()
        .filter(|i| text(i, "pk").starts_with("EVENT#"))
        .map(|i| (text(&i, "id"), i))
        .collect();
    for (inserted, delivered) in &finals {
        let event = &events[&text(inserted, "event_id")];
        let units = write_units(None, Some(event))
            + write_units(None, Some(inserted))
            + write_units(Some(inserted), Some(delivered));
        println!(
            "write units: {units} (event {} B, delivery {} B recorded, {} B delivered)",
            item_size(event),
            item_size(inserted),
            item_size(delivered)
        );
        assert!(units <= 6, "{units} write units for one delivery");
    }
    server.stop().await;
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
