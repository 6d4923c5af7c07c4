//! Batch ingest (`POST /v1/events/batch`) over HTTP on both backends: each
//! event answered in order, a bad one refused alone while the others are
//! recorded and delivered; idempotency keys per event; the batch's own
//! bounds; the ingest scope; and the ingest quota taking a batch whole or
//! refusing it whole.

use crate::api_keys::key_of_scope;
use crate::audit::faulty_server;
use crate::helpers::receiver::Receiver;
use crate::helpers::{self, error_fields, Auth, Server};
use crate::ingest_quota::{early_in_a_second, post_counted};
use hookrelay::domain::quota::IngestQuota;
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};

on_both_backends!(
    each_event_is_answered_in_order_and_a_bad_one_records_nothing,
    a_batch_sent_again_with_its_keys_records_nothing_new,
    a_malformed_batch_is_refused_whole_and_a_bad_event_alone,
    an_ingest_key_may_send_a_batch_and_a_read_key_may_not,
    the_quota_takes_a_batch_whole_or_refuses_it_whole,
);

const BATCH: &str = "/v1/events/batch";

/// Event `n` of a test batch, with its own idempotency key.
fn event(n: usize) -> Value {
    json!({"name": "order", "type": "paid", "payload": {"n": n}, "idempotency_key": format!("order-{n}")})
}

/// Events `from..from + count`.
fn events(from: usize, count: usize) -> Value {
    json!({"events": (from..from + count).map(event).collect::<Vec<_>>()})
}

/// A server with one webhook for `order.*` at the receiver's `/ok`.
async fn server_and_receiver(server: Server) -> (Server, Receiver) {
    let receiver = Receiver::start().await;
    let webhook = json!({"name": "orders", "url": receiver.url("ok"), "events": ["order.*"]});
    server.create_webhook(webhook).await;
    (server, receiver)
}

/// Every delivery of the account: one per event recorded here.
async fn recorded(server: &Server) -> usize {
    server
        .all_pages("/v1/deliveries?limit=100", "deliveries")
        .await
        .len()
}

/// The answer's `results`, after checking the batch was taken (200).
fn results((status, answer): (u16, Value)) -> Vec<Value> {
    assert_eq!(status, 200, "{answer}");
    answer["results"].as_array().expect("results").clone()
}

fn codes(results: &[Value]) -> Vec<u64> {
    results
        .iter()
        .map(|r| r["code"].as_u64().expect("code"))
        .collect()
}

async fn each_event_is_answered_in_order_and_a_bad_one_records_nothing(backend: Backend) {
    let (server, receiver) = server_and_receiver(Server::start(backend).await).await;
    // `taken` is bound to another event by the single route (they share keys).
    let single = json!({"name": "order", "type": "paid", "payload": {"n": "single"}});
    let key = [("idempotency-key", "taken")];
    let (status, _, first) = post_counted(&server, &server.key, "/v1/events", &key, &single).await;
    assert_eq!(status, 202, "{first}");
    // Ten events: the fifth has a bad type, the seventh reuses `taken`.
    let mut batch = events(0, 10);
    batch["events"][4]["type"] = json!("paid!");
    batch["events"][6]["idempotency_key"] = json!("taken");
    let results = results(server.post(BATCH, batch).await);
    assert_eq!(
        codes(&results),
        [202, 202, 202, 202, 422, 202, 409, 202, 202, 202]
    );
    assert_eq!(error_fields(&results[4]), ["events[4].type"]);
    assert_eq!(error_fields(&results[6]), ["events[6].idempotency_key"]);
    assert!(results[4].get("id").is_none() && results[6].get("id").is_none());
    // Each accepted event is recorded, listed by its id, and delivered.
    for result in results.iter().filter(|r| r["code"] == 202) {
        let deliveries = helpers::ids_in(&result["deliveries"]);
        assert_eq!(deliveries.len(), 1, "{result}");
        let by_event = format!("/v1/deliveries?event_id={}", result["id"].as_str().unwrap());
        let listed = server.all_pages(&by_event, "deliveries").await;
        assert_eq!(helpers::ids_in(&json!(listed)), deliveries);
        let delivered = server.settled_view(&deliveries[0]).await;
        assert_eq!(delivered["status"], "delivered", "{delivered}");
    }
    server
        .settled_view(&helpers::ids_in(&first["deliveries"])[0])
        .await;
    // The single event and the eight accepted ones arrived; the refused two
    // created nothing.
    let mut sent: Vec<String> = receiver
        .requests("ok")
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.body).unwrap()["payload"]["n"].to_string())
        .collect();
    sent.sort();
    assert_eq!(sent, ["\"single\"", "0", "1", "2", "3", "5", "7", "8", "9"]);
    assert_eq!(recorded(&server).await, 9);
    server.stop().await;
}

async fn a_batch_sent_again_with_its_keys_records_nothing_new(backend: Backend) {
    let (server, _receiver) = server_and_receiver(Server::start(backend).await).await;
    // A key given twice in one batch: the same event again is its first
    // answer; another event is a conflict, as in a later request.
    let mut other = event(1);
    other["payload"]["n"] = json!("other");
    let batch = json!({"events": [event(0), event(1), event(0), other, event(2)]});
    let first = results(server.post(BATCH, batch.clone()).await);
    assert_eq!(codes(&first), [202, 202, 202, 409, 202]);
    assert_eq!(first[2], first[0]);
    assert_eq!(error_fields(&first[3]), ["events[3].idempotency_key"]);
    let ids: Vec<&Value> = [0, 1, 4].iter().map(|&i| &first[i]["id"]).collect();
    assert!(ids[0] != ids[1] && ids[1] != ids[2], "{ids:?}");
    assert_eq!(recorded(&server).await, 3);
    // Sent again: the first answers (the same ids and deliveries), nothing new.
    let again = results(server.post(BATCH, batch).await);
    assert_eq!(again, first);
    assert_eq!(recorded(&server).await, 3);
    server.stop().await;
}

async fn a_malformed_batch_is_refused_whole_and_a_bad_event_alone(backend: Backend) {
    let server = Server::start(backend).await;
    for (body, field) in [
        (events(0, 101), "events"),
        (json!({"events": []}), "events"),
        (json!({"events": {"name": "order"}}), "events"),
        (json!({}), "events"),
        (json!({"events": [event(0)], "event": 1}), "event"),
    ] {
        let (status, answer) = server.post(BATCH, body).await;
        assert_eq!(
            (status, error_fields(&answer)),
            (422, vec![field.to_owned()])
        );
    }
    assert_eq!(server.post_text(BATCH, r#"{"events": ["#).await.0, 400);
    // The batch's limit is 1 MiB; an event's own, 256 KiB, holds inside it.
    let text = |kib: usize| "x".repeat(kib * 1024);
    let mut big = event(0);
    big["payload"] = json!({ "text": text(300) });
    let five = json!({"events": vec![big.clone(); 5]});
    assert_eq!(server.post(BATCH, five).await.0, 413);
    let mixed = json!({"events": [big, 7, event(2)]});
    let results = results(server.post(BATCH, mixed).await);
    assert_eq!(codes(&results), [422, 422, 202]);
    assert_eq!(error_fields(&results[0]), ["events[0]"]);
    assert_eq!(error_fields(&results[1]), ["events[1]"]);
    server.stop().await;
}

async fn an_ingest_key_may_send_a_batch_and_a_read_key_may_not(backend: Backend) {
    let server = Server::start(backend).await;
    let body = events(0, 2).to_string();
    let ingest = key_of_scope(&server, "ingest").await;
    let answer = server
        .call(Method::POST, BATCH, Auth::Bearer(&ingest), Some(&body))
        .await;
    assert_eq!(codes(&results(answer)), [202, 202]);
    let read = key_of_scope(&server, "read").await;
    let (status, refused) = server
        .call(Method::POST, BATCH, Auth::Bearer(&read), Some(&body))
        .await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(
        refused["message"],
        "this API key's scope is `read`; this route needs `ingest` (or `full`)"
    );
    server.stop().await;
}

async fn the_quota_takes_a_batch_whole_or_refuses_it_whole(backend: Backend) {
    let clock = early_in_a_second();
    let mut settings = helpers::settings(backend);
    settings.ingest_quota = IngestQuota::per_second(5);
    let server = Server::start_full(backend, settings, None, clock.clone()).await;
    let (server, _receiver) = server_and_receiver(server).await;
    let post = |body: Value| {
        let server = &server;
        async move { post_counted(server, &server.key, BATCH, &[], &body).await }
    };
    assert_eq!(post(events(0, 3)).await.0, 200);
    // Two left this second: a batch of three is refused whole.
    let (status, retry_after, refused) = post(events(3, 3)).await;
    assert_eq!(
        (status, retry_after.as_deref()),
        (429, Some("1")),
        "{refused}"
    );
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("fewer than 3 events left"), "{message}");
    assert_eq!(recorded(&server).await, 3);
    // Two still fit (a refused event is not counted: it is not recorded).
    let mut two = events(10, 3);
    two["events"][1]["type"] = json!("paid!");
    let (status, _, answer) = post(two).await;
    assert_eq!(codes(&results((status, answer))), [202, 422, 202]);
    assert_eq!(recorded(&server).await, 5);
    // More than a second's quota never fits.
    let (status, _, refused) = post(events(20, 6)).await;
    assert_eq!(status, 429, "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("can never take 6 events"));
    // The next second the refused batch is taken (its keys were never claimed).
    clock.advance_millis(1_000);
    let (status, _, answer) = post(events(3, 3)).await;
    assert_eq!(codes(&results((status, answer))), [202, 202, 202]);
    assert_eq!(recorded(&server).await, 8);
    server.stop().await;
}

/// One read of the account's webhooks serves a whole batch (a second read
/// would fail here); a store failure while one event is recorded is a 503
/// in that event's result alone.
#[tokio::test]
async fn a_batch_reads_the_webhooks_once_and_a_failed_event_fails_alone() {
    let (server, faults) = faulty_server().await;
    let (server, _receiver) = server_and_receiver(server).await;
    faults.arm_after("subscribers", 1);
    faults.arm_after("record_event", 3);
    let results = results(server.post(BATCH, events(0, 30)).await);
    let failed: Vec<&Value> = results.iter().filter(|r| r["code"] != 202).collect();
    assert_eq!(failed.len(), 1, "{results:?}");
    assert_eq!(failed[0]["code"], 503, "{failed:?}");
    assert_eq!(
        faults.struck(),
        1,
        "only the record failed, the webhooks were read once"
    );
    assert_eq!(recorded(&server).await, 29);
    server.stop().await;
}
