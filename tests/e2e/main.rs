//! hookrelay's end-to-end tests, one binary (one link): black-box over HTTP
//! against the local runner, each scenario in memory and, through
//! `on_both_backends!`, on DynamoDB/SQS/Scheduler at moto's server.

#[macro_use]
mod helpers;

mod accounts_iam;
mod api_keys;
mod audit;
mod batch_ingest;
mod cli;
mod console;
mod delivery;
mod delivery_log;
mod embed;
mod event_schemas;
mod faults;
mod filters;
mod health;
mod iam;
mod ingest_quota;
mod partition_load;
mod pipeline;
mod polling;
mod replay;
mod secrets_at_rest;
mod stats;
mod stranding;
mod template;
mod transforms;
mod webhooks_crud;
mod webhooks_list;
mod webhooks_validation;
