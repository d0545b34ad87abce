//! Talkover (`https://app.talkover.ai`): paginated delivery logs of an agent's or a
//! campaign's webhook, and retry of one log.
//!
//! Envelope: `{"success": bool, "data": ..., "pagination": {...}}`;
//! errors: `{"success": false, "message": text, "code": CODE}`.

use super::{
    decode_items, http_code, lenient_id, lenient_id_name, lenient_name, lenient_text, lenient_u64,
    unparsed_payload,
};
use crate::domain::{Attempt, Delivery, Name, Outcome, Payload, Timestamp, Vendor};
use crate::error::{ApiError, ErrorKind};
use crate::ids::PathId;
use crate::request::{ApiRequest, Method, PathPart};
use crate::response::decode;
use chrono::{DateTime, Utc};
use rustc_hash::{FxHashMap, FxHasher};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Talkover's maximum page size; the console always asks for it to make fewer requests.
pub const MAX_PER_PAGE: u32 = 100;

/// Whose webhook: an agent's or a campaign's (same endpoints under another prefix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    Agent,
    Campaign,
}

impl Owner {
    fn prefix(self) -> &'static str {
        match self {
            Owner::Agent => "api/v1/agents",
            Owner::Campaign => "api/v1/campaigns",
        }
    }
}

/// `GET /api/v1/{agents|campaigns}/{owner_id}/webhooks/{webhook_id}/logs?per_page=N&page=P`
pub fn logs(
    owner: Owner,
    owner_id: &PathId,
    webhook_id: &PathId,
    page: u32,
    per_page: u32,
) -> ApiRequest {
    let query = vec![
        (
            "per_page".into(),
            per_page.clamp(1, MAX_PER_PAGE).to_string(),
        ),
        ("page".into(), page.max(1).to_string()),
    ];
    under_logs(Method::Get, owner, owner_id, webhook_id, [], query)
}

/// `POST /api/v1/{agents|campaigns}/{owner_id}/webhooks/{webhook_id}/logs/{log_id}/retry`
pub fn retry(owner: Owner, owner_id: &PathId, webhook_id: &PathId, log_id: &PathId) -> ApiRequest {
    let tail = [PathPart::Seg(log_id), PathPart::Lit("retry")];
    under_logs(Method::Post, owner, owner_id, webhook_id, tail, vec![])
}

/// A request to a webhook's logs (`…/{owner_id}/webhooks/{webhook_id}/logs`), then `tail`.
fn under_logs<'a>(
    method: Method,
    owner: Owner,
    owner_id: &'a PathId,
    webhook_id: &'a PathId,
    tail: impl IntoIterator<Item = PathPart<'a>>,
    query: Vec<(String, String)>,
) -> ApiRequest {
    let mut parts = vec![
        PathPart::Lit(owner.prefix()),
        PathPart::Seg(owner_id),
        PathPart::Lit("webhooks"),
        PathPart::Seg(webhook_id),
        PathPart::Lit("logs"),
    ];
    parts.extend(tail);
    ApiRequest {
        vendor: Vendor::Talkover,
        method,
        path: ApiRequest::build_path(&parts),
        query,
        body: None,
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Envelope<T> {
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default = "none")]
    pub data: Option<T>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub code: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Pagination {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub current_page: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub per_page: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub total: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub last_page: Option<u64>,
}

/// One log as Talkover sends it. Read field by field (see the `Deserialize` below), not
/// derived.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct DeliveryLog {
    pub id: Option<String>,
    pub webhook_id: Option<Name>,
    pub event: Option<Name>,
    pub attempt: Option<u64>,
    pub status: Option<Name>,
    pub http_status: Option<u64>,
    /// Its text as sent (numbers, key order, escapes), without the spaces between tokens;
    /// never a tree.
    pub request_payload: Payload,
    pub response_body: Option<String>,
    /// As text, like the attempt keeps it (a parsed map per log is most of a log's memory).
    pub response_headers: Option<Payload>,
    pub duration_ms: Option<u64>,
    pub delivered_at: Option<String>,
    pub created_at: Option<String>,
    pub error: Option<String>,
    /// The fields this adapter does not know, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The fields a log's reader knows; the rest are kept in `extra`.
enum Field {
    Id,
    WebhookId,
    Event,
    Attempt,
    Status,
    HttpStatus,
    RequestPayload,
    ResponseBody,
    ResponseHeaders,
    DurationMs,
    DeliveredAt,
    CreatedAt,
    Error,
    Other(String),
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            // Known names are matched where they stand: no copy of the key.
            fn visit_str<E: de::Error>(self, k: &str) -> Result<Field, E> {
                use Field::*;
                Ok(match k {
                    "id" => Id,
                    "webhook_id" => WebhookId,
                    "event" => Event,
                    "attempt" => Attempt,
                    "status" => Status,
                    "http_status" => HttpStatus,
                    "request_payload" => RequestPayload,
                    "response_body" => ResponseBody,
                    "response_headers" => ResponseHeaders,
                    "duration_ms" => DurationMs,
                    "delivered_at" => DeliveredAt,
                    "created_at" => CreatedAt,
                    "error" => Error,
                    other => Other(other.to_owned()),
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// The lenient readers as types, to read one value with `next_value`.
macro_rules! lenient_types {
    ($($name:ident($t:ty) = $f:literal;)*) => {$(
        #[derive(Deserialize)]
        #[serde(transparent)]
        struct $name(#[serde(deserialize_with = $f)] $t);
    )*};
}
lenient_types! {
    LenientId(Option<String>) = "lenient_id";
    LenientIdName(Option<Name>) = "lenient_id_name";
    LenientName(Option<Name>) = "lenient_name";
    LenientU64(Option<u64>) = "lenient_u64";
    LenientText(Option<String>) = "lenient_text";
}

/// A log is read field by field rather than by a derived reader: with `#[serde(flatten)]`
/// (for `extra`) a derived reader first copies every field of every log into a buffer of
/// its own, and it cannot read a field as raw text. This reads each known field where it
/// stands, the payload and response headers as their exact text (no tree built and
/// written back, no check of every number on the page), and only unknown fields as
/// values. A field sent twice is read as its last copy (as a derived reader's error led
/// to before: the page read again log by log, each log through a map).
impl<'de> Deserialize<'de> for DeliveryLog {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DeliveryLog, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DeliveryLog;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Talkover delivery log (an object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<DeliveryLog, A::Error> {
                let mut log = DeliveryLog::default();
                let text = |raw: Box<RawValue>| Payload::from_sent(raw.get());
                while let Some(field) = m.next_key::<Field>()? {
                    match field {
                        Field::Id => log.id = m.next_value::<LenientId>()?.0,
                        Field::WebhookId => log.webhook_id = m.next_value::<LenientIdName>()?.0,
                        Field::Event => log.event = m.next_value::<LenientName>()?.0,
                        Field::Attempt => log.attempt = m.next_value::<LenientU64>()?.0,
                        Field::Status => log.status = m.next_value::<LenientName>()?.0,
                        Field::HttpStatus => log.http_status = m.next_value::<LenientU64>()?.0,
                        Field::RequestPayload => log.request_payload = text(m.next_value()?),
                        Field::ResponseBody => log.response_body = m.next_value::<LenientText>()?.0,
                        Field::ResponseHeaders => {
                            log.response_headers =
                                Some(text(m.next_value()?)).filter(|p| !p.is_null())
                        }
                        Field::DurationMs => log.duration_ms = m.next_value::<LenientU64>()?.0,
                        Field::DeliveredAt => log.delivered_at = m.next_value::<LenientText>()?.0,
                        Field::CreatedAt => log.created_at = m.next_value::<LenientText>()?.0,
                        Field::Error => log.error = m.next_value::<LenientText>()?.0,
                        Field::Other(k) => {
                            let v: Value = m.next_value()?;
                            log.extra.insert(k, v);
                        }
                    }
                }
                Ok(log)
            }
        }
        d.deserialize_map(V)
    }
}

/// One decoded page.
#[derive(Clone, Debug, PartialEq)]
pub struct LogPage {
    pub logs: Vec<DeliveryLog>,
    pub current_page: u32,
    /// 1 when the answer has no pagination block.
    pub last_page: u32,
    pub total: Option<u64>,
    /// Logs on this page that could not be read at all (not objects).
    pub unreadable: usize,
}

fn outcome(log: &DeliveryLog) -> Outcome {
    let code = http_code(log.http_status);
    match log
        .status
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("success") => Outcome::Success,
        Some("failed") => Outcome::Failed,
        Some("pending") => Outcome::Pending,
        Some("retrying") => Outcome::Retrying,
        // Unknown status: fall back to the HTTP code, or pending when nothing was sent.
        _ if code.is_none() && log.delivered_at.is_none() => Outcome::Pending,
        _ => Outcome::from_http(code),
    }
}

/// `created`: the log's `created_at`, as the grouping read it.
fn to_attempt(log: &mut DeliveryLog, number: u32, created: Option<Timestamp>) -> Attempt {
    let o = outcome(log);
    let attempt_no = log.attempt.unwrap_or(1);
    Attempt {
        log_id: log.id.as_deref().map(Into::into),
        number,
        // A failed log may have no delivered_at; created_at is when the attempt was made.
        at: created.or_else(|| log.delivered_at.as_deref().map(Timestamp::parse)),
        http_code: http_code(log.http_status),
        duration_ms: log.duration_ms,
        outcome: o,
        trigger: if attempt_no > 1 {
            "retry".into()
        } else {
            "initial".into()
        },
        error: log.error.take().map(String::into_boxed_str),
        response_body: log.response_body.take().map(String::into_boxed_str),
        response_headers: log.response_headers.take(),
        // Talkover refuses retries of successful logs (LOG_NOT_RETRIABLE).
        retriable: matches!(o, Outcome::Failed | Outcome::Retrying) && log.id.is_some(),
    }
}

/// Groups logs into deliveries. Talkover writes each retry as a new log with a higher
/// `attempt`; a log with `attempt > 1` joins the most recent delivery of the same webhook,
/// event and identical payload whose last attempt number is lower. A log without a payload
/// is never joined to another by its event name alone. Output is newest delivery first.
/// Linear in the number of logs (one map lookup per log), after the sort by time.
pub fn to_deliveries(logs: &[DeliveryLog]) -> Vec<Delivery> {
    into_deliveries(logs.to_vec())
}

/// [`to_deliveries`] taking the logs by value: payloads and texts move into the
/// deliveries instead of being copied (100,000 logs are held once, not twice).
pub fn into_deliveries(logs: Vec<DeliveryLog>) -> Vec<Delivery> {
    let mut g = Grouping::new(logs, false);
    while !g.step(usize::MAX) {}
    g.finish().0
}

/// [`into_deliveries`] in steps, dropping first the logs that arrived twice (the same
/// vendor log ID on two pages, when new logs shifted the pages during a load: the first
/// copy is kept). A load of 100,000 logs is grouped a slice at a time (see [`Grouping::step`]) so the page can answer between slices.
pub struct Grouping {
    /// Each log boxed, so that a grouped log's memory is freed as it goes (one vector of
    /// logs held 18 MB at 100,000 until the last was grouped, while the deliveries grew).
    logs: Vec<Option<Box<DeliveryLog>>>,
    /// Log ID hash → the first log with it; IDs whose hash another ID had.
    seen: FxHashMap<u64, usize>,
    seen_collided: std::collections::HashSet<String>,
    repeated: usize,
    /// (log, time, attempt), sorted oldest first once every time is read.
    order: Vec<(usize, Option<DateTime<Utc>>, u64)>,
    phase: Phase,
    pos: usize,
    /// Deliveries oldest first, with what grouping needs beside them (not wrapped in a
    /// struct, so the result is this vector reversed in place rather than a copy).
    groups: Vec<Delivery>,
    group_info: Vec<(u64, Option<Name>)>,
    /// Hash of (webhook, event, payload) → its newest group; a hit is confirmed by
    /// comparing the values themselves.
    by_key: FxHashMap<u64, usize>,
    /// Per group, the group before it with the same key (`usize::MAX`: none): a chain in
    /// place of a list per key, which cost an allocation a delivery.
    key_before: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Dedupe,
    Times,
    Sort,
    Group,
    Done,
}

fn hash_of(v: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    // Fx, not SipHash: every log's ID and payload is hashed, and a hit is confirmed.
    let mut h = FxHasher::default();
    v.hash(&mut h);
    h.finish()
}

impl Grouping {
    /// `dedupe`: drop logs whose ID an earlier log had first. `logs` may be the pages'
    /// logs one page after another (each page's vector is freed once it is read).
    pub fn new(logs: impl IntoIterator<Item = DeliveryLog>, dedupe: bool) -> Grouping {
        let logs: Vec<Option<Box<DeliveryLog>>> =
            logs.into_iter().map(|l| Some(Box::new(l))).collect();
        let n = logs.len();
        Grouping {
            logs,
            seen: FxHashMap::default(),
            seen_collided: Default::default(),
            repeated: 0,
            order: Vec::with_capacity(n),
            phase: if dedupe { Phase::Dedupe } else { Phase::Times },
            pos: 0,
            groups: Vec::new(),
            group_info: Vec::new(),
            by_key: FxHashMap::default(),
            key_before: Vec::new(),
        }
    }

    /// Does up to `budget` logs' worth of work (the sort counts as one slice: about
    /// 10 ms at 100,000 logs). True when every log is grouped.
    pub fn step(&mut self, budget: usize) -> bool {
        let budget = budget.max(1);
        match self.phase {
            Phase::Dedupe => {
                let end = self.pos.saturating_add(budget).min(self.logs.len());
                for i in self.pos..end {
                    self.dedupe_one(i);
                }
                self.pos = end;
                if end == self.logs.len() {
                    (self.phase, self.pos) = (Phase::Times, 0);
                }
            }
            Phase::Times => {
                let end = self.pos.saturating_add(budget).min(self.logs.len());
                for i in self.pos..end {
                    if let Some(l) = &self.logs[i] {
                        let t = l.created_at.as_deref().and_then(Timestamp::read);
                        self.order.push((i, t, l.attempt.unwrap_or(1)));
                    }
                }
                self.pos = end;
                if end == self.logs.len() {
                    (self.phase, self.pos) = (Phase::Sort, 0);
                }
            }
            Phase::Sort => {
                // Oldest first; logs without a parsable time keep their relative order at
                // the end.
                self.order
                    .sort_unstable_by_key(|(i, t, n)| (t.is_none(), *t, *n, *i));
                self.groups.reserve_exact(self.order.len());
                self.group_info.reserve_exact(self.order.len());
                self.key_before.reserve_exact(self.order.len());
                self.phase = Phase::Group;
            }
            Phase::Group => {
                let end = self.pos.saturating_add(budget).min(self.order.len());
                for k in self.pos..end {
                    let (i, t, n) = self.order[k];
                    self.group_one(i, t, n);
                }
                self.pos = end;
                if end == self.order.len() {
                    self.phase = Phase::Done;
                }
            }
            Phase::Done => {}
        }
        self.phase == Phase::Done
    }

    /// The deliveries, newest first, and how many logs were dropped as repeats. Call once
    /// [`Self::step`] said done (before that, what is grouped so far).
    pub fn finish(mut self) -> (Vec<Delivery>, usize) {
        self.groups.reverse();
        (self.groups, self.repeated)
    }

    fn dedupe_one(&mut self, i: usize) {
        let Some(id) = self.logs[i].as_ref().and_then(|l| l.id.as_deref()) else {
            return;
        };
        let h = hash_of(&id);
        let repeat = match self.seen.get(&h) {
            None => {
                self.seen.insert(h, i);
                false
            }
            Some(&first) => {
                let same = self.logs[first]
                    .as_ref()
                    .and_then(|l| l.id.as_deref())
                    .is_some_and(|f| f == id);
                same || !self.seen_collided.insert(id.to_string())
            }
        };
        if repeat {
            self.logs[i] = None;
            self.repeated = self.repeated.saturating_add(1);
        }
    }

    /// `t`: the log's `created_at` as the sort read it.
    fn group_one(&mut self, i: usize, t: Option<DateTime<Utc>>, n: u64) {
        let Some(mut log) = self.logs.get_mut(i).and_then(Option::take) else {
            return;
        };
        let created_at = log.created_at.as_deref().map(|raw| Timestamp::new(raw, t));
        let event = log.event.take().unwrap_or_else(|| Name::new("unknown"));
        let key = (!log.request_payload.is_null())
            .then(|| hash_of(&(&log.webhook_id, &event, log.request_payload.text())));
        if n > 1 {
            let newest = key.and_then(|k| self.by_key.get(&k).copied());
            let found = newest.and_then(|newest| {
                let before = |g: &usize| {
                    self.key_before
                        .get(*g)
                        .copied()
                        .filter(|b| *b != usize::MAX)
                };
                std::iter::successors(Some(newest), before).find(|g| {
                    self.groups
                        .get(*g)
                        .zip(self.group_info.get(*g))
                        .is_some_and(|(d, (last, wh))| {
                            *last < n
                                && d.event == event
                                && *wh == log.webhook_id
                                && d.payload == log.request_payload
                        })
                })
            });
            if let Some(g) = found {
                if let (Some(d), Some(info)) = (self.groups.get_mut(g), self.group_info.get_mut(g))
                {
                    let num = u32::try_from(d.attempts.len())
                        .unwrap_or(u32::MAX)
                        .saturating_add(1);
                    d.attempts.push(to_attempt(&mut log, num, created_at));
                    d.status = Delivery::status_from_attempts(&d.attempts);
                    info.0 = n;
                    return;
                }
            }
        }
        // `concat`, not `format!`: the formatting machinery was 8 % of grouping.
        let id = log
            .id
            .as_deref()
            .map(|id| ["talkover:", id].concat())
            .unwrap_or_else(|| format!("talkover:#{i}"))
            .into_boxed_str();
        let attempts = vec![to_attempt(&mut log, 1, created_at.clone())];
        // The webhook ID is the lookup's own (every log of it has the same), so it is not
        // copied into each delivery: a one-entry map costs ~700 bytes, 70 MB at 100,000.
        let mut extra = std::mem::take(&mut log.extra);
        if n > 1 {
            // Earlier attempts are outside what was fetched (older than 30 days, or another page).
            extra.insert("first_attempt_seen".into(), Value::from(n));
        }
        // The call the event is about says more than the webhook ID (the same on every row).
        let subject = log
            .request_payload
            .field_text("call_id")
            .or_else(|| log.webhook_id.as_ref().map(Name::to_string))
            .unwrap_or_default()
            .into_boxed_str();
        let d = Delivery {
            id,
            vendor: Vendor::Talkover,
            subject,
            event,
            target_url: None,
            payload: std::mem::take(&mut log.request_payload),
            created_at,
            status: Delivery::status_from_attempts(&attempts),
            attempts,
            extra: Value::Object(extra),
        };
        let before = key.and_then(|k| self.by_key.insert(k, self.groups.len()));
        self.key_before.push(before.unwrap_or(usize::MAX));
        self.groups.push(d);
        self.group_info.push((n, log.webhook_id.take()));
    }
}

fn envelope_error(req: &ApiRequest, message: Option<String>, code: Option<String>) -> ApiError {
    let detail = match (message, code) {
        (Some(m), Some(c)) => Some(format!("{m} ({c})")),
        (Some(m), None) => Some(m),
        (None, Some(c)) => Some(c),
        (None, None) => None,
    };
    ApiError::new(
        ErrorKind::Vendor,
        Vendor::Talkover,
        req.label(),
        "Talkover answered with success: false.",
    )
    .with_detail(detail)
}

/// Decodes one page of logs. Each log is read on its own (see [`super::decode_item`]):
/// one unreadable log is counted in `unreadable`, not a failed page.
pub fn decode_page(req: &ApiRequest, status: u16, body: &str) -> Result<LogPage, ApiError> {
    // The usual page decodes in one pass; a page with an odd log is read log by log.
    let (success, message, code, pagination, mut logs, unreadable) =
        match serde_json::from_str::<Envelope<Vec<DeliveryLog>>>(body) {
            Ok(env) => (
                env.success,
                env.message,
                env.code,
                env.pagination,
                env.data.unwrap_or_default(),
                0,
            ),
            Err(_) => {
                let env: Envelope<Vec<Box<RawValue>>> =
                    decode(Vendor::Talkover, &req.label(), status, body)?;
                let (logs, bad) = decode_items::<DeliveryLog>(&env.data.unwrap_or_default());
                (
                    env.success,
                    env.message,
                    env.code,
                    env.pagination,
                    logs,
                    bad,
                )
            }
        };
    if success == Some(false) {
        return Err(envelope_error(req, message, code));
    }
    // A log read field by field (a field past the reader's depth limit) has that field as
    // a string of its text; the payload is read as text anyway.
    for l in &mut logs {
        unparsed_payload(&l.extra, "request_payload", &mut l.request_payload);
    }
    let p = pagination.unwrap_or_default();
    let current = p.current_page.unwrap_or(1).clamp(1, u32::MAX as u64) as u32;
    let last = p
        .last_page
        .unwrap_or(current as u64)
        .clamp(1, u32::MAX as u64) as u32;
    Ok(LogPage {
        logs,
        current_page: current,
        last_page: last.max(current),
        total: p.total,
        unreadable,
    })
}

/// The acknowledgement of a retry.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct RetryAck {
    #[serde(default, deserialize_with = "lenient_id")]
    pub log_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub original_log_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub queued_at: Option<String>,
}

pub fn decode_retry(
    req: &ApiRequest,
    status: u16,
    body: &str,
) -> Result<(RetryAck, Option<String>), ApiError> {
    let env: Envelope<RetryAck> = decode(Vendor::Talkover, &req.label(), status, body)?;
    if env.success == Some(false) {
        return Err(envelope_error(req, env.message, env.code));
    }
    let ack = env.data.unwrap_or(RetryAck {
        log_id: None,
        original_log_id: None,
        queued_at: None,
    });
    Ok((ack, env.message))
}

/// Whether a delivery is about `call_id`: Talkover has no call lookup, so a call's
/// deliveries are the logs whose `request_payload.call_id` names it (compared without
/// regard to case, as UUIDs are).
pub fn is_for_call(d: &Delivery, call_id: &str) -> bool {
    let want = call_id.trim();
    !want.is_empty()
        && d.payload
            .field_text("call_id")
            .is_some_and(|c| c.trim().eq_ignore_ascii_case(want))
}

/// The deliveries about `call_id`, in their order.
pub fn deliveries_for_call(ds: Vec<Delivery>, call_id: &str) -> Vec<Delivery> {
    ds.into_iter().filter(|d| is_for_call(d, call_id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference for [`Grouping`]'s first step (as the lookup did it before it was
    /// sliced): the same log ID is one log; keeps the first copy and the original order;
    /// returns how many copies were dropped.
    fn dedupe_logs(logs: Vec<DeliveryLog>) -> (Vec<DeliveryLog>, usize) {
        let mut seen = std::collections::HashSet::new();
        let before = logs.len();
        let kept: Vec<DeliveryLog> = logs
            .into_iter()
            .filter(|l| l.id.as_ref().is_none_or(|id| seen.insert(id.clone())))
            .collect();
        let dropped = before.saturating_sub(kept.len());
        (kept, dropped)
    }

    /// Grouping in slices of any size gives what grouping at once gives: the demo's
    /// webhooks (retries joined across pages) with every log repeated on a "shifted" page.
    #[test]
    fn grouping_in_slices_is_grouping_at_once() {
        use crate::demo::data::{talkover_logs, TALKOVER_HOOKS};
        let now = crate::demo::test_now();
        for (kind, owner, hook, _) in TALKOVER_HOOKS {
            let values = talkover_logs(kind, owner, hook, now).unwrap();
            let mut logs: Vec<DeliveryLog> = values
                .iter()
                .map(|v| serde_json::from_value(v.clone()).unwrap())
                .collect();
            let again = logs.iter().step_by(7).cloned().collect::<Vec<_>>();
            logs.extend(again);
            let (kept, dropped) = dedupe_logs(logs.clone());
            let want = into_deliveries(kept);
            for budget in [1, 3, 64, usize::MAX] {
                let mut g = Grouping::new(logs.clone(), true);
                let mut steps = 0;
                while !g.step(budget) {
                    steps += 1;
                    assert!(steps < 10 * logs.len() + 10, "{hook}: never done");
                }
                let (got, repeated) = g.finish();
                assert_eq!(repeated, dropped, "{hook} / {budget}");
                assert_eq!(got, want, "{hook} / {budget}");
            }
            assert!(
                want.iter().any(|d| d.attempts.len() > 1) || logs.len() < 20,
                "{hook}: no retry joined"
            );
        }
    }
    use crate::ids::pid;
    use crate::DeliveryStatus;

    /// Verbatim from Talkover's "List Webhook Delivery Logs" page (seeds/003).
    const DOC_EXAMPLE: &str = r#"{
  "success": true,
  "data": [
    {
      "id": "log-uuid-1",
      "webhook_id": "webhook-uuid",
      "event": "event_phone_call_ended",
      "attempt": 1,
      "status": "success",
      "http_status": 200,
      "request_payload": {"call_id": "call-uuid", "duration": 45},
      "response_body": "{\"received\":true}",
      "response_headers": {"content-type": "application/json"},
      "duration_ms": 142,
      "delivered_at": "2024-01-15T11:00:01Z",
      "created_at": "2024-01-15T11:00:00Z"
    },
    {
      "id": "log-uuid-2",
      "webhook_id": "webhook-uuid",
      "event": "event_phone_call_started",
      "attempt": 3,
      "status": "failed",
      "http_status": 500,
      "error": "Internal Server Error",
      "duration_ms": 8021,
      "created_at": "2024-01-15T10:55:00Z"
    }
  ],
  "pagination": {
    "current_page": 1,
    "per_page": 50,
    "total": 247,
    "last_page": 5
  }
}"#;

    #[test]
    fn a_calls_deliveries_are_the_logs_that_name_it() {
        let body = r#"{"success": true, "data": [
            {"id": "l1", "webhook_id": "w", "event": "event_phone_call_ended", "attempt": 1, "status": "failed", "http_status": 500,
             "request_payload": {"call_id": "AbC-1", "duration": 3}, "created_at": "2024-01-15T11:00:00Z"},
            {"id": "l2", "webhook_id": "w", "event": "event_phone_call_ended", "attempt": 1, "status": "success", "http_status": 200,
             "request_payload": {"call_id": "other"}, "created_at": "2024-01-15T11:01:00Z"},
            {"id": "l3", "webhook_id": "w", "event": "event_phone_call_started", "attempt": 1, "status": "success", "http_status": 200,
             "request_payload": {"call": "abc-1"}, "created_at": "2024-01-15T11:02:00Z"}
        ], "pagination": {"current_page": 1, "per_page": 100, "total": 3, "last_page": 1}}"#;
        let owner = crate::ids::pid("agt");
        let hook = crate::ids::pid("w");
        let page = decode_page(&logs(Owner::Agent, &owner, &hook, 1, 100), 200, body).unwrap();
        let ds = deliveries_for_call(to_deliveries(&page.logs), "abc-1");
        assert_eq!(ds.len(), 1);
        assert_eq!(&*ds[0].id, "talkover:l1");
        assert!(!is_for_call(&ds[0], " "));
    }

    #[test]
    fn request_shapes() {
        let r = logs(
            Owner::Agent,
            &pid("agent-uuid"),
            &pid("webhook-uuid"),
            1,
            50,
        );
        assert_eq!(
            r.path_and_query(),
            "/api/v1/agents/agent-uuid/webhooks/webhook-uuid/logs?per_page=50&page=1"
        );
        assert_eq!(
            logs(Owner::Campaign, &pid("c"), &pid("w"), 0, 500).path_and_query(),
            "/api/v1/campaigns/c/webhooks/w/logs?per_page=100&page=1"
        );
        let r = retry(Owner::Agent, &pid("a"), &pid("w"), &pid("log/1"));
        assert_eq!(
            (r.method, r.path.as_str()),
            (
                Method::Post,
                "/api/v1/agents/a/webhooks/w/logs/log%2F1/retry"
            )
        );
        assert_eq!(
            retry(Owner::Campaign, &pid("c"), &pid("w"), &pid("l")).path,
            "/api/v1/campaigns/c/webhooks/w/logs/l/retry"
        );
    }

    #[test]
    fn documented_example_field_by_field() {
        let req = logs(
            Owner::Agent,
            &pid("agent-uuid"),
            &pid("webhook-uuid"),
            1,
            50,
        );
        let page = decode_page(&req, 200, DOC_EXAMPLE).unwrap();
        assert_eq!(
            (page.current_page, page.last_page, page.total),
            (1, 5, Some(247))
        );
        assert_eq!(page.logs.len(), 2);
        let ds = to_deliveries(&page.logs);
        assert_eq!(ds.len(), 2);
        // Newest first: the 11:00 success, then the 10:55 failure.
        let ok = &ds[0];
        assert_eq!(&*ok.id, "talkover:log-uuid-1");
        assert_eq!(ok.vendor, Vendor::Talkover);
        assert_eq!(&*ok.subject, "call-uuid", "the payload's call_id");
        assert_eq!(ok.event, "event_phone_call_ended");
        assert_eq!(ok.status, DeliveryStatus::Success);
        assert_eq!(
            ok.payload.value(),
            serde_json::json!({"call_id": "call-uuid", "duration": 45})
        );
        let a = &ok.attempts[0];
        assert_eq!(
            (a.http_code, a.duration_ms, a.outcome, a.retriable),
            (Some(200), Some(142), Outcome::Success, false)
        );
        assert_eq!(a.response_body.as_deref(), Some("{\"received\":true}"));
        assert_eq!(
            a.headers(),
            [("content-type".to_string(), "application/json".to_string())]
        );
        assert_eq!(a.at.as_ref().unwrap().raw(), "2024-01-15T11:00:00Z");
        let bad = &ds[1];
        assert_eq!(bad.status, DeliveryStatus::Failed);
        let b = &bad.attempts[0];
        assert_eq!(
            (b.http_code, b.duration_ms, b.trigger.as_str(), b.retriable),
            (Some(500), Some(8021), "retry", true)
        );
        assert_eq!(b.error.as_deref(), Some("Internal Server Error"));
        assert_eq!(b.log_id.as_deref(), Some("log-uuid-2"));
        assert_eq!(bad.extra["first_attempt_seen"], 3);
    }

    #[test]
    fn retries_join_their_delivery() {
        let body = r#"{"success": true, "data": [
          {"id": "l3", "webhook_id": "w", "event": "e", "attempt": 3, "status": "success", "http_status": 200, "request_payload": {"a": 1}, "created_at": "2026-01-01T00:03:00Z"},
          {"id": "l2", "webhook_id": "w", "event": "e", "attempt": 2, "status": "retrying", "http_status": 503, "request_payload": {"a": 1}, "created_at": "2026-01-01T00:02:00Z"},
          {"id": "l1", "webhook_id": "w", "event": "e", "attempt": 1, "status": "retrying", "http_status": null, "error": "connect timeout", "request_payload": {"a": 1}, "created_at": "2026-01-01T00:01:00Z"},
          {"id": "p1", "webhook_id": "w", "event": "e", "attempt": 1, "status": "pending", "request_payload": {"a": 2}, "created_at": "2026-01-01T00:04:00Z"}
        ], "pagination": {"current_page": 1, "per_page": 25, "total": 4, "last_page": 1}}"#;
        let page =
            decode_page(&logs(Owner::Agent, &pid("a"), &pid("w"), 1, 25), 200, body).unwrap();
        let ds = to_deliveries(&page.logs);
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].status, DeliveryStatus::Pending);
        let d = &ds[1];
        assert_eq!(&*d.id, "talkover:l1");
        assert_eq!(
            d.attempts
                .iter()
                .map(|a| a.log_id.as_deref().unwrap())
                .collect::<Vec<_>>(),
            vec!["l1", "l2", "l3"]
        );
        assert_eq!(d.attempts[0].http_code, None);
        assert_eq!(d.attempts[1].outcome, Outcome::Retrying);
        assert_eq!(d.status, DeliveryStatus::Success);
    }

    #[test]
    fn error_envelope_and_missing_pagination() {
        let req = logs(Owner::Agent, &pid("a"), &pid("w"), 1, 25);
        let e = decode_page(
            &req,
            200,
            r#"{"success": false, "message": "Webhook not found", "code": "NOT_FOUND"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Vendor);
        assert_eq!(e.detail.as_deref(), Some("Webhook not found (NOT_FOUND)"));
        let p = decode_page(&req, 200, r#"{"success": true, "data": []}"#).unwrap();
        assert_eq!((p.current_page, p.last_page), (1, 1));
    }

    /// The defect class: one log fetched twice (pages shifted) must be one log.
    #[test]
    fn a_log_on_two_pages_is_one_log() {
        let log = |id: &str, at: &str| -> DeliveryLog {
            serde_json::from_value(
                serde_json::json!({"id": id, "webhook_id": "w", "event": "e",
                "attempt": 1, "status": "success", "http_status": 200,
                "request_payload": {"call_id": id}, "created_at": at}),
            )
            .unwrap()
        };
        let page1 = vec![
            log("l3", "2026-01-01T00:03:00Z"),
            log("l2", "2026-01-01T00:02:00Z"),
        ];
        // A new log arrived before page 2 was fetched: l2 moved onto page 2 as well.
        let page2 = vec![
            log("l2", "2026-01-01T00:02:00Z"),
            log("l1", "2026-01-01T00:01:00Z"),
        ];
        let mut g = Grouping::new(page1.into_iter().chain(page2), true);
        while !g.step(usize::MAX) {}
        let (ds, dropped) = g.finish();
        assert_eq!(dropped, 1);
        let ids: Vec<&str> = ds.iter().map(|d| &*d.id).collect();
        assert_eq!(ids, ["talkover:l3", "talkover:l2", "talkover:l1"]);
    }

    /// The defect class: logs without a payload are not one delivery just because they
    /// share an event name.
    #[test]
    fn logs_without_payload_are_never_merged() {
        let body = r#"{"success": true, "data": [
          {"id": "a1", "webhook_id": "w", "event": "e", "attempt": 1, "status": "retrying", "created_at": "2026-01-01T00:01:00Z"},
          {"id": "b2", "webhook_id": "w", "event": "e", "attempt": 2, "status": "success", "created_at": "2026-01-01T00:02:00Z"}
        ]}"#;
        let page =
            decode_page(&logs(Owner::Agent, &pid("a"), &pid("w"), 1, 25), 200, body).unwrap();
        assert_eq!(to_deliveries(&page.logs).len(), 2);
    }

    /// The defect class: one log nested deeper than the JSON reader's limit never costs
    /// its page. A payload is read as its text whatever its depth; another field too deep
    /// to read is kept as its text and named under `UNPARSED_KEY`.
    #[test]
    fn a_deep_payload_is_kept_raw_and_its_page_survives() {
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        let body = format!(
            r#"{{"success": true, "data": [
              {{"id": "deep", "webhook_id": "w", "event": "e", "attempt": 1, "status": "failed", "http_status": 500, "request_payload": {{"x": {deep}}}, "created_at": "2026-01-01T00:01:00Z"}},
              {{"id": "ok", "webhook_id": "w", "event": "e", "attempt": 1, "status": "success", "http_status": 200, "request_payload": {{"x": 1}}, "created_at": "2026-01-01T00:02:00Z"}},
              42
            ], "pagination": {{"current_page": 1, "last_page": 1, "total": 3}}}}"#
        );
        let page =
            decode_page(&logs(Owner::Agent, &pid("a"), &pid("w"), 1, 25), 200, &body).unwrap();
        assert_eq!(page.logs.len(), 2);
        assert_eq!(
            page.unreadable, 1,
            "the bare number is counted, not lost silently"
        );
        let ds = to_deliveries(&page.logs);
        let d = ds.iter().find(|d| &*d.id == "talkover:deep").unwrap();
        assert_eq!(
            d.payload.text(),
            format!("{{\"x\":{deep}}}"),
            "its text as sent"
        );
        assert!(d.extra.get(crate::vendors::UNPARSED_KEY).is_none());
        assert_eq!(d.attempts[0].http_code, Some(500));
        // A deep field the adapter does not know: its log is read field by field.
        let body = body.replace(
            r#""attempt": 1, "status": "failed""#,
            &format!(r#""attempt": 1, "trace": {deep}, "status": "failed""#),
        );
        let page =
            decode_page(&logs(Owner::Agent, &pid("a"), &pid("w"), 1, 25), 200, &body).unwrap();
        let ds = to_deliveries(&page.logs);
        let d = ds.iter().find(|d| &*d.id == "talkover:deep").unwrap();
        assert_eq!(d.extra["trace"], serde_json::Value::String(deep.clone()));
        // The log read field by field names every field it had to keep as text.
        assert_eq!(
            d.extra[crate::vendors::UNPARSED_KEY],
            serde_json::json!(["request_payload", "trace"])
        );
        assert_eq!(d.payload.text(), format!("{{\"x\":{deep}}}"));
    }

    /// A log is read field by field: the payload and the response headers keep their text
    /// as sent (key order, escapes, numbers; only the spaces between tokens go), unknown fields land in
    /// `extra`, odd values read as absent, and a field sent twice is read as its last copy.
    #[test]
    fn a_log_keeps_its_texts_as_sent() {
        let body = r#"{"success": true, "data": [
          {"id": 17, "webhook_id": 9, "event": "e", "attempt": "2", "status": "FAILED", "http_status": "502",
           "request_payload": { "z": 1, "a": "caf\u00e9", "n": 1.10 } ,
           "response_headers": {"b": "2", "a": "1"}, "duration_ms": -4, "region": "eu", "tags": ["x"],
           "delivered_at": null, "created_at": "2026-01-01T00:00:00Z", "error": {"code": 1}},
          {"id": "x1", "id": "x2", "request_payload": null, "response_headers": null, "created_at": "2026-01-01T00:01:00Z"}
        ]}"#;
        let page =
            decode_page(&logs(Owner::Agent, &pid("a"), &pid("w"), 1, 25), 200, body).unwrap();
        assert_eq!((page.logs.len(), page.unreadable), (2, 0));
        let l = &page.logs[0];
        assert_eq!(l.id.as_deref(), Some("17"));
        assert_eq!(l.webhook_id.as_deref(), Some("9"));
        assert_eq!(
            (l.attempt, l.http_status, l.duration_ms),
            (Some(2), Some(502), None)
        );
        assert_eq!(l.request_payload.text(), r#"{"z":1,"a":"café","n":1.10}"#);
        assert_eq!(
            l.response_headers.as_ref().map(Payload::text),
            Some(r#"{"b":"2","a":"1"}"#)
        );
        assert_eq!(l.error.as_deref(), Some(r#"{"code":1}"#));
        assert_eq!(l.delivered_at, None);
        assert_eq!(
            serde_json::Value::Object(l.extra.clone()),
            serde_json::json!({"region": "eu", "tags": ["x"]})
        );
        let twice = &page.logs[1];
        assert_eq!(twice.id.as_deref(), Some("x2"));
        assert!(twice.request_payload.is_null() && twice.response_headers.is_none());
        // Written back (an export), the known fields and the unknown ones side by side.
        let back = serde_json::to_value(l).unwrap();
        assert_eq!(back["region"], "eu");
        assert_eq!(back["request_payload"]["n"], serde_json::json!(1.1));
        // Read from a tree, as tests and the demo do, it is the same log.
        let again: DeliveryLog = serde_json::from_value(back).unwrap();
        assert_eq!((again.id, again.extra), (l.id.clone(), l.extra.clone()));
    }

    /// Numbers that f64 cannot hold exactly keep their text, as sent.
    #[test]
    fn exact_numbers_are_kept_as_sent() {
        let body = r#"{"success": true, "data": [
          {"id": "n1", "webhook_id": "w", "event": "e", "attempt": 1, "status": "success", "http_status": 200, "request_payload": {"big": 12345678901234567890123, "price": 1.10, "n": 7}, "created_at": "2026-01-01T00:00:00Z"},
          {"id": "n2", "webhook_id": "w", "event": "e", "attempt": 1, "status": "success", "http_status": 200, "request_payload": {"n": 8}, "created_at": "2026-01-01T00:01:00Z"}
        ]}"#;
        let page =
            decode_page(&logs(Owner::Agent, &pid("a"), &pid("w"), 1, 25), 200, body).unwrap();
        let ds = to_deliveries(&page.logs);
        let d = ds.iter().find(|d| &*d.id == "talkover:n1").unwrap();
        assert_eq!(
            d.payload.text(),
            r#"{"big":12345678901234567890123,"price":1.10,"n":7}"#
        );
        // The export writes the same text.
        let json = serde_json::to_string(d).unwrap();
        assert!(json.contains(r#""price":1.10"#), "{json}");
    }

    #[test]
    fn retry_ack() {
        let req = retry(Owner::Agent, &pid("a"), &pid("w"), &pid("l"));
        let (ack, msg) = decode_retry(&req, 200, r#"{"success": true, "message": "Retry queued", "data": {"log_id": "new", "original_log_id": "l", "queued_at": "2026-01-01T00:00:00Z"}}"#).unwrap();
        assert_eq!(ack.log_id.as_deref(), Some("new"));
        assert_eq!(ack.original_log_id.as_deref(), Some("l"));
        assert_eq!(msg.as_deref(), Some("Retry queued"));
    }
}
