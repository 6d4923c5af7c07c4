//! The webhook list over HTTP: filters, sorts, both orders, offset and cursor
//! paging, and parameter errors; embedded and on DynamoDB (moto).

use crate::helpers;
use crate::helpers::{ids_in, webhook_body, Server};
use hookrelay_local::Backend;
use serde_json::{json, Value};

on_both_backends!(
    offset_and_cursor_pages_give_the_same_items_in_every_sort,
    enabled_and_date_filters_select_webhooks,
    bad_parameters_are_422_naming_the_parameter,
);

/// Creates `n` webhooks (every third disabled) and touches some so that
/// updated_at order differs from created_at order; their JSON.
async fn seed(server: &Server, n: usize) -> Vec<Value> {
    let mut hooks = Vec::new();
    for i in 0..n {
        let mut body = webhook_body(&format!("hook {i:02}"));
        body["enabled"] = json!(i % 3 != 0);
        hooks.push(server.create_webhook(body).await);
    }
    for i in (0..n).step_by(4).rev() {
        let id = hooks[i]["id"].as_str().unwrap();
        let (status, patched) = server
            .patch(
                &format!("/v1/webhooks/{id}"),
                json!({"description": "touched"}),
            )
            .await;
        assert_eq!(status, 200);
        hooks[i] = patched["webhook"].clone();
    }
    hooks
}

fn expected(hooks: &[Value], sort: &str, order: &str) -> Vec<String> {
    let mut sorted: Vec<&Value> = hooks.iter().collect();
    sorted.sort_by_key(|w| {
        let id = w["id"].as_str().unwrap().to_owned();
        match sort {
            "id" => (String::new(), id),
            field => (w[field].as_str().unwrap().to_owned(), id),
        }
    });
    if order == "desc" {
        sorted.reverse();
    }
    sorted
        .into_iter()
        .map(|w| w["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn pages_by_cursor(server: &Server, query: &str) -> Vec<String> {
    let path = format!("/v1/webhooks?{query}");
    ids_in(&Value::from(server.all_pages(&path, "webhooks").await))
}

async fn offset_and_cursor_pages_give_the_same_items_in_every_sort(backend: Backend) {
    let server = Server::start(backend).await;
    let hooks = seed(&server, 12).await;
    for sort in ["created_at", "updated_at", "id"] {
        for order in ["asc", "desc"] {
            let want = expected(&hooks, sort, order);
            let query = format!("sort={sort}&order={order}&limit=5");
            assert_eq!(
                pages_by_cursor(&server, &query).await,
                want,
                "{query} by cursor"
            );
            let mut by_offset = Vec::new();
            for offset in [0, 5, 10] {
                let (_, page) = server
                    .get(&format!("/v1/webhooks?{query}&offset={offset}"))
                    .await;
                assert_eq!(page["offset"], offset);
                assert_eq!(page["limit"], 5);
                by_offset.extend(ids_in(&page["webhooks"]));
            }
            assert_eq!(by_offset, want, "{query} by offset");
        }
    }
    // The default is created_at, newest first.
    let (_, default) = server.get("/v1/webhooks").await;
    assert_eq!(
        ids_in(&default["webhooks"]),
        expected(&hooks, "created_at", "desc")
    );
    let (status, _) = server.get("/v1/webhooks?limit=100").await;
    assert_eq!(status, 200);
    server.stop().await;
}

async fn enabled_and_date_filters_select_webhooks(backend: Backend) {
    let server = Server::start(backend).await;
    let hooks = seed(&server, 9).await;
    for (filter, want_enabled) in [("true", true), ("false", false)] {
        let (_, page) = server
            .get(&format!("/v1/webhooks?enabled={filter}&sort=id&order=asc"))
            .await;
        let want: Vec<String> = expected(&hooks, "id", "asc")
            .into_iter()
            .filter(|id| {
                hooks
                    .iter()
                    .any(|w| w["id"] == id.as_str() && w["enabled"] == want_enabled)
            })
            .collect();
        assert_eq!(ids_in(&page["webhooks"]), want, "enabled={filter}");
    }
    // start is inclusive, end exclusive: [created_at of #3, created_at of #6).
    let created = |i: usize| hooks[i]["created_at"].as_str().unwrap().to_owned();
    let (start, end) = (created(3), created(6));
    let in_window: Vec<String> = expected(&hooks, "created_at", "asc")
        .into_iter()
        .filter(|id| {
            let at = hooks.iter().find(|w| w["id"] == id.as_str()).unwrap()["created_at"]
                .as_str()
                .unwrap()
                .to_owned();
            at >= start && at < end
        })
        .collect();
    assert!(!in_window.is_empty());
    for sort in ["created_at", "updated_at", "id"] {
        let (status, page) = server
            .get(&format!(
                "/v1/webhooks?start={start}&end={end}&sort={sort}&order=asc"
            ))
            .await;
        assert_eq!(status, 200, "{page}");
        let mut got = ids_in(&page["webhooks"]);
        let mut want = in_window.clone();
        got.sort();
        want.sort();
        assert_eq!(got, want, "window with sort={sort}");
    }
    server.stop().await;
}

async fn bad_parameters_are_422_naming_the_parameter(backend: Backend) {
    let server = Server::start(backend).await;
    let refused = [
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("sort=name", "sort"),
        ("order=up", "order"),
        ("start=yesterday", "start"),
        ("end=2026-13-01", "end"),
        ("enabled=maybe", "enabled"),
        ("cursor=not-a-cursor", "cursor"),
        ("colour=red", "colour"),
    ];
    server
        .assert_queries_refused("/v1/webhooks", &refused)
        .await;
    // An end before the start is an empty window, as OpenAPI can say it.
    server
        .create_webhook(helpers::webhook_body("in January"))
        .await;
    let (status, answer) = server
        .get("/v1/webhooks?start=2026-02-01T00:00:00Z&end=2026-01-01T00:00:00Z")
        .await;
    assert_eq!((status, answer["webhooks"].clone()), (200, json!([])));
    server.stop().await;
}
