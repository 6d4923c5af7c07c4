//! Events: one item each, read by every delivery of the event.

use super::keys::*;
use super::sdk::built;
use super::DynamoStore;
use crate::domain::delivery::Delivery;
use crate::domain::event::Event;
use crate::domain::ids::{AccountId, EventId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};

#[async_trait]
impl EventStore for DynamoStore {
    async fn record_event(&self, event: &Event, deliveries: &[Delivery]) -> Result<(), StoreError> {
        let mut items = vec![with_key(encode(event)?, event_pk(event.id), "EVENT")];
        for delivery in deliveries {
            items.push(delivery_item(delivery)?);
        }
        let requests = items
            .into_iter()
            .map(|item| {
                let put = built(PutRequest::builder().set_item(Some(item)).build())?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.batch_write(requests).await
    }

    async fn insert_event_if_absent(&self, event: &Event) -> Result<(), StoreError> {
        let item = with_key(encode(event)?, event_pk(event.id), "EVENT");
        match self.put_if(item, "attribute_not_exists(pk)", None).await {
            Ok(()) | Err(StoreError::Conflict) => Ok(()),
            Err(err) => Err(err),
        }
    }

    async fn get_event(
        &self,
        account: AccountId,
        id: EventId,
        now: Timestamp,
    ) -> Result<Option<Event>, StoreError> {
        // Events never change: an eventually consistent read (half the
        // units) is right whenever it finds one; only a miss (written a
        // moment ago) is read again, consistently.
        let item = match self.get_eventually(event_pk(id), "EVENT").await? {
            Some(item) => Some(item),
            None => self.get(event_pk(id), "EVENT").await?,
        };
        let event: Option<Event> = item.map(decode).transpose()?;
        Ok(event.filter(|e| e.visible_to(account, now)))
    }
}
