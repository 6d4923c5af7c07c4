//! The DynamoDB store: one table, `pk`/`sk` strings, three global indexes.
//! `keys` says how items are addressed, `paging` how lists are read,
//! `provisioning` how the table is made where no template makes it; `sdk`
//! holds the SDK calls the roles are built from, `update_expression` a
//! delivery change as one UpdateItem. Each store role is implemented in the
//! file of its name (`webhooks`, `deliveries`, `pending`, ...).

mod accounts;
mod api_keys;
mod audit;
mod catalog;
mod console_links;
mod deliveries;
mod event_types;
mod events;
mod health;
mod idempotency;
mod paging;
mod pending;
mod provisioning;
mod quota;
mod sdk;
mod send_slots;
mod stats;
mod tasks;
mod update_expression;
mod webhooks;

pub mod costs;
pub mod hot_keys;
pub mod keys;
pub mod replay;

use crate::sealing::Sealer;
use aws_sdk_dynamodb::Client;
use std::sync::Arc;

pub struct DynamoStore {
    client: Client,
    table: String,
    /// Stats writes made, which spread the account's counters over their shards.
    stats_writes: std::sync::atomic::AtomicUsize,
    /// Seals what is secret in a webhook before it is written (`sealing`).
    sealer: Arc<Sealer>,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>, sealer: Arc<Sealer>) -> Self {
        Self {
            client,
            table: table.into(),
            stats_writes: Default::default(),
            sealer,
        }
    }
}
