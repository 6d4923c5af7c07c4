//! AWS adapters (DynamoDB, SQS, EventBridge Scheduler, KMS) and the SDK set-up
//! shared by the Lambda entry points and the local runner's `--aws` mode.

pub mod calls;
mod dynamodb;
mod in_order;
pub mod kms;
mod scheduler;
mod sqs;

pub use calls::CallLog;
pub use dynamodb::{costs, hot_keys, keys, replay, DynamoStore};
pub use kms::KmsKeyRing;
pub use scheduler::EventBridgeScheduler;
pub use sqs::{QueueInfo, SqsQueue};

use aws_config::meta::region::RegionProviderChain;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;
use std::time::Duration;

/// How long one AWS call may take. Every client gets both limits: a stalled
/// call (a dead pooled connection, a black-holed packet) otherwise waits
/// until the Lambda function times out, and with it the whole SQS batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SdkTimeouts {
    /// One attempt: connecting (DNS, TCP, TLS), sending, and the whole
    /// answer. A timed-out attempt is a transient error, so standard retry
    /// mode (3 attempts, full-jitter backoff of up to 1 s, then 2 s) tries
    /// again on a fresh connection.
    pub attempt: Duration,
    /// The whole call, every attempt and backoff included.
    pub operation: Duration,
}

impl SdkTimeouts {
    /// On AWS. DynamoDB, SQS and Scheduler answer in milliseconds (a 1 MB
    /// Query page in well under a second), so only a stuck attempt reaches
    /// 2 s, and its retry usually succeeds at once. 5 s holds two stuck
    /// attempts and a backoff, or three quick failures (throttling) and both
    /// backoffs. A call that fails for good ends its message's handling, so
    /// in the delivery function (30 s; a batch's 10 records run concurrently)
    /// a failing call before the send (5 s), the send (10 s) and a failing
    /// call after it (5 s) leave 10 s to spare; a stuck attempt that its
    /// retry rescues costs 2 to 3 s. No separate connect or read timeout:
    /// the attempt timeout covers both, and a shorter connect timeout would
    /// cut a connect that needed one SYN retransmission (1 s on Linux).
    pub const AWS: Self = Self {
        attempt: Duration::from_secs(2),
        operation: Duration::from_secs(5),
    };

    /// Against an emulator (`AWS_ENDPOINT_URL`): moto is one Python process
    /// that the test suite calls from many tests at once. Measured over the
    /// DynamoDB conformance suite: attempts take 0.3 s at the median, 1 s at
    /// p99 and up to 7 s (a 1,000-delivery list), so the AWS limits fail it.
    /// A timed-out attempt is sent again, and a conditional write sent twice
    /// can fail its own condition, so the attempt limit here is four times
    /// that worst case; the limits remain so that a hung emulator fails a
    /// call instead of hanging it.
    pub const EMULATOR: Self = Self {
        attempt: Duration::from_secs(30),
        operation: Duration::from_secs(60),
    };

    /// The limits for `endpoint` (`None`: AWS itself).
    pub fn for_endpoint(endpoint: Option<&str>) -> Self {
        match endpoint {
            Some(_) => Self::EMULATOR,
            None => Self::AWS,
        }
    }

    /// As the SDK takes them (its default connect timeout, 3.1 s, stays:
    /// the attempt timeout is shorter).
    pub fn config(self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .operation_attempt_timeout(self.attempt)
            .operation_timeout(self.operation)
            .build()
    }
}

/// `AWS_ENDPOINT_URL`, when set: the address of an AWS emulator such as moto.
pub fn emulator_endpoint() -> Option<String> {
    std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// Loads the SDK configuration from the environment: AWS, or the emulator at
/// `AWS_ENDPOINT_URL`, with the timeouts for it (`SdkTimeouts::for_endpoint`).
pub async fn sdk_config() -> SdkConfig {
    let endpoint = emulator_endpoint();
    let timeouts = SdkTimeouts::for_endpoint(endpoint.as_deref());
    sdk_config_for(endpoint.as_deref(), timeouts).await
}

/// The SDK configuration for `endpoint` (an emulator's address; `None`:
/// wherever the SDK's own settings point, AWS by default) with `timeouts`; credentials and region come from the environment. Against an
/// emulator with no credentials configured, test credentials are used, and
/// with no region in the environment us-east-1, so nothing looks for the
/// instance metadata service.
pub async fn sdk_config_for(endpoint: Option<&str>, timeouts: SdkTimeouts) -> SdkConfig {
    let emulated = endpoint.is_some();
    let region_in_env = ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .any(|v| std::env::var_os(v).is_some());
    let region = if emulated && !region_in_env {
        RegionProviderChain::first_try(Region::new("us-east-1"))
    } else {
        RegionProviderChain::default_provider().or_else("us-east-1")
    };
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region)
        .timeout_config(timeouts.config());
    if let Some(url) = endpoint {
        // Set here, it wins over AWS_ENDPOINT_URL in the environment.
        loader = loader.endpoint_url(url);
    }
    if emulated && std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
        loader =
            loader.credentials_provider(Credentials::new("test", "test", None, None, "emulator"));
    }
    loader.load().await
}

/// The SDK clients, built once per process.
#[derive(Clone, Debug)]
pub struct AwsClients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub scheduler: aws_sdk_scheduler::Client,
    pub kms: aws_sdk_kms::Client,
}

impl AwsClients {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            dynamodb: aws_sdk_dynamodb::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            scheduler: aws_sdk_scheduler::Client::new(config),
            kms: aws_sdk_kms::Client::new(config),
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
            kms: aws_sdk_kms::Client::from_conf(
                aws_sdk_kms::config::Builder::from(config)
                    .interceptor(log.clone())
                    .build(),
            ),
        }
    }
}
