//! API keys as a resource, over HTTP on both backends: created with a scope
//! and shown once, listed without secrets, revoked (never the last full
//! key), expired; and every route against every scope.

use crate::helpers::{self, error_fields, Auth, Server};
use hookrelay::adapters::aws::sdk_config;
use hookrelay::app::{Adapters, App};
use hookrelay::domain::account::KeyHash;
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::clock::{Clock, ManualClock, SystemClock};
use hookrelay_local::{adapters_with_clock, Backend};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;

on_both_backends!(
    every_route_answers_each_scope_as_its_table_says,
    keys_are_shown_once_listed_without_secrets_and_revoked,
    the_last_full_key_stays_and_other_accounts_keys_are_404,
    a_new_key_is_checked_field_by_field,
    an_expired_key_is_refused_and_use_is_noted_once_a_minute,
    a_revoked_key_is_refused_elsewhere_within_the_cache_bound,
);

/// Creates a key with the server's key; its JSON (with `key`).
async fn create(server: &Server, body: Value) -> Value {
    let (status, answer) = server.post("/v1/api-keys", body).await;
    assert_eq!(status, 201, "{answer}");
    answer["api_key"].clone()
}

pub(crate) async fn key_of_scope(server: &Server, scope: &str) -> String {
    let key = create(
        server,
        json!({"name": format!("{scope} key"), "scope": scope}),
    )
    .await;
    key["key"].as_str().expect("key").to_owned()
}

/// The narrowest scope a route needs, as the README states it.
fn needed(method: &str, path: &str) -> &'static str {
    match (method, path) {
        (_, p) if p.starts_with("/v1/api-keys") => "full",
        // A poll acknowledges what its cursor handed out: it changes state.
        ("get", "/v1/webhooks/{id}/poll") => "full",
        ("post", "/v1/events" | "/v1/events/batch") => "ingest",
        ("get", _) | ("post", "/v1/filters/test" | "/v1/transforms/preview") => "read",
        _ => "full",
    }
}

/// Every operation of the OpenAPI document that an account credential
/// calls: method, path (ids filled with ones that name nothing), and the
/// scope it needs.
fn every_route() -> Vec<(Method, String, &'static str)> {
    let doc = hookrelay_config_api::openapi::refined();
    let nobody = "01900000-0000-7000-8000-000000000000";
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if ["/v1/accounts", "/v1/openapi.json"].contains(&path.as_str()) {
            continue;
        }
        for method in item.as_object().expect("operations").keys() {
            let filled = path
                .replace("{id}", nobody)
                .replace("{event}", "order.paid");
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            routes.push((verb, filled, needed(method, path)));
        }
    }
    routes
}

async fn every_route_answers_each_scope_as_its_table_says(backend: Backend) {
    let server = Server::start(backend).await;
    let routes = every_route();
    assert_eq!(
        routes.len(),
        34,
        "every authenticated operation: {routes:?}"
    );
    let keys = [
        ("full", server.key.clone()),
        ("ingest", key_of_scope(&server, "ingest").await),
        ("read", key_of_scope(&server, "read").await),
    ];
    for (method, path, needed) in &routes {
        for (scope, key) in &keys {
            let body = (*method != Method::GET && *method != Method::DELETE).then_some("{}");
            let (status, answer) = server
                .call(method.clone(), path, Auth::Bearer(key), body)
                .await;
            let allowed = *scope == "full" || scope == needed;
            let what = format!("{scope} key, {method} {path}: {answer}");
            if allowed {
                assert!(![401, 403].contains(&status), "{what}");
            } else {
                assert_eq!(status, 403, "{what}");
                let or_full = if *needed == "full" {
                    ""
                } else {
                    " (or `full`)"
                };
                let message = format!(
                    "this API key's scope is `{scope}`; this route needs `{needed}`{or_full}"
                );
                assert_eq!(answer["message"], message, "{what}");
            }
        }
    }
    // What each narrow key is for, done with it.
    let (_, ingest) = &keys[1];
    let event = json!({"name": "order", "type": "paid", "payload": {}}).to_string();
    let (status, answer) = server
        .call(
            Method::POST,
            "/v1/events",
            Auth::Bearer(ingest),
            Some(&event),
        )
        .await;
    assert_eq!(status, 202, "{answer}");
    let (_, read) = &keys[2];
    let (status, me) = server
        .call(Method::GET, "/v1/account", Auth::Basic(read), None)
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(
        me["access"],
        json!({"kind": "api_key", "read_only": true, "expires_at": null})
    );
    server.stop().await;
}

async fn keys_are_shown_once_listed_without_secrets_and_revoked(backend: Backend) {
    let server = Server::start(backend).await;
    let made = create(&server, json!({"name": "CI deploys", "scope": "ingest"})).await;
    let key = made["key"].as_str().unwrap();
    let prefix = made["prefix"].as_str().unwrap();
    assert!(
        prefix.starts_with("hr_live_") && prefix.len() == 12,
        "{prefix}"
    );
    assert!(key.starts_with(prefix) && key.len() > 40, "{made}");
    assert_eq!(made["scope"], "ingest");
    assert_eq!(made["last_used_at"], Value::Null);
    assert_eq!(made["expires_at"], Value::Null);

    let listed = server.all_pages("/v1/api-keys?limit=1", "api_keys").await;
    let names: Vec<&Value> = listed.iter().map(|k| &k["name"]).collect();
    assert_eq!(names, ["Initial key", "CI deploys"]);
    for listed_key in &listed {
        assert!(listed_key.get("key").is_none(), "{listed_key}");
        assert!(!listed_key.to_string().contains(key));
    }
    let initial = &listed[0];
    assert_eq!(initial["scope"], "full");
    // The server's key was used for these requests: noted.
    assert!(initial["last_used_at"].is_string(), "{initial}");
    assert_eq!(listed[1]["prefix"], made["prefix"]);

    let path = format!("/v1/api-keys/{}", made["id"].as_str().unwrap());
    let (status, revoked) = server.delete(&path).await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["deleted"], true);
    assert_eq!(revoked["refused_within_seconds"], 60);
    assert!(revoked["note"].as_str().unwrap().contains("60 seconds"));
    let event = json!({"name": "a", "type": "b", "payload": {}}).to_string();
    let (status, _) = server
        .call(Method::POST, "/v1/events", Auth::Bearer(key), Some(&event))
        .await;
    assert_eq!(
        status, 401,
        "refused at once by the process that revoked it"
    );
    assert_eq!(server.delete(&path).await.0, 404);
    let (_, left) = server.get("/v1/api-keys").await;
    assert_eq!(left["api_keys"].as_array().unwrap().len(), 1);
    server.stop().await;
}

async fn the_last_full_key_stays_and_other_accounts_keys_are_404(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, listed) = server.get("/v1/api-keys").await;
    let initial = listed["api_keys"][0]["id"].as_str().unwrap().to_owned();
    let initial_path = format!("/v1/api-keys/{initial}");
    let reader = create(&server, json!({"name": "Dashboards", "scope": "read"})).await;
    let (status, refused) = server.delete(&initial_path).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("last full-scope API key"),
        "{refused}"
    );

    let other = server.new_account("other").await;
    let reader_path = format!("/v1/api-keys/{}", reader["id"].as_str().unwrap());
    let (status, _) = server
        .call(Method::DELETE, &reader_path, Auth::Bearer(&other), None)
        .await;
    assert_eq!(status, 404);
    let (_, theirs) = server
        .call(Method::GET, "/v1/api-keys", Auth::Bearer(&other), None)
        .await;
    assert_eq!(theirs["api_keys"].as_array().unwrap().len(), 1, "{theirs}");
    assert_ne!(theirs["api_keys"][0]["id"], initial);

    // With a second full key, the first one may go; then the second stays.
    let second = create(&server, json!({"name": "Ops", "scope": "full"})).await;
    let second_key = second["key"].as_str().unwrap();
    assert_eq!(server.delete(&initial_path).await.0, 200);
    let (status, _) = server.get("/v1/webhooks").await;
    assert_eq!(status, 401, "the initial key is revoked");
    let second_path = format!("/v1/api-keys/{}", second["id"].as_str().unwrap());
    let (status, _) = server
        .call(Method::DELETE, &second_path, Auth::Bearer(second_key), None)
        .await;
    assert_eq!(status, 409);
    let (status, _) = server
        .call(
            Method::DELETE,
            "/v1/api-keys/nope",
            Auth::Bearer(second_key),
            None,
        )
        .await;
    assert_eq!(status, 404);
    server.stop().await;
}

async fn a_new_key_is_checked_field_by_field(backend: Backend) {
    let server = Server::start(backend).await;
    let (status, answer) = server
        .post(
            "/v1/api-keys",
            json!({"name": " ", "scope": "admin", "expires_at": "2001-01-01T00:00:00Z", "color": 1}),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(
        error_fields(&answer),
        ["color", "name", "scope", "expires_at"]
    );
    let (status, answer) = server.post("/v1/api-keys", json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&answer), ["name", "scope"]);
    let (status, answer) = server.get("/v1/api-keys?cursor=nope&offset=1").await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&answer), ["offset", "cursor"]);
    // A console link, even a full one, manages no keys.
    let (_, link) = server.post("/v1/console-links", json!({})).await;
    let token = link["console_link"]["token"].as_str().unwrap();
    let (status, answer) = server
        .call(Method::GET, "/v1/api-keys", Auth::Bearer(token), None)
        .await;
    assert_eq!(status, 403);
    assert!(answer["message"]
        .as_str()
        .unwrap()
        .contains("not with a console link"));
    server.stop().await;
}

async fn an_expired_key_is_refused_and_use_is_noted_once_a_minute(backend: Backend) {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let start = clock.now();
    let server = Server::start_full(backend, helpers::settings(backend), None, clock.clone()).await;
    let until = start.plus_seconds(3_600);
    let made = create(
        &server,
        json!({"name": "Until the hour", "scope": "read", "expires_at": until.to_string()}),
    )
    .await;
    let key = made["key"].as_str().unwrap();
    assert_eq!(made["expires_at"], until.to_string());
    let last_used = || async {
        let listed = server.all_pages("/v1/api-keys?limit=100", "api_keys").await;
        let mine = listed.iter().find(|k| k["id"] == made["id"]).cloned();
        mine.expect("listed")["last_used_at"].clone()
    };
    let use_it = |at_ms: i64| {
        clock.set(Timestamp::from_millis(start.millis() + at_ms).unwrap());
        server.call(Method::GET, "/v1/webhooks", Auth::Bearer(key), None)
    };
    assert_eq!(use_it(1_000).await.0, 200);
    assert_eq!(last_used().await, json!(start.plus_seconds(1).to_string()));
    assert_eq!(use_it(50_000).await.0, 200);
    assert_eq!(last_used().await, json!(start.plus_seconds(1).to_string()));
    assert_eq!(use_it(62_000).await.0, 200);
    assert_eq!(last_used().await, json!(start.plus_seconds(62).to_string()));
    let (status, answer) = use_it(3_600_000).await;
    assert_eq!(status, 401, "{answer}");
    let message = answer["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("expired at {until}")),
        "{message}"
    );
    // Listed still, until it is revoked.
    let listed = server.all_pages("/v1/api-keys?limit=100", "api_keys").await;
    assert!(listed.iter().any(|k| k["id"] == made["id"]));
    server.stop().await;
}

/// A runner whose config API and whose ingest and query functions each keep
/// their own warm state, over one store, as separate Lambda functions do.
async fn split_server(backend: Backend, clock: Arc<dyn Clock>) -> Server {
    let settings = helpers::settings(backend);
    let adapters = adapters_with_clock(backend, &settings, clock)
        .await
        .expect("adapters");
    let app = |a: &Adapters| App::new(a.clone(), settings.clone()).expect("app");
    let (config, others) = (app(&adapters), app(&adapters));
    let routes = hookrelay_config_api::routes()
        .with_state(config.clone())
        .merge(hookrelay_ingest::routes().with_state(others.clone()))
        .merge(hookrelay_query::routes().with_state(others));
    let key = hookrelay::domain::account::ApiKey::generate(&*config.random);
    let account = hookrelay_local::default_account(&config, &key)
        .await
        .expect("account");
    let running = hookrelay_local::serve_split(
        hookrelay::http::with_fallbacks(routes),
        config.clone(),
        "127.0.0.1:0".parse().expect("addr"),
        &key,
        account,
    )
    .await
    .expect("serve");
    Server::on(running, config)
}

async fn a_revoked_key_is_refused_elsewhere_within_the_cache_bound(backend: Backend) {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let server = split_server(backend, clock.clone()).await;
    let made = create(&server, json!({"name": "Reports", "scope": "read"})).await;
    let key = made["key"].as_str().unwrap();
    let read = || server.call(Method::GET, "/v1/deliveries", Auth::Bearer(key), None);
    assert_eq!(
        read().await.0,
        200,
        "the query function checks it and keeps it"
    );
    let path = format!("/v1/api-keys/{}", made["id"].as_str().unwrap());
    assert_eq!(server.delete(&path).await.0, 200);
    clock.advance_millis(59_000);
    assert_eq!(read().await.0, 200, "still trusted within the bound");
    clock.advance_millis(1_000);
    assert_eq!(read().await.0, 401, "refused once the bound has passed");
    server.stop().await;
}

/// Writes an account and its key as hookrelay wrote them before keys were a
/// resource; the key.
async fn stored_the_old_way(table: &str) -> (String, String) {
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let s = |v: &str| aws_sdk_dynamodb::types::AttributeValue::S(v.to_owned());
    let account = "0190d5a0-0000-7000-8000-00000000a11c";
    let key = "hr_AAAAoldKeyMadeBeforeScopesExisted0123456789";
    let hash = KeyHash::of(key).to_hex();
    let created = "2024-07-01T12:00:00.000Z";
    let items = [
        [
            ("pk", format!("ACCOUNT#{account}")),
            ("sk", "ACCOUNT".into()),
        ],
        [("pk", format!("APIKEY#{hash}")), ("sk", "APIKEY".into())],
    ];
    for (i, keys) in items.into_iter().enumerate() {
        let mut put = client.put_item().table_name(table);
        for (name, value) in keys {
            put = put.item(name, s(&value));
        }
        put = put
            .item("id", s(account))
            .item("name", s("Old Co"))
            .item("created_at", s(created));
        if i == 1 {
            put = put.item("key_hash", s(&hash));
        }
        put.send().await.expect("put an old item");
    }
    (account.to_owned(), key.to_owned())
}

/// DynamoDB only: the memory store keeps nothing from before an upgrade.
#[tokio::test]
async fn a_key_stored_before_keys_had_scopes_still_opens_its_account() {
    let settings = helpers::settings(Backend::Aws);
    let table = settings.table_name.clone();
    let server = Server::start_with(Backend::Aws, settings, None).await;
    let (account, old) = stored_the_old_way(&table).await;
    let (status, me) = server
        .call(Method::GET, "/v1/account", Auth::Bearer(&old), None)
        .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["account"]["id"], account);
    assert_eq!(me["access"]["read_only"], false);
    let as_old = |method, path: &'static str, body: Option<&'static str>| {
        server.call(method, path, Auth::Basic(&old), body)
    };
    let (_, listed) = as_old(Method::GET, "/v1/api-keys", None).await;
    let first = &listed["api_keys"][0];
    assert_eq!(listed["api_keys"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(first["name"], "Initial key");
    assert_eq!(first["scope"], "full");
    assert_eq!(first["created_at"], "2024-07-01T12:00:00.000Z");
    assert_eq!(first["prefix"], Value::Null);
    let path = format!("/v1/api-keys/{}", first["id"].as_str().unwrap());
    let (status, _) = server
        .call(Method::DELETE, &path, Auth::Bearer(&old), None)
        .await;
    assert_eq!(status, 409, "its last full key");
    let body = r#"{"name": "New", "scope": "full"}"#;
    let (status, made) = as_old(Method::POST, "/v1/api-keys", Some(body)).await;
    assert_eq!(status, 201, "{made}");
    let new = made["api_key"]["key"].as_str().unwrap();
    let (status, _) = server
        .call(Method::DELETE, &path, Auth::Bearer(new), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(as_old(Method::GET, "/v1/webhooks", None).await.0, 401);
    server.stop().await;
}
