//! Burki (`https://api.burki.dev`): `GET /api/v1/calls/{call_id}/webhook-logs[?webhook_type=T]`.
//!
//! Answers a bare JSON array of logs ordered by attempt time. Errors follow FastAPI's
//! `{"detail": ...}` (handled in [`crate::response::vendor_error_message`]).

use super::unparsed_payload;
use super::{
    attach_raw, decode_items, extra_value, http_code, lenient_id, lenient_text, lenient_u64,
    numbers_round_trip,
};
use crate::domain::Payload;
use crate::domain::{Attempt, Delivery, Outcome, Timestamp, Vendor};
use crate::error::ApiError;
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
    ApiRequest {
        vendor: Vendor::Burki,
        method: Method::Get,
        path,
        query,
        body: None,
    }
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

fn to_attempt(log: &WebhookLog, number: u32) -> Attempt {
    let code = http_code(log.response_status_code);
    let outcome = match log.success {
        Some(true) => Outcome::Success,
        Some(false) => Outcome::Failed,
        None => Outcome::from_http(code),
    };
    Attempt {
        log_id: log.id.clone(),
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
        error: log.error_message.clone(),
        response_body: log.response_body.clone(),
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
                .unwrap_or_else(|| format!("burki:#{i}")),
            vendor: Vendor::Burki,
            subject: log.call_id.clone().unwrap_or_default(),
            event,
            target_url: log.webhook_url.clone(),
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
        assert_eq!(d.id, "burki:501");
        assert_eq!(d.vendor, Vendor::Burki);
        assert_eq!(d.subject, "42");
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
        assert_eq!(ds[1].id, "burki:#1");
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
