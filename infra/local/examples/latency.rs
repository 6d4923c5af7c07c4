//! Ingest → receiver latency on the embedded runner: `cargo run --release -p
//! hookrelay-local --example latency [events] [rounds]` prints a table.
//!
//! Each event is POSTed to /v1/events one after another; the receiver (on
//! loopback) notes when each arrives. Latency = arrival − the moment the POST
//! started, so it includes ingest, the queue, the worker, signing and the send.

use axum::body::Bytes;
use axum::extract::State;
use hookrelay::config::{Deployment, Settings};
use hookrelay_local::{build_app, serve, Backend};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

async fn receive(State(arrivals): State<Arrivals>, body: Bytes) -> &'static str {
    let at = Instant::now();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) {
        if let Some(id) = value["id"].as_str() {
            arrivals
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(id.to_owned(), at);
        }
    }
    "ok"
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let events: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1000);
    let rounds: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(3);

    let arrivals: Arrivals = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let receiver = listener.local_addr()?;
    let router = axum::Router::new()
        .route("/in", axum::routing::post(receive))
        .with_state(arrivals.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let app = build_app(Backend::Memory, Settings::defaults(Deployment::Local)).await?;
    let running = serve(app, "127.0.0.1:0".parse()?, None).await?;
    let client = reqwest::Client::new();
    let api = running.url();
    let created = client
        .post(format!("{api}/v1/webhooks"))
        .bearer_auth(&running.api_key)
        .json(&serde_json::json!({"name": "bench", "url": format!("http://{receiver}/in"), "events": ["*"]}))
        .send()
        .await?;
    assert_eq!(created.status(), 201, "webhook created");

    println!(
        "events per round: {events}, rounds: {rounds}, build: {}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!("| round | ingest 202 median ms | end-to-end median ms | p90 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    let mut medians = Vec::new();
    for round in 1..=rounds {
        let mut started = HashMap::new();
        let mut answered = Vec::with_capacity(events);
        for i in 0..events {
            let begin = Instant::now();
            let response = client
                .post(format!("{api}/v1/events"))
                .bearer_auth(&running.api_key)
                .json(&serde_json::json!({"name": "bench", "type": "tick", "payload": {"i": i}}))
                .send()
                .await?;
            answered.push(begin.elapsed());
            let body: serde_json::Value = response.json().await?;
            let id = body["id"].as_str().ok_or("no event id")?.to_owned();
            started.insert(id, begin);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while arrivals.lock().unwrap_or_else(|p| p.into_inner()).len() < started.len() * round
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let seen = arrivals.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut latencies: Vec<Duration> = started
            .iter()
            .filter_map(|(id, begin)| seen.get(id).map(|at| at.duration_since(*begin)))
            .collect();
        if latencies.len() != events {
            return Err(format!("only {} of {events} events arrived", latencies.len()).into());
        }
        latencies.sort();
        answered.sort();
        let median = percentile(&latencies, 0.5);
        medians.push(median);
        println!(
            "| {round} | {} | {} | {} | {} | {} |",
            ms(percentile(&answered, 0.5)),
            ms(median),
            ms(percentile(&latencies, 0.9)),
            ms(percentile(&latencies, 0.99)),
            ms(*latencies.last().unwrap_or(&Duration::ZERO)),
        );
    }
    medians.sort();
    println!(
        "median of round medians: {} ms",
        ms(percentile(&medians, 0.5))
    );
    running.stop().await;
    Ok(())
}
