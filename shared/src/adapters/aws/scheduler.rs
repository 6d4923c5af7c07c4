//! Long waits on EventBridge Scheduler: a one-time `at()` schedule per wait,
//! deleted after it fires, whose target puts the message on the delivery queue.

use crate::domain::time::Timestamp;
use crate::ports::queue::{DeliveryMessage, QueueError, Scheduler};
use async_trait::async_trait;
use aws_sdk_scheduler::error::DisplayErrorContext;
use aws_sdk_scheduler::types::{
    ActionAfterCompletion, FlexibleTimeWindow, FlexibleTimeWindowMode, Target,
};
use aws_sdk_scheduler::Client;
use chrono::{DateTime, NaiveDateTime};

fn unavailable(err: impl std::error::Error) -> QueueError {
    QueueError(DisplayErrorContext(err).to_string())
}

/// `at(...)` in UTC, rounded up to the second (never early).
fn at_expression(at: Timestamp) -> String {
    let seconds = at.millis().div_euclid(1000) + i64::from(at.millis().rem_euclid(1000) > 0);
    let when = DateTime::from_timestamp(seconds, 0).unwrap_or_default();
    format!("at({})", when.format("%Y-%m-%dT%H:%M:%S"))
}

fn parse_at(expression: &str) -> Option<Timestamp> {
    let inner = expression.strip_prefix("at(")?.strip_suffix(')')?;
    let when = NaiveDateTime::parse_from_str(inner, "%Y-%m-%dT%H:%M:%S").ok()?;
    Some(Timestamp::from_datetime(when.and_utc()))
}

pub struct EventBridgeScheduler {
    client: Client,
    group: String,
    queue_arn: String,
    role_arn: String,
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
        }
    }

    /// Creates the schedule group if missing (local mode and tests).
    pub async fn ensure_group(client: &Client, group: &str) -> Result<(), QueueError> {
        match client.create_schedule_group().name(group).send().await {
            Ok(_) => Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_conflict_exception()) =>
            {
                Ok(())
            }
            Err(err) => Err(unavailable(err)),
        }
    }
}

#[async_trait]
impl Scheduler for EventBridgeScheduler {
    async fn schedule(
        &self,
        name: &str,
        at: Timestamp,
        message: &DeliveryMessage,
    ) -> Result<(), QueueError> {
        let window = FlexibleTimeWindow::builder()
            .mode(FlexibleTimeWindowMode::Off)
            .build()
            .map_err(unavailable)?;
        let target = Target::builder()
            .arn(&self.queue_arn)
            .role_arn(&self.role_arn)
            .input(message.to_json())
            .build()
            .map_err(unavailable)?;
        let created = self
            .client
            .create_schedule()
            .name(name)
            .group_name(&self.group)
            .schedule_expression(at_expression(at))
            .schedule_expression_timezone("UTC")
            .flexible_time_window(window)
            .target(target)
            .action_after_completion(ActionAfterCompletion::Delete)
            .send()
            .await;
        match created {
            Ok(_) => Ok(()),
            // Same delivery attempt scheduled twice (a retried handler): already there.
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_conflict_exception()) =>
            {
                Ok(())
            }
            Err(err) => Err(unavailable(err)),
        }
    }

    async fn take_due(&self, now: Timestamp) -> Result<Vec<DeliveryMessage>, QueueError> {
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
            self.client
                .delete_schedule()
                .group_name(&self.group)
                .name(&name)
                .send()
                .await
                .map_err(unavailable)?;
            match DeliveryMessage::from_json(&input) {
                Ok(message) => due.push(message),
                Err(err) => {
                    tracing::warn!(schedule = %name, error = %err, "dropped a schedule with a malformed input")
                }
            }
        }
        Ok(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_expressions_round_up_to_the_second_and_parse_back() {
        let t = Timestamp::parse("2026-11-22T12:00:00.001Z").unwrap();
        assert_eq!(at_expression(t), "at(2026-11-22T12:00:01)");
        let exact = Timestamp::parse("2026-11-22T12:00:00.000Z").unwrap();
        assert_eq!(at_expression(exact), "at(2026-11-22T12:00:00)");
        assert_eq!(
            parse_at("at(2026-11-22T12:00:01)"),
            Timestamp::parse("2026-11-22T12:00:01Z").ok()
        );
        assert_eq!(parse_at("rate(5 minutes)"), None);
    }
}
