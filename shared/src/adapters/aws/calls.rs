//! Every AWS call a process makes, recorded by an SDK interceptor: how the
//! tests count calls per delivery and check each function's IAM policy, and
//! how write units are computed from the items as they were sent.

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use std::collections::HashMap;
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

/// A DynamoDB wire-format value (`{"S": "..."}`) as the SDK's type.
fn attribute(value: &Value) -> AttributeValue {
    let Some((kind, inner)) = value.as_object().and_then(|o| o.iter().next()) else {
        return AttributeValue::Null(true);
    };
    let text = || inner.as_str().unwrap_or_default().to_owned();
    match kind.as_str() {
        "S" => AttributeValue::S(text()),
        "N" => AttributeValue::N(text()),
        "BOOL" => AttributeValue::Bool(inner.as_bool().unwrap_or_default()),
        "L" => AttributeValue::L(
            inner
                .as_array()
                .into_iter()
                .flatten()
                .map(attribute)
                .collect(),
        ),
        "M" => AttributeValue::M(wire_item(inner)),
        _ => AttributeValue::Null(true),
    }
}

fn wire_item(value: &Value) -> HashMap<String, AttributeValue> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), attribute(v)))
        .collect()
}

/// Every item put by the BatchWriteItem calls among `calls`, as sent.
pub fn batch_puts(calls: &[Call]) -> Vec<HashMap<String, AttributeValue>> {
    calls
        .iter()
        .filter(|c| c.action == "dynamodb:BatchWriteItem")
        .filter_map(|c| serde_json::from_str::<Value>(c.body.as_deref()?).ok())
        .flat_map(|body| {
            body["RequestItems"]
                .as_object()
                .into_iter()
                .flat_map(|tables| tables.values())
                .flat_map(|writes| writes.as_array().cloned().unwrap_or_default())
                .filter_map(|write| write.get("PutRequest").map(|p| wire_item(&p["Item"])))
                .collect::<Vec<_>>()
        })
        .collect()
}
