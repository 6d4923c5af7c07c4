//! The table's keys: how each item is addressed and which indexes list it.
//!
//! | item | pk | sk | index keys |
//! |---|---|---|---|
//! | account | `ACCOUNT#{account}` | `ACCOUNT` | |
//! | API key: the whole key with its account (`api_keys.rs`) | `APIKEY#{sha256 hex}` | `APIKEY` | |
//! | an account's entry for each of its keys: the hash (lists, revocation) | `ACCOUNT#{account}` | `APIKEY#{key}` | |
//! | webhook | `ACCOUNT#{account}` | `WEBHOOK#{webhook}` | gsi1 (keys only): `ACCOUNT#{account}#WEBHOOKS` / `{updated_at}#{webhook}` |
//! | a webhook's health and last delivery (notes) | `HEALTH#{webhook}` | `HEALTH` | |
//! | event | `EVENT#{event}` | `EVENT` | |
//! | delivery | `D#{account}#{shard of 32}` | `{delivery}` | gsi3: `W#{webhook}#{shard of 8}` / `{delivery}`; gsi4 (sparse): pending `P#{shard of 512}` / `{sweep_at}#{delivery}`, waiting for a wake bucket `L#{group}.{shard of 16}` / `{sweep_at}#{delivery}`, failed `F#{account}#{shard of 32}` / `{delivery}`, a poll webhook's waiting to be fetched `Q#{webhook}#{shard of 8}` / `{fetchable from}#{delivery}` |
//! | a wake bucket's schedule, made | `WAKE#{minute}#{group}` | `WAKE` (expires by TTL) | |
//! | a background task (fan-out, recover, purge) | `TASK#{account}#{task}` | `TASK` | gsi4 pending `P#{shard of 512}` / `{sweep_at}#{task}` |
//! | event type | `ACCOUNT#{account}` | `EVENTTYPE#{name}.{type}` | |
//! | console link | `ACCOUNT#{account}` | `CONSOLELINK#{link}` (expires by TTL) | |
//! | a rate-limited webhook's send slots, one item per 100 sends/s | `SLOT#{webhook}#{item}` | `SLOT` (expires by TTL) | |
//! | an account's ingest-quota counters for one second, one per 500 events/s of the quota (`quota.rs`) | `QUOTA#{account}#{second}#{counter}` | `QUOTA` (expires by TTL) | |
//! | delivery stats for an hour (`stats.rs`), written round-robin | `STATS#{account}#A{shard of 8}`, `STATS#{account}#W#{webhook}#{shard of 8}` | `{hour}` (expires by TTL) | |
//! | idempotency claim | `IDEMPOTENCY#{account}#{sha256(key)}` | `IDEMPOTENCY` | |
//!
//! Every key a delivery writes is split into shards by bits of the delivery
//! id (a hash, for derived ids), so no partition key takes more than its
//! share, sized for the capacity targets (README "Scale"). A delivery's id
//! with its account still finds the item in one GetItem. Ids are UUIDv7, so
//! `sk` order is creation order. gsi3 and gsi4 project keys only (gsi4 also
//! `attempts` and a task's `step`), so a write that changes neither key
//! costs them nothing.
//!
//! `KEY_FAMILIES` lists every partition key above, table and indexes alike,
//! with the keys each spreads its load over: the partition-load simulation
//! (`hot_keys`) reads the layout from it.

use crate::domain::account::KeyHash;
use crate::domain::delivery::{Delivery, DeliveryStatus};
use crate::domain::ids::{v7_prefix, AccountId, DeliveryId, WebhookId};
use crate::domain::listing::{sort_key, ListParams, Order, SortField};
use crate::domain::quota::EVENTS_PER_COUNTER;
use crate::domain::time::Timestamp;
use crate::domain::wake::{WakeBucket, WAKE_GROUPS};
use crate::domain::webhook::{Webhook, SENDS_PER_SLOT_ITEM};
use crate::ports::store::StoreError;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// The base-table partitions an account's deliveries are spread over.
pub const DELIVERY_SHARDS: u16 = 32;
/// gsi3 partitions one webhook's deliveries are spread over.
pub const WEBHOOK_SHARDS: u16 = 8;
/// gsi4 partitions of every account's pending deliveries.
pub const PENDING_SHARDS: u16 = 512;
/// gsi4 partitions of one wake group's waiting deliveries (16 groups).
pub const WAITING_SHARDS: u16 = 16;
/// gsi4 partitions of one account's failed deliveries.
pub const FAILED_SHARDS: u16 = 32;
/// gsi4 partitions of one poll webhook's feed (its deliveries waiting to be fetched).
pub const FEED_SHARDS: u16 = 8;
/// Partitions of an account's own delivery stats (`stats.rs`).
pub const STATS_SHARDS: u16 = 8;

/// The webhooks-by-updated_at index (keys only).
pub const GSI1: &str = "gsi1";
/// A webhook's deliveries, by id (keys only).
pub const GSI3: &str = "gsi3";
/// Pending deliveries by sweep time, and an account's failed ones (sparse).
pub const GSI4: &str = "gsi4";

/// How a family of partition keys spreads the load of its scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Spread {
    /// Over this many keys, `{shard}` taking each value (1: the scope's one key).
    Shards(u16),
    /// One key per this many deliveries/s of the scope's most: keys are
    /// added as that grows (a rate limit's send slots, `RateLimit::slot_items`).
    PerRate(u16),
    /// One key per entity (`{event}`, `{hash}`): a key carries that one
    /// entity's load, whatever the rate of its scope.
    PerEntity,
}

/// A family of partition keys, as the layout writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyFamily {
    /// The key with each `#`-separated part that varies as a placeholder:
    /// `{account}` and `{webhook}` name its scope (one account's, one
    /// webhook's; with neither, the keys are shared by all accounts),
    /// `{shard}` the shard, `{event}` and `{hash}` the entity it belongs to.
    pub pattern: &'static str,
    pub spread: Spread,
}

const fn family(pattern: &'static str, spread: Spread) -> KeyFamily {
    KeyFamily { pattern, spread }
}

const ONE: Spread = Spread::Shards(1);

/// Every partition key of the table and its indexes (the table above).
pub const KEY_FAMILIES: [KeyFamily; 19] = [
    family("ACCOUNT#{account}", ONE),
    family("AUDIT#{account}", ONE),
    family("APIKEY#{hash}", Spread::PerEntity),
    family("ACCOUNT#{account}#WEBHOOKS", ONE),
    family("HEALTH#{webhook}", ONE),
    family("EVENT#{event}", Spread::PerEntity),
    family("D#{account}#{shard}", Spread::Shards(DELIVERY_SHARDS)),
    family("W#{webhook}#{shard}", Spread::Shards(WEBHOOK_SHARDS)),
    family("P#{shard}", Spread::Shards(PENDING_SHARDS)),
    family(
        "L#{shard}",
        Spread::Shards(WAITING_SHARDS * WAKE_GROUPS as u16),
    ),
    family("F#{account}#{shard}", Spread::Shards(FAILED_SHARDS)),
    family("Q#{webhook}#{shard}", Spread::Shards(FEED_SHARDS)),
    family("WAKE#{minute}#{group}", Spread::PerEntity),
    family("TASK#{account}#{task}", Spread::PerEntity),
    family("IDEMPOTENCY#{account}#{hash}", Spread::PerEntity),
    family(
        "SLOT#{webhook}#{shard}",
        Spread::PerRate(SENDS_PER_SLOT_ITEM),
    ),
    family(
        "QUOTA#{account}#{second}#{shard}",
        Spread::PerRate(EVENTS_PER_COUNTER as u16),
    ),
    family("STATS#{account}#{shard}", Spread::Shards(STATS_SHARDS)),
    family(
        "STATS#{account}#W#{webhook}#{shard}",
        Spread::Shards(STATS_SHARDS),
    ),
];

pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

pub fn account_pk(account: AccountId) -> String {
    format!("ACCOUNT#{account}")
}

pub fn key_pk(key: KeyHash) -> String {
    format!("APIKEY#{}", key.to_hex())
}

pub fn webhook_sk(id: &str) -> String {
    format!("WEBHOOK#{id}")
}

pub fn webhooks_gsi1pk(account: AccountId) -> String {
    format!("ACCOUNT#{account}#WEBHOOKS")
}

pub fn event_pk(id: impl std::fmt::Display) -> String {
    format!("EVENT#{id}")
}

pub fn wake_pk(bucket: WakeBucket) -> String {
    format!(
        "WAKE#{}#{}",
        bucket.starts_at.millis().div_euclid(60_000),
        bucket.group
    )
}

pub fn with_key(mut item: Item, pk: String, sk: &str) -> Item {
    item.insert("pk".into(), s(pk));
    item.insert("sk".into(), s(sk));
    item
}

/// The shard of `id` among `shards` (a power of two).
fn shard(id: DeliveryId, shards: u16) -> u16 {
    id.spread() % shards
}

pub fn deliveries_pk(account: AccountId, shard: u16) -> String {
    format!("D#{account}#{shard}")
}

/// The base-table key of a delivery.
pub fn delivery_key(account: AccountId, id: DeliveryId) -> Item {
    HashMap::from([
        (
            "pk".to_owned(),
            s(deliveries_pk(account, shard(id, DELIVERY_SHARDS))),
        ),
        ("sk".to_owned(), s(id.to_string())),
    ])
}

pub fn webhook_deliveries_pk(webhook: WebhookId, shard: u16) -> String {
    format!("W#{webhook}#{shard}")
}

pub fn failed_pk(account: AccountId, shard: u16) -> String {
    format!("F#{account}#{shard}")
}

pub fn pending_pk(shard: u16) -> String {
    format!("P#{shard}")
}

pub fn waiting_pk(group: u8, shard: u16) -> String {
    format!("L#{group}.{shard}")
}

/// gsi4's pending entry of an item (a delivery, a task) spread by
/// `spread`, swept at `at`: what the sweeper reads.
pub fn sweep_entry(spread: u16, at: Timestamp, id: &str) -> (String, String) {
    (pending_pk(spread % PENDING_SHARDS), format!("{at}#{id}"))
}

fn feed_pk(webhook: WebhookId, shard: u16) -> String {
    format!("Q#{webhook}#{shard}")
}

/// gsi4's entry of a poll webhook's delivery waiting to be fetched from `at`.
pub fn feed_entry(webhook: WebhookId, id: DeliveryId, at: Timestamp) -> (String, String) {
    let pk = feed_pk(webhook, shard(id, FEED_SHARDS));
    (pk, format!("{at}#{id}"))
}

/// The partitions of a poll webhook's feed.
pub fn feed_partitions(webhook: WebhookId) -> Vec<String> {
    (0..FEED_SHARDS).map(|i| feed_pk(webhook, i)).collect()
}

/// gsi4's keys for a delivery in `status` with `sweep_at`: pending ones by
/// sweep time (what the sweeper reads; in their wake bucket's group when a
/// bucket wakes them), failed ones by id (what `status=failed` lists),
/// delivered ones not at all.
pub fn gsi4_keys(
    account: AccountId,
    id: DeliveryId,
    status: DeliveryStatus,
    sweep_at: Option<Timestamp>,
    wake: Option<WakeBucket>,
) -> Option<(String, String)> {
    match (status, sweep_at) {
        (DeliveryStatus::Failed, _) => {
            Some((failed_pk(account, shard(id, FAILED_SHARDS)), id.to_string()))
        }
        (DeliveryStatus::Delivered, _) | (_, None) => None,
        (_, Some(at)) => Some(match wake {
            Some(bucket) => (
                waiting_pk(bucket.group, shard(id, WAITING_SHARDS)),
                format!("{at}#{id}"),
            ),
            None => sweep_entry(id.spread(), at, &id.to_string()),
        }),
    }
}

/// The partitions a webhook's deliveries are listed from (gsi3).
pub fn webhook_partitions(webhook: WebhookId) -> Vec<String> {
    (0..WEBHOOK_SHARDS)
        .map(|i| webhook_deliveries_pk(webhook, i))
        .collect()
}

/// The partitions of an account's deliveries (the base table) or of its
/// failed ones (gsi4).
pub fn account_partitions(account: AccountId, failed: bool) -> Vec<String> {
    if failed {
        (0..FAILED_SHARDS).map(|i| failed_pk(account, i)).collect()
    } else {
        (0..DELIVERY_SHARDS)
            .map(|i| deliveries_pk(account, i))
            .collect()
    }
}

/// Every partition the sweeper reads: the pending ones, then each wake group's.
pub fn sweep_partitions() -> Vec<String> {
    let pending = (0..PENDING_SHARDS).map(pending_pk);
    let waiting =
        (0..WAKE_GROUPS).flat_map(|group| (0..WAITING_SHARDS).map(move |i| waiting_pk(group, i)));
    pending.chain(waiting).collect()
}

/// The partitions one wake bucket's deliveries sit in.
pub fn bucket_partitions(bucket: WakeBucket) -> Vec<String> {
    (0..WAITING_SHARDS)
        .map(|i| waiting_pk(bucket.group, i))
        .collect()
}

pub fn encode<T: serde::Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value)
        .map_err(|e| StoreError::Unavailable(format!("encoding an item: {e}")))
}

pub fn attribute<T: serde::Serialize>(value: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value)
        .map_err(|e| StoreError::Unavailable(format!("encoding an attribute: {e}")))
}

pub fn decode<T: serde::de::DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(format!("decoding an item: {e}")))
}

/// A delivery with its keys and the index keys that list it.
pub fn delivery_item(delivery: &Delivery) -> Result<Item, StoreError> {
    let id = delivery.id();
    let mut item = encode(delivery)?;
    item.extend(delivery_key(delivery.account_id(), id));
    if let Some(webhook) = delivery.webhook_id() {
        let pk = webhook_deliveries_pk(webhook, shard(id, WEBHOOK_SHARDS));
        item.insert("gsi3pk".into(), s(pk));
        item.insert("gsi3sk".into(), s(id.to_string()));
    }
    let keys = match delivery.in_feed() {
        Some((webhook, at)) => Some(feed_entry(webhook, id, at)),
        None => gsi4_keys(
            delivery.account_id(),
            id,
            delivery.status(),
            delivery.sweep_at(),
            delivery.wake(),
        ),
    };
    if let Some((pk, sk)) = keys {
        item.insert("gsi4pk".into(), s(pk));
        item.insert("gsi4sk".into(), s(sk));
    }
    Ok(item)
}

/// The attributes a health item holds besides its key (a webhook item
/// written before they moved out holds them too; its health item wins).
pub const HEALTH_ATTRIBUTES: [&str; 5] = [
    "last_delivery_status",
    "last_delivery_at",
    "consecutive_failures",
    "failing_since",
    "last_success_at",
];

/// A webhook's item: its configuration as `stored` (its secrets sealed:
/// `sealing::seal_webhook`); what its senders note is kept in its health
/// item, `health.rs`.
pub fn webhook_item(
    webhook: &Webhook,
    stored: &serde_json::Map<String, serde_json::Value>,
) -> Result<Item, StoreError> {
    let id = webhook.id().to_string();
    let mut item = with_key(
        encode(stored)?,
        account_pk(webhook.account_id()),
        &webhook_sk(&id),
    );
    for noted in HEALTH_ATTRIBUTES {
        item.remove(noted);
    }
    item.insert("gsi1pk".into(), s(webhooks_gsi1pk(webhook.account_id())));
    item.insert(
        "gsi1sk".into(),
        s(sort_key(SortField::UpdatedAt, &id, webhook.updated_at())),
    );
    Ok(item)
}

/// An inclusive key range for a list's created_at window, narrowed past the
/// cursor, or `None` when nothing is left in it.
pub fn id_range(params: &ListParams, sk: impl Fn(&str) -> String) -> Option<(String, String)> {
    // Ids are lowercase hex: "0" sorts before every one and "~" after.
    let low = sk(&params.start.map(v7_prefix).unwrap_or_else(|| "0".into()));
    let high = sk(&params.end.map(v7_prefix).unwrap_or_else(|| "~".into()));
    past_cursor((low, high), params, sk)
}

/// `(low, high)` narrowed to the keys past the cursor, if there is one.
pub fn past_cursor(
    (mut low, mut high): (String, String),
    params: &ListParams,
    sk: impl Fn(&str) -> String,
) -> Option<(String, String)> {
    if let Some(cursor) = &params.cursor {
        let after = sk(&cursor.after);
        match params.order {
            // Every key has the same length, so `after` + the smallest
            // printable character is the first key past it...
            Order::Asc => low = low.max(format!("{after}!")),
            // ...and `after` with its last character lowered, then "~", the last before it.
            Order::Desc => high = high.min(before(&after)?),
        }
    }
    (low <= high).then_some((low, high))
}

/// The last key before `key` (its last character lowered, then "~"); `None`
/// when there is none (an empty key, or one ending in the lowest character).
fn before(key: &str) -> Option<String> {
    let mut chars: Vec<char> = key.chars().collect();
    let lowered = char::from_u32(u32::from(chars.pop()?).checked_sub(1)?)?;
    chars.extend([lowered, '~']);
    Some(chars.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::EventId;
    use crate::ports::random::OsRandom;

    #[test]
    fn deliveries_spread_over_every_shard_of_each_family() {
        let at = Timestamp::from_millis(1_790_000_000_000).unwrap();
        let ids: Vec<DeliveryId> = (0..20_000)
            .map(|_| {
                let event = EventId::generate(at, &OsRandom);
                DeliveryId::derive(event, Some(WebhookId::generate(at, &OsRandom)))
            })
            .collect();
        for shards in [DELIVERY_SHARDS, WEBHOOK_SHARDS, PENDING_SHARDS, FEED_SHARDS] {
            let mut counts = vec![0usize; usize::from(shards)];
            for id in &ids {
                counts[usize::from(shard(*id, shards))] += 1;
            }
            let mean = ids.len() / usize::from(shards);
            let most = counts.iter().max().copied().unwrap_or(0);
            assert!(
                most < mean * 2,
                "{shards} shards: {most} in one, mean {mean}"
            );
        }
    }

    #[test]
    fn a_cursor_narrows_the_range_to_the_keys_past_it() {
        let id = "0198a1b2-0000-7000-8000-000000000010";
        let cursor = |order| crate::domain::listing::Cursor {
            sort: SortField::Id,
            order,
            after: id.into(),
        };
        let asc = ListParams {
            order: Order::Asc,
            cursor: Some(cursor(Order::Asc)),
            ..ListParams::default()
        };
        let (low, _) = id_range(&asc, |k| k.to_owned()).unwrap();
        assert!(low.as_str() > id && low.as_str() < "0198a1b2-0000-7000-8000-000000000011");
        let desc = ListParams {
            cursor: Some(cursor(Order::Desc)),
            ..ListParams::default()
        };
        let (_, high) = id_range(&desc, |k| k.to_owned()).unwrap();
        assert!(high.as_str() < id && high.as_str() > "0198a1b2-0000-7000-8000-00000000000f");
    }
}
