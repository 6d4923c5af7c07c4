//! The ports a handler talks to and the settings, built once per process
//! (outside any handler), with the process's warm state (`warm::Warm`).

use crate::adapters::aws::{
    sdk_config, AwsClients, DynamoStore, EventBridgeScheduler, KmsKeyRing, SqsQueue,
};
use crate::config::{ConfigError, Deployment, Settings};
use crate::domain::audit::{Act, AuditNote, AuditRecord, Changes};
use crate::domain::ids::AccountId;
use crate::domain::retry::RetryPolicy;
use crate::net::address::{Resolver, SystemResolver};
use crate::net::sender::Sender;
use crate::ports::clock::{Clock, SystemClock};
use crate::ports::metrics::{EmfMetrics, Metrics, NoMetrics};
use crate::ports::queue::{Queue, Scheduler};
use crate::ports::random::{OsRandom, Random};
use crate::ports::store::Store;
use crate::sealing::Sealer;
use crate::warm::Warm;
use std::sync::Arc;

#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub queue: Arc<dyn Queue>,
    pub scheduler: Arc<dyn Scheduler>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    pub resolver: Arc<dyn Resolver>,
    pub sender: Arc<Sender>,
    pub retry: RetryPolicy,
    pub metrics: Arc<dyn Metrics>,
    /// Seals and opens secrets at rest, with the data keys this process keeps.
    pub sealer: Arc<Sealer>,
    pub settings: Arc<Settings>,
    /// What this process keeps between requests: it takes no `App`.
    pub warm: Arc<Warm>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// The adapters an `App` is built around; `sealer` is the one the store
/// seals with.
#[derive(Clone)]
pub struct Adapters {
    pub store: Arc<dyn Store>,
    pub queue: Arc<dyn Queue>,
    pub scheduler: Arc<dyn Scheduler>,
    pub clock: Arc<dyn Clock>,
    pub sealer: Arc<Sealer>,
}

impl App {
    /// The record of `act` on the resource `id` of `account`, made now.
    pub fn audit(
        &self,
        account: AccountId,
        act: Act<'_>,
        id: impl ToString,
        changes: Changes,
    ) -> AuditRecord {
        let note = AuditNote {
            account,
            act,
            resource_id: id.to_string(),
            changes,
        };
        let now = self.clock.now();
        AuditRecord::new(note, now, &*self.random, self.settings.retention_days)
    }
}

impl App {
    /// The system randomness and resolver around `adapters`.
    pub fn new(adapters: Adapters, settings: Settings) -> Result<Self, StartError> {
        Self::with_resolver(adapters, settings, Arc::new(SystemResolver))
    }

    /// As `new`, resolving names through `resolver` (tests make names resolve anywhere).
    pub fn with_resolver(
        adapters: Adapters,
        settings: Settings,
        resolver: Arc<dyn Resolver>,
    ) -> Result<Self, StartError> {
        let sender = Sender::new(
            settings.address_policy.clone(),
            resolver.clone(),
            settings.send_timeout,
        )?;
        Ok(Self {
            store: adapters.store,
            queue: adapters.queue,
            scheduler: adapters.scheduler,
            clock: adapters.clock,
            random: Arc::new(OsRandom),
            resolver,
            sender: Arc::new(sender),
            retry: RetryPolicy::new(settings.retry_schedule.clone()),
            metrics: Arc::new(NoMetrics),
            sealer: adapters.sealer,
            settings: Arc::new(settings),
            warm: Arc::new(Warm::default()),
        })
    }

    /// What a Lambda function's `main` builds: settings from the environment
    /// and the AWS adapters on the configured resources.
    pub async fn for_lambda() -> Result<Self, StartError> {
        let settings = Settings::from_env(Deployment::Lambda)?;
        let clients = AwsClients::new(&sdk_config().await);
        let aws = settings.aws_resources()?;
        let clock = Arc::new(SystemClock);
        let ring = KmsKeyRing::new(clients.kms, settings.kms_key_arn()?);
        let sealer = Arc::new(Sealer::new(
            Arc::new(ring),
            Arc::new(OsRandom),
            clock.clone(),
        ));
        let adapters = Adapters {
            store: Arc::new(DynamoStore::new(
                clients.dynamodb,
                settings.table_name.clone(),
                sealer.clone(),
            )),
            queue: Arc::new(SqsQueue::new(clients.sqs, aws.queue_url.clone())),
            scheduler: Arc::new(
                EventBridgeScheduler::new(
                    clients.scheduler,
                    aws.schedule_group.clone(),
                    aws.queue_arn.clone(),
                    aws.scheduler_role_arn.clone(),
                )
                .with_dead_letter(aws.schedule_dlq_arn.clone()),
            ),
            clock,
            sealer,
        };
        Ok(Self {
            metrics: Arc::new(EmfMetrics),
            ..Self::new(adapters, settings)?
        })
    }
}
