//! A fresh delivery's first message: what fan-out, ingest and the
//! operational events put on the queue for a delivery's first attempt.

use crate::domain::delivery::{Delivery, Target};
use crate::domain::event::Event;
use crate::domain::time::Timestamp;
use crate::ports::queue::{queue_safe, DeliveryMessage, FirstAttempt};

/// How long a message that claims a delivery waits when a first message
/// for it may be on its way already (a step tried again after its worker
/// died): past `dispatch`'s trust window and a send, so that one was sent and
/// recorded by then, or is claimed too and cannot send twice.
pub const RECHECK_SECONDS: u32 = 360;
/// The largest event a first message carries.
const INLINE_EVENT_BYTES: usize = 16 * 1024;

/// The message that carries a fresh delivery's first attempt; it holds the
/// event itself when that is small and a queue can carry its text.
pub fn first_message(
    delivery: &Delivery,
    event: &Event,
    webhook_version: u64,
    due: Timestamp,
) -> DeliveryMessage {
    let small = event.payload.len() + event.context.len() <= INLINE_EVENT_BYTES;
    let carried = small && queue_safe(event.payload.as_str()) && queue_safe(event.context.as_str());
    let (url, sealed_url) = match delivery.target() {
        Target::Webhook(_) | Target::Poll(_) => (None, None),
        Target::AdHoc(kept) => (Some(kept.shown), kept.sealed),
    };
    DeliveryMessage {
        account_id: delivery.account_id(),
        delivery_id: delivery.id(),
        attempts: 0,
        first: Some(Box::new(FirstAttempt {
            event_id: event.id,
            webhook_id: delivery.webhook_id(),
            webhook_version,
            url,
            sealed_url,
            due,
            event: carried.then(|| event.clone()),
        })),
        slot: None,
    }
}
