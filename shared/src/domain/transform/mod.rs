//! Body shapes (DESIGN.md §9): what a webhook's deliveries POST. `default`
//! is hookrelay's body (§3); `settings` the product documents' `{event_time,
//! event_type, current_context, data}`; a `template` renders the body from
//! the default body's fields (`template::Template`). The signature is over
//! the body as shaped, and the delivery log shows it.

mod template;
#[cfg(test)]
mod tests;

pub use template::{Template, MAX_TEMPLATE_BYTES};

use crate::domain::event::{Event, JsonText};
use crate::domain::ids::DeliveryId;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};

/// The largest body a shape may produce (the event body limit).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How a webhook's deliveries are shaped; stored as its request form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "Value")]
pub enum Transform {
    #[default]
    Default,
    Settings,
    Template(Template),
}

/// Why a shape could not be read or rendered: the template's line when known.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct TransformError {
    pub line: Option<usize>,
    pub message: String,
    /// Raised running the template on its input (another input may pass),
    /// not by the template's text or by the body it made.
    pub in_run: bool,
}

impl TransformError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            line: None,
            message: message.into(),
            in_run: false,
        }
    }
}

impl Transform {
    /// `"default"`, `"settings"` or `{"template": "..."}`.
    pub fn parse(value: &Value) -> Result<Self, TransformError> {
        let hint = r#"must be "default", "settings" or {"template": "..."}"#;
        match value {
            Value::String(name) if name == "default" => Ok(Self::Default),
            Value::String(name) if name == "settings" => Ok(Self::Settings),
            Value::Object(fields) if fields.len() == 1 => match fields.get("template") {
                Some(Value::String(source)) => Template::parse(source).map(Self::Template),
                _ => Err(TransformError::new(hint)),
            },
            _ => Err(TransformError::new(hint)),
        }
    }

    pub fn is_default(&self) -> bool {
        *self == Self::Default
    }

    /// The body delivery `delivery` of `event` sends.
    pub fn render(&self, event: &Event, delivery: DeliveryId) -> Result<Vec<u8>, TransformError> {
        match self {
            Self::Default => Ok(default_body(event, delivery)),
            Self::Settings => Ok(settings_body(event)),
            Self::Template(template) => template.render(&input(event, delivery)),
        }
    }

    /// As `render`, kept when it differs from the default body (which the
    /// log rebuilds from the event): `None` for `default`.
    pub fn shaped(
        &self,
        event: &Event,
        delivery: DeliveryId,
    ) -> Result<Option<JsonText>, TransformError> {
        if self.is_default() {
            return Ok(None);
        }
        let body = self.render(event, delivery)?;
        let text = String::from_utf8(body).map_err(|e| TransformError::new(e.to_string()))?;
        JsonText::parse(&text)
            .map(Some)
            .map_err(TransformError::new)
    }

    /// The body sent for `delivery` of `event` (as a push sends it, and a
    /// poll hands it out), with it `shaped` when it is not the default body.
    pub fn body(
        &self,
        event: &Event,
        delivery: DeliveryId,
    ) -> Result<(Vec<u8>, Option<JsonText>), TransformError> {
        let shaped = self.shaped(event, delivery)?;
        let body = match &shaped {
            Some(text) => text.as_str().into(),
            None => default_body(event, delivery),
        };
        Ok((body, shaped))
    }
}

impl TryFrom<Value> for Transform {
    type Error = TransformError;
    fn try_from(value: Value) -> Result<Self, TransformError> {
        Self::parse(&value)
    }
}

impl From<Transform> for Value {
    fn from(transform: Transform) -> Value {
        match transform {
            Transform::Default => json!("default"),
            Transform::Settings => json!("settings"),
            Transform::Template(template) => json!({"template": template.source()}),
        }
    }
}

/// The default body's fields as JSON: what a template renders from.
fn input(event: &Event, delivery: DeliveryId) -> Value {
    serde_json::from_slice(&default_body(event, delivery)).unwrap_or(Value::Null)
}

/// `payload` and `context` as stored: JSON by construction (`JsonText`).
fn raw(text: &JsonText) -> Box<RawValue> {
    RawValue::from_string(text.as_str().to_owned()).unwrap_or_default()
}

/// hookrelay's body (DESIGN.md §3); payload and context byte for byte.
pub fn default_body(event: &Event, delivery: DeliveryId) -> Vec<u8> {
    #[derive(Serialize)]
    struct Kind<'a> {
        name: &'a str,
        #[serde(rename = "type")]
        kind: &'a str,
        #[serde(rename = "traceId")]
        trace_id: String,
    }
    #[derive(Serialize)]
    struct Body<'a> {
        id: String,
        event: Kind<'a>,
        timestamp: String,
        context: &'a RawValue,
        payload: &'a RawValue,
    }
    let (context, payload) = (raw(&event.context), raw(&event.payload));
    serde_json::to_vec(&Body {
        id: event.id.to_string(),
        event: Kind {
            name: event.event.name.as_str(),
            kind: event.event.kind.as_str(),
            trace_id: delivery.to_string(),
        },
        timestamp: event.created_at.to_string(),
        context: &context,
        payload: &payload,
    })
    .unwrap_or_default()
}

/// The product documents' body (seed 002, "Webhook Settings").
fn settings_body(event: &Event) -> Vec<u8> {
    #[derive(Serialize)]
    struct Body<'a> {
        event_time: String,
        event_type: String,
        current_context: &'a RawValue,
        data: &'a RawValue,
    }
    let (context, payload) = (raw(&event.context), raw(&event.payload));
    serde_json::to_vec(&Body {
        event_time: event.created_at.to_string(),
        event_type: event.event.dotted(),
        current_context: &context,
        data: &payload,
    })
    .unwrap_or_default()
}
