//! Ingest and fan-out failing at each step: recorded deliveries are never
//! left without a message, a schedule or a task the sweeper finds.

use super::Harness;
use crate::helpers::eventually;
use hookrelay::ports::queue::{Enqueue, QueueMessage};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn ingest_dying_between_recording_and_queueing() {
    let h = Harness::start().await;
    h.webhooks("ok", 2).await;
    h.event_failing_at("send", 0, json!({}), 503).await;
    h.everything_delivered(2).await;
    h.stop().await;
}

#[tokio::test]
async fn ingest_dying_before_a_long_delay_is_scheduled() {
    let h = Harness::start().await;
    h.webhook("ok").await;
    let delayed = json!({"delay": 3600});
    h.event_failing_at("schedule", 0, delayed, 503).await;
    h.everything_delivered(1).await;
    h.stop().await;
}

#[tokio::test]
async fn a_fan_out_chunk_failing_at_each_step() {
    for fault in ["insert_deliveries", "send"] {
        let h = Harness::start().await;
        // More than one page: expanded through the queue.
        h.webhooks("ok", 101).await;
        // The chunk's first write, or its messages (the send after the
        // chunk's own), fail; SQS brings the chunk back.
        let passing = usize::from(fault == "send");
        h.event_failing_at(fault, passing, json!({}), 202).await;
        let settled = h.everything_delivered(101).await;
        assert_eq!(h.faults.struck(), 1, "{fault}");
        assert_eq!(settled.len(), 101, "{fault}: each webhook once");
        h.stop().await;
    }
}

#[tokio::test]
async fn a_fan_out_chunk_expanded_again_resets_nothing() {
    let h = Harness::start().await;
    h.webhooks("ok", 101).await;
    let (status, answer) = h.event(json!({})).await;
    assert_eq!(status, 202);
    h.everything_settles(101).await;
    // (Time jumps while messages are in flight here, so some may have been
    // sent twice already: at least once. What counts is that nothing more is.)
    let sent = h.receiver.requests("ok").len();
    // Each step of the fan-out once more, as a message that failed on its
    // last receive comes back: a new message, for a step done already.
    assert!(answer.get("deliveries").is_none(), "{answer}");
    let steps: Vec<Enqueue> = h
        .faults
        .sent
        .lock()
        .unwrap()
        .iter()
        .filter(|m| matches!(m, QueueMessage::Task(_)))
        .map(|m| Enqueue {
            message: m.clone(),
            delay_seconds: 0,
        })
        .collect();
    assert_eq!(steps.len(), 2, "two pages of webhooks");
    h.server.app.queue.send(&steps).await.unwrap();
    h.everything_sent_once(101, sent, "nothing sent again")
        .await;
    h.stop().await;
}

#[tokio::test]
async fn a_fan_out_whose_step_message_is_lost_is_resumed_by_the_sweeper() {
    let h = Harness::start().await;
    h.webhooks("ok", 150).await;
    // The message of the fan-out's second page is lost (the step after the
    // first one could not queue it): the task item says where it stopped.
    h.event_failing_at("send_task", 1, json!({}), 202).await;
    // The first page goes; then nothing until the sweeper finds the task.
    eventually(30, "the first page sent", || async {
        (h.receiver.requests("ok").len() == 100).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.receiver.requests("ok").len(), 100);
    h.everything_delivered(150).await;
    assert_eq!(h.faults.struck(), 1);
    assert_eq!(h.receiver.requests("ok").len(), 150, "each once");
    h.stop().await;
}

#[tokio::test]
async fn a_delayed_fan_out_makes_one_schedule() {
    let h = Harness::start().await;
    h.webhooks("ok", 100).await;
    let (status, answer) = h.event(json!({"delay": 7_200})).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(answer["deliveries"].as_array().map(Vec::len), Some(100));
    assert_eq!(
        *h.faults.schedules.lock().unwrap(),
        1,
        "one bucket for the event"
    );
    h.everything_delivered(100).await;
    assert_eq!(h.receiver.requests("ok").len(), 100);
    h.stop().await;
}
