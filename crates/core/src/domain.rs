//! The vendor-neutral model. Pages and components only ever see these types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The platforms whose webhook logs the console reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    Bland,
    Burki,
    Talkover,
}

impl Vendor {
    pub const ALL: [Vendor; 3] = [Vendor::Bland, Vendor::Burki, Vendor::Talkover];

    /// Stable lowercase id, used in `data-vendor` and `<select>` values.
    pub fn id(self) -> &'static str {
        match self {
            Vendor::Bland => "bland",
            Vendor::Burki => "burki",
            Vendor::Talkover => "talkover",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Vendor::Bland => "Bland",
            Vendor::Burki => "Burki",
            Vendor::Talkover => "Talkover",
        }
    }

    /// The vendor's public API host; a connection may point elsewhere (a proxy).
    pub fn default_base_url(self) -> &'static str {
        match self {
            Vendor::Bland => "https://api.bland.ai",
            Vendor::Burki => "https://api.burki.dev",
            Vendor::Talkover => "https://app.talkover.ai",
        }
    }

    pub fn parse(s: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.id() == s)
    }
}

/// Where a delivery stands now (taken from its latest attempt).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Success,
    Failed,
    Pending,
    Retrying,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 4] = [
        DeliveryStatus::Success,
        DeliveryStatus::Failed,
        DeliveryStatus::Retrying,
        DeliveryStatus::Pending,
    ];

    /// Where this status stands in [`DeliveryStatus::ALL`] (for per-status counters).
    pub fn position(self) -> usize {
        match self {
            DeliveryStatus::Success => 0,
            DeliveryStatus::Failed => 1,
            DeliveryStatus::Retrying => 2,
            DeliveryStatus::Pending => 3,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            DeliveryStatus::Success => "success",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Retrying => "retrying",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|v| v.id() == s)
    }
}

/// The result of one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The target answered 2xx.
    Success,
    /// The target answered non-2xx, or could not be reached.
    Failed,
    /// Queued, not sent yet.
    Pending,
    /// Failed, and the vendor will try again by itself.
    Retrying,
}

impl Outcome {
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failed => "failed",
            Outcome::Pending => "pending",
            Outcome::Retrying => "retrying",
        }
    }

    /// Outcome from an HTTP code alone: 2xx is success, anything else (or none) failed.
    pub fn from_http(code: Option<u16>) -> Outcome {
        match code {
            Some(c) if (200..300).contains(&c) => Outcome::Success,
            _ => Outcome::Failed,
        }
    }
}

/// A timestamp as the vendor wrote it, plus its parsed value when it parsed. The text is
/// kept only where `parsed` would not write it back (RFC 3339 in UTC with `Z` and 0, 3, 6
/// or 9 digits of fraction is the usual case): two timestamps a delivery cost 64 bytes,
/// 6 MB at 100,000 rows. Serialized as `{"raw", "parsed"}` all the same.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "TimestampWire", into = "TimestampWire")]
pub struct Timestamp {
    /// The vendor's text, where it is not what `parsed` writes.
    written: Option<Box<str>>,
    pub parsed: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize)]
struct TimestampWire {
    raw: String,
    parsed: Option<DateTime<Utc>>,
}

impl From<TimestampWire> for Timestamp {
    fn from(w: TimestampWire) -> Timestamp {
        Timestamp::new(&w.raw, w.parsed)
    }
}

impl From<Timestamp> for TimestampWire {
    fn from(t: Timestamp) -> TimestampWire {
        TimestampWire {
            raw: t.raw().into_owned(),
            parsed: t.parsed,
        }
    }
}

impl Timestamp {
    pub fn parse(raw: &str) -> Timestamp {
        Timestamp::new(raw, Timestamp::read(raw))
    }

    /// The time `raw` says, without keeping its text (for sorting).
    pub fn read(raw: &str) -> Option<DateTime<Utc>> {
        // By hand, as chrono's `parse_from_rfc3339` and `parse_from_str` read them
        // (crate::datetime): chrono's format parser stays out of the wasm.
        crate::datetime::parse_rfc3339(raw.trim())
            // Some APIs omit the zone ("2024-01-15T11:00:01"): read it as UTC.
            .or_else(|| crate::datetime::parse_naive_iso(raw.trim()))
    }

    /// `raw` as written, with `parsed` its value (if it has one).
    pub fn new(raw: &str, parsed: Option<DateTime<Utc>>) -> Timestamp {
        // Only a text of the right shape is worth writing out to compare.
        let shaped = raw.ends_with('Z') && matches!(raw.len(), 20 | 24 | 27 | 30);
        let same = shaped && parsed.is_some_and(|p| writes_back(p, raw));
        Timestamp {
            written: (!same).then(|| raw.into()),
            parsed,
        }
    }

    /// The text as the vendor wrote it.
    pub fn raw(&self) -> std::borrow::Cow<'_, str> {
        match (&self.written, self.parsed) {
            (Some(w), _) => std::borrow::Cow::Borrowed(w),
            (None, Some(p)) => std::borrow::Cow::Owned(written_back(p)),
            (None, None) => std::borrow::Cow::Borrowed(""),
        }
    }
}

fn written_back(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Whether [`written_back`] gives `raw`, without writing a string: every log of a lookup
/// asks, and chrono's writer was a tenth of grouping 100,000 Talkover logs. Years past
/// 9999 and leap seconds, which chrono writes its own way, are asked of chrono.
fn writes_back(t: DateTime<Utc>, raw: &str) -> bool {
    use chrono::{Datelike, Timelike};
    let (date, nanos) = (t.date_naive(), t.nanosecond());
    if !(0..=9999).contains(&date.year()) || nanos >= 1_000_000_000 {
        return written_back(t) == raw;
    }
    // AutoSi: no fraction, or milli-, micro- or nanoseconds, whichever is exact.
    let frac = match nanos {
        0 => None,
        n if n % 1_000_000 == 0 => Some((n / 1_000_000, 3)),
        n if n % 1_000 == 0 => Some((n / 1_000, 6)),
        n => Some((n, 9)),
    };
    let mut out = Digits::default();
    out.num(date.year() as u32, 4);
    out.byte(b'-');
    out.num(date.month(), 2);
    out.byte(b'-');
    out.num(date.day(), 2);
    out.byte(b'T');
    out.num(t.hour(), 2);
    out.byte(b':');
    out.num(t.minute(), 2);
    out.byte(b':');
    out.num(t.second(), 2);
    if let Some((f, digits)) = frac {
        out.byte(b'.');
        out.num(f, digits);
    }
    out.byte(b'Z');
    out.text() == raw.as_bytes()
}

/// A timestamp written into a fixed buffer (at most `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`).
#[derive(Default)]
struct Digits {
    buf: [u8; 30],
    len: usize,
}

impl Digits {
    fn byte(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len = self.len.saturating_add(1);
        }
    }

    /// `n`'s last `digits` digits, zero-padded.
    fn num(&mut self, mut n: u32, digits: usize) {
        let end = self.len.saturating_add(digits);
        let Some(slots) = self.buf.get_mut(self.len..end) else {
            return;
        };
        for slot in slots.iter_mut().rev() {
            // A digit: below 10, so the sum stays a digit's byte.
            *slot = b'0'.saturating_add((n % 10) as u8);
            n /= 10;
        }
        self.len = end;
    }

    fn text(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// One try at delivering a webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// The vendor's id for this attempt where it has one (Burki, Talkover logs).
    pub log_id: Option<Box<str>>,
    /// 1-based position among the delivery's attempts.
    pub number: u32,
    pub at: Option<Timestamp>,
    pub http_code: Option<u16>,
    pub duration_ms: Option<u64>,
    pub outcome: Outcome,
    /// How it was triggered: `spawn`, `resend`, `create` (Bland), `retry`, `auto`, …
    pub trigger: Name,
    pub error: Option<Box<str>>,
    pub response_body: Option<Box<str>>,
    /// The answer's headers as the vendor sent them, kept as JSON text (a parsed map cost
    /// about 450 bytes an attempt: 45 MB at 100,000); read through [`Attempt::headers`].
    pub response_headers: Option<Payload>,
    /// Whether the vendor lets this attempt be retried from the console.
    pub retriable: bool,
}

impl Attempt {
    /// The answer's headers as (name, value) pairs, a value that is not a string written
    /// as JSON; none when there are none or they are not an object.
    pub fn headers(&self) -> Vec<(String, String)> {
        match self.response_headers.as_ref().map(Payload::value) {
            Some(Value::Object(m)) => m
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k, s),
                    v => (k, v.to_string()),
                })
                .collect(),
            _ => vec![],
        }
    }
}

/// A webhook payload as JSON text: exactly as the vendor sent it where that matters
/// (numbers like `1.10` or 23-digit integers), compact (a parsed tree costs several times
/// its text: hundreds of MB at 100,000 deliveries), and parsed only when shown or asked.
/// `None` is no payload (JSON `null`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Payload(Option<Box<str>>);

impl Payload {
    /// From JSON text (trusted to be JSON: the vendor's own text, or one we wrote).
    pub fn from_text(text: &str) -> Payload {
        match text.trim() {
            "" | "null" => Payload(None),
            t => Payload(Some(t.into())),
        }
    }

    /// From JSON text as a vendor sent it (valid JSON, as read by the decoder): the spaces
    /// and line breaks between its tokens dropped and a character written as an escape
    /// that needs none (`\/`, `\u00e9`) written as itself, as serde_json writes it (so a
    /// search for "josé" or a URL finds it); everything else as sent (numbers, key order).
    /// One pass; a text with nothing to change is taken as it is.
    pub fn from_sent(text: &str) -> Payload {
        let t = text.trim();
        let b = t.as_bytes();
        // The changed text of `b[..flushed]`, once something changed.
        let (mut out, mut flushed, mut changed) = (Vec::new(), 0usize, false);
        let mut change = |out: &mut Vec<u8>, at: usize, len: usize, with: &[u8]| {
            out.extend_from_slice(b.get(flushed..at).unwrap_or_default());
            out.extend_from_slice(with);
            flushed = at.saturating_add(len);
            changed = true;
        };
        let mut i = 0usize;
        while let Some(&c) = b.get(i) {
            match c {
                b'"' => {
                    // To the string's end, a quote or an escape at a time (SIMD): only
                    // escapes may change inside.
                    let mut j = i.saturating_add(1);
                    let mut end = b.len();
                    while let Some(k) = memchr::memchr2(b'"', b'\\', b.get(j..).unwrap_or_default())
                    {
                        let at = j.saturating_add(k);
                        if b.get(at) == Some(&b'"') {
                            end = at;
                            break;
                        }
                        let (plain, len) = unescape(b, at);
                        if let Some(ch) = plain {
                            change(&mut out, at, len, ch.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        j = at.saturating_add(len);
                    }
                    i = end.saturating_add(1);
                }
                b' ' | b'\n' | b'\r' | b'\t' => {
                    change(&mut out, i, 1, b"");
                    i = i.saturating_add(1);
                }
                _ => i = i.saturating_add(1),
            }
        }
        if !changed {
            return Payload::from_text(t);
        }
        out.extend_from_slice(b.get(flushed..).unwrap_or_default());
        match String::from_utf8(out) {
            Ok(compact) => Payload::from_text(&compact),
            // Not reached: only whole characters are dropped or written.
            Err(_) => Payload::from_text(t),
        }
    }

    pub fn from_value(v: &Value) -> Payload {
        match v {
            Value::Null => Payload(None),
            v => Payload(Some(v.to_string().into_boxed_str())),
        }
    }

    pub fn is_null(&self) -> bool {
        self.0.is_none()
    }

    /// The JSON text (`null` when there is none).
    pub fn text(&self) -> &str {
        self.0.as_deref().unwrap_or("null")
    }

    /// The payload parsed (a text that is somehow not JSON comes back as a string).
    pub fn value(&self) -> Value {
        match &self.0 {
            None => Value::Null,
            Some(t) => serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string())),
        }
    }

    /// A top-level field as text, for subjects (`call_id`): strings as they are, integers
    /// written out; read from the text each time rather than kept. The other fields are
    /// skipped where they stand (no key or value copied); a field sent twice reads as its
    /// last copy, and a text that is not a JSON object has no field. A text without the key
    /// as written is not read at all (a key spelt with `\u` escapes is not found).
    pub fn field_text(&self, key: &str) -> Option<String> {
        use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
        let t = self.0.as_deref()?;
        if !t.starts_with('{') || !t.contains(key) {
            return None;
        }
        /// Whether a key is the one asked for.
        struct Is<'k>(&'k str);
        impl<'de> DeserializeSeed<'de> for Is<'_> {
            type Value = bool;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
                d.deserialize_str(self)
            }
        }
        impl Visitor<'_> for Is<'_> {
            type Value = bool;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, k: &str) -> Result<bool, E> {
                Ok(k == self.0)
            }
        }
        // Each copy of the field is kept as its text, and only the last one read: an
        // earlier copy too deep or odd to read does not hide it.
        struct Find<'k>(&'k str);
        impl<'de> Visitor<'de> for Find<'_> {
            type Value = Option<Box<serde_json::value::RawValue>>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(hit) = m.next_key_seed(Is(self.0))? {
                    if hit {
                        found = Some(m.next_value()?);
                    } else {
                        m.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(found)
            }
        }
        let mut de = serde_json::Deserializer::from_str(t);
        let raw = de.deserialize_map(Find(key)).ok()?;
        de.end().ok()?;
        match serde_json::from_str::<Value>(raw?.get()).ok()? {
            Value::String(s) => Some(s),
            Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
            _ => None,
        }
    }
}

/// The escape at `b[i]` (a backslash inside a JSON string) and its length: with the
/// character it stands for when serde_json would write that character as itself (`\/`,
/// `\u00e9`, a surrogate pair); `None` for one it would write escaped (a quote, a
/// backslash, a control character) or a lone surrogate.
fn unescape(b: &[u8], i: usize) -> (Option<char>, usize) {
    let hex = |at: usize| {
        b.get(at..at.saturating_add(4))
            .and_then(|h| std::str::from_utf8(h).ok())
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    match b.get(i.saturating_add(1)) {
        Some(b'/') => (Some('/'), 2),
        Some(b'u') => {
            let Some(u) = hex(i.saturating_add(2)) else {
                return (None, 2);
            };
            let (code, len) = if (0xD800..0xDC00).contains(&u) {
                let low = b
                    .get(i.saturating_add(6)..i.saturating_add(8))
                    .filter(|e| *e == b"\\u")
                    .and_then(|_| hex(i.saturating_add(8)))
                    .filter(|l| (0xDC00..0xE000).contains(l));
                match low {
                    // In range: `u` and `l` are surrogates, checked above.
                    Some(l) => (
                        0x10000u32.saturating_add(((u & 0x3FF) << 10) | (l & 0x3FF)),
                        12,
                    ),
                    None => return (None, 6),
                }
            } else {
                (u, 6)
            };
            let plain = char::from_u32(code).filter(|c| *c >= ' ' && !matches!(c, '"' | '\\'));
            (plain, len)
        }
        _ => (None, 2),
    }
}

impl Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            None => s.serialize_unit(),
            // Written out as the JSON it is (exports keep the vendor's exact numbers).
            Some(t) => match serde_json::value::RawValue::from_string(t.to_string()) {
                Ok(raw) => raw.serialize(s),
                Err(_) => s.serialize_str(t),
            },
        }
    }
}

impl<'de> Deserialize<'de> for Payload {
    /// From any JSON value (vendor wire types are read through `Value`, since `RawValue`
    /// does not work under `#[serde(flatten)]`; exact text is attached afterwards where
    /// the numbers need it).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Payload, D::Error> {
        let v = Option::<Value>::deserialize(d)?;
        Ok(v.map(|v| Payload::from_value(&v)).unwrap_or_default())
    }
}

/// A short text that many deliveries share (an event name, an attempt's trigger), held
/// once: 100,000 deliveries of one event point at one copy, where a `String` each cost
/// 30–40 bytes and an allocation. Reads as a `&str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(std::sync::Arc<str>);

impl Name {
    /// The shared copy of `s` (made on first use).
    pub fn new(s: &str) -> Name {
        use std::collections::HashSet;
        use std::sync::Arc;
        thread_local! {
            static NAMES: std::cell::RefCell<HashSet<Arc<str>>> = Default::default();
        }
        NAMES.with(|names| {
            let Ok(mut names) = names.try_borrow_mut() else {
                return Name(Arc::from(s));
            };
            if let Some(n) = names.get(s) {
                return Name(n.clone());
            }
            let n: Arc<str> = Arc::from(s);
            // Names are few (events, triggers, statuses, the webhook IDs looked up); the
            // table is never emptied, so past 1,024 of them a name is a copy of its own,
            // not a table that grows without end.
            if names.len() < 1024 {
                names.insert(n.clone());
            }
            Name(n)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Name {
    fn default() -> Name {
        Name::new("")
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name::new(&s)
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Name::new(&s))
    }
}

/// One webhook message and every attempt made to deliver it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Unique within one lookup result.
    pub id: Box<str>,
    pub vendor: Vendor,
    /// The call, conversation or webhook this delivery belongs to.
    pub subject: Box<str>,
    /// Event kind: `post_call`, `sms_conversation`, `call_ended`, `event_phone_call_ended`, …
    pub event: Name,
    pub target_url: Option<Box<str>>,
    #[serde(default)]
    pub payload: Payload,
    pub created_at: Option<Timestamp>,
    pub status: DeliveryStatus,
    /// Oldest first.
    pub attempts: Vec<Attempt>,
    /// Vendor fields the model has no place for, kept for the JSON export and detail view.
    pub extra: Value,
}

impl Delivery {
    pub fn last_attempt(&self) -> Option<&Attempt> {
        self.attempts.last()
    }

    /// The HTTP code of the latest attempt, if it got one.
    pub fn http_code(&self) -> Option<u16> {
        self.last_attempt().and_then(|a| a.http_code)
    }

    /// When the latest attempt happened (falls back to creation time).
    pub fn last_time(&self) -> Option<&Timestamp> {
        self.last_attempt()
            .and_then(|a| a.at.as_ref())
            .or(self.created_at.as_ref())
    }

    pub fn last_duration_ms(&self) -> Option<u64> {
        self.last_attempt().and_then(|a| a.duration_ms)
    }

    /// Equal in everything but the ID (which [`make_ids_unique`] may have suffixed).
    pub fn same_as(&self, other: &Delivery) -> bool {
        self.vendor == other.vendor
            && self.subject == other.subject
            && self.event == other.event
            && self.target_url == other.target_url
            && self.created_at == other.created_at
            && self.status == other.status
            && self.attempts == other.attempts
            && self.payload == other.payload
            && self.extra == other.extra
    }

    /// Status derived from the latest attempt's outcome.
    pub fn status_from_attempts(attempts: &[Attempt]) -> DeliveryStatus {
        match attempts.last().map(|a| a.outcome) {
            Some(Outcome::Success) => DeliveryStatus::Success,
            Some(Outcome::Retrying) => DeliveryStatus::Retrying,
            Some(Outcome::Pending) | None => DeliveryStatus::Pending,
            Some(Outcome::Failed) => DeliveryStatus::Failed,
        }
    }
}

/// Whether every delivery ID of a list differs, proved a slice at a time ([`Self::step`]):
/// at 100,000 rows the proof took 17 ms as one task on a quick machine. When it says no,
/// [`make_ids_unique`] does the rest.
pub struct IdCheck {
    state: std::hash::RandomState,
    hashes: std::collections::HashSet<u64>,
    pos: usize,
    repeated: bool,
}

impl IdCheck {
    pub fn new(rows: usize) -> IdCheck {
        IdCheck {
            state: std::hash::RandomState::new(),
            hashes: std::collections::HashSet::with_capacity(rows),
            pos: 0,
            repeated: false,
        }
    }

    /// Checks up to `budget` more IDs of `ds` (the same list every call). True when done:
    /// every ID checked, or one hash seen twice.
    pub fn step(&mut self, ds: &[Delivery], budget: usize) -> bool {
        use std::hash::BuildHasher;
        let end = self.pos.saturating_add(budget.max(1)).min(ds.len());
        for d in ds.get(self.pos..end).unwrap_or_default() {
            if !self.hashes.insert(self.state.hash_one(&d.id)) {
                self.repeated = true;
                return true;
            }
        }
        self.pos = end;
        end >= ds.len()
    }

    /// After [`Self::step`] said done: true when every ID differs (a hash seen twice may
    /// still be two IDs: [`make_ids_unique`] tells).
    pub fn all_differ(&self) -> bool {
        !self.repeated
    }
}

/// Makes delivery IDs unique within one result, since vendors' identities are not: the
/// same record can arrive twice (one call ID typed twice, a log repeated across shifted
/// pages) and different records can share one (records without an ID). A delivery equal
/// to one already kept is the same thing and is dropped; a different delivery whose ID is
/// taken gets `~2`, `~3`, … Order is kept. Returns how many were dropped.
pub fn make_ids_unique(ds: &mut Vec<Delivery>) -> usize {
    use std::collections::{HashMap, HashSet};
    let before = ds.len();
    // The usual case, every ID different, costs one hash per row (no copies): a lookup of
    // 100,000 rows must not spend a tenth of a second proving it.
    let mut check = IdCheck::new(before);
    while !check.step(ds, usize::MAX) {}
    if check.all_differ() {
        return 0;
    }
    drop(check);
    // ID → indices (into `kept`) of the deliveries that claimed it.
    let mut by_id: HashMap<Box<str>, Vec<usize>> = HashMap::new();
    let mut taken: HashSet<Box<str>> = HashSet::new();
    let mut kept: Vec<Delivery> = Vec::with_capacity(before);
    for mut d in std::mem::take(ds) {
        let same = by_id.get(&d.id).is_some_and(|idx| {
            idx.iter()
                .any(|i| kept.get(*i).is_some_and(|k| k.same_as(&d)))
        });
        if same {
            continue;
        }
        let original = d.id.clone();
        if taken.contains(&d.id) {
            let mut n = 2u32;
            while taken.contains(format!("{original}~{n}").as_str()) {
                n = n.saturating_add(1);
            }
            d.id = format!("{original}~{n}").into();
        }
        taken.insert(d.id.clone());
        by_id.entry(original).or_default().push(kept.len());
        kept.push(d);
    }
    *ds = kept;
    before.saturating_sub(ds.len())
}

/// Where a call stands, in the few words the console tells apart. The vendor's own word
/// is kept beside it ([`Call::status_word`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallStatus {
    Completed,
    Failed,
    Ongoing,
    Queued,
    Unknown,
}

impl CallStatus {
    pub const ALL: [CallStatus; 5] = [
        CallStatus::Completed,
        CallStatus::Failed,
        CallStatus::Ongoing,
        CallStatus::Queued,
        CallStatus::Unknown,
    ];

    /// Stable id (`data-status` of `call-card`).
    pub fn id(self) -> &'static str {
        match self {
            CallStatus::Completed => "completed",
            CallStatus::Failed => "failed",
            CallStatus::Ongoing => "ongoing",
            CallStatus::Queued => "queued",
            CallStatus::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<CallStatus> {
        CallStatus::ALL.into_iter().find(|v| v.id() == s)
    }

    /// Reads a vendor's status word (Bland `status`/`queue_status`, Burki `status`);
    /// `None` for a word none of them documents.
    pub fn from_word(word: &str) -> Option<CallStatus> {
        let w = word.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match w.as_str() {
            "complete" | "completed" | "ended" | "finished" | "done" => CallStatus::Completed,
            "failed" | "failure" | "error" | "errored" | "canceled" | "cancelled" | "busy" => {
                CallStatus::Failed
            }
            "ongoing" | "in-progress" | "started" | "active" | "ringing" | "connected" | "live" => {
                CallStatus::Ongoing
            }
            "queued" | "new" | "pending" | "allocated" | "scheduled" | "waiting" => {
                CallStatus::Queued
            }
            _ => return None,
        })
    }
}

/// What a call cost, as the vendor reports it (Burki itemises; Bland gives one `price`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CallCosts {
    pub total: Option<f64>,
    pub llm: Option<f64>,
    pub tts: Option<f64>,
    pub stt: Option<f64>,
    pub telephony: Option<f64>,
    /// As the vendor wrote it (`USD`); `None` when it does not say.
    pub currency: Option<String>,
}

impl CallCosts {
    pub fn is_empty(&self) -> bool {
        self.total.is_none()
            && self.llm.is_none()
            && self.tts.is_none()
            && self.stt.is_none()
            && self.telephony.is_none()
    }
}

/// One call as a vendor's calls endpoint describes it, whatever the vendor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub vendor: Vendor,
    /// The ID the vendor's delivery lookups take: Bland's call UUID, Burki's integer ID
    /// (as text). Empty when the vendor's answer named none.
    pub id: String,
    /// The telephony call SID (`CA…`), when the vendor gives it.
    pub call_sid: Option<String>,
    pub status: CallStatus,
    /// The vendor's own status word(s), e.g. `completed`, `queued`, `in-progress`.
    pub status_word: Option<String>,
    /// Whether the call completed (Bland's `completed`; Burki's `status == completed`).
    pub completed: Option<bool>,
    /// The vendor's error message for a failed call.
    pub error: Option<String>,
    /// `human`, `voicemail`, `unknown`, `no-answer` (Bland).
    pub answered_by: Option<String>,
    pub created_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    /// How long the call lasted (Bland gives minutes, Burki seconds; both kept here).
    pub duration_ms: Option<u64>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The customer's number where the vendor says which side it is on.
    pub customer_number: Option<String>,
    pub inbound: Option<bool>,
    pub summary: Option<String>,
    /// Only ever an `https:` URL; anything else is dropped with a note.
    pub recording_url: Option<String>,
    pub costs: Option<CallCosts>,
    /// What was dropped or read with care, in words ("The recording link was not https…").
    pub notes: Vec<String>,
    /// Everything else the vendor sent, for the detail view and exports.
    pub extra: Value,
}

impl Call {
    /// The call's length in the units people use: "45 s", "3 min 20 s", "1 h 2 min".
    pub fn length_words(&self) -> Option<String> {
        let secs = self.duration_ms?.saturating_add(500) / 1000;
        Some(match secs {
            0..=59 => format!("{secs} s"),
            60..=3599 if secs % 60 == 0 => format!("{} min", secs / 60),
            60..=3599 => format!("{} min {} s", secs / 60, secs % 60),
            _ => format!("{} h {} min", secs / 3600, (secs % 3600) / 60),
        })
    }

    /// When the call happened, for ordering: start, else creation, else end.
    pub fn when(&self) -> Option<DateTime<Utc>> {
        [&self.started_at, &self.created_at, &self.ended_at]
            .into_iter()
            .find_map(|t| t.as_ref().and_then(|t| t.parsed))
    }

    /// Same call: same vendor and ID (a call found twice, by number and by SID).
    pub fn same_call(&self, other: &Call) -> bool {
        self.vendor == other.vendor && !self.id.is_empty() && self.id == other.id
    }
}

/// An `https:` URL with a host, or why it is not one (recording links are shown as
/// links, so nothing else may pass).
pub fn https_url(raw: &str) -> Result<String, String> {
    let v = raw.trim();
    let scheme_ok = v
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"));
    if !scheme_ok {
        return Err("it is not an https: address".into());
    }
    if v.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err("it holds spaces, control characters or backslashes".into());
    }
    let host = v[8..].split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return Err("it names no plain host".into());
    }
    Ok(v.to_string())
}

/// Parses durations the vendors write as text: "142ms", "1.2s", "142", " 80 ms ".
pub fn parse_duration_ms(raw: &str) -> Option<u64> {
    let s = raw.trim().to_ascii_lowercase();
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n.trim(), 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n.trim(), 1000.0)
    } else {
        (s.as_str(), 1.0)
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    Some((v * scale).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A payload as sent loses only the spaces between its tokens and the escapes of
    /// characters that need none: numbers, key order, needed escapes and the spaces inside
    /// strings stay; the text still reads as the same JSON (lone surrogates, which
    /// serde_json refuses to read, are kept as they were sent).
    #[test]
    fn a_payload_as_sent_is_made_compact_and_nothing_else() {
        for (sent, kept) in [
            (r#"{"a":1}"#, r#"{"a":1}"#),
            (
                " {\n  \"z\" : 1.10 ,\t\"a\": [ 1e3, -0 ]\r\n} ",
                r#"{"z":1.10,"a":[1e3,-0]}"#,
            ),
            (
                r#"{"s": "a \" b \\", "t": " x "}"#,
                r#"{"s":"a \" b \\","t":" x "}"#,
            ),
            (
                r#"{"c": "caf\u00e9 ünï", "k": {"n": 12345678901234567890123}}"#,
                r#"{"c":"café ünï","k":{"n":12345678901234567890123}}"#,
            ),
            ("  null ", "null"),
            (" \"text\" ", r#""text""#),
            (
                r#"{"u": "https:\/\/x.io\/a", "n": "Jos\u00e9 \ud83d\ude00", "q": "\u0022 \u005c \u000a \/"}"#,
                r#"{"u":"https://x.io/a","n":"José 😀","q":"\u0022 \u005c \u000a /"}"#,
            ),
            (
                r#"{"lone": "\ud83d x", "low": "\ude00", "k\u00e9y": 1}"#,
                r#"{"lone":"\ud83d x","low":"\ude00","kéy":1}"#,
            ),
            (
                r#"["\ud840\udc00\udbff\udfff"]"#,
                "[\"\u{20000}\u{10FFFF}\"]",
            ),
        ] {
            let p = Payload::from_sent(sent);
            assert_eq!(p.text(), kept, "{sent}");
            if let Ok(v) = serde_json::from_str::<Value>(sent) {
                assert_eq!(serde_json::from_str::<Value>(p.text()).unwrap(), v);
            }
        }
        assert!(Payload::from_sent(" null ").is_null());
    }

    /// Any JSON a vendor might send, pretty-printed or with every character it could
    /// escape escaped (PHP's way: `\/`, `\u00e9`, surrogate pairs), reads as the compact
    /// text serde_json writes for the same value.
    mod as_sent {
        use super::*;
        use proptest::prelude::*;

        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                ".{0,12}".prop_map(Value::from),
                "[\"\\\\/ \\t\\n\u{1}\u{7f}é😀\u{10FFFF}a-z]{0,8}".prop_map(Value::from),
            ];
            leaf.prop_recursive(4, 32, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::btree_map("[a-zé/\"\\\\ ]{0,6}", inner, 0..6)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        /// `text` (compact JSON) with every character inside its strings that may be
        /// escaped written as an escape.
        fn escaped(text: &str) -> String {
            let (mut out, mut in_str, mut esc) = (String::new(), false, false);
            for c in text.chars() {
                if !in_str {
                    in_str = c == '"';
                    out.push(c);
                } else if esc {
                    esc = false;
                    out.push(c);
                } else if c == '\\' {
                    esc = true;
                    out.push(c);
                } else if c == '"' {
                    in_str = false;
                    out.push(c);
                } else if c == '/' {
                    out.push_str("\\/");
                } else if !c.is_ascii() {
                    for u in c.encode_utf16(&mut [0; 2]) {
                        out.push_str(&format!("\\u{u:04x}"));
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }

        proptest! {
            #[test]
            fn reads_as_serde_json_writes_it(v in json()) {
                let compact = v.to_string();
                prop_assert_eq!(Payload::from_sent(&compact).text().to_string(), compact.clone());
                let pretty = serde_json::to_string_pretty(&v).unwrap();
                prop_assert_eq!(Payload::from_sent(&pretty).text().to_string(), compact.clone());
                let sent = escaped(&pretty);
                prop_assert_eq!(serde_json::from_str::<Value>(&sent).unwrap(), v.clone());
                prop_assert_eq!(Payload::from_sent(&sent).text().to_string(), compact.clone());
            }
        }
    }

    /// A payload's field read where it stands gives what reading the whole object into a
    /// map (as it was done before) gives: repeats (the last wins), escapes, numbers,
    /// other types, fields further down, texts that are not an object or not JSON.
    #[test]
    fn a_field_read_in_place_is_the_field_of_the_object() {
        fn through_map(t: &str, key: &str) -> Option<String> {
            let v: std::collections::BTreeMap<String, Box<serde_json::value::RawValue>> =
                serde_json::from_str(t).ok()?;
            match serde_json::from_str::<Value>(v.get(key)?.get()).ok()? {
                Value::String(s) => Some(s),
                Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
                _ => None,
            }
        }
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        let cases = [
            r#"{"call_id": "c-1", "n": 2}"#.to_string(),
            r#"{"a": {"call_id": "inner"}, "call_id": "outer"}"#.to_string(),
            r#"{"a": {"call_id": "inner"}}"#.to_string(),
            r#"{"call_id": "first", "call_id": "last"}"#.to_string(),
            r#"{"call_id": 12345678901234567890}"#.to_string(),
            r#"{"call_id": -7}"#.to_string(),
            r#"{"call_id": 1.5}"#.to_string(),
            r#"{"call_id": null}"#.to_string(),
            r#"{"call_id": ["x"]}"#.to_string(),
            r#"{"call_id": "caf\u00e9 \"q\""}"#.to_string(),
            r#"{"call_id": "x"} trailing"#.to_string(),
            r#"{"call_id": "x", "b": }"#.to_string(),
            format!(r#"{{"deep": {deep}, "call_id": "after deep"}}"#),
            format!(r#"{{"call_id": {deep}, "call_id": "after a deep copy"}}"#),
            r#"{"call_id": "\ud800", "call_id": "after a lone surrogate"}"#.to_string(),
            r#"{"call_id": "last", "call_id": "\ud800"}"#.to_string(),
            r#"["call_id"]"#.to_string(),
            r#""call_id""#.to_string(),
        ];
        for t in &cases {
            let p = Payload(Some(t.as_str().into()));
            assert_eq!(p.field_text("call_id"), through_map(t, "call_id"), "{t}");
        }
        let p = Payload(Some(cases[0].as_str().into()));
        assert_eq!(p.field_text("call_id").as_deref(), Some("c-1"));
        assert_eq!(Payload::default().field_text("call_id"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("142ms"), Some(142));
        assert_eq!(parse_duration_ms(" 80 ms "), Some(80));
        assert_eq!(parse_duration_ms("1.5s"), Some(1500));
        assert_eq!(parse_duration_ms("7"), Some(7));
        assert_eq!(parse_duration_ms("fast"), None);
        assert_eq!(parse_duration_ms("-3ms"), None);
        assert_eq!(parse_duration_ms(""), None);
    }

    #[test]
    fn names_are_held_once_and_read_as_text() {
        let (a, b) = (
            Name::new("event_phone_call_ended"),
            Name::from("event_phone_call_ended".to_string()),
        );
        assert!(std::sync::Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "event_phone_call_ended");
        assert_eq!("event_phone_call_ended".to_string(), a);
        assert_eq!(a.len(), 22);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            "\"event_phone_call_ended\""
        );
        let back: Name = serde_json::from_str("\"event_phone_call_ended\"").unwrap();
        assert!(std::sync::Arc::ptr_eq(&a.0, &back.0));
        assert_eq!(
            format!("{a} {a:?}"),
            "event_phone_call_ended \"event_phone_call_ended\""
        );
        // A vendor that sends a new name on every row does not grow the table past its cap.
        for i in 0..3000 {
            assert_eq!(Name::new(&format!("n{i}")), format!("n{i}"));
        }
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        /// The check without a string says what comparing chrono's text says, for any
        /// time (years past 9999 and leap seconds included) and texts near its own.
        #[test]
        fn writes_back_is_chronos_text(secs in -70_000_000_000i64..300_000_000_000i64,
                                       nanos in proptest::prop_oneof![
                                           proptest::strategy::Just(0u32),
                                           (0u32..1000).prop_map(|m| m.saturating_mul(1_000_000)),
                                           (0u32..1_000_000).prop_map(|u| u.saturating_mul(1_000)),
                                           0u32..2_000_000_000,
                                       ],
                                       cut in 0usize..4) {
            if let Some(t) = DateTime::from_timestamp(secs, nanos) {
                let text = written_back(t);
                proptest::prop_assert!(writes_back(t, &text), "{text}");
                let near = [
                    text[..text.len().saturating_sub(cut.saturating_add(1))].to_string(),
                    text.replace('Z', "+00:00"),
                    format!("{text} "),
                    text.replacen('T', " ", 1),
                ];
                for other in near.iter().filter(|o| **o != text) {
                    proptest::prop_assert!(!writes_back(t, other), "{text} / {other}");
                }
            }
        }
    }

    /// The edges random times seldom reach: the first and last years written with four
    /// digits and the years either side, leap seconds, each fraction width.
    #[test]
    fn writes_back_at_the_edges() {
        let at = |y: i32, nanos: u32, leap: bool| {
            let d = chrono::NaiveDate::from_ymd_opt(y, 12, 31)?;
            let t = d.and_hms_nano_opt(23, 59, if leap { 59 } else { 58 }, nanos)?;
            Some(t.and_utc())
        };
        let nanos = [
            0,
            1,
            999_999_999,
            5_000_000,
            5_000,
            1_500_000_000,
            1_999_999_999,
        ];
        let mut seen = 0;
        for y in [-1, 0, 1, 9998, 9999, 10_000, 262_142] {
            for n in nanos {
                for leap in [false, true] {
                    let Some(t) = at(y, n, leap) else { continue };
                    let text = written_back(t);
                    assert!(writes_back(t, &text), "{text}");
                    assert!(!writes_back(t, &format!("{text}x")), "{text}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 60, "{seen}");
    }

    #[test]
    fn timestamps() {
        let t = Timestamp::parse("2026-04-13T20:50:59.233Z");
        assert_eq!(t.parsed.unwrap().timestamp_millis(), 1776113459233);
        let t = Timestamp::parse("2024-01-15T11:00:01");
        assert!(t.parsed.is_some());
        let t = Timestamp::parse("yesterday");
        assert_eq!(t.parsed, None);
        assert_eq!(t.raw(), "yesterday");
        // The text reads back exactly as written, whether it is kept or written again
        // from the parsed value, and a round trip through JSON keeps both.
        for raw in [
            "2026-04-13T20:50:59.233Z",
            "2026-04-13T20:50:59Z",
            "2026-04-13T20:50:59.000Z",
            "2026-04-13T20:50:59.233000Z",
            "2026-04-13T20:50:59.233123Z",
            "2026-04-13T20:50:59.233123456Z",
            "2026-04-13T20:50:59.2Z",
            "2026-04-13T22:50:59.233+02:00",
            "2026-04-13 20:50:59Z",
            "2024-01-15T11:00:01",
            " 2026-04-13T20:50:59Z",
            "",
        ] {
            let t = Timestamp::parse(raw);
            assert_eq!(t.raw(), raw);
            let back: Timestamp =
                serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            assert_eq!(back, t, "{raw}");
            assert_eq!(back.raw(), raw);
        }
        // The usual form is not kept twice.
        assert!(Timestamp::parse("2026-04-13T20:50:59.233Z")
            .written
            .is_none());
    }

    fn delivery(id: &str, subject: &str) -> Delivery {
        Delivery {
            id: id.into(),
            vendor: Vendor::Bland,
            subject: subject.into(),
            event: "post_call".into(),
            target_url: None,
            payload: Payload::default(),
            created_at: None,
            status: DeliveryStatus::Pending,
            attempts: vec![],
            extra: Value::Null,
        }
    }

    #[test]
    fn the_id_check_in_slices_finds_what_make_ids_unique_would() {
        let all: Vec<Delivery> = (0..50).map(|i| delivery(&format!("id{i}"), "s")).collect();
        let mut check = IdCheck::new(all.len());
        let mut steps = 0;
        while !check.step(&all, 7) {
            steps += 1;
        }
        assert!(check.all_differ());
        assert_eq!(steps, 7, "50 IDs, 7 a step");
        let mut twice = all.clone();
        twice.insert(30, delivery("id3", "s"));
        let mut check = IdCheck::new(twice.len());
        while !check.step(&twice, 7) {}
        assert!(!check.all_differ());
        assert_eq!(make_ids_unique(&mut twice), 1);
        let mut check = IdCheck::new(0);
        assert!(check.step(&[], 7) && check.all_differ(), "nothing to check");
    }

    /// The defect class: two rows with one key. Same thing → one row; different things →
    /// distinct keys, whatever the order.
    #[test]
    fn ids_become_unique() {
        let mut ds = vec![
            delivery("post_call:a", "a"),
            delivery("post_call:a", "a"),
            delivery("post_call:a", "A"),
            delivery("post_call:a~2", "x"),
            delivery("post_call:a", "A"),
            delivery("post_call:a", "b"),
        ];
        let dropped = make_ids_unique(&mut ds);
        assert_eq!(dropped, 2);
        let ids: Vec<&str> = ds.iter().map(|d| d.id.as_ref()).collect();
        assert_eq!(
            ids,
            [
                "post_call:a",
                "post_call:a~2",
                "post_call:a~2~2",
                "post_call:a~3"
            ]
        );
        let subjects: Vec<&str> = ds.iter().map(|d| d.subject.as_ref()).collect();
        assert_eq!(subjects, ["a", "A", "x", "b"]);
        let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn status_positions_follow_all() {
        for (i, s) in DeliveryStatus::ALL.into_iter().enumerate() {
            assert_eq!(s.position(), i);
        }
    }

    #[test]
    fn outcome_from_http() {
        assert_eq!(Outcome::from_http(Some(204)), Outcome::Success);
        assert_eq!(Outcome::from_http(Some(301)), Outcome::Failed);
        assert_eq!(Outcome::from_http(None), Outcome::Failed);
    }
}
