//! Deliveries and their conditional changes.

use super::MemoryStore;
use crate::domain::delivery::{Change, Delivery};
use crate::domain::ids::{AccountId, DeliveryId, WebhookId};
use crate::domain::listing::{
    check_updated_sort_bound, page_in_key_order, sort_key, ListParams, Page, SortField,
};
use crate::domain::time::Timestamp;
use crate::domain::webhook_url::WebhookUrl;
use crate::ports::store::*;
use crate::sealing::rekeep;
use async_trait::async_trait;

#[async_trait]
impl DeliveryStore for MemoryStore {
    async fn insert_deliveries(&self, deliveries: &[Delivery]) -> Result<(), StoreError> {
        let mut state = self.write();
        for delivery in deliveries {
            state.put_delivery(delivery.clone());
        }
        Ok(())
    }

    async fn missing_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<Vec<DeliveryId>, StoreError> {
        let state = self.read();
        Ok(ids
            .iter()
            .filter(|id| {
                state
                    .deliveries
                    .get(id)
                    .is_none_or(|d| d.account_id() != account)
            })
            .copied()
            .collect())
    }

    async fn get_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>, StoreError> {
        self.reading(|s| {
            s.deliveries
                .get(&id)
                .filter(|d| d.visible_to(account, now))
                .cloned()
        })
    }

    async fn delete_deliveries(
        &self,
        account: AccountId,
        ids: &[DeliveryId],
    ) -> Result<(), StoreError> {
        let mut state = self.write();
        for id in ids {
            if state
                .deliveries
                .get(id)
                .is_some_and(|d| d.account_id() == account)
            {
                state.remove_delivery(*id);
            }
        }
        Ok(())
    }

    async fn list_deliveries(
        &self,
        account: AccountId,
        filter: &DeliveryFilter,
        params: &ListParams,
        now: Timestamp,
    ) -> Result<Page<Delivery>, StoreError> {
        let key = |d: &Delivery| sort_key(params.sort, &d.id().to_string(), d.updated_at());
        let state = self.read();
        let read: Vec<&Delivery> = state
            .deliveries
            .values()
            .filter(|d| {
                d.account_id() == account && filter.reads(d) && params.in_window(d.created_at())
            })
            .collect();
        if params.sort == SortField::UpdatedAt {
            check_updated_sort_bound(read.len())?;
        }
        let matching: Vec<Delivery> = read
            .into_iter()
            .filter(|d| d.visible_to(account, now) && filter.matches(d))
            .cloned()
            .collect();
        Ok(page_in_key_order(matching, params, key))
    }

    async fn poll_feed(
        &self,
        account: AccountId,
        webhook: WebhookId,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<KeyPage<Delivery>, StoreError> {
        let state = self.read();
        let range = (webhook, since, DeliveryId::MIN)..=(webhook, now, DeliveryId::MAX);
        let found: Vec<Delivery> = state
            .feeds
            .range(range)
            .filter_map(|(_, _, id)| state.deliveries.get(id))
            .filter(|d| d.visible_to(account, now))
            .take(limit + 1)
            .cloned()
            .collect();
        Ok(KeyPage::of(found, limit, feed_sort_key))
    }

    async fn change_delivery(
        &self,
        account: AccountId,
        id: DeliveryId,
        attempts: u32,
        change: &Change,
        now: Timestamp,
    ) -> Result<Changed, StoreError> {
        let changed = {
            let mut state = self.write();
            match state.deliveries.get(&id).cloned() {
                Some(stored) if stored.account_id() != account => Changed::Refused(None),
                Some(mut stored) if stored.admits(change, attempts, now) => {
                    stored.apply(change, now);
                    state.put_delivery(stored.clone());
                    Changed::Applied(stored)
                }
                stored => Changed::Refused(stored),
            }
        };
        match changed {
            Changed::Applied(after) => match after.url_in_clear().cloned() {
                Some(clear) => Ok(Changed::Applied(self.rekeep_url(after, clear).await?)),
                None => Ok(Changed::Applied(after)),
            },
            changed => Ok(changed),
        }
    }
}

impl MemoryStore {
    /// As the DynamoDB store does: a delivery kept with its URL's password in
    /// the clear keeps it as new ones do (`sealing::rekeep`) from this write on.
    async fn rekeep_url(
        &self,
        mut delivery: Delivery,
        clear: WebhookUrl,
    ) -> Result<Delivery, StoreError> {
        let kept = rekeep(&self.sealer, &delivery, &clear).await?;
        if let Some(stored) = self.write().deliveries.get_mut(&delivery.id()) {
            if stored.url() == delivery.url() {
                stored.rekept(kept.clone());
            }
        }
        delivery.rekept(kept);
        Ok(delivery)
    }
}
