//! Bland (`https://api.bland.ai`): post-call and SMS conversation webhook logs,
//! and bulk create / resend of post-call webhooks.
//!
//! Envelope: `{"data": ..., "errors": null | [{"error", "message"}]}`.

use super::unparsed_payload;
use super::{
    decode_item, decode_items, extra_value, http_code, lenient_bool, lenient_f64, lenient_id,
    lenient_text, lenient_u64, null_default, numbers_round_trip, raw_field, recording_link,
    units_to_ms,
};
use crate::calls::phone::Phone;
use crate::domain::{parse_duration_ms, Attempt, Delivery, Name, Outcome, Timestamp, Vendor};
use crate::domain::{Call, CallCosts, CallStatus, Payload};
use crate::error::{ApiError, ErrorKind};
use crate::ids::PathId;
use crate::request::{ApiRequest, Method, PathPart};
use crate::response::decode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

// ---------- requests ----------

/// `GET /v1/postcall/webhooks/{call_id}`
pub fn postcall_webhook(call_id: &PathId) -> ApiRequest {
    get(ApiRequest::build_path(&[
        PathPart::Lit("v1/postcall/webhooks"),
        PathPart::Seg(call_id),
    ]))
}

/// `GET /v1/sms/conversations/{conversationId}/webhook`
pub fn sms_webhook(conversation_id: &PathId) -> ApiRequest {
    get(ApiRequest::build_path(&[
        PathPart::Lit("v1/sms/conversations"),
        PathPart::Seg(conversation_id),
        PathPart::Lit("webhook"),
    ]))
}

/// `POST /v1/postcall/webhooks/create` with `{"call_ids": [...], "webhook_url": "..."}`.
pub fn create_webhooks(call_ids: &[String], webhook_url: &str) -> ApiRequest {
    post(
        "/v1/postcall/webhooks/create",
        json!({ "call_ids": call_ids, "webhook_url": webhook_url }),
    )
}

/// `POST /v1/postcall/webhooks/resend` with `{"call_ids": [...]}`.
pub fn resend_webhooks(call_ids: &[String]) -> ApiRequest {
    post(
        "/v1/postcall/webhooks/resend",
        json!({ "call_ids": call_ids }),
    )
}

fn get(path: String) -> ApiRequest {
    ApiRequest {
        vendor: Vendor::Bland,
        method: Method::Get,
        path,
        query: vec![],
        body: None,
    }
}

fn post(path: &str, body: Value) -> ApiRequest {
    ApiRequest {
        vendor: Vendor::Bland,
        method: Method::Post,
        path: path.into(),
        query: vec![],
        body: Some(body),
    }
}

// ---------- wire types ----------

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Envelope<T> {
    #[serde(default = "none")]
    pub data: Option<T>,
    #[serde(default)]
    pub errors: Option<Vec<BlandError>>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct BlandError {
    #[serde(default, deserialize_with = "lenient_text")]
    pub error: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub message: Option<String>,
}

impl BlandError {
    pub fn text(&self) -> String {
        match (&self.error, &self.message) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (Some(x), None) | (None, Some(x)) => x.clone(),
            (None, None) => "unspecified error".into(),
        }
    }
}

/// One webhook record (post-call or SMS conversation).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct WebhookRecord {
    #[serde(default, deserialize_with = "lenient_text")]
    pub call_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub conversation_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub url: Option<String>,
    #[serde(default)]
    pub payload: Payload,
    #[serde(default, deserialize_with = "lenient_text")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub user_id: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Vec<SendRecord>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One attempt in `metadata`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct SendRecord {
    #[serde(default, deserialize_with = "lenient_text")]
    pub sent_at: Option<String>,
    /// `null` when the request itself failed (no HTTP answer).
    #[serde(default, deserialize_with = "lenient_u64")]
    pub response_code: Option<u64>,
    /// Documented as text such as `"142ms"`; a bare number is read as milliseconds.
    #[serde(default, deserialize_with = "lenient_text")]
    pub response_time: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub send_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub error_message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

// ---------- mapping ----------

/// Event names the console shows for Bland's two webhook logs.
pub const EVENT_POST_CALL: &str = "post_call";
pub const EVENT_SMS: &str = "sms_conversation";

/// Maps one record; attempts keep Bland's order, which is oldest first. A record that
/// names neither call nor conversation takes `asked` (the ID it was requested by), so two
/// such records never share an identity.
pub fn to_delivery(rec: &WebhookRecord, asked: Option<&str>, event_if_unnamed: &str) -> Delivery {
    let (subject, event) = match (&rec.call_id, &rec.conversation_id) {
        (Some(c), _) => (c.clone(), EVENT_POST_CALL),
        (None, Some(c)) => (c.clone(), EVENT_SMS),
        (None, None) => (
            asked.unwrap_or("(no id)").to_string(),
            if event_if_unnamed == EVENT_SMS {
                EVENT_SMS
            } else {
                EVENT_POST_CALL
            },
        ),
    };
    let attempts: Vec<Attempt> = rec
        .metadata
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let code = http_code(m.response_code);
            Attempt {
                log_id: None,
                number: u32::try_from(i).unwrap_or(u32::MAX).saturating_add(1),
                at: m.sent_at.as_deref().map(Timestamp::parse),
                http_code: code,
                duration_ms: m.response_time.as_deref().and_then(parse_duration_ms),
                outcome: Outcome::from_http(code),
                trigger: Name::new(m.send_type.as_deref().unwrap_or("unknown")),
                error: m
                    .error_message
                    .as_deref()
                    .map(Into::into)
                    .or_else(|| match code {
                        None => Some(
                            "The request failed before an HTTP answer (no response code).".into(),
                        ),
                        _ => None,
                    }),
                response_body: None,
                response_headers: None,
                retriable: false,
            }
        })
        .collect();
    let mut extra = rec.extra.clone();
    if let Some(u) = &rec.user_id {
        extra.insert("user_id".into(), Value::String(u.clone()));
    }
    Delivery {
        id: format!("{event}:{subject}").into(),
        vendor: Vendor::Bland,
        subject: subject.into(),
        event: Name::new(event),
        target_url: rec.url.as_deref().map(Into::into),
        payload: rec.payload.clone(),
        created_at: rec.created_at.as_deref().map(Timestamp::parse),
        status: Delivery::status_from_attempts(&attempts),
        attempts,
        extra: extra_value(&extra),
    }
}

fn envelope_error(req: &ApiRequest, errors: &[BlandError]) -> ApiError {
    let text = errors
        .iter()
        .map(BlandError::text)
        .collect::<Vec<_>>()
        .join("; ");
    ApiError::new(
        ErrorKind::Vendor,
        Vendor::Bland,
        req.label(),
        "Bland answered with an error.",
    )
    .with_detail(Some(text))
}

/// Decodes a record envelope; the record is read on its own (see [`super::decode_item`]).
fn decode_record(
    req: &ApiRequest,
    status: u16,
    body: &str,
) -> Result<(Option<WebhookRecord>, Vec<BlandError>), ApiError> {
    let env: Envelope<Box<RawValue>> = decode(Vendor::Bland, &req.label(), status, body)?;
    let errors = env.errors.unwrap_or_default();
    match env.data {
        Some(raw) if raw.get().trim() != "null" => match decode_item::<WebhookRecord>(&raw) {
            Some(mut rec) => {
                unparsed_payload(&rec.extra, "payload", &mut rec.payload);
                if !numbers_round_trip(raw.get()) {
                    if let Some(text) = raw_field(std::slice::from_ref(&raw), "payload")
                        .pop()
                        .flatten()
                    {
                        rec.payload = Payload::from_text(&text);
                    }
                }
                Ok((Some(rec), errors))
            }
            None => Err(ApiError::new(
                ErrorKind::BadResponse,
                Vendor::Bland,
                req.label(),
                "The webhook record is not the documented object.",
            )
            .with_status(status)),
        },
        _ => Ok((None, errors)),
    }
}

/// Decodes `GET /v1/postcall/webhooks/{id}`. `data: null` means Bland holds no webhook for
/// the call. `asked` is the call ID requested.
pub fn decode_postcall(
    req: &ApiRequest,
    asked: Option<&PathId>,
    status: u16,
    body: &str,
) -> Result<Delivery, ApiError> {
    match decode_record(req, status, body)? {
        (Some(rec), _) => Ok(to_delivery(
            &rec,
            asked.map(PathId::as_str),
            EVENT_POST_CALL,
        )),
        (None, errs) if !errs.is_empty() => Err(envelope_error(req, &errs)),
        (None, _) => Err(ApiError::new(
            ErrorKind::NotFound,
            Vendor::Bland,
            req.label(),
            "Bland has no post-call webhook recorded for this call.",
        )),
    }
}

/// Decodes `GET /v1/sms/conversations/{id}/webhook`. `Ok(None)`: no webhook sent yet (not
/// an error). `asked` is the conversation ID requested.
pub fn decode_sms(
    req: &ApiRequest,
    asked: Option<&PathId>,
    status: u16,
    body: &str,
) -> Result<Option<Delivery>, ApiError> {
    match decode_record(req, status, body)? {
        (Some(rec), _) => Ok(Some(to_delivery(
            &rec,
            asked.map(PathId::as_str),
            EVENT_SMS,
        ))),
        (None, errs) if !errs.is_empty() => Err(envelope_error(req, &errs)),
        (None, _) => Ok(None),
    }
}

/// What happened to one call ID in a bulk create or resend.
#[derive(Clone, Debug, PartialEq)]
pub enum BulkItem {
    Created(Box<Delivery>),
    AlreadySent(String),
    Invalid(String),
    Failed(String),
}

impl BulkItem {
    /// `data-outcome` value in the contract.
    pub fn outcome_id(&self) -> &'static str {
        match self {
            BulkItem::Created(_) => "created",
            BulkItem::AlreadySent(_) => "already-sent",
            BulkItem::Invalid(_) => "invalid",
            BulkItem::Failed(_) => "failed",
        }
    }

    /// Bland's message for a call that was not created/resent.
    pub fn message(&self) -> Option<&str> {
        match self {
            BulkItem::Created(_) => None,
            BulkItem::AlreadySent(m) | BulkItem::Invalid(m) | BulkItem::Failed(m) => Some(m),
        }
    }
}

/// Whether `text` names `id` as a whole word (so "call-1" is not found in "call-10").
fn mentions(text: &str, id: &str) -> bool {
    if id.is_empty() {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    text.match_indices(id).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i.saturating_add(id.len())..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

/// Decodes a create/resend answer into one outcome per requested call ID. Calls in `data`
/// succeeded; an error whose message names a call ID is that call's; errors naming no ID
/// apply to every call left without an outcome.
pub fn decode_bulk(
    req: &ApiRequest,
    status: u16,
    body: &str,
    call_ids: &[String],
) -> Result<Vec<(String, BulkItem)>, ApiError> {
    let env: Envelope<Box<RawValue>> = decode(Vendor::Bland, &req.label(), status, body)?;
    let records: Vec<WebhookRecord> = match env.data {
        None => vec![],
        Some(raw) => match serde_json::from_str::<Vec<Box<RawValue>>>(raw.get()) {
            Ok(items) => decode_items(&items).0,
            Err(_) => decode_item(&raw).into_iter().collect(),
        },
    };
    let errors = env.errors.unwrap_or_default();
    let mut out: Vec<(String, Option<BulkItem>)> =
        call_ids.iter().map(|id| (id.clone(), None)).collect();
    for rec in &records {
        if let Some(slot) = out
            .iter_mut()
            .find(|(id, _)| Some(id) == rec.call_id.as_ref())
        {
            slot.1 = Some(BulkItem::Created(Box::new(to_delivery(
                rec,
                None,
                EVENT_POST_CALL,
            ))));
        }
    }
    let classify = |e: &BlandError| {
        let text = e.text();
        let lower = text.to_lowercase();
        if lower.contains("already") {
            BulkItem::AlreadySent(text)
        } else if e.error.as_deref() == Some("invalid_parameter")
            || lower.contains("invalid")
            || lower.contains("not found")
        {
            BulkItem::Invalid(text)
        } else {
            BulkItem::Failed(text)
        }
    };
    let mut general = Vec::new();
    for e in &errors {
        let text = e.text();
        // One message may name several calls ("Calls a, b already sent"): each gets it.
        let named: Vec<usize> = out
            .iter()
            .enumerate()
            .filter(|(_, (id, _))| mentions(&text, id))
            .map(|(i, _)| i)
            .collect();
        if named.is_empty() {
            general.push(e);
        }
        for i in named {
            if let Some(slot) = out.get_mut(i) {
                if slot.1.is_none() {
                    slot.1 = Some(classify(e));
                }
            }
        }
    }
    Ok(out
        .into_iter()
        .map(|(id, item)| {
            let item = item.unwrap_or_else(|| match general.first() {
                Some(e) => classify(e),
                None => {
                    BulkItem::Failed("Bland returned no record and no error for this call.".into())
                }
            });
            (id, item)
        })
        .collect())
}

/// The answer of Bland's "Get Post Conversation Webhook" page (seeds/000), verbatim: the
/// adapter's test decodes it, and the demo serves it for that conversation.
pub const DOC_SMS_EXAMPLE: &str = r#"{
    "data": {
      "conversation_id": "convo_abc123",
      "url": "https://example.com/sms-webhook",
      "payload": {
        "type": "status",
        "conversation_id": "convo_abc123",
        "status": "ended",
        "phone_number": "+15550001111",
        "agent_number": "+15550002222",
        "channel": "sms",
        "message_count": 5
      },
      "created_at": "2026-04-13T20:50:59.233Z",
      "user_id": "user_abc123",
      "metadata": [
        {
          "sent_at": "2026-04-13T20:50:59.000Z",
          "response_code": 200,
          "response_time": "142ms",
          "send_type": "spawn"
        }
      ]
    },
    "errors": null
  }"#;

// ---------- calls ----------

/// `GET /v1/calls/{call_id}`: the call itself (no envelope).
pub fn call(call_id: &PathId) -> ApiRequest {
    get(ApiRequest::build_path(&[
        PathPart::Lit("v1/calls"),
        PathPart::Seg(call_id),
    ]))
}

/// Bland's default and largest page of `GET /v1/calls`.
pub const MAX_CALLS_LIMIT: u32 = 1000;

/// The filters and range of `GET /v1/calls` (newest first). `from` is the index of the
/// first call (inclusive); the request asks for `from..from + limit`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallsQuery {
    pub to_number: Option<Phone>,
    pub from_number: Option<Phone>,
    pub from: u64,
    pub limit: u32,
}

impl CallsQuery {
    /// The first `limit` calls to `number`.
    pub fn calls_to(number: &Phone, limit: u32) -> CallsQuery {
        CallsQuery {
            to_number: Some(number.clone()),
            from_number: None,
            from: 0,
            limit: limit.clamp(1, MAX_CALLS_LIMIT),
        }
    }

    /// The first `limit` calls from `number`.
    pub fn calls_from(number: &Phone, limit: u32) -> CallsQuery {
        CallsQuery {
            to_number: None,
            from_number: Some(number.clone()),
            from: 0,
            limit: limit.clamp(1, MAX_CALLS_LIMIT),
        }
    }

    /// The end of the range (exclusive), as Bland's `to` takes it.
    pub fn end(&self) -> u64 {
        self.from.saturating_add(u64::from(self.limit))
    }

    /// The same filters, the next range.
    pub fn next_page(&self) -> CallsQuery {
        CallsQuery {
            from: self.end(),
            ..self.clone()
        }
    }
}

/// `GET /v1/calls?to_number=&from_number=&limit=&from=&to=`
pub fn calls(q: &CallsQuery) -> ApiRequest {
    let mut query = Vec::new();
    if let Some(n) = &q.to_number {
        query.push(("to_number".to_string(), n.as_str().to_string()));
    }
    if let Some(n) = &q.from_number {
        query.push(("from_number".to_string(), n.as_str().to_string()));
    }
    let limit = q.limit.clamp(1, MAX_CALLS_LIMIT);
    query.push(("limit".into(), limit.to_string()));
    query.push(("from".into(), q.from.to_string()));
    query.push(("to".into(), q.end().to_string()));
    let mut r = get("/v1/calls".into());
    r.query = query;
    r
}

/// One call as `GET /v1/calls/{id}` and the list describe it. Every field is optional
/// (Bland's two documented examples carry different ones); the rest is kept in `extra`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct CallRecord {
    /// Documented as a string in examples and as a number in the field list.
    #[serde(default, deserialize_with = "lenient_id")]
    pub call_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub c_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub started_at: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub end_at: Option<String>,
    /// Minutes.
    #[serde(default, deserialize_with = "lenient_f64")]
    pub call_length: Option<f64>,
    /// Seconds, as text in one example (`"71"`); used when `call_length` is missing.
    #[serde(default, deserialize_with = "lenient_f64")]
    pub corrected_duration: Option<f64>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub to: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub inbound: Option<bool>,
    /// The most up-to-date status, where it differs from `queue_status`.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub completed: Option<bool>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub queue_status: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub error_message: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub answered_by: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub recording_url: Option<String>,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub price: Option<f64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The call's status: an error message means it failed; otherwise `completed` (the most
/// up-to-date word, by Bland's docs) and then the status words decide.
fn call_status(rec: &CallRecord) -> CallStatus {
    let word = |w: &Option<String>| w.as_deref().and_then(CallStatus::from_word);
    let said = word(&rec.status).or_else(|| word(&rec.queue_status));
    if rec
        .error_message
        .as_deref()
        .is_some_and(|e| !e.trim().is_empty())
        || said == Some(CallStatus::Failed)
    {
        return CallStatus::Failed;
    }
    match (rec.completed, said) {
        (Some(true), _) => CallStatus::Completed,
        // Not completed, whatever an older word says.
        (Some(false), Some(CallStatus::Completed)) | (Some(false), None) => CallStatus::Unknown,
        (_, Some(s)) => s,
        (None, None) => CallStatus::Unknown,
    }
}

/// Maps one call record into the model.
pub fn to_call(rec: &CallRecord) -> Call {
    let mut extra = rec.extra.clone();
    let status_word = match (&rec.status, &rec.queue_status) {
        (Some(s), Some(q)) => {
            extra.insert("queue_status".into(), Value::String(q.clone()));
            Some(s.clone())
        }
        (s, q) => s.clone().or_else(|| q.clone()),
    };
    if let (Some(c), Some(_)) = (&rec.c_id, &rec.call_id) {
        extra.insert("c_id".into(), Value::String(c.clone()));
    }
    let (recording_url, note) = recording_link(rec.recording_url.as_deref());
    let duration_ms = units_to_ms(rec.call_length, 60_000.0)
        .or_else(|| units_to_ms(rec.corrected_duration, 1000.0));
    let customer_number = match rec.inbound {
        Some(true) => rec.from.clone(),
        Some(false) => rec.to.clone(),
        None => None,
    };
    Call {
        vendor: Vendor::Bland,
        id: rec
            .call_id
            .clone()
            .or_else(|| rec.c_id.clone())
            .unwrap_or_default(),
        call_sid: None,
        status: call_status(rec),
        status_word,
        completed: rec.completed,
        error: rec.error_message.clone().filter(|e| !e.trim().is_empty()),
        answered_by: rec.answered_by.clone(),
        created_at: rec.created_at.as_deref().map(Timestamp::parse),
        started_at: rec.started_at.as_deref().map(Timestamp::parse),
        ended_at: rec.end_at.as_deref().map(Timestamp::parse),
        duration_ms,
        from: rec.from.clone(),
        to: rec.to.clone(),
        customer_number,
        inbound: rec.inbound,
        summary: rec.summary.clone().filter(|s| !s.trim().is_empty()),
        recording_url,
        costs: rec.price.map(|p| CallCosts {
            total: Some(p),
            ..Default::default()
        }),
        notes: note.into_iter().collect(),
        extra: extra_value(&extra),
    }
}

/// The top-level fields that tell a call from an error, parsed one by one (a deeply nested
/// other field cannot fail this; see [`super::decode_item`]). `None`: not an object.
fn telling_fields(raw: &str) -> Option<Map<String, Value>> {
    let fields: std::collections::BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(raw).ok()?;
    Some(
        ["call_id", "calls", "errors", "status", "message"]
            .iter()
            .filter_map(|k| {
                let v = fields.get(*k)?;
                Some((
                    k.to_string(),
                    serde_json::from_str::<Value>(v.get()).unwrap_or(Value::Null),
                ))
            })
            .collect(),
    )
}

/// An error Bland put in a 2xx body where a call was expected: its `errors` envelope, or
/// `{"status": "error", "message": …}` (the shape of its call-creation answers).
fn call_body_error(req: &ApiRequest, status: u16, v: &Map<String, Value>) -> Option<ApiError> {
    if v.contains_key("call_id") || v.contains_key("calls") {
        return None;
    }
    let errors: Vec<BlandError> = v
        .get("errors")
        .and_then(|e| serde_json::from_value(e.clone()).ok())
        .unwrap_or_default();
    if !errors.is_empty() {
        return Some(envelope_error(req, &errors).with_status(status));
    }
    let says_error = v
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("error"));
    says_error.then(|| {
        ApiError::new(
            ErrorKind::Vendor,
            Vendor::Bland,
            req.label(),
            "Bland answered with an error.",
        )
        .with_detail(v.get("message").map(|m| match m {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }))
        .with_status(status)
    })
}

/// Decodes `GET /v1/calls/{id}`. A call whose record names no ID takes `asked`.
pub fn decode_call(
    req: &ApiRequest,
    asked: Option<&PathId>,
    status: u16,
    body: &str,
) -> Result<Call, ApiError> {
    let raw: Box<RawValue> = decode(Vendor::Bland, &req.label(), status, body)?;
    let not_a_call = || {
        ApiError::new(
            ErrorKind::BadResponse,
            Vendor::Bland,
            req.label(),
            "The call is not the documented object.",
        )
        .with_status(status)
    };
    let fields = telling_fields(raw.get()).ok_or_else(not_a_call)?;
    if let Some(e) = call_body_error(req, status, &fields) {
        return Err(e);
    }
    let rec: CallRecord = decode_item(&raw).ok_or_else(not_a_call)?;
    let mut c = to_call(&rec);
    if c.id.is_empty() {
        c.id = asked.map(|a| a.as_str().to_string()).unwrap_or_default();
    }
    Ok(c)
}

/// One decoded page of `GET /v1/calls`.
#[derive(Clone, Debug, PartialEq)]
pub struct CallList {
    /// Newest first, as Bland orders them.
    pub calls: Vec<Call>,
    /// Bland's `count`: how many calls match (all pages), when it says.
    pub count: Option<u64>,
    /// Calls in the answer that could not be read at all (not objects).
    pub unreadable: usize,
}

#[derive(Deserialize)]
struct CallListWire {
    #[serde(default, deserialize_with = "lenient_u64")]
    count: Option<u64>,
    #[serde(default)]
    calls: Option<Vec<Box<RawValue>>>,
}

/// Decodes `GET /v1/calls`: `{"count": n, "calls": [...]}`; each call is read on its own.
pub fn decode_calls(req: &ApiRequest, status: u16, body: &str) -> Result<CallList, ApiError> {
    let raw: Box<RawValue> = decode(Vendor::Bland, &req.label(), status, body)?;
    // Field by field, so one deeply nested field elsewhere cannot fail the list.
    let fields: std::collections::BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(raw.get()).unwrap_or_default();
    let wire = CallListWire {
        count: fields
            .get("count")
            .and_then(|c| serde_json::from_str::<Value>(c.get()).ok())
            .as_ref()
            .and_then(super::value_to_u64),
        calls: fields
            .get("calls")
            .and_then(|c| serde_json::from_str(c.get()).ok()),
    };
    let Some(items) = wire.calls else {
        let told = telling_fields(raw.get()).unwrap_or_default();
        return Err(call_body_error(req, status, &told).unwrap_or_else(|| {
            ApiError::new(
                ErrorKind::BadResponse,
                Vendor::Bland,
                req.label(),
                "The answer has no `calls` list.",
            )
            .with_status(status)
        }));
    };
    let (records, unreadable) = decode_items::<CallRecord>(&items);
    Ok(CallList {
        calls: records.iter().map(to_call).collect(),
        count: wire.count,
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::pid;
    #[test]
    fn sms_documented_example() {
        let req = sms_webhook(&pid("convo_abc123"));
        assert_eq!(req.path, "/v1/sms/conversations/convo_abc123/webhook");
        let d = decode_sms(&req, Some(&pid("convo_abc123")), 200, DOC_SMS_EXAMPLE)
            .unwrap()
            .unwrap();
        assert_eq!(d.vendor, Vendor::Bland);
        assert_eq!(&*d.subject, "convo_abc123");
        assert_eq!(d.event, EVENT_SMS);
        assert_eq!(
            d.target_url.as_deref(),
            Some("https://example.com/sms-webhook")
        );
        assert_eq!(d.payload.value()["message_count"], 5);
        assert_eq!(d.payload.value()["phone_number"], "+15550001111");
        assert_eq!(
            d.created_at.as_ref().unwrap().raw(),
            "2026-04-13T20:50:59.233Z"
        );
        assert_eq!(d.extra["user_id"], "user_abc123");
        assert_eq!(d.status, crate::DeliveryStatus::Success);
        assert_eq!(d.attempts.len(), 1);
        let a = &d.attempts[0];
        assert_eq!(a.http_code, Some(200));
        assert_eq!(a.duration_ms, Some(142));
        assert_eq!(a.trigger, "spawn");
        assert_eq!(a.outcome, Outcome::Success);
        assert_eq!(
            a.at.as_ref().unwrap().parsed.unwrap().to_rfc3339(),
            "2026-04-13T20:50:59+00:00"
        );
        assert_eq!(a.error, None);
    }

    #[test]
    fn sms_without_webhook_is_none_not_error() {
        let d = decode_sms(
            &sms_webhook(&pid("c")),
            Some(&pid("c")),
            200,
            r#"{"data": null, "errors": null}"#,
        )
        .unwrap();
        assert!(d.is_none());
    }

    #[test]
    fn postcall_failed_attempts_and_resend() {
        let body = r#"{"data": {"call_id": "9d4e", "url": "https://hooks.example/x", "payload": {"call_id": "9d4e", "completed": true},
          "created_at": "2026-05-01T10:00:00Z", "user_id": "org_1", "future_field": [1],
          "metadata": [
            {"sent_at": "2026-05-01T10:00:00Z", "response_code": null, "response_time": "30000ms", "send_type": "spawn"},
            {"sent_at": "2026-05-01T10:05:00Z", "response_code": 502, "response_time": "1.2s", "send_type": "resend", "error_message": "Bad Gateway"},
            {"sent_at": "2026-05-01T10:09:00Z", "response_code": "200", "response_time": 88, "send_type": "resend"}
          ]}, "errors": null}"#;
        let req = postcall_webhook(&pid("9d4e"));
        let d = decode_postcall(&req, Some(&pid("9d4e")), 200, body).unwrap();
        assert_eq!(d.event, EVENT_POST_CALL);
        assert_eq!(d.attempts.len(), 3);
        assert_eq!(d.attempts[0].http_code, None);
        assert_eq!(d.attempts[0].outcome, Outcome::Failed);
        assert!(d.attempts[0]
            .error
            .as_deref()
            .unwrap()
            .contains("no response code"));
        assert_eq!(d.attempts[1].duration_ms, Some(1200));
        assert_eq!(d.attempts[1].error.as_deref(), Some("Bad Gateway"));
        assert_eq!(d.attempts[2].http_code, Some(200));
        assert_eq!(d.attempts[2].duration_ms, Some(88));
        assert_eq!(d.attempts[2].number, 3);
        assert_eq!(d.status, crate::DeliveryStatus::Success);
        assert_eq!(d.extra["future_field"], serde_json::json!([1]));
    }

    #[test]
    fn postcall_missing_optional_fields_and_null_metadata() {
        let d = decode_postcall(
            &postcall_webhook(&pid("x")),
            Some(&pid("x")),
            200,
            r#"{"data": {"call_id": "x", "metadata": null}}"#,
        )
        .unwrap();
        assert!(d.attempts.is_empty());
        assert_eq!(d.status, crate::DeliveryStatus::Pending);
        assert_eq!(d.target_url, None);
    }

    #[test]
    fn envelope_errors_with_200() {
        let e = decode_postcall(
            &postcall_webhook(&pid("x")),
            Some(&pid("x")),
            200,
            r#"{"data": null, "errors": [{"error": "invalid_parameter", "message": "Invalid call_id"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Vendor);
        assert_eq!(
            e.detail.as_deref(),
            Some("invalid_parameter: Invalid call_id")
        );
        let e = decode_postcall(
            &postcall_webhook(&pid("x")),
            Some(&pid("x")),
            200,
            r#"{"data": null, "errors": null}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
    }

    #[test]
    fn create_request_body() {
        let r = create_webhooks(&["a".into(), "b".into()], "https://x.example/hook");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.path, "/v1/postcall/webhooks/create");
        assert_eq!(
            r.body.unwrap(),
            serde_json::json!({"call_ids": ["a", "b"], "webhook_url": "https://x.example/hook"})
        );
        assert_eq!(
            resend_webhooks(&["a".into()]).path,
            "/v1/postcall/webhooks/resend"
        );
    }

    #[test]
    fn bulk_partial_success() {
        let ids: Vec<String> = ["call-1", "call-10", "call-100", "call-2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let body = r#"{"data": [{"call_id": "call-1", "url": "https://x", "payload": {}, "created_at": "2026-01-01T00:00:00Z",
            "metadata": [{"sent_at": "2026-01-01T00:00:00Z", "response_code": 200, "response_time": "90ms", "send_type": "create"}]}],
          "errors": [{"error": "invalid_parameter", "message": "Call call-100 has already sent a post call webhook"},
                     {"error": "invalid_parameter", "message": "Call call-10 not found"}]}"#;
        let out = decode_bulk(&create_webhooks(&ids, "https://x"), 200, body, &ids).unwrap();
        let outcome: Vec<(&str, &str)> = out
            .iter()
            .map(|(i, o)| (i.as_str(), o.outcome_id()))
            .collect();
        assert_eq!(
            outcome,
            vec![
                ("call-1", "created"),
                ("call-10", "invalid"),
                ("call-100", "already-sent"),
                ("call-2", "failed")
            ]
        );
        if let BulkItem::Created(d) = &out[0].1 {
            assert_eq!(d.attempts[0].trigger, "create");
        } else {
            panic!("call-1 should be created");
        }
    }

    #[test]
    fn one_error_naming_several_calls() {
        let ids: Vec<String> = ["a-1", "a-10", "b-2", "c-3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let body = r#"{"data": [], "errors": [{"error": "invalid_parameter", "message": "Calls a-10, b-2 have already sent a post call webhook"}, {"error": "x", "message": "boom"}]}"#;
        let out = decode_bulk(&create_webhooks(&ids, "https://x"), 200, body, &ids).unwrap();
        let o: Vec<&str> = out.iter().map(|(_, o)| o.outcome_id()).collect();
        assert_eq!(o, ["failed", "already-sent", "already-sent", "failed"]);
    }

    /// A call detail body with the fields of Bland's "Call Details" reference (the
    /// example that carries `call_length`, `price`, `summary`, `recording_url`), values
    /// ours, plus a field Bland may add later.
    const CALL_DETAIL: &str = r#"{
        "call_id": "9d404c1b-6a23-4426-953a-a52c392ff8f1",
        "c_id": "9d404c1b-6a23-4426-953a-a52c392ff8f1",
        "call_length": 0.75,
        "batch_id": null,
        "to": "+15550100199",
        "from": "+15550009999",
        "request_data": {"phone_number": "+15550100199", "wait": false},
        "completed": true,
        "created_at": "2026-10-30T09:00:00.120000+00:00",
        "started_at": "2026-10-30T09:00:04+00:00",
        "end_at": "2026-10-30T09:00:49+00:00",
        "inbound": false,
        "queue_status": "completed",
        "endpoint_url": "api.bland.ai",
        "max_duration": 30,
        "error_message": null,
        "variables": {"city": "Springfield", "call_id": "9d404c1b-6a23-4426-953a-a52c392ff8f1"},
        "answered_by": "human",
        "record": true,
        "recording_url": "https://recordings.bland.example/9d404c1b.mp3",
        "metadata": {"ticket": "T-1"},
        "summary": "Customer confirmed the delivery window.",
        "price": 0.068,
        "local_dialing": false,
        "call_ended_by": "ASSISTANT",
        "pathway_logs": null,
        "analysis": null,
        "concatenated_transcript": "user: Hello? \n assistant: Hi there!",
        "transcripts": [{"id": 1, "created_at": "2026-10-30T09:00:05+00:00", "text": "Hello?", "user": "user"}],
        "a_future_field": {"x": 1}
    }"#;

    /// The other documented example's fields: `status`, `corrected_duration` as text, a
    /// national `to`, no `call_length`, `price` or recording.
    const CALL_DETAIL_OTHER: &str = r#"{
        "status": "completed",
        "corrected_duration": "71",
        "end_at": "2026-10-29T18:15:41.000Z",
        "call_id": "c0ffee00-1111-4222-8333-444455556666",
        "to": "5550100199",
        "from": "+15550009999",
        "completed": true,
        "created_at": "2026-10-29T18:14:26.59585+00:00",
        "queue_status": "complete",
        "endpoint_url": "api.bland.ai",
        "max_duration": 30,
        "error_message": null,
        "answered_by": "voicemail",
        "batch_id": null,
        "variables": {"now": "Thu Oct 29 2026"},
        "concatenated_transcript": "assistant: Please call us back.",
        "request_data": {"phone_number": "5550100199", "wait": false},
        "transcripts": []
    }"#;

    #[test]
    fn call_detail_documented_fields() {
        let id = pid("9d404c1b-6a23-4426-953a-a52c392ff8f1");
        let req = call(&id);
        assert_eq!(req.path, "/v1/calls/9d404c1b-6a23-4426-953a-a52c392ff8f1");
        let c = decode_call(&req, Some(&id), 200, CALL_DETAIL).unwrap();
        assert_eq!(c.vendor, Vendor::Bland);
        assert_eq!(c.id, id.as_str());
        assert_eq!(c.status, CallStatus::Completed);
        assert_eq!(c.status_word.as_deref(), Some("completed"));
        assert_eq!(c.completed, Some(true));
        assert_eq!(c.duration_ms, Some(45_000));
        assert_eq!(c.length_words().as_deref(), Some("45 s"));
        assert_eq!(c.answered_by.as_deref(), Some("human"));
        assert_eq!(
            (c.from.as_deref(), c.to.as_deref()),
            (Some("+15550009999"), Some("+15550100199"))
        );
        assert_eq!(
            c.customer_number.as_deref(),
            Some("+15550100199"),
            "outbound: the customer is `to`"
        );
        assert_eq!(c.inbound, Some(false));
        assert_eq!(c.error, None);
        assert_eq!(
            c.summary.as_deref(),
            Some("Customer confirmed the delivery window.")
        );
        assert_eq!(
            c.recording_url.as_deref(),
            Some("https://recordings.bland.example/9d404c1b.mp3")
        );
        assert_eq!(c.costs.as_ref().and_then(|k| k.total), Some(0.068));
        assert_eq!(
            c.started_at.as_ref().unwrap().raw(),
            "2026-10-30T09:00:04+00:00"
        );
        assert!(c.ended_at.as_ref().unwrap().parsed.is_some());
        assert!(c.notes.is_empty());
        assert_eq!(c.extra["variables"]["city"], "Springfield");
        assert_eq!(c.extra["transcripts"][0]["text"], "Hello?");
        assert_eq!(c.extra["a_future_field"]["x"], 1);
        assert_eq!(c.extra["call_ended_by"], "ASSISTANT");
    }

    #[test]
    fn call_detail_other_documented_example() {
        let id = pid("c0ffee00-1111-4222-8333-444455556666");
        let c = decode_call(&call(&id), Some(&id), 200, CALL_DETAIL_OTHER).unwrap();
        assert_eq!(c.status, CallStatus::Completed);
        assert_eq!(c.status_word.as_deref(), Some("completed"));
        assert_eq!(c.extra["queue_status"], "complete");
        assert_eq!(
            c.duration_ms,
            Some(71_000),
            "corrected_duration (seconds) when call_length is missing"
        );
        assert_eq!(c.length_words().as_deref(), Some("1 min 11 s"));
        assert_eq!(c.to.as_deref(), Some("5550100199"));
        assert_eq!(c.customer_number, None, "inbound is not said");
        assert_eq!(c.answered_by.as_deref(), Some("voicemail"));
        assert_eq!(c.recording_url, None);
        assert_eq!(c.costs, None);
        assert!(c.started_at.is_none());
    }

    #[test]
    fn call_status_from_completed_error_and_words() {
        let status = |body: &str| {
            let id = pid("x");
            decode_call(&call(&id), Some(&id), 200, body).unwrap()
        };
        let failed = status(
            r#"{"call_id": "x", "completed": true, "queue_status": "complete", "error_message": "Invalid phone number"}"#,
        );
        assert_eq!(failed.status, CallStatus::Failed);
        assert_eq!(failed.error.as_deref(), Some("Invalid phone number"));
        assert_eq!(
            status(r#"{"completed": false, "queue_status": "queued"}"#).status,
            CallStatus::Queued
        );
        assert_eq!(
            status(r#"{"completed": false, "status": "in-progress", "queue_status": "started"}"#)
                .status,
            CallStatus::Ongoing
        );
        assert_eq!(
            status(r#"{"completed": false, "queue_status": "complete"}"#).status,
            CallStatus::Unknown,
            "`completed` is the most up-to-date word"
        );
        assert_eq!(
            status(r#"{"completed": "true"}"#).status,
            CallStatus::Completed
        );
        assert_eq!(
            status(r#"{"queue_status": "teleported"}"#).status,
            CallStatus::Unknown
        );
        assert_eq!(status(r#"{"status": "failed"}"#).status, CallStatus::Failed);
        let none = status("{}");
        assert_eq!(
            (none.id.as_str(), none.status),
            ("x", CallStatus::Unknown),
            "the asked ID"
        );
        assert_eq!(status(r#"{"call_id": 12345}"#).id, "12345");
        let no_answer =
            status(r#"{"completed": true, "answered_by": "no-answer", "call_length": 0}"#);
        assert_eq!(
            (no_answer.status, no_answer.duration_ms),
            (CallStatus::Completed, Some(0))
        );
        assert_eq!(status(r#"{"call_length": -3}"#).duration_ms, None);
    }

    #[test]
    fn recording_links_other_than_https_are_dropped_with_a_note() {
        for link in [
            "http://rec.example/a.mp3",
            "javascript:alert(1)",
            "https://user@evil.example/x",
            "//rec.example/a",
        ] {
            let body = serde_json::json!({"call_id": "x", "recording_url": link}).to_string();
            let id = pid("x");
            let c = decode_call(&call(&id), Some(&id), 200, &body).unwrap();
            assert_eq!(c.recording_url, None, "{link}");
            assert_eq!(c.notes.len(), 1);
            assert!(
                c.notes[0].starts_with("The recording link was left out"),
                "{}",
                c.notes[0]
            );
        }
    }

    #[test]
    fn call_errors_are_typed() {
        let id = pid("x");
        let req = call(&id);
        let e = decode_call(&req, Some(&id), 200, r#"{"data": null, "errors": [{"error": "invalid_parameter", "message": "Invalid call_id"}]}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Vendor);
        assert_eq!(
            e.detail.as_deref(),
            Some("invalid_parameter: Invalid call_id")
        );
        let e = decode_call(
            &req,
            Some(&id),
            200,
            r#"{"status": "error", "message": "Call not found"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.detail.as_deref()),
            (ErrorKind::Vendor, Some("Call not found"))
        );
        for bad in ["<html>502</html>", r#"{"call_id": "x""#, "", "[1, 2]"] {
            let e = decode_call(&req, Some(&id), 200, bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadResponse, "{bad}");
        }
    }

    #[test]
    fn call_list_request_and_paging() {
        let phone = Phone::parse_e164("+15550100199").unwrap();
        let q = CallsQuery::calls_to(&phone, 50);
        assert_eq!(
            calls(&q).path_and_query(),
            "/v1/calls?to_number=%2B15550100199&limit=50&from=0&to=50"
        );
        assert_eq!(
            calls(&CallsQuery::calls_from(&phone, 5000).next_page()).path_and_query(),
            "/v1/calls?from_number=%2B15550100199&limit=1000&from=1000&to=2000"
        );
    }

    #[test]
    fn call_list_documented_shape() {
        // The list's documented fields; one item that is not an object.
        let body = r#"{"count": 784, "calls": [
            {"call_id": "c1", "created_at": "2026-10-30T09:00:00+00:00", "call_length": 0.834, "to": "5550100199",
             "from": "+15550009999", "completed": true, "queue_status": "complete", "error_message": null,
             "answered_by": "human", "batch_id": "b-1"},
            {"call_id": "c0", "created_at": "2026-10-29T09:00:00+00:00", "completed": false, "queue_status": "queued"},
            "not a call"
        ], "next": null}"#;
        let phone = Phone::parse_e164("+15550100199").unwrap();
        let req = calls(&CallsQuery::calls_to(&phone, 50));
        let list = decode_calls(&req, 200, body).unwrap();
        assert_eq!(list.count, Some(784));
        assert_eq!(list.unreadable, 1);
        assert_eq!(list.calls.len(), 2);
        assert_eq!(list.calls[0].id, "c1");
        assert_eq!(list.calls[0].duration_ms, Some(50_040));
        assert_eq!(list.calls[0].extra["batch_id"], "b-1");
        assert_eq!(list.calls[1].status, CallStatus::Queued);
        let e = decode_calls(
            &req,
            200,
            r#"{"errors": [{"error": "invalid_parameter", "message": "bad to_number"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Vendor);
        let e = decode_calls(&req, 200, r#"{"count": 0}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadResponse);
        assert!(decode_calls(&req, 200, r#"{"count": 0, "calls": []}"#)
            .unwrap()
            .calls
            .is_empty());
    }

    #[test]
    fn bulk_general_error_applies_to_all() {
        let ids = vec!["a".to_string(), "b".to_string()];
        let body = r#"{"data": [], "errors": [{"error": "INTERNAL_SERVER_ERROR", "message": "Something broke"}]}"#;
        let out = decode_bulk(&resend_webhooks(&ids), 200, body, &ids).unwrap();
        assert!(out.iter().all(|(_, o)| o.outcome_id() == "failed"));
    }
}
