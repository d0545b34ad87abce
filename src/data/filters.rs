//! The explorer's typed filters, sort order and columns, as the URL holds them. Pure:
//! host-tested, and checked against a naive reference in `tests/index_props.rs`.

use chrono::{DateTime, Duration, Timelike, Utc};
use hookscope_core::domain::{Delivery, DeliveryStatus, Vendor};

/// An HTTP-code filter: a class (`4xx`), an exact code (`404`) or "no answer".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeFilter {
    /// The target never answered (timeout, refused, pending).
    None,
    /// `1`..=`5`: every code of that hundred.
    Class(u8),
    Exact(u16),
}

impl CodeFilter {
    pub fn parse(s: &str) -> Option<CodeFilter> {
        let s = s.trim();
        if s == "none" {
            return Some(CodeFilter::None);
        }
        if let Some(d) = s.strip_suffix("xx") {
            return match d.parse::<u8>() {
                Ok(c @ 1..=5) if d.len() == 1 => Some(CodeFilter::Class(c)),
                _ => None,
            };
        }
        match s.parse::<u16>() {
            Ok(c @ 100..=999) if s.len() == 3 => Some(CodeFilter::Exact(c)),
            _ => None,
        }
    }

    pub fn id(self) -> String {
        match self {
            CodeFilter::None => "none".into(),
            CodeFilter::Class(c) => format!("{c}xx"),
            CodeFilter::Exact(c) => c.to_string(),
        }
    }

    pub fn label(self) -> String {
        match self {
            CodeFilter::None => "no answer".into(),
            other => other.id(),
        }
    }

    pub fn matches(self, code: Option<u16>) -> bool {
        match (self, code) {
            (CodeFilter::None, c) => c.is_none(),
            (CodeFilter::Class(k), Some(c)) => c / 100 == u16::from(k),
            (CodeFilter::Exact(e), Some(c)) => c == e,
            (_, None) => false,
        }
    }
}

/// A relative window ending now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Span {
    Hour,
    Day,
    Week,
    Month,
}

impl Span {
    pub const ALL: [Span; 4] = [Span::Hour, Span::Day, Span::Week, Span::Month];

    pub fn id(self) -> &'static str {
        match self {
            Span::Hour => "1h",
            Span::Day => "24h",
            Span::Week => "7d",
            Span::Month => "30d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Span::Hour => "last hour",
            Span::Day => "last 24 hours",
            Span::Week => "last 7 days",
            Span::Month => "last 30 days",
        }
    }

    pub fn parse(s: &str) -> Option<Span> {
        Span::ALL.into_iter().find(|x| x.id() == s)
    }

    pub fn duration(self) -> Duration {
        match self {
            Span::Hour => Duration::hours(1),
            Span::Day => Duration::hours(24),
            Span::Week => Duration::days(7),
            Span::Month => Duration::days(30),
        }
    }
}

/// Which deliveries by the time of their last attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TimeRange {
    #[default]
    Any,
    /// The last hour, day, … (stays true as time passes).
    Last(Span),
    /// Absolute bounds, each optional, whole seconds (UTC).
    Between {
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    },
}

impl TimeRange {
    /// Absolute bounds; none at all is no filter.
    pub fn between(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> TimeRange {
        if from.is_none() && to.is_none() {
            TimeRange::Any
        } else {
            TimeRange::Between { from, to }
        }
    }

    /// The bounds at `now`.
    pub fn bounds(self, now: DateTime<Utc>) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        match self {
            TimeRange::Any => (None, None),
            TimeRange::Last(s) => (now.checked_sub_signed(s.duration()), None),
            TimeRange::Between { from, to } => (from, to),
        }
    }

    pub fn is_any(self) -> bool {
        matches!(
            self,
            TimeRange::Any
                | TimeRange::Between {
                    from: None,
                    to: None
                }
        )
    }
}

/// Parses a `datetime-local`-shaped value (`YYYY-MM-DDTHH:MM`, optionally `:SS`) as UTC.
/// Read by hand rather than with chrono's format strings: the URL is parsed before the
/// first paint, and chrono's format-string parser would come into the first download.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let b = s.trim().as_bytes();
    if b.len() != 16 && b.len() != 19 {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':')];
    if seps.iter().any(|&(i, c)| b[i] != c) || (b.len() == 19 && b[16] != b':') {
        return None;
    }
    let sec = if b.len() == 19 { num(17, 2)? } else { 0 };
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 2)?, num(8, 2)?)?;
    Some(date.and_hms_opt(num(11, 2)?, num(14, 2)?, sec)?.and_utc())
}

/// The URL form of a time: minutes when the seconds are zero, else seconds.
pub fn write_time(t: DateTime<Utc>) -> String {
    let minutes = crate::format::date_and_minutes(&t, 'T');
    if t.second() == 0 {
        minutes
    } else {
        format!("{minutes}:{:02}", t.second())
    }
}

/// A vendor, or one connection of a vendor: `bland` or `bland:Support desk`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    pub vendor: Vendor,
    pub conn: Option<String>,
}

impl Source {
    pub fn parse(s: &str) -> Option<Source> {
        let (v, conn) = match s.split_once(':') {
            Some((v, c)) if !c.is_empty() => (v, Some(c.to_string())),
            Some(_) => return None,
            None => (s, None),
        };
        Some(Source {
            vendor: Vendor::parse(v)?,
            conn,
        })
    }

    pub fn id(&self) -> String {
        match &self.conn {
            Some(c) => format!("{}:{c}", self.vendor.id()),
            None => self.vendor.id().to_string(),
        }
    }

    pub fn matches(&self, vendor: Vendor, conn: &str) -> bool {
        self.vendor == vendor && self.conn.as_deref().is_none_or(|c| c == conn)
    }
}

/// Every filter; each empty list or empty text means "no filter". Filters combine with
/// AND; the values within one filter with OR.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FilterSet {
    pub status: Vec<DeliveryStatus>,
    pub event: Vec<String>,
    pub code: Vec<CodeFilter>,
    pub source: Vec<Source>,
    pub q: String,
    pub time: TimeRange,
}

impl FilterSet {
    pub fn is_active(&self) -> bool {
        !(self.status.is_empty()
            && self.event.is_empty()
            && self.code.is_empty()
            && self.source.is_empty()
            && self.q.trim().is_empty()
            && self.time.is_any())
    }

    /// Problems the values themselves have (e.g. From after To), for display.
    pub fn problems(&self) -> Vec<String> {
        match self.time {
            TimeRange::Between {
                from: Some(f),
                to: Some(t),
            } if f > t => vec!["The From date is after the To date, so nothing can match.".into()],
            _ => vec![],
        }
    }

    /// The search text as compared: trimmed and lowercased, a line break (possible in a
    /// link's `search=`) read as a space: line breaks end the rows' search text.
    pub fn needle(&self) -> String {
        self.q.trim().to_lowercase().replace(['\n', '\r'], " ")
    }
}

/// What a search looks through, lowercased: IDs, subject, event, target URL, each
/// attempt's error, log ID and response body (a line each), and the payload as sent.
/// A long payload (128 bytes or more: most of the text) is searched where it already is
/// when lowercasing would not change it (JSON is mostly lowercase keys, IDs and numbers),
/// so it is not held twice. Appends the row's text to `out` (a scratch string that
/// `SearchText::push` copies into its chunk) and says whether the payload is to be
/// searched in place: a needle (lowercased, without a line break: every line ends with
/// one, so no match runs from one row into the next; a needle cannot hold one, so a
/// multi-line text is found by its lines) is searched in the kept text and, if so
/// marked, in the payload's text.
///
/// A part the row's text already holds is left out: whatever a needle finds in it, it
/// finds where the part already is. Talkover's call ID and event are in its payload and
/// its first log ID in the delivery's ID, a third of the text at 100,000 rows.
pub fn push_search_text(d: &Delivery, out: &mut String) -> bool {
    let start = out.len();
    let payload = (!d.payload.is_null()).then(|| d.payload.text());
    // A short payload is copied, whatever its case: a row's own search then reads one
    // stretch of text instead of two.
    let in_place = payload.is_some_and(|p| {
        p.len() >= IN_PLACE_FROM && p.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    });
    let elsewhere = payload.filter(|_| in_place).unwrap_or("");
    // The longest parts first, so the shorter ones are more often found in them.
    if let (Some(p), false) = (payload, in_place) {
        push_part(out, start, p, "");
    }
    push_part(out, start, &d.id, elsewhere);
    for a in &d.attempts {
        for part in [&a.response_body, &a.log_id, &a.error]
            .into_iter()
            .flatten()
        {
            push_part(out, start, part, elsewhere);
        }
    }
    if let Some(u) = &d.target_url {
        push_part(out, start, u, elsewhere);
    }
    push_part(out, start, &d.subject, elsewhere);
    push_part(out, start, &d.event, elsewhere);
    in_place
}

/// Appends `part`, lowercased, and a line break to `out`, unless the row's text (from
/// `row`) or `elsewhere` (the payload searched in place) already holds it.
fn push_part(out: &mut String, row: usize, part: &str, elsewhere: &str) {
    let at = out.len();
    if part
        .bytes()
        .any(|b| !b.is_ascii() || b.is_ascii_uppercase())
    {
        out.push_str(&part.to_lowercase());
    } else {
        out.push_str(part);
    }
    let (Some(kept), Some(added)) = (out.get(row..at), out.get(at..)) else {
        return;
    };
    if holds(kept, added) || holds(elsewhere, added) {
        out.truncate(at);
    } else {
        out.push('\n');
    }
}

/// Whether `text` holds `part`. For a row's few hundred bytes, a look at each place its
/// first byte occurs is quicker than a general substring search, whose set-up costs more
/// than the search (a tenth of a second more over 100,000 rows' parts); a longer text
/// (a large payload or answer) gets the general search, whose time stays linear where
/// the look at each place would not (a megabyte of one letter).
fn holds(text: &str, part: &str) -> bool {
    let (text, part) = (text.as_bytes(), part.as_bytes());
    if part.len() > text.len() {
        return false;
    }
    if text.len() > SHORT_TEXT {
        return memchr::memmem::find(text, part).is_some();
    }
    let Some((first, rest)) = part.split_first() else {
        return true;
    };
    memchr::memchr_iter(*first, text).any(|i| text.get(i + 1..i + part.len()) == Some(rest))
}

/// Texts up to this long are searched by [`holds`]'s own look.
const SHORT_TEXT: usize = 1024;

/// Payloads this long or longer are searched where they are (when already lowercase).
const IN_PLACE_FROM: usize = 128;

/// Column the table is sorted by; `desc` puts the largest/newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    Time,
    Status,
    Event,
    Code,
    Attempts,
    Latency,
    Vendor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    pub key: SortKey,
    pub desc: bool,
}

impl Default for Sort {
    /// Newest first, as every delivery log reads.
    fn default() -> Self {
        Sort {
            key: SortKey::Time,
            desc: true,
        }
    }
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Vendor,
        SortKey::Status,
        SortKey::Event,
        SortKey::Code,
        SortKey::Attempts,
        SortKey::Latency,
        SortKey::Time,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SortKey::Time => "time",
            SortKey::Status => "status",
            SortKey::Event => "event",
            SortKey::Code => "code",
            SortKey::Attempts => "attempts",
            SortKey::Latency => "latency",
            SortKey::Vendor => "vendor",
        }
    }
}

impl Sort {
    /// `time`, `-time`, `latency`, … (a leading `-` means descending). Unknown: None.
    pub fn parse(s: &str) -> Option<Sort> {
        let (desc, name) = match s.strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, s),
        };
        SortKey::ALL
            .into_iter()
            .find(|k| k.id() == name)
            .map(|key| Sort { key, desc })
    }

    pub fn to_param(self) -> String {
        if self == Sort::default() {
            String::new()
        } else if self.desc {
            format!("-{}", self.key.id())
        } else {
            self.key.id().to_string()
        }
    }

    /// Clicking a column: the same column flips direction, another starts descending.
    pub fn toggled(self, key: SortKey) -> Sort {
        if self.key == key {
            Sort {
                key,
                desc: !self.desc,
            }
        } else {
            Sort { key, desc: true }
        }
    }
}

/// The table's columns (status is always shown; the others can be hidden).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Vendor,
    Connection,
    Event,
    Subject,
    Code,
    Attempts,
    Latency,
    Time,
    Target,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::Vendor,
        Column::Connection,
        Column::Event,
        Column::Subject,
        Column::Code,
        Column::Attempts,
        Column::Latency,
        Column::Time,
        Column::Target,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Column::Vendor => "vendor",
            Column::Connection => "connection",
            Column::Event => "event",
            Column::Subject => "subject",
            Column::Code => "code",
            Column::Attempts => "attempts",
            Column::Latency => "latency",
            Column::Time => "time",
            Column::Target => "target",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Vendor => "Vendor",
            Column::Connection => "Connection",
            Column::Event => "Event",
            Column::Subject => "Subject",
            Column::Code => "HTTP",
            Column::Attempts => "Attempts",
            Column::Latency => "Latency",
            Column::Time => "Last attempt",
            Column::Target => "Target",
        }
    }

    pub fn parse(s: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.id() == s)
    }

    /// The column sorted by this key, if it has one.
    pub fn sort_key(self) -> Option<SortKey> {
        match self {
            Column::Vendor => Some(SortKey::Vendor),
            Column::Event => Some(SortKey::Event),
            Column::Code => Some(SortKey::Code),
            Column::Attempts => Some(SortKey::Attempts),
            Column::Latency => Some(SortKey::Latency),
            Column::Time => Some(SortKey::Time),
            Column::Connection | Column::Subject | Column::Target => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `holds` answers as `str::contains` does, for short texts and long ones, and a
    /// megabyte of one letter against a long part of it takes no time to speak of (the
    /// look at each place would compare 10,000 bytes a million times).
    #[test]
    fn holds_is_contains_and_stays_linear() {
        for (text, part) in [
            ("abc", ""),
            ("", ""),
            ("", "a"),
            ("abc", "abc"),
            ("abc", "abcd"),
            ("xabcabd", "abd"),
            ("aab", "ab"),
            ("ümlaut", "ml"),
        ] {
            assert_eq!(holds(text, part), text.contains(part), "{text:?} {part:?}");
        }
        let long = "a".repeat(1 << 20);
        let part = format!("{}b", "a".repeat(10_000));
        let started = std::time::Instant::now();
        assert!(!holds(&long, &part));
        assert!(holds(&long, &part[..10_000]));
        // Generous: the quadratic look took minutes; linear takes milliseconds.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn times_parse_as_chrono_would_and_write_back() {
        let chrono_parse = |s: &str| {
            let s = s.trim();
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
                .ok()
                .map(|n| n.and_utc())
        };
        for s in [
            "2026-11-24T13:05",
            " 2026-11-24T13:05:09 ",
            "2024-02-29T00:00",
            "2025-02-29T00:00",
            "2026-13-01T00:00",
            "2026-11-24T24:00",
            "2026-11-24T13:60",
            "2026-11-24T13:05:61",
            "2026-11-24 13:05",
            "2026-11-24T13:05:",
            "2026-11-24T13:05Z",
            "２026-11-24T13:05",
            "",
        ] {
            assert_eq!(parse_time(s), chrono_parse(s), "{s:?}");
        }
        // Stricter than chrono on purpose: a browser's datetime-local and our own links
        // always write two digits.
        assert_eq!(parse_time("2026-11-24T13:5"), None);
        assert_eq!(parse_time("+026-11-24T13:05"), None);
        let t = parse_time("2026-11-24T13:05:09").unwrap();
        assert_eq!(write_time(t), "2026-11-24T13:05:09");
        assert_eq!(parse_time(&write_time(t)), Some(t));
        let m = parse_time("0999-01-02T03:04").unwrap();
        assert_eq!(write_time(m), "0999-01-02T03:04");
    }

    #[test]
    fn codes_parse_and_match() {
        assert_eq!(CodeFilter::parse("4xx"), Some(CodeFilter::Class(4)));
        assert_eq!(CodeFilter::parse("404"), Some(CodeFilter::Exact(404)));
        assert_eq!(CodeFilter::parse("none"), Some(CodeFilter::None));
        for bad in ["6xx", "0xx", "44xx", "42", "4040", "+404", "", "xx"] {
            assert_eq!(CodeFilter::parse(bad), None, "{bad}");
        }
        assert!(CodeFilter::Class(5).matches(Some(503)));
        assert!(!CodeFilter::Class(5).matches(None));
        assert!(CodeFilter::None.matches(None));
        assert!(CodeFilter::Exact(200).matches(Some(200)));
        for c in ["none", "2xx", "418"] {
            assert_eq!(CodeFilter::parse(c).unwrap().id(), c);
        }
    }

    #[test]
    fn sources_name_a_vendor_or_one_connection() {
        let s = Source::parse("bland:Support: EU").unwrap();
        assert_eq!(s.conn.as_deref(), Some("Support: EU"));
        assert!(s.matches(Vendor::Bland, "Support: EU"));
        assert!(!s.matches(Vendor::Bland, "Other"));
        assert!(Source::parse("bland").unwrap().matches(Vendor::Bland, "x"));
        assert_eq!(Source::parse("bland:"), None);
        assert_eq!(Source::parse("nope"), None);
        assert_eq!(Source::parse("bland:A b").unwrap().id(), "bland:A b");
    }

    #[test]
    fn time_ranges() {
        let now = parse_time("2026-01-02T00:00").unwrap();
        assert_eq!(
            TimeRange::Last(Span::Day).bounds(now).0,
            parse_time("2026-01-01T00:00")
        );
        assert_eq!(
            write_time(parse_time("2026-01-01T10:11:12").unwrap()),
            "2026-01-01T10:11:12"
        );
        assert_eq!(
            write_time(parse_time("2026-01-01T10:11").unwrap()),
            "2026-01-01T10:11"
        );
        let backwards = FilterSet {
            time: TimeRange::Between {
                from: parse_time("2026-02-01T00:00"),
                to: parse_time("2026-01-01T00:00"),
            },
            ..Default::default()
        };
        assert_eq!(backwards.problems().len(), 1);
        assert!(TimeRange::Between {
            from: None,
            to: None
        }
        .is_any());
    }

    #[test]
    fn sort_params() {
        assert_eq!(Sort::parse("bogus"), None);
        assert_eq!(Sort::parse("-latency").unwrap().to_param(), "-latency");
        assert_eq!(Sort::default().to_param(), "");
        assert_eq!(
            Sort::default().toggled(SortKey::Time),
            Sort {
                key: SortKey::Time,
                desc: false
            }
        );
    }
}
