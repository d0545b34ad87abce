//! The two time formats vendors send, read by hand: RFC 3339 (timestamps in bodies) and
//! IMF-fixdate (RFC 7231's HTTP-date, in `Retry-After`).
//!
//! These accept exactly what chrono's `DateTime::parse_from_rfc3339` and
//! `NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")` accept, with the same value
//! (leap seconds included); for HTTP dates, every IMF-fixdate chrono's
//! `parse_from_rfc2822` reads. The results are chrono's types, built with chrono's own
//! constructors and offset arithmetic: only chrono's format parser (its `Parsed`, the
//! strftime items and the month/weekday/zone name tables, ~9 kB gzip of every part that
//! decodes a vendor's answer) stays out of the wasm. The tests compare both ways.

// Every sum here is of at most nine decimal digits or an index below 30; the one unbounded
// number (a signed year) is read with checked arithmetic.
#![allow(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};

/// Two ASCII digits at `i..i + 2` of `b`.
fn two_digits(b: &[u8], i: usize) -> Option<u32> {
    match (b.get(i)?, b.get(i + 1)?) {
        (d1 @ b'0'..=b'9', d2 @ b'0'..=b'9') => {
            Some(u32::from(d1 - b'0') * 10 + u32::from(d2 - b'0'))
        }
        _ => None,
    }
}

/// A fraction of a second after its `.`: at least one digit, the first nine count,
/// any further digits are skipped (as chrono does). Returns nanoseconds and the rest.
fn fraction(s: &str) -> Option<(u32, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let mut nanos = 0u32;
    for (k, c) in s.bytes().take(9).take_while(u8::is_ascii_digit).enumerate() {
        nanos += u32::from(c - b'0') * 10u32.pow(8 - k as u32);
    }
    Some((nanos, &s[digits..]))
}

/// A time of day where second 60 is a leap second (59 s and 1 s more of nanoseconds),
/// as chrono represents one.
fn time_of_day(hour: u32, min: u32, sec: u32, nanos: u32) -> Option<NaiveTime> {
    let (sec, extra) = if sec == 60 {
        (59, 1_000_000_000)
    } else {
        (sec, 0)
    };
    NaiveTime::from_hms_nano_opt(hour, min, sec, extra + nanos)
}

/// An RFC 3339 date-time (`T`, `t` or a space between date and time, `Z`, `z` or
/// `±hh:mm`, also with U+2212 as the minus sign, any number of fraction digits), in UTC.
pub fn parse_rfc3339(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 19
        || !b[..19].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => matches!(c, b'T' | b't' | b' '),
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
    {
        return None;
    }
    let year = two_digits(b, 0)? * 100 + two_digits(b, 2)?;
    let date = NaiveDate::from_ymd_opt(year as i32, two_digits(b, 5)?, two_digits(b, 8)?)?;
    let (nanos, rest) = match s[19..].strip_prefix('.') {
        Some(frac) => fraction(frac)?,
        None => (0, &s[19..]),
    };
    let time = time_of_day(
        two_digits(b, 11)?,
        two_digits(b, 14)?,
        two_digits(b, 17)?,
        nanos,
    )?;
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let (negative, hm) = if let Some(r) = rest.strip_prefix('+') {
                (false, r)
            } else if let Some(r) = rest
                .strip_prefix('-')
                .or_else(|| rest.strip_prefix('\u{2212}'))
            {
                (true, r)
            } else {
                return None;
            };
            let hb = hm.as_bytes();
            if hb.len() != 5 || hb[2] != b':' || !(b'0'..=b'5').contains(&hb[3]) {
                return None;
            }
            let secs = (two_digits(hb, 0)? * 3600 + two_digits(hb, 3)? * 60) as i32;
            if negative {
                -secs
            } else {
                secs
            }
        }
    };
    let tz = FixedOffset::east_opt(offset)?;
    Some(
        date.and_time(time)
            .and_local_timezone(tz)
            .single()?
            .with_timezone(&Utc),
    )
}

/// What chrono's `NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")` reads, as
/// UTC: each number may follow white space and have fewer digits ("2024-1-5T1:2:3"),
/// the year may be signed, the `T` is upper case only, the fraction is optional.
pub fn parse_naive_iso(s: &str) -> Option<DateTime<Utc>> {
    /// 1 to `max` ASCII digits.
    fn number(s: &str, max: usize) -> Option<(i64, &str)> {
        let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let mut v = 0i64;
        for c in s[..n].bytes() {
            v = v.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
        }
        Some((v, &s[n..]))
    }
    let year_start = s.trim_start();
    let (year, s) = match year_start.strip_prefix('-') {
        Some(r) => number(r, usize::MAX).map(|(v, r)| (-v, r))?,
        None => match year_start.strip_prefix('+') {
            Some(r) => number(r, usize::MAX)?,
            None => number(year_start, 4)?,
        },
    };
    // Each later number may follow white space (chrono trims before every number).
    let (month, s) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    let (day, s) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    let (hour, s) = number(s.strip_prefix('T')?.trim_start(), 2)?;
    let (min, s) = number(s.strip_prefix(':')?.trim_start(), 2)?;
    let (sec, s) = number(s.strip_prefix(':')?.trim_start(), 2)?;
    let nanos = match s.strip_prefix('.') {
        Some(frac) => match fraction(frac)? {
            (n, "") => n,
            _ => return None,
        },
        None if s.is_empty() => 0,
        None => return None,
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || !(0..=23).contains(&hour)
        || !(0..=59).contains(&min)
        || !(0..=60).contains(&sec)
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month as u32, day as u32)?;
    let time = time_of_day(hour as u32, min as u32, sec as u32, nanos)?;
    Some(date.and_time(time).and_utc())
}

/// An IMF-fixdate, the HTTP-date every server sends ("Sun, 06 Nov 1994 08:49:37 GMT";
/// names in any case, as chrono reads them; the weekday must be the date's).
pub fn parse_imf_fixdate(s: &str) -> Option<DateTime<Utc>> {
    const DAYS: [(&[u8; 3], Weekday); 7] = [
        (b"mon", Weekday::Mon),
        (b"tue", Weekday::Tue),
        (b"wed", Weekday::Wed),
        (b"thu", Weekday::Thu),
        (b"fri", Weekday::Fri),
        (b"sat", Weekday::Sat),
        (b"sun", Weekday::Sun),
    ];
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let b = s.as_bytes();
    if b.len() != 29 {
        return None;
    }
    let lower = |i: usize| [b[i] | 32, b[i + 1] | 32, b[i + 2] | 32];
    let is_alpha3 = |i: usize| b[i..i + 3].iter().all(u8::is_ascii_alphabetic);
    let layout_ok = b[3] == b','
        && [4, 7, 11, 16, 25].iter().all(|&i| b[i] == b' ')
        && b[19] == b':'
        && b[22] == b':'
        && is_alpha3(0)
        && is_alpha3(8)
        && is_alpha3(26)
        && lower(26) == *b"gmt";
    if !layout_ok {
        return None;
    }
    let weekday = DAYS.iter().find(|(name, _)| **name == lower(0))?.1;
    let month = MONTHS.iter().position(|name| **name == lower(8))? as u32 + 1;
    let year = two_digits(b, 12)? * 100 + two_digits(b, 14)?;
    let date = NaiveDate::from_ymd_opt(year as i32, month, two_digits(b, 5)?)?;
    if date.weekday() != weekday {
        return None;
    }
    let time = time_of_day(
        two_digits(b, 17)?,
        two_digits(b, 20)?,
        two_digits(b, 23)?,
        0,
    )?;
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono_rfc3339(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    fn chrono_naive(s: &str) -> Option<DateTime<Utc>> {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .ok()
            .map(|n| n.and_utc())
    }

    fn chrono_http(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc2822(s)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    /// Same answer as chrono, and for a value the same instant *and* representation
    /// (a leap second keeps its extra nanoseconds).
    fn same(ours: Option<DateTime<Utc>>, theirs: Option<DateTime<Utc>>, s: &str) {
        // `DateTime`'s equality compares the representation: a leap second's extra
        // nanoseconds included.
        assert_eq!(ours, theirs, "{s:?}");
    }

    const RFC3339: &[&str] = &[
        "2024-01-15T11:00:01Z",
        "2024-01-15T11:00:01.123Z",
        "2024-01-15T11:00:01.123456789Z",
        "2024-01-15T11:00:01.1234567891234Z",
        "2024-01-15T11:00:01.Z",
        "2024-01-15T11:00:01z",
        "2024-01-15t11:00:01Z",
        "2024-01-15 11:00:01Z",
        "2024-01-15T11:00:01+00:00",
        "2024-01-15T11:00:01-00:00",
        "2024-01-15T11:00:01+05:30",
        "2024-01-15T11:00:01-08:00",
        "2024-01-15T11:00:01\u{2212}08:00",
        "2024-01-15T11:00:01+23:59",
        "2024-01-15T11:00:01+24:00",
        "2024-01-15T11:00:01+99:59",
        "2024-01-15T11:00:01+05:60",
        "2024-01-15T11:00:01+0530",
        "2024-01-15T11:00:01+05",
        "2024-01-15T11:00:01+05:3",
        "2024-01-15T11:00:01+05:30:00",
        "2024-01-15T11:00:01",
        "2024-01-15T11:00:01.5",
        "2016-12-31T23:59:60Z",
        "2016-12-31T23:59:60.5Z",
        "2016-12-31T23:59:60.999999999+01:00",
        "2016-12-31T23:59:60-01:00",
        "2016-12-31T12:34:60Z",
        "2016-12-31T23:59:61Z",
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z",
        "2024-01-00T00:00:00Z",
        "2024-01-15T24:00:00Z",
        "2024-01-15T23:60:00Z",
        "0000-01-01T00:00:00Z",
        "0000-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-23:59",
        "2024-01-15T11:00:01ZZ",
        "2024-01-15T11:00:01Z ",
        " 2024-01-15T11:00:01Z",
        "2024-1-15T11:00:01Z",
        "+2024-01-15T11:00:01Z",
        "2024-01-15T11:00:01.\u{e9}Z",
        "2024-01-15T11:00:01\u{e9}",
        "2024-01-15\u{e9}11:00:01Z",
        "",
        "Z",
        "garbage",
        "2024-01-15",
    ];

    const NAIVE: &[&str] = &[
        "2024-01-15T11:00:01",
        "2024-01-15T11:00:01.5",
        "2024-01-15T11:00:01.123456789123",
        "2024-01-15T11:00:01.",
        "2024-01-15T11:00:01.5x",
        "2024-01-15T11:00:01Z",
        "2024-01-15t11:00:01",
        "2024-01-15 11:00:01",
        "2024-1-5T1:2:3",
        "2024- 01-15T11:00:01",
        "2024-01-15T 11:00:01",
        "2024-01-15T11:00:\u{3000}01",
        "+2024-01-15T11:00:01",
        "-0001-01-15T11:00:01",
        "+000000002024-01-15T11:00:01",
        "-99999999999999999999-01-15T11:00:01",
        "+262144-01-15T11:00:01",
        "12345-01-15T11:00:01",
        "24-01-15T11:00:01",
        "2024-01-15T11:00:60",
        "2024-01-15T11:00:60.25",
        "2024-01-15T11:00:61",
        "2024-02-30T11:00:01",
        "2024-01-15T11:00",
        "2024-01-15T11:00:01 ",
        "-",
        "+",
        "- 2024-01-15T11:00:01",
        " +2024-01-15T11:00:01",
        "",
    ];

    #[test]
    fn rfc3339_reads_as_chrono_does() {
        for s in RFC3339.iter().chain(NAIVE) {
            same(parse_rfc3339(s), chrono_rfc3339(s), s);
        }
    }

    #[test]
    fn zoneless_iso_reads_as_chrono_does() {
        for s in NAIVE.iter().chain(RFC3339) {
            same(parse_naive_iso(s), chrono_naive(s), s);
        }
    }

    #[test]
    fn known_values() {
        let t = parse_rfc3339("2024-01-15T11:00:01.250+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2024-01-15T10:00:01.250+00:00");
        let leap = parse_rfc3339("2016-12-31T23:59:60.5Z").unwrap();
        assert_eq!(leap.timestamp_subsec_nanos(), 1_500_000_000);
        let http = parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(http.to_rfc3339(), "1994-11-06T08:49:37+00:00");
    }

    const HTTP: &[&str] = &[
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "sun, 06 nov 1994 08:49:37 gmt",
        "SUN, 06 NOV 1994 08:49:37 GMT",
        "Mon, 06 Nov 1994 08:49:37 GMT",
        "Wed, 01 Jan 2026 00:00:10 GMT",
        "Thu, 01 Jan 2026 00:00:10 GMT",
        "Wed, 31 Dec 2025 23:59:60 GMT",
        "Wed, 31 Dec 2025 23:59:61 GMT",
        "Wed, 31 Dec 2025 24:00:00 GMT",
        "Wed, 31 Dec 2025 23:60:00 GMT",
        "Tue, 31 Feb 2026 00:00:00 GMT",
        "Sat, 00 Jan 2000 00:00:00 GMT",
        "Sat, 01 Jan 2000 00:00:00 UTC",
        "Sat, 01 Jan 2000 00:00:00 GMX",
        "Sat, 01 Jan 2000 00:00:00 GM1",
        "Sat, 01 Jan 2000 00:00:00  GMT",
        "Sat,01 Jan 2000 00:00:00 GMT",
        "Sat, 01 Jan 2000 00:00 GMT",
        "Sat, 01 Jan 2000 00:00:0a GMT",
        "Sat, 01 Jax 2000 00:00:00 GMT",
        "Sax, 01 Jan 2000 00:00:00 GMT",
        "Sat, 01 J\u{e9} 2000 00:00:00 GMT",
        "",
        "GMT",
        "120",
    ];

    /// Every IMF-fixdate reads as chrono reads it; what we refuse beyond that is chrono's
    /// wider RFC 2822 (numeric zones, two-digit years, comments), which HTTP does not send.
    #[test]
    fn http_dates_read_as_chrono_does() {
        for s in HTTP {
            let ours = parse_imf_fixdate(s);
            if ours.is_some() || is_fixdate_shape(s) {
                same(ours, chrono_http(s), s);
            }
        }
        assert!(parse_imf_fixdate("Sun, 06 Nov 1994 08:49:37 GMT").is_some());
        assert!(parse_imf_fixdate("Wed, 31 Dec 2025 23:59:60 GMT").is_some());
        assert!(parse_imf_fixdate("Mon, 06 Nov 1994 08:49:37 GMT").is_none());
    }

    /// The IMF-fixdate layout with ASCII letters and digits in their places (values may be
    /// out of range): chrono must agree on these.
    fn is_fixdate_shape(s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 29
            && b.iter().enumerate().all(|(i, c)| match i {
                0..=2 | 8..=10 => c.is_ascii_alphabetic(),
                26..=28 => c.eq_ignore_ascii_case(&b"GMT"[i - 26]),
                3 => *c == b',',
                4 | 7 | 11 | 16 | 25 => *c == b' ',
                19 | 22 => *c == b':',
                _ => c.is_ascii_digit(),
            })
    }

    /// Characters the formats are made of, and some that are not.
    const ALPHABET: &str = "[0-9:.+\\-TtZz \u{2212}\u{e9}x]";

    /// A valid timestamp with a few characters replaced, dropped or added.
    fn mutated(base: &'static [&'static str]) -> impl Strategy<Value = String> {
        (
            proptest::sample::select(base),
            proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, ALPHABET), 0..4),
        )
            .prop_map(|(s, edits)| {
                let mut c: Vec<char> = s.chars().collect();
                for (at, op, with) in edits {
                    let w = with.chars().next().unwrap();
                    match op {
                        0 if !c.is_empty() => {
                            let i = at.index(c.len());
                            c[i] = w;
                        }
                        1 if !c.is_empty() => {
                            c.remove(at.index(c.len()));
                        }
                        _ => c.insert(at.index(c.len() + 1), w),
                    }
                }
                c.into_iter().collect()
            })
    }

    const VALID: &[&str] = &[
        "2024-01-15T11:00:01Z",
        "2024-02-29T23:59:59.987654321+05:30",
        "2016-12-31T23:59:60.5-01:00",
        "0000-01-01t00:00:00.000z",
        "9999-12-31 23:59:59.1\u{2212}23:59",
        "2024-01-15T11:00:01.123456",
        "2024-1-5T1:2:3",
    ];

    const VALID_HTTP: &[&str] = &[
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Wed, 31 Dec 2025 23:59:60 GMT",
        "Thu, 29 Feb 2024 12:00:00 gmt",
    ];

    proptest! {
        #[test]
        fn iso_matches_chrono_near_valid(s in mutated(VALID)) {
            same(parse_rfc3339(&s), chrono_rfc3339(&s), &s);
            same(parse_naive_iso(&s), chrono_naive(&s), &s);
        }

        #[test]
        fn iso_matches_chrono_on_any_string(s in "[0-9:.+\\-TtZz \u{2212}\u{e9}x]{0,40}") {
            same(parse_rfc3339(&s), chrono_rfc3339(&s), &s);
            same(parse_naive_iso(&s), chrono_naive(&s), &s);
        }

        #[test]
        fn generated_values_round_trip(
            secs in -62_135_510_400i64..253_402_214_399,
            nanos in 0u32..1_000_000_000,
            off_min in -1439i32..1440,
            digits in 0usize..12,
            sep in prop::sample::select(vec!['T', 't', ' ']),
        ) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            let tz = FixedOffset::east_opt(off_min * 60).unwrap();
            let local = t.with_timezone(&tz).naive_local();
            let frac = format!("{:09}", nanos);
            let frac = if digits == 0 { String::new() } else if digits <= 9 {
                format!(".{}", &frac[..digits])
            } else {
                format!(".{frac}{}", "7".repeat(digits - 9))
            };
            let s = format!("{}{sep}{}{frac}{}", local.format("%Y-%m-%d"), local.format("%H:%M:%S"), tz);
            same(parse_rfc3339(&s), chrono_rfc3339(&s), &s);
            prop_assert!(parse_rfc3339(&s).is_some());
            let naive = format!("{}T{}{frac}", local.format("%Y-%m-%d"), local.format("%H:%M:%S"));
            same(parse_naive_iso(&naive), chrono_naive(&naive), &naive);
        }

        #[test]
        fn http_dates_match_chrono(s in mutated(VALID_HTTP)) {
            let ours = parse_imf_fixdate(&s);
            if ours.is_some() || is_fixdate_shape(&s) {
                same(ours, chrono_http(&s), &s);
            }
        }

        #[test]
        fn every_day_as_a_server_writes_it(days in -700_000i64..2_900_000, secs in 0u32..86_400) {
            let t = DateTime::from_timestamp(days * 86_400 + i64::from(secs), 0).unwrap();
            if (0..=9999).contains(&t.year()) {
                let s = t.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
                prop_assert_eq!(parse_imf_fixdate(&s), Some(t));
                same(parse_imf_fixdate(&s), chrono_http(&s), &s);
            }
        }

        #[test]
        fn garbage_never_panics(s in "\\PC{0,40}") {
            let _ = parse_rfc3339(&s);
            let _ = parse_naive_iso(&s);
            let _ = parse_imf_fixdate(&s);
        }
    }
}
