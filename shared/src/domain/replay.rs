//! What a replay sends again: a webhook's final deliveries created in a
//! window, by status and event, as they were when the replay began. Recover
//! is the replay of the failed ones since a time; switching a webhook on
//! with `replay_failed` replays what failed while it was off.

use crate::domain::delivery::{Delivery, DeliveryStatus};
use crate::domain::event::EventPart;
use crate::domain::ids::WebhookId;
use crate::domain::listing::{Cursor, ListParams, Order, SortField};
use crate::domain::time::Timestamp;
use crate::ports::store::DeliveryFilter;
use serde::{Deserialize, Serialize};

/// Which of a webhook's deliveries a replay sends again; its task keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub webhook_id: WebhookId,
    /// Created at or after this.
    pub since: Timestamp,
    /// Created before this; `None`: no bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
    /// Any of these final statuses (a recover task recorded before replays
    /// existed names none: it took the failed ones).
    #[serde(default = "failed_only")]
    pub statuses: Vec<DeliveryStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<EventPart>,
    /// Only with `event_name` (`name.type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventPart>,
    /// Only deliveries that ended after this (what failed while the webhook was off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_after: Option<Timestamp>,
    /// When the replay began: only deliveries unchanged since are sent, so
    /// a page worked twice sends nothing twice. A recover has no such bound
    /// (`Timestamp::last`), as it never had (nor has a recover task recorded
    /// before replays existed).
    #[serde(default = "Timestamp::last")]
    pub began_at: Timestamp,
}

fn failed_only() -> Vec<DeliveryStatus> {
    vec![DeliveryStatus::Failed]
}

impl Selection {
    /// The failed deliveries of a webhook created since `since`, however
    /// often they change (a recover, as it always was).
    pub fn failed_since(webhook_id: WebhookId, since: Timestamp) -> Self {
        Self {
            webhook_id,
            since,
            until: None,
            statuses: failed_only(),
            event_name: None,
            event_type: None,
            ended_after: None,
            began_at: Timestamp::last(),
        }
    }

    /// What failed after `disabled_at` (when the webhook was switched off):
    /// deliveries still pending then, so created at most `longest_life`
    /// seconds (`config::longest_life_seconds`) before it.
    pub fn failed_while_off(
        webhook_id: WebhookId,
        disabled_at: Timestamp,
        longest_life: u64,
        now: Timestamp,
    ) -> Self {
        let life = i64::try_from(longest_life).unwrap_or(i64::MAX / 1000);
        Self {
            until: Some(now),
            ended_after: Some(disabled_at),
            began_at: now,
            ..Self::failed_since(webhook_id, disabled_at.plus_seconds(-life))
        }
    }

    /// What the store's list filters on.
    pub fn filter(&self) -> DeliveryFilter {
        DeliveryFilter {
            statuses: self.statuses.clone(),
            webhook_id: Some(self.webhook_id),
            event_name: self.event_name.clone(),
            event_type: self.event_type.clone(),
            event_id: None,
        }
    }

    /// A page of the window, in id order, after the delivery `after`.
    pub fn page(&self, after: Option<&str>) -> ListParams {
        ListParams {
            sort: SortField::Id,
            order: Order::Asc,
            start: Some(self.since),
            end: self.until,
            limit: ListParams::MAX_LIMIT,
            cursor: after.map(|id| Cursor {
                sort: SortField::Id,
                order: Order::Asc,
                after: id.to_owned(),
            }),
            ..ListParams::default()
        }
    }

    /// Whether a delivery the store listed is sent: unchanged since the
    /// replay began (the store's change checks it again), ended late enough.
    pub fn takes(&self, delivery: &Delivery) -> bool {
        let at = delivery.updated_at();
        at < self.began_at && self.ended_after.is_none_or(|after| at > after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::delivery::{Change, KeptUrl, Outcome};
    use crate::domain::event::{Event, EventKind, JsonText};
    use crate::domain::ids::{AccountId, EventId};
    use crate::domain::webhook_url::WebhookUrl;
    use crate::ports::random::OsRandom;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_millis(1_790_000_000_000 + seconds * 1000).unwrap()
    }

    /// A delivery created at 0 s that failed at `failed_at` seconds.
    fn failed_at(webhook: WebhookId, failed_at: i64) -> Delivery {
        let kind = EventKind {
            name: EventPart::parse("order").unwrap(),
            kind: EventPart::parse("paid").unwrap(),
        };
        let account = AccountId::generate(at(0), &OsRandom);
        let id = EventId::generate(at(0), &OsRandom);
        let json = || JsonText::parse("{}").unwrap();
        let event = Event::new(id, account, kind, json(), json(), at(0), 60);
        let url = KeptUrl::shown(&WebhookUrl::parse("https://hooks.example.com/in").unwrap());
        let mut delivery = Delivery::new(&event, Some(webhook), url, at(0));
        let failed = Change::Attempted {
            attempt: None,
            outcome: Outcome::Failed(crate::domain::delivery::FailureReason::WebhookDisabled),
            body: None,
        };
        delivery.apply(&failed, at(failed_at));
        delivery
    }

    #[test]
    fn what_failed_while_off_is_what_ended_after_the_switch_off_and_before_the_replay() {
        let webhook = WebhookId::generate(at(0), &OsRandom);
        let selection = Selection::failed_while_off(webhook, at(100), 3_600, at(200));
        assert_eq!(
            (selection.since, selection.until),
            (at(-3_500), Some(at(200)))
        );
        assert_eq!(selection.filter().statuses, vec![DeliveryStatus::Failed]);
        let takes = |seconds| selection.takes(&failed_at(webhook, seconds));
        assert_eq!(
            [takes(99), takes(100), takes(101), takes(199), takes(200)],
            [false, false, true, true, false]
        );
        // A recover takes whatever is failed when it gets there.
        let recover = Selection::failed_since(webhook, at(0));
        assert!(recover.takes(&failed_at(webhook, 1_000_000)));
    }
}
