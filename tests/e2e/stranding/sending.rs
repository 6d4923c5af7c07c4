//! The sender failing between its steps (record, acknowledge, queue the
//! retry, flush stats and notes): every delivery still ends, sent once.

use super::Harness;
use crate::helpers::eventually;
use hookrelay::ports::queue::{DeliveryMessage, QueueMessage};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_sender_dying_before_it_records_or_before_it_queues_the_retry() {
    for fault in ["record_attempt", "send"] {
        let h = Harness::start().await;
        // The first record, or the retry's message (the send after
        // ingest's), fails; `flaky` answers 500, then 200.
        let passing = usize::from(fault == "send");
        let done = h.one_event_despite("flaky", fault, passing).await;
        assert_eq!(done.status().as_str(), "delivered", "{fault}");
        h.stop().await;
    }
}

#[tokio::test]
async fn a_first_attempt_message_back_after_it_was_recorded_sends_nothing_more() {
    let h = Harness::start().await;
    // Delivered and recorded, then acknowledging the message fails: it
    // comes back after the visibility timeout, the sender's memory of it
    // expired, and its claim finds the delivery done.
    let done = h.one_event_despite("ok", "delete", 0).await;
    assert_eq!((done.status().as_str(), done.attempts()), ("delivered", 1));
    assert_eq!(h.receiver.requests("ok").len(), 1, "sent once");
    h.stop().await;
}

#[tokio::test]
async fn a_message_failing_on_its_last_receive_is_queued_again_not_dead_lettered() {
    use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
    let h = Harness::start().await;
    h.webhook("ok").await;
    // Recorded, but its message lost: only this hand-made record carries it.
    h.event_failing_at("send", 0, json!({}), 503).await;
    let stranded = h.deliveries().await.pop().expect("recorded");
    let mut record = SqsMessage::default();
    record.message_id = Some("last".into());
    record.body = Some(
        QueueMessage::from(DeliveryMessage::again(h.server.account, stranded.id(), 0))
            .to_json()
            .unwrap(),
    );
    record.attributes.insert(
        "ApproximateReceiveCount".into(),
        hookrelay_delivery::MAX_RECEIVES.to_string(),
    );
    let mut event = SqsEvent::default();
    event.records = vec![record];
    // Its handling fails on what would be its last receive...
    h.faults.arm("record_attempt");
    let response = hookrelay_delivery::handle_batch(&h.server.app, event).await;
    assert_eq!(h.faults.struck(), 2);
    // ...so it is not handed back to SQS (and its dead-letter queue), but
    // queued again as a new message, which delivers it.
    assert!(response.batch_item_failures.is_empty());
    h.everything_delivered(1).await;
    assert_eq!(
        h.receiver.requests("ok").len(),
        2,
        "the failed try, then the new message"
    );
    h.stop().await;
}

#[tokio::test]
async fn a_queue_backlog_past_the_sweepers_grace_sends_nothing_twice() {
    let h = Harness::start().await;
    h.webhook("ok").await;
    // The first message waits in a backlog past the sweeper's grace: the
    // sweeper queues a second one; then both arrive.
    h.faults
        .backlog
        .store(true, std::sync::atomic::Ordering::SeqCst);
    // Receives already waiting (1 s long polls) end first.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    assert_eq!(h.event(json!({})).await.0, 202);
    eventually(30, "the sweeper to queue it again", || async {
        h.clock.advance_millis(5 * 60 * 1000);
        tokio::time::sleep(Duration::from_millis(300)).await;
        (h.faults.sent.lock().unwrap().len() >= 2).then_some(())
    })
    .await;
    h.faults
        .backlog
        .store(false, std::sync::atomic::Ordering::SeqCst);
    h.everything_sent_once(1, 1, "sent once").await;
    h.stop().await;
}

#[tokio::test]
async fn a_rate_limited_backlog_past_the_queues_reach_is_sent_each_once() {
    let h = Harness::start().await;
    let body = json!({"name": "slow", "url": h.receiver.url("ok"), "events": ["order.*"], "rate_limit": 1});
    h.server.create_webhook(body).await;
    // 1,000 at once at one a second: most slots are more than 900 s away.
    let count = 1_000;
    for _ in 0..count {
        assert_eq!(h.event(json!({})).await.0, 202);
    }
    h.everything_sent_once(count, count, "each once").await;
    h.stop().await;
}

#[tokio::test]
async fn a_write_the_sdk_sent_again_after_it_landed_still_queues_the_retry() {
    let h = Harness::start().await;
    // `flaky` answers 500, then 200. The first attempt's record lands, but
    // its answer is lost and the SDK's second try is refused by the
    // condition the first one changed.
    h.webhook("flaky").await;
    h.event_failing_at("landed_then_refused", 0, json!({}), 202)
        .await;
    // The retry is due 5 s on: it goes then, not when the sweeper (15 min) would.
    let done = eventually(30, "the retry", || async {
        h.clock.advance_millis(1_000);
        tokio::time::sleep(Duration::from_millis(50)).await;
        let all = h.deliveries().await;
        all.first()
            .filter(|d| d.status().as_str() == "delivered")
            .cloned()
    })
    .await;
    assert_eq!(h.faults.struck(), 1);
    assert_eq!(done.attempts(), 2);
    assert!(
        done.updated_at() < done.created_at().plus_seconds(60),
        "{done:?}"
    );
    h.stop().await;
}

#[tokio::test]
async fn stats_that_cannot_be_written_wait_for_the_next_flush() {
    let h = Harness::start().await;
    let id = h.test_send_with_its_write_failing("add_stats").await;
    let path = format!("/v1/webhooks/{id}/stats");
    let counted = eventually(10, "the next flush", || async {
        let (_, stats) = h.server.get(&path).await;
        (stats["totals"]["attempts"] == 1).then_some(stats)
    })
    .await;
    assert_eq!(counted["totals"]["counts"]["delivered"], 1);
    h.stop().await;
}

#[tokio::test]
async fn notes_that_cannot_be_written_wait_for_the_next_flush() {
    let h = Harness::start().await;
    let id = h.test_send_with_its_write_failing("record_outcome").await;
    let noted = eventually(10, "the next flush", || async {
        let (_, webhook) = h.server.get(&format!("/v1/webhooks/{id}")).await;
        (webhook["webhook"]["last_delivery_status"] == "delivered").then_some(webhook)
    })
    .await;
    assert!(noted["webhook"]["last_delivery_at"].is_string(), "{noted}");
    h.stop().await;
}
