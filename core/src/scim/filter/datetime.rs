//! RFC 3339 date-times (SCIM `dateTime`) read into comparable instants.

/// A point in time: seconds since the Unix epoch, then nanoseconds. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Instant {
    secs: i64,
    nanos: u32,
}

impl Instant {
    /// Microseconds since the Unix epoch (finer digits are dropped).
    pub(super) fn unix_micros(self) -> i64 {
        self.secs * 1_000_000 + i64::from(self.nanos / 1_000)
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn next(&mut self) -> Option<u8> {
        let byte = self.bytes.get(self.pos).copied();
        self.pos += 1;
        byte
    }

    fn eat(&mut self, expected: u8) -> bool {
        let found = self.bytes.get(self.pos) == Some(&expected);
        if found {
            self.pos += 1;
        }
        found
    }

    fn digit(&mut self) -> Option<i64> {
        match self.bytes.get(self.pos) {
            Some(byte) if byte.is_ascii_digit() => {
                self.pos += 1;
                Some(i64::from(byte - b'0'))
            }
            _ => None,
        }
    }

    /// Exactly `count` digits, then `separator` when one is given.
    fn number(&mut self, count: usize, separator: Option<u8>) -> Option<i64> {
        let mut value = 0;
        for _ in 0..count {
            value = value * 10 + self.digit()?;
        }
        match separator {
            Some(separator) if !self.eat(separator) => None,
            _ => Some(value),
        }
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given civil date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (`T` may be `t` or a space, `Z` may be
/// `z`; any number of fraction digits, nanoseconds kept; second 60 allowed for leap seconds).
/// `None` when the text is not such a date-time or names an impossible date.
pub(super) fn parse_date_time(text: &str) -> Option<Instant> {
    let mut cursor = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let year = cursor.number(4, Some(b'-'))?;
    let month = cursor.number(2, Some(b'-'))?;
    let day = cursor.number(2, None)?;
    if !matches!(cursor.next()?, b'T' | b't' | b' ') {
        return None;
    }
    let hour = cursor.number(2, Some(b':'))?;
    let minute = cursor.number(2, Some(b':'))?;
    let second = cursor.number(2, None)?;
    let mut nanos = 0;
    if cursor.eat(b'.') {
        let mut scale = 100_000_000;
        let mut digits = 0;
        while let Some(digit) = cursor.digit() {
            nanos += digit * scale;
            scale /= 10;
            digits += 1;
        }
        if digits == 0 {
            return None;
        }
    }
    let offset = match cursor.next()? {
        b'Z' | b'z' => 0,
        sign @ (b'+' | b'-') => {
            let hours = cursor.number(2, Some(b':'))?;
            let minutes = cursor.number(2, None)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3_600 + minutes * 60;
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    let valid = cursor.pos == text.len()
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 60;
    if !valid {
        return None;
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second - offset;
    Some(Instant {
        secs,
        nanos: u32::try_from(nanos).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Instant {
        parse_date_time(text).unwrap()
    }

    #[test]
    fn reads_utc_offsets_and_fractions() {
        assert_eq!(at("1970-01-01T00:00:00Z").unix_micros(), 0);
        assert_eq!(at("2011-05-13T04:42:34Z").secs, 1_305_261_754);
        assert_eq!(at("2011-05-13T06:42:34+02:00"), at("2011-05-13T04:42:34Z"));
        assert_eq!(at("2011-05-12T23:42:34-05:00"), at("2011-05-13T04:42:34z"));
        assert_eq!(
            at("2011-05-13 04:42:34.5Z").unix_micros(),
            1_305_261_754_500_000
        );
        assert!(at("2011-05-13T04:42:34.000000001Z") > at("2011-05-13T04:42:34Z"));
        assert_eq!(at("1969-12-31T23:59:59.25Z").unix_micros(), -750_000);
        assert_eq!(at("2000-02-29T00:00:00Z").secs, 951_782_400);
        assert!(at("2016-12-31T23:59:60Z") > at("2016-12-31T23:59:59Z"));
    }

    #[test]
    fn refuses_malformed_and_impossible_dates() {
        for bad in [
            "",
            "2011-05-13",
            "2011-05-13T04:42:34",
            "2011-05-13T04:42Z",
            "2011-5-13T04:42:34Z",
            "2011-05-13T04:42:34.Z",
            "2011-05-13T04:42:34+0200",
            "2011-05-13T04:42:34Z ",
            "2011-13-01T00:00:00Z",
            "2011-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2011-04-31T00:00:00Z",
            "2011-05-13T24:00:00Z",
            "2011-05-13T04:60:00Z",
            "2011-05-13T04:42:34+24:00",
            "２011-05-13T04:42:34Z",
        ] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
    }
}
