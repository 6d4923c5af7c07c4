//! A body template: Jinja syntax rendered by `minijinja` (mitsuhiko's
//! engine, the Rust port of Jinja2's sandbox: no I/O, no loader, so no
//! `include` or `import`, and no macros in our build). Its `fuel` bounds one
//! render's work *and* memory: every instruction, every byte an operator or
//! filter makes and every byte written is charged, and a value whose size
//! is known is charged before it is made (`FUEL` ≈ 250,000 instructions or
//! 16 MB). The body is at most `MAX_BODY_BYTES`, the template `MAX_TEMPLATE_BYTES`.
//!
//! Every `{{ ... }}` is written as JSON for where it stands: a JSON value
//! between values, escaped text inside a JSON string, so a payload cannot
//! break the body out of its place (`{"text": "Order {{ payload.id }}"}`
//! and `{"total": {{ payload.total }}}` both hold whatever the payload
//! holds); a `safe` value (`tojson`, `safe`) is written as it is. The
//! rendered text must be JSON; it is sent as rendered.

use super::{TransformError, MAX_BODY_BYTES};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The largest template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 8 * 1024;
/// Instructions and output bytes one render may spend.
const FUEL: u64 = 250_000;
/// Around each value the formatter writes, so the pass after rendering
/// knows what came from the event (private-use characters: a template may
/// not hold them, and JSON from a payload has them escaped).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// A template that parsed and keeps to the sandbox's rules, compiled once:
/// a webhook the sender keeps warm renders each body without parsing.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Template {
    source: String,
    /// A sandbox holding only this template, compiled (shared by clones).
    compiled: Arc<Environment<'static>>,
}

/// The name the one template of a `compiled` sandbox has.
const NAME: &str = "body";

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Template {}

impl Template {
    pub fn parse(source: &str) -> Result<Self, TransformError> {
        if source.len() > MAX_TEMPLATE_BYTES {
            return Err(TransformError::new(format!(
                "a template is at most {MAX_TEMPLATE_BYTES} bytes (this is {})",
                source.len()
            )));
        }
        if let Some(line) = source.lines().position(|l| l.contains([OPEN, CLOSE])) {
            return Err(TransformError {
                line: Some(line + 1),
                ..TransformError::new("U+E000 and U+E001 are reserved")
            });
        }
        let mut compiled = sandbox();
        compiled
            .add_template_owned(NAME, source.to_owned())
            .map_err(|e| from_engine(e, false))?;
        Ok(Self {
            source: source.to_owned(),
            compiled: Arc::new(compiled),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The body for `input` (the default body's fields), as JSON text.
    pub(super) fn render(&self, input: &serde_json::Value) -> Result<Vec<u8>, TransformError> {
        let template = self.compiled.get_template(NAME);
        let marked = template
            .and_then(|t| t.render(minijinja::value::Serde(input)))
            .map_err(|e| from_engine(e, true))?;
        let body = place_values(&marked);
        if body.len() > MAX_BODY_BYTES {
            return Err(TransformError::new(format!(
                "the body is {} bytes; at most {MAX_BODY_BYTES}",
                body.len()
            )));
        }
        serde_json::from_str::<serde::de::IgnoredAny>(&body).map_err(not_json)?;
        Ok(body.into_bytes())
    }
}

impl TryFrom<String> for Template {
    type Error = TransformError;
    fn try_from(source: String) -> Result<Self, TransformError> {
        Self::parse(&source)
    }
}

impl From<Template> for String {
    fn from(template: Template) -> String {
        template.source
    }
}

/// Where the rendered body stops being JSON: its line, which is the
/// template's unless a block above spans lines.
fn not_json(error: serde_json::Error) -> TransformError {
    let place = format!(" at line {} column {}", error.line(), error.column());
    let text = error.to_string();
    let what = text.strip_suffix(&place).unwrap_or(&text);
    TransformError {
        line: Some(error.line()),
        ..TransformError::new(format!(
            "the rendered body is not JSON: {what} (column {})",
            error.column()
        ))
    }
}

/// The engine's error, `in_run` when raised rendering (not parsing).
fn from_engine(error: Error, in_run: bool) -> TransformError {
    let message = match error.kind() {
        ErrorKind::OutOfFuel => "the template does too much work for one body".to_owned(),
        _ => error.detail().map_or_else(
            || error.kind().to_string(),
            |d| format!("{}: {d}", error.kind()),
        ),
    };
    TransformError {
        line: error.line(),
        message,
        in_run,
    }
}

fn sandbox() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_fuel(Some(FUEL));
    env.set_formatter(|out, _state, value| {
        let (text, marked) = if value.is_safe() {
            (value.as_str().unwrap_or_default().to_owned(), false)
        } else if value.is_undefined() || value.is_none() {
            ("null".to_owned(), true)
        } else {
            let json = serde_json::to_string(value)
                .map_err(|e| Error::new(ErrorKind::BadSerialization, e.to_string()))?;
            (json, true)
        };
        // Text from a payload may hold the markers: escaped as JSON escapes them.
        let text = text.replace(OPEN, "\\ue000").replace(CLOSE, "\\ue001");
        if marked {
            write!(out, "{OPEN}{text}{CLOSE}")
        } else {
            out.write_str(&text)
        }
        .map_err(Error::from)
    });
    env
}

/// The rendered text with each marked value written for where it stands:
/// inside a JSON string as escaped text (a string's own characters, any
/// other value's JSON), elsewhere as the JSON value (null for nothing).
fn place_values(marked: &str) -> String {
    let mut body = String::with_capacity(marked.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = marked;
    while let Some(open) = rest.find(OPEN) {
        let (text, value) = rest.split_at(open);
        track_strings(text, &mut in_string, &mut escaped);
        body.push_str(text);
        let value = &value[OPEN.len_utf8()..];
        let close = value.find(CLOSE).unwrap_or(value.len());
        let json = &value[..close];
        if !in_string {
            body.push_str(json);
        } else if json.starts_with('"') {
            body.push_str(json.get(1..json.len() - 1).unwrap_or_default());
        } else if json != "null" {
            let quoted = serde_json::Value::String(json.to_owned()).to_string();
            body.push_str(quoted.get(1..quoted.len() - 1).unwrap_or_default());
        }
        rest = value.get(close + CLOSE.len_utf8()..).unwrap_or("");
    }
    body.push_str(rest);
    body
}

/// Follows the template's own text in and out of JSON strings.
fn track_strings(text: &str, in_string: &mut bool, escaped: &mut bool) {
    for c in text.chars() {
        match (*in_string, *escaped, c) {
            (true, true, _) => *escaped = false,
            (true, false, '\\') => *escaped = true,
            (true, false, '"') => *in_string = false,
            (false, _, '"') => *in_string = true,
            _ => {}
        }
    }
}
