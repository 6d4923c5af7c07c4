//! A webhook receiver on loopback that records every request and answers by path.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Request {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
    pub at: Instant,
}

type Log = Arc<Mutex<Vec<Request>>>;

pub struct Receiver {
    pub addr: SocketAddr,
    log: Log,
}

/// `/ok` 200; `/fail` 500; `/flaky` 500 then 200; `/moved` 302 to /ok;
/// `/gone` 410; `/slow` 200 after 3 s; `/busy` 429 (Retry-After: 1) then 200.
async fn answer(
    State(log): State<Log>,
    Path(path): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let earlier = {
        let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
        let earlier = log.iter().filter(|r| r.path == path).count();
        log.push(Request {
            path: path.clone(),
            headers: headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        v.to_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
            body: String::from_utf8_lossy(&body).into_owned(),
            at: Instant::now(),
        });
        earlier
    };
    match (path.as_str(), earlier) {
        ("ok", _) | ("flaky", 1..) | ("busy", 1..) => (StatusCode::OK, "ok").into_response(),
        ("flaky", 0) | ("fail", _) => (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response(),
        ("moved", _) => (StatusCode::FOUND, [("location", "/ok")], "").into_response(),
        ("gone", _) => (StatusCode::GONE, "gone").into_response(),
        ("busy", 0) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            "slow down",
        )
            .into_response(),
        ("slow", _) => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            (StatusCode::OK, "late").into_response()
        }
        _ => (StatusCode::NOT_FOUND, "no such path").into_response(),
    }
}

impl Receiver {
    pub async fn start() -> Self {
        let log: Log = Arc::default();
        let app = Router::new()
            .route("/{path}", post(answer))
            .with_state(log.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind receiver");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { addr, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    pub fn requests(&self, path: &str) -> Vec<Request> {
        let log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        log.iter().filter(|r| r.path == path).cloned().collect()
    }

    /// The distinct deliveries (`webhook-id`) that reached `path`.
    pub fn delivery_ids(&self, path: &str) -> BTreeSet<String> {
        let requests = self.requests(path);
        requests
            .into_iter()
            .filter_map(|r| r.headers.get("webhook-id").cloned())
            .collect()
    }
}

/// Verifies a request with Python's `standardwebhooks` (an implementation
/// that is not ours); the venv of scripts/test.sh has it.
pub fn verify_with_standardwebhooks(secret: &str, request: &Request) {
    let python = std::env::var("HOOKRELAY_TEST_PYTHON").unwrap_or_else(|_| {
        panic!(
            "HOOKRELAY_TEST_PYTHON is not set: run scripts/test.sh (it installs standardwebhooks)"
        )
    });
    let script = r#"
import json, sys
from standardwebhooks.webhooks import Webhook
data = json.load(sys.stdin)
Webhook(data["secret"]).verify(data["body"], data["headers"])
print("verified")
"#;
    let input = serde_json::json!({
        "secret": secret,
        "body": request.body,
        "headers": {
            "webhook-id": request.headers.get("webhook-id"),
            "webhook-timestamp": request.headers.get("webhook-timestamp"),
            "webhook-signature": request.headers.get("webhook-signature"),
        },
    });
    let mut child = std::process::Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run python");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(input.to_string().as_bytes())
            .expect("write");
    }
    let output = child.wait_with_output().expect("python finished");
    assert!(
        output.status.success(),
        "standardwebhooks refused the signature: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
