use crate::domain::time::Timestamp;
use crate::ports::clock::Clock;
use crate::ports::queue::{
    bodies, Enqueue, Queue, QueueError, QueueMessage, Received, Schedule, Scheduler,
};
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;

struct Stored {
    body: String,
    visible_at: Timestamp,
    receive_count: u32,
}

/// The messages, by id, and their ids in the order they become visible, so
/// a receive takes the visible ones from the front and every operation costs
/// O(log n) in the number of messages held.
#[derive(Default)]
struct Messages {
    next_id: u64,
    by_id: HashMap<u64, Stored>,
    by_visibility: BTreeSet<(Timestamp, u64)>,
}

/// A receipt handle names one receive of one message: `{id}:{receive_count}`
/// (a handle from an earlier receive no longer deletes it, as in SQS).
fn receipt_handle(id: u64, receive_count: u32) -> String {
    format!("{id}:{receive_count}")
}

fn parse_handle(handle: &str) -> Option<(u64, u32)> {
    let (id, count) = handle.split_once(':')?;
    Some((id.parse().ok()?, count.parse().ok()?))
}

/// An SQS-like queue in memory: delays and visibility follow the `Clock`, so
/// a test clock controls them.
pub struct MemoryQueue {
    clock: Arc<dyn Clock>,
    visibility_seconds: i64,
    messages: Mutex<Messages>,
    arrived: Notify,
}

impl MemoryQueue {
    pub fn new(clock: Arc<dyn Clock>, visibility: Duration) -> Self {
        Self {
            clock,
            visibility_seconds: i64::try_from(visibility.as_secs()).unwrap_or(i64::MAX),
            messages: Mutex::new(Messages::default()),
            arrived: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Messages> {
        self.messages.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn take_visible(&self, max: usize) -> Vec<Received> {
        let now = self.clock.now();
        let hidden_until = now.plus_seconds(self.visibility_seconds);
        let mut guard = self.lock();
        let messages = &mut *guard;
        let due: Vec<(Timestamp, u64)> = messages
            .by_visibility
            .iter()
            .take_while(|(at, _)| *at <= now)
            .take(max)
            .copied()
            .collect();
        let mut taken = Vec::with_capacity(due.len());
        for key in due {
            messages.by_visibility.remove(&key);
            let (_, id) = key;
            let Some(message) = messages.by_id.get_mut(&id) else {
                continue;
            };
            message.visible_at = hidden_until;
            message.receive_count += 1;
            messages.by_visibility.insert((hidden_until, id));
            taken.push(Received {
                message_id: id.to_string(),
                receipt_handle: receipt_handle(id, message.receive_count),
                body: message.body.clone(),
                receive_count: message.receive_count,
            });
        }
        taken
    }
}

#[async_trait]
impl Queue for MemoryQueue {
    async fn send(&self, messages: &[Enqueue]) -> Result<(), QueueError> {
        let bodies = bodies(messages, "the queue")?;
        let now = self.clock.now();
        {
            let mut guard = self.lock();
            for (entry, body) in messages.iter().zip(bodies) {
                guard.next_id += 1;
                let id = guard.next_id;
                let visible_at = now.plus_seconds(entry.delay_seconds.into());
                guard.by_id.insert(
                    id,
                    Stored {
                        body,
                        visible_at,
                        receive_count: 0,
                    },
                );
                guard.by_visibility.insert((visible_at, id));
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
        let Some((id, count)) = parse_handle(receipt_handle) else {
            return Ok(());
        };
        let mut guard = self.lock();
        let current = guard
            .by_id
            .get(&id)
            .filter(|m| m.receive_count == count)
            .map(|m| m.visible_at);
        if let Some(visible_at) = current {
            guard.by_id.remove(&id);
            guard.by_visibility.remove(&(visible_at, id));
        }
        Ok(())
    }
}

/// One-time schedules in memory, by name and by time; the local runner
/// fires the due ones. O(log n) per operation.
#[derive(Default)]
pub struct MemoryScheduler {
    schedules: Mutex<Schedules>,
}

#[derive(Default)]
struct Schedules {
    by_name: BTreeMap<String, (Timestamp, QueueMessage)>,
    by_time: BTreeSet<(Timestamp, String)>,
}

impl MemoryScheduler {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Schedules> {
        self.schedules.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl Scheduler for MemoryScheduler {
    async fn schedule(&self, schedule: &Schedule) -> Result<(), QueueError> {
        let Schedule { name, at, message } = schedule.clone();
        let mut schedules = self.lock();
        if !schedules.by_name.contains_key(&name) {
            schedules.by_time.insert((at, name.clone()));
            schedules.by_name.insert(name, (at, message));
        }
        Ok(())
    }

    async fn due(&self, now: Timestamp) -> Result<Vec<(String, QueueMessage)>, QueueError> {
        let schedules = self.lock();
        Ok(schedules
            .by_time
            .iter()
            .take_while(|(at, _)| *at <= now)
            .filter_map(|(_, name)| {
                let (_, message) = schedules.by_name.get(name)?;
                Some((name.clone(), message.clone()))
            })
            .collect())
    }

    async fn remove(&self, name: &str) -> Result<(), QueueError> {
        let mut schedules = self.lock();
        if let Some((at, _)) = schedules.by_name.remove(name) {
            schedules.by_time.remove(&(at, name.to_owned()));
        }
        Ok(())
    }
}
