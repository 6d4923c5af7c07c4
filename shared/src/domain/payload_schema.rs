//! An event type's contract: a JSON Schema (draft 2020-12) for its events'
//! `payload`, checked by the `jsonschema` crate. Only documents that compile
//! are kept, and without network or file access: a `$ref` that is not
//! inside the schema itself does not compile, so a stored schema can never
//! make hookrelay fetch anything.

use crate::domain::event::JsonText;
use jsonschema::Validator;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The largest schema kept, as JSON text.
pub const SCHEMA_MAX_BYTES: usize = 64 * 1024;
/// Violations an answer lists at most (the rest are counted, not listed).
pub const MAX_VIOLATIONS: usize = 20;

/// A schema as stored: its JSON text, known to compile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PayloadSchema(JsonText);

/// Where a payload breaks its contract: a JSON pointer into the payload
/// (`""` for the payload itself), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub pointer: String,
    pub message: String,
}

impl PayloadSchema {
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > SCHEMA_MAX_BYTES {
            return Err(format!("must be at most {SCHEMA_MAX_BYTES} bytes of JSON"));
        }
        let schema = Self(JsonText::parse(text)?);
        schema.compile()?;
        Ok(schema)
    }

    pub fn from_value(value: &Value) -> Result<Self, String> {
        if !value.is_object() {
            return Err("must be a JSON Schema object".into());
        }
        Self::parse(&value.to_string())
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn value(&self) -> Value {
        serde_json::from_str(self.as_str()).unwrap_or(Value::Null)
    }

    /// The schema ready to check payloads (what a warm ingest keeps).
    pub fn compile(&self) -> Result<Validator, String> {
        jsonschema::draft202012::new(&self.value())
            .map_err(|e| format!("is not a JSON Schema (draft 2020-12) hookrelay can use: {e}"))
    }
}

/// Where `payload` breaks the schema `validator` holds: the first
/// `MAX_VIOLATIONS`, and how many there are in all.
pub fn violations(validator: &Validator, payload: &Value) -> (Vec<Violation>, usize) {
    let mut listed = Vec::new();
    let mut count = 0;
    for error in validator.iter_errors(payload) {
        count += 1;
        if listed.len() < MAX_VIOLATIONS {
            listed.push(Violation {
                pointer: error.instance_path().as_str().to_owned(),
                message: error.to_string(),
            });
        }
    }
    (listed, count)
}

impl TryFrom<String> for PayloadSchema {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        // Stored schemas compiled when they were kept: read back as text.
        JsonText::parse(&text).map(Self)
    }
}

impl From<PayloadSchema> for String {
    fn from(schema: PayloadSchema) -> Self {
        schema.0.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_schema_must_compile_and_names_where_a_payload_breaks_it() {
        let schema = json!({"type": "object", "required": ["total"],
            "properties": {"total": {"type": "number", "minimum": 0},
                           "items": {"type": "array", "items": {"type": "string"}}}});
        let schema = PayloadSchema::from_value(&schema).unwrap();
        let validator = schema.compile().unwrap();
        let bad = json!({"total": -1, "items": ["a", 2]});
        let (found, count) = violations(&validator, &bad);
        let pointers: Vec<&str> = found.iter().map(|v| v.pointer.as_str()).collect();
        assert_eq!(count, 2);
        assert!(pointers.contains(&"/total") && pointers.contains(&"/items/1"));
        assert_eq!(violations(&validator, &json!({"total": 3})).1, 0);
        assert!(PayloadSchema::from_value(&json!({"type": 5})).is_err());
        assert!(PayloadSchema::from_value(&json!("object")).is_err());
        let remote = json!({"$ref": "https://example.com/schema.json"});
        assert!(PayloadSchema::from_value(&remote).is_err(), "no fetching");
    }
}
