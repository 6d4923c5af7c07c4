//! Payload filters over HTTP on both backends: a webhook whose filter does
//! not match an event gets no delivery (none is created, inline or through
//! the queue), each operator matching one event and not another; PATCH
//! null removes a filter; a bad pattern is a 422 naming its path; and
//! `POST /v1/filters/test` answers whether a pattern matches an example.

use crate::helpers::receiver::Receiver;
use crate::helpers::{error_fields, eventually, webhook_body, Auth, Server};
use hookrelay::domain::filter::Filter;
use hookrelay::domain::webhook::WebhookChanges;
use hookrelay::pipeline::fanout::CHUNK;
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

on_both_backends!(
    each_operator_lets_through_the_event_it_matches_and_no_other,
    a_fan_out_through_the_queue_filters_too,
    patching_a_filter_changes_what_is_sent_and_null_removes_it,
    a_bad_pattern_is_refused_naming_its_path,
    the_test_route_answers_whether_a_pattern_matches,
);

/// Two events that each operator tells apart: (`order.paid`, `order.refunded`).
fn events() -> (Value, Value) {
    let paid = json!({"name": "order", "type": "paid", "context": {"region": "eu-west-1"},
        "payload": {"total": 150, "currency": "EUR", "mode": "live", "file": "invoice.pdf",
            "customer": {"tier": "Gold", "address": {"country": "FR"}}, "tags": ["vip", "new"]}});
    let refunded = json!({"name": "order", "type": "refunded", "context": {"region": "us-east-1"},
        "payload": {"total": 20, "currency": "USD", "mode": "test", "file": "invoice.png",
            "coupon": "X", "customer": {"tier": "silver", "address": {"country": "US"}},
            "tags": ["returning"]}});
    (paid, refunded)
}

/// Webhook name, its filter, and which of `events()` it matches (paid, refunded).
fn filtered() -> Vec<(String, Value, (bool, bool))> {
    let table = json!([
        ["no filter", null, [true, true]],
        ["exact", {"payload": {"currency": ["EUR"]}}, [true, false]],
        ["prefix", {"context": {"region": [{"prefix": "us-"}]}}, [false, true]],
        ["suffix", {"payload": {"file": [{"suffix": ".png"}]}}, [false, true]],
        ["ignore case", {"payload": {"customer": {"tier": [{"equals-ignore-case": "GOLD"}]}}}, [true, false]],
        ["anything-but", {"payload": {"mode": [{"anything-but": ["test", "draft"]}]}}, [true, false]],
        ["numeric", {"payload": {"total": [{"numeric": [">", 100, "<=", 1000]}]}}, [true, false]],
        ["exists", {"payload": {"coupon": [{"exists": true}]}}, [false, true]],
        ["exists false", {"payload": {"coupon": [{"exists": false}]}}, [true, false]],
        ["array", {"payload": {"tags": ["vip"]}}, [true, false]],
        ["nested", {"payload": {"customer": {"address": {"country": ["US", "CA"]}}}}, [false, true]],
        ["event", {"event": {"type": ["refunded"]}}, [false, true]],
        ["neither", {"payload": {"total": [{"numeric": ["<", 0]}]}}, [false, false]],
    ]);
    let rows = table.as_array().unwrap().iter();
    rows.map(|row| {
        let matches = (row[2][0].as_bool().unwrap(), row[2][1].as_bool().unwrap());
        (row[0].as_str().unwrap().to_owned(), row[1].clone(), matches)
    })
    .collect()
}

/// The webhook ids that `event`'s deliveries went to, once each was sent:
/// the log lists them, and the receiver got exactly those deliveries.
async fn delivered_to(server: &Server, receiver: &Receiver, event: Value) -> BTreeSet<String> {
    let (status, accepted) = server.post("/v1/events", event).await;
    assert_eq!(status, 202, "{accepted}");
    let path = format!(
        "/v1/deliveries?event_id={}&limit=100",
        accepted["id"].as_str().unwrap()
    );
    let listed = server.all_pages(&path, "deliveries").await;
    let ids: BTreeSet<String> = listed
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    eventually(60, "each listed delivery to arrive", || async {
        ids.is_subset(&receiver.delivery_ids("ok")).then_some(())
    })
    .await;
    listed
        .iter()
        .map(|d| d["webhook_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn each_operator_lets_through_the_event_it_matches_and_no_other(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let mut ids = BTreeMap::new();
    for (name, filter, _) in filtered() {
        let body = json!({"name": name, "url": receiver.url("ok"), "events": ["order.*"], "filter": filter});
        let made = server.create_webhook(body).await;
        assert_eq!(made["filter"], filter, "the view shows it");
        ids.insert(name, made["id"].as_str().unwrap().to_owned());
    }
    let (paid, refunded) = events();
    let got_paid = delivered_to(&server, &receiver, paid).await;
    let got_refunded = delivered_to(&server, &receiver, refunded).await;
    for (name, _, (wants_paid, wants_refunded)) in filtered() {
        let id = &ids[&name];
        assert_eq!(got_paid.contains(id), wants_paid, "{name}: order.paid");
        assert_eq!(
            got_refunded.contains(id),
            wants_refunded,
            "{name}: order.refunded"
        );
    }
    assert_eq!(
        receiver.requests("ok").len(),
        got_paid.len() + got_refunded.len()
    );
    let (_, none) = server
        .get(&format!("/v1/webhooks/{}/deliveries", ids["neither"]))
        .await;
    assert_eq!(
        none["deliveries"],
        json!([]),
        "no delivery was ever made for it"
    );
    server.stop().await;
}

/// `count` webhooks on `url` for `order.*`, each with `filter`; their ids.
async fn webhooks_with(server: &Server, url: &str, count: usize, filter: Value) -> Vec<String> {
    let changes = WebhookChanges {
        filter: Some(Some(Filter::parse(&filter).expect("a filter"))),
        ..WebhookChanges::default()
    };
    server.insert_webhooks(url, count, &changes).await
}

async fn a_fan_out_through_the_queue_filters_too(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let half = CHUNK as usize / 2 + 5;
    let url = receiver.url("ok");
    let wanted = webhooks_with(&server, &url, half, json!({"payload": {"n": [1]}})).await;
    webhooks_with(&server, &url, half, json!({"payload": {"n": [2]}})).await;
    let event = json!({"name": "order", "type": "paid", "payload": {"n": 1}});
    let (status, accepted) = server.post("/v1/events", event).await;
    assert_eq!(status, 202, "{accepted}");
    assert!(
        accepted.get("deliveries").is_none(),
        "past one page: through the queue"
    );
    eventually(120, "the matching half to receive it", || async {
        (receiver.requests("ok").len() >= half).then_some(())
    })
    .await;
    let path = format!(
        "/v1/deliveries?event_id={}&limit=100",
        accepted["id"].as_str().unwrap()
    );
    let listed = server.all_pages(&path, "deliveries").await;
    let to: BTreeSet<&str> = listed
        .iter()
        .map(|d| d["webhook_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        to,
        wanted.iter().map(String::as_str).collect(),
        "only the matching half"
    );
    assert_eq!(receiver.requests("ok").len(), half);
    server.stop().await;
}

async fn patching_a_filter_changes_what_is_sent_and_null_removes_it(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let strict = json!({"payload": {"total": [{"numeric": [">=", 1000]}]}});
    let body = json!({"name": "big", "url": receiver.url("ok"), "events": ["order.paid"], "filter": strict});
    let id = server.webhook_id(body).await;
    let event = json!({"name": "order", "type": "paid", "payload": {"total": 10}});
    assert_eq!(
        server.send_event(event.clone()).await.len(),
        0,
        "filtered out"
    );
    let path = format!("/v1/webhooks/{id}");
    let loose = json!({"payload": {"total": [{"numeric": [">", 0]}]}});
    let (status, changed) = server.patch(&path, json!({"filter": loose})).await;
    assert_eq!(
        (status, &changed["webhook"]["filter"]),
        (200, &loose),
        "{changed}"
    );
    assert_eq!(
        server.send_event(event.clone()).await.len(),
        1,
        "the new filter matches"
    );
    let (_, changed) = server.patch(&path, json!({"filter": strict})).await;
    assert_eq!(changed["webhook"]["filter"], strict);
    let (_, unchanged) = server.patch(&path, json!({"name": "still big"})).await;
    assert_eq!(unchanged["webhook"]["filter"], strict, "left as it was");
    let (_, removed) = server.patch(&path, json!({"filter": null})).await;
    assert_eq!(removed["webhook"]["filter"], Value::Null);
    assert_eq!(server.get(&path).await.1["webhook"]["filter"], Value::Null);
    assert_eq!(
        server.send_event(event).await.len(),
        1,
        "no filter: every order.paid"
    );
    let (_, audit) = server
        .get(&format!("/v1/audit?resource_id={id}&limit=1"))
        .await;
    let change = &audit["audit"][0]["changes"]["filter"];
    assert_eq!(
        (&change["before"], &change["after"]),
        (&strict, &Value::Null),
        "{audit}"
    );
    server.stop().await;
}

async fn a_bad_pattern_is_refused_naming_its_path(backend: Backend) {
    let server = Server::start(backend).await;
    let refused = |filter: Value| {
        let mut body = webhook_body("bad filter");
        body["filter"] = filter;
        let server = &server;
        async move {
            let (status, answer) = server.post("/v1/webhooks", body).await;
            assert_eq!(status, 422, "{answer}");
            error_fields(&answer)
        }
    };
    let bad = json!({"payload": {"total": [{"numeric": [">", "ten"]}], "tags": []}, "id": ["x"]});
    let mut named = refused(bad.clone()).await;
    named.sort();
    assert_eq!(
        named,
        [
            "filter.id",
            "filter.payload.tags",
            "filter.payload.total.0.numeric"
        ]
    );
    let deep = json!({"payload": {"a": {"b": {"c": {"d": {"e": {"f": ["x"]}}}}}}});
    assert_eq!(refused(deep).await, ["filter.payload.a.b.c.d.e"]);
    let long: Vec<String> = (0..300).map(|i| format!("value {i}")).collect();
    assert_eq!(refused(json!({"payload": {"x": long}})).await, ["filter"]);
    for not_a_pattern in [json!("x"), json!([]), json!({})] {
        assert_eq!(refused(not_a_pattern).await, ["filter"]);
    }
    let id = server.webhook_id(webhook_body("good")).await;
    let (status, answer) = server
        .patch(&format!("/v1/webhooks/{id}"), json!({"filter": bad}))
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(error_fields(&answer).len(), 3, "{answer}");
    let (_, kept) = server.get(&format!("/v1/webhooks/{id}")).await;
    assert_eq!(kept["webhook"]["filter"], Value::Null, "nothing changed");
    server.stop().await;
}

async fn the_test_route_answers_whether_a_pattern_matches(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, made) = server
        .post("/v1/api-keys", json!({"name": "reader", "scope": "read"}))
        .await;
    let reader = made["api_key"]["key"].as_str().unwrap().to_owned();
    let filter = json!({"event": {"type": ["paid"]}, "payload": {"total": [{"numeric": [">", 100]}]},
        "context": {"region": [{"prefix": "eu-"}]}});
    let try_it = |event: Value, total: u32| {
        let body = json!({"filter": filter, "event": event, "payload": {"total": total},
            "context": {"region": "eu-west-1"}});
        let (server, reader) = (&server, &reader);
        async move {
            let body = body.to_string();
            let (status, answer) = server
                .call(
                    Method::POST,
                    "/v1/filters/test",
                    Auth::Bearer(reader),
                    Some(&body),
                )
                .await;
            assert_eq!(status, 200, "a read key may try a filter: {answer}");
            answer["matches"].as_bool().expect("matches")
        }
    };
    assert!(try_it(json!("order.paid"), 150).await);
    assert!(try_it(json!({"name": "order", "type": "paid"}), 150).await);
    assert!(!try_it(json!("order.paid"), 50).await, "numeric");
    assert!(!try_it(json!("order.created"), 150).await, "event type");
    let no_context = json!({"filter": filter, "event": "order.paid", "payload": {"total": 150}});
    let (_, answer) = server.post("/v1/filters/test", no_context).await;
    assert_eq!(
        answer["matches"], false,
        "context defaults to {{}}: {answer}"
    );
    let bad = json!({"filter": {"payload": {"total": [{"numeric": ["!", 1]}]}}, "event": "order", "payload": null});
    let (status, answer) = server.post("/v1/filters/test", bad).await;
    assert_eq!(status, 422);
    assert_eq!(
        error_fields(&answer),
        ["filter.payload.total.0.numeric", "event", "payload"]
    );
    server.stop().await;
}
