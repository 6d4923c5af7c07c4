//! One conformance suite for every `Store` adapter: in memory, and DynamoDB
//! on moto's server (AWS_ENDPOINT_URL, set by scripts/test.sh). Without moto
//! the DynamoDB half fails; it never skips. A module per store role; the
//! shared fixtures are in `support`.

mod accounts;
mod api_keys;
mod audit;
mod console_links;
mod deliveries;
mod delivery_lists;
mod event_types;
mod events;
mod idempotency;
mod pending;
mod poll_feeds;
mod quota;
mod secrets;
mod send_slots;
mod stats;
mod support;
mod tasks;
mod webhook_lists;
mod webhooks;

use hookrelay::adapters::aws::{kms, sdk_config, DynamoStore, KmsKeyRing};
use hookrelay::adapters::memory::{LocalKeyRing, MemoryStore};
use hookrelay::domain::ids::WebhookId;
use hookrelay::ports::clock::SystemClock;
use hookrelay::ports::random::OsRandom;
use hookrelay::ports::store::Store;
use hookrelay::sealing::Sealer;
use std::sync::Arc;
use support::at;

async fn memory() -> Box<dyn Store> {
    Box::new(MemoryStore::new(LocalKeyRing::ephemeral_sealer(Arc::new(
        SystemClock,
    ))))
}

/// A store on a fresh table of moto's, sealing with a fresh KMS key of moto's.
async fn dynamodb() -> Box<dyn Store> {
    Box::new(dynamodb_table().await.0)
}

/// As `dynamodb`, and the table's name.
async fn dynamodb_table() -> (DynamoStore, String) {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: the DynamoDB conformance run needs moto's server; run scripts/test.sh"
    );
    let config = sdk_config().await;
    let table = format!("conformance-{}", WebhookId::generate(at(0), &OsRandom));
    let kms_client = aws_sdk_kms::Client::new(&config);
    let key = kms::ensure_key(&kms_client, &table)
        .await
        .expect("a KMS key on moto");
    let ring = Arc::new(KmsKeyRing::new(kms_client, key));
    let sealer = Arc::new(Sealer::new(ring, Arc::new(OsRandom), Arc::new(SystemClock)));
    let client = aws_sdk_dynamodb::Client::new(&config);
    let store = DynamoStore::new(client, &table, sealer);
    store.ensure_table().await.expect("create table on moto");
    (store, table)
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
    accounts::branding_is_kept_per_account_and_replaced_whole,
    api_keys::api_keys_are_listed_per_account_in_creation_order,
    api_keys::a_keys_last_use_is_written_at_most_once_a_minute,
    api_keys::the_last_working_full_key_is_never_revoked,
    api_keys::two_revocations_at_once_leave_a_full_key,
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
    deliveries::a_shaped_body_is_kept_as_last_sent,
    deliveries::a_replay_requeues_a_final_delivery_once,
    delivery_lists::an_updated_at_sort_reads_a_bounded_window,
    tasks::a_tasks_step_is_claimed_once_advanced_swept_and_ended,
    secrets::urls_kept_in_the_clear_are_sealed_by_their_next_change,
    quota::a_quota_counter_admits_up_to_its_limit_once_across_callers,
    audit::audit_records_list_newest_first_by_every_filter,
    audit::a_change_and_its_record_are_written_together_or_not_at_all,
    audit::a_narrow_filter_reads_a_bounded_page_and_goes_on,
    poll_feeds::a_poll_feed_hands_out_what_is_due_in_order_until_acknowledged,
);

/// What only a store that outlives a version meets.
mod dynamodb_store_upgraded {
    #[tokio::test]
    async fn webhooks_stored_in_the_clear_read_and_are_sealed_by_their_next_write() {
        let (store, table) = super::dynamodb_table().await;
        super::secrets::webhooks_stored_in_the_clear_read_and_are_sealed_by_their_next_write(
            &store, &table,
        )
        .await;
    }
}
