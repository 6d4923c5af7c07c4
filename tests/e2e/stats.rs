//! Delivery stats end to end, embedded and on DynamoDB/SQS (moto): what the
//! stats routes say after real deliveries, read over HTTP.

use crate::helpers::receiver::Receiver;
use crate::helpers::{eventually, Server};
use hookrelay_local::Backend;
use serde_json::{json, Value};

on_both_backends!(
    stats_count_deliveries_per_webhook_and_account,
    stats_parameters_are_checked,
);

/// One attempt per delivery, and no auto-disable.
async fn server(backend: Backend) -> Server {
    Server::start_single_try(backend, 0).await
}

async fn hook(server: &Server, name: &str, url: String) -> String {
    let body = json!({"name": name, "url": url, "events": ["order.*"]});
    server.webhook_id(body).await
}

/// The stats at `path` once `ready` holds for them.
async fn stats_when(server: &Server, path: &str, ready: impl Fn(&Value) -> bool) -> Value {
    eventually(20, path, || async {
        let (status, got) = server.get(path).await;
        assert_eq!(status, 200, "{got}");
        ready(&got).then_some(got)
    })
    .await
}

fn delivered(buckets: &[Value]) -> u64 {
    buckets
        .iter()
        .map(|b| b["counts"]["delivered"].as_u64().unwrap())
        .sum()
}

async fn stats_count_deliveries_per_webhook_and_account(backend: Backend) {
    let server = server(backend).await;
    let receiver = Receiver::start().await;
    let ok = hook(&server, "ok", receiver.url("ok")).await;
    let down = hook(&server, "down", receiver.url("fail")).await;
    for n in 0..3 {
        let event = json!({"name": "order", "type": "paid", "payload": {"n": n}});
        assert_eq!(server.post("/v1/events", event).await.0, 202);
    }
    let counted = |want: u64| move |s: &Value| s["totals"]["attempts"] == want;
    let good = stats_when(&server, &format!("/v1/webhooks/{ok}/stats"), counted(3)).await;
    assert_eq!(good["webhook_id"], ok.as_str());
    assert_eq!(good["granularity"], "hour");
    assert_eq!(
        good["totals"]["counts"],
        json!({"delivered": 3, "scheduled": 0, "failed": 0})
    );
    assert_eq!(
        (&good["totals"]["errors"], &good["totals"]["error_rate"]),
        (&json!(0), &json!(0.0))
    );
    assert!(good["totals"]["median_duration_ms"].is_u64(), "{good}");
    let buckets = good["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 24, "a day of hours by default");
    assert_eq!(
        delivered(buckets),
        3,
        "in this hour's bucket (or the one before)"
    );
    assert_eq!(buckets[0]["attempts"], 0);
    assert_eq!(buckets[0]["median_duration_ms"], Value::Null);

    let bad = stats_when(&server, &format!("/v1/webhooks/{down}/stats"), counted(3)).await;
    assert_eq!(
        bad["totals"]["counts"],
        json!({"delivered": 0, "scheduled": 0, "failed": 3})
    );
    assert_eq!(bad["totals"]["error_rate"], 1.0);

    let all = stats_when(&server, "/v1/stats?granularity=day", counted(6)).await;
    assert_eq!(all["webhook_id"], Value::Null);
    assert_eq!(all["totals"]["error_rate"], 0.5);
    let days = all["buckets"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(delivered(days), 3);
    assert!(days[29]["start"]
        .as_str()
        .unwrap()
        .ends_with("T00:00:00.000Z"));
    server.stop().await;
}

async fn stats_parameters_are_checked(backend: Backend) {
    let server = server(backend).await;
    let refused = [
        ("granularity=week", "granularity"),
        ("start=yesterday", "start"),
        ("end=2026-13-01", "end"),
        ("colour=red", "colour"),
    ];
    server.assert_queries_refused("/v1/stats", &refused).await;
    let unknown = "/v1/webhooks/01a206c8-5b71-7aa1-9789-70c46c4a22ce/stats";
    assert_eq!(server.get(unknown).await.0, 404);
    // An end before the start: no buckets. A window too long: its last ones.
    let (_, empty) = server
        .get("/v1/stats?start=2026-02-01T00:00:00Z&end=2026-01-01T00:00:00Z")
        .await;
    assert_eq!(empty["buckets"], json!([]));
    let (_, long) = server
        .get("/v1/stats?granularity=day&start=2000-01-01&end=2026-01-01")
        .await;
    assert_eq!(long["buckets"].as_array().unwrap().len(), 90);
    assert_eq!(long["end"], "2026-01-01T00:00:00.000Z");
    server.stop().await;
}
