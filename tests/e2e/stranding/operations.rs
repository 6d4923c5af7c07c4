//! Test-send, retry, recover and cascade delete failing half-way: each
//! finishes, or leaves what the sweeper or a task finishes.

use super::Harness;
use crate::helpers::eventually;
use hookrelay::domain::ids::WebhookId;
use hookrelay::domain::time::Timestamp;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn a_recover_right_after_a_failure_without_a_send_goes_through() {
    let h = Harness::start().await;
    let id = h.webhook("ok").await;
    let path = format!("/v1/webhooks/{id}");
    assert_eq!(h.event(json!({"delay": 60})).await.0, 202);
    h.server.patch(&path, json!({"enabled": false})).await;
    h.clock.advance_millis(61_000);
    // When it comes due the webhook is off: failed, nothing sent.
    eventually(10, "the delivery to fail", || async {
        let all = h.deliveries().await;
        (all.len() == 1 && all[0].status().as_str() == "failed").then_some(())
    })
    .await;
    h.server.patch(&path, json!({"enabled": true})).await;
    let (status, answer) = h.recover(&id).await;
    assert_eq!((status, answer["recovered"].clone()), (200, json!(1)));
    // Well within the sender's minute of remembering what it took.
    h.clock.advance_millis(5_000);
    eventually(10, "the recovered delivery to be sent", || async {
        (h.receiver.requests("ok").len() == 1).then_some(())
    })
    .await;
    h.stop().await;
}

#[tokio::test]
async fn test_send_and_retry_dying_mid_attempt() {
    let h = Harness::start().await;
    let id = h.webhook("ok").await;
    h.faults.arm("record_attempt");
    let (status, answer) = h
        .server
        .post(&format!("/v1/webhooks/{id}/test"), json!({}))
        .await;
    assert_eq!(status, 503, "{answer}");
    let settled = h.everything_settles(1).await;
    let (status, _) = h.event(json!({})).await;
    assert_eq!(status, 202);
    let settled = h.everything_settles(settled.len() + 1).await;
    let retried = settled
        .iter()
        .find(|d| d.event().kind.as_str() == "paid")
        .unwrap();
    h.faults.arm("record_attempt");
    let (status, answer) = h
        .server
        .post(&format!("/v1/deliveries/{}/retry", retried.id()), json!({}))
        .await;
    assert_eq!(status, 503, "{answer}");
    let settled = h.everything_settles(2).await;
    let again = settled.iter().find(|d| d.id() == retried.id()).unwrap();
    assert_eq!(
        (again.status().as_str(), again.attempts()),
        ("delivered", 2)
    );
    h.stop().await;
}

#[tokio::test]
async fn recover_and_cascade_delete_failing_half_way() {
    let h = Harness::start().await;
    let id = h.gone_webhook_with_failures(3).await;
    for fault in ["send", "requeue"] {
        h.faults.arm(fault);
        let (status, answer) = h.recover(&id).await;
        assert_eq!(status, 503, "{fault}: {answer}");
        h.everything_settles(3).await;
    }
    let (status, answer) = h.recover(&id).await;
    assert_eq!(
        (status, answer["recovered"].clone()),
        (200, json!(3)),
        "{answer}"
    );
    h.everything_settles(3).await;
    // A DELETE whose purge fails half-way: the webhook is gone, and the
    // task recorded before it finishes the job.
    h.faults.arm("delete_deliveries");
    assert_eq!(h.server.delete(&format!("/v1/webhooks/{id}")).await.0, 200);
    assert_eq!(h.server.get(&format!("/v1/webhooks/{id}")).await.0, 404);
    assert_eq!(h.deliveries().await.len(), 3, "the inline purge failed");
    // A fan-out that read the webhook just before it went writes two more
    // afterwards: the task's last pass, once the deletion settled, takes them.
    h.deliveries_of_a_webhook_that_is_gone(&id).await;
    eventually(
        30,
        "every delivery of the deleted webhook purged",
        || async {
            h.clock.advance_millis(30_000);
            tokio::time::sleep(Duration::from_millis(100)).await;
            h.deliveries().await.is_empty().then_some(())
        },
    )
    .await;
    assert_eq!(h.server.delete(&format!("/v1/webhooks/{id}")).await.0, 404);
    h.stop().await;
}

#[tokio::test]
async fn a_recover_past_its_budget_continues_in_the_background() {
    let h = Harness::start().await;
    let id = h.gone_webhook_with_failures(150).await;
    let webhook = WebhookId::parse(&id).unwrap();
    let since = Timestamp::parse("2000-01-01").unwrap();
    // No time budget: one page now, then a message that carries on.
    let progress = hookrelay::operations::replay::recover_failed(
        &h.server.app,
        h.server.account,
        webhook,
        since,
        Duration::ZERO,
        &hookrelay::domain::audit::Actor::local_runner(),
    )
    .await
    .unwrap();
    assert_eq!((progress.replayed, progress.complete), (100, false));
    let settled = eventually(60, "every recovered delivery tried again", || async {
        let all = h.everything_settles(150).await;
        all.iter().all(|d| d.attempts() == 2).then_some(all)
    })
    .await;
    assert_eq!(settled.len(), 150, "each recovered once");
    h.stop().await;
}
