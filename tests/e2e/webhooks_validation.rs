//! Every validation rule of the webhook API, one case each way: accepted, or
//! 422 naming the field. Validation does not depend on the store, so this runs
//! on the embedded runner (the address rule with an injected resolver).

use crate::helpers;
use crate::helpers::{error_fields, webhook_body, Memory, Server};
use async_trait::async_trait;
use hookrelay::config::Settings;
use hookrelay::net::address::{AddressPolicy, Resolver};
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::Arc;

/// Resolves `*.internal.test` to a private address and `*.public.test` to a
/// public one; nothing else resolves.
struct TestResolver;

#[async_trait]
impl Resolver for TestResolver {
    async fn resolve(&self, host: &str, _: u16) -> std::io::Result<Vec<IpAddr>> {
        let ip = if host.ends_with(".internal.test") {
            "10.20.30.40"
        } else if host.ends_with(".public.test") {
            "93.184.216.34"
        } else {
            return Err(std::io::Error::other("no such host"));
        };
        Ok(vec![ip.parse().expect("ip")])
    }
}

async fn server_with(configure: impl FnOnce(&mut Settings)) -> Server {
    let mut settings = helpers::settings(Memory);
    configure(&mut settings);
    Server::start_with(Memory, settings, Some(Arc::new(TestResolver))).await
}

/// Posts `base` with `field` set to `value`; the status and the named fields.
async fn create_with(server: &Server, field: &str, value: Value) -> (u16, Vec<String>) {
    let mut body = webhook_body("Validation");
    body[field] = value;
    let (status, answer) = server.post("/v1/webhooks", body).await;
    (status, error_fields(&answer))
}

async fn assert_accepted(server: &Server, field: &str, value: Value) {
    let (status, errors) = create_with(server, field, value.clone()).await;
    assert_eq!(
        status, 201,
        "{field}={value} should be accepted: {errors:?}"
    );
}

async fn assert_refused(server: &Server, field: &str, value: Value) {
    let (status, errors) = create_with(server, field, value.clone()).await;
    assert_eq!(status, 422, "{field}={value} should be refused");
    assert_eq!(errors, vec![field.to_owned()], "{field}={value}");
}

#[tokio::test]
async fn name_is_one_to_a_hundred_characters() {
    let server = server_with(|_| {}).await;
    assert_accepted(&server, "name", json!("x".repeat(100))).await;
    assert_refused(&server, "name", json!("")).await;
    assert_refused(&server, "name", json!("x".repeat(101))).await;
    assert_refused(&server, "name", json!(42)).await;
}

#[tokio::test]
async fn url_is_an_absolute_http_url_keeping_user_info_and_query() {
    let server = server_with(|_| {}).await;
    assert_accepted(
        &server,
        "url",
        json!("https://user:pw@hooks.public.test/in?a=1&b=2"),
    )
    .await;
    for bad in [
        "hooks.example.com/in",
        "/in",
        "ftp://example.com/",
        "https://example.com/#top",
        "https://",
    ] {
        assert_refused(&server, "url", json!(bad)).await;
    }
}

#[tokio::test]
async fn http_needs_the_deployment_to_allow_it() {
    let strict = server_with(|s| s.allow_http = false).await;
    assert_refused(&strict, "url", json!("http://hooks.public.test/in")).await;
    assert_accepted(&strict, "url", json!("https://hooks.public.test/in")).await;
    let local = server_with(|_| {}).await;
    assert_accepted(&local, "url", json!("http://hooks.public.test/in")).await;
}

#[tokio::test]
async fn internal_addresses_are_refused_unless_in_an_allowed_subnet() {
    let strict = server_with(|s| s.address_policy = AddressPolicy::new(vec![])).await;
    for bad in [
        "https://127.0.0.1/in",
        "https://localhost:8443/in",
        "https://[::1]/in",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/in",
        "https://100.64.1.1/in",
        "https://hooks.internal.test/in",
    ] {
        assert_refused(&strict, "url", json!(bad)).await;
    }
    // A public name, and a name that does not resolve yet, are accepted.
    assert_accepted(&strict, "url", json!("https://hooks.public.test/in")).await;
    assert_accepted(&strict, "url", json!("https://not-yet.example/in")).await;
    // Local mode's default allows loopback; an allowed subnet admits its range.
    let local = server_with(|_| {}).await;
    assert_accepted(&local, "url", json!("http://127.0.0.1:9000/in")).await;
    assert_accepted(&local, "url", json!("http://localhost:9000/in")).await;
    assert_refused(&local, "url", json!("https://hooks.internal.test/in")).await;
    let subnet = server_with(|s| {
        s.address_policy =
            AddressPolicy::new(AddressPolicy::parse_subnets("10.20.0.0/16").expect("cidr"))
    })
    .await;
    assert_accepted(&subnet, "url", json!("https://hooks.internal.test/in")).await;
    assert_refused(&subnet, "url", json!("https://10.21.0.1/in")).await;
}

#[tokio::test]
async fn events_are_one_to_fifty_valid_patterns() {
    let server = server_with(|_| {}).await;
    assert_accepted(
        &server,
        "events",
        json!(["user.created", "user.*", "*", "order_v2.paid-out"]),
    )
    .await;
    assert_accepted(
        &server,
        "events",
        json!((0..50).map(|i| format!("e{i}.x")).collect::<Vec<_>>()),
    )
    .await;
    assert_refused(&server, "events", json!([])).await;
    assert_refused(
        &server,
        "events",
        json!((0..51).map(|i| format!("e{i}.x")).collect::<Vec<_>>()),
    )
    .await;
    for bad in [
        "user",
        "user.created.extra",
        "*.created",
        "us er.created",
        "user.",
    ] {
        assert_refused(&server, "events", json!([bad])).await;
    }
    assert_refused(&server, "events", json!("user.created")).await;
}

#[tokio::test]
async fn secret_is_whsec_base64_of_24_to_64_bytes() {
    let server = server_with(|_| {}).await;
    let b64 = |n: usize| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(vec![7u8; n])
    };
    let mut body = webhook_body("Own secret");
    body["secret"] = json!(format!("whsec_{}", b64(24)));
    let (status, created) = server.post("/v1/webhooks", body.clone()).await;
    assert_eq!(
        (status, created["webhook"]["secret"].clone()),
        (201, body["secret"].clone())
    );
    assert_accepted(&server, "secret", json!(format!("whsec_{}", b64(64)))).await;
    assert_refused(&server, "secret", json!(format!("whsec_{}", b64(23)))).await;
    assert_refused(&server, "secret", json!(format!("whsec_{}", b64(65)))).await;
    assert_refused(&server, "secret", json!(b64(32))).await;
}

#[tokio::test]
async fn custom_headers_may_not_override_hookrelays_own() {
    let server = server_with(|_| {}).await;
    assert_accepted(
        &server,
        "headers",
        json!({"X-Team": "billing", "X-Trace": "on"}),
    )
    .await;
    for reserved in [
        "Content-Type",
        "User-Agent",
        "webhook-signature",
        "Webhook-Id",
        "X-API-Key",
        "Authorization",
    ] {
        let mut body = webhook_body("Headers");
        body["headers"] = json!({ reserved: "x" });
        let (status, answer) = server.post("/v1/webhooks", body).await;
        assert_eq!(status, 422, "{reserved}");
        assert_eq!(error_fields(&answer), vec![format!("headers.{reserved}")]);
    }
    assert_refused(&server, "headers", json!({"X-Number": 5})).await;
    // A value is visible ASCII, spaces and tabs, as OpenAPI says.
    let mut body = webhook_body("Headers");
    body["headers"] = json!({"X-Price": "\u{a3}5"});
    let (status, answer) = server.post("/v1/webhooks", body).await;
    assert_eq!(
        (status, error_fields(&answer)),
        (422, vec!["headers.X-Price".to_owned()])
    );
    assert_accepted(&server, "headers", json!({"X-Spaced": "a b\tc ~"})).await;
}

#[tokio::test]
async fn api_key_description_and_enabled_are_checked() {
    let server = server_with(|_| {}).await;
    assert_accepted(&server, "api_key", json!("k-123")).await;
    assert_refused(&server, "api_key", json!("has space")).await;
    assert_accepted(&server, "description", json!("d".repeat(1000))).await;
    assert_refused(&server, "description", json!("d".repeat(1001))).await;
    assert_accepted(&server, "enabled", json!(false)).await;
    assert_refused(&server, "enabled", json!("no")).await;
}

#[tokio::test]
async fn unknown_fields_missing_fields_and_bad_json_are_named() {
    let server = server_with(|_| {}).await;
    assert_refused(&server, "colour", json!("red")).await;
    let (status, answer) = server.post("/v1/webhooks", json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&answer), vec!["name", "url", "events"]);
    // Blank is not JSON either (only an empty body stands for `{}`).
    for (body, want) in [
        ("{not json", 400),
        ("[1, 2]", 400),
        ("\"text\"", 400),
        (" \n", 400),
    ] {
        let (status, answer) = server.post_text("/v1/webhooks", body).await;
        assert_eq!(status, want, "{body}: {answer}");
        assert!(answer["message"].is_string());
    }
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(300 * 1024));
    assert_eq!(server.post_text("/v1/webhooks", &huge).await.0, 413);
}

#[tokio::test]
async fn rotation_grace_is_checked() {
    let server = server_with(|_| {}).await;
    let id = server.webhook_id(webhook_body("Rotate")).await;
    let path = format!("/v1/webhooks/{id}/secret/rotate");
    let (status, answer) = server.post(&path, json!({"grace_seconds": -1})).await;
    assert_eq!(
        (status, error_fields(&answer)),
        (422, vec!["grace_seconds".to_owned()])
    );
    let (status, answer) = server.post(&path, json!({"grace_seconds": 0})).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["previous_secret_expires_at"],
        json!(null),
        "no grace: the old secret stops at once"
    );
}

#[tokio::test]
async fn a_retry_schedule_is_1_to_20_waits_within_the_retention_and_null_removes_it() {
    let server = server_with(|s| s.retention_days = 30).await;
    for good in [json!([1]), json!([60, 600, 3600]), json!(vec![5; 20])] {
        assert_accepted(&server, "retry_schedule", good).await;
    }
    // Twenty days of waits, doubled, and a week's delay: 47 days, over 30.
    let too_long = json!(vec![86_400; 20]);
    for bad in [
        json!([]),
        json!(vec![1; 21]),
        json!([0]),
        json!([86_401]),
        json!([1.5]),
        json!(["5"]),
        json!(5),
        too_long,
    ] {
        assert_refused(&server, "retry_schedule", bad).await;
    }
    let mut body = webhook_body("Own retries");
    body["retry_schedule"] = json!([10, 20]);
    let created = server.create_webhook(body).await;
    assert_eq!(created["retry_schedule"], json!([10, 20]));
    let path = format!("/v1/webhooks/{}", created["id"].as_str().unwrap());
    let (_, answer) = server.patch(&path, json!({"retry_schedule": null})).await;
    assert_eq!(answer["webhook"]["retry_schedule"], Value::Null);
}

#[tokio::test]
async fn rate_limit_is_one_to_ten_thousand_a_second_and_null_removes_it() {
    let server = server_with(|_| {}).await;
    for good in [1, 50, 10_000] {
        assert_accepted(&server, "rate_limit", json!(good)).await;
    }
    for bad in [json!(0), json!(10_001), json!(2.5), json!("50"), json!(-1)] {
        assert_refused(&server, "rate_limit", bad).await;
    }
    let mut body = webhook_body("Limited");
    body["rate_limit"] = json!(20);
    let created = server.create_webhook(body).await;
    assert_eq!(created["rate_limit"], 20);
    let path = format!("/v1/webhooks/{}", created["id"].as_str().unwrap());
    let (_, answer) = server.patch(&path, json!({"rate_limit": null})).await;
    assert_eq!(answer["webhook"]["rate_limit"], Value::Null);
}
