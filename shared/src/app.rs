//! The ports a handler talks to, built once per process (outside any handler).

use crate::adapters::aws::{sdk_config, DynamoStore};
use crate::config::{ConfigError, Deployment, Settings};
use crate::net::address::{Resolver, SystemResolver};
use crate::ports::clock::{Clock, SystemClock};
use crate::ports::random::{OsRandom, Random};
use crate::ports::store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    pub resolver: Arc<dyn Resolver>,
    pub settings: Arc<Settings>,
}

impl App {
    /// The system clock, randomness and resolver around `store`.
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Self {
        Self {
            store,
            clock: Arc::new(SystemClock),
            random: Arc::new(OsRandom),
            resolver: Arc::new(SystemResolver),
            settings: Arc::new(settings),
        }
    }

    /// What a Lambda function's `main` builds: settings from the environment
    /// and the DynamoDB store on the configured table.
    pub async fn for_lambda() -> Result<Self, ConfigError> {
        let settings = Settings::from_env(Deployment::Lambda)?;
        let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
        let store = DynamoStore::new(client, settings.table_name.clone());
        Ok(Self::new(Arc::new(store), settings))
    }
}
