//! The delivery state machine: each `Change` and the `Effects` both stores
//! write for it (`Delivery::apply` in memory, one UpdateItem on DynamoDB).

use super::outcome::{Attempt, DeliveryStatus, FailureReason, Outcome};
use crate::domain::event::JsonText;
use crate::domain::ids::{DeliveryId, WebhookId};
use crate::domain::time::Timestamp;
use crate::domain::wake::{beyond_queue, WakeBucket};

/// How long past its due time a pending delivery waits for its message
/// before the sweeper queues it again (a queue backlog is not a stranding).
pub const SWEEP_GRACE_SECONDS: i64 = 900;

/// A state change of a delivery. Written once here: the in-memory store
/// applies it with `Delivery::apply`, DynamoDB as one conditional UpdateItem
/// of the same `Effects`; both check `Delivery::admits`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A sender takes a pending delivery that is due, until `lease_until`:
    /// whoever else holds a message for the same attempt finds it taken.
    Claimed { lease_until: Timestamp },
    /// An attempt was made (or none could be: `attempt` is `None`), with its outcome.
    /// `body`: what was sent when the webhook shapes it (`None`: the default body).
    Attempted {
        attempt: Option<Attempt>,
        outcome: Outcome,
        body: Option<JsonText>,
    },
    /// It waits for a rate-limited webhook's send slot, which it holds.
    Held { slot: Timestamp },
    /// A manual retry of a final delivery: a sender holds it until `lease_until`.
    Reopened { lease_until: Timestamp },
    /// A test-send's new delivery, before it is recorded: the caller's sender
    /// holds it from the start, until `lease_until`.
    TestSent { lease_until: Timestamp },
    /// A delivered or failed delivery queued again (a replay; recover is
    /// one), due at `due`, only if it has not changed since `unchanged_since`
    /// (when the replay began): a page of a replay worked twice, or two
    /// replays at once, send it once.
    Requeued {
        due: Timestamp,
        unchanged_since: Timestamp,
    },
    /// The sweeper queued it again: look again only after another grace period.
    Swept,
    /// A poll webhook's delivery the account fetched and acknowledged (a
    /// cursor naming it came back): `delivered`, only if it is `webhook`'s
    /// and has not changed since it was handed out at `handed_out_at`.
    Acknowledged {
        webhook: WebhookId,
        handed_out_at: Timestamp,
    },
    /// A poll webhook's delivered or failed delivery made fetchable again
    /// (retry, recover, replay): back in `webhook`'s feed, at the end of it
    /// (from the change's time), only if unchanged since `unchanged_since`
    /// when a replay asks that.
    Reoffered {
        webhook: WebhookId,
        unchanged_since: Option<Timestamp>,
    },
}

impl Change {
    /// The statuses this change may start from.
    pub fn allowed_from(&self) -> &'static [DeliveryStatus] {
        use DeliveryStatus::*;
        match self {
            Self::Claimed { .. }
            | Self::Attempted { .. }
            | Self::Held { .. }
            | Self::Swept
            | Self::Acknowledged { .. } => &[Created, Scheduled, Dispatched],
            Self::Reopened { .. } | Self::Requeued { .. } | Self::Reoffered { .. } => {
                &[Delivered, Failed]
            }
            Self::TestSent { .. } => &[Created],
        }
    }

    /// The time before which the delivery must have last changed, if the change needs one.
    pub fn unchanged_since(&self) -> Option<Timestamp> {
        match self {
            Self::Requeued {
                unchanged_since, ..
            } => Some(*unchanged_since),
            Self::Reoffered {
                unchanged_since, ..
            } => *unchanged_since,
            // Handed out at that millisecond: a change made later is not
            // what the consumer saw.
            Self::Acknowledged { handed_out_at, .. } => Some(handed_out_at.plus_millis(1)),
            _ => None,
        }
    }

    /// The webhook the delivery must be of, if the change names one.
    pub fn webhook(&self) -> Option<WebhookId> {
        match self {
            Self::Acknowledged { webhook, .. } => Some(*webhook),
            _ => None,
        }
    }
}

/// What a change does to one optional attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field<T> {
    Keep,
    Set(T),
    Clear,
}

impl<T> Field<T> {
    fn of(value: Option<T>) -> Self {
        value.map_or(Self::Clear, Self::Set)
    }

    pub(super) fn apply(self, to: &mut Option<T>) {
        match self {
            Self::Keep => {}
            Self::Set(value) => *to = Some(value),
            Self::Clear => *to = None,
        }
    }
}

/// The attributes a change writes, given the attempt count it expects and
/// when it happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effects {
    /// `None`: the status stays (the sweeper's touch).
    pub status: Option<DeliveryStatus>,
    /// Set only when an attempt was made.
    pub attempted: Option<(u16, u32, Attempt)>,
    pub next_attempt_at: Field<Timestamp>,
    pub lease_until: Field<Timestamp>,
    pub sweep_at: Field<Timestamp>,
    /// Written with `sweep_at`: the bucket that wakes it, if it waits beyond the queue.
    pub wake: Field<WakeBucket>,
    pub held_slot: Field<Timestamp>,
    pub failure_reason: Field<FailureReason>,
    /// The body as shaped, written with each attempt made.
    pub sent_body: Field<JsonText>,
    /// Set: it waits in this poll webhook's feed from its `next_attempt_at`
    /// (only a change that puts it back there says so; the stores derive
    /// the feed entry of a new delivery from it, `Delivery::in_feed`).
    pub feed: Option<WebhookId>,
    pub updated_at: Timestamp,
}

impl Effects {
    /// A change to `status`, due next at `next` (or leased until `lease`),
    /// swept a grace period after that; everything else it clears.
    fn waiting(
        id: DeliveryId,
        status: DeliveryStatus,
        next: Option<Timestamp>,
        lease: Option<Timestamp>,
        now: Timestamp,
    ) -> Self {
        let due = next.or(lease);
        let wake = next.filter(|at| beyond_queue(now, *at));
        Self {
            status: Some(status),
            attempted: None,
            next_attempt_at: Field::of(next),
            lease_until: Field::of(lease),
            sweep_at: Field::of(due.map(|at| at.plus_seconds(SWEEP_GRACE_SECONDS))),
            wake: Field::of(wake.map(|at| WakeBucket::of(id, at))),
            held_slot: Field::Clear,
            failure_reason: Field::Clear,
            sent_body: Field::Keep,
            feed: None,
            updated_at: now,
        }
    }

    /// A change at `now` that keeps every attribute and the status.
    fn touch(now: Timestamp) -> Self {
        Self {
            status: None,
            attempted: None,
            next_attempt_at: Field::Keep,
            lease_until: Field::Keep,
            sweep_at: Field::Keep,
            wake: Field::Keep,
            held_slot: Field::Keep,
            failure_reason: Field::Keep,
            sent_body: Field::Keep,
            feed: None,
            updated_at: now,
        }
    }

    /// What `change` writes on delivery `id` that has made `attempts` attempts, at `now`.
    pub fn of(id: DeliveryId, change: &Change, attempts: u32, now: Timestamp) -> Self {
        use DeliveryStatus::{Created, Delivered, Dispatched, Scheduled};
        match change {
            // Its sweep time stays: a claim moves no index entry.
            Change::Claimed { lease_until } => Self {
                status: Some(Dispatched),
                next_attempt_at: Field::Clear,
                lease_until: Field::Set(*lease_until),
                ..Self::touch(now)
            },
            Change::Attempted {
                attempt,
                outcome,
                body,
            } => {
                let (next, reason) = match outcome {
                    Outcome::RetryAt(due) => (Some(*due), None),
                    Outcome::Failed(why) => (None, Some(*why)),
                    Outcome::Delivered => (None, None),
                };
                Self {
                    attempted: attempt.clone().map(|a| (a.code, attempts + 1, a)),
                    failure_reason: Field::of(reason),
                    sent_body: match attempt {
                        Some(_) => Field::of(body.clone()),
                        None => Field::Keep,
                    },
                    ..Self::waiting(id, outcome.status(), next, None, now)
                }
            }
            Change::Held { slot } => Self {
                held_slot: Field::Set(*slot),
                ..Self::waiting(id, Scheduled, Some(*slot), None, now)
            },
            Change::Reopened { lease_until } | Change::TestSent { lease_until } => {
                Self::waiting(id, Dispatched, None, Some(*lease_until), now)
            }
            Change::Requeued { due, .. } => Self::waiting(id, Scheduled, Some(*due), None, now),
            // A message is on its way now: no bucket wakes it any more.
            Change::Swept => Self {
                sweep_at: Field::Set(now.plus_seconds(SWEEP_GRACE_SECONDS)),
                wake: Field::Clear,
                ..Self::touch(now)
            },
            Change::Acknowledged { .. } => Self::waiting(id, Delivered, None, None, now),
            // Fetchable from now, with no sweep time: nothing is queued for it.
            Change::Reoffered { webhook, .. } => Self {
                sweep_at: Field::Clear,
                wake: Field::Clear,
                feed: Some(*webhook),
                ..Self::waiting(id, Created, Some(now), None, now)
            },
        }
    }
}
