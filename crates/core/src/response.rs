//! Turning an HTTP answer into a body to decode, or into a typed [`ApiError`].

use crate::domain::Vendor;
use crate::error::{shorten, ApiError, ErrorKind};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What a transport got back, before any interpretation.
#[derive(Clone, Debug, PartialEq)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
    /// The answer asked the browser to sign in (`WWW-Authenticate`): in a team deployment
    /// a 401 then means the person's sign-in to the console, not the vendor's key.
    pub sign_in_asked: bool,
}

/// Seconds to wait from a `Retry-After` value: delta-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<u64> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs);
    }
    // An HTTP date is an IMF-fixdate (RFC 7231); read by hand, as chrono's
    // `parse_from_rfc2822` reads one, so chrono's format parser stays out of the wasm.
    let at = crate::datetime::parse_imf_fixdate(v)?;
    Some(u64::try_from(at.signed_duration_since(now).num_seconds()).unwrap_or(0))
}

/// Pulls a human message out of any of the vendors' error shapes:
/// Bland `{"errors":[{"error","message"}]}`, Burki/FastAPI `{"detail": str | [{loc,msg}]}`,
/// Talkover `{"success":false,"message","code"}` and `{"success":false,"error":{"code",
/// "message","details"}}`, and a bare `{"error": "text"}`.
pub fn vendor_error_message(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    let mut parts = Vec::new();
    if let Some(errs) = v.get("errors").and_then(Value::as_array) {
        for e in errs {
            let code = e.get("error").and_then(Value::as_str);
            let msg = e.get("message").and_then(Value::as_str);
            match (code, msg) {
                (Some(c), Some(m)) => parts.push(format!("{c}: {m}")),
                (None, Some(m)) | (Some(m), None) => parts.push(m.to_string()),
                _ => {}
            }
        }
    }
    match v.get("detail") {
        Some(Value::String(s)) => parts.push(s.clone()),
        Some(Value::Array(items)) => {
            for it in items {
                let msg = it
                    .get("msg")
                    .and_then(Value::as_str)
                    .unwrap_or("invalid value");
                let loc = it.get("loc").and_then(Value::as_array).map(|l| {
                    l.iter()
                        .map(|p| {
                            p.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| p.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join(".")
                });
                parts.push(match loc {
                    Some(l) if !l.is_empty() => format!("{l}: {msg}"),
                    _ => msg.to_string(),
                });
            }
        }
        _ => {}
    }
    match v.get("error") {
        Some(Value::Object(e)) => {
            let msg = e.get("message").and_then(Value::as_str);
            let code = e.get("code").and_then(Value::as_str);
            let details = e
                .get("details")
                .filter(|d| !d.is_null() && d.as_object().is_none_or(|o| !o.is_empty()))
                .map(|d| match d {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            let mut said = match (msg, code) {
                (Some(m), Some(c)) => format!("{m} ({c})"),
                (Some(m), None) => m.to_string(),
                (None, Some(c)) => c.to_string(),
                (None, None) => String::new(),
            };
            if let Some(d) = details {
                if !said.is_empty() {
                    said.push_str(": ");
                }
                said.push_str(&d);
            }
            if !said.is_empty() {
                parts.push(said);
            }
        }
        Some(Value::String(s)) if !s.trim().is_empty() => parts.push(s.clone()),
        _ => {}
    }
    if parts.is_empty() {
        if let Some(m) = v.get("message").and_then(Value::as_str) {
            match v.get("code").and_then(Value::as_str) {
                Some(c) => parts.push(format!("{m} ({c})")),
                None => parts.push(m.to_string()),
            }
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("; "))
    }
}

fn looks_like_html(body: &str) -> bool {
    let b = body
        .trim_start()
        .get(..15)
        .unwrap_or(body.trim_start())
        .to_ascii_lowercase();
    b.starts_with("<!doctype") || b.starts_with("<html") || b.starts_with('<')
}

/// Maps a non-2xx status to its error; passes a 2xx body through.
pub fn classify(
    vendor: Vendor,
    request: &str,
    raw: &RawResponse,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let s = raw.status;
    if (200..300).contains(&s) {
        return Ok(raw.body.clone());
    }
    let said = vendor_error_message(&raw.body);
    let html = said.is_none() && looks_like_html(&raw.body);
    let (kind, summary) = match s {
        401 if raw.sign_in_asked => (
            ErrorKind::Unauthorized,
            "This console's server asks you to sign in again (401): reload the page and sign in; nothing was sent to the vendor.".to_string(),
        ),
        401 => (
            ErrorKind::Unauthorized,
            "The API key was refused (401).".to_string(),
        ),
        403 => (
            ErrorKind::Forbidden,
            "Access denied for this key (403).".to_string(),
        ),
        404 => (
            ErrorKind::NotFound,
            "Nothing found at this ID (404).".to_string(),
        ),
        422 | 400 => (
            ErrorKind::Unprocessable,
            format!("The request was rejected as invalid ({s})."),
        ),
        429 => (
            ErrorKind::RateLimited,
            "Too many requests (429).".to_string(),
        ),
        500..=599 if html => (
            ErrorKind::Server,
            format!(
                "Server or proxy error ({s}); the answer was an HTML page, not the vendor's JSON."
            ),
        ),
        500..=599 => (
            ErrorKind::Server,
            format!("The vendor's server failed ({s})."),
        ),
        _ => (ErrorKind::Vendor, format!("Unexpected HTTP status {s}.")),
    };
    let detail = said.or_else(|| {
        if html || raw.body.trim().is_empty() {
            None
        } else {
            Some(shorten(&raw.body, 200))
        }
    });
    let retry = if s == 429 {
        raw.retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, now))
    } else {
        None
    };
    Err(ApiError::new(kind, vendor, request, summary)
        .with_detail(detail)
        .with_status(s)
        .with_retry_after(retry))
}

/// Decodes a 2xx body, naming what was wrong with it when it is not the documented JSON.
pub fn decode<T: DeserializeOwned>(
    vendor: Vendor,
    request: &str,
    status: u16,
    body: &str,
) -> Result<T, ApiError> {
    let bad = |summary: String| {
        ApiError::new(ErrorKind::BadResponse, vendor, request, summary).with_status(status)
    };
    if body.trim().is_empty() {
        return Err(bad("The answer was empty where JSON was expected.".into()));
    }
    if looks_like_html(body) {
        return Err(bad(
            "The answer was an HTML page, not JSON (a proxy, login or error page?).".into(),
        ));
    }
    serde_json::from_str(body).map_err(|e| {
        if e.is_eof() {
            bad("The answer was cut off (truncated JSON).".into())
        } else if e.is_syntax() {
            bad(format!("The answer is not valid JSON ({e})."))
        } else {
            bad(format!(
                "The JSON does not have the documented shape ({e})."
            ))
        }
    })
}

/// A bare answer (no headers) for the crate's tests.
#[cfg(test)]
pub(crate) fn raw(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status,
        content_type: None,
        retry_after: None,
        body: body.into(),
        sign_in_asked: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn statuses_map_to_kinds() {
        for (s, k) in [
            (401, ErrorKind::Unauthorized),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (422, ErrorKind::Unprocessable),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (503, ErrorKind::Server),
            (418, ErrorKind::Vendor),
        ] {
            let e = classify(Vendor::Bland, "GET /x", &raw(s, "{}"), now()).unwrap_err();
            assert_eq!(e.kind, k, "{s}");
            assert_eq!(e.status, Some(s));
        }
        assert_eq!(
            classify(Vendor::Bland, "GET /x", &raw(204, "ok"), now()),
            Ok("ok".into())
        );
    }

    #[test]
    fn vendor_messages_are_extracted() {
        let bland =
            r#"{"data":null,"errors":[{"error":"invalid_parameter","message":"Invalid call_id"}]}"#;
        assert_eq!(
            vendor_error_message(bland).as_deref(),
            Some("invalid_parameter: Invalid call_id")
        );
        let burki = r#"{"detail":[{"loc":["path","call_id"],"msg":"value is not a valid integer","type":"type_error.integer"}]}"#;
        assert_eq!(
            vendor_error_message(burki).as_deref(),
            Some("path.call_id: value is not a valid integer")
        );
        assert_eq!(
            vendor_error_message(r#"{"detail":"Call not found"}"#).as_deref(),
            Some("Call not found")
        );
        let talk = r#"{"success": false, "message": "Log cannot be retried", "code": "LOG_NOT_RETRIABLE"}"#;
        assert_eq!(
            vendor_error_message(talk).as_deref(),
            Some("Log cannot be retried (LOG_NOT_RETRIABLE)")
        );
        assert_eq!(vendor_error_message("<html>"), None);
    }

    /// The defect class: Talkover's documented error object was shown as raw JSON.
    #[test]
    fn talkover_error_object_gives_its_message() {
        let body = r#"{"success": false, "error": {"code": "INVALID_API_KEY", "message": "The API key is invalid or expired", "details": {}}}"#;
        assert_eq!(
            vendor_error_message(body).as_deref(),
            Some("The API key is invalid or expired (INVALID_API_KEY)")
        );
        let with_details = r#"{"success": false, "error": {"code": "VALIDATION_ERROR", "message": "Invalid page", "details": {"page": "must be at least 1"}}}"#;
        assert_eq!(
            vendor_error_message(with_details).as_deref(),
            Some(r#"Invalid page (VALIDATION_ERROR): {"page":"must be at least 1"}"#)
        );
        assert_eq!(
            vendor_error_message(r#"{"error": "quota exceeded"}"#).as_deref(),
            Some("quota exceeded")
        );
        let e = classify(Vendor::Talkover, "GET /x", &raw(401, body), now()).unwrap_err();
        assert_eq!(
            e.detail.as_deref(),
            Some("The API key is invalid or expired (INVALID_API_KEY)"),
            "the banner shows the message, not the JSON"
        );
    }

    #[test]
    fn retry_after_both_forms() {
        assert_eq!(parse_retry_after("30", now()), Some(30));
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 2026 00:01:00 GMT", now()),
            Some(60)
        );
        assert_eq!(parse_retry_after("soon", now()), None);
        let mut r = raw(429, "");
        r.retry_after = Some("7".into());
        let e = classify(Vendor::Talkover, "GET /x", &r, now()).unwrap_err();
        assert_eq!(e.retry_after_secs, Some(7));
    }

    /// A team deployment's proxy answers 401 with a sign-in challenge when the person's
    /// sign-in lapsed, and without one when the vendor refused the team's key.
    #[test]
    fn a_sign_in_challenge_is_told_apart_from_a_refused_key() {
        let mut r = raw(401, "");
        r.sign_in_asked = true;
        let e = classify(Vendor::Bland, "GET /x", &r, now()).unwrap_err();
        assert!(e.summary.contains("sign in again"), "{}", e.summary);
        let e = classify(Vendor::Bland, "GET /x", &raw(401, ""), now()).unwrap_err();
        assert!(e.summary.contains("API key was refused"), "{}", e.summary);
    }

    #[test]
    fn html_error_page() {
        let e = classify(
            Vendor::Burki,
            "GET /x",
            &raw(502, "<!DOCTYPE html><html><body>Bad gateway</body></html>"),
            now(),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Server);
        assert!(e.summary.contains("HTML"));
        assert_eq!(e.detail, None, "raw HTML is never echoed");
    }

    #[test]
    fn decode_failures() {
        let d = |b: &str| {
            decode::<serde_json::Value>(Vendor::Bland, "GET /x", 200, b)
                .unwrap_err()
                .summary
        };
        assert!(d("").contains("empty"));
        assert!(d("<html>hi</html>").contains("HTML"));
        assert!(d(r#"{"data": {"call_id": "a""#).contains("truncated"));
        assert!(d("nope").contains("not valid JSON"));
        let e = decode::<Vec<u8>>(Vendor::Bland, "GET /x", 200, r#"{"a":1}"#).unwrap_err();
        assert!(e.summary.contains("documented shape"));
    }
}
