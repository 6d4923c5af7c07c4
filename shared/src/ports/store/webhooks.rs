//! Webhooks, and their health as senders note it (kept apart from them).

use super::StoreError;
use crate::domain::audit::AuditRecord;
use crate::domain::health::{Health, Outcomes};
use crate::domain::ids::{AccountId, WebhookId};
use crate::domain::listing::{ListParams, Page};
use crate::domain::webhook::Webhook;
use async_trait::async_trait;

/// Filters of the webhook list beyond the common window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookFilter {
    pub enabled: Option<bool>,
}

#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Conflict if a webhook with that id exists. Each change of a webhook
    /// is written with its `audit` record, both or neither (`AuditStore`).
    async fn insert_webhook(
        &self,
        webhook: &Webhook,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;

    async fn get_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
    ) -> Result<Option<Webhook>, StoreError>;

    /// Replaces the webhook if its stored `version` is still `expected_version`;
    /// Conflict if it changed or was deleted meanwhile.
    async fn update_webhook(
        &self,
        webhook: &Webhook,
        expected_version: u64,
        audit: &AuditRecord,
    ) -> Result<(), StoreError>;

    /// Notes a sender's outcomes on the webhook's health (`Outcomes::apply`:
    /// `last_delivery_*` and its run of failures, counted exactly however
    /// many senders note at once), kept apart from the webhook so a busy
    /// webhook's notes never contend with its account's partition. The
    /// health after. It expires `RETENTION_DAYS` after its last note, with
    /// the deliveries it speaks of.
    async fn record_outcome(
        &self,
        account: AccountId,
        id: WebhookId,
        outcomes: &Outcomes,
        expires_at: i64,
    ) -> Result<Health, StoreError>;

    /// Forgets the webhook's run of failures (it was switched on again).
    async fn reset_health(&self, account: AccountId, id: WebhookId) -> Result<(), StoreError>;

    /// Whether there was such a webhook.
    async fn delete_webhook(
        &self,
        account: AccountId,
        id: WebhookId,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError>;

    async fn list_webhooks(
        &self,
        account: AccountId,
        filter: &WebhookFilter,
        params: &ListParams,
    ) -> Result<Page<Webhook>, StoreError>;

    /// Up to `limit` of the account's enabled webhooks after `after`, in id
    /// order, as fan-out needs them (without `last_delivery_*` or health).
    async fn subscribers(
        &self,
        account: AccountId,
        after: Option<WebhookId>,
        limit: u32,
    ) -> Result<Page<Webhook>, StoreError>;
}
