//! Reading lists: a page of one Query, and a page merged from several
//! partitions read in the same key order (an account's delivery shards).

use super::keys::{decode, s, Item};
use super::sdk::{text, unavailable};
use super::DynamoStore;
use crate::domain::delivery::Delivery;
use crate::domain::listing::{ListParams, Order, Page};
use crate::domain::webhook::Webhook;
use crate::ports::store::StoreError;
use async_trait::async_trait;
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use std::collections::VecDeque;

/// Most items one list request reads (before its filters): past this, the
/// page ends early with a cursor, so a sparse filter cannot make one request
/// read a whole partition.
pub const READ_CAP: usize = 1_000;

/// Where a merged read takes its keys from.
pub struct Source {
    /// `None`: the base table.
    pub index: Option<&'static str>,
    pub pk_attr: &'static str,
    pub sk_attr: &'static str,
    /// One partition key per shard.
    pub partitions: Vec<String>,
    /// The index holds keys only: items are fetched by their base key.
    pub keys_only: bool,
}

/// One partition's Query, read page by page as the merge needs it: small
/// pages first (its share of the page), twice as large each time it runs
/// dry, so a merged page of `n` reads O(n + partitions) items.
struct Stream {
    query: QueryFluentBuilder,
    buffered: VecDeque<Item>,
    next_start: Option<Item>,
    next_size: usize,
    done: bool,
}

impl Stream {
    async fn refill(&mut self) -> Result<(), StoreError> {
        let response = self
            .query
            .clone()
            .limit(i32::try_from(self.next_size).unwrap_or(i32::MAX))
            .set_exclusive_start_key(self.next_start.take())
            .send()
            .await
            .map_err(unavailable)?;
        self.buffered.extend(response.items.unwrap_or_default());
        self.next_start = response.last_evaluated_key;
        self.done = self.next_start.is_none();
        self.next_size = (self.next_size * 2).min(MAX_QUERY_ITEMS);
        Ok(())
    }
}

/// The most items one Query asks for.
const MAX_QUERY_ITEMS: usize = 1_000;

/// The items of one page as they are read: those `keep` passes, past the
/// offset, until `offset + limit + 1` (the extra one tells another page exists).
struct Collected<T> {
    wanted: usize,
    offset: usize,
    seen: usize,
    items: Vec<T>,
    /// Items read, kept or not, and the sort key of the last one.
    read: usize,
    last_read: Option<String>,
}

/// What a list reads, from an item as stored.
#[async_trait]
pub(super) trait FromItem: Sized + Send {
    async fn from_item(store: &DynamoStore, item: Item) -> Result<Self, StoreError>;
}

#[async_trait]
impl FromItem for Delivery {
    async fn from_item(_: &DynamoStore, item: Item) -> Result<Self, StoreError> {
        decode(item)
    }
}

#[async_trait]
impl FromItem for Webhook {
    async fn from_item(store: &DynamoStore, item: Item) -> Result<Self, StoreError> {
        store.open_item(item).await
    }
}

impl<T> Collected<T> {
    fn new(params: &ListParams) -> Self {
        let offset = params.offset as usize;
        Self {
            wanted: offset + params.limit as usize + 1,
            offset,
            seen: 0,
            items: Vec::new(),
            read: 0,
            last_read: None,
        }
    }

    /// Takes `item` if `keep` passes it; whether the page is full.
    fn offer(&mut self, item: T, keep: &impl Fn(&T) -> bool, key: &impl Fn(&T) -> String) -> bool {
        self.read += 1;
        self.last_read = Some(key(&item));
        if keep(&item) {
            self.seen += 1;
            if self.seen > self.offset {
                self.items.push(item);
            }
        }
        self.seen == self.wanted
    }

    /// Whether this request has read as much as one may: `READ_CAP` items
    /// beyond those an offset skips (an offset is at most 10,000).
    fn capped(&self) -> bool {
        self.read >= READ_CAP + self.offset
    }

    /// The page; one cut short by `READ_CAP` continues after the last item read.
    fn finish(self, params: &ListParams, key: impl Fn(&T) -> String) -> Page<T> {
        let capped = self.capped() && self.seen < self.wanted;
        let mut page = Page::from_overfetch(self.items, params, key);
        if capped && page.next_cursor.is_none() {
            page.next_cursor = self.last_read.map(|k| params.cursor_after(k));
        }
        page
    }
}

impl DynamoStore {
    /// Reads pages of `query` until `offset + limit + 1` items pass `keep`.
    pub(super) async fn collect_page<T: FromItem>(
        &self,
        query: QueryFluentBuilder,
        start_key: Option<Item>,
        params: &ListParams,
        keep: impl Fn(&T) -> bool,
        key: impl Fn(&T) -> String,
    ) -> Result<Page<T>, StoreError> {
        let query = query.scan_index_forward(params.order == Order::Asc);
        let (mut page, mut start_key) = (Collected::new(params), start_key);
        'pages: loop {
            // At least 100 a call: with a filter applied here, asking for only
            // what is still missing would take many round trips.
            let missing = page.wanted - page.seen;
            let batch = i32::try_from(missing.clamp(100, 1000)).unwrap_or(1000);
            let response = query
                .clone()
                .limit(batch)
                .set_exclusive_start_key(start_key.take())
                .send()
                .await
                .map_err(unavailable)?;
            for raw in response.items.unwrap_or_default() {
                if page.offer(T::from_item(self, raw).await?, &keep, &key) {
                    break 'pages;
                }
            }
            match response.last_evaluated_key {
                Some(last) if !page.capped() => start_key = Some(last),
                _ => break,
            }
        }
        Ok(page.finish(params, key))
    }

    /// A page from the shards of `source` within `[low, high]`, merged in
    /// sort-key order: `offset + limit + 1` items that pass `keep`, or fewer
    /// when `READ_CAP` items were read (then the cursor is the last read).
    pub(super) async fn merged_page<T: FromItem>(
        &self,
        source: &Source,
        (low, high): (String, String),
        params: &ListParams,
        keep: impl Fn(&T) -> bool,
        key: impl Fn(&T) -> String,
    ) -> Result<Page<T>, StoreError> {
        let mut page = Collected::new(params);
        let share = page.wanted.div_ceil(source.partitions.len().max(1)) + 1;
        let mut streams: Vec<Stream> = source
            .partitions
            .iter()
            .map(|pk| Stream {
                query: self
                    .client
                    .query()
                    .table_name(&self.table)
                    .set_index_name(source.index.map(str::to_owned))
                    .key_condition_expression("#pk = :p AND #sk BETWEEN :low AND :high")
                    .expression_attribute_names("#pk", source.pk_attr)
                    .expression_attribute_names("#sk", source.sk_attr)
                    .expression_attribute_values(":p", s(pk.clone()))
                    .expression_attribute_values(":low", s(low.clone()))
                    .expression_attribute_values(":high", s(high.clone()))
                    .scan_index_forward(params.order == Order::Asc)
                    .consistent_read(source.index.is_none()),
                buffered: VecDeque::new(),
                next_start: None,
                next_size: share.clamp(2, MAX_QUERY_ITEMS),
                done: false,
            })
            .collect();
        loop {
            let wanted = (page.wanted - page.seen).clamp(1, 100);
            let picked = next_keys(&mut streams, source, params.order, wanted).await?;
            if picked.is_empty() {
                return Ok(page.finish(params, key));
            }
            let full = if source.keys_only {
                self.batch_get(picked).await?
            } else {
                picked
            };
            for raw in full {
                if page.offer(T::from_item(self, raw).await?, &keep, &key) {
                    return Ok(page.finish(params, key));
                }
            }
            if page.capped() {
                return Ok(page.finish(params, key));
            }
        }
    }
}

/// Up to `max` items (or keys) in merged order across `streams`; a stream
/// that runs dry is read again (all of them at once) before the next pick.
async fn next_keys(
    streams: &mut [Stream],
    source: &Source,
    order: Order,
    max: usize,
) -> Result<Vec<Item>, StoreError> {
    let mut picked = Vec::new();
    while picked.len() < max {
        let dry = streams
            .iter_mut()
            .filter(|st| st.buffered.is_empty() && !st.done)
            .map(Stream::refill);
        futures::future::try_join_all(dry).await?;
        let heads = streams
            .iter()
            .enumerate()
            .filter_map(|(i, st)| {
                st.buffered
                    .front()
                    .map(|item| Ok((i, text(item, source.sk_attr)?)))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let best = heads.into_iter().reduce(|a, b| match (order, b.1 < a.1) {
            (Order::Asc, true) | (Order::Desc, false) => b,
            _ => a,
        });
        match best.and_then(|(i, _)| streams[i].buffered.pop_front()) {
            Some(item) => picked.push(item),
            None => break,
        }
    }
    Ok(picked)
}
