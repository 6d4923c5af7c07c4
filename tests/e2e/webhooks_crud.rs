//! Webhook CRUD, secret rotation, accounts, auth and tenant isolation over
//! HTTP, against the local runner embedded and on DynamoDB (moto).

use crate::helpers::{
    assert_fields, assert_one_page, error_fields, webhook_body, Auth, Server, ADMIN_KEY,
};
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};

on_both_backends!(
    create_get_list_patch_rotate_delete,
    patch_clears_and_keeps_fields,
    accounts_need_the_admin_key,
    api_keys_work_as_bearer_and_basic_only_when_valid,
    another_accounts_webhook_is_404_on_every_route,
);

async fn create_get_list_patch_rotate_delete(backend: Backend) {
    let server = Server::start(backend).await;
    let created = server
        .create_webhook(json!({
            "name": "Orders",
            "url": "https://bob:hunter2@hooks.example.com/in?team=7",
            "events": ["user.created", "order.*"],
            "api_key": "endpoint-key-123456",
            "description": "billing events",
            "headers": {"X-Team": "billing"}
        }))
        .await;
    assert_created_as_asked(&created);
    let id = created["id"].as_str().unwrap().to_owned();
    get_and_list_show_it(&server, &created).await;
    switching_off_is_listed(&server, &created).await;
    rotating_gives_a_new_secret(&server, &created).await;
    let (status, deleted) = server.delete(&format!("/v1/webhooks/{id}")).await;
    assert_eq!((status, deleted["id"].as_str()), (200, Some(id.as_str())));
    assert_eq!(server.get(&format!("/v1/webhooks/{id}")).await.0, 404);
    assert_eq!(server.delete(&format!("/v1/webhooks/{id}")).await.0, 404);
    let (_, empty) = server.get("/v1/webhooks").await;
    assert_eq!(empty["webhooks"], json!([]));
    server.stop().await;
}

/// The create answer: a UUIDv7, the fields as sent (credentials masked),
/// the whole secret, and the time in ISO-8601 with ms.
fn assert_created_as_asked(created: &Value) {
    let id = created["id"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "7", "UUIDv7: {id}");
    assert_eq!(created["name"], "Orders");
    assert_eq!(
        created["url"],
        "https://bob:****@hooks.example.com/in?team=7"
    );
    assert_eq!(created["events"], json!(["user.created", "order.*"]));
    assert_eq!(created["enabled"], true);
    assert_eq!(created["description"], "billing events");
    assert_eq!(created["headers"], json!({"X-Team": "billing"}));
    assert_eq!(created["api_key"], "****3456");
    let secret = created["secret"].as_str().unwrap();
    assert!(
        secret.starts_with("whsec_") && secret.len() > 40,
        "whole secret on create: {secret}"
    );
    let created_at = created["created_at"].as_str().unwrap();
    assert_eq!(created_at.len(), 24, "ISO-8601 with ms: {created_at}");
    assert!(created_at.ends_with('Z'));
}

/// GET masks the secret; the list holds the one webhook.
async fn get_and_list_show_it(server: &Server, created: &Value) {
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["secret"].as_str().unwrap(),
    );
    let (status, got) = server.get(&format!("/v1/webhooks/{id}")).await;
    assert_eq!(status, 200);
    let shown = got["webhook"]["secret"].as_str().unwrap();
    assert!(
        shown.starts_with("whsec_") && shown.contains("****") && shown != secret,
        "masked: {shown}"
    );
    assert_eq!(got["webhook"]["url"], created["url"]);

    let (status, list) = server.get("/v1/webhooks").await;
    assert_eq!(status, 200);
    assert_eq!(list["webhooks"].as_array().unwrap().len(), 1);
    assert_eq!(list["webhooks"][0]["id"], id);
    assert_one_page(&list);
}

async fn switching_off_is_listed(server: &Server, created: &Value) {
    let id = created["id"].as_str().unwrap();
    let (status, off) = server
        .patch(&format!("/v1/webhooks/{id}"), json!({"enabled": false}))
        .await;
    assert_eq!(status, 200, "{off}");
    assert_eq!(off["webhook"]["enabled"], false);
    let created_at = created["created_at"].as_str().unwrap();
    assert!(off["webhook"]["updated_at"].as_str().unwrap() >= created_at);
    let (_, listed_off) = server.get("/v1/webhooks?enabled=false").await;
    assert_eq!(listed_off["webhooks"].as_array().unwrap().len(), 1);
}

async fn rotating_gives_a_new_secret(server: &Server, created: &Value) {
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["secret"].as_str().unwrap(),
    );
    let (status, rotated) = server
        .post(
            &format!("/v1/webhooks/{id}/secret/rotate"),
            json!({"grace_seconds": 3600}),
        )
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_secret = rotated["secret"].as_str().unwrap();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);
    assert_eq!(rotated["webhook"]["secret"], new_secret);
    assert!(rotated["previous_secret_expires_at"].is_string());
    let (status, default_grace) = server
        .post(&format!("/v1/webhooks/{id}/secret/rotate"), json!({}))
        .await;
    assert_eq!(status, 200, "{default_grace}");
}

async fn patch_clears_and_keeps_fields(backend: Backend) {
    let server = Server::start(backend).await;
    let mut body = webhook_body("Keep");
    body["description"] = json!("to clear");
    body["api_key"] = json!("endpoint-key-123456");
    body["headers"] = json!({"X-A": "1"});
    let id = server.webhook_id(body).await;
    let path = format!("/v1/webhooks/{id}");
    let (status, patched) = server
        .patch(&path, json!({"description": null, "api_key": null, "headers": null, "events": ["*"], "name": "Renamed"}))
        .await;
    assert_eq!(status, 200, "{patched}");
    let hook = &patched["webhook"];
    assert_fields(
        hook,
        json!({"description": null, "api_key": null, "headers": {}, "events": ["*"], "name": "Renamed"}),
    );
    assert_eq!(
        hook["url"], "https://hooks.example.com/in",
        "untouched fields stay"
    );
    a_masked_url_sent_back_keeps_its_password(&server, &path).await;
    a_rejected_patch_changes_nothing(&server, &path).await;
    server.stop().await;
}

/// A URL sent back as GET showed it (password masked) keeps the password.
async fn a_masked_url_sent_back_keeps_its_password(server: &Server, path: &str) {
    let with_password = server
        .patch(
            path,
            json!({"url": "https://bob:hunter2@hooks.example.com/in"}),
        )
        .await
        .1;
    let shown = with_password["webhook"]["url"].as_str().unwrap().to_owned();
    assert_eq!(shown, "https://bob:****@hooks.example.com/in");
    let (status, resent) = server
        .patch(path, json!({"url": shown, "enabled": true}))
        .await;
    assert_eq!(
        (status, resent["webhook"]["url"].as_str()),
        (200, Some("https://bob:****@hooks.example.com/in"))
    );
}

async fn a_rejected_patch_changes_nothing(server: &Server, path: &str) {
    let (status, bad) = server
        .patch(path, json!({"name": null, "url": "nope", "colour": "red"}))
        .await;
    // null leaves a field that cannot be cleared as it is.
    assert_eq!(status, 422);
    assert_eq!(error_fields(&bad), vec!["colour", "url"]);
    let (_, unchanged) = server.get(path).await;
    assert_eq!(
        unchanged["webhook"]["name"], "Renamed",
        "a rejected PATCH changes nothing"
    );
    let (status, _) = server
        .patch(
            &format!("/v1/webhooks/{}", "0190f0a0-0000-7000-8000-000000000000"),
            json!({"enabled": true}),
        )
        .await;
    assert_eq!(status, 404);
}

async fn accounts_need_the_admin_key(backend: Backend) {
    let server = Server::start(backend).await;
    let body = json!({"name": "Acme"}).to_string();
    for auth in [
        Auth::None,
        Auth::Bearer("wrong-admin-key-000000"),
        Auth::Bearer(&server.key),
    ] {
        assert_eq!(server.post_account(auth, &body).await.0, 401);
    }
    let (status, created) = server.post_account(Auth::Basic(ADMIN_KEY), &body).await;
    assert_eq!(status, 201, "{created}");
    let account = &created["account"];
    assert_eq!(account["name"], "Acme");
    assert!(account["api_key"].as_str().unwrap().len() >= 32);
    assert!(account["id"].is_string() && account["created_at"].is_string());
    let (status, list) = server
        .call(
            Method::GET,
            "/v1/webhooks",
            Auth::Bearer(account["api_key"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!((status, list["webhooks"].clone()), (200, json!([])));
    let (status, bad) = server
        .post_account(Auth::Bearer(ADMIN_KEY), r#"{"name": ""}"#)
        .await;
    assert_eq!((status, error_fields(&bad)), (422, vec!["name".to_owned()]));
    server.stop().await;
}

async fn api_keys_work_as_bearer_and_basic_only_when_valid(backend: Backend) {
    let server = Server::start(backend).await;
    let key = server.key.clone();
    for (auth, want) in [
        (Auth::None, 401),
        (Auth::Bearer("hr_not-a-key-of-anyone-at-all"), 401),
        (Auth::Basic("hr_not-a-key-of-anyone-at-all"), 401),
        (Auth::Raw("Token whatever"), 401),
        (Auth::Bearer(&key), 200),
        (Auth::Basic(&key), 200),
    ] {
        let (status, answer) = server.call(Method::GET, "/v1/webhooks", auth, None).await;
        assert_eq!(status, want, "{answer}");
        if want == 401 {
            assert!(answer["message"].as_str().unwrap().contains("API key"));
        }
    }
    server.stop().await;
}

async fn another_accounts_webhook_is_404_on_every_route(backend: Backend) {
    let server = Server::start(backend).await;
    let id = server.webhook_id(webhook_body("A's")).await;
    let other = server.new_account("B").await;
    let path = format!("/v1/webhooks/{id}");
    let rotate = format!("{path}/secret/rotate");
    let patch = json!({"enabled": false}).to_string();
    for (method, route, body) in [
        (Method::GET, path.as_str(), None),
        (Method::PATCH, path.as_str(), Some(patch.as_str())),
        (Method::POST, rotate.as_str(), Some("{}")),
        (Method::DELETE, path.as_str(), None),
    ] {
        let (status, answer) = server
            .call(method.clone(), route, Auth::Bearer(&other), body)
            .await;
        assert_eq!(status, 404, "{method} {route}: {answer}");
    }
    let (_, theirs) = server
        .call(Method::GET, "/v1/webhooks", Auth::Bearer(&other), None)
        .await;
    assert_eq!(theirs["webhooks"], json!([]));
    let (status, mine) = server.get(&path).await;
    assert_eq!(
        (status, mine["webhook"]["enabled"].clone()),
        (200, json!(true)),
        "untouched by B"
    );
    server.stop().await;
}
