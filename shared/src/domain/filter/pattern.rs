//! A parsed filter and how it matches: every field of a pattern must match
//! (AND), any matcher of a field's list may (OR), and a field whose value is
//! an array matches when any element does.

use serde_json::Value;

/// Fields of an object, each to match.
#[derive(Clone, Debug)]
pub(super) struct Fields(pub(super) Vec<(String, Node)>);

#[derive(Clone, Debug)]
pub(super) enum Node {
    /// A list of matchers: any of them may match the field.
    Leaf(Vec<Matcher>),
    /// An object's own fields.
    Nested(Fields),
}

#[derive(Clone, Debug)]
pub(super) enum Matcher {
    /// `{"exists": true}`: the field is there (any value); `false`: it is not.
    Exists(bool),
    /// Any other matcher: a present field (or one element of it) passes it.
    Test(Test),
}

#[derive(Clone, Debug)]
pub(super) enum Test {
    Exactly(Scalar),
    Prefix(Affix),
    Suffix(Affix),
    /// Lower-cased.
    EqualsIgnoreCase(String),
    AnythingBut(Exclusion),
    Numeric(Range),
}

/// A value a field may equal: numbers compare as numbers (`5` is `5.0`).
#[derive(Clone, Debug)]
pub(super) enum Scalar {
    Text(String),
    Number(f64),
    Bool(bool),
    Null,
}

/// A prefix or suffix; lower-cased when it ignores case.
#[derive(Clone, Debug)]
pub(super) struct Affix {
    pub(super) text: String,
    pub(super) ignore_case: bool,
}

/// What `anything-but` refuses.
#[derive(Clone, Debug)]
pub(super) enum Exclusion {
    Values(Vec<Scalar>),
    Prefix(String),
    Suffix(String),
    /// Lower-cased.
    IgnoreCase(Vec<String>),
}

/// A numeric range: each bound a number and whether it is included.
#[derive(Clone, Debug)]
pub(super) struct Range {
    pub(super) low: Option<(f64, bool)>,
    pub(super) high: Option<(f64, bool)>,
}

impl Fields {
    /// Whether `value` (an object; anything else has no fields) matches.
    pub(super) fn matches(&self, value: &Value) -> bool {
        self.0
            .iter()
            .all(|(name, node)| node.matches(value.get(name)))
    }
}

impl Node {
    fn matches(&self, value: Option<&Value>) -> bool {
        match (self, value) {
            (Self::Nested(fields), Some(Value::Array(items))) => {
                items.iter().any(|item| fields.matches(item))
            }
            (Self::Nested(fields), value) => fields.matches(value.unwrap_or(&Value::Null)),
            (Self::Leaf(matchers), value) => matchers.iter().any(|m| m.matches(value)),
        }
    }
}

impl Matcher {
    fn matches(&self, value: Option<&Value>) -> bool {
        match (self, value) {
            (Self::Exists(wanted), value) => value.is_some() == *wanted,
            (Self::Test(_), None) => false,
            (Self::Test(test), Some(Value::Array(items))) => items.iter().any(|i| test.passes(i)),
            (Self::Test(test), Some(value)) => test.passes(value),
        }
    }
}

impl Test {
    fn passes(&self, value: &Value) -> bool {
        let text = value.as_str();
        match self {
            Self::Exactly(scalar) => scalar.equals(value),
            Self::Prefix(affix) => text.is_some_and(|t| affix.begins(t)),
            Self::Suffix(affix) => text.is_some_and(|t| affix.ends(t)),
            Self::EqualsIgnoreCase(folded) => text.is_some_and(|t| t.to_lowercase() == *folded),
            Self::AnythingBut(exclusion) => exclusion.admits(value),
            Self::Numeric(range) => value.as_f64().is_some_and(|n| range.contains(n)),
        }
    }
}

impl Scalar {
    pub(super) fn equals(&self, value: &Value) -> bool {
        match self {
            Self::Text(text) => value.as_str() == Some(text),
            Self::Number(number) => value.as_f64() == Some(*number),
            Self::Bool(flag) => value.as_bool() == Some(*flag),
            Self::Null => value.is_null(),
        }
    }
}

impl Affix {
    fn folded<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.ignore_case {
            text.to_lowercase().into()
        } else {
            text.into()
        }
    }

    fn begins(&self, text: &str) -> bool {
        self.folded(text).starts_with(&self.text)
    }

    fn ends(&self, text: &str) -> bool {
        self.folded(text).ends_with(&self.text)
    }
}

impl Exclusion {
    /// Whether `value`, one value (never an object), is none of the excluded.
    fn admits(&self, value: &Value) -> bool {
        let text = value.as_str();
        match self {
            Self::Values(values) => !value.is_object() && !values.iter().any(|v| v.equals(value)),
            Self::Prefix(prefix) => text.is_some_and(|t| !t.starts_with(prefix.as_str())),
            Self::Suffix(suffix) => text.is_some_and(|t| !t.ends_with(suffix.as_str())),
            Self::IgnoreCase(values) => text.is_some_and(|t| !values.contains(&t.to_lowercase())),
        }
    }
}

impl Range {
    fn contains(&self, number: f64) -> bool {
        let above = self
            .low
            .is_none_or(|(low, inclusive)| number > low || (inclusive && number == low));
        let below = self
            .high
            .is_none_or(|(high, inclusive)| number < high || (inclusive && number == high));
        above && below
    }
}
