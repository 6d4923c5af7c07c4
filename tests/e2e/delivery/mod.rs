//! Ingest, fan-out and delivery end to end over HTTP, on the embedded runner
//! and on SQS/DynamoDB/Scheduler (moto): what a receiving endpoint sees.
//! The scenarios live by theme in the modules below and run on both
//! backends from here, so their names stay `delivery::{embedded,aws_on_moto}::*`.

mod ingest;
mod outcomes;
mod timing;

use crate::helpers::receiver::Receiver;
use crate::helpers::{eventually, Server};
use hookrelay::domain::delivery::{Delivery, DeliveryStatus};
use hookrelay::domain::ids::DeliveryId;
use hookrelay_local::Backend;
use ingest::{
    an_ad_hoc_url_receives_the_event_alone, characters_a_queue_refuses_are_delivered_byte_for_byte,
    fan_out_reaches_every_matching_enabled_webhook_signed,
    the_same_idempotency_key_creates_nothing_new,
};
use outcomes::{
    a_500_is_retried_until_it_succeeds, a_slow_endpoint_times_out,
    a_webhooks_own_retry_schedule_is_followed, exhausted_attempts_fail_with_the_right_count,
    gone_fails_at_once, redirects_are_failures_and_are_not_followed,
    test_send_answers_with_the_outcome,
};
use serde_json::{json, Value};
use std::time::Duration;
use timing::{
    a_long_delay_goes_through_the_scheduler_and_never_arrives_early,
    a_rate_limit_delays_sends_and_drops_none, a_short_delay_is_waited_out, retry_after_is_honoured,
};

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
    a_webhooks_own_retry_schedule_is_followed,
    the_same_idempotency_key_creates_nothing_new,
    test_send_answers_with_the_outcome,
    a_rate_limit_delays_sends_and_drops_none,
    characters_a_queue_refuses_are_delivered_byte_for_byte,
);

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One event to a webhook at the receiver's `path`, on a server whose
/// retries wait 1 s, with `attempts` attempts in all; the server, the
/// receiver and the delivery once it is delivered or failed.
async fn one_delivery_to(
    backend: Backend,
    attempts: usize,
    path: &str,
) -> (Server, Receiver, Delivery) {
    let server = Server::start_tuned(backend, |settings| {
        settings.retry_schedule = vec![1; attempts - 1];
        settings.send_timeout = Duration::from_secs(1);
    })
    .await;
    let receiver = Receiver::start().await;
    subscribed(&server, &receiver, path, path).await;
    let ids = server
        .send_event(json!({"name": "a", "type": "b", "payload": {}}))
        .await;
    let done = settled(&server, &ids[0]).await;
    (server, receiver, done)
}

/// `one_delivery_to`, asserting how the delivery ended: its status, its
/// attempts and the last answer's code.
async fn one_delivery_ending(
    backend: Backend,
    attempts: usize,
    path: &str,
    want: (DeliveryStatus, u32, u16),
) -> (Server, Receiver, Delivery) {
    let (server, receiver, done) = one_delivery_to(backend, attempts, path).await;
    assert_eq!(
        (done.status(), done.attempts(), done.code()),
        want,
        "{path}"
    );
    (server, receiver, done)
}

async fn webhook(server: &Server, name: &str, url: &str, events: Value, enabled: bool) -> String {
    let body =
        json!({"name": name, "url": url, "events": events, "secret": SECRET, "enabled": enabled});
    server.webhook_id(body).await
}

/// An enabled webhook for every event to the receiver's `path`; its id.
async fn subscribed(server: &Server, receiver: &Receiver, name: &str, path: &str) -> String {
    webhook(server, name, &receiver.url(path), json!(["*"]), true).await
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
