//! What happens after an attempt: delivered, another try after a wait, or failed.

use crate::ports::random::Random;
use serde::{Deserialize, Serialize};

/// The waits between attempts (`HOOKRELAY_RETRY_SCHEDULE`); attempts = waits + 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    waits: Vec<u32>,
}

/// The decision after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Delivered,
    RetryAfter { seconds: u32 },
    Failed,
}

impl RetryPolicy {
    pub fn new(waits: Vec<u32>) -> Self {
        Self { waits }
    }

    pub fn max_attempts(&self) -> u32 {
        u32::try_from(self.waits.len())
            .unwrap_or(u32::MAX)
            .saturating_add(1)
    }

    /// `attempts` counts the attempt just made. A 2xx delivers; 410 Gone and
    /// the last attempt fail; otherwise the schedule's next wait with ±20 %
    /// jitter, or a 429/503 `Retry-After` kept within [wait, 2 × wait].
    pub fn next(
        &self,
        attempts: u32,
        status: u16,
        retry_after: Option<u32>,
        random: &dyn Random,
    ) -> Next {
        if (200..300).contains(&status) {
            return Next::Delivered;
        }
        if status == 410 {
            return Next::Failed;
        }
        let Some(&wait) = usize::try_from(attempts)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.waits.get(i))
        else {
            return Next::Failed;
        };
        let seconds = match retry_after {
            Some(asked) if matches!(status, 429 | 503) => asked.clamp(wait, wait.saturating_mul(2)),
            _ => jitter(wait, random),
        };
        Next::RetryAfter { seconds }
    }
}

/// A webhook's own waits between attempts, in place of the deployment's
/// (`HOOKRELAY_RETRY_SCHEDULE`): 1–20 steps of 1 s to a day each (retries
/// go on "for about a day"; twenty of the longest, doubled, with the
/// longest delay, still fit the default retention). That it
/// fits the retention is the deployment's rule (`Settings::check_retry_schedule`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u32>", into = "Vec<u32>")]
pub struct RetrySchedule(Vec<u32>);

impl RetrySchedule {
    pub const MAX_STEPS: usize = 20;
    pub const MAX_WAIT_SECONDS: u32 = 86_400;

    pub fn new(waits: Vec<u32>) -> Result<Self, String> {
        if waits.is_empty() || waits.len() > Self::MAX_STEPS {
            return Err(format!("must list 1 to {} waits", Self::MAX_STEPS));
        }
        if waits
            .iter()
            .any(|w| !(1..=Self::MAX_WAIT_SECONDS).contains(w))
        {
            let most = Self::MAX_WAIT_SECONDS;
            return Err(format!("each wait must be 1 to {most} seconds"));
        }
        Ok(Self(waits))
    }

    pub fn waits(&self) -> &[u32] {
        &self.0
    }

    /// The policy it makes: attempts are its waits and one.
    pub fn policy(&self) -> RetryPolicy {
        RetryPolicy::new(self.0.clone())
    }
}

impl TryFrom<Vec<u32>> for RetrySchedule {
    type Error = String;
    fn try_from(waits: Vec<u32>) -> Result<Self, String> {
        Self::new(waits)
    }
}

impl From<RetrySchedule> for Vec<u32> {
    fn from(schedule: RetrySchedule) -> Self {
        schedule.0
    }
}

/// `wait` scaled by a uniform factor in [0.8, 1.2].
fn jitter(wait: u32, random: &dyn Random) -> u32 {
    let mut bytes = [0u8; 4];
    random.fill(&mut bytes);
    let unit = f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX);
    let scaled = f64::from(wait) * (0.8 + 0.4 * unit);
    // Bounded by 1.2 × u32::MAX before the cast; saturates if ever larger.
    scaled.round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DEFAULT_RETRY_SCHEDULE;

    /// Returns the same byte everywhere: 0x00 is the low end, 0xff the high end.
    struct Fixed(u8);
    impl Random for Fixed {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(self.0);
        }
    }

    fn policy() -> RetryPolicy {
        RetryPolicy::new(DEFAULT_RETRY_SCHEDULE.to_vec())
    }

    #[test]
    fn default_schedule_is_eight_attempts_over_about_27_hours() {
        assert_eq!(policy().max_attempts(), 8);
        let total: u32 = DEFAULT_RETRY_SCHEDULE.iter().sum();
        assert_eq!(total, 99_305); // 27.6 h
    }

    #[test]
    fn success_delivers_and_gone_fails_at_once() {
        assert_eq!(policy().next(1, 200, None, &Fixed(0)), Next::Delivered);
        assert_eq!(policy().next(1, 204, None, &Fixed(0)), Next::Delivered);
        assert_eq!(policy().next(1, 410, None, &Fixed(0)), Next::Failed);
    }

    #[test]
    fn failures_follow_the_schedule_with_twenty_percent_jitter() {
        // (attempt, status, random byte, seconds to wait): 0x00 and 0xff are
        // the ends of the jitter.
        for (attempt, status, random, seconds) in [
            (1, 500, 0, 4),
            (1, 0, 0xff, 6),
            (2, 302, 0, 240),
            (7, 500, 0xff, 43_200),
        ] {
            assert_eq!(
                policy().next(attempt, status, None, &Fixed(random)),
                Next::RetryAfter { seconds },
                "attempt {attempt}, status {status}"
            );
        }
        assert_eq!(policy().next(8, 500, None, &Fixed(0)), Next::Failed);
    }

    #[test]
    fn retry_after_is_honoured_within_one_to_two_steps() {
        let p = policy();
        assert_eq!(
            p.next(2, 429, Some(1), &Fixed(0)),
            Next::RetryAfter { seconds: 300 }
        );
        assert_eq!(
            p.next(2, 503, Some(450), &Fixed(0)),
            Next::RetryAfter { seconds: 450 }
        );
        assert_eq!(
            p.next(2, 429, Some(99_999), &Fixed(0)),
            Next::RetryAfter { seconds: 600 }
        );
        // Only 429 and 503 carry a meaningful Retry-After.
        assert_eq!(
            p.next(2, 500, Some(450), &Fixed(0)),
            Next::RetryAfter { seconds: 240 }
        );
    }
}
