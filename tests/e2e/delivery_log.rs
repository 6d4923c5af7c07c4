//! The delivery log over HTTP: the single view, lists and their filters,
//! retry, recover and tenant isolation; embedded and on AWS adapters (moto).

use crate::helpers::receiver::Receiver;
use crate::helpers::{
    assert_fields, assert_one_page, error_fields, eventually, ids_in, Auth, Server,
};
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};

on_both_backends!(
    the_log_shows_each_delivery_with_attempts_and_payload,
    lists_filter_by_status_event_and_webhook,
    bad_list_parameters_are_422_naming_the_parameter,
    retry_sends_again_as_a_new_attempt_with_the_same_webhook_id,
    recover_requeues_failed_deliveries_since_a_time,
    another_account_sees_none_of_the_log,
    deleting_a_webhook_deletes_its_deliveries,
);

/// A server that tries each delivery once (no retries), and a receiver.
async fn one_attempt(backend: Backend) -> (Server, Receiver) {
    let server =
        Server::start_tuned(backend, |settings| settings.retry_schedule = Vec::new()).await;
    (server, Receiver::start().await)
}

async fn webhook(server: &Server, url: &str) -> String {
    server
        .webhook_id(json!({"name": "log", "url": url, "events": ["*"]}))
        .await
}

async fn send(server: &Server, name: &str, kind: &str) -> Vec<String> {
    server
        .send_event(json!({"name": name, "type": kind, "payload": {"n": 1}}))
        .await
}

fn ids(list: &Value) -> Vec<String> {
    ids_in(&list["deliveries"])
}

/// A webhook on the receiver's `path` and one event's delivery to it, once
/// it ended `status`: the webhook's id and the delivery's.
async fn one_ended(
    server: &Server,
    receiver: &Receiver,
    path: &str,
    status: &str,
) -> (String, String) {
    let hook = webhook(server, &receiver.url(path)).await;
    let id = send(server, "a", "b").await.remove(0);
    assert_eq!(server.settled_view(&id).await["status"], status);
    (hook, id)
}

async fn the_log_shows_each_delivery_with_attempts_and_payload(backend: Backend) {
    let (server, receiver) = one_attempt(backend).await;
    let hook = webhook(&server, &receiver.url("ok")).await;
    let (_, fresh) = server.get(&format!("/v1/webhooks/{hook}")).await;
    assert!(
        fresh["webhook"].get("last_delivery_status").is_none(),
        "no deliveries yet"
    );
    let id = send(&server, "user", "created").await.remove(0);
    let delivery = server.settled_view(&id).await;
    assert_eq!(delivery["status"], "delivered");
    let noted = eventually(10, "last_delivery_status", || async {
        let (_, got) = server.get(&format!("/v1/webhooks/{hook}")).await;
        got["webhook"]
            .get("last_delivery_status")
            .is_some()
            .then_some(got["webhook"].clone())
    })
    .await;
    assert_eq!(noted["last_delivery_status"], "delivered");
    assert!(
        noted["last_delivery_at"].as_str().unwrap() >= delivery["created_at"].as_str().unwrap()
    );
    assert_fields(&delivery, json!({"code": 200, "attempts": 1}));
    assert_eq!(delivery["webhook_id"], hook.as_str());
    assert_eq!(
        delivery["event"],
        json!({"name": "user", "type": "created"})
    );
    assert_eq!(delivery["payload"]["payload"], json!({"n": 1}));
    assert_eq!(delivery["payload"]["event"]["traceId"], id.as_str());
    assert_one_attempt_shown_as_sent(&delivery, &receiver);
    the_list_shows_it_without_its_log(&server, &id).await;
    server.stop().await;
}

/// The one attempt in the log, and the payload the receiver got.
fn assert_one_attempt_shown_as_sent(delivery: &Value, receiver: &Receiver) {
    let log = delivery["attempt_log"].as_array().unwrap();
    assert_eq!(log.len(), 1);
    assert_fields(
        &log[0],
        json!({"code": 200, "error": null, "response_body": "ok"}),
    );
    assert!(log[0]["at"].as_str().unwrap().ends_with('Z'));
    // What was sent is what the log shows.
    let sent: Value = serde_json::from_str(&receiver.requests("ok")[0].body).unwrap();
    assert_eq!(sent, delivery["payload"]);
}

/// The list holds the delivery without its log; unknown ids are 404.
async fn the_list_shows_it_without_its_log(server: &Server, id: &str) {
    let (_, list) = server.get("/v1/deliveries").await;
    assert_eq!(ids(&list), vec![id.to_owned()]);
    assert!(
        list["deliveries"][0].get("attempt_log").is_none(),
        "the log is in the single view only"
    );
    assert_one_page(&list);
    assert_eq!(
        server
            .get("/v1/deliveries/0190f0a0-0000-7000-8000-000000000000")
            .await
            .0,
        404
    );
    assert_eq!(server.get("/v1/deliveries/not-an-id").await.0, 404);
}

async fn lists_filter_by_status_event_and_webhook(backend: Backend) {
    let (server, receiver) = one_attempt(backend).await;
    let good = webhook(&server, &receiver.url("ok")).await;
    let bad = webhook(&server, &receiver.url("fail")).await;
    let mut all = Vec::new();
    for (name, kind) in [("user", "created"), ("user", "deleted"), ("order", "paid")] {
        for id in send(&server, name, kind).await {
            all.push(server.settled_view(&id).await);
        }
    }
    assert_eq!(all.len(), 6);
    let pick = |keep: &dyn Fn(&Value) -> bool| {
        let mut chosen: Vec<String> = all
            .iter()
            .filter(|d| keep(d))
            .map(|d| d["id"].as_str().unwrap().to_owned())
            .collect();
        chosen.sort();
        chosen
    };
    for (query, want) in [
        ("status=failed", pick(&|d| d["status"] == "failed")),
        ("status=failed,delivered", pick(&|_| true)),
        ("status=scheduled", Vec::new()),
        ("event=user", pick(&|d| d["event"]["name"] == "user")),
        (
            "event=user.deleted",
            pick(&|d| d["event"]["name"] == "user" && d["event"]["type"] == "deleted"),
        ),
        (
            &format!("webhook_id={good}") as &str,
            pick(&|d| d["webhook_id"] == good.as_str()),
        ),
        (
            &format!("webhook_id={bad}&event=order&status=failed") as &str,
            pick(&|d| d["webhook_id"] == bad.as_str() && d["event"]["name"] == "order"),
        ),
    ] {
        let (status, list) = server
            .get(&format!("/v1/deliveries?{query}&sort=id&order=asc"))
            .await;
        assert_eq!(status, 200, "{query}: {list}");
        assert_eq!(ids(&list), want, "{query}");
    }
    let (_, theirs) = server
        .get(&format!("/v1/webhooks/{bad}/deliveries?sort=id&order=asc"))
        .await;
    assert_eq!(ids(&theirs), pick(&|d| d["webhook_id"] == bad.as_str()));
    let (status, _) = server.get("/v1/deliveries?limit=100").await;
    assert_eq!(status, 200);
    server.stop().await;
}

async fn bad_list_parameters_are_422_naming_the_parameter(backend: Backend) {
    let server = Server::start(backend).await;
    let refused = [
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("status=sent", "status"),
        ("status=failed,nope", "status"),
        ("sort=name", "sort"),
        ("order=sideways", "order"),
        ("start=last-week", "start"),
        ("end=2026-02-30", "end"),
        ("webhook_id=42", "webhook_id"),
        ("event=user.created.now", "event"),
        ("cursor=zzz", "cursor"),
    ];
    server
        .assert_queries_refused("/v1/deliveries", &refused)
        .await;
    server.stop().await;
}

async fn retry_sends_again_as_a_new_attempt_with_the_same_webhook_id(backend: Backend) {
    let (server, receiver) = one_attempt(backend).await;
    let (_, id) = one_ended(&server, &receiver, "flaky", "failed").await;
    let (status, retried) = server
        .post(&format!("/v1/deliveries/{id}/retry"), json!({}))
        .await;
    assert_eq!(status, 200, "{retried}");
    let delivery = &retried["delivery"];
    assert_fields(
        delivery,
        json!({"status": "delivered", "attempts": 2, "code": 200}),
    );
    assert_eq!(delivery["attempt_log"].as_array().unwrap().len(), 2);
    let requests = receiver.requests("flaky");
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].headers["webhook-id"],
        requests[1].headers["webhook-id"]
    );
    assert_eq!(requests[1].headers["webhook-id"], id);
    server.stop().await;
}

async fn recover_requeues_failed_deliveries_since_a_time(backend: Backend) {
    let (server, receiver) = one_attempt(backend).await;
    let (hook, id) = one_ended(&server, &receiver, "flaky", "failed").await;
    let path = format!("/v1/webhooks/{hook}/recover");
    // Nothing failed since 2999; the one failure since 2020.
    for (since, recovered) in [("2999-01-01T00:00:00Z", 0), ("2020-01-01T00:00:00Z", 1)] {
        let (status, answer) = server.post(&path, json!({ "since": since })).await;
        assert_eq!(
            (status, answer["recovered"].clone()),
            (200, json!(recovered)),
            "since {since}: {answer}"
        );
    }
    let delivery = server.settled_view(&id).await;
    assert_fields(&delivery, json!({"status": "delivered", "attempts": 2}));
    let (status, bad) = server.post(&path, json!({"since": "yesterday"})).await;
    assert_eq!(
        (status, error_fields(&bad)),
        (422, vec!["since".to_owned()])
    );
    server.stop().await;
}

async fn another_account_sees_none_of_the_log(backend: Backend) {
    let (server, receiver) = one_attempt(backend).await;
    let (hook, id) = one_ended(&server, &receiver, "ok", "delivered").await;
    let other = server.new_account("B").await;
    let since = json!({"since": "2020-01-01T00:00:00Z"}).to_string();
    for (method, path, body) in [
        (Method::GET, format!("/v1/deliveries/{id}"), None),
        (
            Method::POST,
            format!("/v1/deliveries/{id}/retry"),
            Some("{}"),
        ),
        (Method::GET, format!("/v1/webhooks/{hook}/deliveries"), None),
        (
            Method::POST,
            format!("/v1/webhooks/{hook}/recover"),
            Some(since.as_str()),
        ),
    ] {
        let (status, answer) = server
            .call(method.clone(), &path, Auth::Bearer(&other), body)
            .await;
        assert_eq!(status, 404, "{method} {path}: {answer}");
    }
    for query in ["", "?status=delivered", &format!("?webhook_id={hook}")] {
        let (status, list) = server
            .call(
                Method::GET,
                &format!("/v1/deliveries{query}"),
                Auth::Bearer(&other),
                None,
            )
            .await;
        assert_eq!(
            (status, list["deliveries"].clone()),
            (200, json!([])),
            "{query}"
        );
    }
    server.stop().await;
}

async fn deleting_a_webhook_deletes_its_deliveries(backend: Backend) {
    let (server, receiver) = one_attempt(backend).await;
    let doomed = webhook(&server, &receiver.url("ok")).await;
    let kept = webhook(&server, &receiver.url("ok")).await;
    let mut all = Vec::new();
    for _ in 0..15 {
        all.extend(send(&server, "a", "b").await);
    }
    for id in &all {
        server.settled_view(id).await;
    }
    let (status, _) = server.delete(&format!("/v1/webhooks/{doomed}")).await;
    assert_eq!(status, 200);
    let (_, left) = server
        .get(&format!("/v1/deliveries?webhook_id={doomed}&limit=100"))
        .await;
    assert_eq!(
        left["deliveries"],
        json!([]),
        "none of its deliveries is listed"
    );
    let (_, theirs) = server
        .get(&format!("/v1/webhooks/{kept}/deliveries?limit=100"))
        .await;
    assert_eq!(
        theirs["deliveries"].as_array().unwrap().len(),
        15,
        "the other webhook keeps its log"
    );
    let mut gone = 0;
    for id in &all {
        let (status, answer) = server.get(&format!("/v1/deliveries/{id}")).await;
        match status {
            404 => gone += 1,
            200 => assert_eq!(answer["delivery"]["webhook_id"], kept.as_str()),
            other => panic!("{other}: {answer}"),
        }
    }
    assert_eq!(gone, 15);
    server.stop().await;
}
