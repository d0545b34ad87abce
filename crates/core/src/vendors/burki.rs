//! Burki (`https://api.burki.dev`): `GET /api/v1/calls/{call_id}/webhook-logs[?webhook_type=T]`.
//!
//! Answers a bare JSON array of logs ordered by attempt time. Errors follow FastAPI's
//! `{"detail": ...}` (handled in [`crate::response::vendor_error_message`]).

use super::unparsed_payload;
use super::{
    attach_raw, decode_item, decode_items, extra_value, http_code, lenient_f64, lenient_id,
    lenient_text, lenient_u64, numbers_round_trip, recording_link, units_to_ms,
};
use crate::calls::phone::Phone;
use crate::domain::{Attempt, Call, CallCosts, CallStatus, Delivery, Outcome, Timestamp, Vendor};
use crate::domain::{Name, Payload};
use crate::error::{ApiError, ErrorKind};
use crate::ids::PathId;
use crate::request::{ApiRequest, Method, PathPart};
use crate::response::decode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The webhook types Burki documents; others are accepted as they come.
pub const WEBHOOK_TYPES: [&str; 6] = [
    "call_started",
    "call_ended",
    "transcript",
    "tool_call",
    "transfer_initiated",
    "sms_received",
];

/// `GET /api/v1/calls/{call_id}/webhook-logs`, with the optional `webhook_type` filter.
pub fn webhook_logs(call_id: u64, webhook_type: Option<&str>) -> ApiRequest {
    let path = ApiRequest::build_path(&[
        PathPart::Lit("api/v1/calls"),
        PathPart::Int(call_id),
        PathPart::Lit("webhook-logs"),
    ]);
    let query = webhook_type
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| vec![("webhook_type".to_string(), t.to_string())])
        .unwrap_or_default();
    let mut r = get(path);
    r.query = query;
    r
}

/// One log as documented.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct WebhookLog {
    #[serde(default, deserialize_with = "lenient_id")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub call_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub assistant_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub webhook_url: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub webhook_type: Option<String>,
    #[serde(default)]
    pub request_payload: Payload,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub response_status_code: Option<u64>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub response_body: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub response_time_ms: Option<u64>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub attempted_at: Option<String>,
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub error_message: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub retry_count: Option<u64>,
    #[serde(default)]
    pub webhook_metadata: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Burki's sender counts only 200, 201 and 202 as delivered (a 204 is logged as failed);
/// used when a log does not say `success` itself.
pub fn counted_as_success(code: Option<u16>) -> Outcome {
    match code {
        Some(200..=202) => Outcome::Success,
        _ => Outcome::Failed,
    }
}

/// The suffix Burki puts on a stored response body it cut at 10 KB.
pub const TRUNCATED_SUFFIX: &str = "... [TRUNCATED]";

fn to_attempt(log: &WebhookLog, number: u32) -> Attempt {
    let code = http_code(log.response_status_code);
    let outcome = match log.success {
        Some(true) => Outcome::Success,
        Some(false) => Outcome::Failed,
        None => counted_as_success(code),
    };
    Attempt {
        log_id: log.id.as_deref().map(Into::into),
        number,
        at: log.attempted_at.as_deref().map(Timestamp::parse),
        http_code: code,
        duration_ms: log.response_time_ms,
        outcome,
        trigger: if log.retry_count.unwrap_or(0) > 0 {
            "retry".into()
        } else {
            "initial".into()
        },
        error: log.error_message.as_deref().map(Into::into),
        response_body: log.response_body.as_deref().map(Into::into),
        response_headers: None,
        retriable: false,
    }
}

/// Groups logs into deliveries: a log with `retry_count > 0` joins the latest earlier
/// delivery of the same type and identical payload (it is a retry of that message);
/// any other log, and any log without a payload, starts a delivery of its own.
pub fn to_deliveries(logs: &[WebhookLog]) -> Vec<Delivery> {
    let mut out: Vec<Delivery> = Vec::with_capacity(logs.len());
    // Grouping key → index of the latest delivery with that key.
    let mut latest: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, log) in logs.iter().enumerate() {
        let event = log.webhook_type.clone().unwrap_or_else(|| "unknown".into());
        let key = (!log.request_payload.is_null())
            .then(|| format!("{event}\u{0}{}", log.request_payload.text()));
        let is_retry = log.retry_count.unwrap_or(0) > 0;
        if is_retry {
            let found = key.as_ref().and_then(|k| latest.get(k)).copied();
            if let Some(d) = found.and_then(|j| out.get_mut(j)) {
                let n = u32::try_from(d.attempts.len())
                    .unwrap_or(u32::MAX)
                    .saturating_add(1);
                d.attempts.push(to_attempt(log, n));
                d.status = Delivery::status_from_attempts(&d.attempts);
                continue;
            }
        }
        let attempts = vec![to_attempt(log, 1)];
        let mut extra = log.extra.clone();
        for (k, v) in [
            ("assistant_id", &log.assistant_id),
            ("call_id", &log.call_id),
        ] {
            if let Some(v) = v {
                extra.insert(k.into(), Value::String(v.clone()));
            }
        }
        if let Some(m) = &log.webhook_metadata {
            extra.insert("webhook_metadata".into(), m.clone());
        }
        let delivery = Delivery {
            id: log
                .id
                .clone()
                .map(|id| format!("burki:{id}"))
                .unwrap_or_else(|| format!("burki:#{i}"))
                .into(),
            vendor: Vendor::Burki,
            subject: log.call_id.as_deref().unwrap_or_default().into(),
            event: Name::new(&event),
            target_url: log.webhook_url.as_deref().map(Into::into),
            payload: log.request_payload.clone(),
            created_at: log.attempted_at.as_deref().map(Timestamp::parse),
            status: Delivery::status_from_attempts(&attempts),
            attempts,
            extra: extra_value(&extra),
        };
        if let Some(k) = key {
            latest.insert(k, out.len());
        }
        out.push(delivery);
    }
    out
}

/// Decodes the bare array Burki answers with. Each log is read on its own (see
/// [`super::decode_item`]); the second value counts logs that could not be read at all.
pub fn decode_logs_counted(
    req: &ApiRequest,
    status: u16,
    body: &str,
) -> Result<(Vec<Delivery>, usize), ApiError> {
    // One pass for the usual answer; log by log only when one log is odd.
    let (mut logs, unreadable) = match serde_json::from_str::<Vec<WebhookLog>>(body) {
        Ok(logs) => (logs, 0),
        Err(_) => {
            let raw: Vec<Box<RawValue>> = decode(Vendor::Burki, &req.label(), status, body)?;
            decode_items::<WebhookLog>(&raw)
        }
    };
    for l in &mut logs {
        unparsed_payload(&l.extra, "request_payload", &mut l.request_payload);
    }
    if !numbers_round_trip(body) {
        if let Ok(raw) = serde_json::from_str::<Vec<Box<RawValue>>>(body) {
            attach_raw(&mut logs, &raw, "request_payload", |l| {
                &mut l.request_payload
            });
        }
    }
    Ok((to_deliveries(&logs), unreadable))
}

/// [`decode_logs_counted`] without the count.
pub fn decode_logs(req: &ApiRequest, status: u16, body: &str) -> Result<Vec<Delivery>, ApiError> {
    decode_logs_counted(req, status, body).map(|(d, _)| d)
}

// ---------- calls ----------

/// `GET /api/v1/calls/{id}`: one call by Burki's internal integer ID.
pub fn call(id: u64) -> ApiRequest {
    get(ApiRequest::build_path(&[
        PathPart::Lit("api/v1/calls"),
        PathPart::Int(id),
    ]))
}

/// `GET /api/v1/calls/sid/{call_sid}`: one call by its telephony call SID.
pub fn call_by_sid(call_sid: &PathId) -> ApiRequest {
    get(ApiRequest::build_path(&[
        PathPart::Lit("api/v1/calls/sid"),
        PathPart::Seg(call_sid),
    ]))
}

/// Burki's largest `limit` (its default is 100).
pub const MAX_CALLS_LIMIT: u32 = 1000;

/// The filters and page of `GET /api/v1/calls` (Burki matches both filters partially).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CallsQuery {
    pub customer_phone: Option<Phone>,
    pub call_sid: Option<String>,
    pub skip: u64,
    pub limit: u32,
}

impl CallsQuery {
    /// The first `limit` calls with `number` as the customer's.
    pub fn customer(number: &Phone, limit: u32) -> CallsQuery {
        CallsQuery {
            customer_phone: Some(number.clone()),
            call_sid: None,
            skip: 0,
            limit: limit.clamp(1, MAX_CALLS_LIMIT),
        }
    }

    /// The first `limit` calls whose SID contains `sid`.
    pub fn sid(sid: &str, limit: u32) -> CallsQuery {
        CallsQuery {
            customer_phone: None,
            call_sid: Some(sid.to_string()),
            skip: 0,
            limit: limit.clamp(1, MAX_CALLS_LIMIT),
        }
    }

    /// The same filters, the next page.
    pub fn next_page(&self) -> CallsQuery {
        CallsQuery {
            skip: self.skip.saturating_add(u64::from(self.limit)),
            ..self.clone()
        }
    }
}

/// `GET /api/v1/calls?customer_phone=&call_sid=&skip=&limit=`
pub fn calls(q: &CallsQuery) -> ApiRequest {
    let mut r = get("/api/v1/calls".into());
    if let Some(p) = &q.customer_phone {
        r.query
            .push(("customer_phone".into(), p.as_str().to_string()));
    }
    if let Some(sid) = q
        .call_sid
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        r.query.push(("call_sid".into(), sid.to_string()));
    }
    r.query.push(("skip".into(), q.skip.to_string()));
    r.query.push((
        "limit".into(),
        q.limit.clamp(1, MAX_CALLS_LIMIT).to_string(),
    ));
    r
}

fn get(path: String) -> ApiRequest {
    ApiRequest {
        vendor: Vendor::Burki,
        method: Method::Get,
        path,
        query: vec![],
        body: None,
    }
}

/// One call as documented; every field optional, the rest kept in `extra`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct CallRecord {
    #[serde(default, deserialize_with = "lenient_id")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub call_sid: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub assistant_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub assistant_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub flow_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub to_phone_number: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub customer_phone_number: Option<String>,
    /// `ongoing`, `completed`, `failed`.
    #[serde(default, deserialize_with = "lenient_text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub started_at: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub ended_at: Option<String>,
    /// Seconds.
    #[serde(default, deserialize_with = "lenient_f64")]
    pub duration: Option<f64>,
    #[serde(default)]
    pub call_meta: Option<Value>,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub total_cost: Option<f64>,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub llm_cost: Option<f64>,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub tts_cost: Option<f64>,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub stt_cost: Option<f64>,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub telephony_cost: Option<f64>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub cost_currency: Option<String>,
    /// Not documented for calls; read when present, and kept only when https.
    #[serde(default, deserialize_with = "lenient_text")]
    pub recording_url: Option<String>,
    /// Not documented either; a failed call may say why here or in `call_meta`.
    #[serde(default, deserialize_with = "lenient_text")]
    pub error_message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Maps one call record into the model.
pub fn to_call(rec: &CallRecord) -> Call {
    let mut extra = rec.extra.clone();
    for (k, v) in [
        ("assistant_id", &rec.assistant_id),
        ("assistant_name", &rec.assistant_name),
        ("flow_name", &rec.flow_name),
    ] {
        if let Some(v) = v {
            extra.insert(k.into(), Value::String(v.clone()));
        }
    }
    if let Some(m) = &rec.call_meta {
        extra.insert("call_meta".into(), m.clone());
    }
    let status = rec
        .status
        .as_deref()
        .and_then(CallStatus::from_word)
        .unwrap_or(CallStatus::Unknown);
    let meta_text = |key: &str| {
        rec.call_meta
            .as_ref()
            .and_then(|m| m.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let error = rec
        .error_message
        .clone()
        .or_else(|| meta_text("error_message"))
        .or_else(|| meta_text("error"))
        .filter(|e| !e.trim().is_empty());
    let (recording_url, note) = recording_link(rec.recording_url.as_deref());
    let costs = CallCosts {
        total: rec.total_cost,
        llm: rec.llm_cost,
        tts: rec.tts_cost,
        stt: rec.stt_cost,
        telephony: rec.telephony_cost,
        currency: rec.cost_currency.clone(),
    };
    Call {
        vendor: Vendor::Burki,
        id: rec.id.clone().unwrap_or_default(),
        call_sid: rec.call_sid.clone().filter(|s| !s.trim().is_empty()),
        status,
        status_word: rec.status.clone(),
        completed: rec.status.as_ref().map(|_| status == CallStatus::Completed),
        error,
        answered_by: None,
        created_at: None,
        started_at: rec.started_at.as_deref().map(Timestamp::parse),
        ended_at: rec.ended_at.as_deref().map(Timestamp::parse),
        duration_ms: units_to_ms(rec.duration, 1000.0),
        // Burki names the customer's number and the assistant's, not a direction.
        from: None,
        to: rec.to_phone_number.clone(),
        customer_number: rec.customer_phone_number.clone(),
        inbound: None,
        summary: meta_text("summary").filter(|s| !s.trim().is_empty()),
        recording_url,
        costs: (!costs.is_empty()).then_some(costs),
        notes: note.into_iter().collect(),
        extra: extra_value(&extra),
    }
}

/// Decodes `GET /api/v1/calls/{id}` or `GET /api/v1/calls/sid/{sid}`.
pub fn decode_call(req: &ApiRequest, status: u16, body: &str) -> Result<Call, ApiError> {
    let raw: Box<RawValue> = decode(Vendor::Burki, &req.label(), status, body)?;
    if !raw.get().trim_start().starts_with('{') {
        return Err(ApiError::new(
            ErrorKind::BadResponse,
            Vendor::Burki,
            req.label(),
            "The call is not the documented object.",
        )
        .with_status(status));
    }
    let rec: CallRecord = decode_item(&raw).unwrap_or_default();
    Ok(to_call(&rec))
}

/// One decoded page of `GET /api/v1/calls`.
#[derive(Clone, Debug, PartialEq)]
pub struct CallList {
    pub calls: Vec<Call>,
    /// How many calls match (all pages), when the answer says (`total`).
    pub total: Option<u64>,
    /// Calls that could not be read at all (not objects).
    pub unreadable: usize,
}

struct CallListWire {
    items: Option<Vec<Box<RawValue>>>,
    total: Option<u64>,
}

/// `items` and `total`, read field by field so a deeply nested other field cannot fail
/// the list. `None`: not an object.
fn list_fields(raw: &str) -> Option<CallListWire> {
    let fields: std::collections::BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(raw).ok()?;
    Some(CallListWire {
        items: fields
            .get("items")
            .and_then(|i| serde_json::from_str(i.get()).ok()),
        total: fields
            .get("total")
            .and_then(|t| serde_json::from_str::<Value>(t.get()).ok())
            .as_ref()
            .and_then(super::value_to_u64),
    })
}

/// Decodes `GET /api/v1/calls`: `{"items": [...], ...}` (a bare array is read too).
pub fn decode_calls(req: &ApiRequest, status: u16, body: &str) -> Result<CallList, ApiError> {
    let raw: Box<RawValue> = decode(Vendor::Burki, &req.label(), status, body)?;
    let (items, total) = match serde_json::from_str::<Vec<Box<RawValue>>>(raw.get()) {
        Ok(items) => (items, None),
        Err(_) => match list_fields(raw.get()) {
            Some(CallListWire {
                items: Some(items),
                total,
            }) => (items, total),
            _ => {
                return Err(ApiError::new(
                    ErrorKind::BadResponse,
                    Vendor::Burki,
                    req.label(),
                    "The answer has no `items` list of calls.",
                )
                .with_status(status))
            }
        },
    };
    let (records, unreadable) = decode_items::<CallRecord>(&items);
    Ok(CallList {
        calls: records.iter().map(to_call).collect(),
        total,
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DeliveryStatus;

    /// Burki's reference gives the fields as a table, not a JSON example; this body uses
    /// every documented field with the documented types.
    const DOCUMENTED_FIELDS: &str = r#"[
      {"id": 501, "call_id": 42, "assistant_id": 7, "webhook_url": "https://hooks.example.com/burki",
       "webhook_type": "call_ended", "request_payload": {"event": "call_ended", "call_sid": "CA1", "duration": 61},
       "response_status_code": 500, "response_body": "upstream exploded", "response_time_ms": 2300,
       "attempted_at": "2026-03-02T09:15:00Z", "success": false, "error_message": "HTTP 500",
       "retry_count": 0, "webhook_metadata": {"attempt_source": "call_end"}},
      {"id": 502, "call_id": 42, "assistant_id": 7, "webhook_url": "https://hooks.example.com/burki",
       "webhook_type": "call_ended", "request_payload": {"call_sid": "CA1", "event": "call_ended", "duration": 61},
       "response_status_code": 200, "response_body": "ok", "response_time_ms": 120,
       "attempted_at": "2026-03-02T09:15:30Z", "success": true, "error_message": null,
       "retry_count": 1, "webhook_metadata": null},
      {"id": 503, "call_id": 42, "assistant_id": 7, "webhook_url": "https://hooks.example.com/burki",
       "webhook_type": "transcript", "request_payload": {"text": "hello"},
       "response_status_code": 204, "response_body": "", "response_time_ms": 45,
       "attempted_at": "2026-03-02T09:14:00Z", "success": true, "error_message": null, "retry_count": 0,
       "webhook_metadata": {}}
    ]"#;

    #[test]
    fn request_path_and_filter() {
        let r = webhook_logs(42, Some(" call_ended "));
        assert_eq!(
            r.path_and_query(),
            "/api/v1/calls/42/webhook-logs?webhook_type=call_ended"
        );
        assert_eq!(
            webhook_logs(42, Some("")).path_and_query(),
            "/api/v1/calls/42/webhook-logs"
        );
        assert_eq!(
            webhook_logs(1, Some("a&b=c")).path_and_query(),
            "/api/v1/calls/1/webhook-logs?webhook_type=a%26b%3Dc"
        );
    }

    #[test]
    fn documented_fields_map_field_by_field() {
        let ds = decode_logs(&webhook_logs(42, None), 200, DOCUMENTED_FIELDS).unwrap();
        assert_eq!(
            ds.len(),
            2,
            "the retry (same type, same payload) joins its delivery"
        );
        let d = &ds[0];
        assert_eq!(&*d.id, "burki:501");
        assert_eq!(d.vendor, Vendor::Burki);
        assert_eq!(&*d.subject, "42");
        assert_eq!(d.event, "call_ended");
        assert_eq!(
            d.target_url.as_deref(),
            Some("https://hooks.example.com/burki")
        );
        assert_eq!(d.payload.value()["call_sid"], "CA1");
        assert_eq!(d.extra["assistant_id"], "7");
        assert_eq!(d.extra["webhook_metadata"]["attempt_source"], "call_end");
        assert_eq!(d.status, DeliveryStatus::Success);
        let (a1, a2) = (&d.attempts[0], &d.attempts[1]);
        assert_eq!(
            (a1.number, a1.http_code, a1.duration_ms, a1.outcome),
            (1, Some(500), Some(2300), Outcome::Failed)
        );
        assert_eq!(a1.error.as_deref(), Some("HTTP 500"));
        assert_eq!(a1.response_body.as_deref(), Some("upstream exploded"));
        assert_eq!(a1.log_id.as_deref(), Some("501"));
        assert_eq!(a1.trigger, "initial");
        assert_eq!(
            (a2.number, a2.http_code, a2.outcome, a2.trigger.as_str()),
            (2, Some(200), Outcome::Success, "retry")
        );
        assert_eq!(ds[1].event, "transcript");
        assert_eq!(ds[1].attempts[0].http_code, Some(204));
    }

    #[test]
    fn tolerates_missing_and_odd_fields() {
        let ds = decode_logs(
            &webhook_logs(1, None),
            200,
            r#"[{"webhook_type": "new_kind", "response_status_code": "503", "x": 1}, {}]"#,
        )
        .unwrap();
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].event, "new_kind");
        assert_eq!(ds[0].status, DeliveryStatus::Failed);
        assert_eq!(ds[0].extra["x"], 1);
        assert_eq!(ds[1].event, "unknown");
        assert_eq!(&*ds[1].id, "burki:#1");
    }

    /// A call with every field Burki's reference lists for `GET /api/v1/calls/{id}`
    /// (values ours), plus one it may add.
    const CALL: &str = r#"{
        "id": 2001, "call_sid": "CA5f0e6a1b2c3d4e5f60718293a4b5c6d7", "assistant_id": 7,
        "assistant_name": "Front desk", "flow_name": "Delivery questions",
        "to_phone_number": "+15550002000", "customer_phone_number": "+15550100199",
        "status": "completed", "started_at": "2026-10-30T10:00:00Z", "ended_at": "2026-10-30T10:03:20Z",
        "duration": 200, "call_meta": {"ended_by": "caller"},
        "total_cost": 0.1234, "llm_cost": 0.05, "tts_cost": 0.03, "stt_cost": 0.0134,
        "telephony_cost": 0.03, "cost_currency": "USD", "recording_sid": "RE1"
    }"#;

    #[test]
    fn call_documented_fields() {
        assert_eq!(call(2001).path, "/api/v1/calls/2001");
        let sid = PathId::typed("Call SID", "CA5f0e6a1b2c3d4e5f60718293a4b5c6d7").unwrap();
        let req = call_by_sid(&sid);
        assert_eq!(
            req.path,
            "/api/v1/calls/sid/CA5f0e6a1b2c3d4e5f60718293a4b5c6d7"
        );
        let c = decode_call(&req, 200, CALL).unwrap();
        assert_eq!(c.vendor, Vendor::Burki);
        assert_eq!(c.id, "2001");
        assert_eq!(
            c.call_sid.as_deref(),
            Some("CA5f0e6a1b2c3d4e5f60718293a4b5c6d7")
        );
        assert_eq!(c.status, CallStatus::Completed);
        assert_eq!(c.completed, Some(true));
        assert_eq!(c.duration_ms, Some(200_000));
        assert_eq!(c.length_words().as_deref(), Some("3 min 20 s"));
        assert_eq!(c.to.as_deref(), Some("+15550002000"));
        assert_eq!(c.customer_number.as_deref(), Some("+15550100199"));
        assert_eq!(c.from, None, "Burki does not say the direction");
        let k = c.costs.unwrap();
        assert_eq!(
            (k.total, k.llm, k.tts, k.stt, k.telephony),
            (
                Some(0.1234),
                Some(0.05),
                Some(0.03),
                Some(0.0134),
                Some(0.03)
            )
        );
        assert_eq!(k.currency.as_deref(), Some("USD"));
        assert_eq!(c.extra["assistant_name"], "Front desk");
        assert_eq!(c.extra["assistant_id"], "7");
        assert_eq!(c.extra["flow_name"], "Delivery questions");
        assert_eq!(c.extra["call_meta"]["ended_by"], "caller");
        assert_eq!(c.extra["recording_sid"], "RE1");
    }

    #[test]
    fn call_statuses_and_missing_fields() {
        let st = |body: &str| decode_call(&call(1), 200, body).unwrap();
        assert_eq!(st(r#"{"status": "ongoing"}"#).status, CallStatus::Ongoing);
        let failed = st(
            r#"{"id": 3, "status": "failed", "call_meta": {"error": "Carrier rejected the call"}}"#,
        );
        assert_eq!(failed.status, CallStatus::Failed);
        assert_eq!(failed.completed, Some(false));
        assert_eq!(failed.error.as_deref(), Some("Carrier rejected the call"));
        let bare = st("{}");
        assert_eq!(
            (bare.status, bare.completed, bare.costs.clone()),
            (CallStatus::Unknown, None, None)
        );
        assert_eq!(
            st(r#"{"status": "beamed-up"}"#).status_word.as_deref(),
            Some("beamed-up")
        );
        let http = st(r#"{"recording_url": "http://rec.example/1.wav"}"#);
        assert_eq!(http.recording_url, None);
        assert!(http.notes[0].contains("not an https: address"));
        for bad in ["[]", "\"x\"", "<html></html>", ""] {
            assert_eq!(
                decode_call(&call(1), 200, bad).unwrap_err().kind,
                crate::ErrorKind::BadResponse,
                "{bad}"
            );
        }
    }

    #[test]
    fn call_list_request_and_shape() {
        let p = Phone::parse_e164("+15550100199").unwrap();
        let q = CallsQuery::customer(&p, 50);
        assert_eq!(
            calls(&q).path_and_query(),
            "/api/v1/calls?customer_phone=%2B15550100199&skip=0&limit=50"
        );
        assert_eq!(
            calls(&CallsQuery::sid("CA1", 0).next_page()).path_and_query(),
            "/api/v1/calls?call_sid=CA1&skip=1&limit=1"
        );
        let body = r#"{"items": [{"id": 2002, "status": "failed"}, 5, {"id": 2001, "status": "completed"}], "total": 7, "skip": 0, "limit": 50}"#;
        let list = decode_calls(&calls(&q), 200, body).unwrap();
        assert_eq!(
            (list.calls.len(), list.unreadable, list.total),
            (2, 1, Some(7))
        );
        assert_eq!(list.calls[0].id, "2002");
        let bare = decode_calls(&calls(&q), 200, r#"[{"id": 1}]"#).unwrap();
        assert_eq!((bare.calls.len(), bare.total), (1, None));
        let e = decode_calls(&calls(&q), 200, r#"{"detail": "nope"}"#).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::BadResponse);
    }

    #[test]
    fn logs_without_success_follow_burkis_own_rule() {
        let ds = decode_logs(
            &webhook_logs(1, None),
            200,
            r#"[{"id": 1, "webhook_type": "a", "response_status_code": 204}, {"id": 2, "webhook_type": "b", "response_status_code": 202}]"#,
        )
        .unwrap();
        assert_eq!(
            ds[0].status,
            DeliveryStatus::Failed,
            "204 is not delivered for Burki"
        );
        assert_eq!(ds[1].status, DeliveryStatus::Success);
    }

    #[test]
    fn empty_list_is_fine_and_object_is_bad() {
        assert!(decode_logs(&webhook_logs(1, None), 200, "[]")
            .unwrap()
            .is_empty());
        let e = decode_logs(&webhook_logs(1, None), 200, r#"{"detail": "x"}"#).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::BadResponse);
    }
}
