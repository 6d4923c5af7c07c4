//! The table's keys: how each item is addressed and which indexes list it.
//!
//! | item | pk | sk | index keys |
//! |---|---|---|---|
//! | account | `ACCOUNT#{account}` | `ACCOUNT` | |
//! | API key → account | `APIKEY#{sha256 hex}` | `APIKEY` | |
//! | webhook | `ACCOUNT#{account}` | `WEBHOOK#{webhook}` | gsi1: `ACCOUNT#{account}#WEBHOOKS` / `{updated_at}#{webhook}` |
//! | event | `EVENT#{event}` | `EVENT` | |
//! | delivery | `D#{account}#{shard}` | `{delivery}` | gsi3: `W#{webhook}` / `{delivery}`; gsi4 (sparse): pending `P#{shard}` / `{sweep_at}#{delivery}`, failed `F#{account}#{shard}` / `{delivery}` |
//! | event type | `ACCOUNT#{account}` | `EVENTTYPE#{name}.{type}` | |
//! | console link | `ACCOUNT#{account}` | `CONSOLELINK#{link}` (expires by TTL) | |
//! | a rate-limited webhook's next send slot | `SLOT#{webhook}` | `SLOT` (expires by TTL) | |
//! | delivery stats for an hour (`stats.rs`) | `STATS#{account}` | `A#{hour}` or `W#{webhook}#{hour}` (expires by TTL) | |
//! | idempotency claim | `IDEMPOTENCY#{account}#{sha256(key)}` | `IDEMPOTENCY` | |
//!
//! A delivery's own partition is its account's, split in `SHARDS` by the
//! id's last hex digit, so a busy account is not one hot key and an id with
//! its account still finds the item in one GetItem. Ids are UUIDv7, so `sk`
//! order is creation order. gsi3 and gsi4 project keys only (gsi4 also
//! `attempts`), so a write that changes neither key costs them nothing.
//!
//! `KEY_FAMILIES` lists every partition key above, table and indexes alike,
//! with the keys each spreads its load over: the partition-load simulation
//! (`hot_keys`) reads the layout from it.

use crate::domain::account::KeyHash;
use crate::domain::delivery::{Delivery, DeliveryStatus};
use crate::domain::ids::{v7_prefix, AccountId, DeliveryId, WebhookId};
use crate::domain::listing::{sort_key, ListParams, Order, SortField};
use crate::domain::time::Timestamp;
use crate::domain::webhook::Webhook;
use crate::ports::store::StoreError;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// Partitions an account's deliveries (and its failed ones) are spread over.
pub const SHARDS: u8 = 4;
/// The webhooks-by-updated_at index.
pub const GSI1: &str = "gsi1";
/// A webhook's deliveries, by id (keys only).
pub const GSI3: &str = "gsi3";
/// Pending deliveries by sweep time, and an account's failed ones (sparse).
pub const GSI4: &str = "gsi4";

/// How a family of partition keys spreads the load of its scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// Over this many keys, `{shard}` taking each value (1: the scope's one key).
    Shards(u16),
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

const SHARDED: Spread = Spread::Shards(SHARDS as u16);
const ONE: Spread = Spread::Shards(1);

/// Every partition key of the table and its indexes (the table above).
pub const KEY_FAMILIES: [KeyFamily; 11] = [
    family("ACCOUNT#{account}", ONE),
    family("APIKEY#{hash}", Spread::PerEntity),
    family("ACCOUNT#{account}#WEBHOOKS", ONE),
    family("EVENT#{event}", Spread::PerEntity),
    family("D#{account}#{shard}", SHARDED),
    family("W#{webhook}", ONE),
    family("P#{shard}", SHARDED),
    family("F#{account}#{shard}", SHARDED),
    family("IDEMPOTENCY#{account}#{hash}", Spread::PerEntity),
    family("SLOT#{webhook}", ONE),
    family("STATS#{account}", ONE),
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

pub fn with_key(mut item: Item, pk: String, sk: &str) -> Item {
    item.insert("pk".into(), s(pk));
    item.insert("sk".into(), s(sk));
    item
}

/// The shard of an id: its last hex digit (random, or hashed for derived ids).
pub fn shard(id: &str) -> u8 {
    let digit = id.bytes().last().map_or(0, |b| match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => 0,
    });
    digit % SHARDS
}

pub fn deliveries_pk(account: AccountId, shard: u8) -> String {
    format!("D#{account}#{shard}")
}

/// The base-table key of a delivery.
pub fn delivery_key(account: AccountId, id: DeliveryId) -> Item {
    let id = id.to_string();
    HashMap::from([
        ("pk".to_owned(), s(deliveries_pk(account, shard(&id)))),
        ("sk".to_owned(), s(id)),
    ])
}

pub fn webhook_deliveries_pk(webhook: WebhookId) -> String {
    format!("W#{webhook}")
}

pub fn failed_pk(account: AccountId, shard: u8) -> String {
    format!("F#{account}#{shard}")
}

pub fn pending_pk(shard: u8) -> String {
    format!("P#{shard}")
}

/// gsi4's keys for a delivery in `status` with `sweep_at`: pending ones by
/// sweep time (what the sweeper reads), failed ones by id (what `status=failed`
/// lists), delivered ones not at all.
pub fn gsi4_keys(
    account: AccountId,
    id: &str,
    status: DeliveryStatus,
    sweep_at: Option<Timestamp>,
) -> Option<(String, String)> {
    match (status, sweep_at) {
        (DeliveryStatus::Failed, _) => Some((failed_pk(account, shard(id)), id.to_owned())),
        (DeliveryStatus::Delivered, _) | (_, None) => None,
        (_, Some(at)) => Some((pending_pk(shard(id)), format!("{at}#{id}"))),
    }
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
    serde_dynamo::from_item(item)
        .map_err(|e| StoreError::Unavailable(format!("decoding an item: {e}")))
}

/// A delivery with its keys and the index keys that list it.
pub fn delivery_item(delivery: &Delivery) -> Result<Item, StoreError> {
    let id = delivery.id.to_string();
    let mut item = encode(delivery)?;
    item.extend(delivery_key(delivery.account_id, delivery.id));
    if let Some(webhook) = delivery.webhook_id {
        item.insert("gsi3pk".into(), s(webhook_deliveries_pk(webhook)));
        item.insert("gsi3sk".into(), s(id.clone()));
    }
    if let Some((pk, sk)) = gsi4_keys(delivery.account_id, &id, delivery.status, delivery.sweep_at)
    {
        item.insert("gsi4pk".into(), s(pk));
        item.insert("gsi4sk".into(), s(sk));
    }
    Ok(item)
}

pub fn webhook_item(webhook: &Webhook) -> Result<Item, StoreError> {
    let id = webhook.id.to_string();
    let mut item = with_key(
        encode(webhook)?,
        account_pk(webhook.account_id),
        &webhook_sk(&id),
    );
    item.insert("gsi1pk".into(), s(webhooks_gsi1pk(webhook.account_id)));
    item.insert(
        "gsi1sk".into(),
        s(sort_key(SortField::UpdatedAt, &id, webhook.updated_at)),
    );
    Ok(item)
}

/// An inclusive key range for a list's created_at window, narrowed past the
/// cursor, or `None` when nothing is left in it.
pub fn id_range(params: &ListParams, sk: impl Fn(&str) -> String) -> Option<(String, String)> {
    // Ids are lowercase hex: "0" sorts before every one and "~" after.
    let mut low = sk(&params.start.map(v7_prefix).unwrap_or_else(|| "0".into()));
    let mut high = sk(&params.end.map(v7_prefix).unwrap_or_else(|| "~".into()));
    if let Some(cursor) = &params.cursor {
        let after = sk(&cursor.after);
        match params.order {
            // Every key has the same length, so `after` + the smallest
            // printable character is the first key past it...
            Order::Asc => low = low.max(format!("{after}!")),
            // ...and `after` with its last character lowered, then "~", the last before it.
            Order::Desc => high = high.min(before(&after)),
        }
    }
    (low <= high).then_some((low, high))
}

fn before(key: &str) -> String {
    let mut bytes = key.as_bytes().to_vec();
    match bytes.last_mut() {
        Some(last) if *last > 0 => {
            *last -= 1;
            bytes.push(b'~');
            String::from_utf8(bytes).unwrap_or_default()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_spread_over_every_hex_digit() {
        let mut seen = std::collections::HashSet::new();
        for digit in "0123456789abcdef".chars() {
            seen.insert(shard(&format!("0198-{digit}")));
        }
        assert_eq!(seen.len(), usize::from(SHARDS));
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
