//! The partition-load simulation (issue 16, part 4): a workload on moto
//! (`scenario`) through the functions as AWS runs them (`functions`), every
//! DynamoDB, SQS and Scheduler call recorded; its DynamoDB calls replayed
//! against the key layout (`hot_keys`, `replay` in the shared crate); and
//! the delivery rate at which each class of key's hottest key reaches
//! DynamoDB's per-key limit (`report`). The benchmark prints it; a test
//! holds the design to its targets.

mod clock;
mod functions;
mod receiver;
pub mod report;
mod scenario;

pub use report::PartitionReport;
pub use scenario::Size;

use functions::Functions;
use hookrelay::adapters::aws::hot_keys::{family_loads, Class};
use hookrelay::adapters::aws::replay::Replay;
use hookrelay::config::{AdminAuth, Deployment, Settings};
use hookrelay::domain::account::KeyHash;
use receiver::Endpoints;
use scenario::{cast, warm_up, workload, Api, ADMIN_KEY};
use std::time::{Duration, Instant};

/// The workload's retry schedule: quick retries that SQS holds, then one
/// wait over 900 s (1,200 s ± 20 %), which goes through the Scheduler.
pub const RETRY_SCHEDULE: [u32; 3] = [1, 2, 1_200];

fn settings() -> Settings {
    let mut settings = Settings::defaults(Deployment::Local);
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    settings.table_name = format!("partition-load-{}", started.as_millis());
    settings.admin = AdminAuth::Key(KeyHash::of(ADMIN_KEY));
    settings.retry_schedule = RETRY_SCHEDULE.to_vec();
    settings.send_timeout = Duration::from_secs(5);
    settings
}

/// Runs the workload of `size` on the AWS adapters the environment
/// configures (moto), and replays it.
pub async fn run(size: Size) -> Result<PartitionReport, String> {
    let started = Instant::now();
    let settings = settings();
    let endpoints = Endpoints::start().await?;
    let functions = Functions::start(&settings).await?;
    let api = Api::new(&functions.api);
    let mut replay = Replay::new();
    // What the API functions do follows their requests, not the deliveries.
    replay.uncharged = vec!["config-api", "query"];
    let outcome = async {
        let cast = cast(&api, &endpoints).await?;
        warm_up(&api, &functions, &cast).await?;
        replay.apply(&functions.log.take(), false);
        let sent = workload(&api, &functions, &endpoints, &cast, size).await?;
        Ok::<_, String>((cast, sent))
    }
    .await;
    let calls = functions.log.take();
    let batches = functions.take_batches();
    let stored = functions.stored_items().await;
    functions.stop().await;
    endpoints.stop();
    let (cast, sent) = outcome?;
    replay.apply(&calls, true);
    let mut problems = replay.unreplayed.clone();
    problems.extend(replay.differences(&stored?));
    let loads = family_loads(&replay);
    let unlisted = loads.iter().filter(|l| l.class == Class::Unlisted);
    problems.extend(unlisted.map(|l| format!("`{}` is in no family of KEY_FAMILIES", l.family)));
    let mut scheduler = report::scheduler_calls(&calls);
    scheduler.long_delayed = sent.long_delayed;
    let accounts: Vec<(String, Vec<String>)> = cast
        .tenants()
        .iter()
        .map(|t| {
            (
                t.id.clone(),
                t.webhooks.iter().map(|(_, id)| id.clone()).collect(),
            )
        })
        .collect();
    Ok(PartitionReport {
        refills: report::refills(replay.items(), &accounts),
        batches,
        loads,
        deliveries: replay.deliveries.clone(),
        labels: cast.labels(),
        target_accounts: vec![cast.single.id.clone(), cast.wide.id.clone()],
        calls: report::call_counts(&calls),
        scheduler,
        problems,
        seconds: started.elapsed().as_secs_f64(),
        retry_schedule: settings.retry_schedule.clone(),
    })
}
