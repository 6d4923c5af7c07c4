//! When a delivery goes: short delays waited out, long ones through the
//! scheduler, Retry-After and rate limits honoured.

use super::{delivery, one_delivery_ending, settled, subscribed};
use crate::helpers;
use crate::helpers::receiver::Receiver;
use crate::helpers::{eventually, Server};
use hookrelay::domain::delivery::DeliveryStatus;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay_local::Backend;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(super) async fn a_short_delay_is_waited_out(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, "delayed", "ok").await;
    let sent = Instant::now();
    let ids = server
        .send_event(json!({"name": "a", "type": "b", "payload": {}, "delay": 2}))
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

pub(super) async fn a_long_delay_goes_through_the_scheduler_and_never_arrives_early(
    backend: Backend,
) {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let server = Server::start_full(backend, helpers::settings(backend), None, clock.clone()).await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, "next week", "ok").await;
    let ids = server
        .send_event(json!({"name": "a", "type": "b", "payload": {}, "delay": 604_800}))
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
    let mut settings = helpers::settings(Backend::Memory);
    settings.fires_schedules = false;
    let server = Server::start_full(Backend::Memory, settings, None, clock.clone()).await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, "later", "ok").await;
    let ids = server
        .send_event(json!({"name": "a", "type": "b", "payload": {}, "delay": 3_600}))
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

pub(super) async fn retry_after_is_honoured(backend: Backend) {
    let want = (DeliveryStatus::Delivered, 2, 200);
    let (server, receiver, _) = one_delivery_ending(backend, 3, "busy", want).await;
    let requests = receiver.requests("busy");
    let gap = requests[1].at.duration_since(requests[0].at);
    assert!(
        gap >= Duration::from_millis(900),
        "waited {gap:?} after Retry-After: 1"
    );
    server.stop().await;
}

/// 300 deliveries to a webhook limited to 50 a second: spread over at least
/// 5.5 s (the slots are 20 ms apart, so ~6 s), every one arriving once.
pub(super) async fn a_rate_limit_delays_sends_and_drops_none(backend: Backend) {
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
