//! The runner under test, in process, and a client of its API.

use futures::stream::{self, StreamExt};
use hookrelay::app::App;
use hookrelay::config::Settings;
use hookrelay::domain::delivery::DeliveryStatus;
use hookrelay::domain::listing::ListParams;
use hookrelay::ports::store::DeliveryFilter;
use hookrelay_local::{build_app, serve, Backend, Running};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// The runner under test, on the server runtime.
pub(crate) struct Server {
    pub(crate) running: Running,
    pub(crate) app: App,
}

pub(crate) fn start_server(server_rt: &Runtime, settings: Settings) -> Server {
    server_rt.block_on(async {
        let app = build_app(Backend::Memory, settings).await.expect("app");
        let running = serve(app.clone(), ([127, 0, 0, 1], 0).into(), None)
            .await
            .expect("serve");
        Server { running, app }
    })
}

/// CPU time (ms) of this process's threads named like the server runtime's.
pub(crate) fn server_cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    let ticks: u64 = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("stat")).ok())
        .filter(|stat| stat.contains("(hr-server"))
        .filter_map(|stat| {
            // Fields after the name: utime and stime are the 12th and 13th.
            let rest = stat.rsplit_once(") ")?.1;
            let fields: Vec<&str> = rest.split(' ').collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .sum();
    ticks as f64 * 10.0 // USER_HZ is 100 on Linux
}

pub(crate) fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

pub(crate) struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) api: String,
    pub(crate) key: String,
}

impl Client {
    pub(crate) fn of(server: &Server) -> Self {
        Self {
            http: reqwest::Client::new(),
            api: server.running.url(),
            key: server.running.api_key.clone(),
        }
    }

    pub(crate) async fn post(&self, path: &str, body: &Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.api))
            .bearer_auth(&self.key)
            .body(body.to_string())
            .send()
            .await
            .expect("the runner answers");
        response.json().await.expect("JSON")
    }

    pub(crate) async fn webhook(&self, url: &str) {
        let body = json!({"name": "bench", "url": url, "events": ["order.*"]});
        self.post("/v1/webhooks", &body).await;
    }

    /// Sends one event; its delivery ids.
    pub(crate) async fn event(&self, n: usize) -> Vec<String> {
        let body =
            json!({"name": "order", "type": "paid", "payload": {"order_id": n, "total": "19.99"}});
        let answer = self.post("/v1/events", &body).await;
        answer["deliveries"]
            .as_array()
            .map(|ids| {
                ids.iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sends events `from..from + count` in one batch, every one accepted.
    pub(crate) async fn batch(&self, from: usize, count: usize) {
        let events: Vec<Value> = (from..from + count)
            .map(|n| json!({"name": "order", "type": "paid", "payload": {"order_id": n, "total": "19.99"}}))
            .collect();
        let answer = self
            .post("/v1/events/batch", &json!({ "events": events }))
            .await;
        let results = answer["results"].as_array().map_or(&[][..], Vec::as_slice);
        assert!(
            results.len() == count && results.iter().all(|r| r["code"] == 202),
            "every event of the batch accepted: {answer}"
        );
    }

    /// `count` events from `senders` concurrent senders.
    pub(crate) async fn flood(&self, count: usize, senders: usize) {
        stream::iter(0..count)
            .for_each_concurrent(senders, |n| async move {
                self.event(n).await;
            })
            .await;
    }
}

/// How many of the server's deliveries are in `statuses` (up to 100).
pub(crate) async fn count(server: &Server, statuses: Vec<DeliveryStatus>) -> Option<usize> {
    let filter = DeliveryFilter {
        statuses,
        ..DeliveryFilter::default()
    };
    let params = ListParams {
        limit: ListParams::MAX_LIMIT,
        ..ListParams::default()
    };
    let now = server.app.clock.now();
    let account = server.running.account.id;
    let page = server
        .app
        .store
        .list_deliveries(account, &filter, &params, now)
        .await;
    page.ok().map(|page| page.items.len())
}

/// Waits until no delivery of the server's account is pending (or 600 s).
pub(crate) async fn until_final(server: &Server) {
    use DeliveryStatus::{Created, Dispatched, Scheduled};
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        if count(server, vec![Created, Scheduled, Dispatched]).await == Some(0) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
