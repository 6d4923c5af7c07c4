//! The account-level ingest quota (`HOOKRELAY_INGEST_RATE`): past it an event
//! is answered 429 with `Retry-After` in the envelope, nothing is recorded,
//! and the same event is accepted once the second has passed.

use crate::helpers::{self, Server};
use hookrelay::domain::quota::IngestQuota;
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay_local::Backend;
use serde_json::{json, Value};
use std::sync::Arc;

on_both_backends!(an_event_over_the_quota_is_refused_with_retry_after_then_accepted);

/// A clock 100 ms into a second, so a test's requests share that second.
pub(crate) fn early_in_a_second() -> Arc<ManualClock> {
    let second = SystemClock.now().epoch_seconds() + 1;
    let start = Timestamp::from_millis(second * 1000 + 100).expect("a time");
    Arc::new(ManualClock::new(start))
}

/// POSTs `body` to `path` with `key` and `headers`: the status,
/// `Retry-After` and the body.
pub(crate) async fn post_counted(
    server: &Server,
    key: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> (u16, Option<String>, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}{path}", server.url))
        .bearer_auth(key)
        .json(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().expect("ASCII").to_owned());
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["code"], json!(status), "{body}");
    (status, retry_after, body)
}

/// POST /v1/events with `key`: the status, `Retry-After` and the body.
async fn post_event(server: &Server, key: &str, idempotency: &str) -> (u16, Option<String>, Value) {
    let event = json!({"name": "order", "type": "paid", "payload": {"n": idempotency}});
    let headers = [("idempotency-key", idempotency)];
    post_counted(server, key, "/v1/events", &headers, &event).await
}

async fn an_event_over_the_quota_is_refused_with_retry_after_then_accepted(backend: Backend) {
    let clock = early_in_a_second();
    let mut settings = helpers::settings(backend);
    settings.ingest_quota = IngestQuota::per_second(3);
    let server = Server::start_full(backend, settings, None, clock.clone()).await;
    let other = server.new_account("other").await;
    for n in 0..3 {
        let (status, _, body) = post_event(&server, &server.key, &format!("e{n}")).await;
        assert_eq!(status, 202, "{body}");
    }
    let (status, retry_after, body) = post_event(&server, &server.key, "e3").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(retry_after.as_deref(), Some("1"));
    assert_eq!(body["success"], false);
    assert_eq!(body["errors"], json!([]));
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("3 events a second"), "{message}");
    assert!(body.get("id").is_none(), "nothing recorded: {body}");
    // Again in the same second: still refused (here without a store write).
    clock.advance_millis(500);
    assert_eq!(post_event(&server, &server.key, "e3").await.0, 429);
    // The quota is per account.
    assert_eq!(post_event(&server, &other, "o1").await.0, 202);
    // The next second the same event (same Idempotency-Key: it was never
    // claimed, so no 409) is accepted.
    clock.advance_millis(400);
    let (status, retry_after, body) = post_event(&server, &server.key, "e3").await;
    assert_eq!((status, retry_after), (202, None), "{body}");
    assert!(body["id"].is_string(), "{body}");
    server.stop().await;
}

/// A quota over 500 events a second is spread over counters (here two of
/// 500): the account still gets all of it in one second, and no more.
#[tokio::test]
async fn a_quota_spread_over_counters_admits_all_of_it() {
    let clock = early_in_a_second();
    let mut settings = helpers::settings(Backend::Memory);
    settings.ingest_quota = IngestQuota::per_second(1_000);
    let server = Server::start_full(Backend::Memory, settings, None, clock).await;
    for n in 0..1_000 {
        let (status, _, body) = post_event(&server, &server.key, &format!("e{n}")).await;
        assert_eq!(status, 202, "event {n}: {body}");
    }
    assert_eq!(post_event(&server, &server.key, "over").await.0, 429);
    server.stop().await;
}
