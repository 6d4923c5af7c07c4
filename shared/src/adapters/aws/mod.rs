//! AWS adapters (DynamoDB, SQS, EventBridge Scheduler) and the SDK set-up
//! shared by the Lambda entry points and the local runner's `--aws` mode.

pub mod calls;
mod dynamodb;
mod in_order;
mod scheduler;
mod sqs;

pub use calls::CallLog;
pub use dynamodb::{costs, hot_keys, keys, replay, DynamoStore};
pub use scheduler::EventBridgeScheduler;
pub use sqs::{QueueInfo, SqsQueue};

use aws_config::meta::region::RegionProviderChain;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;

/// Loads the SDK configuration from the environment. Against an emulator
/// (`AWS_ENDPOINT_URL` set) with no credentials configured, test credentials
/// are used, and with no region in the environment us-east-1, so nothing
/// looks for the instance metadata service.
pub async fn sdk_config() -> SdkConfig {
    let emulated = std::env::var_os("AWS_ENDPOINT_URL").is_some();
    let region_in_env = ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    let region = if emulated && !region_in_env {
        RegionProviderChain::first_try(Region::new("us-east-1"))
    } else {
        RegionProviderChain::default_provider().or_else("us-east-1")
    };
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(region);
    if emulated && std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
        loader =
            loader.credentials_provider(Credentials::new("test", "test", None, None, "emulator"));
    }
    loader.load().await
}

/// The three SDK clients, built once per process.
#[derive(Clone, Debug)]
pub struct AwsClients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub scheduler: aws_sdk_scheduler::Client,
}

impl AwsClients {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            dynamodb: aws_sdk_dynamodb::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            scheduler: aws_sdk_scheduler::Client::new(config),
        }
    }

    /// Clients that record every call in `log` (tests and the benchmark).
    pub fn recorded(config: &SdkConfig, log: &CallLog) -> Self {
        let mut dynamodb = aws_sdk_dynamodb::config::Builder::from(config).interceptor(log.clone());
        if let Some(turns) = log.turns() {
            let http = config
                .http_client()
                .unwrap_or_else(in_order::default_client);
            dynamodb = dynamodb.http_client(in_order::in_order(http, turns));
        }
        Self {
            dynamodb: aws_sdk_dynamodb::Client::from_conf(dynamodb.build()),
            sqs: aws_sdk_sqs::Client::from_conf(
                aws_sdk_sqs::config::Builder::from(config)
                    .interceptor(log.clone())
                    .build(),
            ),
            scheduler: aws_sdk_scheduler::Client::from_conf(
                aws_sdk_scheduler::config::Builder::from(config)
                    .interceptor(log.clone())
                    .build(),
            ),
        }
    }
}
