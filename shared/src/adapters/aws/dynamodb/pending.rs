//! Reading gsi4's pending entries (`{sweep_at}#{id}` in `P#` and `L#`
//! partitions): the sweeper's overdue deliveries, and a wake bucket's.
//! A page walks the partitions in order, each from the key it stopped at,
//! so a cursor is the partition and key of the last entry.

use super::keys::{bucket_partitions, n, sweep_partitions, wake_pk, with_key, Item, GSI4};
use super::sdk::text;
use super::DynamoStore;
use crate::domain::delivery::SWEEP_GRACE_SECONDS;
use crate::domain::ids::{AccountId, DeliveryId, TaskId};
use crate::domain::time::Timestamp;
use crate::domain::wake::WakeBucket;
use crate::ports::store::{KeyPage, Overdue, PendingStore, StoreError, Waiting};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// Partitions read at once.
const PARALLEL: usize = 16;

/// One pending entry, as the index projects it: a delivery, or a task's step.
pub struct Entry {
    pub account_id: AccountId,
    pub item: Pending,
    pub sweep_at: Timestamp,
    /// `{gsi4pk}|{gsi4sk}`: where a page that ends here continues.
    key: String,
}

pub enum Pending {
    Delivery { id: DeliveryId, attempts: u32 },
    Task { id: TaskId, step: u32 },
}

impl Entry {
    /// An entry of the index; one that does not read back is corrupt (every
    /// entry is written with its keys, `attempts` or `step`).
    fn parse(item: &Item) -> Result<Self, StoreError> {
        let (pk, sk) = (text(item, "gsi4pk")?, text(item, "gsi4sk")?);
        let base = text(item, "pk")?;
        Self::read(item, &pk, &sk, &base)
            .ok_or_else(|| StoreError::Corrupt(format!("a pending entry {base} at {pk}|{sk}")))
    }

    fn read(item: &Item, pk: &str, sk: &str, base: &str) -> Option<Self> {
        let number = |name: &str| match item.get(name) {
            Some(AttributeValue::N(count)) => count.parse().ok(),
            _ => None,
        };
        let (at, id) = sk.split_once('#')?;
        let (account_id, pending) = match base.split_once('#')? {
            ("D", rest) => {
                let account = AccountId::parse(rest.split('#').next()?)?;
                let id = DeliveryId::parse(id)?;
                (
                    account,
                    Pending::Delivery {
                        id,
                        attempts: number("attempts")?,
                    },
                )
            }
            ("TASK", rest) => {
                let account = AccountId::parse(rest.split('#').next()?)?;
                let id = TaskId::parse(id)?;
                (
                    account,
                    Pending::Task {
                        id,
                        step: number("step")?,
                    },
                )
            }
            _ => return None,
        };
        Some(Self {
            account_id,
            item: pending,
            sweep_at: Timestamp::parse(at).ok()?,
            key: format!("{pk}|{sk}"),
        })
    }
}

impl DynamoStore {
    /// Up to `limit` entries with `low <= gsi4sk <= high` from `partitions`
    /// in order, after the entry `after` (a previous page's `next`).
    pub(super) async fn sweep_page(
        &self,
        partitions: Vec<String>,
        (low, high): (String, String),
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Entry>, StoreError> {
        let (first, resume) = match after.and_then(|a| a.split_once('|')) {
            Some((pk, sk)) => (
                partitions.iter().position(|p| p == pk).unwrap_or(0),
                Some(format!("{sk}!")),
            ),
            None => (0, None),
        };
        let mut found = Vec::new();
        // Partitions are read a few at a time (most hold nothing), and their
        // entries taken in partition order.
        let todo: Vec<(usize, &String)> = partitions.iter().enumerate().skip(first).collect();
        for group in todo.chunks(PARALLEL) {
            let reads = group.iter().map(|(i, pk)| {
                let from = match (&resume, *i == first) {
                    // `!` sorts before every character a key holds: just past `sk`.
                    (Some(past), true) => past.clone().max(low.clone()),
                    _ => low.clone(),
                };
                let wanted = limit + 1 - found.len();
                let high = &high;
                async move {
                    if from > *high {
                        return Ok(Vec::new());
                    }
                    self.partition_entries(pk, &from, high, wanted).await
                }
            });
            for entries in futures::future::try_join_all(reads).await? {
                found.extend(entries);
            }
            if found.len() > limit {
                break;
            }
        }
        Ok(KeyPage::of(found, limit, |entry| entry.key.clone()))
    }

    /// Up to `wanted` entries of one partition within the range.
    async fn partition_entries(
        &self,
        pk: &str,
        low: &str,
        high: &str,
        wanted: usize,
    ) -> Result<Vec<Entry>, StoreError> {
        let mut entries = Vec::new();
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(GSI4)
            .key_condition_expression("gsi4pk = :p AND gsi4sk BETWEEN :low AND :high")
            .expression_attribute_values(":p", AttributeValue::S(pk.to_owned()))
            .expression_attribute_values(":low", AttributeValue::S(low.to_owned()))
            .expression_attribute_values(":high", AttributeValue::S(high.to_owned()))
            .limit(i32::try_from(wanted).unwrap_or(i32::MAX));
        self.query_until(query, |items| {
            for item in &items {
                entries.push(Entry::parse(item)?);
            }
            Ok(entries.len() >= wanted)
        })
        .await?;
        Ok(entries)
    }
}

#[async_trait]
impl PendingStore for DynamoStore {
    async fn overdue(
        &self,
        now: Timestamp,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Overdue>, StoreError> {
        let range = ("0".to_owned(), now.to_string());
        let page = self
            .sweep_page(sweep_partitions(), range, after, limit)
            .await?;
        Ok(page.map(|entry| match entry.item {
            Pending::Delivery { id, attempts } => Overdue::Delivery {
                account_id: entry.account_id,
                delivery_id: id,
                attempts,
            },
            Pending::Task { id, step } => Overdue::Task {
                account_id: entry.account_id,
                task_id: id,
                step,
            },
        }))
    }

    async fn waiting_in(
        &self,
        bucket: WakeBucket,
        after: Option<&str>,
        limit: usize,
    ) -> Result<KeyPage<Waiting>, StoreError> {
        // Their sweep time is their due time plus the grace: the bucket's minute, shifted.
        let grace = |at: Timestamp| at.plus_seconds(SWEEP_GRACE_SECONDS).to_string();
        let range = (grace(bucket.starts_at), grace(bucket.ends_at()));
        let page = self
            .sweep_page(bucket_partitions(bucket), range, after, limit)
            .await?;
        // A wake bucket's partitions hold deliveries only.
        let deliveries = page.items.into_iter().filter_map(|entry| match entry.item {
            Pending::Delivery { id, attempts } => Some(Waiting {
                account_id: entry.account_id,
                delivery_id: id,
                attempts,
                due: entry.sweep_at.plus_seconds(-SWEEP_GRACE_SECONDS),
            }),
            Pending::Task { .. } => None,
        });
        Ok(KeyPage {
            items: deliveries.collect(),
            next: page.next,
        })
    }

    async fn claim_wake(&self, bucket: WakeBucket) -> Result<bool, StoreError> {
        let expires = bucket.starts_at.plus_seconds(86_400).epoch_seconds();
        let item = HashMap::from([("expires_at".to_owned(), n(expires))]);
        let item = with_key(item, wake_pk(bucket), "WAKE");
        match self.put_if(item, "attribute_not_exists(pk)", None).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(err) => Err(err),
        }
    }

    async fn release_wake(&self, bucket: WakeBucket) -> Result<(), StoreError> {
        self.delete(wake_pk(bucket), "WAKE").await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::aws::dynamodb::keys::{deliveries_pk, s};
    use crate::ports::random::OsRandom;

    #[test]
    fn an_entry_without_its_count_is_corrupt_not_zero() {
        let at = Timestamp::from_millis(1_790_000_000_000).expect("time");
        let account = AccountId::generate(at, &OsRandom);
        let delivery = DeliveryId::generate(at, &OsRandom);
        let mut item = Item::from([
            ("pk".to_owned(), s(deliveries_pk(account, 0))),
            ("gsi4pk".to_owned(), s("P#0")),
            ("gsi4sk".to_owned(), s(format!("{at}#{delivery}"))),
        ]);
        assert!(matches!(Entry::parse(&item), Err(StoreError::Corrupt(_))));
        item.insert("attempts".into(), n(2));
        let entry = Entry::parse(&item).expect("a valid entry");
        assert!(matches!(entry.item, Pending::Delivery { attempts: 2, .. }));
        assert_eq!(entry.account_id, account);
    }
}
