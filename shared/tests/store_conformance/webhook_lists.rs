//! The webhook list: every sort, order, page, filter and window.

use crate::support::*;
use hookrelay::domain::ids::{AccountId, WebhookId};
use hookrelay::domain::listing::{Cursor, ListParams, Order, SortField};
use hookrelay::domain::webhook::Webhook;
use hookrelay::ports::store::{Store, WebhookFilter};

/// 23 webhooks with distinct created_at, shuffled updated_at, some disabled.
async fn seed(store: &dyn Store) -> (AccountId, Vec<Webhook>) {
    let owner = account("Lister").id;
    let neighbour = account("Neighbour").id;
    let mut hooks = Vec::new();
    for i in 0..23i64 {
        let hook = webhook(owner, i * 1_000, ((i * 7) % 23) * 1_000 + 500, i % 3 != 0);
        store.insert_webhook(&hook, &noted()).await.unwrap();
        hooks.push(hook);
    }
    store
        .insert_webhook(&webhook(neighbour, 5_000, 5_000, true), &noted())
        .await
        .unwrap();
    (owner, hooks)
}

fn expected(
    hooks: &[Webhook],
    sort: SortField,
    order: Order,
    keep: impl Fn(&Webhook) -> bool,
) -> Vec<WebhookId> {
    let mut picked: Vec<&Webhook> = hooks.iter().filter(|w| keep(w)).collect();
    picked.sort_by_key(|w| match sort {
        SortField::CreatedAt => (w.created_at(), w.id()),
        SortField::UpdatedAt => (w.updated_at(), w.id()),
        SortField::Id => (at(0), w.id()),
    });
    if order == Order::Desc {
        picked.reverse();
    }
    picked.into_iter().map(|w| w.id()).collect()
}

async fn all_pages(
    store: &dyn Store,
    account: AccountId,
    filter: &WebhookFilter,
    mut params: ListParams,
) -> Vec<WebhookId> {
    let mut ids = Vec::new();
    loop {
        let page = store.list_webhooks(account, filter, &params).await.unwrap();
        assert!(page.items.len() <= params.limit as usize);
        ids.extend(page.items.iter().map(|w| w.id()));
        match page.next_cursor {
            // Cursors travel as text in the API.
            Some(cursor) => params.cursor = Some(Cursor::decode(&cursor.encode()).unwrap()),
            None => return ids,
        }
    }
}

pub async fn every_sort_and_order_pages_the_same_by_cursor_and_offset(store: &dyn Store) {
    let (owner, hooks) = seed(store).await;
    let none = WebhookFilter::default();
    for sort in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Id] {
        for order in [Order::Asc, Order::Desc] {
            let want = expected(&hooks, sort, order, |_| true);
            let params = ListParams {
                sort,
                order,
                limit: 5,
                ..ListParams::default()
            };
            assert_eq!(
                all_pages(store, owner, &none, params.clone()).await,
                want,
                "{sort:?} {order:?} by cursor"
            );
            let mut by_offset = Vec::new();
            for offset in (0..25).step_by(5) {
                let page = store
                    .list_webhooks(
                        owner,
                        &none,
                        &ListParams {
                            offset,
                            ..params.clone()
                        },
                    )
                    .await
                    .unwrap();
                by_offset.extend(page.items.iter().map(|w| w.id()));
            }
            assert_eq!(by_offset, want, "{sort:?} {order:?} by offset");
        }
    }
    let last = store
        .list_webhooks(
            owner,
            &none,
            &ListParams {
                offset: 20,
                limit: 5,
                ..ListParams::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(last.items.len(), 3);
    assert!(last.next_cursor.is_none());
}

pub async fn filters_and_windows_select_the_right_webhooks(store: &dyn Store) {
    let (owner, hooks) = seed(store).await;
    every_filter_and_sort_in_the_window(store, owner, &hooks).await;
    cursors_and_edges_of_the_window(store, owner, &hooks).await;
}

/// The window both `filters_and_windows` checks read.
const WINDOW: (i64, i64) = (4_000, 15_000);

async fn every_filter_and_sort_in_the_window(
    store: &dyn Store,
    owner: AccountId,
    hooks: &[Webhook],
) {
    let (start, end) = (at(WINDOW.0), at(WINDOW.1));
    for sort in [SortField::CreatedAt, SortField::UpdatedAt, SortField::Id] {
        for enabled in [None, Some(true), Some(false)] {
            let filter = WebhookFilter { enabled };
            let keep = |w: &Webhook| {
                enabled.is_none_or(|on| w.enabled() == on)
                    && w.created_at() >= start
                    && w.created_at() < end
            };
            let want = expected(hooks, sort, Order::Asc, keep);
            let params = ListParams {
                sort,
                order: Order::Asc,
                start: Some(start),
                end: Some(end),
                limit: 3,
                ..ListParams::default()
            };
            assert_eq!(
                all_pages(store, owner, &filter, params).await,
                want,
                "{sort:?} enabled={enabled:?}"
            );
        }
    }
}

/// A cursor from before the window continues with the whole window; one
/// past its end in this order yields nothing. start is inclusive and end
/// exclusive, to the millisecond.
async fn cursors_and_edges_of_the_window(store: &dyn Store, owner: AccountId, hooks: &[Webhook]) {
    let (start, end) = (at(WINDOW.0), at(WINDOW.1));
    let first = hooks[0].id().to_string();
    let window = |order| ListParams {
        order,
        start: Some(start),
        end: Some(end),
        cursor: Some(Cursor {
            sort: SortField::Id,
            order,
            after: first.clone(),
        }),
        sort: SortField::Id,
        ..ListParams::default()
    };
    let all = WebhookFilter::default();
    let asc = store
        .list_webhooks(owner, &all, &window(Order::Asc))
        .await
        .unwrap();
    let want = expected(hooks, SortField::Id, Order::Asc, |w| {
        w.created_at() >= start && w.created_at() < end
    });
    assert_eq!(asc.items.iter().map(|w| w.id()).collect::<Vec<_>>(), want);
    let desc = store
        .list_webhooks(owner, &all, &window(Order::Desc))
        .await
        .unwrap();
    assert!(desc.items.is_empty());
    let exact = ListParams {
        start: Some(at(4_000)),
        end: Some(at(5_000)),
        ..ListParams::default()
    };
    let page = store
        .list_webhooks(owner, &WebhookFilter::default(), &exact)
        .await
        .unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|w| w.created_at())
            .collect::<Vec<_>>(),
        vec![at(4_000)]
    );
}
