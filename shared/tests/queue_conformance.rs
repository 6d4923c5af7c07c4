//! One conformance suite for the Queue and Scheduler adapters: in memory, and
//! SQS + EventBridge Scheduler on moto's server (AWS_ENDPOINT_URL, set by
//! scripts/test.sh). Without moto the AWS half fails; it never skips.

use hookrelay::adapters::aws::{sdk_config, EventBridgeScheduler, SqsQueue};
use hookrelay::adapters::memory::{MemoryQueue, MemoryScheduler};
use hookrelay::domain::ids::{AccountId, DeliveryId};
use hookrelay::domain::time::Timestamp;
use hookrelay::domain::wake::WakeBucket;
use hookrelay::ports::clock::{Clock, SystemClock};
use hookrelay::ports::queue::{
    DeliveryMessage, Enqueue, Queue, QueueMessage, Schedule, Scheduler, WakeMessage,
};
use hookrelay::ports::random::OsRandom;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

const VISIBILITY: Duration = Duration::from_secs(1);

struct Ports {
    queue: Box<dyn Queue>,
    scheduler: Box<dyn Scheduler>,
}

async fn memory() -> Ports {
    Ports {
        queue: Box::new(MemoryQueue::new(Arc::new(SystemClock), VISIBILITY)),
        scheduler: Box::new(MemoryScheduler::new()),
    }
}

async fn aws() -> Ports {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: the SQS/Scheduler conformance run needs moto's server; run scripts/test.sh"
    );
    let config = sdk_config().await;
    let name = format!(
        "conf-{}",
        DeliveryId::generate(SystemClock.now(), &OsRandom)
    );
    let sqs = aws_sdk_sqs::Client::new(&config);
    let queue = SqsQueue::ensure(&sqs, &name, VISIBILITY)
        .await
        .expect("queue on moto");
    let scheduler = aws_sdk_scheduler::Client::new(&config);
    EventBridgeScheduler::ensure_group(&scheduler, &name)
        .await
        .expect("schedule group on moto");
    Ports {
        queue: Box::new(SqsQueue::new(sqs, queue.url)),
        scheduler: Box::new(EventBridgeScheduler::new(
            scheduler,
            name,
            queue.arn,
            "arn:aws:iam::123456789012:role/hookrelay-scheduler",
        )),
    }
}

macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        mod in_memory {
            $(#[tokio::test] async fn $check() { super::$check(super::memory().await).await; })*
        }
        mod sqs_and_scheduler {
            $(#[tokio::test] async fn $check() { super::$check(super::aws().await).await; })*
        }
    };
}

conformance!(
    every_message_sent_is_received_once_and_deleted,
    delayed_messages_wait_their_delay,
    unacknowledged_messages_come_back_after_the_visibility_timeout,
    schedules_stay_until_removed_once_due,
    characters_sqs_refuses_are_refused,
);

fn message() -> DeliveryMessage {
    let now = SystemClock.now();
    DeliveryMessage::again(
        AccountId::generate(now, &OsRandom),
        DeliveryId::generate(now, &OsRandom),
        0,
    )
}

/// Receives until `count` messages arrived or the deadline passed.
async fn receive_at_least(
    queue: &dyn Queue,
    count: usize,
) -> Vec<hookrelay::ports::queue::Received> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let mut got = Vec::new();
    while got.len() < count && tokio::time::Instant::now() < deadline {
        got.extend(
            queue
                .receive(10, Duration::from_millis(500))
                .await
                .expect("receive"),
        );
    }
    got
}

async fn every_message_sent_is_received_once_and_deleted(ports: Ports) {
    let sent: Vec<DeliveryMessage> = (0..23).map(|_| message()).collect();
    let batch: Vec<Enqueue> = sent
        .iter()
        .map(|m| Enqueue {
            message: m.clone().into(),
            delay_seconds: 0,
        })
        .collect();
    ports
        .queue
        .send(&batch)
        .await
        .expect("send 23 (three batches)");
    let got = receive_at_least(&*ports.queue, 23).await;
    let bodies: HashSet<DeliveryId> = got
        .iter()
        .map(|r| match QueueMessage::from_json(&r.body).expect("body") {
            QueueMessage::Deliver(m) => m.delivery_id,
            other => panic!("not a delivery message: {other:?}"),
        })
        .collect();
    assert_eq!(bodies, sent.iter().map(|m| m.delivery_id).collect());
    assert_eq!(got.len(), 23, "each once");
    for received in &got {
        assert_eq!(received.receive_count, 1);
        ports
            .queue
            .delete(&received.receipt_handle)
            .await
            .expect("delete");
    }
    // Deleted messages never come back, even after the visibility timeout
    // (a long poll that outlasts it).
    assert!(ports
        .queue
        .receive(10, Duration::from_secs(2))
        .await
        .expect("receive")
        .is_empty());
}

async fn delayed_messages_wait_their_delay(ports: Ports) {
    let (now, later) = (message(), message());
    ports
        .queue
        .send(&[
            Enqueue {
                message: later.clone().into(),
                delay_seconds: 600,
            },
            Enqueue {
                message: now.clone().into(),
                delay_seconds: 0,
            },
        ])
        .await
        .expect("send");
    let got = receive_at_least(&*ports.queue, 1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        QueueMessage::from_json(&got[0].body).expect("body"),
        now.into()
    );
    assert!(ports
        .queue
        .receive(10, Duration::from_millis(300))
        .await
        .expect("receive")
        .is_empty());
}

async fn unacknowledged_messages_come_back_after_the_visibility_timeout(ports: Ports) {
    let sent = message();
    ports
        .queue
        .send(&[Enqueue {
            message: sent.clone().into(),
            delay_seconds: 0,
        }])
        .await
        .expect("send");
    let first = receive_at_least(&*ports.queue, 1).await;
    assert_eq!(first.len(), 1);
    // Not deleted: a sender died. It is hidden, then comes back.
    let again = receive_at_least(&*ports.queue, 1).await;
    assert_eq!(again.len(), 1);
    assert_eq!(
        QueueMessage::from_json(&again[0].body).expect("body"),
        QueueMessage::Deliver(sent)
    );
    assert_eq!(again[0].receive_count, 2);
}

async fn schedules_stay_until_removed_once_due(ports: Ports) {
    let now = SystemClock.now();
    let wake = |at: Timestamp| {
        let bucket = WakeBucket::of(message().delivery_id, at);
        QueueMessage::Wake(WakeMessage {
            bucket,
            after: None,
        })
    };
    let (due, later) = (wake(now), wake(now.plus_seconds(3600)));
    let s = &ports.scheduler;
    let at = |name: &str, at: Timestamp, message: &QueueMessage| Schedule {
        name: name.to_owned(),
        at,
        message: message.clone(),
    };
    s.schedule(&at("d-due-1", now.plus_seconds(-5), &due))
        .await
        .expect("schedule");
    s.schedule(&at("d-due-1", now.plus_seconds(-5), &due))
        .await
        .expect("the same schedule again is a no-op");
    s.schedule(&at("d-later-1", now.plus_seconds(3600), &later))
        .await
        .expect("schedule");
    let named = |name: &str, message: &QueueMessage| vec![(name.to_owned(), message.clone())];
    assert_eq!(s.due(now).await.expect("due"), named("d-due-1", &due));
    // A due schedule stays until the runner removes it (after enqueuing it).
    assert_eq!(s.due(now).await.expect("due"), named("d-due-1", &due));
    s.remove("d-due-1").await.expect("remove");
    s.remove("d-due-1")
        .await
        .expect("removing it again is fine");
    assert!(s.due(now).await.expect("due").is_empty(), "fired once");
    let after: Timestamp = now.plus_seconds(7200);
    assert_eq!(s.due(after).await.expect("due"), named("d-later-1", &later));
}

async fn characters_sqs_refuses_are_refused(ports: Ports) {
    let now = SystemClock.now();
    // Only an event's payload brings such text into a message: a first
    // attempt that carries its event.
    let mut odd = message();
    let event = hookrelay::domain::event::Event::new(
        hookrelay::domain::ids::EventId::generate(now, &OsRandom),
        odd.account_id,
        hookrelay::domain::event::EventKind {
            name: hookrelay::domain::event::EventPart::parse("a").expect("part"),
            kind: hookrelay::domain::event::EventPart::parse("b").expect("part"),
        },
        hookrelay::domain::event::JsonText::parse("\"\u{FFFE}\"").expect("json"),
        hookrelay::domain::event::JsonText::parse("{}").expect("json"),
        now,
        60,
    );
    odd.first = Some(Box::new(hookrelay::ports::queue::FirstAttempt {
        event_id: event.id,
        webhook_id: None,
        webhook_version: 0,
        url: None,
        sealed_url: None,
        due: now,
        event: Some(event),
    }));
    let sent = ports
        .queue
        .send(&[Enqueue {
            message: odd.into(),
            delay_seconds: 0,
        }])
        .await;
    assert!(sent.is_err(), "refused: {sent:?}");
}
