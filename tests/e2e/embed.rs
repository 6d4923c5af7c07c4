//! The embeddable console, over HTTP on both backends: a console link's
//! `embed_origins` (checked, kept, shown, audited), the page's
//! `frame-ancestors` for such a link and for every other page, and the
//! account's branding (checked, kept, shown to a link's holder, audited).

use crate::api_keys::key_of_scope;
use crate::helpers::{error_fields, Auth, Server};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hookrelay_local::Backend;
use reqwest::Method;
use serde_json::{json, Value};

on_both_backends!(
    embed_origins_are_checked_and_kept_with_the_link,
    only_a_links_origins_may_frame_its_console,
    branding_is_checked_kept_and_shown_to_links,
);

/// Mints a link; its JSON.
async fn mint(server: &Server, body: Value) -> Value {
    let (status, answer) = server.post("/v1/console-links", body).await;
    assert_eq!(status, 201, "{answer}");
    answer["console_link"].clone()
}

/// What `POST /v1/console-links` says of `origins`: status and error messages.
async fn refused(server: &Server, origins: Value) -> (u16, Vec<String>) {
    let (status, answer) = server
        .post("/v1/console-links", json!({ "embed_origins": origins }))
        .await;
    assert_eq!(error_fields(&answer), ["embed_origins"], "{answer}");
    let messages = answer["errors"].as_array().unwrap().iter();
    (status, messages.map(|e| e["message"].to_string()).collect())
}

/// Each kind of bad origin is refused, and each bad one named.
async fn bad_origins_are_refused_and_named(server: &Server) {
    for (origins, says) in [
        (
            json!(["https://app.example.com/settings"]),
            "without a path",
        ),
        (json!(["app.example.com"]), "must start with https://"),
        (json!(["https://*.example.com"]), "must name a host"),
        (json!(["https://[::1]:4567"]), "IPv6"),
        (
            json!(["https://app.example.com:99999"]),
            "port from 1 to 65535",
        ),
        (json!(["http://app.example.com"]), "must be https"),
        (
            json!("https://app.example.com"),
            "must be an array of strings",
        ),
        (json!([7]), "must be an array of strings"),
    ] {
        let (status, messages) = refused(server, origins.clone()).await;
        assert_eq!(status, 422, "{origins}");
        assert!(messages[0].contains(says), "{origins}: {messages:?}");
    }
    let eleven: Vec<String> = (0..11)
        .map(|i| format!("https://a{i}.example.com"))
        .collect();
    let (_, messages) = refused(server, json!(eleven)).await;
    assert!(messages[0].contains("at most 10"), "{messages:?}");
    // Each bad one is named.
    let (_, messages) = refused(server, json!(["https://a.example/x", "ftp://b.example"])).await;
    assert!(
        messages[0].contains("`https://a.example/x`") && messages[0].contains("`ftp://b.example`")
    );
}

async fn embed_origins_are_checked_and_kept_with_the_link(backend: Backend) {
    // As in AWS: http only where the browser is on this machine.
    let server = Server::start_tuned(backend, |s| s.allow_http = false).await;
    bad_origins_are_refused_and_named(&server).await;

    let given = [
        "HTTPS://App.Example.com:443",
        "http://127.0.0.1:4567",
        "https://app.example.com",
    ];
    let link = mint(
        &server,
        json!({ "embed_origins": given, "read_only": true }),
    )
    .await;
    let kept = json!(["https://app.example.com", "http://127.0.0.1:4567"]);
    assert_eq!(link["embed_origins"], kept);
    let (account, id) = (server.account.to_string(), link["id"].as_str().unwrap());
    let token = link["token"].as_str().unwrap();
    assert_eq!(
        link["url"],
        format!("{}/console?link={account}.{id}#token={token}", server.url)
    );
    let plain = mint(&server, json!({ "embed_origins": [] })).await;
    assert_eq!(plain["embed_origins"], json!([]));
    assert!(plain["url"].as_str().unwrap().contains("/console#token="));

    let listed = server.all_pages("/v1/console-links", "console_links").await;
    // Ids minted in one millisecond may list in either order.
    let origins_of = |id: &Value| {
        listed
            .iter()
            .find(|l| l["id"] == *id)
            .map(|l| &l["embed_origins"])
    };
    assert_eq!(listed.len(), 2);
    assert_eq!(origins_of(&link["id"]), Some(&kept));
    assert_eq!(origins_of(&plain["id"]), Some(&json!([])));
    assert!(listed
        .iter()
        .all(|l| l.get("token").is_none() && l.get("url").is_none()));
    let (_, audit) = server
        .get(&format!(
            "/v1/audit?resource_type=console_link&resource_id={id}"
        ))
        .await;
    let changes = &audit["audit"][0]["changes"];
    assert_eq!(
        changes["embed_origins"],
        json!({"before": null, "after": kept})
    );
    server.stop().await;
}

/// The page at `path`: its Content-Security-Policy and X-Frame-Options.
async fn framing(server: &Server, path: &str) -> (String, Option<String>) {
    let page = reqwest::get(format!("{}{path}", server.url)).await.unwrap();
    assert_eq!(page.status(), 200, "{path}");
    let header = |name| {
        let value = page.headers().get(name)?;
        Some(value.to_str().unwrap().to_owned())
    };
    (
        header("content-security-policy").unwrap(),
        header("x-frame-options"),
    )
}

/// The policy's `frame-ancestors` sources, and the rest of it.
fn ancestors(policy: &str) -> (&str, &str) {
    let (rest, ancestors) = policy.split_once("; frame-ancestors ").unwrap();
    (ancestors, rest)
}

async fn only_a_links_origins_may_frame_its_console(backend: Backend) {
    let server = Server::start(backend).await;
    let (plain_policy, deny) = framing(&server, "/console").await;
    let (nobody, rest) = ancestors(&plain_policy);
    assert_eq!(nobody, "'none'");
    assert_eq!(deny.as_deref(), Some("DENY"));
    assert!(rest.contains("script-src 'self'") && rest.contains("connect-src 'self'"));

    let origins = ["https://app.example.com", "http://127.0.0.1:4567"];
    let link = mint(&server, json!({ "embed_origins": origins })).await;
    let url = link["url"].as_str().unwrap();
    let page = &url[server.url.len()..url.find('#').unwrap()];
    let (policy, frame_options) = framing(&server, page).await;
    let (allowed, same_rest) = ancestors(&policy);
    assert_eq!(allowed, "https://app.example.com http://127.0.0.1:4567");
    // Nothing else is loosened, and no X-Frame-Options contradicts it.
    assert_eq!(same_rest, rest);
    assert_eq!(frame_options, None);

    // A link without origins, an address that names nothing, the files: nobody.
    let plain = mint(&server, json!({})).await;
    let plain_page = format!(
        "/console?link={}.{}",
        server.account,
        plain["id"].as_str().unwrap()
    );
    let other = format!(
        "/console?link={}.{}",
        server.account, "01900000-0000-7000-8000-000000000000"
    );
    for path in [
        plain_page.as_str(),
        &other,
        "/console?link=nope",
        "/console/app.js",
    ] {
        assert_eq!(
            framing(&server, path).await,
            (plain_policy.clone(), deny.clone()),
            "{path}"
        );
    }
    // Revoked: its page may no longer be framed.
    let (status, _) = server
        .delete(&format!(
            "/v1/console-links/{}",
            link["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(framing(&server, page).await, (plain_policy, deny));
    server.stop().await;
}

fn png(size: usize) -> String {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(size, 1);
    format!("data:image/png;base64,{}", STANDARD.encode(bytes))
}

/// Each kind of bad branding is refused, each bad field named.
async fn bad_branding_is_refused_and_named(server: &Server) {
    let svg_as_png = format!("data:image/png;base64,{}", STANDARD.encode("<svg/>"));
    for (branding, fields) in [
        (
            json!({"display_name": " ", "accent_color": "blue", "logo": "https://example.com/l.png", "font": "x"}),
            vec![
                "branding.font",
                "branding.display_name",
                "branding.accent_color",
                "branding.logo",
            ],
        ),
        (json!({"logo": svg_as_png}), vec!["branding.logo"]),
        (json!({"logo": png(64 * 1024 + 1)}), vec!["branding.logo"]),
        (
            json!({"accent_color": "#12345"}),
            vec!["branding.accent_color"],
        ),
        (json!("Acme"), vec!["branding"]),
    ] {
        let (status, answer) = server
            .patch("/v1/account", json!({ "branding": branding }))
            .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(error_fields(&answer), fields, "{answer}");
    }
}

/// A console link's holder sees `kept` (the console shows it) and cannot change it.
async fn a_links_holder_sees_it_and_cannot_change_it(server: &Server, kept: &Value) {
    let link = mint(server, json!({})).await;
    let token = link["token"].as_str().unwrap();
    let (status, me) = server
        .call(Method::GET, "/v1/account", Auth::Bearer(token), None)
        .await;
    assert_eq!((status, &me["account"]["branding"]), (200, kept));
    let change = json!({"branding": {"display_name": "Not yours"}}).to_string();
    let read = key_of_scope(server, "read").await;
    for credential in [token, read.as_str()] {
        let (status, _) = server
            .call(
                Method::PATCH,
                "/v1/account",
                Auth::Bearer(credential),
                Some(&change),
            )
            .await;
        assert_eq!(status, 403);
    }
}

/// One audit record per change (none for no change), the logo summarised.
async fn each_change_is_audited_without_the_image(server: &Server, svg_len: usize, logo: &str) {
    let (_, audit) = server.get("/v1/audit?action=account.updated").await;
    let records = audit["audit"].as_array().unwrap();
    assert_eq!(
        records.len(),
        3,
        "one a change; none for no change: {audit}"
    );
    // The first change: found by what it did, as records of one
    // millisecond may list in either order.
    let first = records
        .iter()
        .map(|r| &r["changes"])
        .find(|c| c["branding.display_name"]["before"].is_null())
        .unwrap();
    assert_eq!(
        first["branding.display_name"],
        json!({"before": null, "after": "Acme Cloud"})
    );
    let summary = first["branding.logo"]["after"].as_str().unwrap();
    assert!(summary.starts_with(&format!("image/svg+xml, {} bytes, sha256 ", svg_len)));
    assert!(!audit.to_string().contains(logo), "no image in the log");
}

async fn branding_is_checked_kept_and_shown_to_links(backend: Backend) {
    let server = Server::start(backend).await;
    let (_, me) = server.get("/v1/account").await;
    let none = json!({"display_name": null, "accent_color": null, "logo": null});
    assert_eq!(me["account"]["branding"], none);
    bad_branding_is_refused_and_named(&server).await;

    let svg = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    let logo = format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg));
    let branding = json!({"display_name": "Acme Cloud", "accent_color": "#0A7CFF", "logo": logo});
    let (status, answer) = server
        .patch("/v1/account", json!({ "branding": branding }))
        .await;
    assert_eq!(status, 200, "{answer}");
    let kept = json!({"display_name": "Acme Cloud", "accent_color": "#0a7cff", "logo": logo});
    assert_eq!(answer["account"]["branding"], kept);
    assert_eq!(answer["account"]["id"], server.account.to_string());

    a_links_holder_sees_it_and_cannot_change_it(&server, &kept).await;

    // What is left out is kept, null clears one, `"branding": null` all.
    let (_, answer) = server
        .patch(
            "/v1/account",
            json!({"branding": {"display_name": "Acme", "logo": null}}),
        )
        .await;
    let expect = json!({"display_name": "Acme", "accent_color": "#0a7cff", "logo": null});
    assert_eq!(answer["account"]["branding"], expect);
    let (_, me) = server.get("/v1/account").await;
    assert_eq!(me["account"]["branding"], expect);
    let (_, answer) = server.patch("/v1/account", json!({"branding": null})).await;
    assert_eq!(answer["account"]["branding"], none);
    let (status, _) = server.patch("/v1/account", json!({})).await;
    assert_eq!(status, 200);

    each_change_is_audited_without_the_image(&server, svg.len(), &logo).await;

    let other = server.new_account("Other").await;
    let (_, theirs) = server
        .call(Method::GET, "/v1/account", Auth::Bearer(&other), None)
        .await;
    assert_eq!(theirs["account"]["branding"], none);
    server.stop().await;
}
