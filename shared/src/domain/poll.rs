//! A poll webhook's cursor (`GET /v1/webhooks/{id}/poll?cursor=`): the
//! deliveries one page handed out, and when. Fetching with it acknowledges
//! exactly those (each `delivered` unless it changed after the handout),
//! never a range: a delivery that became fetchable with an earlier time
//! than the page's (a write still landing, an index catching up) is not
//! acknowledged unseen. It names its deliveries itself, so nothing is stored
//! per page and a cursor never expires.

use crate::domain::ids::DeliveryId;
use crate::domain::time::Timestamp;

/// The most deliveries one page hands out (and so one cursor names).
pub const MAX_PAGE: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollCursor {
    /// When the page was read: a delivery changed later (made fetchable
    /// again) is not what the consumer saw.
    pub handed_out_at: Timestamp,
    pub deliveries: Vec<DeliveryId>,
}

/// Hex digits of the handout's millisecond, then 32 per delivery.
const TIME_DIGITS: usize = 12;
const ID_DIGITS: usize = 32;

impl PollCursor {
    /// Every cursor `parse` takes matches this (the OpenAPI document says it).
    pub fn pattern() -> String {
        format!("^[0-9a-f]{{{TIME_DIGITS}}}([0-9a-f]{{{ID_DIGITS}}}){{1,{MAX_PAGE}}}$")
    }

    /// Text: the handout's epoch millisecond as 12 lowercase hex digits,
    /// then each delivery id as 32 (URL-safe as it is).
    pub fn encode(&self) -> String {
        let millis = u64::try_from(self.handed_out_at.millis()).unwrap_or(0);
        let mut text = format!("{millis:0TIME_DIGITS$x}");
        for id in &self.deliveries {
            text.push_str(&id.to_hex());
        }
        text
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        const WHAT: &str = "is not a next_cursor this webhook's poll gave";
        let (time, ids) = text.split_at_checked(TIME_DIGITS).ok_or(WHAT)?;
        let lower_hex = |t: &str| t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        let count = ids.len() / ID_DIGITS;
        if !lower_hex(time) || ids.len() % ID_DIGITS != 0 || !(1..=MAX_PAGE).contains(&count) {
            return Err(WHAT.into());
        }
        // Past the last instant hookrelay writes, it holds nothing back either.
        let millis = i64::from_str_radix(time, 16).map_err(|_| WHAT)?;
        let handed_out_at =
            Timestamp::from_millis(millis.min(Timestamp::last().millis())).ok_or(WHAT)?;
        let deliveries = (0..count)
            .map(|i| DeliveryId::from_hex(&ids[i * ID_DIGITS..(i + 1) * ID_DIGITS]).ok_or(WHAT))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            handed_out_at,
            deliveries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{EventId, WebhookId};
    use crate::ports::random::OsRandom;

    #[test]
    fn a_cursor_reads_back_as_written() {
        let at = Timestamp::from_millis(1_790_000_000_123).unwrap();
        let hook = WebhookId::generate(at, &OsRandom);
        let cursor = PollCursor {
            handed_out_at: at,
            deliveries: (0..MAX_PAGE)
                .map(|_| DeliveryId::derive(EventId::generate(at, &OsRandom), Some(hook)))
                .collect(),
        };
        let text = cursor.encode();
        assert_eq!(text.len(), TIME_DIGITS + MAX_PAGE * ID_DIGITS);
        assert_eq!(PollCursor::parse(&text), Ok(cursor));
    }

    #[test]
    fn anything_else_is_refused() {
        let id = "0".repeat(ID_DIGITS);
        for bad in [
            String::new(),
            "0".repeat(TIME_DIGITS),
            format!("{}{}", "0".repeat(TIME_DIGITS), &id[1..]),
            format!(
                "{}{}",
                "0".repeat(TIME_DIGITS),
                id.to_uppercase().replace('0', "A")
            ),
            format!("{}{}", "g".repeat(TIME_DIGITS), id),
            format!("{}{}", "0".repeat(TIME_DIGITS), id.repeat(MAX_PAGE + 1)),
        ] {
            assert!(PollCursor::parse(&bad).is_err(), "{bad}");
        }
        let far = format!("{}{}", "f".repeat(TIME_DIGITS), id);
        assert_eq!(
            PollCursor::parse(&far).map(|c| c.handed_out_at),
            Ok(Timestamp::last())
        );
    }
}
