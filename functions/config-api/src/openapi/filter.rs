//! The schemas of a payload filter (`hookrelay::domain::filter`): its
//! pattern language as `Filter::parse` reads it, each level of fields its
//! own schema (`FilterFields2` … `FilterFields6`), so none refers to itself
//! and the depth bound is stated. The size bound (2048 bytes of JSON) is
//! only described: no schema keyword can state it.

use hookrelay::domain::filter::{MAX_BYTES, MAX_DEPTH};
use serde_json::{json, Map, Value};

fn component(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// An object of exactly one field, `name`, holding `schema`.
fn one(name: &str, schema: Value) -> Value {
    json!({
        "type": "object", "required": [name], "properties": {name: schema},
        "additionalProperties": false,
    })
}

/// The matchers a leaf may hold, each its own schema (generators name them).
fn matchers() -> [(&'static str, Value); 6] {
    let strings = json!({"type": "array", "minItems": 1, "items": {"type": "string"}});
    let affix = json!({"anyOf": [{"type": "string"}, one("equals-ignore-case", json!({"type": "string"}))]});
    let excluded = json!({"anyOf": [
        {"type": ["string", "number"]},
        strings,
        {"type": "array", "minItems": 1, "items": {"type": "number"}},
        one("prefix", json!({"type": "string"})),
        one("suffix", json!({"type": "string"})),
        one("equals-ignore-case", json!({"anyOf": [{"type": "string"}, strings]})),
    ]});
    let number = json!({"type": "number"});
    let numeric = json!({"anyOf": [
        {"type": "array", "minItems": 2, "maxItems": 2,
         "prefixItems": [{"enum": ["=", "<", "<=", ">", ">="]}, number]},
        {"type": "array", "minItems": 4, "maxItems": 4,
         "prefixItems": [{"enum": [">", ">="]}, number, {"enum": ["<", "<="]}, number]},
    ]});
    [
        ("FilterPrefix", one("prefix", affix.clone())),
        ("FilterSuffix", one("suffix", affix)),
        (
            "FilterEqualsIgnoreCase",
            one("equals-ignore-case", json!({"type": "string"})),
        ),
        ("FilterAnythingBut", one("anything-but", excluded)),
        ("FilterNumeric", one("numeric", numeric)),
        ("FilterExists", one("exists", json!({"type": "boolean"}))),
    ]
}

/// A leaf: a non-empty list of values to equal and matchers.
fn leaf() -> Value {
    let mut items = vec![json!({"type": ["string", "number", "boolean", "null"]})];
    items.extend(matchers().map(|(name, _)| component(name)));
    json!({
        "type": "array", "minItems": 1,
        "description": "Any of these matches: a value to equal, or one matcher.",
        "items": {"anyOf": items},
    })
}

/// A field's pattern whose own fields (if an object) are `depth` down.
fn node(depth: usize) -> Value {
    json!({"anyOf": [component("FilterLeaf"), component(&format!("FilterFields{depth}"))]})
}

/// The filter components: the pattern, `event`, a leaf, and each level of fields.
pub(super) fn components() -> Map<String, Value> {
    let mut schemas = Map::new();
    schemas.insert("FilterLeaf".into(), leaf());
    schemas.extend(matchers().map(|(name, schema)| (name.to_owned(), schema)));
    for depth in 2..=MAX_DEPTH {
        let field = match depth {
            MAX_DEPTH => component("FilterLeaf"),
            _ => node(depth + 1),
        };
        let fields = json!({
            "type": "object", "minProperties": 1, "additionalProperties": field,
            "propertyNames": {"not": {"const": "$or"}},
        });
        schemas.insert(format!("FilterFields{depth}"), fields);
    }
    let event = json!({
        "type": "object", "minProperties": 1, "additionalProperties": false,
        "properties": {"name": component("FilterLeaf"), "type": component("FilterLeaf")},
    });
    schemas.insert("FilterEvent".into(), event);
    let description = format!(
        "An EventBridge event pattern over what is sent: every field must match, any value \
         of a list may. At most {MAX_BYTES} bytes of JSON, fields at most {MAX_DEPTH} \
         levels down; `$or` is not supported."
    );
    let pattern = json!({
        "type": "object", "minProperties": 1, "additionalProperties": false,
        "description": description,
        "properties": {"event": component("FilterEvent"), "payload": node(2), "context": node(2)},
    });
    schemas.insert("FilterPattern".into(), pattern);
    schemas
}

/// A request's `filter`: the pattern, or null where `nullable`.
pub(super) fn field(nullable: bool, description: Value) -> Value {
    let pattern = component("FilterPattern");
    let mut schema = match nullable {
        true => json!({"anyOf": [pattern, {"type": "null"}]}),
        false => pattern,
    };
    schema["description"] = description;
    schema
}

/// `POST /v1/filters/test`'s `event`: `name.type` or `{name, type}`.
pub(super) fn event_field(description: Value) -> Value {
    let part = json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"});
    json!({
        "description": description,
        "anyOf": [
            {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9_-]{1,64}$"},
            {"type": "object", "required": ["name", "type"], "additionalProperties": false,
             "properties": {"name": part, "type": part}},
        ],
    })
}
