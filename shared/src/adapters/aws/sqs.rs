//! The delivery queue on SQS.

use crate::ports::queue::{bodies, Enqueue, Queue, QueueError, Received};
use async_trait::async_trait;
use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::types::{
    MessageSystemAttributeName, QueueAttributeName, SendMessageBatchRequestEntry,
};
use aws_sdk_sqs::Client;
use std::time::Duration;

fn unavailable(err: impl std::error::Error) -> QueueError {
    QueueError(DisplayErrorContext(err).to_string())
}

/// Where a queue is.
#[derive(Clone, Debug)]
pub struct QueueInfo {
    pub url: String,
    pub arn: String,
}

pub struct SqsQueue {
    client: Client,
    url: String,
}

/// A batch entry that failed is retried this many times before the send fails.
const SEND_TRIES: usize = 3;

impl SqsQueue {
    pub fn new(client: Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    /// The client's timeouts, each longer by `wait`: a long poll answers only
    /// after `wait` when the queue is empty, which is no stall.
    fn long_poll(&self, wait: Duration) -> aws_sdk_sqs::config::Builder {
        let mut config = aws_sdk_sqs::config::Builder::default();
        if let Some(timeouts) = self.client.config().timeout_config() {
            let longer = |limit: Option<Duration>| limit.map(|limit| limit + wait);
            let mut builder = timeouts.to_builder();
            builder
                .set_operation_attempt_timeout(longer(timeouts.operation_attempt_timeout()))
                .set_operation_timeout(longer(timeouts.operation_timeout()));
            config.set_timeout_config(Some(builder.build()));
        }
        config
    }

    /// Creates `name` and its dead-letter queue `name-dlq` (after 5 receives)
    /// if missing (local mode and tests; deployments get them from template.yaml).
    pub async fn ensure(
        client: &Client,
        name: &str,
        visibility: Duration,
    ) -> Result<QueueInfo, QueueError> {
        let dlq = Self::create(client, &format!("{name}-dlq"), &[]).await?;
        let redrive = format!(
            r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":"5"}}"#,
            dlq.arn
        );
        let visibility = visibility.as_secs().to_string();
        Self::create(
            client,
            name,
            &[
                (QueueAttributeName::RedrivePolicy, redrive),
                (QueueAttributeName::VisibilityTimeout, visibility),
            ],
        )
        .await
    }

    async fn create(
        client: &Client,
        name: &str,
        attributes: &[(QueueAttributeName, String)],
    ) -> Result<QueueInfo, QueueError> {
        let mut request = client.create_queue().queue_name(name);
        for (key, value) in attributes {
            request = request.attributes(key.clone(), value);
        }
        let url = request
            .send()
            .await
            .map_err(unavailable)?
            .queue_url
            .unwrap_or_default();
        let arn = client
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(unavailable)?
            .attributes
            .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
            .ok_or_else(|| QueueError(format!("queue {name} has no ARN")))?;
        Ok(QueueInfo { url, arn })
    }
}

#[async_trait]
impl Queue for SqsQueue {
    async fn send(&self, messages: &[Enqueue]) -> Result<(), QueueError> {
        // What SQS would refuse, refused here with a clear error (emulators take it).
        let bodies = bodies(messages, "SQS")?;
        let sends: Vec<(&String, &Enqueue)> = bodies.iter().zip(messages).collect();
        for chunk in sends.chunks(10) {
            let mut pending: Vec<(usize, &(&String, &Enqueue))> =
                chunk.iter().enumerate().collect();
            for _ in 0..SEND_TRIES {
                let entries = pending
                    .iter()
                    .map(|(i, (body, m))| {
                        SendMessageBatchRequestEntry::builder()
                            .id(i.to_string())
                            .message_body(*body)
                            .delay_seconds(i32::try_from(m.delay_seconds.min(900)).unwrap_or(900))
                            .build()
                            .map_err(unavailable)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let answer = self
                    .client
                    .send_message_batch()
                    .queue_url(&self.url)
                    .set_entries(Some(entries))
                    .send()
                    .await
                    .map_err(unavailable)?;
                let failed: Vec<String> = answer.failed.iter().map(|f| f.id.clone()).collect();
                pending.retain(|(i, _)| failed.contains(&i.to_string()));
                if pending.is_empty() {
                    break;
                }
            }
            if !pending.is_empty() {
                return Err(QueueError(format!(
                    "SQS refused {} of the messages",
                    pending.len()
                )));
            }
        }
        Ok(())
    }

    async fn receive(&self, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError> {
        let wait_seconds = wait.as_secs().min(20);
        let answer = self
            .client
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(i32::try_from(max.clamp(1, 10)).unwrap_or(10))
            .wait_time_seconds(i32::try_from(wait_seconds).unwrap_or(20))
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .customize()
            .config_override(self.long_poll(Duration::from_secs(wait_seconds)))
            .send()
            .await
            .map_err(unavailable)?;
        Ok(answer
            .messages
            .unwrap_or_default()
            .into_iter()
            .map(|m| Received {
                receive_count: m
                    .attributes
                    .as_ref()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1),
                message_id: m.message_id.unwrap_or_default(),
                receipt_handle: m.receipt_handle.unwrap_or_default(),
                body: m.body.unwrap_or_default(),
            })
            .collect())
    }

    async fn delete(&self, receipt_handle: &str) -> Result<(), QueueError> {
        self.client
            .delete_message()
            .queue_url(&self.url)
            .receipt_handle(receipt_handle)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
