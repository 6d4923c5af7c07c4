//! `hookrelay-local`: every hookrelay function in one process on one port, on
//! the in-memory adapters (default) or the real AWS ones (`--aws`), for
//! development and the end-to-end tests.

pub mod costs;
pub mod partition_load;
mod worker;

use hookrelay::adapters::aws::{
    kms, sdk_config, AwsClients, DynamoStore, EventBridgeScheduler, KmsKeyRing, SqsQueue,
};
use hookrelay::adapters::memory::{LocalKeyRing, MemoryQueue, MemoryScheduler, MemoryStore};
use hookrelay::app::{Adapters, App, StartError};
use hookrelay::config::{KeySource, Settings};
use hookrelay::domain::account::{Account, ApiKey};
use hookrelay::domain::api_key::{ApiKeyRecord, NewKey};
use hookrelay::domain::audit::{changes_between, Action, Actor};
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::webhook::Name;
use hookrelay::ports::clock::{Clock, SystemClock};
use hookrelay::ports::keys::{KeyError, KeyRing};
use hookrelay::ports::queue::QueueError;
use hookrelay::ports::random::{OsRandom, Random};
use hookrelay::ports::store::StoreError;
use hookrelay::sealing::Sealer;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

/// Which adapters the runner uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// In-memory store: no AWS, nothing to install; state ends with the process.
    Memory,
    /// DynamoDB (AWS, or an emulator at `AWS_ENDPOINT_URL`); creates the table if missing.
    Aws,
}

#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Queue(#[from] QueueError),
    #[error("{0}")]
    Start(#[from] StartError),
    #[error("HOOKRELAY_API_KEY: {0}")]
    ApiKey(String),
    #[error("{0}")]
    Keys(#[from] KeyError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Whether the runner puts due Scheduler schedules on the queue itself: only
/// where nothing else does. In memory, and against an emulator
/// (`AWS_ENDPOINT_URL`), nothing else fires them; on AWS, EventBridge
/// Scheduler does, and firing them here too would send each long wait twice.
/// `hookrelay-local` resolves it once at start (`Settings::fires_schedules`).
pub fn fires_schedules(backend: Backend, emulator_endpoint: Option<&str>) -> bool {
    match backend {
        Backend::Memory => true,
        Backend::Aws => emulator_endpoint.is_some(),
    }
}

/// The visibility timeout of the local queues: a message a worker took and
/// did not acknowledge comes back after this. As in the template (6 × the
/// delivery function's 30 s), it outlasts a sender's lease.
pub const VISIBILITY: Duration = Duration::from_secs(180);

/// The adapters for `backend`, with the system clock.
pub async fn adapters(backend: Backend, settings: &Settings) -> Result<Adapters, LocalError> {
    adapters_with_clock(backend, settings, Arc::new(SystemClock)).await
}

/// The adapters for `backend` on `clock` (tests move time by hand).
pub async fn adapters_with_clock(
    backend: Backend,
    settings: &Settings,
    clock: Arc<dyn Clock>,
) -> Result<Adapters, LocalError> {
    Ok(match backend {
        Backend::Memory => {
            let sealer = sealer(key_ring(settings, backend, None).await?, clock.clone());
            Adapters {
                store: Arc::new(MemoryStore::new(sealer.clone())),
                queue: Arc::new(MemoryQueue::new(clock.clone(), VISIBILITY)),
                scheduler: Arc::new(MemoryScheduler::new()),
                clock,
                sealer,
            }
        }
        Backend::Aws => {
            let clients = AwsClients::new(&sdk_config().await);
            aws_adapters(settings, clients, clock).await?
        }
    })
}

/// The key ring `settings.keys` names: the KMS key `KMS_KEY_ARN` (on `kms`,
/// or a client made for it), or the master keys given. With neither: in
/// memory, a master key made now, that ends with the process as everything
/// it seals does (a key file on disk would outlive what it protects); with
/// `--aws`, the KMS key `alias/{TABLE_NAME}`, made if missing as the table is.
async fn key_ring(
    settings: &Settings,
    backend: Backend,
    kms: Option<aws_sdk_kms::Client>,
) -> Result<Arc<dyn KeyRing>, LocalError> {
    let random: Arc<dyn Random> = Arc::new(OsRandom);
    let client = || async {
        match kms {
            Some(client) => client,
            None => aws_sdk_kms::Client::new(&sdk_config().await),
        }
    };
    Ok(match (&settings.keys, backend) {
        (KeySource::Master(keys), _) => Arc::new(LocalKeyRing::new(keys, random)),
        (KeySource::Unset, Backend::Memory) => Arc::new(LocalKeyRing::ephemeral(random)),
        (KeySource::Kms(arn), _) => Arc::new(KmsKeyRing::new(client().await, arn)),
        (KeySource::Unset, Backend::Aws) => {
            let client = client().await;
            let arn = kms::ensure_key(&client, &settings.table_name).await?;
            Arc::new(KmsKeyRing::new(client, arn))
        }
    })
}

fn sealer(ring: Arc<dyn KeyRing>, clock: Arc<dyn Clock>) -> Arc<Sealer> {
    Arc::new(Sealer::new(ring, Arc::new(OsRandom), clock))
}

/// The AWS adapters on `clients`, after creating the table, the queue, the
/// schedule group and the KMS key where they are missing.
pub async fn aws_adapters(
    settings: &Settings,
    clients: AwsClients,
    clock: Arc<dyn Clock>,
) -> Result<Adapters, LocalError> {
    let ring = key_ring(settings, Backend::Aws, Some(clients.kms.clone())).await?;
    let sealer = sealer(ring, clock.clone());
    let store = DynamoStore::new(
        clients.dynamodb,
        settings.table_name.clone(),
        sealer.clone(),
    );
    store.ensure_table().await?;
    let queue_name = format!("{}-deliveries", settings.table_name);
    let queue = SqsQueue::ensure(&clients.sqs, &queue_name, VISIBILITY).await?;
    let group = settings
        .schedule_group
        .clone()
        .unwrap_or_else(|| settings.table_name.clone());
    EventBridgeScheduler::ensure_group(&clients.scheduler, &group).await?;
    let role = settings
        .scheduler_role_arn
        .clone()
        .unwrap_or_else(|| LOCAL_SCHEDULER_ROLE.to_owned());
    let scheduler = EventBridgeScheduler::new(clients.scheduler, group, queue.arn, role);
    Ok(Adapters {
        store: Arc::new(store),
        queue: Arc::new(SqsQueue::new(clients.sqs, queue.url)),
        scheduler: Arc::new(scheduler),
        clock,
        sealer,
    })
}

/// The role schedules name in `--aws` mode when `SCHEDULER_ROLE_ARN` is unset
/// (emulators do not check it; on AWS, set the variable).
const LOCAL_SCHEDULER_ROLE: &str = "arn:aws:iam::000000000000:role/hookrelay-scheduler";

/// The ports for `backend`, with system clock, randomness and resolver.
pub async fn build_app(backend: Backend, settings: Settings) -> Result<App, LocalError> {
    Ok(App::new(adapters(backend, &settings).await?, settings)?)
}

/// A running local server.
pub struct Running {
    pub addr: SocketAddr,
    /// The key of the default account (given or generated).
    pub api_key: String,
    pub account: Account,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    stop_worker: watch::Sender<bool>,
    worker: JoinHandle<()>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes requests in flight, and returns.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.stop_worker.send(true);
        if let Ok(Err(err)) = self.server.await {
            tracing::error!(error = %err, "server ended with an error");
        }
        let _ = self.worker.await;
    }

    /// Runs until the server ends (it ends when `stop` is called elsewhere or it fails).
    pub async fn wait(self) -> std::io::Result<()> {
        let _keep_open = self.shutdown;
        self.server
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }
}

/// Every HTTP route of every function, on one router.
pub fn router(app: App) -> axum::Router {
    let routes = hookrelay_config_api::routes()
        .merge(hookrelay_ingest::routes())
        .merge(hookrelay_query::routes())
        // Someone who opens the runner in a browser wants the console.
        .route(
            "/",
            axum::routing::get(|| async { axum::response::Redirect::temporary("/console") }),
        );
    hookrelay::http::with_fallbacks(routes.with_state(app))
}

/// Makes sure the default account exists (keyed by `api_key`, or a new key),
/// then serves every route on `addr` (port 0 picks a free one).
pub async fn serve(
    app: App,
    addr: SocketAddr,
    api_key: Option<&str>,
) -> Result<Running, LocalError> {
    let key = match api_key {
        Some(text) => ApiKey::from_configured(text).map_err(LocalError::ApiKey)?,
        None => ApiKey::generate(&*app.random),
    };
    let account = default_account(&app, &key).await?;
    serve_split(router(app.clone()), app, addr, &key, account).await
}

/// Serves `routes` on `addr` and runs the delivery worker on `worker`'s
/// ports, for the account of `key`. (`serve` gives both the same ports; a
/// test can give each function its own, as Lambda does.)
pub async fn serve_split(
    routes: axum::Router,
    worker: App,
    addr: SocketAddr,
    key: &ApiKey,
    account: Account,
) -> Result<Running, LocalError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| LocalError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| LocalError::Bind { addr, source })?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let (stop_worker, stopped_worker) = watch::channel(false);
    let worker = tokio::spawn(worker::run(worker, stopped_worker));
    let serving = axum::serve(listener, routes).with_graceful_shutdown(async {
        let _ = stopped.await;
    });
    let server = tokio::spawn(async move { serving.await });
    Ok(Running {
        addr,
        api_key: key.expose().to_owned(),
        account,
        shutdown,
        server,
        stop_worker,
        worker,
    })
}

/// The account `key` belongs to, created on first use with `key` as its
/// first full key (a restart against a persistent store with the same
/// `HOOKRELAY_API_KEY` finds it again).
pub async fn default_account(app: &App, key: &ApiKey) -> Result<Account, LocalError> {
    if let Some(found) = app.store.api_key_by_hash(key.hash()).await? {
        return Ok(found.account().clone());
    }
    let now = app.clock.now();
    let account = Account {
        id: AccountId::generate(now, &*app.random),
        name: Name::parse("default").map_err(LocalError::ApiKey)?,
        created_at: now,
    };
    let first = ApiKeyRecord::of(&account, key, NewKey::first(), now, &*app.random);
    let by = Actor::local_runner();
    let changes = changes_between(None, Some(&account));
    let audit = app.audit(
        account.id,
        Action::AccountCreated.by(&by),
        account.id,
        changes,
    );
    match app.store.insert_account(&account, &first, &audit).await {
        Ok(()) => Ok(account),
        // Another runner on the same table created it in between.
        Err(StoreError::Conflict) => app
            .store
            .api_key_by_hash(key.hash())
            .await?
            .map(|found| found.account().clone())
            .ok_or(LocalError::Store(StoreError::Conflict)),
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_fired_here_only_where_nothing_else_fires_them() {
        let moto = Some("http://127.0.0.1:5000");
        assert!(fires_schedules(Backend::Memory, None));
        assert!(fires_schedules(Backend::Memory, moto));
        assert!(
            fires_schedules(Backend::Aws, moto),
            "emulators never fire them"
        );
        assert!(
            !fires_schedules(Backend::Aws, None),
            "on AWS, EventBridge Scheduler fires them"
        );
    }
}
