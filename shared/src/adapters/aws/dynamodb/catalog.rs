//! The account's small, key-ordered collections: the event-type catalogue
//! (`EVENTTYPE#{name.type}`) and console links (`CONSOLELINK#{id}`, expiring
//! by the table's TTL), both in the account's own partition.

use super::keys::{account_pk, decode, encode, s, with_key, Item};
use super::DynamoStore;
use crate::domain::console_link::ConsoleLink;
use crate::domain::event::EventKind;
use crate::domain::event_type::EventType;
use crate::domain::ids::{AccountId, ConsoleLinkId};
use crate::ports::store::{KeyPage, StoreError};
use serde::de::DeserializeOwned;

pub(super) const EVENT_TYPE: &str = "EVENTTYPE#";
pub(super) const CONSOLE_LINK: &str = "CONSOLELINK#";

pub fn event_type_sk(event: &EventKind) -> String {
    format!("{EVENT_TYPE}{}", event.dotted())
}

pub fn event_type_item(event_type: &EventType) -> Result<Item, StoreError> {
    Ok(with_key(
        encode(event_type)?,
        account_pk(event_type.account_id),
        &event_type_sk(&event_type.event),
    ))
}

pub fn console_link_sk(id: ConsoleLinkId) -> String {
    format!("{CONSOLE_LINK}{id}")
}

pub fn console_link_item(link: &ConsoleLink) -> Result<Item, StoreError> {
    Ok(with_key(
        encode(link)?,
        account_pk(link.account.id),
        &console_link_sk(link.id),
    ))
}

impl DynamoStore {
    /// One page of the account's items under `prefix`, in `sk` order after
    /// `after`, keeping those `keep` allows.
    pub(super) async fn key_page<T: DeserializeOwned>(
        &self,
        account: AccountId,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
        key: impl Fn(&T) -> String,
        keep: impl Fn(&T) -> bool,
    ) -> Result<KeyPage<T>, StoreError> {
        // `!` sorts before every character a key holds, so this starts just after it.
        let low = after.map_or_else(|| prefix.to_owned(), |after| format!("{prefix}{after}!"));
        let mut found = Vec::new();
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
            .expression_attribute_values(":pk", s(account_pk(account)))
            .expression_attribute_values(":low", s(low))
            .expression_attribute_values(":high", s(format!("{prefix}~")))
            .consistent_read(true)
            .limit(i32::try_from(limit + 1).unwrap_or(i32::MAX));
        self.query_until(query, |items| {
            for item in items {
                let value: T = decode(item)?;
                if keep(&value) {
                    found.push(value);
                }
            }
            Ok(found.len() > limit)
        })
        .await?;
        Ok(KeyPage::of(found, limit, key))
    }
}
