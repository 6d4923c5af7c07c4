//! What the replay found, against the design's targets: per class of key the
//! delivery rate at which its hottest key reaches DynamoDB's per-key limit,
//! Scheduler calls per delivery and their extrapolation, and AWS calls per
//! delivery by function and service. `render` prints it as Markdown tables.

mod refills;
mod render;
mod scheduler;

pub use refills::{refills, Refills};
pub use scheduler::{scheduler_calls, SchedulerCalls};

use hookrelay::adapters::aws::calls::Call;
use hookrelay::adapters::aws::hot_keys::{Class, FamilyLoad};
use hookrelay::adapters::aws::replay::Deliveries;
use std::collections::BTreeMap;

/// DESIGN.md §9: deliveries/s the hottest key must allow.
pub const SHARED_TARGET: f64 = 100_000.0;
pub const ACCOUNT_TARGET: f64 = 5_000.0;
pub const WEBHOOK_TARGET: f64 = 2_000.0;
/// Scheduler calls/s at most, at `SCALE_RATE` deliveries/s with `SCALE_FAILING` failing.
pub const SCHEDULER_TARGET: f64 = 500.0;
pub const SCALE_RATE: f64 = 100_000.0;
pub const SCALE_FAILING: f64 = 0.10;

pub struct PartitionReport {
    pub loads: Vec<FamilyLoad>,
    pub deliveries: Deliveries,
    /// Ids of the workload's accounts and webhooks, by label.
    pub labels: BTreeMap<String, String>,
    /// The accounts the account target is for (fan-out 1 and fan-out 100).
    pub target_accounts: Vec<String>,
    /// Calls by origin and action.
    pub calls: BTreeMap<(&'static str, String), usize>,
    pub scheduler: SchedulerCalls,
    /// Anything the replay could not account for, or got wrong.
    pub problems: Vec<String>,
    pub seconds: f64,
    pub retry_schedule: Vec<u32>,
    /// Batches the delivery function got, and their messages.
    pub batches: (u64, u64),
    pub refills: Vec<Refills>,
}

/// Scheduler calls by purpose, from the functions' calls, and the waits
/// Calls by origin and action.
pub fn call_counts(calls: &[Call]) -> BTreeMap<(&'static str, String), usize> {
    let mut counted = BTreeMap::new();
    for call in calls {
        *counted
            .entry((call.origin, call.action.clone()))
            .or_default() += 1;
    }
    counted
}

pub(super) fn rate_text(rate: f64) -> String {
    if rate.is_infinite() {
        return "no load".into();
    }
    let whole = rate.round() as u64;
    let digits = whole.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

pub(super) fn verdict(rate: f64, target: f64) -> &'static str {
    if rate >= target {
        "met"
    } else {
        "NOT MET"
    }
}

impl PartitionReport {
    pub(super) fn label(&self, text: &str) -> String {
        let mut labelled = text.to_owned();
        for (id, label) in &self.labels {
            labelled = labelled.replace(id.as_str(), &format!("<{label}>"));
        }
        labelled
    }

    /// The family load in `class` (and `scope`, when given) whose key
    /// reaches a limit first, spread over its shards.
    pub fn hottest(&self, class: Class, scope: Option<&str>) -> Option<&FamilyLoad> {
        self.loads
            .iter()
            .filter(|l| l.class == class && (scope.is_none() || l.scope.as_deref() == scope))
            .min_by(|a, b| a.rate_per_shard().total_cmp(&b.rate_per_shard()))
    }

    /// Scheduler calls/s at 100,000 deliveries/s with 10 % failing.
    pub fn scheduler_at_scale(&self) -> f64 {
        self.scheduler.at_scale()
    }

    /// Every target the design misses, one line each.
    pub fn shortfalls(&self) -> Vec<String> {
        let mut short = Vec::new();
        let mut check = |what: String, found: Option<&FamilyLoad>, target: f64| {
            let rate = found.map_or(f64::INFINITY, FamilyLoad::rate_per_shard);
            if rate < target {
                let family = found.map(|l| l.family.clone()).unwrap_or_default();
                short.push(format!(
                    "{what}: {} deliveries/s ({family}), target {}",
                    rate_text(rate),
                    rate_text(target)
                ));
            }
        };
        check(
            "keys shared by all".into(),
            self.hottest(Class::Shared, None),
            SHARED_TARGET,
        );
        for account in &self.target_accounts {
            let found = self.hottest(Class::Account, Some(account));
            check(
                format!("account {}", self.label(account)),
                found,
                ACCOUNT_TARGET,
            );
        }
        check(
            "one webhook's keys".into(),
            self.hottest(Class::Webhook, None),
            WEBHOOK_TARGET,
        );
        if self.scheduler_at_scale() > SCHEDULER_TARGET {
            short.push(format!(
                "Scheduler: {} calls/s at 100,000 deliveries/s with 10 % failing, target ≤ 500",
                rate_text(self.scheduler_at_scale())
            ));
        }
        short
    }
}
