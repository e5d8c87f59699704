use std::fmt;
use std::str::FromStr;

use crate::UnixMillis;

/// A Mastodon-style identifier: milliseconds since the epoch in the high 48 bits and a
/// 16-bit sequence below, so ids sort by creation time. Serialised as a decimal string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(i64);

impl Id {
    pub const SEQUENCE_BITS: u32 = 16;

    pub fn from_parts(millis: UnixMillis, sequence: u16) -> Self {
        Self((millis << Self::SEQUENCE_BITS) | i64::from(sequence))
    }

    pub fn from_i64(raw: i64) -> Self {
        Self(raw)
    }

    pub fn as_i64(self) -> i64 {
        self.0
    }

    /// When this id was made, to the millisecond.
    pub fn timestamp_millis(self) -> UnixMillis {
        self.0 >> Self::SEQUENCE_BITS
    }

    /// The smallest id that could have been made at `millis`, for time-based cursors.
    pub fn lowest_at(millis: UnixMillis) -> Self {
        Self::from_parts(millis, 0)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Id {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<i64>().map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_time_then_sequence() {
        let a = Id::from_parts(1_700_000_000_000, 65_535);
        let b = Id::from_parts(1_700_000_000_001, 0);
        assert!(a < b);
        assert!(a.to_string() < b.to_string(), "same-length decimal strings sort like the ids");
        assert_eq!(b.timestamp_millis(), 1_700_000_000_001);
    }

    #[test]
    fn round_trips_through_its_string_form() {
        let id = Id::from_parts(1_764_000_000_000, 42);
        assert_eq!(id.to_string().parse::<Id>().unwrap(), id);
        assert!("12a".parse::<Id>().is_err());
    }
}
