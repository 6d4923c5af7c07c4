//! Endpoint health end to end, embedded and on DynamoDB/SQS (moto): a webhook
//! whose deliveries keep failing is switched off with notice, read over HTTP.

use crate::helpers;
use crate::helpers::receiver::Receiver;
use crate::helpers::{assert_fields, error_fields, eventually, Server};
use hookrelay_local::Backend;
use serde_json::{json, Value};

on_both_backends!(
    a_webhook_that_keeps_failing_is_switched_off_with_notice,
    producers_cannot_send_webhook_events,
);

/// Sends `order.paid` and waits until its one delivery is final; its view.
async fn deliver_one(server: &Server) -> Value {
    let event = json!({"name": "order", "type": "paid", "payload": {"n": 1}});
    let id = server.send_event(event).await.remove(0);
    server.settled_view(&id).await
}

async fn webhook_view(server: &Server, id: &str) -> Value {
    let (status, got) = server.get(&format!("/v1/webhooks/{id}")).await;
    assert_eq!(status, 200, "{got}");
    got["webhook"].clone()
}

/// The webhook once the sender has noted its latest delivery on it (a
/// wrong switch-off would follow that; the later steps would see it).
async fn noted(server: &Server, id: &str) -> Value {
    let (_, page) = server
        .get(&format!(
            "/v1/webhooks/{id}/deliveries?sort=updated_at&limit=1"
        ))
        .await;
    let latest = page["deliveries"][0]["updated_at"].clone();
    eventually(20, "the outcome noted on the webhook", || async {
        Some(webhook_view(server, id).await).filter(|w| w["last_delivery_at"] == latest)
    })
    .await
}

async fn point_at(server: &Server, id: &str, url: String) {
    let (status, got) = server
        .patch(&format!("/v1/webhooks/{id}"), json!({ "url": url }))
        .await;
    assert_eq!(status, 200, "{got}");
}

/// The operational events the ops endpoint got, as (type, payload).
fn notices(receiver: &Receiver) -> Vec<(String, Value)> {
    receiver
        .requests("ok")
        .iter()
        .filter_map(|r| serde_json::from_str::<Value>(&r.body).ok())
        .filter(|body| body["event"]["name"] == "webhook")
        .map(|body| {
            let kind = body["event"]["type"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            (kind, body["payload"].clone())
        })
        .collect()
}

async fn a_webhook_that_keeps_failing_is_switched_off_with_notice(backend: Backend) {
    // One attempt per delivery; the rule trips at 4 failures, at once.
    let server = Server::start_single_try(backend, 4).await;
    let receiver = Receiver::start().await;
    let ops = json!({"name": "ops", "url": receiver.url("ok"), "events": ["webhook.*"]});
    server.create_webhook(ops).await;
    let orders = json!({"name": "orders", "url": receiver.url("fail"), "events": ["order.*"]});
    let id = server.webhook_id(orders).await;
    half_way_is_noticed_once(&server, &receiver, &id).await;
    a_success_resets_the_count(&server, &receiver, &id).await;
    // A delivery still waiting when it is switched off ends failed, unsent.
    let (_, delayed) = server
        .post(
            "/v1/events",
            json!({"name": "order", "type": "later", "payload": {}, "delay": 4}),
        )
        .await;
    let pending = delayed["deliveries"][0].as_str().unwrap().to_owned();
    the_fourth_failure_switches_it_off(&server, &receiver, &id).await;
    let unsent = server.settled_view(&pending).await;
    assert_fields(
        &unsent,
        json!({"status": "failed", "failure_reason": "webhook_disabled", "attempts": 0}),
    );
    switched_back_on_it_starts_afresh(&server, &id).await;
    server.stop().await;
}

/// Half-way (2 of 4): webhook.failing, once; the webhook stays on.
async fn half_way_is_noticed_once(server: &Server, receiver: &Receiver, id: &str) {
    for _ in 0..3 {
        assert_eq!(deliver_one(server).await["status"], "failed");
    }
    assert_eq!(noted(server, id).await["enabled"], true);
    let failing = eventually(20, "webhook.failing", || async {
        notices(receiver).into_iter().find(|(k, _)| k == "failing")
    })
    .await;
    assert_eq!(failing.1["id"], id);
    // Written once per batch (each second here): the write that crossed
    // half the threshold says how many it counted.
    let counted = failing.1["consecutive_failures"].as_u64().unwrap_or(0);
    assert!((2..=3).contains(&counted), "{}", failing.1);
}

/// A success resets the count: three more failures do not switch it off.
async fn a_success_resets_the_count(server: &Server, receiver: &Receiver, id: &str) {
    point_at(server, id, receiver.url("ok")).await;
    assert_eq!(deliver_one(server).await["status"], "delivered");
    let with_password = receiver
        .url("fail")
        .replace("http://", "http://ops:s3cret@");
    point_at(server, id, with_password).await;
    for _ in 0..3 {
        assert_eq!(deliver_one(server).await["status"], "failed");
    }
    assert_eq!(noted(server, id).await["enabled"], true);
}

/// The fourth failure in a row switches it off, with webhook.disabled.
async fn the_fourth_failure_switches_it_off(server: &Server, receiver: &Receiver, id: &str) {
    let fourth = deliver_one(server).await;
    assert_eq!(fourth["failure_reason"], "attempts_exhausted");
    // The switch-off follows the failure's record.
    let off = eventually(20, "the switch-off", || async {
        Some(webhook_view(server, id).await).filter(|w| w["enabled"] == false)
    })
    .await;
    assert_eq!(off["disabled_reason"], "failing");
    assert!(off["disabled_at"].is_string(), "{off}");

    let disabled = eventually(20, "webhook.disabled", || async {
        notices(receiver).into_iter().find(|(k, _)| k == "disabled")
    })
    .await
    .1;
    assert_eq!(disabled["id"], id);
    assert_eq!(disabled["name"], "orders");
    assert_eq!(disabled["url"], off["url"], "masked as the view shows it");
    assert!(!disabled.to_string().contains("s3cret"), "{disabled}");
    assert_eq!(disabled["disabled_reason"], "failing");
    assert_eq!(disabled["consecutive_failures"], 4);
    assert_eq!(disabled["last_error"]["code"], 500);
    assert_eq!(disabled["last_error"]["error"], "http_status");
    let failing_notices = notices(receiver)
        .iter()
        .filter(|(k, _)| k == "failing")
        .count();
    assert_eq!(failing_notices, 2, "once per run of failures");
}

/// Switched back on, it starts afresh: one failure does not switch it off.
async fn switched_back_on_it_starts_afresh(server: &Server, id: &str) {
    let (status, on) = server
        .patch(&format!("/v1/webhooks/{id}"), json!({"enabled": true}))
        .await;
    assert_eq!(status, 200, "{on}");
    assert_eq!(on["webhook"]["disabled_reason"], Value::Null);
    assert_eq!(on["webhook"]["disabled_at"], Value::Null);
    assert_eq!(deliver_one(server).await["status"], "failed");
    assert_eq!(noted(server, id).await["enabled"], true);
}

async fn producers_cannot_send_webhook_events(backend: Backend) {
    let server = Server::start(backend).await;
    for kind in ["test", "disabled", "failing", "anything"] {
        let (status, refused) = server
            .post(
                "/v1/events",
                json!({"name": "webhook", "type": kind, "payload": {}}),
            )
            .await;
        assert_eq!(
            (status, error_fields(&refused)),
            (422, vec!["name".to_owned()])
        );
    }
    // A manual switch-off says so.
    let id = server.webhook_id(helpers::webhook_body("manual")).await;
    let (_, off) = server
        .patch(&format!("/v1/webhooks/{id}"), json!({"enabled": false}))
        .await;
    assert_eq!(off["webhook"]["disabled_reason"], "manual");
    assert!(off["webhook"]["disabled_at"].is_string());
    server.stop().await;
}
