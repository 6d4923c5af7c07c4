//! The audit log: `AUDIT#{account}` / `{id}` (ids are time-ordered, so the
//! partition reads in time order), TTL-expired with the retention period.
//! A change's record is put in the same transaction as the change
//! (`audited`), on the condition that its id is new, so a record that cannot
//! be written cancels its change, and a change that cannot be made writes
//! no record.

use super::keys::*;
use super::DynamoStore;
use crate::domain::audit::{AuditFilter, AuditRecord};
use crate::domain::ids::AccountId;
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::TransactWriteItem;

fn audit_pk(account: AccountId) -> String {
    format!("AUDIT#{account}")
}

fn audit_item(record: &AuditRecord) -> Result<Item, StoreError> {
    let sk = record.id.to_string();
    Ok(with_key(encode(record)?, audit_pk(record.account_id), &sk))
}

/// Items a Query page reads: a page and one more when only time selects,
/// more when fields do (fewer calls for the same reads).
fn page_size(filter: &AuditFilter, limit: usize) -> usize {
    let by_time = AuditFilter {
        start: filter.start,
        end: filter.end,
        ascending: filter.ascending,
        ..AuditFilter::default()
    };
    match *filter == by_time {
        true => limit + 1,
        false => (limit + 1).max(AUDIT_READ_BUDGET / 5),
    }
}

impl DynamoStore {
    /// `writes` and the record of the change they make, in one transaction.
    pub(super) async fn audited(
        &self,
        mut writes: Vec<TransactWriteItem>,
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        writes.push(self.put_write(audit_item(audit)?, "attribute_not_exists(pk)", None)?);
        self.transact(writes).await
    }

    /// A delete of the item at `pk`/`sk` with its record; whether there was one.
    pub(super) async fn delete_audited(
        &self,
        pk: String,
        sk: &str,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        let delete = self.delete_write(with_key(Item::new(), pk, sk))?;
        match self.audited(vec![delete], audit).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(err) => Err(err),
        }
    }
}

#[async_trait]
impl AuditStore for DynamoStore {
    async fn record_audit(&self, record: &AuditRecord) -> Result<(), StoreError> {
        self.put_if(audit_item(record)?, "attribute_not_exists(pk)", None)
            .await
    }

    async fn list_audit(
        &self,
        account: AccountId,
        filter: &AuditFilter,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<AuditRecord>, StoreError> {
        let (mut low, mut high) = filter.id_range();
        match (after, filter.ascending) {
            // `!` sorts before every character of an id: just past `after`.
            (Some(after), true) => low = low.max(format!("{after}!")),
            (Some(after), false) => high = high.min(after.to_owned()),
            (None, _) => {}
        }
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
            .expression_attribute_values(":pk", s(audit_pk(account)))
            .expression_attribute_values(":low", s(low))
            .expression_attribute_values(":high", s(high))
            .scan_index_forward(filter.ascending)
            .consistent_read(true)
            .limit(i32::try_from(page_size(filter, limit)).unwrap_or(i32::MAX));
        let (mut found, mut read, mut last_read) = (Vec::new(), 0, None);
        self.query_until(query, |items| {
            for item in items {
                let record: AuditRecord = decode(item)?;
                let id = record.id.to_string();
                if Some(id.as_str()) == after {
                    continue;
                }
                read += 1;
                last_read = Some(id);
                if filter.admits(&record, now) {
                    found.push(record);
                }
                if found.len() > limit || read >= AUDIT_READ_BUDGET {
                    return Ok(true);
                }
            }
            Ok(false)
        })
        .await?;
        let key = |record: &AuditRecord| record.id.to_string();
        if found.len() <= limit && read >= AUDIT_READ_BUDGET {
            // Out of budget: go on from the last record read.
            return Ok(KeyPage {
                items: found,
                next: last_read,
            });
        }
        Ok(KeyPage::of(found, limit, key))
    }
}
