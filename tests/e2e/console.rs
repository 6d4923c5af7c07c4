//! What the web console stands on, over HTTP on both backends: its files,
//! the event-type catalogue, console links and `GET /v1/account`.

use crate::helpers::{error_fields, webhook_body, Auth, Server};
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};

on_both_backends!(
    the_console_is_served_from_the_binary,
    the_event_type_catalogue_is_kept_per_account,
    event_types_change_and_are_deleted,
    console_links_open_the_account_until_revoked,
    read_only_links_can_only_read,
);

async fn the_console_is_served_from_the_binary(backend: Backend) {
    let server = Server::start(backend).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str| client.get(format!("{}{path}", server.url)).send();
    let root = get("/").await.unwrap();
    assert_eq!(root.status(), 307);
    assert_eq!(root.headers()["location"], "/console");
    let page = get("/console").await.unwrap();
    assert_served_as(&page, "text/html");
    let policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    assert!(page.text().await.unwrap().contains("/console/app.js"));
    assert_served_as(&get("/console/app.js").await.unwrap(), "text/javascript");
    let (status, answer) = server
        .call(Method::GET, "/console/../Cargo.toml", Auth::None, None)
        .await;
    assert_eq!(status, 404, "{answer}");
    server.stop().await;
}

/// A 200 whose content type is `kind` (with or without parameters).
fn assert_served_as(response: &reqwest::Response, kind: &str) {
    assert_eq!(response.status(), 200, "{}", response.url());
    let content_type = response.headers()["content-type"].to_str().unwrap();
    assert!(content_type.starts_with(kind), "{content_type}");
}

async fn the_event_type_catalogue_is_kept_per_account(backend: Backend) {
    let server = Server::start(backend).await;
    let example = json!({"id": "u_1", "email": "ada@example.com"});
    for (name, kind) in [("user", "created"), ("order", "paid"), ("user", "deleted")] {
        let (status, answer) = server
            .post(
                "/v1/event-types",
                json!({"name": name, "type": kind, "description": format!("{name} {kind}"), "example": example}),
            )
            .await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(answer["event_type"]["event"], format!("{name}.{kind}"));
        assert_eq!(answer["event_type"]["example"], example);
    }
    let (status, answer) = server
        .post(
            "/v1/event-types",
            json!({"name": "user", "type": "created"}),
        )
        .await;
    assert_eq!(status, 409, "{answer}");
    let (status, answer) = server
        .post(
            "/v1/event-types",
            json!({"name": "us er", "type": "created", "color": "red", "example": "x".repeat(20_000)}),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(error_fields(&answer), ["color", "name", "example"]);

    let (_, first) = server.get("/v1/event-types?limit=2").await;
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let (_, second) = server
        .get(&format!("/v1/event-types?limit=2&cursor={cursor}"))
        .await;
    let events: Vec<&Value> = [&first, &second]
        .iter()
        .flat_map(|page| page["event_types"].as_array().unwrap())
        .map(|t| &t["event"])
        .collect();
    assert_eq!(events, ["order.paid", "user.created", "user.deleted"]);
    assert_eq!(second["next_cursor"], Value::Null);
    let (status, answer) = server.get("/v1/event-types?cursor=nope&sort=id").await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&answer), ["sort", "cursor"]);

    server.stop().await;
}

async fn event_types_change_and_are_deleted(backend: Backend) {
    let server = Server::start(backend).await;
    let body = json!({"name": "order", "type": "paid", "example": {"id": 1}});
    assert_eq!(server.post("/v1/event-types", body).await.0, 201);
    let (status, answer) = server
        .patch(
            "/v1/event-types/order.paid",
            json!({"description": "Paid in full", "example": null}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, answer) = server.get("/v1/event-types/order.paid").await;
    assert_eq!(answer["event_type"]["description"], "Paid in full");
    assert_eq!(answer["event_type"]["example"], Value::Null);

    let other = server.new_account("other").await;
    let (status, _) = server
        .call(
            Method::GET,
            "/v1/event-types/order.paid",
            Auth::Bearer(&other),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (_, answer) = server.delete("/v1/event-types/order.paid").await;
    assert_eq!(answer["deleted"], true);
    assert_eq!(server.delete("/v1/event-types/order.paid").await.0, 404);
    assert_eq!(server.get("/v1/event-types/not-dotted").await.0, 404);
    // Subscriptions are not limited to the catalogue.
    server.create_webhook(webhook_body("Anything")).await;
    server.stop().await;
}

/// Mints a link with the server's key; its JSON.
async fn mint(server: &Server, body: Value) -> Value {
    let (status, answer) = server.post("/v1/console-links", body).await;
    assert_eq!(status, 201, "{answer}");
    answer["console_link"].clone()
}

async fn console_links_open_the_account_until_revoked(backend: Backend) {
    let server = Server::start(backend).await;
    let link = mint(&server, json!({"ttl_seconds": 600})).await;
    let token = link["token"].as_str().unwrap();
    assert!(token.starts_with("hrc_"));
    let url = link["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/console#token={token}", server.url));
    let as_link = |method, path: &'static str, body: Option<&'static str>| {
        server.call(method, path, Auth::Bearer(token), body)
    };
    let (status, me) = as_link(Method::GET, "/v1/account", None).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["account"]["id"], server.account.to_string());
    assert_eq!(me["access"]["kind"], "console_link");
    assert_eq!(me["access"]["read_only"], false);
    assert_eq!(me["access"]["expires_at"], link["expires_at"]);
    let body = r#"{"name": "Via link", "url": "https://hooks.example.com/x", "events": ["*"]}"#;
    assert_eq!(
        as_link(Method::POST, "/v1/webhooks", Some(body)).await.0,
        201
    );
    // A link cannot mint, list or revoke links.
    assert_eq!(
        as_link(Method::POST, "/v1/console-links", Some("{}"))
            .await
            .0,
        403
    );
    assert_eq!(as_link(Method::GET, "/v1/console-links", None).await.0, 403);

    let (_, listed) = server.get("/v1/console-links").await;
    assert_eq!(listed["console_links"][0]["id"], link["id"]);
    assert!(listed["console_links"][0].get("token").is_none());
    let other = server.new_account("other").await;
    let path = format!("/v1/console-links/{}", link["id"].as_str().unwrap());
    let (status, _) = server
        .call(Method::DELETE, &path, Auth::Bearer(&other), None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(server.delete(&path).await.0, 200);
    assert_eq!(as_link(Method::GET, "/v1/account", None).await.0, 401);
    assert_eq!(server.delete(&path).await.0, 404);

    let (status, answer) = server
        .post(
            "/v1/console-links",
            json!({"ttl_seconds": 10, "scope": "all"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&answer), ["scope", "ttl_seconds"]);
    let forged = format!("{}x", &token[..token.len() - 1]);
    let (status, _) = server
        .call(Method::GET, "/v1/account", Auth::Bearer(&forged), None)
        .await;
    assert_eq!(status, 401);
    server.stop().await;
}

async fn read_only_links_can_only_read(backend: Backend) {
    let server = Server::start(backend).await;
    let webhook = server.create_webhook(webhook_body("Orders")).await;
    let link = mint(&server, json!({"read_only": true})).await;
    let token = link["token"].as_str().unwrap();
    let (_, me) = server
        .call(Method::GET, "/v1/account", Auth::Bearer(token), None)
        .await;
    assert_eq!(me["access"]["read_only"], true);
    let id = webhook["id"].as_str().unwrap();
    let one = format!("/v1/webhooks/{id}");
    for (method, path) in [
        (Method::GET, "/v1/webhooks".to_owned()),
        (Method::GET, one.clone()),
        (Method::GET, "/v1/deliveries".to_owned()),
        (Method::GET, "/v1/event-types".to_owned()),
    ] {
        let (status, answer) = server.call(method, &path, Auth::Bearer(token), None).await;
        assert_eq!(status, 200, "{path}: {answer}");
    }
    for (method, path) in [
        (Method::PATCH, one.clone()),
        (Method::DELETE, one.clone()),
        (Method::POST, format!("{one}/test")),
        (Method::POST, "/v1/events".to_owned()),
        (Method::POST, "/v1/event-types".to_owned()),
    ] {
        let (status, answer) = server
            .call(method.clone(), &path, Auth::Bearer(token), Some("{}"))
            .await;
        assert_eq!(status, 403, "{method} {path}: {answer}");
        assert_eq!(answer["message"], "this console link is read-only");
    }
    let (_, after) = server.get(&one).await;
    assert_eq!(after["webhook"]["updated_at"], webhook["updated_at"]);
    server.stop().await;
}
