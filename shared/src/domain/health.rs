//! Endpoint health: a webhook's run of failed deliveries, and the rule that
//! switches off one that keeps failing (DESIGN.md §8).

use crate::domain::delivery::DeliveryStatus;
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A webhook's current run of failed deliveries (the auto-disable rule's input).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Deliveries that ended `failed` since the last one delivered.
    #[serde(default)]
    pub consecutive_failures: u32,
    /// When the first of them ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success_at: Option<Timestamp>,
}

impl Health {
    /// The health after a delivery ended (or was retried) with `status` at `at`.
    pub fn after(self, status: DeliveryStatus, at: Timestamp) -> Self {
        use DeliveryStatus::{Delivered, Failed};
        match status {
            Delivered => Self {
                consecutive_failures: 0,
                failing_since: None,
                last_success_at: Some(at),
            },
            Failed => Self {
                consecutive_failures: self.consecutive_failures.saturating_add(1),
                failing_since: self.failing_since.or(Some(at)),
                ..self
            },
            _ => self,
        }
    }
}

/// `HOOKRELAY_DISABLE_AFTER_FAILURES` and `HOOKRELAY_DISABLE_AFTER_SECONDS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthPolicy {
    /// Consecutive failed deliveries that switch a webhook off; 0: never.
    pub after_failures: u32,
    /// ...and for at least this long without a success.
    pub after_seconds: u32,
}

impl Default for HealthPolicy {
    fn default() -> Self {
        Self {
            after_failures: 50,
            after_seconds: 432_000,
        }
    }
}

/// What the rule makes of a webhook just after one of its deliveries failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Healthy,
    /// Half-way to the threshold: say so, once per run of failures.
    Failing,
    /// Switch it off.
    Disable,
}

impl HealthPolicy {
    /// For an enabled webhook created at `created_at` with `health`.
    pub fn verdict(&self, health: &Health, created_at: Timestamp, now: Timestamp) -> Verdict {
        let failures = health.consecutive_failures;
        if self.after_failures == 0 {
            return Verdict::Healthy;
        }
        let quiet_since = health.last_success_at.unwrap_or(created_at);
        let quiet_seconds = (now.millis() - quiet_since.millis()) / 1000;
        if failures >= self.after_failures && quiet_seconds >= i64::from(self.after_seconds) {
            Verdict::Disable
        } else if self.after_failures >= 2 && failures == self.after_failures / 2 {
            Verdict::Failing
        } else {
            Verdict::Healthy
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_millis(seconds * 1000).unwrap()
    }

    fn failed(times: u32, from: i64) -> Health {
        (0..times).fold(Health::default(), |h, i| {
            h.after(DeliveryStatus::Failed, at(from + i64::from(i)))
        })
    }

    #[test]
    fn failures_count_up_and_a_success_resets_them() {
        let health = failed(3, 10);
        assert_eq!(health.consecutive_failures, 3);
        assert_eq!(health.failing_since, Some(at(10)));
        let retried = health.after(DeliveryStatus::Scheduled, at(20));
        assert_eq!(retried, health);
        let healed = health.after(DeliveryStatus::Delivered, at(30));
        assert_eq!(healed.consecutive_failures, 0);
        assert_eq!(healed.failing_since, None);
        assert_eq!(healed.last_success_at, Some(at(30)));
    }

    #[test]
    fn the_rule_needs_both_the_count_and_the_quiet_time() {
        let policy = HealthPolicy {
            after_failures: 4,
            after_seconds: 100,
        };
        let created = at(0);
        let cases = [
            (1, 200, Verdict::Healthy),
            (2, 200, Verdict::Failing),
            (3, 200, Verdict::Healthy),
            (4, 50, Verdict::Healthy),
            (4, 100, Verdict::Disable),
        ];
        for (failures, now, verdict) in cases {
            let got = policy.verdict(&failed(failures, 10), created, at(now));
            assert_eq!(got, verdict, "{failures} failures at {now} s");
        }
        let recent_success = Health {
            last_success_at: Some(at(90)),
            ..failed(5, 91)
        };
        assert_eq!(
            policy.verdict(&recent_success, created, at(150)),
            Verdict::Healthy
        );
        assert_eq!(
            policy.verdict(&recent_success, created, at(190)),
            Verdict::Disable
        );
    }

    #[test]
    fn zero_failures_turns_the_rule_off() {
        let off = HealthPolicy {
            after_failures: 0,
            after_seconds: 0,
        };
        assert_eq!(
            off.verdict(&failed(1000, 0), at(0), at(1_000_000)),
            Verdict::Healthy
        );
    }
}
