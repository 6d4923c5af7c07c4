//! JSON request bodies: a size limit, 400 for what is not a JSON object, and
//! per-field parsing that names every bad or unknown field (422).

use crate::http::error::ApiError;
use crate::http::field::FieldError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Largest request body accepted (DESIGN.md: 256 KiB, more is 413).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A request body that is a JSON object; an empty body reads as `{}`
/// (where a route's body is optional); blank is not JSON, so a 400.
pub struct JsonObject(pub Map<String, Value>);

/// The body's bytes, or 413 past `limit`.
async fn read_body(req: Request, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| ApiError::PayloadTooLarge(limit))
}

/// `bytes` as a JSON object (none reads as `{}`), or 400.
fn object(bytes: &[u8]) -> Result<JsonObject, ApiError> {
    if bytes.is_empty() {
        return Ok(JsonObject(Map::new()));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(JsonObject(map)),
        Ok(_) => Err(ApiError::BadRequest(
            "the body must be a JSON object".into(),
        )),
        Err(e) => Err(ApiError::BadRequest(format!(
            "the body is not valid JSON: {e}"
        ))),
    }
}

impl<S: Send + Sync> FromRequest<S> for JsonObject {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        object(&read_body(req, MAX_BODY_BYTES).await?)
    }
}

/// A JSON object body of at most `LIMIT` bytes with each top-level field's
/// text as sent (so a payload is kept byte for byte: `1E15` stays `1E15`)
/// and the body's bytes.
pub struct RawJsonObject<const LIMIT: usize = MAX_BODY_BYTES> {
    pub object: JsonObject,
    pub raw: HashMap<String, Box<RawValue>>,
    pub bytes: Bytes,
}

impl<const LIMIT: usize> RawJsonObject<LIMIT> {
    /// `bytes` read as a body (its size aside): 400 unless a JSON object.
    pub fn parse(bytes: Bytes) -> Result<Self, ApiError> {
        let object = object(&bytes)?;
        // It parsed as an object just now, so it parses as raw fields too.
        let raw = serde_json::from_slice(&bytes).unwrap_or_default();
        Ok(Self { object, raw, bytes })
    }
}

impl<S: Send + Sync, const LIMIT: usize> FromRequest<S> for RawJsonObject<LIMIT> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        Self::parse(read_body(req, LIMIT).await?)
    }
}

/// Takes fields out of a body one by one, collecting every error.
pub struct Fields {
    map: Map<String, Value>,
    errors: Vec<FieldError>,
}

impl Fields {
    /// Fields not in `known` are reported as errors.
    pub fn new(JsonObject(map): JsonObject, known: &[&str]) -> Self {
        let errors = map
            .keys()
            .filter(|k| !known.contains(&k.as_str()))
            .map(|k| FieldError::new(k.as_str(), "is not a known field"))
            .collect();
        Self { map, errors }
    }

    pub fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    fn parse<T>(
        &mut self,
        name: &str,
        value: &Value,
        parse: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Option<T> {
        parse(value)
            .map_err(|message| self.error(name, message))
            .ok()
    }

    /// A field that must be present and not null.
    pub fn required<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Option<T> {
        match self.map.remove(name) {
            None | Some(Value::Null) => {
                self.error(name, "is required");
                None
            }
            Some(value) => self.parse(name, &value, parse),
        }
    }

    /// A field that may be left out; null counts as left out (`None`).
    pub fn optional<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Option<T> {
        match self.map.remove(name) {
            None | Some(Value::Null) => None,
            Some(value) => self.parse(name, &value, parse),
        }
    }

    /// A field that may be absent (`None`) or null (`Some(None)`, i.e. clear it).
    pub fn nullable<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match self.map.remove(name) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(value) => self.parse(name, &value, parse).map(Some),
        }
    }

    /// A field holding an object (absent: `None`, null: `Some(None)`) whose
    /// own fields, `known`, `parse` takes; their errors are named `name.field`.
    pub fn nullable_object<T>(
        &mut self,
        name: &str,
        known: &[&str],
        parse: impl FnOnce(&mut Fields) -> T,
    ) -> Option<Option<T>> {
        match self.map.remove(name) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::Object(map)) => {
                let mut inner = Fields::new(JsonObject(map), known);
                let value = parse(&mut inner);
                let clean = inner.errors.is_empty();
                for error in inner.errors {
                    self.error(format!("{name}.{}", error.field), error.message);
                }
                clean.then_some(Some(value))
            }
            Some(_) => {
                self.error(name, "must be an object or null");
                None
            }
        }
    }

    /// The required values once every field parsed; else 422 naming each bad one.
    pub fn done<T>(self, required: Option<T>) -> Result<T, ApiError> {
        self.finish()?;
        // Every missing required value recorded an error, so this is only a guard.
        required.ok_or_else(|| ApiError::invalid("", "required fields are missing"))
    }

    /// 422 naming every bad field, if any.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self.errors))
        }
    }
}

/// Value readers for `Fields`, each with the message a caller sees.
pub mod read {
    use serde_json::Value;
    use std::collections::BTreeMap;

    pub fn string(value: &Value) -> Result<&str, String> {
        value.as_str().ok_or_else(|| "must be a string".into())
    }

    pub fn boolean(value: &Value) -> Result<bool, String> {
        value
            .as_bool()
            .ok_or_else(|| "must be true or false".into())
    }

    /// A JSON integer (`623.0` is one too, as JSON Schema counts) in range.
    pub fn whole_number(value: &Value, min: u64, max: u64) -> Result<u64, String> {
        let integral = || {
            value
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64)
                .map(|f| f as u64)
        };
        value
            .as_u64()
            .or_else(integral)
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| format!("must be a whole number from {min} to {max}"))
    }

    pub fn strings(value: &Value) -> Result<Vec<&str>, String> {
        let items = value.as_array().ok_or("must be an array of strings")?;
        items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| "must be an array of strings".into())
            })
            .collect()
    }

    pub fn string_map(value: &Value) -> Result<BTreeMap<String, String>, String> {
        let object = value
            .as_object()
            .ok_or("must be an object of string values")?;
        object
            .iter()
            .map(|(k, v)| match v.as_str() {
                Some(s) => Ok((k.clone(), s.to_owned())),
                None => Err(format!("`{k}` must have a string value")),
            })
            .collect()
    }
}
