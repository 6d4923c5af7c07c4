//! What ingest hands on: fan-out to matching webhooks or one ad-hoc URL, the
//! payload byte for byte, and idempotency keys, also across a failed ingest.

use super::{settled, subscribed, webhook, SECRET};
use crate::faults::{Faults, Faulty};
use crate::helpers;
use crate::helpers::receiver::{verify_with_standardwebhooks, Receiver, Request};
use crate::helpers::{eventually, Server};
use hookrelay::domain::delivery::DeliveryStatus;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay_local::Backend;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

pub(super) async fn fan_out_reaches_every_matching_enabled_webhook_signed(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let url = receiver.url("ok");
    let exact = webhook(&server, "exact", &url, json!(["user.created"]), true).await;
    let any_type = webhook(&server, "any type", &url, json!(["user.*"]), true).await;
    webhook(&server, "other", &url, json!(["order.*"]), true).await;
    webhook(&server, "off", &url, json!(["*"]), false).await;
    // Sent as text: the payload must arrive byte for byte (`1E15` stays `1E15`).
    let payload = r#"{"id": 7, "big": 12345678901234567890, "exp": 1E15, "price": 1.50}"#;
    let raw = format!(
        r#"{{"name": "user", "type": "created", "payload": {payload}, "context": {{"ip": "10.0.0.1"}}}}"#
    );
    let (status, answer) = server.post_text("/v1/events", &raw).await;
    assert_eq!(status, 202, "{answer}");
    let ids = helpers::ids_in(&answer["deliveries"]);
    assert_eq!(ids.len(), 2, "only the enabled, matching webhooks");
    let requests = eventually(20, "two requests", || async {
        Some(receiver.requests("ok")).filter(|r| r.len() >= 2)
    })
    .await;
    for request in &requests {
        assert_signed_as_sent(request, payload, &ids);
    }
    for id in &ids {
        let done = settled(&server, id).await;
        assert_eq!(
            (done.status(), done.attempts(), done.code()),
            (DeliveryStatus::Delivered, 1, 200)
        );
        assert!([&exact, &any_type].contains(&&done.webhook_id().unwrap().to_string()));
    }
    // Nothing more arrives (the disabled and the non-matching webhooks).
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.requests("ok").len(), 2);
    server.stop().await;
}

/// A request of the fan-out: signed, for its delivery, the event's payload
/// byte for byte and its context.
fn assert_signed_as_sent(request: &Request, payload: &str, ids: &[String]) {
    verify_with_standardwebhooks(SECRET, request);
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["event"]["name"], "user");
    assert_eq!(body["event"]["type"], "created");
    assert!(
        request.body.contains(&format!(r#""payload":{payload}"#)),
        "payload byte for byte: {}",
        request.body
    );
    assert_eq!(body["context"], json!({"ip": "10.0.0.1"}));
    let trace = body["event"]["traceId"].as_str().unwrap();
    assert_eq!(request.headers["webhook-id"], trace);
    assert!(ids.contains(&trace.to_owned()));
    assert_eq!(request.headers["content-type"], "application/json");
    assert!(request.headers["user-agent"].starts_with("hookrelay/"));
}

pub(super) async fn an_ad_hoc_url_receives_the_event_alone(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, "subscriber", "fail").await;
    let ids = server.send_event(json!({"name": "image", "type": "processed", "payload": {"ok": true}, "webhook": {"url": receiver.url("ok")}})).await;
    assert_eq!(ids.len(), 1);
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.webhook_id()),
        (DeliveryStatus::Delivered, None)
    );
    assert_eq!(receiver.requests("ok").len(), 1);
    assert!(
        receiver.requests("fail").is_empty(),
        "subscribers are not used for an ad-hoc URL"
    );
    server.stop().await;
}

/// SQS refuses U+FFFE and U+FFFF in a message: an event holding them is
/// read from the store by its sender instead of travelling in the message.
pub(super) async fn characters_a_queue_refuses_are_delivered_byte_for_byte(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, "odd", "ok").await;
    let text = "a\u{FFFE}b\u{FFFF}c";
    let ids = server
        .send_event(json!({"name": "a", "type": "b", "payload": {"text": text}}))
        .await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(done.status(), DeliveryStatus::Delivered);
    let body = &receiver.requests("ok")[0].body;
    assert!(body.contains(text), "{body:?}");
    server.stop().await;
}

pub(super) async fn the_same_idempotency_key_creates_nothing_new(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, "once", "ok").await;
    let event = json!({"name": "a", "type": "b", "payload": {"n": 1}}).to_string();
    let call = |key: &'static str| {
        let event = &event;
        let server = &server;
        async move {
            let (status, answer) = post_keyed(server, key, event).await;
            assert_eq!(status, 202, "{answer}");
            answer
        }
    };
    let first = call("order-42").await;
    let again = call("order-42").await;
    assert_eq!(first, again, "the first answer, again");
    eventually(20, "the one request", || async {
        receiver.requests("ok").pop()
    })
    .await;
    let other = call("order-43").await;
    assert_ne!(other["id"], first["id"]);
    eventually(20, "the second key's request", || async {
        Some(receiver.requests("ok")).filter(|r| r.len() == 2)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.requests("ok").len(), 2, "one request per key");
    // The same key with another body within 24 h is a mistake, not a replay.
    let other_body = json!({"name": "a", "type": "b", "payload": {"n": 2}}).to_string();
    let (status, refused) = post_keyed(&server, "order-42", &other_body).await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(helpers::error_fields(&refused), vec!["Idempotency-Key"]);
    let (status, answer) = server.post_text("/v1/events", &event).await;
    assert_eq!(status, 202, "{answer}");
    server.stop().await;
}

/// An ingest that crashes between recording deliveries and queueing them
/// (the queue's next send fails, which no real server does on demand).
#[tokio::test]
async fn a_retry_with_the_same_key_finishes_an_ingest_that_failed_half_way() {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let settings = helpers::settings(Backend::Memory);
    let mut adapters =
        hookrelay_local::adapters_with_clock(Backend::Memory, &settings, clock.clone())
            .await
            .unwrap();
    let faults = Arc::new(Faults::default());
    adapters.queue = Arc::new(Faulty {
        inner: adapters.queue,
        faults: faults.clone(),
    });
    let server = Server::start_on(adapters, settings, None).await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, "one", "ok").await;
    subscribed(&server, &receiver, "two", "ok").await;
    let event = json!({"name": "a", "type": "b", "payload": {"n": 1}}).to_string();
    let post = || post_keyed(&server, "crash-42", &event);
    faults.arm("send");
    let (status, failed) = post().await;
    assert_eq!(status, 503, "{failed}");
    // Straight away, the first request might still be running: 409.
    assert_eq!(post().await.0, 409);
    // Later, a retry finishes the first request's plan.
    clock.advance_millis(31_000);
    let (status, done) = post().await;
    assert_eq!(status, 202, "{done}");
    assert_eq!(done["deliveries"].as_array().unwrap().len(), 2);
    // Those the first request recorded may have their first messages queued
    // already: they are checked once those can no longer send unread.
    clock.advance_millis(i64::from(hookrelay::pipeline::enqueue::RECHECK_SECONDS) * 1000);
    eventually(20, "both deliveries", || async {
        Some(receiver.requests("ok")).filter(|r| r.len() >= 2)
    })
    .await;
    let (status, again) = post().await;
    assert_eq!(
        (status, &again),
        (202, &done),
        "the first complete answer, again"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let requests = receiver.requests("ok");
    assert_eq!(requests.len(), 2, "no duplicates");
    assert_ne!(
        requests[0].headers["webhook-id"],
        requests[1].headers["webhook-id"]
    );
    server.stop().await;
}

/// Posts `event` (as text) with an Idempotency-Key; the status and answer.
async fn post_keyed(server: &Server, key: &str, event: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/v1/events", server.url))
        .bearer_auth(&server.key)
        .header("idempotency-key", key)
        .body(event.to_owned())
        .send()
        .await
        .expect("request reaches the server");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON answer"))
}
