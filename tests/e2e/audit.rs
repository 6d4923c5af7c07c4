//! The audit log over HTTP on both backends: every change to webhooks,
//! event types, API keys and console links, every retry and recover, and
//! account creation, with who made it (key or link, by id and name, or the
//! operator) and each field before → after, secrets masked; filters and
//! cursor paging; and a store failure never leaves a change unrecorded.

use crate::faults::{faulty, Faults};
use crate::helpers::receiver::Receiver;
use crate::helpers::{self, Auth, Server, ADMIN_KEY};
use hookrelay::ports::clock::SystemClock;
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

on_both_backends!(
    every_change_is_recorded_with_its_actor_and_secrets_masked,
    the_log_filters_and_pages_by_cursor,
    the_log_is_its_accounts_and_read_scope_reads_it,
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

/// Requests made with one credential, each expected to answer `status`.
struct As<'a> {
    server: &'a Server,
    key: String,
}

impl As<'_> {
    async fn send(&self, method: Method, path: &str, body: Value, status: u16) -> Value {
        let body = (method != Method::DELETE).then(|| body.to_string());
        let auth = Auth::Bearer(&self.key);
        let (got, answer) = self
            .server
            .call(method.clone(), path, auth, body.as_deref())
            .await;
        assert_eq!(got, status, "{method} {path}: {answer}");
        answer
    }
}

/// What `make_every_change` made, and the secrets it used.
struct Made {
    webhook: String,
    delivery: String,
    link: String,
    secrets: Vec<String>,
}

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A webhook's whole life, made with `ops`: created with every kind of
/// secret, changed, rotated, a delivery retried, recovered; renamed with a
/// console link; then deleted.
async fn make_every_change(ops: &As<'_>, receiver: &Receiver) -> Made {
    let url = format!("http://bob:hunter2pw@{}", &receiver.url("/a")[7..]);
    let body = json!({"name": "orders", "url": url, "events": ["order.*"], "secret": SECRET,
        "api_key": "endpoint-key-0123456789", "headers": {"X-Token": "header-secret-value"}});
    let made = ops.send(Method::POST, "/v1/webhooks", body, 201).await;
    let webhook = made["webhook"]["id"].as_str().expect("id").to_owned();
    let hook = format!("/v1/webhooks/{webhook}");
    let off = json!({"url": receiver.url("/b"), "enabled": false});
    ops.send(Method::PATCH, &hook, off, 200).await;
    ops.send(Method::PATCH, &hook, json!({"enabled": true}), 200)
        .await;
    let rotate = format!("{hook}/secret/rotate");
    let rotated = ops.send(Method::POST, &rotate, json!({}), 200).await;
    let sent = ops
        .send(Method::POST, &format!("{hook}/test"), json!({}), 200)
        .await;
    let delivery = sent["delivery_id"]
        .as_str()
        .expect("delivery_id")
        .to_owned();
    let retry = format!("/v1/deliveries/{delivery}/retry");
    ops.send(Method::POST, &retry, json!({}), 200).await;
    let since = json!({"since": "2020-01-01T00:00:00.000Z"});
    ops.send(Method::POST, &format!("{hook}/recover"), since, 200)
        .await;
    let link = make_catalogue_and_link_changes(ops, &hook).await;
    ops.send(Method::DELETE, &hook, json!({}), 200).await;
    let secret = |v: &Value| v.as_str().expect("secret").to_owned();
    let mut secrets = vec![
        SECRET.to_owned(),
        secret(&rotated["secret"]),
        ops.key.clone(),
    ];
    secrets.extend(
        [
            "hunter2pw",
            "endpoint-key-0123456789",
            "header-secret-value",
        ]
        .map(String::from),
    );
    secrets.push(link.1);
    Made {
        webhook,
        delivery,
        link: link.0,
        secrets,
    }
}

/// An event type's life, a spare key's, and a console link's, which
/// renames the webhook at `hook` meanwhile: the link's id and token.
async fn make_catalogue_and_link_changes(ops: &As<'_>, hook: &str) -> (String, String) {
    let kind = json!({"name": "order", "type": "paid", "description": "Paid"});
    ops.send(Method::POST, "/v1/event-types", kind, 201).await;
    let path = "/v1/event-types/order.paid";
    ops.send(
        Method::PATCH,
        path,
        json!({"description": "An order was paid"}),
        200,
    )
    .await;
    ops.send(Method::DELETE, path, json!({}), 200).await;
    let spare = json!({"name": "spare", "scope": "full"});
    let spare = ops.send(Method::POST, "/v1/api-keys", spare, 201).await;
    let spare = spare["api_key"]["id"].as_str().expect("id");
    ops.send(
        Method::DELETE,
        &format!("/v1/api-keys/{spare}"),
        json!({}),
        200,
    )
    .await;
    let link = ops
        .send(Method::POST, "/v1/console-links", json!({}), 201)
        .await;
    let text = |field: &str| {
        link["console_link"][field]
            .as_str()
            .expect(field)
            .to_owned()
    };
    let (id, token) = (text("id"), text("token"));
    let by_link = As {
        server: ops.server,
        key: token.clone(),
    };
    by_link
        .send(
            Method::PATCH,
            hook,
            json!({"name": "orders (renamed)"}),
            200,
        )
        .await;
    ops.send(
        Method::DELETE,
        &format!("/v1/console-links/{id}"),
        json!({}),
        200,
    )
    .await;
    (id, token)
}

async fn every_change_is_recorded_with_its_actor_and_secrets_masked(backend: Backend) {
    let server = Server::start(backend).await;
    let receiver = Receiver::start().await;
    let (ops_id, key) = full_key(&server, "ops deploy").await;
    let made = make_every_change(
        &As {
            server: &server,
            key,
        },
        &receiver,
    )
    .await;

    let records = log(&server, &server.key, "", 100).await;
    let text = Value::Array(records.clone()).to_string();
    for secret in &made.secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret in the log: {secret}"
        );
    }
    let expected = [
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
        "api_key.created",
        "api_key.revoked",
        "console_link.created",
        "webhook.updated",
        "console_link.revoked",
        "webhook.deleted",
    ];
    // Newest first; records of one millisecond may come in either order.
    let at = |r: &Value| r["at"].as_str().expect("at").to_owned();
    assert!(records.windows(2).all(|w| at(&w[0]) >= at(&w[1])));
    assert_eq!(sorted(actions(&records)), sorted(expected.to_vec()));
    let by_ops = records.iter().filter(|r| r["actor"]["id"] == json!(ops_id));
    assert_eq!(
        by_ops.count(),
        expected.len() - 3,
        "all but the runner's, the first key's and the link's"
    );
    each_record_says_who_and_what(&records, &ops_id, &made, &receiver);

    // An account the operator made: its log starts with that.
    let other = server.new_account("Other").await;
    let theirs = log(&server, &other, "", 10).await;
    assert_eq!(actions(&theirs), vec!["account.created"]);
    assert_eq!(theirs[0]["actor"]["type"], "operator");
    assert_eq!(theirs[0]["actor"]["id"], "admin-key");
    server.stop().await;
}

/// The records of `make_every_change`, one by one: the actor, the resource
/// and the fields before → after, secrets masked.
fn each_record_says_who_and_what(
    records: &[Value],
    ops_id: &str,
    made: &Made,
    receiver: &Receiver,
) {
    let one = |action: &str, test: &dyn Fn(&Value) -> bool| {
        let found: Vec<&Value> = records
            .iter()
            .filter(|r| r["action"] == action && test(r))
            .collect();
        assert_eq!(found.len(), 1, "{action}: {found:?}");
        found[0].clone()
    };
    let first = one("api_key.created", &|r| r["resource"]["id"] == json!(ops_id));
    assert_eq!(first["actor"]["type"], "api_key");
    assert_eq!(first["changes"]["name"]["after"], "ops deploy");
    let created = one("webhook.created", &|_| true);
    assert_eq!(
        created["actor"],
        json!({"type": "api_key", "id": ops_id, "name": "ops deploy"})
    );
    assert_eq!(
        created["resource"],
        json!({"type": "webhook", "id": made.webhook})
    );
    assert_eq!(
        created["changes"]["headers"]["after"],
        json!({"X-Token": "****alue"})
    );
    assert!(created["changes"]["url"]["after"]
        .as_str()
        .expect("url")
        .contains("bob:****@"));
    let off = one("webhook.updated", &|r| {
        r["changes"]["enabled"]["after"] == false
    });
    assert_eq!(off["changes"]["enabled"]["before"], true);
    assert_eq!(off["changes"]["url"]["after"], json!(receiver.url("/b")));
    let rotation = &one("webhook.secret_rotated", &|_| true)["changes"]["secret"];
    assert_ne!(rotation["before"], rotation["after"]);
    assert!(rotation["after"]
        .as_str()
        .expect("masked")
        .starts_with("whsec_****"));
    let retry = one("delivery.retried", &|_| true);
    assert_eq!(
        retry["resource"],
        json!({"type": "delivery", "id": made.delivery})
    );
    assert_eq!(retry["changes"]["status"]["after"], "dispatched");
    let linked = one("webhook.updated", &|r| r["actor"]["type"] == "console_link");
    assert_eq!(linked["actor"]["id"], json!(made.link));
    assert_eq!(linked["changes"]["name"]["after"], "orders (renamed)");
    let deleted = one("webhook.deleted", &|_| true);
    assert_eq!(
        deleted["changes"]["name"],
        json!({"before": "orders (renamed)", "after": null})
    );
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

    server.stop().await;
}

async fn the_log_is_its_accounts_and_read_scope_reads_it(backend: Backend) {
    let server = Server::start(backend).await;
    server.webhook_id(helpers::webhook_body("one")).await;
    // A read key reads it; an ingest key may not; another account sees nothing.
    let (_, read) = server
        .post("/v1/api-keys", json!({"name": "r", "scope": "read"}))
        .await;
    let read = read["api_key"]["key"].as_str().expect("key").to_owned();
    let with_keys = log(&server, &read, "", 100).await;
    assert_eq!(
        with_keys.len(),
        3,
        "the runner's account, the webhook, the read key"
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

/// Ports whose calls fail on demand, behind the embedded runner.
pub(crate) async fn faulty_server() -> (Server, Arc<Faults>) {
    let settings = helpers::settings(Backend::Memory);
    let adapters =
        hookrelay_local::adapters_with_clock(Backend::Memory, &settings, Arc::new(SystemClock))
            .await
            .expect("adapters");
    let faults = Arc::new(Faults::default());
    let server = Server::start_on(faulty(adapters, &faults), settings, None).await;
    (server, faults)
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
