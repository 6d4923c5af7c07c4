//! What each row of the table measures.

use crate::receiver::Receiver;
use crate::runner::{count, resident_mb, server_cpu_ms, start_server, until_final, Client, Server};
use crate::{percentile, row, settings, Options};
use hookrelay::domain::delivery::DeliveryStatus;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// Sequential ingest → receiver latency (ms): p50 and p99.
pub(crate) fn latency(server_rt: &Runtime, driver: &Runtime, events: usize) -> (f64, f64) {
    let server = start_server(server_rt, settings());
    let mut ms = driver.block_on(async {
        let receiver = Receiver::start().await.expect("receiver");
        let client = Client::of(&server);
        client.webhook(&receiver.url("ok")).await;
        let mut ms = Vec::with_capacity(events);
        for n in 0..events {
            let started = Instant::now();
            let ids = client.event(n).await;
            let id = ids.first().expect("one delivery");
            let arrived = receiver
                .arrival(id, Duration::from_secs(10))
                .await
                .expect("arrives");
            ms.push((arrived - started).as_secs_f64() * 1000.0);
        }
        ms
    });
    server_rt.block_on(server.running.stop());
    ms.sort_by(f64::total_cmp);
    (percentile(&ms, 0.5), percentile(&ms, 0.99))
}

/// Ingest alone (no subscribers, so no sends share the CPU), one request
/// at a time: `events` events one a request, then the same number in
/// batches of 100. For each, wall and server CPU ms per event.
pub(crate) fn batching(server_rt: &Runtime, driver: &Runtime, events: usize) -> [(f64, f64); 2] {
    let server = start_server(server_rt, settings());
    let client = Client::of(&server);
    let per_event = |batched: bool| {
        let (cpu, started) = (server_cpu_ms(), Instant::now());
        driver.block_on(async {
            if batched {
                for from in (0..events).step_by(100) {
                    client.batch(from, 100).await;
                }
            } else {
                for n in 0..events {
                    client.event(n).await;
                }
            }
        });
        let wall = started.elapsed().as_secs_f64() * 1000.0;
        (
            wall / events as f64,
            (server_cpu_ms() - cpu) / events as f64,
        )
    };
    let measured = [per_event(false), per_event(true)];
    server_rt.block_on(server.running.stop());
    measured
}

/// One throughput run on `server`: `events` events from concurrent senders to
/// the webhooks given; deliveries/s to `/ok` and server CPU ms per delivery.
pub(crate) fn throughput(
    server: &Server,
    driver: &Runtime,
    receiver: &Receiver,
    events: usize,
    senders: usize,
) -> (f64, f64) {
    let before = receiver.delivered_count();
    let cpu = server_cpu_ms();
    let started = Instant::now();
    let finished = driver.block_on(async {
        Client::of(server).flood(events, senders).await;
        receiver
            .until_delivered(before + events, Duration::from_secs(600))
            .await
    });
    assert!(finished, "every live delivery arrives");
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_per = (server_cpu_ms() - cpu) / events as f64;
    (events as f64 / elapsed, cpu_per)
}

/// What 30 % of requests failing came to.
pub(crate) struct Failing {
    /// Deliveries/s over the first pass (the first 60 % of 2xx).
    pub(crate) rate: f64,
    /// Seconds until the last 2xx.
    pub(crate) settled: f64,
    /// Neither delivered nor failed.
    pub(crate) lost: usize,
    /// Failed after every attempt (30 % failing 8 times in a row).
    pub(crate) exhausted: usize,
    pub(crate) twice: usize,
}

/// 70 % of first attempts succeed: the first 60 % of 2xx (safely all first
/// attempts) measure how fast healthy sends go while hanging and reset ones
/// hold slots; the rest wait out retries (1 s apart), which bound them, not
/// the worker. The rate, and the seconds until the last 2xx.
pub(crate) fn first_pass(mut arrivals: Vec<Instant>, started: Instant) -> (f64, f64) {
    arrivals.sort();
    let first = arrivals.len() * 6 / 10;
    let until = arrivals.get(first).copied().unwrap_or(started);
    let rate = first as f64 / (until - started).as_secs_f64().max(1e-9);
    let settled = arrivals
        .last()
        .map_or(0.0, |last| (*last - started).as_secs_f64());
    (rate, settled)
}

/// 30 % of requests failing: deliveries/s, and that nothing was lost and
/// nothing got a 2xx twice.
pub(crate) fn failing(
    server_rt: &Runtime,
    driver: &Runtime,
    events: usize,
    senders: usize,
) -> Failing {
    let mut settings = settings();
    settings.send_timeout = Duration::from_secs(2);
    settings.retry_schedule = vec![1; 7];
    let server = start_server(server_rt, settings);
    let outcome = driver.block_on(async {
        let receiver = Receiver::start().await.expect("receiver");
        let client = Client::of(&server);
        client.webhook(&receiver.url("mixed")).await;
        let started = Instant::now();
        client.flood(events, senders).await;
        until_final(&server).await;
        let arrivals: Vec<Instant> = receiver.delivered().into_values().collect();
        let delivered = arrivals.len();
        let (rate, settled) = first_pass(arrivals, started);
        let exhausted = count(&server, vec![DeliveryStatus::Failed])
            .await
            .unwrap_or(0);
        Failing {
            rate,
            settled,
            lost: events.saturating_sub(delivered + exhausted),
            exhausted,
            twice: receiver.twice(),
        }
    });
    server_rt.block_on(server.running.stop());
    outcome
}

/// A runner with one webhook on a receiver's `/ok`, and optionally one on a
/// port nothing listens on (every attempt refused and retried).
pub(crate) fn scenario_server(
    server_rt: &Runtime,
    driver: &Runtime,
    dead: bool,
) -> (Server, Receiver) {
    let server = start_server(server_rt, settings());
    let receiver = driver.block_on(async {
        let receiver = Receiver::start().await.expect("receiver");
        let client = Client::of(&server);
        client.webhook(&receiver.url("ok")).await;
        if dead {
            let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .and_then(|l| l.local_addr())
                .expect("a free port");
            client.webhook(&format!("http://{closed}/dead")).await;
        }
        receiver
    });
    (server, receiver)
}

/// Resident memory over a long clean run.
pub(crate) fn soak(server_rt: &Runtime, driver: &Runtime, options: &Options) {
    let server = start_server(server_rt, settings());
    let receiver = driver.block_on(async {
        let receiver = Receiver::start().await.expect("receiver");
        Client::of(&server).webhook(&receiver.url("ok")).await;
        receiver
    });
    let fifth = options.soak / 5;
    throughput(&server, driver, &receiver, fifth, options.senders);
    let early = resident_mb();
    throughput(
        &server,
        driver,
        &receiver,
        options.soak - fifth,
        options.senders,
    );
    let late = resident_mb();
    let per = (late - early) * 1024.0 * 1024.0 / (options.soak - fifth) as f64;
    row("resident memory", format!("{early:.0} → {late:.0} MB"), &format!("after {fifth} and {} deliveries: {per:.0} bytes per delivery (the in-memory store keeps every event and delivery)", options.soak));
    server_rt.block_on(server.running.stop());
}
