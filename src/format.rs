//! Display helpers: relative times, durations, codes. Pure, so host-testable.

use chrono::{DateTime, Utc};
use hookscope_core::domain::Timestamp;

/// The most of one vendor text (a payload, a body, a value) put into the page at once:
/// a multi-megabyte string in the DOM freezes the tab for many seconds. The rest is one
/// click away (copy, download).
pub const SCREEN_TEXT_BYTES: usize = 256 * 1024;
/// The most of one scalar value shown in a tree line.
pub const SCREEN_VALUE_CHARS: usize = 2_000;

/// The first part of `s` that fits in `max` bytes (cut on a character boundary), and how
/// many bytes were left out.
pub fn clip(s: &str, max: usize) -> (&str, usize) {
    if s.len() <= max {
        return (s, 0);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (&s[..end], s.len() - end)
}

/// "3 min ago", "in 2 h" (clock skew), "just now".
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds();
    let (abs, future) = (secs.unsigned_abs(), secs < 0);
    let text = match abs {
        0..=9 => return "just now".into(),
        10..=59 => format!("{abs} s"),
        60..=3599 => format!("{} min", abs / 60),
        3600..=86_399 => format!("{} h", abs / 3600),
        _ => format!("{} d", abs / 86_400),
    };
    if future {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

/// How absolute times are shown: the browser's time zone or UTC (`time-zone`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zone {
    #[default]
    Local,
    Utc,
}

impl Zone {
    pub fn id(self) -> &'static str {
        match self {
            Zone::Local => "local",
            Zone::Utc => "utc",
        }
    }

    pub fn parse(s: &str) -> Option<Zone> {
        [Zone::Local, Zone::Utc].into_iter().find(|z| z.id() == s)
    }
}

/// `2026-01-02 10:00:00.000 UTC`, or in local time with its offset (`+01:00`).
/// Written out by hand, not with chrono's format strings, whose parser is a large part
/// of chrono's download.
pub fn absolute(t: DateTime<Utc>, zone: Zone) -> String {
    use chrono::{Offset, Timelike};
    let (local, zone_text) = match zone {
        Zone::Utc => (t.naive_utc(), "UTC".to_string()),
        Zone::Local => {
            let l = t.with_timezone(&chrono::Local);
            let off = l.offset().fix().local_minus_utc();
            let sign = if off < 0 { '-' } else { '+' };
            // To the nearest minute, as chrono's `%:z` (old local mean times have seconds).
            let off = (off.unsigned_abs() + 30) / 60;
            (
                l.naive_local(),
                format!("{sign}{:02}:{:02}", off / 60, off % 60),
            )
        }
    };
    format!(
        "{}:{:02}.{:03} {zone_text}",
        date_and_minutes(&local, ' '),
        local.second(),
        local.nanosecond() % 1_000_000_000 / 1_000_000,
    )
}

/// `2026-01-02 10:00` with `sep` between date and time (`T` in links, a space on screen).
pub fn date_and_minutes(t: &(impl chrono::Datelike + chrono::Timelike), sep: char) -> String {
    format!(
        "{:04}-{:02}-{:02}{sep}{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// Relative text and the absolute time for the hover title.
pub fn time_cell(t: Option<&Timestamp>, now: DateTime<Utc>) -> (String, String) {
    time_cell_in(t, now, Zone::Utc)
}

/// [`time_cell`] with the absolute time in `zone`.
pub fn time_cell_in(t: Option<&Timestamp>, now: DateTime<Utc>, zone: Zone) -> (String, String) {
    (time_text(t, now), time_title(t, zone))
}

/// The cell's text: relative to `now` ([`time_cell`]'s first half).
pub fn time_text(t: Option<&Timestamp>, now: DateTime<Utc>) -> String {
    match t {
        None => "—".into(),
        Some(ts) => match ts.parsed {
            Some(p) => relative(p, now),
            // Unparsable: show what the vendor wrote.
            None => ts.raw().into_owned(),
        },
    }
}

/// The cell's hover title: the absolute time in `zone` ([`time_cell_in`]'s second half).
pub fn time_title(t: Option<&Timestamp>, zone: Zone) -> String {
    match t {
        None => "no time given".into(),
        Some(ts) => match ts.parsed {
            Some(p) => absolute(p, zone),
            None => format!("unrecognised time format: {}", ts.raw()),
        },
    }
}

pub fn duration(ms: Option<u64>) -> String {
    match ms {
        None => "—".into(),
        Some(ms) if ms < 1000 => format!("{ms} ms"),
        Some(ms) if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        Some(ms) => format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000),
    }
}

/// `100000` → `100,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn http_code(code: Option<u16>) -> String {
    code.map(|c| c.to_string()).unwrap_or_else(|| "—".into())
}

/// Pretty JSON as text (never HTML).
pub fn pretty_json(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// A response body: pretty-printed if it is JSON, as it came otherwise.
pub fn pretty_body(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) if v.is_object() || v.is_array() => pretty_json(&v),
        _ => body.to_string(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn clip_cuts_on_char_boundaries() {
        assert_eq!(clip("abc", 5), ("abc", 0));
        assert_eq!(clip("ééé", 3), ("é", 4));
        assert_eq!(clip("abcdef", 4), ("abcd", 2));
    }

    use super::*;

    #[test]
    fn absolute_times_read_as_chrono_formats_them() {
        for raw in [
            "2026-01-02T10:00:00Z",
            "2026-11-24T23:59:59.999Z",
            "0999-03-04T05:06:07.5Z",
            "2026-07-01T00:00:00.000999Z",
        ] {
            let t = DateTime::parse_from_rfc3339(raw).unwrap().to_utc();
            assert_eq!(
                absolute(t, Zone::Utc),
                t.format("%Y-%m-%d %H:%M:%S%.3f UTC").to_string()
            );
            assert_eq!(
                absolute(t, Zone::Local),
                t.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M:%S%.3f %:z")
                    .to_string()
            );
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn relative_times() {
        let now = at("2026-01-02T00:00:00Z");
        assert_eq!(relative(at("2026-01-01T23:59:58Z"), now), "just now");
        assert_eq!(relative(at("2026-01-01T23:57:00Z"), now), "3 min ago");
        assert_eq!(relative(at("2026-01-01T00:00:00Z"), now), "1 d ago");
        assert_eq!(relative(at("2026-01-02T02:00:00Z"), now), "in 2 h");
    }

    #[test]
    fn thousands_separated() {
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
    }

    #[test]
    fn durations_and_bodies() {
        assert_eq!(duration(Some(142)), "142 ms");
        assert_eq!(duration(Some(8021)), "8.0 s");
        assert_eq!(duration(None), "—");
        assert_eq!(pretty_body("{\"a\":1}"), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_body("<b>x</b>"), "<b>x</b>");
    }
}
