//! Scheduler calls the functions made, and their extrapolation to scale.

use super::super::functions::AWS_OWN;
use hookrelay::adapters::aws::calls::Call;
use hookrelay::config::DEFAULT_RETRY_SCHEDULE;
use hookrelay::domain::wake::{MAX_QUEUE_DELAY_SECONDS, WAKE_GROUPS};
use serde_json::Value;

/// Scheduler calls the functions made, and what they were for.
#[derive(Clone, Debug, Default)]
pub struct SchedulerCalls {
    /// CreateSchedule calls (each for a wake bucket).
    pub creates: usize,
    /// The distinct wake buckets they were for.
    pub buckets: usize,
    /// Any other Scheduler call a function made.
    pub other: usize,
    /// Waits beyond the queue's reach the deliveries took: each one a write
    /// into a wake bucket (its gsi4 entry in an `L#` partition).
    pub long_waits: usize,
    /// Of them, first attempts delayed over 900 s.
    pub long_delayed: usize,
}

/// Steps of `schedule` whose wait (± 20 % jitter) can exceed what SQS holds.
pub(super) fn long_steps(schedule: &[u32]) -> usize {
    let limit = f64::from(MAX_QUEUE_DELAY_SECONDS);
    schedule
        .iter()
        .filter(|s| 1.2 * f64::from(**s) > limit)
        .count()
}

impl SchedulerCalls {
    /// CreateSchedule calls per wake bucket (1: each bucket's schedule made once).
    pub fn per_bucket(&self) -> f64 {
        self.creates as f64 / self.buckets.max(1) as f64
    }

    /// Scheduler calls/s at scale, whatever the delivery rate: a bucket's
    /// schedule is made once, so calls follow the due minutes that come into
    /// use. Each real minute, every wait length (each long step of the
    /// default retry schedule, and the horizon of delays up to a week) brings
    /// one new due minute into use, in each of the `WAKE_GROUPS` groups.
    pub fn at_scale(&self) -> f64 {
        let lengths = long_steps(&DEFAULT_RETRY_SCHEDULE) as f64 + 1.0;
        f64::from(WAKE_GROUPS) * lengths / 60.0 * self.per_bucket()
    }
}

/// What one warm sender's cache refills cost an account per minute (it
/// reads each webhook once, and notes an outcome on it once): units by key
/// family and index.
/// beyond the queue's reach their writes recorded.
pub fn scheduler_calls(calls: &[Call]) -> SchedulerCalls {
    let mut counted = SchedulerCalls::default();
    let mut buckets = std::collections::BTreeSet::new();
    for call in calls.iter().filter(|c| c.origin != AWS_OWN) {
        let body = call.body.as_deref().unwrap_or_default();
        match call.action.as_str() {
            "scheduler:CreateSchedule" => {
                counted.creates += 1;
                let request: Value = serde_json::from_str(body).unwrap_or(Value::Null);
                let input = request["Target"]["Input"].as_str().unwrap_or("{}");
                let message: Value = serde_json::from_str(input).unwrap_or(Value::Null);
                buckets.insert(message["bucket"].to_string());
            }
            action if action.starts_with("scheduler:") => counted.other += 1,
            "dynamodb:UpdateItem" | "dynamodb:PutItem" | "dynamodb:BatchWriteItem" => {
                counted.long_waits += body.matches("{\"S\":\"L#").count();
            }
            _ => {}
        }
    }
    counted.buckets = buckets.len();
    counted
}
