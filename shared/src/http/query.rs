//! Query strings: unknown parameters and bad values are 422 naming the parameter.

use crate::domain::listing::{Cursor, ListParams, Order, SortField};
use crate::domain::time::Timestamp;
use crate::http::error::ApiError;
use crate::http::field::FieldError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The common list parameters, as the OpenAPI document describes them
/// (parsed by [`Query::list_params`]).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes query parameters for OpenAPI
pub struct ListQuery {
    /// created_at at or after (ISO-8601 UTC)
    #[param(format = DateTime)]
    start: Option<String>,
    /// created_at before (ISO-8601 UTC)
    #[param(format = DateTime)]
    end: Option<String>,
    /// created_at (default), updated_at or id
    #[param(pattern = "^(created_at|updated_at|id)$")]
    sort: Option<String>,
    /// asc or desc (default)
    #[param(pattern = "^(asc|desc)$")]
    order: Option<String>,
    /// Items to skip (default 0)
    #[param(maximum = 10000)]
    offset: Option<u32>,
    /// 1–100, default 50
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// next_cursor of the previous page
    cursor: Option<String>,
}

/// The parameters every list endpoint takes.
pub const LIST_PARAMS: [&str; 7] = ["sort", "order", "start", "end", "offset", "limit", "cursor"];

/// A request's query parameters, in order.
pub struct Query {
    pairs: Vec<(String, String)>,
    errors: Vec<FieldError>,
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let text = parts.uri.query().unwrap_or_default();
        let pairs = url::form_urlencoded::parse(text.as_bytes())
            .into_owned()
            .collect();
        Ok(Self {
            pairs,
            errors: Vec::new(),
        })
    }
}

impl Query {
    /// Reports parameters outside `known` (a typo would otherwise be silently ignored).
    pub fn allow(&mut self, known: &[&str]) {
        let mut seen = std::collections::HashSet::new();
        let repeated: Vec<FieldError> = self
            .pairs
            .iter()
            .filter(|(name, _)| !seen.insert(name.as_str()))
            .map(|(name, _)| FieldError::new(name.as_str(), "is given more than once"))
            .collect();
        self.errors.extend(repeated);
        let unknown: Vec<FieldError> = self
            .pairs
            .iter()
            .filter(|(name, _)| !known.contains(&name.as_str()))
            .map(|(name, _)| FieldError::new(name.as_str(), "is not a known parameter"))
            .collect();
        self.errors.extend(unknown);
    }

    /// Parses a parameter if present, recording its error.
    pub fn get<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.pairs.iter().find(|(n, _)| n == name)?.1.clone();
        parse(&value)
            .map_err(|message| self.errors.push(FieldError::new(name, message)))
            .ok()
    }

    /// The common list window. A cursor continues in its own sort and order
    /// (`sort`/`order` given with it are ignored).
    pub fn list_params(&mut self) -> ListParams {
        let defaults = ListParams::default();
        let cursor = self.get("cursor", Cursor::decode);
        let sort = self.get("sort", SortField::parse);
        let order = self.get("order", Order::parse);
        let limit = self.get("limit", |v| parse_limit(v, ListParams::MAX_LIMIT));
        let offset = self.get("offset", |v| {
            v.parse::<u32>()
                .ok()
                .filter(|n| *n <= ListParams::MAX_OFFSET)
                .ok_or_else(|| {
                    format!(
                        "must be a whole number from 0 to {} (page further with cursor)",
                        ListParams::MAX_OFFSET
                    )
                })
        });
        let start = self.get("start", Timestamp::parse);
        let end = self.get("end", Timestamp::parse);
        // An `end` before `start` is an empty window: an empty page, not an error.
        let sort = cursor
            .as_ref()
            .map(|c| c.sort)
            .or(sort)
            .unwrap_or(defaults.sort);
        let order = cursor
            .as_ref()
            .map(|c| c.order)
            .or(order)
            .unwrap_or(defaults.order);
        ListParams {
            sort,
            order,
            start,
            end,
            offset: offset.unwrap_or(defaults.offset),
            limit: limit.unwrap_or(defaults.limit),
            cursor,
        }
    }

    /// `limit` (1–`max`, default `max`) and `cursor` (the key to continue
    /// after, which `valid` checks) of a list kept in key order, the only
    /// parameters such a list takes.
    pub fn key_page(&mut self, max: u32, valid: impl Fn(&str) -> bool) -> (u32, Option<String>) {
        self.allow(&["limit", "cursor"]);
        let limit = self.get("limit", |v| parse_limit(v, max));
        let cursor = self.get("cursor", |v| {
            valid(v)
                .then(|| v.to_owned())
                .ok_or_else(|| "is not a next_cursor this list gave".to_owned())
        });
        (limit.unwrap_or(max), cursor)
    }

    /// 422 naming every bad parameter, if any.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self.errors))
        }
    }
}

fn parse_limit(text: &str, max: u32) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| format!("must be a whole number from 1 to {max}"))
}
