//! What each answer of an endpoint leads to: retries, failures, timeouts,
//! and the outcome a test-send answers with.

use super::{delivery, one_delivery_ending, subscribed, webhook, SECRET};
use crate::helpers;
use crate::helpers::receiver::{verify_with_standardwebhooks, Receiver};
use crate::helpers::{assert_fields, Server};
use hookrelay::domain::delivery::{AttemptError, Delivery, DeliveryStatus};
use hookrelay_local::Backend;
use serde_json::{json, Value};

pub(super) async fn a_500_is_retried_until_it_succeeds(backend: Backend) {
    let want = (DeliveryStatus::Delivered, 2, 200);
    let (server, receiver, done) = one_delivery_ending(backend, 3, "flaky", want).await;
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

pub(super) async fn redirects_are_failures_and_are_not_followed(backend: Backend) {
    let want = (DeliveryStatus::Failed, 2, 302);
    let (server, receiver, _) = one_delivery_ending(backend, 2, "moved", want).await;
    assert!(
        receiver.requests("ok").is_empty(),
        "the redirect was not followed"
    );
    server.stop().await;
}

pub(super) async fn a_slow_endpoint_times_out(backend: Backend) {
    let want = (DeliveryStatus::Failed, 2, 0);
    let (server, _receiver, done) = one_delivery_ending(backend, 2, "slow", want).await;
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

pub(super) async fn gone_fails_at_once(backend: Backend) {
    let want = (DeliveryStatus::Failed, 1, 410);
    let (server, receiver, _) = one_delivery_ending(backend, 5, "gone", want).await;
    assert_eq!(receiver.requests("gone").len(), 1);
    server.stop().await;
}

pub(super) async fn exhausted_attempts_fail_with_the_right_count(backend: Backend) {
    let want = (DeliveryStatus::Failed, 3, 500);
    let (server, receiver, done) = one_delivery_ending(backend, 3, "fail", want).await;
    assert_eq!(done.attempt_log().len(), 3);
    assert_eq!(done.next_attempt_at(), None);
    assert_eq!(receiver.requests("fail").len(), 3);
    server.stop().await;
}

pub(super) async fn a_webhooks_own_retry_schedule_is_followed(backend: Backend) {
    // The deployment tries twice; one webhook four times, a second apart.
    let server = Server::start_tuned(backend, |s| s.retry_schedule = vec![1]).await;
    let receiver = Receiver::start().await;
    let own = json!({"name": "own", "url": receiver.url("fail"), "events": ["*"],
        "retry_schedule": [1, 1, 1]});
    let own = server.create_webhook(own).await;
    assert_eq!(own["retry_schedule"], json!([1, 1, 1]));
    let default = subscribed(&server, &receiver, "default", "fail").await;
    let ids = server
        .send_event(json!({"name": "a", "type": "b", "payload": {}}))
        .await;
    for id in &ids {
        let done = super::settled(&server, id).await;
        let want = match done.webhook_id().map(|w| w.to_string()) == Some(default.clone()) {
            true => 2,
            false => 4,
        };
        assert_eq!(
            (done.status(), done.attempts()),
            (DeliveryStatus::Failed, want)
        );
        let log = done.attempt_log();
        let gaps = log.windows(2).map(|w| w[1].at.millis() - w[0].at.millis());
        assert!(
            gaps.into_iter().all(|ms| ms >= 700),
            "a wait of about 1 s each"
        );
    }
    assert_eq!(receiver.requests("fail").len(), 6);
    server.stop().await;
}

pub(super) async fn test_send_answers_with_the_outcome(backend: Backend) {
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
    let (sent, logged) = test_send(&server, &ok).await;
    assert_fields(
        &sent,
        json!({"delivered": true, "response_code": 200, "response_body": "ok"}),
    );
    assert!(sent["duration_ms"].is_u64());
    let request = receiver
        .requests("ok")
        .pop()
        .expect("the test event arrived, even to a disabled webhook");
    verify_with_standardwebhooks(SECRET, &request);
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_fields(&body["event"], json!({"name": "webhook", "type": "test"}));
    assert_eq!(logged.status(), DeliveryStatus::Delivered);

    only_this_route_sends_webhook_test(&server).await;
    a_failed_test_send_fails_at_once(&server, &receiver).await;
    server.stop().await;
}

/// Test-sends to webhook `id`, which must answer 200; the answer and the
/// delivery it logged.
async fn test_send(server: &Server, id: &str) -> (Value, Delivery) {
    let (status, sent) = server
        .post(&format!("/v1/webhooks/{id}/test"), json!({}))
        .await;
    assert_eq!(status, 200, "{sent}");
    let logged = delivery(server, sent["delivery_id"].as_str().unwrap()).await;
    (sent, logged)
}

/// Only this route sends webhook.test: producers cannot, so it cannot be
/// used to reach disabled webhooks.
async fn only_this_route_sends_webhook_test(server: &Server) {
    let (status, refused) = server
        .post(
            "/v1/events",
            json!({"name": "webhook", "type": "test", "payload": {}}),
        )
        .await;
    assert_eq!(
        (status, helpers::error_fields(&refused)),
        (422, vec!["name".to_owned()])
    );
}

/// A failed test-send is not retried: it is failed at once, after one attempt.
async fn a_failed_test_send_fails_at_once(server: &Server, receiver: &Receiver) {
    let failing = subscribed(server, receiver, "fails", "fail").await;
    let (sent, logged) = test_send(server, &failing).await;
    assert_eq!(
        (logged.status(), logged.attempts()),
        (DeliveryStatus::Failed, 1)
    );
    assert_fields(
        &sent,
        json!({"delivered": false, "response_code": 500, "error": "http_status"}),
    );
}
