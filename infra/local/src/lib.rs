//! `hookrelay-local`: every hookrelay function in one process on one port, on
//! the in-memory adapters (default) or the real AWS ones (`--aws`), for
//! development and the end-to-end tests.

use hookrelay::adapters::aws::{sdk_config, DynamoStore};
use hookrelay::adapters::memory::MemoryStore;
use hookrelay::app::App;
use hookrelay::config::Settings;
use hookrelay::domain::account::{Account, ApiKey};
use hookrelay::domain::ids::AccountId;
use hookrelay::domain::webhook::Name;
use hookrelay::ports::store::{Store, StoreError};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::oneshot;
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
    #[error("HOOKRELAY_API_KEY: {0}")]
    ApiKey(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// The ports for `backend`, with system clock, randomness and resolver.
pub async fn build_app(backend: Backend, settings: Settings) -> Result<App, LocalError> {
    let store: Arc<dyn Store> = match backend {
        Backend::Memory => Arc::new(MemoryStore::new()),
        Backend::Aws => {
            let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
            let store = DynamoStore::new(client, settings.table_name.clone());
            store.ensure_table().await?;
            Arc::new(store)
        }
    };
    Ok(App::new(store, settings))
}

/// A running local server.
pub struct Running {
    pub addr: SocketAddr,
    /// The key of the default account (given or generated).
    pub api_key: String,
    pub account: Account,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes requests in flight, and returns.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        if let Ok(Err(err)) = self.server.await {
            tracing::error!(error = %err, "server ended with an error");
        }
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
    hookrelay_config_api::with_fallbacks(hookrelay_config_api::routes().with_state(app))
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
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| LocalError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| LocalError::Bind { addr, source })?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    let serving = axum::serve(listener, router(app)).with_graceful_shutdown(async {
        let _ = stopped.await;
    });
    let server = tokio::spawn(async move { serving.await });
    Ok(Running {
        addr,
        api_key: key.expose().to_owned(),
        account,
        shutdown,
        server,
    })
}

/// The account `key` belongs to, created on first use (a restart against a
/// persistent store with the same `HOOKRELAY_API_KEY` finds it again).
async fn default_account(app: &App, key: &ApiKey) -> Result<Account, LocalError> {
    if let Some((account, _)) = app.store.account_by_key(key.hash()).await? {
        return Ok(account);
    }
    let now = app.clock.now();
    let account = Account {
        id: AccountId::generate(now, &*app.random),
        name: Name::parse("default").map_err(LocalError::ApiKey)?,
        created_at: now,
    };
    match app.store.insert_account(&account, key.hash()).await {
        Ok(()) => Ok(account),
        // Another runner on the same table created it in between.
        Err(StoreError::Conflict) => app
            .store
            .account_by_key(key.hash())
            .await?
            .map(|(account, _)| account)
            .ok_or(LocalError::Store(StoreError::Conflict)),
        Err(err) => Err(err.into()),
    }
}
