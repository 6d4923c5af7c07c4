//! Hourly delivery counters: `STATS#{account}#W#{webhook}#{0..7}` / `{hour}`
//! for each webhook, and `STATS#{account}#A{0..7}` / `{hour}` for the
//! account (each spread over 8 partitions, one written per flush),
//! added to in place (`ADD`), so a flush of any number of attempts is one
//! UpdateItem per item, and a stats request is one Query on an `sk` range
//! per partition (at most one item per hour each). TTL removes them with the
//! deliveries they count.

use super::keys::{n, s, Item, STATS_SHARDS};
use super::sdk::{text, write_error};
use super::DynamoStore;
use crate::domain::ids::AccountId;
use crate::domain::stats::{StatsScope, Tally, DURATION_BUCKETS};
use crate::domain::time::Timestamp;
use crate::ports::store::{StatsStore, StoreError};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

const COUNTERS: [&str; 5] = ["attempts", "errors", "delivered", "scheduled", "failed"];

/// The partitions one scope's counters are spread over (`STATS_SHARDS`:
/// every flush adds to its account's counters, and a busy webhook's take a
/// write per SQS batch), read back summed.
fn partitions(account: AccountId, scope: StatsScope) -> Vec<String> {
    let scoped = match scope {
        StatsScope::Account => format!("STATS#{account}#A"),
        StatsScope::Webhook(id) => format!("STATS#{account}#W#{id}#"),
    };
    (0..STATS_SHARDS)
        .map(|shard| format!("{scoped}{shard}"))
        .collect()
}

/// The tally's counters as attribute names and values, nonzero ones only.
fn counters(tally: &Tally) -> Vec<(String, u64)> {
    let named = [
        tally.attempts,
        tally.errors,
        tally.delivered,
        tally.scheduled,
        tally.failed,
    ];
    let durations = tally.durations.iter().enumerate();
    COUNTERS
        .iter()
        .map(|name| (*name).to_owned())
        .zip(named)
        .chain(durations.map(|(i, count)| (format!("d{i}"), *count)))
        .filter(|(_, count)| *count > 0)
        .collect()
}

/// The counters of an hour's item. Only counters that were added to are
/// written: a missing one is 0, one that is not a count is corrupt.
fn tally_of(item: &Item) -> Result<Tally, StoreError> {
    let get = |name: &str| {
        match item.get(name) {
            None => Some(0),
            Some(AttributeValue::N(text)) => text.parse().ok(),
            Some(_) => None,
        }
        .ok_or_else(|| StoreError::Corrupt(format!("a stats item whose {name} is not a count")))
    };
    let mut durations = [0; DURATION_BUCKETS];
    for (i, count) in durations.iter_mut().enumerate() {
        *count = get(&format!("d{i}"))?;
    }
    Ok(Tally {
        attempts: get("attempts")?,
        errors: get("errors")?,
        delivered: get("delivered")?,
        scheduled: get("scheduled")?,
        failed: get("failed")?,
        durations,
    })
}

#[async_trait]
impl StatsStore for DynamoStore {
    async fn add_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        hour: Timestamp,
        tally: &Tally,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let counted = counters(tally);
        if counted.is_empty() {
            return Ok(());
        }
        let adds: Vec<String> = counted
            .iter()
            .map(|(name, _)| format!("{name} :{name}"))
            .collect();
        let mut values: HashMap<String, AttributeValue> = counted
            .into_iter()
            .map(|(name, count)| (format!(":{name}"), n(count)))
            .collect();
        values.insert(":expires".into(), n(expires_at));
        // Any shard will do (a read sums them): each write takes the next.
        let written = partitions(account, scope);
        let pick = self
            .stats_writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % written.len();
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(written[pick].clone()))
            .key("sk", s(hour.to_string()))
            .update_expression(format!(
                "ADD {} SET expires_at = if_not_exists(expires_at, :expires)",
                adds.join(", ")
            ))
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map_err(write_error)?;
        Ok(())
    }

    async fn read_stats(
        &self,
        account: AccountId,
        scope: StatsScope,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError> {
        if to <= from {
            return Ok(Vec::new());
        }
        // `to` is exclusive: the last hour before it is the range's end.
        let last = to.plus_seconds(-3600);
        let mut by_hour: std::collections::BTreeMap<Timestamp, Tally> = Default::default();
        let pks = partitions(account, scope);
        let reads = pks.iter().map(|pk| self.read_partition(pk, from, last));
        for (hour, tally) in futures::future::try_join_all(reads)
            .await?
            .into_iter()
            .flatten()
        {
            by_hour.entry(hour).or_default().merge(&tally);
        }
        Ok(by_hour.into_iter().collect())
    }
}

impl DynamoStore {
    /// One partition's counters for the hours in [`from`, `last`].
    async fn read_partition(
        &self,
        pk: &str,
        from: Timestamp,
        last: Timestamp,
    ) -> Result<Vec<(Timestamp, Tally)>, StoreError> {
        let mut found = Vec::new();
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":from", s(from.to_string()))
            .expression_attribute_values(":to", s(last.to_string()));
        self.query_until(query, |items| {
            for item in &items {
                let sk = text(item, "sk")?;
                let hour = Timestamp::parse(&sk)
                    .map_err(|_| StoreError::Corrupt(format!("a stats item at {sk}")))?;
                found.push((hour, tally_of(item)?));
            }
            Ok(false)
        })
        .await?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_not_written_is_zero_and_a_garbled_one_is_corrupt() {
        let item = Item::from([("attempts".to_owned(), n(3))]);
        let tally = tally_of(&item).expect("a valid item");
        assert_eq!((tally.attempts, tally.failed), (3, 0));
        for garbled in [AttributeValue::N("x".into()), s("3")] {
            let item = Item::from([("failed".to_owned(), garbled)]);
            assert!(matches!(tally_of(&item), Err(StoreError::Corrupt(_))));
        }
    }
}
