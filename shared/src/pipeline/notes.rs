//! What senders note on their webhooks (`last_delivery_*`, the run of
//! failures that auto-disable counts): kept in the warm sender per webhook
//! and written with one write per flush (after each SQS batch in Lambda,
//! every second in the local runner, at once after a test-send or retry),
//! so a webhook's health item takes at most one write per batch, however
//! many deliveries it holds. A write that fails keeps its outcomes for the
//! next flush.

use crate::app::App;
use crate::domain::delivery::DeliveryStatus;
use crate::domain::event::expiry;
use crate::domain::time::Timestamp;
use crate::pipeline::auto_disable;
use crate::warm::note_buffer::{Key, Pending};
use crate::warm::stats_buffer::FLUSH_CONCURRENCY;
use futures::StreamExt;

/// Whether a webhook's notes are worth a write: a failure (each counts), a
/// success that ends a run this sender wrote, or nothing written by this
/// sender in the last minute. A retry scheduled, or a success after one,
/// waits for that minute: a webhook that fails now and then would
/// otherwise take a write per delivery, and its one key 1,000 a second.
fn worth_a_write(failures: u32, status: DeliveryStatus, noted: Option<DeliveryStatus>) -> bool {
    failures > 0
        || noted.is_none()
        || (status == DeliveryStatus::Delivered && noted == Some(DeliveryStatus::Failed))
}

/// Writes every webhook's notes that are worth a write, a few at a time
/// (`stats_buffer::FLUSH_CONCURRENCY`).
pub async fn flush_notes(app: &App) {
    let now = app.clock.now();
    let writes = app
        .warm
        .sender
        .notes
        .take()
        .into_iter()
        .map(|(key, pending)| write_notes(app, key, pending, now));
    futures::stream::iter(writes)
        .buffer_unordered(FLUSH_CONCURRENCY)
        .collect::<Vec<()>>()
        .await;
}

async fn write_notes(app: &App, (account, webhook): Key, pending: Pending, now: Timestamp) {
    let Some(last) = pending.outcomes.last.clone() else {
        return;
    };
    let status = last.last_delivery_status;
    let noted = app.warm.sender.noted.get(&webhook, now);
    if !worth_a_write(pending.outcomes.failures, status, noted) {
        return;
    }
    let expires_at = expiry(now, app.settings.retention_days);
    let written = app
        .store
        .record_outcome(account, webhook, &pending.outcomes, expires_at)
        .await;
    match written {
        Ok(after) => {
            app.warm.sender.noted.put(webhook, status, now);
            if let (added @ 1.., Some(failure)) = (pending.outcomes.failures, &pending.last_failure)
            {
                auto_disable::after_failures(app, account, webhook, after, added, failure, now)
                    .await;
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, "a webhook's notes not written yet; kept for the next flush");
            app.warm.sender.notes.put_back((account, webhook), pending);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::worth_a_write;
    use crate::domain::delivery::DeliveryStatus::{Delivered, Failed, Scheduled};

    #[test]
    fn a_webhook_that_fails_now_and_then_is_written_once_a_minute() {
        // Each failure counts, whatever was written.
        assert!(worth_a_write(1, Failed, Some(Failed)));
        // Nothing written here in the last minute: the latest is noted.
        assert!(worth_a_write(0, Scheduled, None));
        // A success ends a run this sender wrote.
        assert!(worth_a_write(0, Delivered, Some(Failed)));
        // Retries and successes in between wait for the minute.
        assert!(!worth_a_write(0, Scheduled, Some(Delivered)));
        assert!(!worth_a_write(0, Delivered, Some(Scheduled)));
        assert!(!worth_a_write(0, Delivered, Some(Delivered)));
    }
}
