//! The delivery lists: every filter, sort and page, and their read bounds.

use crate::support::*;
use hookrelay::domain::delivery::{Delivery, DeliveryStatus};
use hookrelay::domain::event::{EventKind, EventPart};
use hookrelay::domain::ids::{AccountId, DeliveryId, EventId, WebhookId};
use hookrelay::domain::listing::{Cursor, ListParams, Order, SortField};
use hookrelay::domain::time::Timestamp;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::{DeliveryFilter, Store, StoreError};

/// The seeded deliveries: their owner, the owner's 1,000, the 3 webhooks,
/// and the time they are listed at.
struct Seeded {
    owner: AccountId,
    all: Vec<Delivery>,
    webhooks: Vec<WebhookId>,
    now: Timestamp,
}

/// 1,000 deliveries of one account, an hour apart (41 days), over 5 statuses,
/// 3 webhooks and ad-hoc URLs, 2 event names × 3 types, shuffled updated_at;
/// every 50th expired; plus 20 of another account.
async fn seed_deliveries(store: &dyn Store) -> Seeded {
    let owner = account("Owner").id;
    let webhooks: Vec<WebhookId> = (0..3)
        .map(|_| WebhookId::generate(at(0), &OsRandom))
        .collect();
    let now = at(2_000 * 3_600_000);
    let mut all = Vec::new();
    for i in 0..1_020i64 {
        let account_id = if i < 1_000 {
            owner
        } else {
            account("Other").id
        };
        let created = at(i * 3_600_000);
        let name = ["user", "order"][(i % 2) as usize];
        let kind = ["created", "paid", "deleted"][(i % 3) as usize];
        let mut source = event(account_id);
        source.event = EventKind {
            name: EventPart::parse(name).unwrap(),
            kind: EventPart::parse(kind).unwrap(),
        };
        source.id = EventId::generate(created, &OsRandom);
        source.created_at = created;
        source.expires_at = if i % 50 == 0 {
            now.epoch_seconds()
        } else {
            now.epoch_seconds() + 86_400
        };
        let webhook = (i % 7 != 0).then(|| webhooks[(i % 3) as usize]);
        let fields = serde_json::json!({
            "created_at": created,
            "updated_at": at(((i * 7_919) % 1_000) * 3_600_000 + 1),
            "status": DeliveryStatus::ALL[(i % 5) as usize],
        });
        all.push(with_fields(&delivery(&source, webhook), fields));
    }
    store.insert_deliveries(&all).await.unwrap();
    all.truncate(1_000);
    Seeded {
        owner,
        all,
        webhooks,
        now,
    }
}

fn expected_deliveries(
    all: &[Delivery],
    filter: &DeliveryFilter,
    params: &ListParams,
    now: Timestamp,
) -> Vec<DeliveryId> {
    let mut picked: Vec<&Delivery> = all
        .iter()
        .filter(|d| {
            now.epoch_seconds() < d.expires_at()
                && filter.matches(d)
                && params.in_window(d.created_at())
        })
        .collect();
    picked.sort_by_key(|d| match params.sort {
        SortField::UpdatedAt => (d.updated_at(), d.id()),
        SortField::CreatedAt | SortField::Id => (d.created_at(), d.id()),
    });
    if params.order == Order::Desc {
        picked.reverse();
    }
    picked.into_iter().map(|d| d.id()).collect()
}

async fn deliveries_by_cursor(
    store: &dyn Store,
    account: AccountId,
    filter: &DeliveryFilter,
    mut params: ListParams,
    now: Timestamp,
) -> Vec<DeliveryId> {
    let mut ids = Vec::new();
    loop {
        let page = store
            .list_deliveries(account, filter, &params, now)
            .await
            .unwrap();
        assert!(page.items.len() <= params.limit as usize);
        ids.extend(page.items.iter().map(|d| d.id()));
        match page.next_cursor {
            Some(cursor) => params.cursor = Some(Cursor::decode(&cursor.encode()).unwrap()),
            None => return ids,
        }
    }
}

pub async fn a_thousand_deliveries_list_by_every_filter_sort_and_page(store: &dyn Store) {
    let seeded = seed_deliveries(store).await;
    every_sort_and_order_pages_alike(store, &seeded).await;
    for filter in &filters(&seeded) {
        filtered_and_windowed_alike(store, &seeded, filter).await;
    }
    window_edges_and_strangers(store, &seeded).await;
}

/// Every sort and order, by cursor and by offset.
async fn every_sort_and_order_pages_alike(store: &dyn Store, seeded: &Seeded) {
    let (owner, now, none) = (seeded.owner, seeded.now, DeliveryFilter::default());
    for sort in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Id] {
        for order in [Order::Asc, Order::Desc] {
            let params = ListParams {
                sort,
                order,
                limit: 100,
                ..ListParams::default()
            };
            let want = expected_deliveries(&seeded.all, &none, &params, now);
            assert_eq!(want.len(), 980, "20 of 1,000 expired");
            assert_eq!(
                deliveries_by_cursor(store, owner, &none, params.clone(), now).await,
                want,
                "{sort:?} {order:?}"
            );
            // Offset paging reads offset + limit items a page: checked for the
            // default order here (and in every order by the webhook suite).
            if (sort, order) != (SortField::CreatedAt, Order::Desc) {
                continue;
            }
            let mut by_offset = Vec::new();
            for offset in (0..1_000).step_by(100) {
                let params = ListParams {
                    offset,
                    ..params.clone()
                };
                let page = store
                    .list_deliveries(owner, &none, &params, now)
                    .await
                    .unwrap();
                by_offset.extend(page.items.iter().map(|d| d.id()));
            }
            assert_eq!(by_offset, want, "{sort:?} {order:?} by offset");
        }
    }
}

/// Every filter alone and combined.
fn filters(seeded: &Seeded) -> Vec<DeliveryFilter> {
    let part = |s: &str| Some(EventPart::parse(s).unwrap());
    let (none, webhooks) = (DeliveryFilter::default(), &seeded.webhooks);
    let statuses = |statuses: &[DeliveryStatus]| DeliveryFilter {
        statuses: statuses.to_vec(),
        ..none.clone()
    };
    vec![
        statuses(&[DeliveryStatus::Delivered]),
        statuses(&[DeliveryStatus::Failed, DeliveryStatus::Scheduled]),
        statuses(&[DeliveryStatus::Failed]),
        DeliveryFilter {
            event_id: Some(seeded.all[501].event_id()),
            ..none.clone()
        },
        DeliveryFilter {
            webhook_id: Some(webhooks[1]),
            ..none.clone()
        },
        DeliveryFilter {
            webhook_id: Some(webhooks[2]),
            ..statuses(&[DeliveryStatus::Created])
        },
        DeliveryFilter {
            event_name: part("order"),
            ..none.clone()
        },
        DeliveryFilter {
            event_name: part("user"),
            event_type: part("deleted"),
            ..none.clone()
        },
        DeliveryFilter {
            event_name: part("user"),
            webhook_id: Some(webhooks[0]),
            ..statuses(&[DeliveryStatus::Dispatched])
        },
    ]
}

/// `filter` in the default order, and by updated_at within a window
/// (start inclusive, end exclusive).
async fn filtered_and_windowed_alike(store: &dyn Store, seeded: &Seeded, filter: &DeliveryFilter) {
    let window = (at(100 * 3_600_000), at(700 * 3_600_000));
    for (sort, order, windowed) in [
        (SortField::CreatedAt, Order::Desc, false),
        (SortField::UpdatedAt, Order::Asc, true),
    ] {
        let (start, end) = if windowed {
            (Some(window.0), Some(window.1))
        } else {
            (None, None)
        };
        let params = ListParams {
            sort,
            order,
            start,
            end,
            limit: 100,
            ..ListParams::default()
        };
        let want = expected_deliveries(&seeded.all, filter, &params, seeded.now);
        assert!(!want.is_empty(), "{filter:?}");
        assert_eq!(
            deliveries_by_cursor(store, seeded.owner, filter, params, seeded.now).await,
            want,
            "{filter:?} {sort:?} {order:?}"
        );
    }
}

/// Window edges to the millisecond; another account sees none of them.
async fn window_edges_and_strangers(store: &dyn Store, seeded: &Seeded) {
    let (owner, now, none) = (seeded.owner, seeded.now, DeliveryFilter::default());
    let edge = ListParams {
        start: Some(at(3_600_000)),
        end: Some(at(2 * 3_600_000)),
        ..ListParams::default()
    };
    let page = store
        .list_deliveries(owner, &none, &edge, now)
        .await
        .unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|d| d.created_at())
            .collect::<Vec<_>>(),
        vec![at(3_600_000)]
    );
    let stranger = store
        .list_deliveries(account("Stranger").id, &none, &ListParams::default(), now)
        .await
        .unwrap();
    assert!(stranger.items.is_empty());
    let theirs = DeliveryFilter {
        webhook_id: Some(seeded.webhooks[0]),
        ..none.clone()
    };
    let other = store
        .list_deliveries(account("Stranger").id, &theirs, &ListParams::default(), now)
        .await
        .unwrap();
    assert!(other.items.is_empty());
}

pub async fn an_offset_past_the_read_cap_still_returns_its_page(store: &dyn Store) {
    let owner = account("Owner").id;
    let all: Vec<Delivery> = (0..1_200i64)
        .map(|i| {
            let mut source = event(owner);
            source.id = EventId::generate(at(i * 1_000), &OsRandom);
            let fields = serde_json::json!({ "created_at": at(i * 1_000) });
            with_fields(&delivery(&source, None), fields)
        })
        .collect();
    store.insert_deliveries(&all).await.unwrap();
    let params = ListParams {
        offset: 1_100,
        limit: 10,
        ..ListParams::default()
    };
    let page = store
        .list_deliveries(owner, &DeliveryFilter::default(), &params, at(0))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 10, "next_cursor: {:?}", page.next_cursor);
}

pub async fn an_updated_at_sort_reads_a_bounded_window(store: &dyn Store) {
    let owner = account("Owner").id;
    let all: Vec<Delivery> = (0..5_010)
        .map(|_| {
            let mut one = event(owner);
            one.id = EventId::generate(at(0), &OsRandom);
            delivery(&one, None)
        })
        .collect();
    store.insert_deliveries(&all).await.unwrap();
    // A filter that matches almost nothing still reads the window.
    let rare = DeliveryFilter {
        event_id: None,
        event_name: Some(EventPart::parse("rare").expect("part")),
        ..DeliveryFilter::default()
    };
    let params = ListParams {
        sort: SortField::UpdatedAt,
        ..ListParams::default()
    };
    let read = store.list_deliveries(owner, &rare, &params, at(5)).await;
    assert!(
        matches!(read, Err(StoreError::TooBroad { field: "sort", .. })),
        "{read:?}"
    );
    // A window that holds fewer reads it whole.
    let narrow = ListParams {
        end: Some(at(0)),
        ..params
    };
    let read = store.list_deliveries(owner, &rare, &narrow, at(5)).await;
    assert!(read.is_ok(), "{read:?}");
}
