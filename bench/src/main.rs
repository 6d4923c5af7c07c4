//! The local runner's benchmark: `cargo run --release -p hookrelay-bench`
//! (`-- --quick` for a small run). It starts the runner in process (on a
//! runtime of its own, whose threads are counted for CPU), a receiver written
//! in Rust, and a driver, and prints a table of medians over several rounds:
//! sequential ingest → receiver latency; deliveries/s at 32 concurrent senders,
//! clean, with one dead endpoint piling up retries, and with 30 % of requests
//! failing, as ratios to the clean run measured in the same invocation; server
//! CPU per delivery; resident memory over a long run; and, with
//! `AWS_ENDPOINT_URL` set (moto), the AWS calls and write units per delivery
//! and the partition-load simulation: the delivery rate at which each class
//! of key's hottest key reaches DynamoDB's per-key limit.

mod receiver;

use futures::stream::{self, StreamExt};
use hookrelay::app::App;
use hookrelay::config::{Deployment, Settings};
use hookrelay::domain::delivery::DeliveryStatus;
use hookrelay::domain::listing::ListParams;
use hookrelay::ports::store::DeliveryFilter;
use hookrelay_local::partition_load::Size;
use hookrelay_local::{build_app, serve, Backend, Running};
use receiver::Receiver;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// The local defaults and whatever the environment sets (e.g.
/// `HOOKRELAY_WORKER_CONCURRENCY`), as the runner itself reads them.
fn settings() -> Settings {
    Settings::from_env(Deployment::Local).expect("valid HOOKRELAY_* settings")
}

struct Options {
    /// The partition-load workload's size.
    partitions: Size,
    sequential: usize,
    events: usize,
    failing_events: usize,
    senders: usize,
    rounds: usize,
    soak: usize,
}

impl Options {
    fn from_args() -> Self {
        let quick = std::env::args().any(|a| a == "--quick");
        if quick {
            return Self {
                partitions: Size::QUICK,
                sequential: 50,
                events: 300,
                failing_events: 100,
                senders: 32,
                rounds: 1,
                soak: 0,
            };
        }
        Self {
            partitions: Size::FULL,
            sequential: 1_000,
            events: 10_000,
            failing_events: 2_000,
            senders: 32,
            rounds: 3,
            soak: 100_000,
        }
    }
}

/// The runner under test, on the server runtime.
struct Server {
    running: Running,
    app: App,
}

fn start_server(server_rt: &Runtime, settings: Settings) -> Server {
    server_rt.block_on(async {
        let app = build_app(Backend::Memory, settings).await.expect("app");
        let running = serve(app.clone(), ([127, 0, 0, 1], 0).into(), None)
            .await
            .expect("serve");
        Server { running, app }
    })
}

/// CPU time (ms) of this process's threads named like the server runtime's.
fn server_cpu_ms() -> f64 {
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

fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

struct Client {
    http: reqwest::Client,
    api: String,
    key: String,
}

impl Client {
    fn of(server: &Server) -> Self {
        Self {
            http: reqwest::Client::new(),
            api: server.running.url(),
            key: server.running.api_key.clone(),
        }
    }

    async fn post(&self, path: &str, body: &Value) -> Value {
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

    async fn webhook(&self, url: &str) {
        let body = json!({"name": "bench", "url": url, "events": ["order.*"]});
        self.post("/v1/webhooks", &body).await;
    }

    /// Sends one event; its delivery ids.
    async fn event(&self, n: usize) -> Vec<String> {
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

    /// `count` events from `senders` concurrent senders.
    async fn flood(&self, count: usize, senders: usize) {
        stream::iter(0..count)
            .for_each_concurrent(senders, |n| async move {
                self.event(n).await;
            })
            .await;
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(((sorted.len() - 1) as f64) * p).round() as usize]
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    percentile(&values, 0.5)
}

/// Sequential ingest → receiver latency (ms): p50 and p99.
fn latency(server_rt: &Runtime, driver: &Runtime, events: usize) -> (f64, f64) {
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

/// One throughput run on `server`: `events` events from concurrent senders to
/// the webhooks given; deliveries/s to `/ok` and server CPU ms per delivery.
fn throughput(
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
struct Failing {
    /// Deliveries/s over the first pass (the first 60 % of 2xx).
    rate: f64,
    /// Seconds until the last 2xx.
    settled: f64,
    /// Neither delivered nor failed.
    lost: usize,
    /// Failed after every attempt (30 % failing 8 times in a row).
    exhausted: usize,
    twice: usize,
}

/// How many of the server's deliveries are in `statuses` (up to 100).
async fn count(server: &Server, statuses: Vec<DeliveryStatus>) -> Option<usize> {
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
async fn until_final(server: &Server) {
    use DeliveryStatus::{Created, Dispatched, Scheduled};
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        if count(server, vec![Created, Scheduled, Dispatched]).await == Some(0) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// 70 % of first attempts succeed: the first 60 % of 2xx (safely all first
/// attempts) measure how fast healthy sends go while hanging and reset ones
/// hold slots; the rest wait out retries (1 s apart), which bound them, not
/// the worker. The rate, and the seconds until the last 2xx.
fn first_pass(mut arrivals: Vec<Instant>, started: Instant) -> (f64, f64) {
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
fn failing(server_rt: &Runtime, driver: &Runtime, events: usize, senders: usize) -> Failing {
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

fn row(name: &str, value: String, note: &str) {
    println!("| {name} | {value} | {note} |");
}

/// Every round's figures.
#[derive(Default)]
struct Rounds {
    p50: Vec<f64>,
    p99: Vec<f64>,
    clean: Vec<f64>,
    cpu: Vec<f64>,
    dead: Vec<f64>,
    fail: Vec<f64>,
    settle: Vec<f64>,
    lost: usize,
    exhausted: usize,
    twice: usize,
}

/// A runner with one webhook on a receiver's `/ok`, and optionally one on a
/// port nothing listens on (every attempt refused and retried).
fn scenario_server(server_rt: &Runtime, driver: &Runtime, dead: bool) -> (Server, Receiver) {
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

fn run_rounds(server_rt: &Runtime, driver: &Runtime, options: &Options) -> Rounds {
    let mut r = Rounds::default();
    // Each scenario keeps one server over its rounds, so retries accumulate.
    let (clean_server, clean_receiver) = scenario_server(server_rt, driver, false);
    let (dead_server, dead_receiver) = scenario_server(server_rt, driver, true);
    let (events, senders) = (options.events, options.senders);
    for round in 0..options.rounds {
        let (p50, p99) = latency(server_rt, driver, options.sequential);
        r.p50.push(p50);
        r.p99.push(p99);
        let (rate, cpu) = throughput(&clean_server, driver, &clean_receiver, events, senders);
        r.clean.push(rate);
        r.cpu.push(cpu);
        let (dead, _) = throughput(&dead_server, driver, &dead_receiver, events, senders);
        r.dead.push(dead);
        let failed = failing(server_rt, driver, options.failing_events, senders);
        r.fail.push(failed.rate);
        r.settle.push(failed.settled);
        r.lost += failed.lost;
        r.exhausted += failed.exhausted;
        r.twice += failed.twice;
        eprintln!(
            "round {}: clean {rate:.0}/s, dead endpoint {dead:.0}/s, 30 % failing {:.0}/s",
            round + 1,
            failed.rate
        );
    }
    server_rt.block_on(async {
        clean_server.running.stop().await;
        dead_server.running.stop().await;
    });
    r
}

fn print(r: Rounds, options: &Options) {
    let clean = median(r.clean);
    let ratio = |rate: f64| format!("{rate:.0} ({:.2} × clean)", rate / clean);
    println!("\n| measure | median | note |\n|---|---|---|");
    let one_at_a_time = format!("{} events, one at a time", options.sequential);
    row(
        "sequential ingest → receiver p50",
        format!("{:.2} ms", median(r.p50)),
        &one_at_a_time,
    );
    row(
        "sequential ingest → receiver p99",
        format!("{:.2} ms", median(r.p99)),
        "",
    );
    let load = format!(
        "{} events, {} concurrent senders",
        options.events, options.senders
    );
    row("deliveries/s, clean", format!("{clean:.0}"), &load);
    row(
        "server CPU per delivery",
        format!("{:.3} ms", median(r.cpu)),
        "server runtime threads, clean run",
    );
    let dead = "live deliveries; the dead one's retries pile up over the rounds";
    row(
        "deliveries/s, one dead endpoint",
        ratio(median(r.dead)),
        dead,
    );
    let failing = format!(
        "{} events, the first pass (first 60 % of 2xx); {} sends in flight; lost {}, failed after every attempt {}, 2xx twice {}",
        options.failing_events,
        settings().worker_concurrency,
        r.lost,
        r.exhausted,
        r.twice
    );
    row(
        "deliveries/s, 30 % failing",
        ratio(median(r.fail)),
        &failing,
    );
    let tail = "retries 1 s apart (±20 %), a third of failures hang to the 2 s send timeout";
    row(
        "30 % failing: last 2xx after",
        format!("{:.1} s", median(r.settle)),
        tail,
    );
}

fn main() {
    let options = Options::from_args();
    let runtime = |name: &str| {
        tokio::runtime::Builder::new_multi_thread()
            .thread_name(name)
            .enable_all()
            .build()
            .expect("a runtime")
    };
    // The runner's own runtime: its threads are the ones counted for CPU.
    let (server_rt, driver) = (runtime("hr-server"), runtime("hr-driver"));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("hookrelay-bench: {} rounds, {cores} cores", options.rounds);
    let rounds = run_rounds(&server_rt, &driver, &options);
    print(rounds, &options);
    if options.soak > 0 {
        soak(&server_rt, &driver, &options);
    }
    aws_costs(&driver);
    partition_load(&driver, options.partitions);
}

/// The partition-load simulation on moto (AWS calls replayed against the
/// key layout), when pointed at it.
fn partition_load(driver: &Runtime, size: Size) {
    if std::env::var_os("AWS_ENDPOINT_URL").is_none() {
        return;
    }
    match driver.block_on(hookrelay_local::partition_load::run(size)) {
        Ok(report) => println!("\n{}", report.render()),
        Err(err) => println!("\npartition-load simulation failed: {err}"),
    }
}

/// Resident memory over a long clean run.
fn soak(server_rt: &Runtime, driver: &Runtime, options: &Options) {
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

/// AWS calls and write units per delivery, when pointed at AWS or moto.
fn aws_costs(driver: &Runtime) {
    if std::env::var_os("AWS_ENDPOINT_URL").is_none() {
        row(
            "AWS calls / write units per delivery",
            "n/a".into(),
            "set AWS_ENDPOINT_URL (moto) to measure",
        );
        return;
    }
    let report = driver.block_on(async {
        let receiver = Receiver::start().await.expect("receiver");
        let mut settings = settings();
        settings.table_name = format!("bench-{}", std::process::id());
        hookrelay_local::costs::measure(settings, &receiver.url("ok"), 20).await
    });
    match report {
        Ok(report) => {
            row(
                "AWS calls per delivery",
                format!("{:.2}", report.calls_per_delivery()),
                &format!("fan-out 1, 20 events: {:?}", report.calls),
            );
            row(
                "write units per delivery",
                format!("{}", report.most_write_units()),
                "event + delivery put + attempt, index writes included",
            );
            row(
                "stats writes per delivery",
                format!("{:.2}", report.stats_writes as f64 / report.events as f64),
                "UpdateItems flushing the hourly stats counters (each second here; each SQS batch in Lambda)",
            );
        }
        Err(err) => row(
            "AWS calls / write units per delivery",
            "failed".into(),
            &err,
        ),
    }
}
