//! Millisecond-precision UTC instants, written as ISO-8601 (`2016-12-28T12:51:08.751Z`).

use chrono::{DateTime, NaiveDate, SubsecRound, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An instant in UTC with millisecond precision. Its text form has a fixed
/// width, so text order is time order (DynamoDB sort keys rely on that).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    pub fn from_millis(millis: i64) -> Option<Self> {
        Utc.timestamp_millis_opt(millis).single().map(Self)
    }

    pub fn from_datetime(at: DateTime<Utc>) -> Self {
        Self(at.trunc_subsecs(3))
    }

    /// The last instant of year 9999, later than any time hookrelay writes:
    /// a bound that holds nothing back.
    pub fn last() -> Self {
        Self(DateTime::from_timestamp_millis(253_402_300_799_999).unwrap_or_default())
    }

    pub fn millis(self) -> i64 {
        self.0.timestamp_millis()
    }

    pub fn epoch_seconds(self) -> i64 {
        self.0.timestamp()
    }

    /// The start of the minute it is in.
    pub fn floor_minute(self) -> Self {
        Self(self.0 - chrono::Duration::milliseconds(self.millis().rem_euclid(60_000)))
    }

    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0 + chrono::Duration::seconds(seconds))
    }

    pub fn plus_millis(self, millis: i64) -> Self {
        Self(self.0 + chrono::Duration::milliseconds(millis))
    }

    /// Accepts RFC 3339 with any offset (converted to UTC) or a bare date
    /// `YYYY-MM-DD` (midnight UTC). Four-digit years only, so text order holds.
    pub fn parse(text: &str) -> Result<Self, String> {
        const HINT: &str = "must be an ISO-8601 UTC time such as 2026-11-22T12:00:00.000Z";
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            let at = at.with_timezone(&Utc);
            if !(0..=9999).contains(&chrono::Datelike::year(&at)) {
                return Err(HINT.into());
            }
            return Ok(Self::from_datetime(at));
        }
        let four_digit_year =
            text.len() == 10 && text.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| ())
            .and_then(|d| if four_digit_year { Ok(d) } else { Err(()) })
        {
            if let Some(midnight) = date.and_hms_opt(0, 0, 0) {
                return Ok(Self(midnight.and_utc()));
            }
        }
        Err(HINT.into())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.3fZ"))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_instant_keeps_the_fixed_width() {
        assert_eq!(Timestamp::last().to_string(), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn formats_with_milliseconds_and_z() {
        let at = Timestamp::from_millis(1_482_929_468_751).unwrap();
        assert_eq!(at.to_string(), "2016-12-28T12:51:08.751Z");
    }

    #[test]
    fn parses_offsets_into_utc_and_bare_dates() {
        let at = Timestamp::parse("2016-12-28T13:51:08.751+01:00").unwrap();
        assert_eq!(at.to_string(), "2016-12-28T12:51:08.751Z");
        let day = Timestamp::parse("2016-12-28").unwrap();
        assert_eq!(day.to_string(), "2016-12-28T00:00:00.000Z");
    }

    #[test]
    fn refuses_what_is_not_iso_8601() {
        for bad in ["yesterday", "2016-12-28 12:00", "1482929468", "2016-13-01"] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_order_is_time_order() {
        let a = Timestamp::from_millis(999).unwrap();
        let b = Timestamp::from_millis(1_000).unwrap();
        assert!(a.to_string() < b.to_string());
    }
}
