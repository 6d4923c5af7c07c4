//! Every AWS call a process makes, recorded by an SDK interceptor: how the
//! tests count calls per delivery and check each function's IAM policy, and
//! how write units are computed from the items as they were sent.

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use std::sync::{Arc, Mutex};

/// One request: its IAM-style action (`dynamodb:PutItem`) and, for DynamoDB
/// and SQS (JSON protocols), its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub action: String,
    pub body: Option<String>,
}

/// The log the interceptor writes to; clones share it.
#[derive(Clone, Debug, Default)]
pub struct CallLog {
    calls: Arc<Mutex<Vec<Call>>>,
}

impl CallLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Everything recorded so far, and starts over.
    pub fn take(&self) -> Vec<Call> {
        std::mem::take(&mut *self.calls.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn snapshot(&self) -> Vec<Call> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Scheduler's REST operations, by method and path.
fn scheduler_action(method: &str, path: &str) -> &'static str {
    let schedule = path.starts_with("/schedules");
    match (method, schedule) {
        ("POST", true) => "CreateSchedule",
        ("GET", true) if path.trim_end_matches('/') == "/schedules" => "ListSchedules",
        ("GET", true) => "GetSchedule",
        ("DELETE", true) => "DeleteSchedule",
        ("PUT", true) => "UpdateSchedule",
        ("POST", false) => "CreateScheduleGroup",
        ("GET", false) => "GetScheduleGroup",
        _ => "Unknown",
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "hookrelay-call-log"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let request = context.request();
        let target = request.headers().get("x-amz-target").map(str::to_owned);
        let body = request
            .body()
            .bytes()
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(str::to_owned);
        let action = match target.as_deref().and_then(|t| t.split_once('.')) {
            Some((service, operation)) if service.starts_with("DynamoDB") => {
                format!("dynamodb:{operation}")
            }
            Some((_, operation)) => format!("sqs:{operation}"),
            None => {
                let path = request
                    .uri()
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let path = path.split_once("://").map_or(path.as_str(), |(_, rest)| {
                    rest.find('/').map_or("/", |i| &rest[i..])
                });
                format!("scheduler:{}", scheduler_action(request.method(), path))
            }
        };
        self.calls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Call { action, body });
        Ok(())
    }
}
