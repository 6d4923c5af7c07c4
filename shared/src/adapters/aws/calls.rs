//! Every AWS call a process makes, recorded by an SDK interceptor: how the
//! tests count calls per delivery and check each function's IAM policy, and
//! how write units are computed from the items as they were sent. A
//! replayable log also keeps each answer, has every UpdateItem return the
//! item it left (`ALL_NEW`), and numbers DynamoDB's answers in the order its
//! writes were applied (`in_order`), so a replay can rebuild every item.

use super::in_order::{Answered, Turns};
use aws_sdk_dynamodb::config::interceptors::{
    AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
    BeforeTransmitInterceptorContextRef,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{Storable, StoreReplace};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One request: its IAM-style action (`dynamodb:PutItem`) and, for DynamoDB
/// and SQS (JSON protocols), its body; who made it; and, once it came, the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub action: String,
    pub body: Option<String>,
    /// The log's tag (`CallLog::tagged`): which function, or AWS itself.
    pub origin: &'static str,
    pub answer: Option<Answer>,
    id: u64,
}

impl Call {
    /// A DynamoDB call as a replayable log records it (for tests).
    #[cfg(test)]
    pub(crate) fn answered(
        operation: &str,
        body: Value,
        status: u16,
        answer: Value,
        order: u64,
    ) -> Self {
        Self {
            action: format!("dynamodb:{operation}"),
            body: Some(body.to_string()),
            origin: "test",
            answer: Some(Answer {
                status,
                body: Some(answer.to_string()),
                order: Some(order),
            }),
            id: order,
        }
    }
}

/// What the service answered (a replayable log keeps it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Option<String>,
    /// DynamoDB's answers in a replayable log are numbered in the order
    /// they came, writes one at a time: the order they were applied in.
    pub order: Option<u64>,
}

/// The log the interceptor writes to; clones share it.
#[derive(Clone, Debug, Default)]
pub struct CallLog {
    calls: Arc<Mutex<Vec<Call>>>,
    next_id: Arc<AtomicU64>,
    origin: &'static str,
    /// `Some` for a replayable log.
    turns: Option<Arc<Turns>>,
}

/// The id of the call an operation's answer belongs to.
#[derive(Clone, Copy, Debug)]
struct CallId(u64);

impl Storable for CallId {
    type Storer = StoreReplace<Self>;
}

impl CallLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// A log that keeps answers and lets a replay rebuild every item.
    pub fn replayable() -> Self {
        Self {
            turns: Some(Arc::default()),
            ..Self::default()
        }
    }

    /// The same log, marking the calls made through this copy with `origin`.
    pub fn tagged(&self, origin: &'static str) -> Self {
        Self {
            origin,
            ..self.clone()
        }
    }

    pub(super) fn turns(&self) -> Option<Arc<Turns>> {
        self.turns.clone()
    }

    /// Everything recorded so far, and starts over.
    pub fn take(&self) -> Vec<Call> {
        std::mem::take(&mut *self.lock())
    }

    pub fn snapshot(&self) -> Vec<Call> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Call>> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner())
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

/// The IAM-style action of a request.
fn action_of(target: Option<&str>, method: &str, uri: &str) -> String {
    match target.and_then(|t| t.split_once('.')) {
        Some((service, operation)) if service.starts_with("DynamoDB") => {
            format!("dynamodb:{operation}")
        }
        Some(("TrentService", operation)) => format!("kms:{operation}"),
        Some((_, operation)) => format!("sqs:{operation}"),
        None => {
            let path = uri.split('?').next().unwrap_or_default();
            let path = path
                .split_once("://")
                .map_or(path, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
            format!("scheduler:{}", scheduler_action(method, path))
        }
    }
}

/// An UpdateItem body that returns nothing, made to return the new item.
fn returning_new_item(body: &str) -> Option<String> {
    let mut request: Value = serde_json::from_str(body).ok()?;
    let object = request.as_object_mut()?;
    match object.get("ReturnValues").and_then(Value::as_str) {
        None | Some("NONE") => {
            object.insert("ReturnValues".into(), Value::from("ALL_NEW"));
            Some(request.to_string())
        }
        Some(_) => None,
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "hookrelay-call-log"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let request = context.request_mut();
        let update = request.headers().get("x-amz-target") == Some("DynamoDB_20120810.UpdateItem");
        if self.turns.is_none() || !update {
            return Ok(());
        }
        let body = request
            .body()
            .bytes()
            .and_then(|b| std::str::from_utf8(b).ok());
        if let Some(changed) = body.and_then(returning_new_item) {
            request
                .headers_mut()
                .insert("content-length", changed.len().to_string());
            *request.body_mut() = SdkBody::from(changed);
        }
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let request = context.request();
        let target = request.headers().get("x-amz-target");
        let body = request
            .body()
            .bytes()
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(str::to_owned);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        cfg.interceptor_state().store_put(CallId(id));
        self.lock().push(Call {
            action: action_of(target, request.method(), request.uri()),
            body,
            origin: self.origin,
            answer: None,
            id,
        });
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_sdk_dynamodb::error::BoxError> {
        let Some(CallId(id)) = cfg.load::<CallId>().copied() else {
            return Ok(());
        };
        if self.turns.is_none() {
            return Ok(());
        }
        let response = context.response();
        let answer = Answer {
            status: response.status().as_u16(),
            body: response
                .body()
                .bytes()
                .and_then(|b| std::str::from_utf8(b).ok())
                .map(str::to_owned),
            order: response.extension::<Answered>().map(|a| a.0),
        };
        // Taken meanwhile: the answer has no call to go with.
        if let Some(call) = self.lock().iter_mut().rev().find(|c| c.id == id) {
            call.answer = Some(answer);
        }
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
        "SS" | "NS" => {
            let texts = inner.as_array().into_iter().flatten();
            let texts = texts
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            if kind == "SS" {
                AttributeValue::Ss(texts)
            } else {
                AttributeValue::Ns(texts)
            }
        }
        _ => AttributeValue::Null(true),
    }
}

/// An item in DynamoDB's wire format (`{"pk": {"S": "..."}}`) as the SDK's type.
pub fn wire_item(value: &Value) -> HashMap<String, AttributeValue> {
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
