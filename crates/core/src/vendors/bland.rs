//! Bland (`https://api.bland.ai`): post-call and SMS conversation webhook logs,
//! and bulk create / resend of post-call webhooks.
//!
//! Envelope: `{"data": ..., "errors": null | [{"error", "message"}]}`.

use super::unparsed_payload;
use super::{
    decode_item, decode_items, extra_value, http_code, lenient_text, lenient_u64, null_default,
    numbers_round_trip, raw_field,
};
use crate::domain::Payload;
use crate::domain::{parse_duration_ms, Attempt, Delivery, Outcome, Timestamp, Vendor};
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
                trigger: m.send_type.clone().unwrap_or_else(|| "unknown".into()),
                error: m.error_message.clone().or_else(|| match code {
                    None => {
                        Some("The request failed before an HTTP answer (no response code).".into())
                    }
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
        id: format!("{event}:{subject}"),
        vendor: Vendor::Bland,
        subject,
        event: event.to_string(),
        target_url: rec.url.clone(),
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
        assert_eq!(d.subject, "convo_abc123");
        assert_eq!(d.event, EVENT_SMS);
        assert_eq!(
            d.target_url.as_deref(),
            Some("https://example.com/sms-webhook")
        );
        assert_eq!(d.payload.value()["message_count"], 5);
        assert_eq!(d.payload.value()["phone_number"], "+15550001111");
        assert_eq!(
            d.created_at.as_ref().unwrap().raw,
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

    #[test]
    fn bulk_general_error_applies_to_all() {
        let ids = vec!["a".to_string(), "b".to_string()];
        let body = r#"{"data": [], "errors": [{"error": "INTERNAL_SERVER_ERROR", "message": "Something broke"}]}"#;
        let out = decode_bulk(&resend_webhooks(&ids), 200, body, &ids).unwrap();
        assert!(out.iter().all(|(_, o)| o.outcome_id() == "failed"));
    }
}
