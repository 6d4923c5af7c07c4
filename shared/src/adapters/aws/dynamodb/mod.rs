//! The DynamoDB store: one table, `pk`/`sk` strings, three global indexes.
//! `keys` says how items are addressed, `paging` how lists are read,
//! `provisioning` how the table is made where no template makes it.

mod accounts;
mod catalog;
mod console_links;
pub mod costs;
mod deliveries;
mod event_types;
mod events;
mod health;
pub mod hot_keys;
mod idempotency;
pub mod keys;
mod paging;
mod pending;
mod provisioning;
pub mod replay;
mod sdk;
mod send_slots;
mod stats;
mod tasks;
mod update_expression;
mod webhooks;

use aws_sdk_dynamodb::Client;

pub struct DynamoStore {
    client: Client,
    table: String,
    /// Stats writes made, which spread the account's counters over their shards.
    stats_writes: std::sync::atomic::AtomicUsize,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            stats_writes: Default::default(),
        }
    }
}
