//! The audit log: records by account and id (time order), each kept in the
//! same write as its change (`State::audited`).

use super::{MemoryStore, State};
use crate::domain::audit::{AuditFilter, AuditRecord};
use crate::domain::ids::{AccountId, AuditId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;

impl State {
    /// Makes `change` and keeps its record, both or neither: a record whose
    /// id is taken refuses the change (Conflict), as DynamoDB's transaction does.
    pub(super) fn audited<T>(
        &mut self,
        record: &AuditRecord,
        change: impl FnOnce(&mut State) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let key = (record.account_id, record.id);
        if self.audit.contains_key(&key) {
            return Err(StoreError::Conflict);
        }
        let done = change(self)?;
        self.audit.insert(key, record.clone());
        Ok(done)
    }
}

#[async_trait]
impl AuditStore for MemoryStore {
    async fn record_audit(&self, record: &AuditRecord) -> Result<(), StoreError> {
        self.write().audited(record, |_| Ok(()))
    }

    async fn list_audit(
        &self,
        account: AccountId,
        filter: &AuditFilter,
        after: Option<&str>,
        limit: usize,
        now: Timestamp,
    ) -> Result<KeyPage<AuditRecord>, StoreError> {
        let (low, high) = filter.id_range();
        let in_range = |record: &&AuditRecord| {
            let id = record.id.to_string();
            let past = after.is_none_or(|after| match filter.ascending {
                true => id.as_str() > after,
                false => id.as_str() < after,
            });
            id >= low && id <= high && past
        };
        self.reading(|s| {
            let records = s
                .audit
                .range((account, AuditId::MIN)..=(account, AuditId::MAX))
                .map(|(_, record)| record);
            let ordered: Box<dyn Iterator<Item = &AuditRecord>> = match filter.ascending {
                true => Box::new(records),
                false => Box::new(records.rev()),
            };
            let found = ordered
                .filter(in_range)
                .filter(|record| filter.admits(record, now))
                .take(limit + 1)
                .cloned()
                .collect();
            KeyPage::of(found, limit, |record| record.id.to_string())
        })
    }
}
