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
        let mut seen = Outcomes::default();
        seen.add(status, at);
        seen.apply(self)
    }
}

/// The outcome of a webhook's latest attempt, as its views show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastDelivery {
    /// The delivery's status after that attempt: delivered, scheduled (a retry
    /// follows) or failed.
    pub last_delivery_status: DeliveryStatus,
    pub last_delivery_at: Timestamp,
}

/// What a sender saw of one webhook's deliveries since it last wrote them
/// down: written with one write per batch, which both stores apply to the
/// stored health as `apply` does (so concurrent senders count every failure).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// The latest (`last_delivery_*`).
    pub last: Option<LastDelivery>,
    /// The latest delivered one: the run of failures starts again there.
    pub success_at: Option<Timestamp>,
    /// Deliveries that ended `failed` after it (or since the last write).
    pub failures: u32,
    pub first_failure_at: Option<Timestamp>,
}

impl Outcomes {
    /// Notes a delivery's outcome (delivered, scheduled for a retry, failed).
    pub fn add(&mut self, status: DeliveryStatus, at: Timestamp) {
        self.last = Some(LastDelivery {
            last_delivery_status: status,
            last_delivery_at: at,
        });
        match status {
            DeliveryStatus::Delivered => {
                self.success_at = Some(at);
                self.failures = 0;
                self.first_failure_at = None;
            }
            DeliveryStatus::Failed => {
                self.failures = self.failures.saturating_add(1);
                self.first_failure_at.get_or_insert(at);
            }
            _ => {}
        }
    }

    /// These outcomes followed by `later` (a failed write's, kept for the next).
    pub fn then(self, later: Self) -> Self {
        if later.success_at.is_some() {
            return Self {
                last: later.last.or(self.last),
                ..later
            };
        }
        Self {
            last: later.last.or(self.last),
            success_at: self.success_at,
            failures: self.failures.saturating_add(later.failures),
            first_failure_at: self.first_failure_at.or(later.first_failure_at),
        }
    }

    /// The stored `health` after these outcomes.
    pub fn apply(&self, health: Health) -> Health {
        match self.success_at {
            Some(success) => Health {
                consecutive_failures: self.failures,
                failing_since: self.first_failure_at,
                last_success_at: Some(success),
            },
            None => Health {
                consecutive_failures: health.consecutive_failures.saturating_add(self.failures),
                failing_since: health.failing_since.or(self.first_failure_at),
                last_success_at: health.last_success_at,
            },
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
    /// For an enabled webhook created at `created_at` with `health`, just
    /// after `added` failures were counted (the write that crosses half the
    /// threshold is the one that says so).
    pub fn verdict(
        &self,
        health: &Health,
        created_at: Timestamp,
        now: Timestamp,
        added: u32,
    ) -> Verdict {
        let failures = health.consecutive_failures;
        if self.after_failures == 0 {
            return Verdict::Healthy;
        }
        let quiet_since = health.last_success_at.unwrap_or(created_at);
        let quiet_seconds = (now.millis() - quiet_since.millis()) / 1000;
        if failures >= self.after_failures && quiet_seconds >= i64::from(self.after_seconds) {
            Verdict::Disable
        } else if self.after_failures >= 2
            && failures >= self.after_failures / 2
            && failures.saturating_sub(added) < self.after_failures / 2
        {
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
            let got = policy.verdict(&failed(failures, 10), created, at(now), 1);
            assert_eq!(got, verdict, "{failures} failures at {now} s");
        }
        let recent_success = Health {
            last_success_at: Some(at(90)),
            ..failed(5, 91)
        };
        assert_eq!(
            policy.verdict(&recent_success, created, at(150), 1),
            Verdict::Healthy
        );
        assert_eq!(
            policy.verdict(&recent_success, created, at(190), 1),
            Verdict::Disable
        );
    }

    #[test]
    fn a_batch_that_crosses_half_the_threshold_says_failing_once() {
        let policy = HealthPolicy {
            after_failures: 10,
            after_seconds: 1_000_000,
        };
        let verdict = |failures, added| policy.verdict(&failed(failures, 10), at(0), at(20), added);
        assert_eq!(verdict(7, 3), Verdict::Failing, "4..=7 crosses 5");
        assert_eq!(verdict(5, 1), Verdict::Failing);
        assert_eq!(verdict(8, 3), Verdict::Healthy, "5 was crossed before");
        assert_eq!(verdict(4, 4), Verdict::Healthy);
    }

    #[test]
    fn outcomes_apply_in_order_and_keep_for_the_next_write() {
        let mut first = Outcomes::default();
        first.add(DeliveryStatus::Failed, at(1));
        first.add(DeliveryStatus::Scheduled, at(2));
        let mut later = Outcomes::default();
        later.add(DeliveryStatus::Delivered, at(3));
        later.add(DeliveryStatus::Failed, at(4));
        let stored = failed(3, 0);
        let one_by_one = [
            (1, DeliveryStatus::Failed),
            (2, DeliveryStatus::Scheduled),
            (3, DeliveryStatus::Delivered),
            (4, DeliveryStatus::Failed),
        ]
        .into_iter()
        .fold(stored, |h, (t, status)| h.after(status, at(t)));
        assert_eq!(first.clone().then(later.clone()).apply(stored), one_by_one);
        assert_eq!(later.apply(first.apply(stored)), one_by_one);
        assert_eq!(first.apply(stored).consecutive_failures, 4);
    }

    #[test]
    fn zero_failures_turns_the_rule_off() {
        let off = HealthPolicy {
            after_failures: 0,
            after_seconds: 0,
        };
        assert_eq!(
            off.verdict(&failed(1000, 0), at(0), at(1_000_000), 1),
            Verdict::Healthy
        );
    }
}
