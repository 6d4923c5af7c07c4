//! The workload's endpoints, failing deterministically: `/ok` answers 200,
//! `/dead` always 500 with a 1 KiB error page (kept in each attempt's log,
//! as a real one would be), `/flaky` 500 to every other request, `/outage`
//! 500 until the outage is ended.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::oneshot;

#[derive(Debug, Default)]
struct Answers {
    flaky: AtomicU64,
    outage_over: AtomicBool,
}

pub struct Endpoints {
    base: String,
    answers: Arc<Answers>,
    stop: oneshot::Sender<()>,
}

impl Endpoints {
    pub async fn start() -> Result<Self, String> {
        let answers = Arc::new(Answers::default());
        let state = answers.clone();
        let routes = Router::new()
            .route("/ok", post(|| async { StatusCode::OK }))
            .route("/dead", post(dead))
            .route("/flaky", post(flaky))
            .route("/outage", post(outage))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("receiver: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("receiver: {e}"))?;
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let serving = axum::serve(listener, routes).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(err) = serving.await {
                tracing::warn!(error = %err, "the workload's receiver stopped");
            }
        });
        Ok(Self {
            base: format!("http://{addr}"),
            answers,
            stop,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    pub fn end_outage(&self) {
        self.answers.outage_over.store(true, Ordering::SeqCst);
    }

    pub fn stop(self) {
        let _ = self.stop.send(());
    }
}

async fn dead() -> (StatusCode, String) {
    let page = format!("<html><body>{}</body></html>", "x".repeat(1_000));
    (StatusCode::INTERNAL_SERVER_ERROR, page)
}

async fn flaky(State(answers): State<Arc<Answers>>) -> StatusCode {
    match answers.flaky.fetch_add(1, Ordering::SeqCst) % 2 {
        0 => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::OK,
    }
}

async fn outage(State(answers): State<Arc<Answers>>) -> StatusCode {
    if answers.outage_over.load(Ordering::SeqCst) {
        StatusCode::OK
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    }
}
