//! The local runner's benchmark: `cargo run --release -p hookrelay-bench`
//! (`-- --quick` for a small run). It starts the runner in process (on a
//! runtime of its own, whose threads are counted for CPU), a receiver written
//! in Rust, and a driver, and prints a table of medians over several rounds:
//! sequential ingest → receiver latency; ingest time and CPU per event, one
//! a request against batches of 100; deliveries/s at 32 concurrent senders,
//! clean, with one dead endpoint piling up retries, and with 30 % of requests
//! failing, as ratios to the clean run measured in the same invocation; server
//! CPU per delivery; resident memory over a long run; and, with
//! `AWS_ENDPOINT_URL` set (moto), the AWS calls and write units per delivery
//! and the partition-load simulation: the delivery rate at which each class
//! of key's hottest key reaches DynamoDB's per-key limit.

mod receiver;
mod runner;
mod scenarios;
mod shapes;

use hookrelay::config::{Deployment, Settings};
use hookrelay_local::partition_load::Size;
use receiver::Receiver;
use scenarios::{batching, failing, latency, scenario_server, soak, throughput};
use tokio::runtime::Runtime;

/// The local defaults and whatever the environment sets (e.g.
/// `HOOKRELAY_WORKER_CONCURRENCY`), as the runner itself reads them; no
/// ingest quota unless `HOOKRELAY_INGEST_RATE` sets one (the benchmark
/// floods one account to measure the pipeline, not the quota).
fn settings() -> Settings {
    let mut settings = Settings::from_env(Deployment::Local).expect("valid HOOKRELAY_* settings");
    if std::env::var_os("HOOKRELAY_INGEST_RATE").is_none() {
        settings.ingest_quota = None;
    }
    settings
}

struct Options {
    /// The partition-load workload's size.
    partitions: Size,
    sequential: usize,
    /// Events ingested one a request, then as many in batches of 100.
    batched: usize,
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
                batched: 2_000,
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
            batched: 20_000,
            events: 10_000,
            failing_events: 2_000,
            senders: 32,
            rounds: 3,
            soak: 100_000,
        }
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
    ingest_batching(&server_rt, &driver, options.batched);
    body_shapes(options.rounds);
    if options.soak > 0 {
        soak(&server_rt, &driver, &options);
    }
    aws_costs(&driver);
    partition_load(&driver, options.partitions);
}

/// What batching saves the ingest function per event, in memory (so the
/// store's round trips, which dominate on AWS, are left out).
fn ingest_batching(server_rt: &Runtime, driver: &Runtime, events: usize) {
    let [(single_ms, single_cpu), (batch_ms, batch_cpu)] = batching(server_rt, driver, events);
    let note = format!("{events} events, no subscribers, one request at a time, in memory");
    row(
        "ingest wall time per event: 1 a request → batches of 100",
        format!("{single_ms:.3} → {batch_ms:.3} ms"),
        &note,
    );
    row(
        "ingest server CPU per event: 1 a request → batches of 100",
        format!("{single_cpu:.3} → {batch_cpu:.3} ms"),
        "server runtime threads",
    );
}

/// What shaping a body costs the sender per delivery (CPU, in memory): each
/// shape's median over `rounds` runs of 2,000 bodies, and its ratio to the
/// default body measured in the same runs.
fn body_shapes(rounds: usize) {
    let figures = shapes::measure(rounds.max(3), 2_000);
    let default = figures[0].1;
    for (name, micros) in figures {
        let ratio = micros / default;
        row(
            &format!("body per delivery: {name}"),
            format!("{micros:.1} µs ({ratio:.1}× default)"),
            "a 1 KB order payload; median of the rounds",
        );
    }
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
                "ingest-quota writes per event",
                format!("{:.2}", report.quota_writes as f64 / report.events as f64),
                "one conditional ADD (1 write unit) per POST /v1/events while HOOKRELAY_INGEST_RATE is set",
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
