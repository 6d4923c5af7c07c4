//! Long waits on EventBridge Scheduler: a one-time `at()` schedule per wake
//! bucket (`domain::wake`), deleted after it fires, whose target puts the
//! bucket's wake message on the delivery queue.
//! With a dead-letter queue configured, a message Scheduler could not put on
//! the delivery queue (after its retries) is parked there instead of lost.

use crate::domain::time::Timestamp;
use crate::ports::queue::{QueueError, QueueMessage, Schedule, Scheduler};
use async_trait::async_trait;
use aws_sdk_scheduler::error::BuildError;
use aws_sdk_scheduler::error::{DisplayErrorContext, SdkError};
use aws_sdk_scheduler::types::{
    ActionAfterCompletion, DeadLetterConfig, FlexibleTimeWindow, FlexibleTimeWindowMode,
    RetryPolicy, Target,
};
use aws_sdk_scheduler::Client;
use chrono::{DateTime, NaiveDateTime};

fn unavailable(err: impl std::error::Error) -> QueueError {
    QueueError(DisplayErrorContext(err).to_string())
}

/// A call's answer, where the service refusing it as `done` (a retried
/// create, a delete of what is gone already) means the work is done.
fn done_or<T, E, R>(
    answer: Result<T, SdkError<E, R>>,
    done: impl Fn(&E) -> bool,
) -> Result<(), QueueError>
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match answer {
        Ok(_) => Ok(()),
        Err(err) if err.as_service_error().is_some_and(done) => Ok(()),
        Err(err) => Err(unavailable(err)),
    }
}

/// `at(...)` in UTC, rounded up to the second (never early); an error for a
/// time chrono cannot show (never a schedule for 1970).
fn at_expression(at: Timestamp) -> Result<String, QueueError> {
    let seconds = at.millis().div_euclid(1000) + i64::from(at.millis().rem_euclid(1000) > 0);
    let when = DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| QueueError(format!("a schedule time out of range: {seconds} s")))?;
    Ok(format!("at({})", when.format("%Y-%m-%dT%H:%M:%S")))
}

fn parse_at(expression: &str) -> Option<Timestamp> {
    let inner = expression.strip_prefix("at(")?.strip_suffix(')')?;
    let when = NaiveDateTime::parse_from_str(inner, "%Y-%m-%dT%H:%M:%S").ok()?;
    Some(Timestamp::from_datetime(when.and_utc()))
}

/// How long, and how many times, Scheduler retries putting a fired schedule's
/// message on the queue before it goes to the dead-letter queue (the maximums).
const RETRY_MAX_EVENT_AGE_SECONDS: i32 = 86_400;
const RETRY_MAX_ATTEMPTS: i32 = 185;

/// A schedule's target: `input` to the queue as the role, and, with a
/// dead-letter queue, the retry policy and where the message goes after it.
fn target(
    queue_arn: &str,
    role_arn: &str,
    dead_letter_arn: Option<&str>,
    input: String,
) -> Result<Target, BuildError> {
    let mut target = Target::builder()
        .arn(queue_arn)
        .role_arn(role_arn)
        .input(input);
    if let Some(dlq) = dead_letter_arn {
        target = target
            .dead_letter_config(DeadLetterConfig::builder().arn(dlq).build())
            .retry_policy(
                RetryPolicy::builder()
                    .maximum_event_age_in_seconds(RETRY_MAX_EVENT_AGE_SECONDS)
                    .maximum_retry_attempts(RETRY_MAX_ATTEMPTS)
                    .build(),
            );
    }
    target.build()
}

pub struct EventBridgeScheduler {
    client: Client,
    group: String,
    queue_arn: String,
    role_arn: String,
    dead_letter_arn: Option<String>,
}

impl EventBridgeScheduler {
    pub fn new(
        client: Client,
        group: impl Into<String>,
        queue_arn: impl Into<String>,
        role_arn: impl Into<String>,
    ) -> Self {
        Self {
            client,
            group: group.into(),
            queue_arn: queue_arn.into(),
            role_arn: role_arn.into(),
            dead_letter_arn: None,
        }
    }

    /// Gives every schedule's target this SQS dead-letter queue (`None`: none)
    /// and a retry policy of 185 attempts within 24 h before it is used.
    pub fn with_dead_letter(mut self, queue_arn: Option<String>) -> Self {
        self.dead_letter_arn = queue_arn;
        self
    }

    /// Creates the schedule group if missing (local mode and tests).
    pub async fn ensure_group(client: &Client, group: &str) -> Result<(), QueueError> {
        let created = client.create_schedule_group().name(group).send().await;
        done_or(created, |e| e.is_conflict_exception())
    }
}

#[async_trait]
impl Scheduler for EventBridgeScheduler {
    async fn schedule(&self, schedule: &Schedule) -> Result<(), QueueError> {
        let window = FlexibleTimeWindow::builder()
            .mode(FlexibleTimeWindowMode::Off)
            .build()
            .map_err(unavailable)?;
        let target = target(
            &self.queue_arn,
            &self.role_arn,
            self.dead_letter_arn.as_deref(),
            schedule.message.to_json()?,
        )
        .map_err(unavailable)?;
        let created = self
            .client
            .create_schedule()
            .name(&schedule.name)
            .group_name(&self.group)
            .schedule_expression(at_expression(schedule.at)?)
            .schedule_expression_timezone("UTC")
            .flexible_time_window(window)
            .target(target)
            .action_after_completion(ActionAfterCompletion::Delete)
            .send()
            .await;
        // The same schedule made twice (a retried call): already there.
        done_or(created, |e| e.is_conflict_exception())
    }

    async fn due(&self, now: Timestamp) -> Result<Vec<(String, QueueMessage)>, QueueError> {
        let mut names = Vec::new();
        let mut pages = self
            .client
            .list_schedules()
            .group_name(&self.group)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            names.extend(
                page.map_err(unavailable)?
                    .schedules
                    .into_iter()
                    .filter_map(|s| s.name),
            );
        }
        let mut due = Vec::new();
        for name in names {
            let schedule = self
                .client
                .get_schedule()
                .group_name(&self.group)
                .name(&name)
                .send()
                .await
                .map_err(unavailable)?;
            let at = schedule.schedule_expression.as_deref().and_then(parse_at);
            if at.is_none_or(|at| at > now) {
                continue;
            }
            let input = schedule.target.and_then(|t| t.input).unwrap_or_default();
            match QueueMessage::from_json(&input) {
                Ok(message) => due.push((name, message)),
                Err(err) => {
                    tracing::warn!(schedule = %name, error = %err, "a schedule with a malformed input");
                }
            }
        }
        Ok(due)
    }

    async fn remove(&self, name: &str) -> Result<(), QueueError> {
        let deleted = self
            .client
            .delete_schedule()
            .group_name(&self.group)
            .name(name)
            .send()
            .await;
        done_or(deleted, |e| e.is_resource_not_found_exception())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_expressions_round_up_to_the_second_and_parse_back() {
        let t = Timestamp::parse("2026-11-22T12:00:00.001Z").unwrap();
        assert_eq!(
            at_expression(t).ok().as_deref(),
            Some("at(2026-11-22T12:00:01)")
        );
        let exact = Timestamp::parse("2026-11-22T12:00:00.000Z").unwrap();
        assert_eq!(
            at_expression(exact).ok().as_deref(),
            Some("at(2026-11-22T12:00:00)")
        );
        assert_eq!(
            parse_at("at(2026-11-22T12:00:01)"),
            Timestamp::parse("2026-11-22T12:00:01Z").ok()
        );
        assert_eq!(parse_at("rate(5 minutes)"), None);
    }

    #[test]
    fn a_target_has_a_dead_letter_queue_and_retry_policy_only_when_configured() {
        let queue = "arn:aws:sqs:eu-west-1:123456789012:deliveries";
        let role = "arn:aws:iam::123456789012:role/scheduler";
        let dlq = "arn:aws:sqs:eu-west-1:123456789012:schedule-dlq";
        let with = target(queue, role, Some(dlq), "{}".into()).unwrap();
        assert_eq!((with.arn(), with.role_arn()), (queue, role));
        assert_eq!(with.input(), Some("{}"));
        assert_eq!(with.dead_letter_config().and_then(|d| d.arn()), Some(dlq));
        let retry = with.retry_policy().unwrap();
        assert_eq!(
            (
                retry.maximum_event_age_in_seconds(),
                retry.maximum_retry_attempts()
            ),
            (Some(86_400), Some(185))
        );
        let without = target(queue, role, None, "{}".into()).unwrap();
        assert!(without.dead_letter_config().is_none());
        assert!(without.retry_policy().is_none());
    }
}
