//! Polling webhooks over HTTP on both backends: a webhook with
//! `"delivery": "poll"` is sent nothing; its deliveries (one event at a time,
//! a batch, a delayed one once due) are fetched with
//! `GET /v1/webhooks/{id}/poll` in order, each with the body and signed
//! headers a push would carry (verified by Python's `standardwebhooks`),
//! shaped by its transform and chosen by its filter; a cursor brought back
//! marks what it handed out `delivered`, and what is not acknowledged comes
//! back, to whichever poller asks; retry offers one again; the refusals.

use crate::api_keys::key_of_scope;
use crate::helpers::receiver::{verify_with_standardwebhooks, Request};
use crate::helpers::{error_fields, ids_in, Auth, Server};
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;

on_both_backends!(
    deliveries_are_handed_out_signed_in_order_and_acknowledged_by_the_next_cursor,
    what_is_not_acknowledged_comes_back_to_any_poller_and_a_retry_offers_it_again,
    the_transform_shapes_and_the_filter_chooses_what_is_polled,
    poll_webhooks_refuse_what_they_cannot_use_and_stay_in_their_account,
);

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A poll webhook of the server's account on `order.*` (with `more` fields); its id.
async fn poll_webhook(server: &Server, more: Value) -> String {
    let mut body =
        json!({"name": "Feed", "delivery": "poll", "events": ["order.*"], "secret": SECRET});
    body.as_object_mut()
        .expect("object")
        .extend(more.as_object().cloned().unwrap_or_default());
    let made = server.create_webhook(body).await;
    assert_eq!(
        (&made["delivery"], &made["url"]),
        (&json!("poll"), &Value::Null)
    );
    made["id"].as_str().expect("id").to_owned()
}

fn order(n: Value) -> Value {
    json!({"name": "order", "type": "paid", "payload": {"n": n}})
}

/// One poll: the page (status 200 checked).
async fn poll(server: &Server, hook: &str, query: &str) -> Value {
    let (status, page) = server
        .get(&format!("/v1/webhooks/{hook}/poll?{query}"))
        .await;
    assert_eq!(status, 200, "{page}");
    page
}

/// A handed-out delivery verified as a receiver would, with
/// `standardwebhooks`: its body, parsed.
fn verify(delivery: &Value) -> Value {
    let headers: HashMap<String, String> =
        serde_json::from_value(delivery["headers"].clone()).expect("headers are text");
    assert_eq!(headers["webhook-id"], delivery["id"].as_str().expect("id"));
    assert_eq!(headers["content-type"], "application/json");
    assert!(headers["user-agent"].starts_with("hookrelay/"));
    let body = delivery["body"].as_str().expect("body").to_owned();
    let request = Request {
        path: "poll".into(),
        headers,
        body: body.clone(),
        at: std::time::Instant::now(),
    };
    verify_with_standardwebhooks(SECRET, &request);
    serde_json::from_str(&body).expect("JSON body")
}

/// Each delivery of a page verified (`verify`); their payloads' `n`, in order.
fn verified(page: &Value) -> Vec<Value> {
    let deliveries = page["deliveries"].as_array().expect("deliveries");
    deliveries
        .iter()
        .map(|d| {
            let sent = verify(d);
            assert_eq!(sent["event"]["traceId"], d["id"], "{sent}");
            sent["payload"]["n"].clone()
        })
        .collect()
}

/// The webhook's deliveries in the log, newest first: (status, payload `n`).
async fn logged(server: &Server, hook: &str) -> Vec<(String, Value)> {
    let path = format!("/v1/webhooks/{hook}/deliveries?limit=100");
    let all = server.all_pages(&path, "deliveries").await;
    all.iter()
        .map(|d| {
            assert_eq!(d["url"], Value::Null, "{d}");
            (
                d["status"].as_str().expect("status").to_owned(),
                d["payload"]["payload"]["n"].clone(),
            )
        })
        .collect()
}

async fn deliveries_are_handed_out_signed_in_order_and_acknowledged_by_the_next_cursor(
    backend: Backend,
) {
    let server = Server::start(backend).await;
    let hook = poll_webhook(&server, json!({})).await;
    for n in 1..=2 {
        server.send_event(order(json!(n))).await;
    }
    let batch = json!({"events": [order(json!(3)), order(json!(4)), order(json!(5))]});
    let (status, answer) = server.post("/v1/events/batch", batch).await;
    assert_eq!(status, 200, "{answer}");
    let late = json!({"name": "order", "type": "paid", "payload": {"n": "late"}, "delay": 2});
    server.send_event(late).await;
    // In pages of two, each poll acknowledging the page before; the delayed
    // one comes once due, after the rest.
    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while seen.len() < 6 {
        assert!(tokio::time::Instant::now() < deadline, "only {seen:?} came");
        let after = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = poll(&server, &hook, &format!("limit=2{after}")).await;
        let handed = verified(&page);
        assert!(handed.len() <= 2, "{page}");
        if handed.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        seen.extend(handed);
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    // Oldest first to the millisecond: a batch's events share theirs.
    assert_eq!(seen[..2], [json!(1), json!(2)]);
    let mut batch: Vec<i64> = seen[2..5].iter().filter_map(Value::as_i64).collect();
    batch.sort_unstable();
    assert_eq!((batch, &seen[5]), (vec![3, 4, 5], &json!("late")));
    // The last cursor acknowledges the last page: nothing is left, and the
    // log says delivered.
    let cursor = cursor.expect("the last page's cursor");
    let empty = poll(&server, &hook, &format!("cursor={cursor}")).await;
    assert_eq!(
        empty,
        json!({"success": true, "code": 200, "deliveries": [], "next_cursor": null, "has_more": false})
    );
    let log = logged(&server, &hook).await;
    assert_eq!(log.len(), 6);
    assert!(
        log.iter().all(|(status, _)| status == "delivered"),
        "{log:?}"
    );
}

async fn what_is_not_acknowledged_comes_back_to_any_poller_and_a_retry_offers_it_again(
    backend: Backend,
) {
    let server = Server::start(backend).await;
    let hook = poll_webhook(&server, json!({})).await;
    for n in 1..=3 {
        server.send_event(order(json!(n))).await;
    }
    // Two pollers at once get the same page; neither loses the other's.
    let first = poll(&server, &hook, "").await;
    let second = poll(&server, &hook, "").await;
    assert_eq!(ids_in(&first["deliveries"]), ids_in(&second["deliveries"]));
    assert_eq!(verified(&first), [1, 2, 3].map(|n| json!(n)));
    server.send_event(order(json!(4))).await;
    let after_first = poll(
        &server,
        &hook,
        &format!("cursor={}", first["next_cursor"].as_str().unwrap()),
    )
    .await;
    assert_eq!(verified(&after_first), [json!(4)]);
    // The second poller's cursor acknowledges nothing more, and loses nothing.
    let after_second = poll(
        &server,
        &hook,
        &format!("cursor={}", second["next_cursor"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        ids_in(&after_second["deliveries"]),
        ids_in(&after_first["deliveries"])
    );
    let statuses: Vec<String> = logged(&server, &hook)
        .await
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(statuses, ["created", "delivered", "delivered", "delivered"]);
    // A retry offers a delivered one again, after what waits.
    let one = &ids_in(&first["deliveries"])[0];
    let (status, retried) = server
        .post(&format!("/v1/deliveries/{one}/retry"), json!({}))
        .await;
    assert_eq!(status, 200, "{retried}");
    assert_eq!(retried["delivery"]["status"], "created");
    let again = poll(&server, &hook, "").await;
    assert_eq!(verified(&again), [json!(4), json!(1)]);
}

async fn the_transform_shapes_and_the_filter_chooses_what_is_polled(backend: Backend) {
    let server = Server::start(backend).await;
    let shaped =
        json!({"transform": "settings", "filter": {"payload": {"n": [{"numeric": [">", 1]}]}}});
    let hook = poll_webhook(&server, shaped).await;
    for n in 1..=2 {
        server.send_event(order(json!(n))).await;
    }
    let page = poll(&server, &hook, "").await;
    let deliveries = page["deliveries"].as_array().expect("list");
    assert_eq!(deliveries.len(), 1, "the filter chose n > 1: {page}");
    let body = verify(&deliveries[0]);
    assert_eq!(body["data"], json!({"n": 2}), "the settings shape: {body}");
    assert_eq!(body["event_type"], "order.paid");
    // The log shows the body as it was shaped.
    let id = deliveries[0]["id"].as_str().unwrap();
    let (_, view) = server.get(&format!("/v1/deliveries/{id}")).await;
    assert_eq!(view["delivery"]["payload"], body);
}

/// A create naming what a poll webhook cannot use is refused, naming the field.
async fn fields_a_poll_webhook_cannot_use_are_refused(server: &Server) {
    let refused = [
        (
            json!({"delivery": "poll", "url": "https://hooks.example.com/in"}),
            "url",
        ),
        (json!({"delivery": "poll", "rate_limit": 5}), "rate_limit"),
        (
            json!({"delivery": "poll", "retry_schedule": [60]}),
            "retry_schedule",
        ),
        (json!({"delivery": "pull"}), "delivery"),
        (json!({"delivery": "push"}), "url"),
    ];
    for (fields, field) in refused {
        let mut body = json!({"name": "Feed", "events": ["order.*"]});
        body.as_object_mut()
            .unwrap()
            .extend(fields.as_object().cloned().unwrap());
        let (status, answer) = server.post("/v1/webhooks", body).await;
        assert_eq!(
            (status, error_fields(&answer)),
            (422, vec![field.to_owned()]),
            "{answer}"
        );
    }
}

/// A poll webhook cannot be changed into a push one, nor given a url.
async fn a_poll_webhook_stays_one(server: &Server, path: &str) {
    for (change, field) in [
        (json!({"delivery": "push"}), "delivery"),
        (json!({"url": "https://hooks.example.com/in"}), "url"),
    ] {
        let (status, answer) = server.patch(path, change).await;
        assert_eq!(
            (status, error_fields(&answer)),
            (422, vec![field.to_owned()]),
            "{answer}"
        );
    }
    let (status, same) = server
        .patch(path, json!({"delivery": "poll", "name": "Feed 2"}))
        .await;
    assert_eq!(
        (status, &same["webhook"]["name"]),
        (200, &json!("Feed 2")),
        "{same}"
    );
}

async fn poll_webhooks_refuse_what_they_cannot_use_and_stay_in_their_account(backend: Backend) {
    let server = Server::start(backend).await;
    fields_a_poll_webhook_cannot_use_are_refused(&server).await;
    let hook = poll_webhook(&server, json!({})).await;
    let path = format!("/v1/webhooks/{hook}");
    a_poll_webhook_stays_one(&server, &path).await;
    server
        .assert_queries_refused(
            &format!("{path}/poll"),
            &[
                ("cursor=abc", "cursor"),
                ("limit=0", "limit"),
                ("after=1", "after"),
            ],
        )
        .await;
    // A push webhook has nothing to poll; another account's is not found;
    // polling acknowledges, so a read key may not.
    let push = server
        .webhook_id(
            json!({"name": "Push", "url": "https://hooks.example.com/in", "events": ["order.*"]}),
        )
        .await;
    let (status, answer) = server.get(&format!("/v1/webhooks/{push}/poll")).await;
    assert_eq!(status, 409, "{answer}");
    let stranger = server.new_account("Stranger").await;
    let reader = key_of_scope(&server, "read").await;
    let read_only = "this API key's scope is `read`; this route needs `full`";
    for (key, want, message) in [
        (stranger, 404, "webhook not found"),
        (reader, 403, read_only),
    ] {
        let poll = format!("{path}/poll");
        let (status, answer) = server
            .call(Method::GET, &poll, Auth::Bearer(&key), None)
            .await;
        assert_eq!((status, answer["message"].as_str()), (want, Some(message)));
    }
    // A test event waits to be fetched like any other.
    let (status, tested) = server.post(&format!("{path}/test"), json!({})).await;
    assert_eq!(
        (status, &tested["delivered"], &tested["response_code"]),
        (200, &json!(false), &json!(0))
    );
    let page = poll(&server, &hook, "").await;
    assert_eq!(
        ids_in(&page["deliveries"]),
        [tested["delivery_id"].as_str().unwrap()]
    );
}
