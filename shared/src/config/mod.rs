//! Deployment settings, read from the environment under the same names in
//! Lambda and in the local runner (DESIGN.md §7); `keys`: where the keys
//! that seal secrets at rest come from.

mod keys;

pub use keys::KeySource;

use crate::domain::account::KeyHash;
use crate::domain::health::HealthPolicy;
use crate::domain::quota::IngestQuota;
use crate::domain::retry::RetrySchedule;
use crate::domain::webhook_url::WebhookUrl;
use crate::net::address::{AddressPolicy, Resolver};
use std::ops::RangeInclusive;
use std::time::Duration;

/// Where hookrelay runs; decides the defaults of unset variables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deployment {
    Lambda,
    Local,
}

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

/// Who may `POST /v1/accounts` (create accounts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminAuth {
    /// Lambda: API Gateway's IAM authoriser on that route (`AWS_IAM`, a
    /// SigV4-signed request); the function also requires the signed caller
    /// the authoriser reports (`http::auth::SignedCaller`), so no plaintext
    /// admin key exists in AWS.
    Iam,
    /// The local runner: the bearer of `ADMIN_API_KEY` (kept as its SHA-256).
    Key(KeyHash),
    /// The local runner without `ADMIN_API_KEY`: the route answers 401.
    Off,
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// Who may create accounts: IAM in Lambda, `ADMIN_API_KEY` locally.
    pub admin: AdminAuth,
    /// `HOOKRELAY_INGEST_RATE`: the events a second each account may send,
    /// across every ingest instance; `None` (0) counts nothing.
    pub ingest_quota: Option<IngestQuota>,
    pub allow_http: bool,
    pub address_policy: AddressPolicy,
    /// Seconds to wait after each failed attempt; its length + 1 is the attempt count.
    pub retry_schedule: Vec<u32>,
    pub send_timeout: Duration,
    pub retention_days: u32,
    pub table_name: String,
    /// `QUEUE_URL`, `QUEUE_ARN`, `SCHEDULE_GROUP`, `SCHEDULER_ROLE_ARN` as given.
    pub queue_url: Option<String>,
    pub queue_arn: Option<String>,
    pub schedule_group: Option<String>,
    pub scheduler_role_arn: Option<String>,
    /// `SCHEDULE_DLQ_ARN`: the SQS queue Scheduler parks a schedule's message
    /// in when it cannot put it on the delivery queue; optional.
    pub schedule_dlq_arn: Option<String>,
    /// `HOOKRELAY_DISABLE_AFTER_FAILURES` / `_SECONDS`: the auto-disable rule.
    pub health: HealthPolicy,
    /// `HOOKRELAY_WORKER_CONCURRENCY`: sends the local runner's worker keeps
    /// in flight at most (Lambda scales by invocations instead).
    pub worker_concurrency: usize,
    /// Whether the local runner's worker puts due Scheduler schedules on the
    /// queue itself. True by default locally; `hookrelay-local` resolves it
    /// at start (`hookrelay_local::fires_schedules`: not against AWS, where
    /// EventBridge Scheduler fires them). False in Lambda.
    pub fires_schedules: bool,
    /// Where the keys that seal secrets at rest come from.
    pub keys: KeySource,
}

/// Where the delivery queue and schedules are (set by the template in Lambda).
#[derive(Clone, Debug)]
pub struct AwsResources {
    pub queue_url: String,
    pub queue_arn: String,
    pub schedule_group: String,
    pub scheduler_role_arn: String,
    /// Optional: without it schedules have no dead-letter queue.
    pub schedule_dlq_arn: Option<String>,
}

pub const DEFAULT_RETRY_SCHEDULE: [u32; 7] = [5, 300, 1800, 7200, 18000, 36000, 36000];
const DEFAULT_TABLE: &str = "hookrelay";
/// `HOOKRELAY_INGEST_RATE` unset: events a second per account.
pub const DEFAULT_INGEST_RATE: u32 = 1_000;
/// The longest delay an event may ask for (DESIGN.md section 2), in seconds.
pub const MAX_EVENT_DELAY_SECONDS: u64 = 604_800;

/// A delivery's longest possible life, in seconds: the longest delay plus
/// every wait of the retry schedule at its longest (a 429/503 `Retry-After`
/// may stretch a wait to twice its step).
pub fn longest_life_seconds(retry_schedule: &[u32]) -> u64 {
    let waits: u64 = retry_schedule.iter().map(|s| 2 * u64::from(*s)).sum();
    MAX_EVENT_DELAY_SECONDS + waits
}

/// The fewest `RETENTION_DAYS` that keep a delivery for its longest possible
/// life, in whole days.
pub fn minimum_retention_days(retry_schedule: &[u32]) -> u64 {
    longest_life_seconds(retry_schedule).div_ceil(86_400)
}

impl Settings {
    /// A webhook's own retry schedule must keep its deliveries within the
    /// retention, as the deployment's must (`minimum_retention_days`).
    pub fn check_retry_schedule(&self, schedule: &RetrySchedule) -> Result<(), String> {
        let needs = minimum_retention_days(schedule.waits());
        match needs <= u64::from(self.retention_days) {
            true => Ok(()),
            false => Err(format!(
                "its waits (doubled, as a Retry-After may stretch them) and the longest delay take {needs} days: more than RETENTION_DAYS ({})",
                self.retention_days
            )),
        }
    }

    /// The deployment's rules for a webhook target: https unless http is
    /// allowed, and the address rule (DESIGN.md §2).
    pub async fn check_target(
        &self,
        url: &WebhookUrl,
        resolver: &dyn Resolver,
    ) -> Result<(), String> {
        if !url.is_https() && !self.allow_http {
            return Err("must be an https URL (this deployment does not allow http)".into());
        }
        self.address_policy.check_at_creation(url, resolver).await
    }

    pub fn from_env(deployment: Deployment) -> Result<Self, ConfigError> {
        Self::from_lookup(deployment, |name| std::env::var(name).ok())
    }

    /// Reads every variable through `get`; unset or empty means the default.
    pub fn from_lookup(
        deployment: Deployment,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let env = Env(Box::new(move |name| {
            get(name).filter(|v| !v.trim().is_empty())
        }));
        let local = deployment == Deployment::Local;
        let allow_http = env.flag("HOOKRELAY_ALLOW_HTTP", local)?;
        let subnets = env
            .text("HOOKRELAY_ALLOWED_SUBNETS")
            .or_else(|| local.then(|| "127.0.0.0/8,::1/128".to_owned()))
            .unwrap_or_default();
        let allowed = AddressPolicy::parse_subnets(&subnets)
            .map_err(|m| invalid("HOOKRELAY_ALLOWED_SUBNETS", m))?;
        let retry_schedule = match env.text("HOOKRELAY_RETRY_SCHEDULE") {
            None => DEFAULT_RETRY_SCHEDULE.to_vec(),
            Some(v) => parse_schedule(&v).map_err(|m| invalid("HOOKRELAY_RETRY_SCHEDULE", m))?,
        };
        let send_timeout = env.number("HOOKRELAY_SEND_TIMEOUT_SECONDS", 10, 1..=60, "seconds")?;
        let retention_days = env.number("RETENTION_DAYS", 60, 1..=3650, "days")?;
        check_retention(retention_days, &retry_schedule)?;
        let worker_concurrency =
            env.number("HOOKRELAY_WORKER_CONCURRENCY", 256, 1..=10_000, "sends")?;
        let health = health_policy(&env)?;
        let table_name = table_name(&env, local)?;
        let ingest_rate = env.number(
            "HOOKRELAY_INGEST_RATE",
            DEFAULT_INGEST_RATE,
            0..=1_000_000,
            "events a second (0: no quota)",
        )?;
        Ok(Self {
            queue_url: env.text("QUEUE_URL"),
            queue_arn: env.text("QUEUE_ARN"),
            schedule_group: env.text("SCHEDULE_GROUP"),
            scheduler_role_arn: env.text("SCHEDULER_ROLE_ARN"),
            schedule_dlq_arn: schedule_dlq_arn(&env)?,
            admin: admin_auth(&env, local)?,
            ingest_quota: IngestQuota::per_second(ingest_rate),
            allow_http,
            address_policy: AddressPolicy::new(allowed),
            retry_schedule,
            send_timeout: Duration::from_secs(send_timeout.into()),
            retention_days,
            table_name,
            health,
            worker_concurrency: usize::try_from(worker_concurrency).unwrap_or(256),
            fires_schedules: local,
            keys: keys::key_source(&env)?,
        })
    }

    /// The queue and scheduler resources, each required.
    pub fn aws_resources(&self) -> Result<AwsResources, ConfigError> {
        let need = |variable: &'static str, value: &Option<String>| {
            value.clone().ok_or(ConfigError {
                variable,
                message: "must be set (template.yaml sets it)".into(),
            })
        };
        Ok(AwsResources {
            queue_url: need("QUEUE_URL", &self.queue_url)?,
            queue_arn: need("QUEUE_ARN", &self.queue_arn)?,
            schedule_group: need("SCHEDULE_GROUP", &self.schedule_group)?,
            scheduler_role_arn: need("SCHEDULER_ROLE_ARN", &self.scheduler_role_arn)?,
            schedule_dlq_arn: self.schedule_dlq_arn.clone(),
        })
    }

    /// The KMS key that seals secrets at rest, required in Lambda.
    pub fn kms_key_arn(&self) -> Result<String, ConfigError> {
        match &self.keys {
            KeySource::Kms(arn) => Ok(arn.clone()),
            _ => Err(invalid(
                "KMS_KEY_ARN",
                "must be set in Lambda, and no master key (template.yaml sets it)",
            )),
        }
    }

    /// The defaults of a deployment, with nothing read from the environment.
    pub fn defaults(deployment: Deployment) -> Self {
        let table = (deployment == Deployment::Lambda).then(|| DEFAULT_TABLE.to_owned());
        // Every default is valid, so this cannot fail.
        Self::from_lookup(deployment, |name| {
            (name == "TABLE_NAME").then(|| table.clone()).flatten()
        })
        .unwrap_or_else(|e| unreachable!("defaults are valid: {e}"))
    }
}

/// IAM in Lambda, where a plaintext `ADMIN_API_KEY` is refused (it would be
/// readable with `lambda:GetFunctionConfiguration`); the key locally.
fn admin_auth(env: &Env, local: bool) -> Result<AdminAuth, ConfigError> {
    match (local, env.text("ADMIN_API_KEY")) {
        (false, None) => Ok(AdminAuth::Iam),
        (false, Some(_)) => Err(invalid(
            "ADMIN_API_KEY",
            "is not used in Lambda: POST /v1/accounts is authorised by IAM \
             (a SigV4-signed request; see README, Deploying); unset it",
        )),
        (true, None) => Ok(AdminAuth::Off),
        (true, Some(key)) => Ok(AdminAuth::Key(KeyHash::of(key.trim()))),
    }
}

/// When senders switch a failing webhook off (`HOOKRELAY_DISABLE_AFTER_*`).
fn health_policy(env: &Env) -> Result<HealthPolicy, ConfigError> {
    let defaults = HealthPolicy::default();
    let (failures, seconds) = ("failed deliveries (0: never)", "seconds");
    Ok(HealthPolicy {
        after_failures: env.number(
            "HOOKRELAY_DISABLE_AFTER_FAILURES",
            defaults.after_failures,
            0..=1_000_000,
            failures,
        )?,
        after_seconds: env.number(
            "HOOKRELAY_DISABLE_AFTER_SECONDS",
            defaults.after_seconds,
            0..=31_536_000,
            seconds,
        )?,
    })
}

/// The DynamoDB table: required in Lambda, a default in the local runner.
fn table_name(env: &Env, local: bool) -> Result<String, ConfigError> {
    match env.text("TABLE_NAME") {
        Some(name) => Ok(name),
        None if local => Ok(DEFAULT_TABLE.to_owned()),
        None => Err(invalid("TABLE_NAME", "must be set (template.yaml sets it)")),
    }
}

/// `true`/`false` (also 1/0, yes/no), any case.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

fn parse_schedule(text: &str) -> Result<Vec<u32>, String> {
    let steps = text
        .split(',')
        .map(|s| s.trim().parse::<u32>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "must be comma-separated whole seconds, e.g. 5,300,1800".to_owned())?;
    if steps.is_empty() || steps.len() > 20 {
        return Err("must list 1 to 20 waits".into());
    }
    Ok(steps)
}

/// The environment (or a test's map), blank values read as unset.
type Lookup<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;
struct Env<'a>(Lookup<'a>);

impl Env<'_> {
    fn text(&self, variable: &str) -> Option<String> {
        (self.0)(variable)
    }

    fn flag(&self, variable: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.text(variable) {
            None => Ok(default),
            Some(v) => parse_bool(&v).ok_or_else(|| invalid(variable, "must be true or false")),
        }
    }

    fn number(
        &self,
        variable: &'static str,
        default: u32,
        range: RangeInclusive<u32>,
        unit: &str,
    ) -> Result<u32, ConfigError> {
        let Some(v) = self.text(variable) else {
            return Ok(default);
        };
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                let (low, high) = (range.start(), range.end());
                invalid(
                    variable,
                    format!("must be a whole number of {unit} from {low} to {high}"),
                )
            })
    }
}

fn invalid(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

/// Deliveries must outlive the longest delay plus every retry.
fn check_retention(retention_days: u32, retry_schedule: &[u32]) -> Result<(), ConfigError> {
    let minimum_days = minimum_retention_days(retry_schedule);
    if u64::from(retention_days) >= minimum_days {
        return Ok(());
    }
    Err(invalid(
        "RETENTION_DAYS",
        format!(
            "must be at least {minimum_days} days (the longest delay, 7 days, \
             plus the whole retry schedule at its longest, {waits} s: a Retry-After may \
             double each wait; rounded up), not {retention_days}",
            waits = retry_schedule
                .iter()
                .map(|s| 2 * u64::from(*s))
                .sum::<u64>(),
        ),
    ))
}

fn schedule_dlq_arn(env: &Env<'_>) -> Result<Option<String>, ConfigError> {
    let arn = env.text("SCHEDULE_DLQ_ARN").map(|v| v.trim().to_owned());
    match &arn {
        Some(arn) if !(arn.starts_with("arn:") && arn.contains(":sqs:")) => Err(invalid(
            "SCHEDULE_DLQ_ARN",
            "must be the ARN of an SQS queue (arn:aws:sqs:REGION:ACCOUNT:NAME)",
        )),
        _ => Ok(arn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(deployment: Deployment, vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(deployment, |k| vars.get(k).cloned())
    }

    #[test]
    fn local_defaults_allow_http_and_loopback() {
        let s = read(Deployment::Local, &[]).unwrap();
        assert!(s.allow_http);
        assert!(!s.address_policy.is_refused("127.0.0.1".parse().unwrap()));
        assert_eq!(s.retry_schedule, DEFAULT_RETRY_SCHEDULE);
        assert_eq!(s.send_timeout, Duration::from_secs(10));
        assert_eq!(s.retention_days, 60);
        assert_eq!(s.admin, AdminAuth::Off);
        assert_eq!(s.ingest_quota, IngestQuota::per_second(1_000));
        assert_eq!(
            (s.health.after_failures, s.health.after_seconds),
            (50, 432_000)
        );
        assert!(s.fires_schedules);
    }

    #[test]
    fn lambda_defaults_are_strict_and_need_a_table() {
        assert_eq!(
            read(Deployment::Lambda, &[]).unwrap_err().variable,
            "TABLE_NAME"
        );
        let s = read(Deployment::Lambda, &[("TABLE_NAME", "t")]).unwrap();
        assert!(!s.allow_http);
        assert!(!s.fires_schedules, "EventBridge Scheduler fires them");
        assert!(s.address_policy.is_refused("127.0.0.1".parse().unwrap()));
        assert_eq!(s.admin, AdminAuth::Iam, "API Gateway's IAM authoriser");
        let keyed = read(
            Deployment::Lambda,
            &[("TABLE_NAME", "t"), ("ADMIN_API_KEY", "admin-secret")],
        );
        assert_eq!(keyed.unwrap_err().variable, "ADMIN_API_KEY");
    }

    #[test]
    fn every_variable_is_read_and_checked() {
        let s = read(
            Deployment::Local,
            &[
                ("HOOKRELAY_ALLOW_HTTP", "false"),
                ("HOOKRELAY_ALLOWED_SUBNETS", "10.0.0.0/8"),
                ("HOOKRELAY_RETRY_SCHEDULE", "1,2,3"),
                ("HOOKRELAY_SEND_TIMEOUT_SECONDS", "3"),
                // 604800 s + 6 s of retries is just over 7 days: 8 is the minimum.
                ("RETENTION_DAYS", "8"),
                (
                    "SCHEDULE_DLQ_ARN",
                    "arn:aws:sqs:eu-west-1:123456789012:schedule-dlq",
                ),
                ("TABLE_NAME", "other"),
                ("ADMIN_API_KEY", "admin-secret"),
                ("HOOKRELAY_DISABLE_AFTER_FAILURES", "0"),
                ("HOOKRELAY_DISABLE_AFTER_SECONDS", "60"),
                ("HOOKRELAY_INGEST_RATE", "0"),
            ],
        )
        .unwrap();
        assert!(!s.allow_http);
        assert!(s.address_policy.is_refused("127.0.0.1".parse().unwrap()));
        assert!(!s.address_policy.is_refused("10.1.1.1".parse().unwrap()));
        assert_eq!(s.retry_schedule, vec![1, 2, 3]);
        assert_eq!(s.send_timeout, Duration::from_secs(3));
        assert_eq!(s.retention_days, 8);
        assert_eq!(
            s.schedule_dlq_arn.as_deref(),
            Some("arn:aws:sqs:eu-west-1:123456789012:schedule-dlq")
        );
        assert_eq!(s.table_name, "other");
        assert_eq!(s.admin, AdminAuth::Key(KeyHash::of("admin-secret")));
        assert_eq!(s.ingest_quota, None, "0: no quota");
        assert_eq!(
            s.health,
            HealthPolicy {
                after_failures: 0,
                after_seconds: 60
            }
        );
        for (name, bad) in [
            ("HOOKRELAY_DISABLE_AFTER_FAILURES", "-1"),
            ("HOOKRELAY_DISABLE_AFTER_SECONDS", "forever"),
            ("HOOKRELAY_ALLOW_HTTP", "maybe"),
            ("HOOKRELAY_ALLOWED_SUBNETS", "nope"),
            ("HOOKRELAY_RETRY_SCHEDULE", "5,x"),
            ("HOOKRELAY_SEND_TIMEOUT_SECONDS", "0"),
            ("RETENTION_DAYS", "-1"),
            ("SCHEDULE_DLQ_ARN", "schedule-dlq"),
            ("HOOKRELAY_INGEST_RATE", "-5"),
        ] {
            assert_eq!(
                read(Deployment::Local, &[(name, bad)])
                    .unwrap_err()
                    .variable,
                name
            );
        }
    }

    #[test]
    fn retention_shorter_than_the_longest_delivery_life_is_refused() {
        // Default schedule: ceil((604800 + 2 × 99305) / 86400) = 10 days.
        assert_eq!(minimum_retention_days(&DEFAULT_RETRY_SCHEDULE), 10);
        assert_eq!(minimum_retention_days(&[0]), 7);
        assert_eq!(minimum_retention_days(&[1]), 8);
        let err = read(Deployment::Local, &[("RETENTION_DAYS", "9")]).unwrap_err();
        assert_eq!(err.variable, "RETENTION_DAYS");
        assert!(err.to_string().starts_with("RETENTION_DAYS: "), "{err}");
        assert!(err.message.contains("at least 10"), "{err}");
        assert_eq!(
            read(Deployment::Local, &[("RETENTION_DAYS", "10")])
                .unwrap()
                .retention_days,
            10
        );
        // A longer schedule raises the minimum, even for the default 60 days.
        let long = ["259200"; 20].join(",");
        let err = read(Deployment::Local, &[("HOOKRELAY_RETRY_SCHEDULE", &long)]).unwrap_err();
        assert_eq!(err.variable, "RETENTION_DAYS");
        assert!(err.message.contains("at least 127"), "{err}");
        // Unset, the schedule DLQ is simply absent.
        assert!(read(Deployment::Local, &[])
            .unwrap()
            .schedule_dlq_arn
            .is_none());
    }
}
