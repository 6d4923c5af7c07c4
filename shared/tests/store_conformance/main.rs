//! One conformance suite for every `Store` adapter: in memory, and DynamoDB
//! on moto's server (AWS_ENDPOINT_URL, set by scripts/test.sh). Without moto
//! the DynamoDB half fails; it never skips. A module per store role; the
//! shared fixtures are in `support`.

mod accounts;
mod console_links;
mod deliveries;
mod delivery_lists;
mod event_types;
mod events;
mod idempotency;
mod pending;
mod quota;
mod send_slots;
mod stats;
mod support;
mod tasks;
mod webhook_lists;
mod webhooks;

use hookrelay::adapters::aws::{sdk_config, DynamoStore};
use hookrelay::adapters::memory::MemoryStore;
use hookrelay::domain::ids::WebhookId;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::Store;
use support::at;

async fn memory() -> Box<dyn Store> {
    Box::new(MemoryStore::new())
}

async fn dynamodb() -> Box<dyn Store> {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: the DynamoDB conformance run needs moto's server; run scripts/test.sh"
    );
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let table = format!("conformance-{}", WebhookId::generate(at(0), &OsRandom));
    let store = DynamoStore::new(client, table);
    store.ensure_table().await.expect("create table on moto");
    Box::new(store)
}

/// Runs each listed check against both adapters, as `memory_store::NAME`
/// and `dynamodb_store::NAME` (scripts filter by these paths).
macro_rules! conformance {
    ($($role:ident::$check:ident),* $(,)?) => {
        mod memory_store {
            $(#[tokio::test] async fn $check() { super::$role::$check(&*super::memory().await).await; })*
        }
        mod dynamodb_store {
            $(#[tokio::test] async fn $check() { super::$role::$check(&*super::dynamodb().await).await; })*
        }
    };
}

conformance!(
    accounts::accounts_are_found_by_key_hash_only,
    accounts::a_key_hash_belongs_to_one_account,
    webhooks::webhooks_round_trip_per_account,
    webhooks::inserting_an_existing_webhook_conflicts,
    webhooks::the_last_delivery_is_noted_without_touching_the_rest,
    webhooks::a_run_of_failures_is_counted_and_a_success_ends_it,
    webhooks::updates_are_guarded_by_version,
    webhooks::delete_reports_whether_it_existed,
    webhook_lists::every_sort_and_order_pages_the_same_by_cursor_and_offset,
    webhook_lists::filters_and_windows_select_the_right_webhooks,
    events::events_belong_to_their_account_and_expire,
    deliveries::deliveries_round_trip_in_batches_and_changes_are_guarded,
    pending::the_sweeper_finds_pending_deliveries_past_their_sweep_time,
    idempotency::idempotency_keys_are_claimed_once_until_they_expire,
    delivery_lists::a_thousand_deliveries_list_by_every_filter_sort_and_page,
    event_types::the_event_type_catalogue_pages_in_name_order_per_account,
    event_types::event_types_change_and_delete_in_their_account_only,
    console_links::console_links_open_until_revoked_or_expired,
    send_slots::send_slots_are_handed_out_once_each_at_the_rate,
    stats::stats_add_up_per_hour_and_scope,
    delivery_lists::an_offset_past_the_read_cap_still_returns_its_page,
    deliveries::a_claim_takes_a_due_delivery_once_until_its_lease_ends,
    pending::long_waits_are_listed_by_wake_bucket_until_they_move_on,
    pending::a_wake_buckets_schedule_is_claimed_once,
    pending::overdue_deliveries_page_through_every_shard,
    deliveries::a_held_slot_is_kept_until_the_attempt,
    delivery_lists::an_updated_at_sort_reads_a_bounded_window,
    tasks::a_tasks_step_is_claimed_once_advanced_swept_and_ended,
    quota::a_quota_counter_admits_up_to_its_limit_once_across_callers,
);
