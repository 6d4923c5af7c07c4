//! Fan-out: an event's deliveries to every enabled webhook whose patterns
//! match (and whose filter, if it has one, matches what would be sent). A
//! fan-out that one page of webhooks covers is expanded inline by ingest
//! (one batch write with the event, then its first messages); a larger one
//! is a background task (`tasks`), a page of webhooks a step, its cursor
//! the webhook it continues after. Delivery ids are derived from the event
//! and the webhook, so a step tried again creates nothing twice.

use crate::app::App;
use crate::domain::delivery::{Delivery, KeptUrl};
use crate::domain::event::Event;
use crate::domain::filter::Subject;
use crate::domain::ids::EventId;
use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::listing::{ListParams, Page};
use crate::domain::task::{Task, TaskKind};
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::domain::webhook::Webhook;
use crate::domain::webhook_url::WebhookUrl;
use crate::error::DispatchError;
use crate::pipeline::enqueue::{first_message, RECHECK_SECONDS};
use crate::pipeline::tasks::{self, Step};
use crate::pipeline::wake::{ensure_schedule, queue_entry};
use crate::ports::queue::{DeliveryMessage, Enqueue};
use crate::ports::store::StoreError;
use crate::sealing::keep_ad_hoc;
use std::collections::BTreeSet;

/// Webhooks one fan-out step reads (one page): ingest expands inline only
/// when the account's enabled webhooks fit in it.
pub const CHUNK: u32 = ListParams::MAX_LIMIT;

/// A delivery about to be recorded, with the webhook version it was planned from.
struct Planned {
    delivery: Delivery,
    webhook_version: u64,
}

/// The account's first page of enabled webhooks, as a warm ingest keeps it.
async fn first_page(app: &App, account: AccountId) -> Result<Page<Webhook>, StoreError> {
    let now = app.clock.now();
    if let Some(page) = app.warm.subscribers.get(account, now) {
        return Ok(page);
    }
    let page = webhooks_after(app, account, None).await?;
    app.warm.subscribers.put(account, page.clone(), now);
    Ok(page)
}

/// The account's first page of enabled webhooks for one request: read (or
/// taken from the warm cache) once however many of its events fan out to
/// it (a batch), and not at all when none does.
#[derive(Default)]
pub struct Subscribers(tokio::sync::OnceCell<Page<Webhook>>);

impl Subscribers {
    async fn page(&self, app: &App, account: AccountId) -> Result<&Page<Webhook>, StoreError> {
        self.0.get_or_try_init(|| first_page(app, account)).await
    }
}

/// Whom an event from ingest goes to.
pub enum Recipients<'a> {
    /// One ad-hoc URL instead of the subscribers.
    AdHoc(WebhookUrl),
    /// The account's subscribed webhooks.
    Subscribers(&'a Subscribers),
}

/// One page of the account's enabled webhooks after `after`, in id order.
async fn webhooks_after(
    app: &App,
    account: AccountId,
    after: Option<WebhookId>,
) -> Result<Page<Webhook>, StoreError> {
    app.store.subscribers(account, after, CHUNK).await
}

/// The deliveries of `event` to those of `webhooks` that want it: a webhook
/// whose filter does not match gets none (and so costs nothing).
fn plan(event: &Event, webhooks: &[Webhook], due: Timestamp) -> Vec<Planned> {
    let subject = Subject::of(event);
    webhooks
        .iter()
        .filter(|w| w.wants(&subject))
        .map(|w| {
            let delivery = match w.url() {
                Some(url) => Delivery::new(event, Some(w.id()), KeptUrl::shown(url), due),
                None => Delivery::polled(event, w.id(), due),
            };
            // One that cannot be shaped is failed by its sender, which says why.
            let shaped = w.transform().shaped(event, delivery.id()).ok().flatten();
            Planned {
                delivery: delivery.shaped(shaped),
                webhook_version: w.version(),
            }
        })
        .collect()
}

/// Records `event` and fans it out from ingest to its `recipients`. The
/// delivery ids when expanded inline; `None` when the fan-out continues
/// through the queue. `resuming`: an earlier request with the same
/// Idempotency-Key may have recorded part of it.
pub async fn start(
    app: &App,
    event: &Event,
    recipients: Recipients<'_>,
    due: Timestamp,
    resuming: bool,
) -> Result<Option<Vec<DeliveryId>>, DispatchError> {
    let planned = match recipients {
        Recipients::AdHoc(url) => {
            let id = DeliveryId::derive(event.id, None);
            let kept = keep_ad_hoc(&app.sealer, &url, id)
                .await
                .map_err(StoreError::from)?;
            vec![Planned {
                delivery: Delivery::new(event, None, kept, due),
                webhook_version: 0,
            }]
        }
        Recipients::Subscribers(subscribers) => {
            let page = subscribers.page(app, event.account_id).await?;
            if page.next_cursor.is_some() {
                app.store.insert_event_if_absent(event).await?;
                let kind = TaskKind::Fanout {
                    event_id: event.id,
                    due,
                };
                tasks::start(app, event.account_id, kind, None, 0).await?;
                return Ok(None);
            }
            plan(event, &page.items, due)
        }
    };
    let ids = planned.iter().map(|p| p.delivery.id()).collect();
    if resuming {
        app.store.insert_event_if_absent(event).await?;
        record_missing_and_queue(app, event, planned, due, true).await?;
    } else {
        let deliveries: Vec<Delivery> = planned.iter().map(|p| p.delivery.clone()).collect();
        app.store.record_event(event, &deliveries).await?;
        queue_first(app, event, &planned, due).await?;
    }
    Ok(Some(ids))
}

/// One step of a fan-out task: a page of the account's webhooks after the
/// task's cursor, each matching one getting its delivery.
pub async fn expand_step(
    app: &App,
    task: &Task,
    event_id: EventId,
    due: Timestamp,
) -> Result<Step, DispatchError> {
    let now = app.clock.now();
    let Some(event) = app.store.get_event(task.account_id, event_id, now).await? else {
        return Ok(Step::Done); // expired
    };
    // A cursor that does not parse fails the step: starting again from page 1
    // would fan the event out twice.
    let after = match task.cursor.as_deref() {
        None => None,
        Some(text) => Some(WebhookId::parse(text).ok_or_else(|| {
            DispatchError::Corrupt(format!("fan-out cursor `{text}` is not a webhook id"))
        })?),
    };
    let page = webhooks_after(app, task.account_id, after).await?;
    let planned = plan(&event, &page.items, due);
    // A second try at this step: the first one's holder died part-way.
    let resumed = task.tries > 1;
    record_missing_and_queue(app, &event, planned, due, resumed).await?;
    // The page's cursor, not its last webhook: a page cut short by the read
    // cap (many disabled webhooks) may hold none and still have a rest.
    Ok(match page.next_cursor {
        Some(cursor) => Step::Next {
            cursor: Some(cursor.after),
            at: app.clock.now(),
        },
        None => Step::Done,
    })
}

/// Records only the planned deliveries not stored yet, so nothing a sender
/// advanced is written over, and queues their first attempts. When this is
/// a repeat (`resumed`: a resumed ingest, a fan-out step tried again), the
/// ones stored before may never have been queued (the first try died in
/// between): each gets a message that claims it first, late enough that a
/// first message the first try did queue has been sent and recorded by then
/// (or is no longer trusted), so nothing is sent twice.
async fn record_missing_and_queue(
    app: &App,
    event: &Event,
    planned: Vec<Planned>,
    due: Timestamp,
    resumed: bool,
) -> Result<(), DispatchError> {
    let ids: Vec<DeliveryId> = planned.iter().map(|p| p.delivery.id()).collect();
    let missing = app.store.missing_deliveries(event.account_id, &ids).await?;
    let (fresh, stored): (Vec<Planned>, Vec<Planned>) = planned
        .into_iter()
        .partition(|p| missing.contains(&p.delivery.id()));
    let deliveries: Vec<Delivery> = fresh.iter().map(|p| p.delivery.clone()).collect();
    app.store.insert_deliveries(&deliveries).await?;
    let recheck: Vec<Enqueue> = stored
        .iter()
        .filter(|p| resumed && !p.delivery.is_polled())
        .map(|p| Enqueue {
            message: DeliveryMessage::again(event.account_id, p.delivery.id(), 0).into(),
            delay_seconds: RECHECK_SECONDS,
        })
        .collect();
    app.queue.send(&recheck).await?;
    queue_first(app, event, &fresh, due).await
}

/// Queues (batched) the first attempt of each delivery, or, for those
/// waiting beyond the queue's reach, makes sure their bucket's schedule exists
/// (one event's deliveries share one bucket). A poll webhook's delivery gets
/// neither: it waits in the webhook's feed, fetchable once it is due.
async fn queue_first(
    app: &App,
    event: &Event,
    planned: &[Planned],
    due: Timestamp,
) -> Result<(), DispatchError> {
    let now = app.clock.now();
    let mut batch = Vec::with_capacity(planned.len());
    let mut buckets = BTreeSet::new();
    for p in planned.iter().filter(|p| !p.delivery.is_polled()) {
        let message = first_message(&p.delivery, event, p.webhook_version, due);
        match (p.delivery.wake(), queue_entry(&message, due, now)) {
            (None, Some(entry)) => batch.push(entry),
            (wake, _) => {
                buckets.insert(wake.unwrap_or_else(|| WakeBucket::of(p.delivery.id(), due)));
            }
        }
    }
    for bucket in buckets {
        ensure_schedule(app, bucket).await?;
    }
    app.queue.send(&batch).await?;
    Ok(())
}
