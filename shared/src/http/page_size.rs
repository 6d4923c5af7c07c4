//! How many items a list page may show: the one rule every list applies.
//!
//! In Lambda the HTTP body travels as a JSON string inside the function's
//! response (API Gateway payload v2: `{"statusCode":..,"headers":..,"body":"..."}`),
//! so every `"` and `\` in it is escaped again and control characters become
//! `\u00XX`: a page of stringified JSON nearly doubles. Lambda refuses a
//! response over [`LAMBDA_RESPONSE_LIMIT`], and API Gateway then answers 500
//! for that page every time. So each item is measured as it is encoded there.

use crate::ports::store::KeyPage;
use serde::Serialize;

/// Lambda's limit on a synchronous function's whole response (6 MiB).
pub const LAMBDA_RESPONSE_LIMIT: usize = 6_291_456;

/// A list answer, encoded as Lambda returns it (envelope and headers
/// included), stays at or under this. The body is never longer than its
/// encoded form, so DESIGN.md's "a page ends before its answer passes 5 MB"
/// holds too, and Lambda's limit is 1.29 MB away.
pub const ANSWER_BUDGET: usize = 5_000_000;
const _: () = assert!(ANSWER_BUDGET < LAMBDA_RESPONSE_LIMIT);

/// Kept out of the budget for everything but the items: the Lambda
/// response's own fields, the headers, the list's `success`, `code`,
/// `offset`, `limit` and `next_cursor` (a few hundred bytes today).
const FRAME_ALLOWANCE: usize = 16 * 1024;

/// Bytes the JSON text `json` takes as the contents of a JSON string, as
/// serde_json (which lambda_runtime uses) escapes it.
pub fn escaped_len(json: &[u8]) -> usize {
    json.iter()
        .map(|&byte| match byte {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0x00..=0x1f => 6,
            _ => 1,
        })
        .sum()
}

/// Bytes `item` takes inside the Lambda response, its separating comma
/// included. An item that cannot be serialized counts 0: the answer fails
/// as a whole when it is serialized anyway.
fn encoded_len<T: Serialize>(item: &T) -> usize {
    serde_json::to_vec(item).map_or(0, |json| escaped_len(&json) + 1)
}

/// The leading `items` (each with the key a cursor continues after) whose
/// answer fits [`ANSWER_BUDGET`], and, when the page ended early, the key
/// of the last one shown: the next page starts right after it, so nothing
/// is skipped or repeated.
///
/// The first item is always shown, so paging never stalls: an item alone
/// over the budget makes a page of one. None comes near it: the largest,
/// a delivery or a webhook made from a 256 KiB request, is about 1 MB.
pub fn fit<T: Serialize, K>(items: impl IntoIterator<Item = (T, K)>) -> (Vec<T>, Option<K>) {
    let mut shown = Vec::new();
    let (mut used, mut last) = (FRAME_ALLOWANCE, None);
    for (item, key) in items {
        used += encoded_len(&item);
        if used > ANSWER_BUDGET {
            if shown.is_empty() {
                tracing::error!(bytes = used, "a list item alone passes the answer budget");
            } else {
                return (shown, last);
            }
        }
        shown.push(item);
        last = Some(key);
    }
    (shown, None)
}

/// A page of a key-ordered list, as `fit` lets it be shown: each item's
/// view (with the key it is listed by), and the cursor to continue after,
/// the store's or where the answer ended early.
pub fn fit_key_page<T, V: Serialize>(
    page: &KeyPage<T>,
    view: impl Fn(&T) -> (V, String),
) -> (Vec<V>, Option<String>) {
    let (shown, ended_after) = fit(page.items.iter().map(view));
    (shown, ended_after.or_else(|| page.next.clone()))
}

/// The OpenAPI description of a list's answer: one page of `what`, and
/// where it ends early.
pub fn page_description(what: &str) -> String {
    format!(
        "One page of {what}. It may hold fewer than `limit`: it ends early, with `next_cursor` \
         after the last one shown, where its answer as Lambda returns it (the JSON body \
         escaped again as a string) would pass {ANSWER_BUDGET} bytes, but never before its \
         first item."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaped_len_is_what_serde_json_writes_for_the_text_as_a_string() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        let text = json!({"all": every_ascii, "quoted": "\"\\\"", "wide": "é€😀"}).to_string();
        let as_string = serde_json::to_string(&text).unwrap();
        // Minus the two quotes that delimit the string.
        assert_eq!(escaped_len(text.as_bytes()), as_string.len() - 2);
    }

    fn items(sizes: &[usize]) -> Vec<(String, usize)> {
        sizes
            .iter()
            .enumerate()
            .map(|(n, size)| ("\"".repeat(*size), n))
            .collect()
    }

    #[test]
    fn a_page_ends_after_the_last_item_that_fits_the_encoded_budget() {
        // 250,000 quotes: 500 KB of JSON, 1 MB encoded; four fit in 5 MB.
        let (shown, next) = fit(items(&[250_000; 6]));
        assert_eq!(shown.len(), 4);
        assert_eq!(next, Some(3), "the next page continues after the fourth");
        let (shown, next) = fit(items(&[1_000; 5]));
        assert_eq!((shown.len(), next), (5, None), "all fit: no early end");
    }

    #[test]
    fn an_item_alone_over_the_budget_is_a_page_of_one() {
        let (shown, next) = fit(items(&[2_000_000, 10]));
        assert_eq!((shown.len(), next), (1, Some(0)));
        let (shown, next) = fit(items(&[10, 2_000_000]));
        assert_eq!((shown.len(), next), (1, Some(0)));
    }
}
