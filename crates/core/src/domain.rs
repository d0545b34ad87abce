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

/// A timestamp as the vendor wrote it, plus its parsed value when it parsed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timestamp {
    pub raw: String,
    pub parsed: Option<DateTime<Utc>>,
}

impl Timestamp {
    pub fn parse(raw: &str) -> Timestamp {
        let parsed = DateTime::parse_from_rfc3339(raw.trim())
            .map(|d| d.with_timezone(&Utc))
            .ok()
            // Some APIs omit the zone ("2024-01-15T11:00:01"): read it as UTC.
            .or_else(|| {
                chrono::NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S%.f")
                    .ok()
                    .map(|n| n.and_utc())
            });
        Timestamp {
            raw: raw.to_string(),
            parsed,
        }
    }
}

/// One try at delivering a webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// The vendor's id for this attempt where it has one (Burki, Talkover logs).
    pub log_id: Option<String>,
    /// 1-based position among the delivery's attempts.
    pub number: u32,
    pub at: Option<Timestamp>,
    pub http_code: Option<u16>,
    pub duration_ms: Option<u64>,
    pub outcome: Outcome,
    /// How it was triggered: `spawn`, `resend`, `create` (Bland), `retry`, `auto`, …
    pub trigger: String,
    pub error: Option<String>,
    pub response_body: Option<String>,
    pub response_headers: Option<Value>,
    /// Whether the vendor lets this attempt be retried from the console.
    pub retriable: bool,
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
    /// written out; parsed here rather than kept.
    pub fn field_text(&self, key: &str) -> Option<String> {
        let t = self.0.as_deref()?;
        if !t.starts_with('{') || !t.contains(key) {
            return None;
        }
        let v: std::collections::BTreeMap<String, Box<serde_json::value::RawValue>> =
            serde_json::from_str(t).ok()?;
        let raw = v.get(key)?;
        match serde_json::from_str::<Value>(raw.get()).ok()? {
            Value::String(s) => Some(s),
            Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
            _ => None,
        }
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

/// One webhook message and every attempt made to deliver it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Unique within one lookup result.
    pub id: String,
    pub vendor: Vendor,
    /// The call, conversation or webhook this delivery belongs to.
    pub subject: String,
    /// Event kind: `post_call`, `sms_conversation`, `call_ended`, `event_phone_call_ended`, …
    pub event: String,
    pub target_url: Option<String>,
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

/// Makes delivery IDs unique within one result, since vendors' identities are not: the
/// same record can arrive twice (one call ID typed twice, a log repeated across shifted
/// pages) and different records can share one (records without an ID). A delivery equal
/// to one already kept is the same thing and is dropped; a different delivery whose ID is
/// taken gets `~2`, `~3`, … Order is kept. Returns how many were dropped.
pub fn make_ids_unique(ds: &mut Vec<Delivery>) -> usize {
    use std::collections::{HashMap, HashSet};
    let before = ds.len();
    // ID → indices (into `kept`) of the deliveries that claimed it.
    let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
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
            while taken.contains(&format!("{original}~{n}")) {
                n = n.saturating_add(1);
            }
            d.id = format!("{original}~{n}");
        }
        taken.insert(d.id.clone());
        by_id.entry(original).or_default().push(kept.len());
        kept.push(d);
    }
    *ds = kept;
    before.saturating_sub(ds.len())
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
    fn timestamps() {
        let t = Timestamp::parse("2026-04-13T20:50:59.233Z");
        assert_eq!(t.parsed.unwrap().timestamp_millis(), 1776113459233);
        let t = Timestamp::parse("2024-01-15T11:00:01");
        assert!(t.parsed.is_some());
        let t = Timestamp::parse("yesterday");
        assert_eq!(t.parsed, None);
        assert_eq!(t.raw, "yesterday");
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
        let ids: Vec<&str> = ds.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "post_call:a",
                "post_call:a~2",
                "post_call:a~2~2",
                "post_call:a~3"
            ]
        );
        let subjects: Vec<&str> = ds.iter().map(|d| d.subject.as_str()).collect();
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
