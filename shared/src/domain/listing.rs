//! What every list endpoint shares: sorting, a created_at window, offset/limit
//! and an opaque cursor.

use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Id,
}

impl SortField {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "created_at" => Ok(Self::CreatedAt),
            "updated_at" => Ok(Self::UpdatedAt),
            "id" => Ok(Self::Id),
            _ => Err("must be one of created_at, updated_at, id".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
            Self::Id => "id",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    Asc,
    Desc,
}

impl Order {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "asc" => Ok(Self::Asc),
            "desc" => Ok(Self::Desc),
            _ => Err("must be asc or desc".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }
}

/// Where a page ends: the sort key of its last item. Opaque to clients
/// (`{sort}.{order}.{key}`, URL-safe: `updated_at` keys read `{time}_{id}`);
/// it remembers the sort and order it was made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub sort: SortField,
    pub order: Order,
    /// The last item's sort key (see `sort_key`).
    pub after: String,
}

/// A UUID as ids print (lowercase, hyphenated).
const UUID_PATTERN: &str = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/// A time as `Timestamp` prints it (a day of any month, so always a date).
const TIME_PATTERN: &str = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z";

impl Cursor {
    /// Every cursor `decode` accepts matches this (OpenAPI says it), and
    /// `encode` makes only such cursors.
    pub fn pattern() -> String {
        format!(
            "^((id|created_at)\\.(asc|desc)\\.{UUID_PATTERN}|updated_at\\.(asc|desc)\\.{TIME_PATTERN}_{UUID_PATTERN})$"
        )
    }

    pub fn encode(&self) -> String {
        let key = self.after.replacen('#', "_", 1);
        format!("{}.{}.{key}", self.sort.as_str(), self.order.as_str())
    }

    pub fn decode(text: &str) -> Result<Self, String> {
        const HINT: &str = "is not a cursor this API returned (use next_cursor as given)";
        let mut parts = text.splitn(3, '.');
        let (Some(sort), Some(order), Some(key)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(HINT.into());
        };
        let after = key.replacen('_', "#", 1);
        let after = after.as_str();
        let sort = SortField::parse(sort).map_err(|_| HINT)?;
        let order = Order::parse(order).map_err(|_| HINT)?;
        // The key goes back to the store as a start key: only the shapes it makes.
        let id = match sort {
            SortField::CreatedAt | SortField::Id => after,
            SortField::UpdatedAt => {
                let (at, id) = after.split_once('#').ok_or(HINT)?;
                Timestamp::parse(at)
                    .ok()
                    .filter(|t| t.to_string() == at)
                    .ok_or(HINT)?;
                id
            }
        };
        uuid::Uuid::try_parse(id)
            .ok()
            .filter(|u| u.hyphenated().to_string() == id)
            .ok_or(HINT)?;
        Ok(Self {
            sort,
            order,
            after: after.to_owned(),
        })
    }
}

/// A list request's window: validated, with defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListParams {
    pub sort: SortField,
    pub order: Order,
    /// Inclusive lower bound on created_at.
    pub start: Option<Timestamp>,
    /// Exclusive upper bound on created_at.
    pub end: Option<Timestamp>,
    /// Items skipped after the cursor position (or from the start).
    pub offset: u32,
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

impl ListParams {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 100;
    /// Offsets page by reading; past this, clients are asked to use the cursor.
    pub const MAX_OFFSET: u32 = 10_000;

    pub fn in_window(&self, created_at: Timestamp) -> bool {
        self.start.is_none_or(|start| created_at >= start)
            && self.end.is_none_or(|end| created_at < end)
    }

    /// Whether an item with `key` comes after the cursor in this order.
    pub fn after_cursor(&self, key: &str) -> bool {
        match (&self.cursor, self.order) {
            (None, _) => true,
            (Some(c), Order::Asc) => key > c.after.as_str(),
            (Some(c), Order::Desc) => key < c.after.as_str(),
        }
    }

    pub fn cursor_after(&self, key: String) -> Cursor {
        Cursor {
            sort: self.sort,
            order: self.order,
            after: key,
        }
    }
}

impl Default for ListParams {
    fn default() -> Self {
        Self {
            sort: SortField::CreatedAt,
            order: Order::Desc,
            start: None,
            end: None,
            offset: 0,
            limit: Self::DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

/// The sort key of an item for a sort field. Ids are UUIDv7 made from the
/// creation instant, so id order is created_at order and both use the id;
/// updated_at order is `{updated_at}#{id}` (fixed-width time text).
pub fn sort_key(sort: SortField, id: &str, updated_at: Timestamp) -> String {
    match sort {
        SortField::CreatedAt | SortField::Id => id.to_owned(),
        SortField::UpdatedAt => format!("{updated_at}#{id}"),
    }
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<Cursor>,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            next_cursor: None,
        }
    }

    /// Builds the page from up to `limit + 1` items in order: the extra one
    /// only tells that another page exists.
    pub fn from_overfetch(
        mut items: Vec<T>,
        params: &ListParams,
        key: impl Fn(&T) -> String,
    ) -> Self {
        let limit = params.limit as usize;
        let more = items.len() > limit;
        items.truncate(limit);
        let next_cursor = match items.last() {
            Some(last) if more => Some(params.cursor_after(key(last))),
            _ => None,
        };
        Self { items, next_cursor }
    }
}

/// Most deliveries a `sort=updated_at` list reads (no index is kept by
/// updated_at, which changes on every attempt: the window is read whole,
/// before the filters that are not a key).
pub const UPDATED_SORT_MAX: usize = 5_000;

/// A list that would read more than it may: the caller narrows it (the
/// store port maps it to its own `TooBroad`).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct TooBroad {
    pub field: &'static str,
    pub message: String,
}

/// Refuses an updated_at-sorted window that reads more than `UPDATED_SORT_MAX`.
pub fn check_updated_sort_bound(count: usize) -> Result<(), TooBroad> {
    if count > UPDATED_SORT_MAX {
        return Err(TooBroad {
            field: "sort",
            message: format!(
                "sort=updated_at reads at most {UPDATED_SORT_MAX} deliveries of the window (before filters other than webhook_id or status=failed): narrow start/end, or sort by created_at"
            ),
        });
    }
    Ok(())
}

/// The page of `items` (a whole window, in any order) after the cursor and
/// offset, in `key` order.
pub fn page_in_key_order<T: Clone>(
    items: Vec<T>,
    params: &ListParams,
    key: impl Fn(&T) -> String,
) -> Page<T> {
    let mut keyed: Vec<(String, T)> = items
        .into_iter()
        .map(|item| (key(&item), item))
        .filter(|(k, _)| params.after_cursor(k))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    if params.order == Order::Desc {
        keyed.reverse();
    }
    let window = keyed
        .into_iter()
        .skip(params.offset as usize)
        .take(params.limit as usize + 1)
        .map(|(_, item)| item)
        .collect();
    Page::from_overfetch(window, params, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let cursor =
            ListParams::default().cursor_after("01a20435-db85-7331-8eb8-7ca5b7410b5a".into());
        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
        assert!(Cursor::decode("garbage!").is_err());
        assert!(Cursor::decode("id.asc").is_err());
        assert!(Cursor::decode("id.up.01a20435-db85-7331-8eb8-7ca5b7410b5a").is_err());
        let later = Cursor {
            sort: SortField::UpdatedAt,
            order: Order::Asc,
            after: "2026-11-22T12:00:00.000Z#01a20435-db85-7331-8eb8-7ca5b7410b5a".into(),
        };
        assert_eq!(Cursor::decode(&later.encode()).unwrap(), later);
        // URL-safe as it is: a client may paste it into a query string.
        assert!(later
            .encode()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:".contains(&b)));
        let day_only = "updated_at.asc.2026-11-22_01a20435-db85-7331-8eb8-7ca5b7410b5a";
        assert!(Cursor::decode(day_only).is_err());
        let forged = Cursor {
            after: "zzz".into(),
            ..cursor
        };
        assert!(Cursor::decode(&forged.encode()).is_err());
    }

    #[test]
    fn window_is_start_inclusive_end_exclusive() {
        let t = |ms| Timestamp::from_millis(ms).unwrap();
        let params = ListParams {
            start: Some(t(1_000)),
            end: Some(t(2_000)),
            ..ListParams::default()
        };
        assert!(params.in_window(t(1_000)));
        assert!(params.in_window(t(1_999)));
        assert!(!params.in_window(t(2_000)));
        assert!(!params.in_window(t(999)));
    }

    #[test]
    fn overfetch_sets_the_cursor_only_when_more_remain() {
        let params = ListParams {
            limit: 2,
            ..ListParams::default()
        };
        let full = Page::from_overfetch(vec!["a", "b", "c"], &params, |s| s.to_string());
        assert_eq!(full.items, vec!["a", "b"]);
        assert_eq!(full.next_cursor.unwrap().after, "b");
        let last = Page::from_overfetch(vec!["a", "b"], &params, |s| s.to_string());
        assert!(last.next_cursor.is_none());
    }
}
