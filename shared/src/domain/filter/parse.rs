//! Reading a filter's JSON into its typed pattern, each mistake reported
//! with the path to it (every one, not only the first).

use super::pattern::{Affix, Exclusion, Fields, Matcher, Node, Range, Scalar, Test};
use super::{PatternError, MAX_DEPTH};
use serde_json::Value;

const NO_OR: &str = "`$or` is not supported: give each alternative its own webhook, or use \
    a list of values (any of them matches)";
const MATCHERS: &str = "prefix, suffix, equals-ignore-case, anything-but, numeric or exists";

/// Walks a pattern, keeping the path it is at and what was wrong on the way.
#[derive(Default)]
pub(super) struct Parser {
    path: Vec<String>,
    errors: Vec<PatternError>,
}

impl Parser {
    /// What was parsed, if nothing was wrong anywhere.
    pub(super) fn finish<T>(self, parsed: Option<T>) -> Result<T, Vec<PatternError>> {
        match parsed {
            Some(parsed) if self.errors.is_empty() => Ok(parsed),
            _ => Err(self.errors),
        }
    }

    fn fail<T>(&mut self, message: impl Into<String>) -> Option<T> {
        self.errors.push(PatternError {
            path: self.path.clone(),
            message: message.into(),
        });
        None
    }

    /// `parse` one level down, at `segment`.
    fn at<T>(&mut self, segment: String, parse: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        self.path.push(segment);
        let parsed = parse(self);
        self.path.pop();
        parsed
    }

    /// The whole filter: fields of the body that is sent.
    pub(super) fn top(&mut self, value: &Value) -> Option<Fields> {
        self.fields(value, |parser, name, value| match name {
            "event" => parser.event(value),
            "payload" | "context" => parser.node(value, 1),
            "$or" => parser.fail(NO_OR),
            _ => parser.fail("is not part of what is filtered: `event`, `payload` or `context`"),
        })
    }

    /// `event`: its `name` and `type`, each a list of matchers.
    fn event(&mut self, value: &Value) -> Option<Node> {
        let fields = self.fields(value, |parser, name, value| match name {
            "name" | "type" => parser.leaf(value),
            _ => parser.fail("is not part of `event`: it has `name` and `type`"),
        });
        fields.map(Node::Nested)
    }

    /// A field's pattern `depth` fields down: a list of matchers, or an
    /// object of the field's own fields.
    fn node(&mut self, value: &Value, depth: usize) -> Option<Node> {
        match value {
            Value::Array(_) => self.leaf(value),
            Value::Object(_) if depth >= MAX_DEPTH => self.fail(format!(
                "nests too deep: fields at most {MAX_DEPTH} levels down"
            )),
            Value::Object(_) => {
                let fields = self.fields(value, |parser, name, value| match name {
                    "$or" => parser.fail(NO_OR),
                    _ => parser.node(value, depth + 1),
                });
                fields.map(Node::Nested)
            }
            _ => self.fail("must be an array of values to match, or an object of fields"),
        }
    }

    /// A non-empty object, each field read by `field` at its own path.
    fn fields(
        &mut self,
        value: &Value,
        mut field: impl FnMut(&mut Self, &str, &Value) -> Option<Node>,
    ) -> Option<Fields> {
        let Some(object) = value.as_object() else {
            return self.fail("must be an object of fields to match");
        };
        if object.is_empty() {
            return self.fail("must name at least one field");
        }
        // Every field is read, so each mistake is reported.
        let parsed: Vec<Option<(String, Node)>> = object
            .iter()
            .map(|(name, value)| {
                let node = self.at(name.clone(), |parser| field(parser, name, value));
                node.map(|node| (name.clone(), node))
            })
            .collect();
        parsed.into_iter().collect::<Option<_>>().map(Fields)
    }

    /// A non-empty list of matchers, any of which may match.
    fn leaf(&mut self, value: &Value) -> Option<Node> {
        let Some(items) = value.as_array() else {
            return self.fail("must be an array of values to match");
        };
        if items.is_empty() {
            return self.fail("must list at least one value to match");
        }
        let parsed: Vec<Option<Matcher>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| self.at(i.to_string(), |parser| parser.matcher(item)))
            .collect();
        parsed.into_iter().collect::<Option<_>>().map(Node::Leaf)
    }

    /// A value to equal, or a one-field matcher object (its mistakes
    /// reported at the matcher's name).
    fn matcher(&mut self, item: &Value) -> Option<Matcher> {
        if let Some(scalar) = scalar(item) {
            return Some(Matcher::Test(Test::Exactly(scalar)));
        }
        if item.is_array() {
            return self.fail("must be a value or a matcher object, not an array");
        }
        let Some((name, argument)) = single(item) else {
            return self.fail(format!("must be an object with one matcher: {MATCHERS}"));
        };
        self.at(name.to_owned(), |parser| match operator(name, argument) {
            Ok(matcher) => Some(matcher),
            Err(message) => parser.fail(message),
        })
    }
}

fn operator(name: &str, argument: &Value) -> Result<Matcher, String> {
    let test = match name {
        "exists" => {
            let wanted = argument.as_bool().ok_or("must be true or false")?;
            return Ok(Matcher::Exists(wanted));
        }
        "prefix" => Test::Prefix(affix(argument)?),
        "suffix" => Test::Suffix(affix(argument)?),
        "equals-ignore-case" => {
            let text = argument.as_str().ok_or("must be a string")?;
            Test::EqualsIgnoreCase(text.to_lowercase())
        }
        "anything-but" => Test::AnythingBut(exclusion(argument)?),
        "numeric" => Test::Numeric(range(argument)?),
        _ => return Err(format!("is not a supported matcher: use {MATCHERS}")),
    };
    Ok(Matcher::Test(test))
}

/// A value that is neither an array nor an object.
fn scalar(value: &Value) -> Option<Scalar> {
    match value {
        Value::String(text) => Some(Scalar::Text(text.clone())),
        Value::Number(number) => number.as_f64().map(Scalar::Number),
        Value::Bool(flag) => Some(Scalar::Bool(*flag)),
        Value::Null => Some(Scalar::Null),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// The one field of an object that has exactly one.
fn single(value: &Value) -> Option<(&str, &Value)> {
    let mut fields = value.as_object()?.iter();
    match (fields.next(), fields.next()) {
        (Some((name, value)), None) => Some((name.as_str(), value)),
        _ => None,
    }
}

/// `prefix` and `suffix`: a string, or `{"equals-ignore-case": string}`.
fn affix(argument: &Value) -> Result<Affix, String> {
    match (argument, single(argument)) {
        (Value::String(text), _) => Ok(Affix {
            text: text.clone(),
            ignore_case: false,
        }),
        (_, Some(("equals-ignore-case", Value::String(text)))) => Ok(Affix {
            text: text.to_lowercase(),
            ignore_case: true,
        }),
        _ => Err(r#"must be a string, or {"equals-ignore-case": string}"#.into()),
    }
}

/// `anything-but`: a string or number, a list of strings or of numbers, or
/// a prefix, suffix or case-insensitive value(s) to refuse.
fn exclusion(argument: &Value) -> Result<Exclusion, String> {
    let excluded = match (argument, single(argument)) {
        (Value::String(_) | Value::Number(_), _) => scalar(argument).map(|s| vec![s]),
        (Value::Array(items), _) => same_kind(items),
        (_, Some(("prefix", Value::String(prefix)))) => {
            return Ok(Exclusion::Prefix(prefix.clone()));
        }
        (_, Some(("suffix", Value::String(suffix)))) => {
            return Ok(Exclusion::Suffix(suffix.clone()));
        }
        (_, Some(("equals-ignore-case", values))) => {
            return folded(values).map(Exclusion::IgnoreCase).ok_or_else(|| {
                "equals-ignore-case must be a string or an array of strings".into()
            });
        }
        _ => None,
    };
    excluded.map(Exclusion::Values).ok_or_else(|| {
        "must be a string, a number, an array of strings or of numbers, or an object with \
         one of prefix, suffix or equals-ignore-case"
            .into()
    })
}

/// A non-empty list of strings only, or of numbers only.
fn same_kind(items: &[Value]) -> Option<Vec<Scalar>> {
    let all = |kind: fn(&Value) -> bool| items.iter().all(kind);
    if items.is_empty() || !(all(Value::is_string) || all(Value::is_number)) {
        return None;
    }
    items.iter().map(scalar).collect()
}

/// A string, or a non-empty array of strings, lower-cased.
fn folded(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(text) => Some(vec![text.to_lowercase()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_str().map(str::to_lowercase))
            .collect(),
        _ => None,
    }
}

/// `numeric`: `[OP, N]`, or a range `[">" | ">=", LOW, "<" | "<=", HIGH]`.
fn range(argument: &Value) -> Result<Range, String> {
    argument.as_array().and_then(|a| bounds(a)).ok_or_else(|| {
        r#"must be [OPERATOR, NUMBER] with =, <, <=, > or >=, or a range [">" or ">=", NUMBER, "<" or "<=", NUMBER]"#
            .into()
    })
}

fn bounds(items: &[Value]) -> Option<Range> {
    match items {
        [op, n] => bound(op, n).and_then(|(op, n)| one_sided(op, n)),
        [low_op, low, high_op, high] => {
            let (low_op, low) = bound(low_op, low)?;
            let (high_op, high) = bound(high_op, high)?;
            Some(Range {
                low: Some((low, lower(low_op)?)),
                high: Some((high, upper(high_op)?)),
            })
        }
        _ => None,
    }
}

/// An operator and its number.
fn bound<'a>(op: &'a Value, n: &Value) -> Option<(&'a str, f64)> {
    Some((op.as_str()?, n.as_f64()?))
}

/// `[OP, N]`.
fn one_sided(op: &str, n: f64) -> Option<Range> {
    if op == "=" {
        let both = Some((n, true));
        return Some(Range {
            low: both,
            high: both,
        });
    }
    let from = lower(op).map(|inclusive| Range {
        low: Some((n, inclusive)),
        high: None,
    });
    from.or_else(|| {
        upper(op).map(|inclusive| Range {
            low: None,
            high: Some((n, inclusive)),
        })
    })
}

/// A lower bound's operator: whether it includes its number.
fn lower(op: &str) -> Option<bool> {
    match op {
        ">" => Some(false),
        ">=" => Some(true),
        _ => None,
    }
}

/// An upper bound's operator: whether it includes its number.
fn upper(op: &str) -> Option<bool> {
    match op {
        "<" => Some(false),
        "<=" => Some(true),
        _ => None,
    }
}
