//! The partition-load simulation (issue 16, part 4): a workload on moto
//! with every AWS call recorded, replayed against the key layout, gives the
//! delivery rate at which each class of key's hottest key reaches
//! DynamoDB's per-key limit. These are properties of the design, not
//! timings: the same layout gives the same figures on any machine.

use crate::helpers::moto_to_myself;
use hookrelay_local::partition_load::{run, PartitionReport, Size};

async fn simulated() -> PartitionReport {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: the simulation needs moto's server; run scripts/test.sh"
    );
    let _moto = moto_to_myself().await;
    let report = run(Size::QUICK).await.expect("the workload runs on moto");
    println!("{}", report.render());
    report
}

/// The replay is exact (every item it rebuilds is the one moto stores, every
/// key is in a family of `KEY_FAMILIES`), and the hottest key of each class
/// allows the delivery rates of DESIGN.md §9 (issue 16's acceptance test; the
/// report says which key falls short, and where).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hottest_keys_allow_the_designed_delivery_rates() {
    let report = simulated().await;
    assert!(
        report.problems.is_empty(),
        "the replay is not exact:\n{}",
        report.problems.join("\n")
    );
    assert!(report.deliveries.total >= 400, "{:?}", report.deliveries);
    let short = report.shortfalls();
    assert!(
        short.is_empty(),
        "{}\n\nShort of the targets:\n{}",
        report.render(),
        short.join("\n")
    );
}
