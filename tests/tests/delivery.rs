//! Ingest, fan-out and delivery end to end over HTTP, on the embedded runner
//! and on SQS/DynamoDB/Scheduler (moto): what a receiving endpoint sees.

mod common;

use common::receiver::{verify_with_standardwebhooks, Receiver};
use common::{eventually, Server};
use hookrelay::domain::delivery::{AttemptError, Delivery, DeliveryStatus};
use hookrelay::domain::ids::DeliveryId;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay::ports::queue::{Enqueue, Queue, QueueError, Received};
use hookrelay_local::Backend;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

on_both_backends!(
    fan_out_reaches_every_matching_enabled_webhook_signed,
    an_ad_hoc_url_receives_the_event_alone,
    a_short_delay_is_waited_out,
    a_long_delay_goes_through_the_scheduler_and_never_arrives_early,
    a_500_is_retried_until_it_succeeds,
    redirects_are_failures_and_are_not_followed,
    a_slow_endpoint_times_out,
    gone_fails_at_once,
    retry_after_is_honoured,
    exhausted_attempts_fail_with_the_right_count,
    the_same_idempotency_key_creates_nothing_new,
    test_send_answers_with_the_outcome,
    a_rate_limit_delays_sends_and_drops_none,
    characters_a_queue_refuses_are_delivered_byte_for_byte,
);

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A server whose retries wait 1 s, with `attempts` attempts in all.
async fn fast_retries(backend: Backend, attempts: usize) -> Server {
    let mut settings = common::settings(backend);
    settings.retry_schedule = vec![1; attempts - 1];
    settings.send_timeout = Duration::from_secs(1);
    Server::start_with(backend, settings, None).await
}

async fn webhook(server: &Server, name: &str, url: &str, events: Value, enabled: bool) -> String {
    let body =
        json!({"name": name, "url": url, "events": events, "secret": SECRET, "enabled": enabled});
    server.create_webhook(body).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn send(server: &Server, event: Value) -> Vec<String> {
    let (status, answer) = server.post("/v1/events", event).await;
    assert_eq!(status, 202, "{answer}");
    assert!(answer["id"].is_string());
    answer["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect()
}

async fn delivery(server: &Server, id: &str) -> Delivery {
    let id = DeliveryId::parse(id).expect("delivery id");
    let now = server.app.clock.now();
    server
        .app
        .store
        .get_delivery(server.account, id, now)
        .await
        .unwrap()
        .expect("delivery exists")
}

async fn settled(server: &Server, id: &str) -> Delivery {
    eventually(20, "the delivery to be delivered or failed", || async {
        Some(delivery(server, id).await).filter(|d| d.status().is_final())
    })
    .await
}

async fn fan_out_reaches_every_matching_enabled_webhook_signed(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let exact = webhook(
        &server,
        "exact",
        &receiver.url("ok"),
        json!(["user.created"]),
        true,
    )
    .await;
    let any_type = webhook(
        &server,
        "any type",
        &receiver.url("ok"),
        json!(["user.*"]),
        true,
    )
    .await;
    webhook(
        &server,
        "other",
        &receiver.url("ok"),
        json!(["order.*"]),
        true,
    )
    .await;
    webhook(&server, "off", &receiver.url("ok"), json!(["*"]), false).await;
    // Sent as text: the payload must arrive byte for byte (`1E15` stays `1E15`).
    let payload = r#"{"id": 7, "big": 12345678901234567890, "exp": 1E15, "price": 1.50}"#;
    let raw = format!(
        r#"{{"name": "user", "type": "created", "payload": {payload}, "context": {{"ip": "10.0.0.1"}}}}"#
    );
    let (status, answer) = server
        .call(
            reqwest::Method::POST,
            "/v1/events",
            common::Auth::Bearer(&server.key),
            Some(&raw),
        )
        .await;
    assert_eq!(status, 202, "{answer}");
    let ids: Vec<String> = answer["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2, "only the enabled, matching webhooks");
    let requests = eventually(20, "two requests", || async {
        Some(receiver.requests("ok")).filter(|r| r.len() >= 2)
    })
    .await;
    for request in &requests {
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

async fn an_ad_hoc_url_receives_the_event_alone(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    webhook(
        &server,
        "subscriber",
        &receiver.url("fail"),
        json!(["*"]),
        true,
    )
    .await;
    let ids = send(&server, json!({"name": "image", "type": "processed", "payload": {"ok": true}, "webhook": {"url": receiver.url("ok")}})).await;
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

async fn a_short_delay_is_waited_out(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    webhook(&server, "delayed", &receiver.url("ok"), json!(["*"]), true).await;
    let sent = Instant::now();
    let ids = send(
        &server,
        json!({"name": "a", "type": "b", "payload": {}, "delay": 2}),
    )
    .await;
    let request = eventually(20, "the delayed request", || async {
        receiver.requests("ok").pop()
    })
    .await;
    assert!(
        request.at.duration_since(sent) >= Duration::from_millis(1900),
        "{:?}",
        request.at.duration_since(sent)
    );
    assert_eq!(
        settled(&server, &ids[0]).await.status(),
        DeliveryStatus::Delivered
    );
    server.stop().await;
}

async fn a_long_delay_goes_through_the_scheduler_and_never_arrives_early(backend: Backend) {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let server = Server::start_full(backend, common::settings(backend), None, clock.clone()).await;
    let receiver = Receiver::start().await;
    webhook(
        &server,
        "next week",
        &receiver.url("ok"),
        json!(["*"]),
        true,
    )
    .await;
    let ids = send(
        &server,
        json!({"name": "a", "type": "b", "payload": {}, "delay": 604_800}),
    )
    .await;
    let waiting = delivery(&server, &ids[0]).await;
    assert_eq!(waiting.status(), DeliveryStatus::Scheduled);
    // The worker polls the schedules every second: an hour early, nothing fires.
    clock.advance_millis((604_800 - 3_600) * 1000);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(receiver.requests("ok").is_empty(), "not before its time");
    clock.advance_millis(3_601 * 1000);
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.attempts()),
        (DeliveryStatus::Delivered, 1)
    );
    assert_eq!(receiver.requests("ok").len(), 1);
    server.stop().await;
}

/// A runner that does not fire schedules (`--aws` on AWS, where EventBridge
/// Scheduler does) leaves a due one alone: it is not sent twice.
#[tokio::test]
async fn a_runner_that_does_not_fire_schedules_leaves_them_to_eventbridge() {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let mut settings = common::settings(Backend::Memory);
    settings.fires_schedules = false;
    let server = Server::start_full(Backend::Memory, settings, None, clock.clone()).await;
    let receiver = Receiver::start().await;
    webhook(&server, "later", &receiver.url("ok"), json!(["*"]), true).await;
    let ids = send(
        &server,
        json!({"name": "a", "type": "b", "payload": {}, "delay": 3_600}),
    )
    .await;
    // Due a minute ago (the sweeper's grace is 15 minutes): several ticks pass.
    clock.advance_millis(3_660 * 1000);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(receiver.requests("ok").is_empty(), "fired by the runner");
    assert_eq!(
        delivery(&server, &ids[0]).await.status(),
        DeliveryStatus::Scheduled
    );
    server.stop().await;
}

async fn a_500_is_retried_until_it_succeeds(backend: Backend) {
    let server = fast_retries(backend, 3).await;
    let receiver = Receiver::start().await;
    webhook(&server, "flaky", &receiver.url("flaky"), json!(["*"]), true).await;
    let ids = send(&server, json!({"name": "a", "type": "b", "payload": {}})).await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.attempts(), done.code()),
        (DeliveryStatus::Delivered, 2, 200)
    );
    assert_eq!(done.attempt_log()[0].code, 500);
    assert_eq!(done.attempt_log()[0].error, Some(AttemptError::HttpStatus));
    assert_eq!(done.attempt_log()[0].response_body, "boom");
    let requests = receiver.requests("flaky");
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].headers["webhook-id"], requests[1].headers["webhook-id"],
        "same webhook-id on a retry"
    );
    verify_with_standardwebhooks(SECRET, &requests[1]);
    server.stop().await;
}

async fn redirects_are_failures_and_are_not_followed(backend: Backend) {
    let server = fast_retries(backend, 2).await;
    let receiver = Receiver::start().await;
    webhook(&server, "moved", &receiver.url("moved"), json!(["*"]), true).await;
    let ids = send(&server, json!({"name": "a", "type": "b", "payload": {}})).await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.attempts(), done.code()),
        (DeliveryStatus::Failed, 2, 302)
    );
    assert!(
        receiver.requests("ok").is_empty(),
        "the redirect was not followed"
    );
    server.stop().await;
}

async fn a_slow_endpoint_times_out(backend: Backend) {
    let server = fast_retries(backend, 2).await;
    let receiver = Receiver::start().await;
    webhook(&server, "slow", &receiver.url("slow"), json!(["*"]), true).await;
    let ids = send(&server, json!({"name": "a", "type": "b", "payload": {}})).await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.attempts(), done.code()),
        (DeliveryStatus::Failed, 2, 0)
    );
    assert!(done
        .attempt_log()
        .iter()
        .all(|a| a.error == Some(AttemptError::Timeout)));
    assert!(
        done.attempt_log().iter().all(|a| a.duration_ms < 2_500),
        "{:?}",
        done.attempt_log()
    );
    server.stop().await;
}

async fn gone_fails_at_once(backend: Backend) {
    let server = fast_retries(backend, 5).await;
    let receiver = Receiver::start().await;
    webhook(&server, "gone", &receiver.url("gone"), json!(["*"]), true).await;
    let ids = send(&server, json!({"name": "a", "type": "b", "payload": {}})).await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.attempts(), done.code()),
        (DeliveryStatus::Failed, 1, 410)
    );
    assert_eq!(receiver.requests("gone").len(), 1);
    server.stop().await;
}

async fn retry_after_is_honoured(backend: Backend) {
    let server = fast_retries(backend, 3).await;
    let receiver = Receiver::start().await;
    webhook(&server, "busy", &receiver.url("busy"), json!(["*"]), true).await;
    let ids = send(&server, json!({"name": "a", "type": "b", "payload": {}})).await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.attempts()),
        (DeliveryStatus::Delivered, 2)
    );
    let requests = receiver.requests("busy");
    let gap = requests[1].at.duration_since(requests[0].at);
    assert!(
        gap >= Duration::from_millis(900),
        "waited {gap:?} after Retry-After: 1"
    );
    server.stop().await;
}

async fn exhausted_attempts_fail_with_the_right_count(backend: Backend) {
    let server = fast_retries(backend, 3).await;
    let receiver = Receiver::start().await;
    webhook(&server, "down", &receiver.url("fail"), json!(["*"]), true).await;
    let ids = send(&server, json!({"name": "a", "type": "b", "payload": {}})).await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(
        (done.status(), done.attempts(), done.code()),
        (DeliveryStatus::Failed, 3, 500)
    );
    assert_eq!(done.attempt_log().len(), 3);
    assert_eq!(done.next_attempt_at(), None);
    assert_eq!(receiver.requests("fail").len(), 3);
    server.stop().await;
}

async fn the_same_idempotency_key_creates_nothing_new(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    webhook(&server, "once", &receiver.url("ok"), json!(["*"]), true).await;
    let event = json!({"name": "a", "type": "b", "payload": {"n": 1}}).to_string();
    let call = |key: &'static str| {
        let event = event.clone();
        let server = &server;
        async move {
            let response = reqwest::Client::new()
                .post(format!("{}/v1/events", server.url))
                .bearer_auth(&server.key)
                .header("idempotency-key", key)
                .body(event)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 202);
            response.json::<Value>().await.unwrap()
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
    let response = reqwest::Client::new()
        .post(format!("{}/v1/events", server.url))
        .bearer_auth(&server.key)
        .header("idempotency-key", "order-42")
        .body(json!({"name": "a", "type": "b", "payload": {"n": 2}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let refused: Value = response.json().await.unwrap();
    assert_eq!(common::error_fields(&refused), vec!["Idempotency-Key"]);
    let (status, answer) = server
        .call(
            reqwest::Method::POST,
            "/v1/events",
            common::Auth::Bearer(&server.key),
            Some(&event),
        )
        .await;
    assert_eq!(status, 202, "{answer}");
    server.stop().await;
}

async fn test_send_answers_with_the_outcome(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let ok = webhook(
        &server,
        "ok",
        &receiver.url("ok"),
        json!(["order.*"]),
        false,
    )
    .await;
    let (status, sent) = server
        .post(&format!("/v1/webhooks/{ok}/test"), json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (
            sent["delivered"].clone(),
            sent["response_code"].clone(),
            sent["response_body"].clone()
        ),
        (json!(true), json!(200), json!("ok"))
    );
    assert!(sent["duration_ms"].is_u64());
    let request = receiver
        .requests("ok")
        .pop()
        .expect("the test event arrived, even to a disabled webhook");
    verify_with_standardwebhooks(SECRET, &request);
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(
        (body["event"]["name"].clone(), body["event"]["type"].clone()),
        (json!("webhook"), json!("test"))
    );
    let logged = delivery(&server, sent["delivery_id"].as_str().unwrap()).await;
    assert_eq!(logged.status(), DeliveryStatus::Delivered);

    // Only this route sends webhook.test: producers cannot, so it cannot be
    // used to reach disabled webhooks.
    let (status, refused) = server
        .post(
            "/v1/events",
            json!({"name": "webhook", "type": "test", "payload": {}}),
        )
        .await;
    assert_eq!(
        (status, common::error_fields(&refused)),
        (422, vec!["name".to_owned()])
    );

    let failing = webhook(&server, "fails", &receiver.url("fail"), json!(["*"]), true).await;
    let (status, sent) = server
        .post(&format!("/v1/webhooks/{failing}/test"), json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    // A failed test-send is not retried: it is failed at once, after one attempt.
    let logged = delivery(&server, sent["delivery_id"].as_str().unwrap()).await;
    assert_eq!(
        (logged.status(), logged.attempts()),
        (DeliveryStatus::Failed, 1)
    );
    assert_eq!(
        (
            sent["delivered"].clone(),
            sent["response_code"].clone(),
            sent["error"].clone()
        ),
        (json!(false), json!(500), json!("http_status"))
    );
    server.stop().await;
}

/// A queue whose next send fails when armed: a crash between recording
/// deliveries and queueing them, which no real server produces on demand.
struct FailingOnce {
    inner: Arc<dyn Queue>,
    armed: AtomicBool,
}

#[async_trait::async_trait]
impl Queue for FailingOnce {
    async fn send(&self, messages: &[Enqueue]) -> Result<(), QueueError> {
        if self.armed.swap(false, Ordering::SeqCst) {
            return Err(QueueError("injected failure".into()));
        }
        self.inner.send(messages).await
    }

    async fn receive(&self, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError> {
        self.inner.receive(max, wait).await
    }

    async fn delete(&self, receipt: &str) -> Result<(), QueueError> {
        self.inner.delete(receipt).await
    }
}

#[tokio::test]
async fn a_retry_with_the_same_key_finishes_an_ingest_that_failed_half_way() {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let settings = common::settings(Backend::Memory);
    let mut adapters =
        hookrelay_local::adapters_with_clock(Backend::Memory, &settings, clock.clone())
            .await
            .unwrap();
    let queue = Arc::new(FailingOnce {
        inner: adapters.queue,
        armed: AtomicBool::new(false),
    });
    adapters.queue = queue.clone();
    let server = Server::start_on(adapters, settings, None).await;
    let receiver = Receiver::start().await;
    webhook(&server, "one", &receiver.url("ok"), json!(["*"]), true).await;
    webhook(&server, "two", &receiver.url("ok"), json!(["*"]), true).await;
    let event = json!({"name": "a", "type": "b", "payload": {"n": 1}}).to_string();
    let post = || async {
        let response = reqwest::Client::new()
            .post(format!("{}/v1/events", server.url))
            .bearer_auth(&server.key)
            .header("idempotency-key", "crash-42")
            .body(event.clone())
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.json::<Value>().await.unwrap(),
        )
    };
    queue.armed.store(true, Ordering::SeqCst);
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

/// 300 deliveries to a webhook limited to 50 a second: spread over at least
/// 5.5 s (the slots are 20 ms apart, so ~6 s), every one arriving once.
async fn a_rate_limit_delays_sends_and_drops_none(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let body =
        json!({"name": "limited", "url": receiver.url("ok"), "events": ["*"], "rate_limit": 50});
    let webhook = server.create_webhook(body).await;
    assert_eq!(webhook["rate_limit"], 50);
    let started = Instant::now();
    for n in 0..300 {
        let event = json!({"name": "order", "type": "paid", "payload": {"n": n}});
        assert_eq!(server.post("/v1/events", event).await.0, 202);
    }
    eventually(60, "300 deliveries to arrive", || async {
        (receiver.requests("ok").len() >= 300).then_some(())
    })
    .await;
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(5_500), "took {took:?}");
    let requests = receiver.requests("ok");
    let ids: std::collections::HashSet<&String> =
        requests.iter().map(|r| &r.headers["webhook-id"]).collect();
    assert_eq!((requests.len(), ids.len()), (300, 300), "each once");
    server.stop().await;
}

/// SQS refuses U+FFFE and U+FFFF in a message: an event holding them is
/// read from the store by its sender instead of travelling in the message.
async fn characters_a_queue_refuses_are_delivered_byte_for_byte(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    webhook(&server, "odd", &receiver.url("ok"), json!(["*"]), true).await;
    let text = "a\u{FFFE}b\u{FFFF}c";
    let ids = send(
        &server,
        json!({"name": "a", "type": "b", "payload": {"text": text}}),
    )
    .await;
    let done = settled(&server, &ids[0]).await;
    assert_eq!(done.status(), DeliveryStatus::Delivered);
    let body = &receiver.requests("ok")[0].body;
    assert!(body.contains(text), "{body:?}");
    server.stop().await;
}
