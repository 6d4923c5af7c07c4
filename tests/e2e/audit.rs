//! The audit log over HTTP on both backends: every change to webhooks,
//! event types, API keys and console links, every retry and recover, and
//! account creation, with who made it (key or link, by id and name, or the
//! operator) and each field before → after, secrets masked; filters and
//! cursor paging; and a store failure never leaves a change unrecorded.

use crate::faults::{Faults, Faulty};
use crate::helpers::receiver::Receiver;
use crate::helpers::{self, Auth, Server, ADMIN_KEY};
use hookrelay::app::Adapters;
use hookrelay::ports::clock::SystemClock;
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

on_both_backends!(
    every_change_is_recorded_with_its_actor_and_secrets_masked,
    the_log_filters_and_pages_by_cursor,
);

/// The filter to the webhooks' records (a server's account begins with
/// its own creation's).
const WEBHOOKS: &str = "&resource_type=webhook";

/// The account's whole log, newest first, read `limit` at a time.
async fn log(server: &Server, key: &str, query: &str, limit: u32) -> Vec<Value> {
    let (mut all, mut cursor) = (Vec::new(), String::new());
    loop {
        let path = format!("/v1/audit?limit={limit}{query}{cursor}");
        let (status, page) = server
            .call(Method::GET, &path, Auth::Bearer(key), None)
            .await;
        assert_eq!(status, 200, "{path}: {page}");
        let items = page["audit"].as_array().expect("audit").clone();
        assert!(items.len() <= limit as usize);
        all.extend(items);
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return all,
        }
    }
}

/// `actions` in text order.
fn sorted(mut actions: Vec<&str>) -> Vec<&str> {
    actions.sort();
    actions
}

fn actions(records: &[Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["action"].as_str().expect("action"))
        .collect()
}

/// A new full key named `name`: its id and the key.
async fn full_key(server: &Server, name: &str) -> (String, String) {
    let (status, made) = server
        .post("/v1/api-keys", json!({"name": name, "scope": "full"}))
        .await;
    assert_eq!(status, 201, "{made}");
    let text = |field: &str| made["api_key"][field].as_str().expect(field).to_owned();
    (text("id"), text("key"))
}

async fn every_change_is_recorded_with_its_actor_and_secrets_masked(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let (ops_id, ops) = full_key(&server, "ops deploy").await;
    let call = |method: Method, path: String, body: Value| {
        let server = &server;
        let ops = ops.clone();
        async move {
            let body = body.to_string();
            let body = (method != Method::GET && method != Method::DELETE).then_some(body);
            server
                .call(method, &path, Auth::Bearer(&ops), body.as_deref())
                .await
        }
    };
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = json!({"name": "orders", "url": format!("http://bob:hunter2pw@{}", &receiver.url("/a")[7..]),
        "events": ["order.*"], "secret": secret, "api_key": "endpoint-key-0123456789",
        "headers": {"X-Token": "header-secret-value"}});
    let (status, made) = call(Method::POST, "/v1/webhooks".into(), body).await;
    assert_eq!(status, 201, "{made}");
    let id = made["webhook"]["id"].as_str().expect("id").to_owned();
    let hook = format!("/v1/webhooks/{id}");
    let changed = json!({"url": receiver.url("/b"), "enabled": false});
    assert_eq!(call(Method::PATCH, hook.clone(), changed).await.0, 200);
    assert_eq!(
        call(Method::PATCH, hook.clone(), json!({"enabled": true}))
            .await
            .0,
        200
    );
    let (_, rotated) = call(Method::POST, format!("{hook}/secret/rotate"), json!({})).await;
    let new_secret = rotated["secret"].as_str().expect("secret").to_owned();
    let (_, sent) = call(Method::POST, format!("{hook}/test"), json!({})).await;
    let delivery = sent["delivery_id"]
        .as_str()
        .expect("delivery_id")
        .to_owned();
    let retried = call(
        Method::POST,
        format!("/v1/deliveries/{delivery}/retry"),
        json!({}),
    )
    .await;
    assert_eq!(retried.0, 200, "{}", retried.1);
    let since = json!({"since": "2020-01-01T00:00:00.000Z"});
    assert_eq!(
        call(Method::POST, format!("{hook}/recover"), since).await.0,
        200
    );
    let kind = json!({"name": "order", "type": "paid", "description": "Paid"});
    assert_eq!(
        call(Method::POST, "/v1/event-types".into(), kind).await.0,
        201
    );
    let described = json!({"description": "An order was paid"});
    let path = "/v1/event-types/order.paid".to_owned();
    assert_eq!(call(Method::PATCH, path.clone(), described).await.0, 200);
    assert_eq!(call(Method::DELETE, path, json!({})).await.0, 200);
    let (_, link) = call(Method::POST, "/v1/console-links".into(), json!({})).await;
    let link_id = link["console_link"]["id"].as_str().expect("id").to_owned();
    let token = link["console_link"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    // A change made with the console link names the link.
    let renamed = json!({"name": "orders (renamed)"});
    let by_link = server
        .call(
            Method::PATCH,
            &hook,
            Auth::Bearer(&token),
            Some(&renamed.to_string()),
        )
        .await;
    assert_eq!(by_link.0, 200, "{}", by_link.1);
    let gone = call(
        Method::DELETE,
        format!("/v1/console-links/{link_id}"),
        json!({}),
    )
    .await;
    assert_eq!(gone.0, 200);
    let (spare_id, _) = full_key(&server, "spare").await;
    let path = format!("/v1/api-keys/{spare_id}");
    assert_eq!(call(Method::DELETE, path, json!({})).await.0, 200);
    assert_eq!(call(Method::DELETE, hook.clone(), json!({})).await.0, 200);

    let records = log(&server, &server.key, "", 100).await;
    let text = Value::Array(records.clone()).to_string();
    for secret in [
        secret,
        &new_secret,
        "hunter2pw",
        "endpoint-key-0123456789",
        "header-secret-value",
        &ops,
        &token,
    ] {
        assert!(!text.contains(secret), "a secret in the log: {secret}");
    }
    let expected = vec![
        "account.created",
        "api_key.created",
        "webhook.created",
        "webhook.updated",
        "webhook.updated",
        "webhook.secret_rotated",
        "delivery.retried",
        "webhook.recovered",
        "event_type.created",
        "event_type.updated",
        "event_type.deleted",
        "console_link.created",
        "webhook.updated",
        "console_link.revoked",
        "api_key.created",
        "api_key.revoked",
        "webhook.deleted",
    ];
    // Newest first; records of one millisecond may come in either order.
    let at = |r: &Value| r["at"].as_str().expect("at").to_owned();
    assert!(records.windows(2).all(|w| at(&w[0]) >= at(&w[1])));
    assert_eq!(sorted(actions(&records)), sorted(expected.clone()));
    let by_ops = records.iter().filter(|r| r["actor"]["id"] == json!(ops_id));
    assert_eq!(
        by_ops.count(),
        expected.len() - 4,
        "all but the runner's, the link's and the two keys the first key made"
    );
    let find = |action: &str, nth: usize| {
        let mut of: Vec<&Value> = records.iter().filter(|r| r["action"] == action).collect();
        of.sort_by_key(|r| at(r));
        of[nth].clone()
    };
    let first = find("api_key.created", 0);
    assert_eq!(first["actor"]["type"], "api_key");
    assert_eq!(first["resource"], json!({"type": "api_key", "id": ops_id}));
    assert_eq!(first["changes"]["name"]["after"], "ops deploy");
    let created = find("webhook.created", 0);
    assert_eq!(
        created["actor"],
        json!({"type": "api_key", "id": ops_id, "name": "ops deploy"})
    );
    assert_eq!(created["resource"], json!({"type": "webhook", "id": id}));
    assert_eq!(
        created["changes"]["headers"]["after"],
        json!({"X-Token": "****"})
    );
    assert!(created["changes"]["url"]["after"]
        .as_str()
        .expect("url")
        .contains("bob:****@"));
    let switched = find("webhook.updated", 0);
    assert_eq!(
        switched["changes"]["enabled"],
        json!({"before": true, "after": false})
    );
    assert_eq!(
        switched["changes"]["url"]["after"],
        json!(receiver.url("/b"))
    );
    let rotation = &find("webhook.secret_rotated", 0)["changes"]["secret"];
    assert_ne!(rotation["before"], rotation["after"]);
    assert!(rotation["after"]
        .as_str()
        .expect("masked")
        .starts_with("whsec_****"));
    let retry = find("delivery.retried", 0);
    assert_eq!(
        retry["resource"],
        json!({"type": "delivery", "id": delivery})
    );
    assert_eq!(retry["changes"]["status"]["after"], "dispatched");
    let linked = find("webhook.updated", 2);
    assert_eq!(linked["actor"]["type"], "console_link");
    assert_eq!(linked["actor"]["id"], json!(link_id));
    assert_eq!(linked["changes"]["name"]["after"], "orders (renamed)");
    let deleted = find("webhook.deleted", 0);
    assert_eq!(deleted["changes"]["name"]["before"], "orders (renamed)");
    assert_eq!(deleted["changes"]["name"]["after"], Value::Null);

    // An account the operator made: its log starts with that.
    let other = server.new_account("Other").await;
    let theirs = log(&server, &other, "", 10).await;
    assert_eq!(actions(&theirs), vec!["account.created"]);
    assert_eq!(theirs[0]["actor"]["type"], "operator");
    assert_eq!(theirs[0]["actor"]["id"], "admin-key");
    server.stop().await;
}

async fn the_log_filters_and_pages_by_cursor(backend: Backend) {
    let server = Server::start(backend).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            server
                .webhook_id(helpers::webhook_body(&format!("hook {i}")))
                .await,
        );
    }
    for id in &ids[..3] {
        let (status, _) = server
            .patch(&format!("/v1/webhooks/{id}"), json!({"enabled": false}))
            .await;
        assert_eq!(status, 200);
    }
    let all = log(&server, &server.key, WEBHOOKS, 100).await;
    assert_eq!(all.len(), 8);
    for limit in [1, 3] {
        assert_eq!(
            log(&server, &server.key, WEBHOOKS, limit).await,
            all,
            "limit {limit}"
        );
    }
    let query = format!("{WEBHOOKS}&order=asc");
    let oldest_first = log(&server, &server.key, &query, 3).await;
    assert_eq!(oldest_first, all.iter().rev().cloned().collect::<Vec<_>>());
    let updated = log(&server, &server.key, "&action=webhook.updated", 2).await;
    assert_eq!(actions(&updated), vec!["webhook.updated"; 3]);
    let one = log(&server, &server.key, &format!("&resource_id={}", ids[0]), 2).await;
    assert_eq!(actions(&one), vec!["webhook.updated", "webhook.created"]);
    let none = log(
        &server,
        &server.key,
        "&actor_type=console_link&resource_type=webhook",
        5,
    )
    .await;
    assert!(none.is_empty());
    let start = all[2]["at"].as_str().expect("at");
    let query = format!("{WEBHOOKS}&start={start}");
    let recent = log(&server, &server.key, &query, 5).await;
    assert!(recent.len() >= 3 && recent.iter().all(|r| r["at"].as_str() >= Some(start)));

    // A read key reads it; an ingest key may not; another account sees nothing.
    let (_, read) = server
        .post("/v1/api-keys", json!({"name": "r", "scope": "read"}))
        .await;
    let read = read["api_key"]["key"].as_str().expect("key").to_owned();
    let with_keys = log(&server, &read, "", 100).await;
    assert_eq!(
        with_keys.len(),
        10,
        "the runner's account, 8 changes, the read key"
    );
    let (_, ingest) = server
        .post("/v1/api-keys", json!({"name": "i", "scope": "ingest"}))
        .await;
    let ingest = ingest["api_key"]["key"].as_str().expect("key").to_owned();
    let refused = server
        .call(Method::GET, "/v1/audit", Auth::Bearer(&ingest), None)
        .await;
    assert_eq!(refused.0, 403, "{}", refused.1);
    let other = server
        .call(
            Method::POST,
            "/v1/accounts",
            Auth::Bearer(ADMIN_KEY),
            Some(r#"{"name":"b"}"#),
        )
        .await;
    let other = other.1["account"]["api_key"]
        .as_str()
        .expect("key")
        .to_owned();
    assert!(log(&server, &other, WEBHOOKS, 100).await.is_empty());

    server
        .assert_queries_refused(
            "/v1/audit",
            &[
                ("action=webhook.exploded", "action"),
                ("resource_type=planet", "resource_type"),
                ("actor_type=robot", "actor_type"),
                ("order=sideways", "order"),
                ("limit=0", "limit"),
                ("limit=101", "limit"),
                ("cursor=not-an-id", "cursor"),
                ("start=yesterday", "start"),
                ("colour=red", "colour"),
            ],
        )
        .await;
    server.stop().await;
}

/// A store whose calls fail on demand, behind the embedded runner.
async fn faulty_server() -> (Server, Arc<Faults>) {
    let settings = helpers::settings(Backend::Memory);
    let adapters =
        hookrelay_local::adapters_with_clock(Backend::Memory, &settings, Arc::new(SystemClock))
            .await
            .expect("adapters");
    let faults = Arc::new(Faults::default());
    let adapters = Adapters {
        store: Arc::new(Faulty {
            inner: adapters.store,
            faults: faults.clone(),
        }),
        ..adapters
    };
    (Server::start_on(adapters, settings, None).await, faults)
}

/// A change and its record are one store write: when it fails, neither is
/// there. A retry is recorded before it starts: when its change then fails,
/// the log says it was asked for, and no retry is ever made unrecorded.
#[tokio::test]
async fn a_store_failure_never_leaves_a_change_without_its_record() {
    let (server, faults) = faulty_server().await;
    let receiver = Receiver::start().await;
    let body = json!({"name": "a", "url": receiver.url("/a"), "events": ["order.*"]});
    faults.arm("insert_webhook");
    let (status, answer) = server.post("/v1/webhooks", body.clone()).await;
    assert_eq!(status, 503, "{answer}");
    let (_, list) = server.get("/v1/webhooks").await;
    assert_eq!(list["webhooks"], json!([]));
    assert!(log(&server, &server.key, WEBHOOKS, 100).await.is_empty());

    let id = server.webhook_id(body).await;
    faults.arm("update_webhook");
    let path = format!("/v1/webhooks/{id}");
    assert_eq!(server.patch(&path, json!({"name": "b"})).await.0, 503);
    assert_eq!(server.get(&path).await.1["webhook"]["name"], "a");
    assert_eq!(
        actions(&log(&server, &server.key, WEBHOOKS, 100).await),
        vec!["webhook.created"]
    );

    let (_, sent) = server.post(&format!("{path}/test"), json!({})).await;
    let delivery = sent["delivery_id"]
        .as_str()
        .expect("delivery_id")
        .to_owned();
    let retry = format!("/v1/deliveries/{delivery}/retry");
    faults.arm("record_audit");
    assert_eq!(server.post(&retry, json!({})).await.0, 503);
    let attempts = |view: Value| view["delivery"]["attempts"].clone();
    assert_eq!(
        attempts(server.get(&format!("/v1/deliveries/{delivery}")).await.1),
        1
    );
    faults.arm("reopen");
    assert_eq!(server.post(&retry, json!({})).await.0, 503);
    assert_eq!(
        attempts(server.get(&format!("/v1/deliveries/{delivery}")).await.1),
        1
    );
    let records = log(&server, &server.key, "&resource_type=delivery", 100).await;
    assert_eq!(actions(&records), vec!["delivery.retried"]);
    server.stop().await;
}
