//! What Lambda and EventBridge do around the functions in AWS, in process:
//! pollers take messages from the delivery queue and hand each to the
//! delivery handler on its own task, up to `HOOKRELAY_WORKER_CONCURRENCY` in
//! flight, deleting each as soon as it succeeded (a failure comes back after
//! the visibility timeout), so a slow send holds only its own slot. A ticker
//! fires due schedules into the queue and runs the sweeper.

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use hookrelay::app::App;
use hookrelay::pipeline::attempt::after_batch;
use hookrelay::pipeline::sweep::sweep;
use hookrelay::ports::queue::{Enqueue, QueueError, Received};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;

/// Concurrent receivers: enough to keep an SQS queue's long polls overlapping.
const POLLERS: usize = 4;
/// SQS's largest receive.
const BATCH: usize = 10;
const POLL_WAIT: Duration = Duration::from_secs(1);
/// How often due schedules are fired.
const TICK: Duration = Duration::from_millis(250);
/// How often the sweeper runs (the template's schedule runs it every 5 minutes).
const SWEEP_EVERY_SECONDS: i64 = 60;
const SWEEP_BUDGET: Duration = Duration::from_secs(10);
/// How often delivery stats are written (Lambda: after each SQS batch).
const STATS_EVERY: Duration = Duration::from_secs(1);

/// Runs until `stop` turns true, then lets the sends in flight finish.
pub async fn run(app: App, stop: watch::Receiver<bool>) {
    let capacity = app.settings.worker_concurrency.max(1);
    let slots = Arc::new(Semaphore::new(capacity));
    let mut loops = JoinSet::new();
    loops.spawn(tick(app.clone(), stop.clone()));
    loops.spawn(sweeper(app.clone(), stop.clone()));
    for _ in 0..POLLERS {
        loops.spawn(poll(app.clone(), slots.clone(), stop.clone()));
    }
    while loops.join_next().await.is_some() {}
    let all = u32::try_from(capacity).unwrap_or(u32::MAX);
    let in_flight = slots.acquire_many(all);
    let _ = tokio::time::timeout(
        app.settings.send_timeout + Duration::from_secs(1),
        in_flight,
    )
    .await;
    after_batch(&app).await;
}

async fn poll(app: App, slots: Arc<Semaphore>, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        // A free slot first, then as many more as are free, up to a batch.
        let first = tokio::select! {
            permit = slots.clone().acquire_owned() => permit,
            _ = stop.changed() => return,
        };
        let Ok(first) = first else { return };
        let mut permits = vec![first];
        while permits.len() < BATCH {
            match slots.clone().try_acquire_owned() {
                Ok(permit) => permits.push(permit),
                Err(_) => break,
            }
        }
        let received = tokio::select! {
            received = app.queue.receive(permits.len(), POLL_WAIT) => received,
            _ = stop.changed() => return,
        };
        let received = match received {
            Ok(received) => received,
            Err(err) => {
                tracing::warn!(error = %err, "receive failed; retrying");
                let _ = tokio::time::timeout(POLL_WAIT, stop.changed()).await;
                continue;
            }
        };
        // Slots not used by a message go back as `permits` is dropped.
        for (message, permit) in received.into_iter().zip(permits) {
            let app = app.clone();
            tokio::spawn(async move {
                if let Err(err) = deliver(&app, message).await {
                    tracing::warn!(error = %err, "could not acknowledge a message; it comes back");
                }
                drop(permit);
            });
        }
    }
}

/// Hands one message to the delivery handler as a one-record SQS event, as
/// Lambda would, and deletes it if it succeeded.
async fn deliver(app: &App, message: Received) -> Result<(), QueueError> {
    let receipt = message.receipt_handle.clone();
    let mut event = SqsEvent::default();
    event.records = vec![sqs_record(message)];
    let response = hookrelay_delivery::handle_batch(app, event).await;
    if response.batch_item_failures.is_empty() {
        app.queue.delete(&receipt).await?;
    }
    Ok(())
}

/// Fires due schedules every `TICK`, and flushes delivery stats and notes
/// every second.
async fn tick(app: App, mut stop: watch::Receiver<bool>) {
    let mut last_flush = std::time::Instant::now();
    while !*stop.borrow() {
        if last_flush.elapsed() >= STATS_EVERY {
            last_flush = std::time::Instant::now();
            after_batch(&app).await;
        }
        // Only where nothing else fires them (not on AWS: EventBridge does).
        if app.settings.fires_schedules {
            if let Err(err) = fire_due_schedules(&app).await {
                tracing::warn!(error = %err, "firing schedules failed; retrying");
            }
        }
        let _ = tokio::time::timeout(TICK, stop.changed()).await;
    }
}

/// Sweeps every `SWEEP_EVERY_SECONDS` of the clock's time, on its own (as
/// the sweeper is its own function in AWS: a long sweep holds up nothing).
async fn sweeper(app: App, mut stop: watch::Receiver<bool>) {
    let mut last_sweep = app.clock.now();
    while !*stop.borrow() {
        let now = app.clock.now();
        if now >= last_sweep.plus_seconds(SWEEP_EVERY_SECONDS) {
            last_sweep = now;
            if let Err(err) = sweep(&app, SWEEP_BUDGET).await {
                tracing::warn!(error = %err, "sweep failed; trying again later");
            }
        }
        let _ = tokio::time::timeout(TICK, stop.changed()).await;
    }
}

/// Puts every due schedule's message on the queue, then removes the
/// schedule (a crash in between sends it twice, never not at all).
pub(crate) async fn fire_due_schedules(app: &App) -> Result<(), QueueError> {
    let due = app.scheduler.due(app.clock.now()).await?;
    if due.is_empty() {
        return Ok(());
    }
    let entries: Vec<Enqueue> = due
        .iter()
        .map(|(_, message)| Enqueue {
            message: message.clone(),
            delay_seconds: 0,
        })
        .collect();
    app.queue.send(&entries).await?;
    for (name, _) in &due {
        app.scheduler.remove(name).await?;
    }
    Ok(())
}

/// A received message as a record of Lambda's SQS event.
pub(crate) fn sqs_record(message: Received) -> SqsMessage {
    let mut record = SqsMessage::default();
    record.message_id = Some(message.message_id);
    record.receipt_handle = Some(message.receipt_handle);
    record.body = Some(message.body);
    record.attributes.insert(
        "ApproximateReceiveCount".into(),
        message.receive_count.to_string(),
    );
    record
}
