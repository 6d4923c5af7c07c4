use crate::domain::time::Timestamp;
use crate::ports::clock::Clock;
use crate::ports::queue::{DeliveryMessage, Enqueue, Queue, QueueError, Received, Scheduler};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;

struct Stored {
    id: u64,
    body: String,
    visible_at: Timestamp,
    receive_count: u32,
}

/// An SQS-like queue in memory: delays and visibility follow the `Clock`, so
/// a test clock controls them.
pub struct MemoryQueue {
    clock: Arc<dyn Clock>,
    visibility_seconds: i64,
    messages: Mutex<(u64, Vec<Stored>)>,
    arrived: Notify,
}

impl MemoryQueue {
    pub fn new(clock: Arc<dyn Clock>, visibility: Duration) -> Self {
        Self {
            clock,
            visibility_seconds: i64::try_from(visibility.as_secs()).unwrap_or(i64::MAX),
            messages: Mutex::new((0, Vec::new())),
            arrived: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, (u64, Vec<Stored>)> {
        self.messages.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn take_visible(&self, max: usize) -> Vec<Received> {
        let now = self.clock.now();
        let hidden_until = now.plus_seconds(self.visibility_seconds);
        let mut guard = self.lock();
        guard
            .1
            .iter_mut()
            .filter(|m| m.visible_at <= now)
            .take(max)
            .map(|m| {
                m.visible_at = hidden_until;
                m.receive_count += 1;
                Received {
                    message_id: m.id.to_string(),
                    receipt_handle: format!("{}:{}", m.id, m.receive_count),
                    body: m.body.clone(),
                    receive_count: m.receive_count,
                }
            })
            .collect()
    }
}

#[async_trait]
impl Queue for MemoryQueue {
    async fn send(&self, messages: &[Enqueue]) -> Result<(), QueueError> {
        let now = self.clock.now();
        {
            let mut guard = self.lock();
            for entry in messages {
                guard.0 += 1;
                let id = guard.0;
                guard.1.push(Stored {
                    id,
                    body: entry.message.to_json(),
                    visible_at: now.plus_seconds(entry.delay_seconds.into()),
                    receive_count: 0,
                });
            }
        }
        self.arrived.notify_waiters();
        Ok(())
    }

    async fn receive(&self, max: usize, wait: Duration) -> Result<Vec<Received>, QueueError> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let found = self.take_visible(max);
            if !found.is_empty() || tokio::time::Instant::now() >= deadline {
                return Ok(found);
            }
            // Woken by a send, or re-checked shortly for delays coming due.
            let nap = deadline
                .saturating_duration_since(tokio::time::Instant::now())
                .min(Duration::from_millis(20));
            let _ = tokio::time::timeout(nap, self.arrived.notified()).await;
        }
    }

    async fn delete(&self, receipt_handle: &str) -> Result<(), QueueError> {
        self.lock()
            .1
            .retain(|m| format!("{}:{}", m.id, m.receive_count) != receipt_handle);
        Ok(())
    }
}

/// One-time schedules in memory; the local runner fires the due ones.
#[derive(Default)]
pub struct MemoryScheduler {
    schedules: Mutex<BTreeMap<String, (Timestamp, DeliveryMessage)>>,
}

impl MemoryScheduler {
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl Scheduler for MemoryScheduler {
    async fn schedule(
        &self,
        name: &str,
        at: Timestamp,
        message: &DeliveryMessage,
    ) -> Result<(), QueueError> {
        self.schedules
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(name.to_owned())
            .or_insert_with(|| (at, message.clone()));
        Ok(())
    }

    async fn due(&self, now: Timestamp) -> Result<Vec<(String, DeliveryMessage)>, QueueError> {
        let schedules = self.schedules.lock().unwrap_or_else(|p| p.into_inner());
        Ok(schedules
            .iter()
            .filter(|(_, (at, _))| *at <= now)
            .map(|(name, (_, message))| (name.clone(), message.clone()))
            .collect())
    }

    async fn remove(&self, name: &str) -> Result<(), QueueError> {
        self.schedules
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name);
        Ok(())
    }
}
