//! Why a delivery failed, in one sentence a support person can act on.
//!
//! Read from the attempts (HTTP code, error text, response body, duration) and the
//! vendor's documented rules: Burki counts only 200–202 as delivered and cuts stored bodies
//! at 10 KB, Burki and Talkover give up after 30 s, Bland signs its webhooks. The table of
//! known error texts is [`PATTERNS`]; anything it does not know is said to be unknown,
//! honestly.

use crate::domain::{Attempt, Delivery, DeliveryStatus, Outcome, Vendor};

/// The kinds of failure the console tells apart (`data-cause`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    Timeout,
    Connection,
    Tls,
    Dns,
    ClientError,
    Auth,
    NotFound,
    ServerError,
    RateLimited,
    Redirect,
    /// A 2xx the vendor does not count as delivered (Burki: anything but 200, 201, 202).
    SuccessCode,
    Unknown,
}

impl Cause {
    pub const ALL: [Cause; 12] = [
        Cause::Timeout,
        Cause::Connection,
        Cause::Tls,
        Cause::Dns,
        Cause::ClientError,
        Cause::Auth,
        Cause::NotFound,
        Cause::ServerError,
        Cause::RateLimited,
        Cause::Redirect,
        Cause::SuccessCode,
        Cause::Unknown,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Cause::Timeout => "timeout",
            Cause::Connection => "connection",
            Cause::Tls => "tls",
            Cause::Dns => "dns",
            Cause::ClientError => "client-error",
            Cause::Auth => "auth",
            Cause::NotFound => "not-found",
            Cause::ServerError => "server-error",
            Cause::RateLimited => "rate-limited",
            Cause::Redirect => "redirect",
            Cause::SuccessCode => "success-code",
            Cause::Unknown => "unknown",
        }
    }

    /// A short label for counts ("3 timeouts").
    pub fn label(self) -> &'static str {
        match self {
            Cause::Timeout => "timed out",
            Cause::Connection => "connection refused or reset",
            Cause::Tls => "certificate problem",
            Cause::Dns => "host not found",
            Cause::ClientError => "request rejected (4xx)",
            Cause::Auth => "endpoint auth refused (401/403)",
            Cause::NotFound => "wrong path (404/410)",
            Cause::ServerError => "target server error (5xx)",
            Cause::RateLimited => "target rate-limits (429)",
            Cause::Redirect => "redirect not followed (3xx)",
            Cause::SuccessCode => "2xx the vendor does not count (e.g. 204)",
            Cause::Unknown => "unrecognised error",
        }
    }
}

/// Error texts that name a cause (matched case-insensitively, first match wins). Order
/// matters: a TLS error mentioning a timeout is still a TLS error.
pub const PATTERNS: [(&str, Cause); 30] = [
    ("certificate", Cause::Tls),
    ("self signed", Cause::Tls),
    ("self-signed", Cause::Tls),
    ("unable to verify", Cause::Tls),
    ("cert_", Cause::Tls),
    ("ssl", Cause::Tls),
    ("tls", Cause::Tls),
    ("enotfound", Cause::Dns),
    ("eai_again", Cause::Dns),
    ("getaddrinfo", Cause::Dns),
    ("name not resolved", Cause::Dns),
    ("name_not_resolved", Cause::Dns),
    ("no such host", Cause::Dns),
    ("could not resolve", Cause::Dns),
    ("econnrefused", Cause::Connection),
    ("connection refused", Cause::Connection),
    ("econnreset", Cause::Connection),
    ("connection reset", Cause::Connection),
    ("socket hang up", Cause::Connection),
    ("ehostunreach", Cause::Connection),
    ("enetunreach", Cause::Connection),
    ("epipe", Cause::Connection),
    ("connection closed", Cause::Connection),
    ("etimedout", Cause::Timeout),
    ("esockettimedout", Cause::Timeout),
    ("timed out", Cause::Timeout),
    ("timeout", Cause::Timeout),
    ("deadline exceeded", Cause::Timeout),
    ("too many requests", Cause::RateLimited),
    ("rate limit", Cause::RateLimited),
];

/// An attempt lasting this long without an answer is the vendor's own time limit (the
/// vendors document about 30 s).
pub const VENDOR_TIMEOUT_MS: u64 = 29_000;

/// One sentence: what went wrong and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    pub cause: Cause,
    pub sentence: String,
}

/// The host of a URL, for sentences (`https://a.example:8443/x` → `a.example:8443`).
fn host_of(url: Option<&str>) -> String {
    url.and_then(|u| u.split("://").nth(1))
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .map(|h| h.rsplit('@').next().unwrap_or(h).to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "the target".into())
}

/// The cause of one failed attempt.
pub fn attempt_cause(a: &Attempt) -> Cause {
    if let Some(err) = a.error.as_deref() {
        let lower = err.to_lowercase();
        // "Request failed with status code 404" and the like are HTTP failures: the code
        // says more than the text.
        if a.http_code.is_none() || !lower.contains("status code") {
            if let Some((_, c)) = PATTERNS.iter().find(|(p, _)| lower.contains(p)) {
                return *c;
            }
        }
    }
    match a.http_code {
        // A failed attempt with a 2xx: the vendor's own rule of success refused it.
        Some(c) if (200..300).contains(&c) => Cause::SuccessCode,
        Some(c) if (300..400).contains(&c) => Cause::Redirect,
        Some(401 | 403) => Cause::Auth,
        Some(404 | 410) => Cause::NotFound,
        Some(429) => Cause::RateLimited,
        Some(c) if (400..500).contains(&c) => Cause::ClientError,
        Some(c) if (500..600).contains(&c) => Cause::ServerError,
        None if a.duration_ms.is_some_and(|ms| ms >= VENDOR_TIMEOUT_MS) => Cause::Timeout,
        _ => Cause::Unknown,
    }
}

/// The vendors that give up on a target after 30 s by default (Burki always; Talkover
/// unless the webhook's `timeout`, 5–120 s, was changed).
pub const VENDOR_TIMEOUT_SECS: u64 = 30;

/// An error text made readable: a JSON error body (Talkover's `{"error": {"code",
/// "message"}}`, FastAPI's `{"detail": [...]}`, …) becomes its message; other text stays.
fn readable(text: &str) -> String {
    let t = text.trim();
    let said = (t.starts_with('{'))
        .then(|| crate::response::vendor_error_message(t))
        .flatten();
    crate::error::shorten(said.as_deref().unwrap_or(t), 120)
}

/// What the attempt's error text and the endpoint's answer say, for the sentence:
/// ` (“Bad Gateway”; the endpoint said “CRM is down”)`. A response body is quoted only
/// when it is a recognisable error object (its message, never raw JSON or HTML).
fn said_of(a: &Attempt) -> String {
    let error = a.error.as_deref().map(readable).filter(|e| !e.is_empty());
    let body = a
        .response_body
        .as_deref()
        .and_then(crate::response::vendor_error_message)
        .map(|m| crate::error::shorten(&m, 120))
        .filter(|b| Some(b) != error.as_ref());
    match (error, body) {
        (Some(e), Some(b)) => format!(" (“{e}”; the endpoint said “{b}”)"),
        (Some(e), None) => format!(" (“{e}”)"),
        (None, Some(b)) => format!(" (the endpoint said “{b}”)"),
        (None, None) => String::new(),
    }
}

/// Said beside a response body the vendor cut before storing it (Burki keeps 10 KB and
/// marks the cut `... [TRUNCATED]`), so nobody blames the target for a broken body.
pub fn body_note(vendor: Vendor, body: &str) -> Option<String> {
    (vendor == Vendor::Burki && body.trim_end().ends_with("[TRUNCATED]")).then(|| {
        "The response body shown is cut: Burki stores only its first 10 KB and marks the cut “... [TRUNCATED]”. That is Burki's storage limit, not a fault of the target.".to_string()
    })
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// Why `d` has not been delivered, from its latest failed attempt; `None` when it was
/// delivered, or when no attempt has failed yet. Each vendor's own rules are applied
/// (Burki's 200–202 success rule and its 10 KB body cut, the 30 s limits of Burki and
/// Talkover, Bland's signed webhooks).
pub fn diagnose(d: &Delivery) -> Option<Diagnosis> {
    if d.status == DeliveryStatus::Success {
        return None;
    }
    let a = d
        .attempts
        .iter()
        .rev()
        .find(|a| matches!(a.outcome, Outcome::Failed | Outcome::Retrying))?;
    let cause = attempt_cause(a);
    let host = host_of(d.target_url.as_deref());
    let vendor = d.vendor.label();
    let code = a.http_code.map(|c| c.to_string()).unwrap_or_default();
    let said = said_of(a);
    let secs = a
        .duration_ms
        .map(|ms| format!(" after {}", seconds(ms)))
        .unwrap_or_default();
    // The 30 s sentence only where the attempt ran into the limit (a connect timeout
    // after 2 s is the network, not the vendor's limit).
    let thirty_s = matches!(d.vendor, Vendor::Burki | Vendor::Talkover)
        && a.duration_ms.is_none_or(|ms| ms >= VENDOR_TIMEOUT_MS);
    let mut sentence = match cause {
        Cause::Timeout if thirty_s => {
            let took = match a.duration_ms {
                Some(ms) => format!("The target took {}", seconds(ms)),
                None => "The target did not answer in time".to_string(),
            };
            let limit = if d.vendor == Vendor::Talkover {
                format!("{vendor} gives up at {VENDOR_TIMEOUT_SECS} s (the webhook's timeout, unless it was changed)")
            } else {
                format!("{vendor} gives up at {VENDOR_TIMEOUT_SECS} s")
            };
            let raise = if d.vendor == Vendor::Talkover {
                " (or raise the webhook's timeout in Talkover, up to 120 s)"
            } else {
                ""
            };
            format!("{took}; {limit}{said}. Make {host} answer 200 within a few seconds{raise}: acknowledge at once and do the work afterwards, then retry.")
        }
        Cause::Timeout => format!("The target did not answer in time{secs}{said}. Make {host} answer 2xx quickly (queue the work and return at once), then retry."),
        Cause::Connection => format!("The vendor could not connect to {host}: the connection was refused or reset{said}. Check that the server is up and reachable from the internet on that port, then retry."),
        Cause::Dns => format!("The host name {host} could not be found{said}. Check the spelling of the webhook URL and the domain's DNS records."),
        Cause::Tls => format!("The TLS certificate of {host} was not accepted{said}. Install a valid, complete certificate chain (not self-signed, not expired), then retry."),
        Cause::Auth if d.vendor == Vendor::Bland => format!("{host} refused the webhook with {code}{said}: its own authentication rejected Bland's request, most often a failed signature check. Bland signs each webhook with X-Webhook-Signature, an HMAC-SHA256 of the raw body: check that the endpoint computes it over the exact bytes received (before parsing the JSON) with the current signing secret, then resend."),
        Cause::Auth => format!("{host} refused the request with {code}{said}: the endpoint's own authentication rejected the vendor. Check the secret, token or signature check the endpoint expects (this is not your vendor API key)."),
        Cause::NotFound if a.http_code == Some(410) => format!("{host} answered 410 Gone: that endpoint was removed. Point the webhook at its current URL."),
        Cause::NotFound => format!("{host} answered 404{said}: the webhook URL's path does not exist there. Check the path (and a trailing slash) of the webhook URL."),
        Cause::ClientError if a.http_code == Some(413) => {
            let size = d.payload.text().len();
            format!("{host} refused the payload as too large (413; the payload is {size} bytes). Raise the endpoint's request size limit.")
        }
        Cause::ClientError => format!("{host} rejected the request with {code}{said}: the endpoint considers the request invalid. Check what it expects against the payload below."),
        Cause::RateLimited => format!("{host} is rate-limiting the vendor ({}). Let the endpoint accept bursts from the vendor, then retry.", if code.is_empty() { "too many requests".into() } else { code.clone() }),
        Cause::ServerError => format!("{host}'s own server failed with {code}{said}. Check the endpoint's logs at the attempt's time; retry once it is fixed."),
        Cause::Redirect => format!("{host} answered {code}, a redirect, and webhooks are not sent on to the new location. Use the final URL (often https:// or with a trailing slash) as the webhook URL."),
        Cause::SuccessCode if d.vendor == Vendor::Burki => format!("{host} answered {code}, and Burki counts only 200, 201 and 202 as delivered: it logged this as a failure, though the target saw nothing wrong. Make the endpoint answer 200 (with any small body), then retry."),
        Cause::SuccessCode => format!("{host} answered {code}, which {vendor} did not count as delivered{said}. Make the endpoint answer 200, then retry."),
        Cause::Unknown => format!("The attempt failed{said}{}, and hookscope does not recognise the error. Check {host}'s logs at the attempt's time.", if code.is_empty() { " without an HTTP answer".to_string() } else { format!(" with HTTP {code}") }),
    };
    if let Some(note) = a
        .response_body
        .as_deref()
        .and_then(|b| body_note(d.vendor, b))
    {
        sentence.push(' ');
        sentence.push_str(&note);
    }
    Some(Diagnosis { cause, sentence })
}

/// How many of `ds` failed for each cause, most frequent first (ties in [`Cause`] order).
pub fn cause_counts<'a>(ds: impl Iterator<Item = &'a Delivery>) -> Vec<(Cause, usize)> {
    count_causes(ds.filter_map(|d| diagnose(d).map(|x| x.cause)))
}

/// [`cause_counts`] of causes already found (the explorer keeps each row's with the row).
pub fn count_causes(causes: impl Iterator<Item = Cause>) -> Vec<(Cause, usize)> {
    // A dozen kinds at most: a list is enough (and no map's code in the download).
    let mut v: Vec<(Cause, usize)> = Vec::new();
    for c in causes {
        match v.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n = n.saturating_add(1),
            None => v.push((c, 1)),
        }
    }
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Vendor;
    use serde_json::json;

    fn attempt(code: Option<u16>, error: Option<&str>, ms: Option<u64>) -> Attempt {
        Attempt {
            log_id: None,
            number: 1,
            at: None,
            http_code: code,
            duration_ms: ms,
            outcome: Outcome::from_http(code),
            trigger: "spawn".into(),
            error: error.map(Into::into),
            response_body: None,
            response_headers: None,
            retriable: false,
        }
    }

    fn delivery(attempts: Vec<Attempt>) -> Delivery {
        Delivery {
            id: "x".into(),
            vendor: Vendor::Bland,
            subject: "c".into(),
            event: "post_call".into(),
            target_url: Some("https://hooks.acme.example:8443/bland?token=1".into()),
            payload: crate::domain::Payload::from_value(&json!({"a": 1})),
            created_at: None,
            status: Delivery::status_from_attempts(&attempts),
            attempts,
            extra: json!({}),
        }
    }

    fn cause(code: Option<u16>, error: Option<&str>, ms: Option<u64>) -> Diagnosis {
        diagnose(&delivery(vec![attempt(code, error, ms)])).unwrap()
    }

    #[test]
    fn every_cause_from_the_vendors_texts_and_codes() {
        for (code, err, ms, want, said) in [
            (
                None,
                Some("timeout of 30000ms exceeded"),
                Some(30_000),
                Cause::Timeout,
                "did not answer in time after 30.0 s",
            ),
            (
                None,
                Some("connect ETIMEDOUT 10.0.0.1:443"),
                None,
                Cause::Timeout,
                "answer 2xx quickly",
            ),
            (None, None, Some(30_000), Cause::Timeout, "after 30.0 s"),
            (
                None,
                Some("connect ECONNREFUSED 1.2.3.4:443"),
                None,
                Cause::Connection,
                "refused or reset",
            ),
            (
                None,
                Some("socket hang up"),
                None,
                Cause::Connection,
                "reachable from the internet",
            ),
            (
                None,
                Some("getaddrinfo ENOTFOUND hooks.acme.example"),
                None,
                Cause::Dns,
                "could not be found",
            ),
            (
                None,
                Some("unable to verify the first certificate"),
                None,
                Cause::Tls,
                "certificate chain",
            ),
            (
                None,
                Some("self signed certificate in certificate chain"),
                None,
                Cause::Tls,
                "not self-signed",
            ),
            (
                Some(401),
                Some("Request failed with status code 401"),
                None,
                Cause::Auth,
                "own authentication",
            ),
            (Some(403), None, None, Cause::Auth, "X-Webhook-Signature"),
            (
                Some(404),
                Some("Request failed with status code 404"),
                None,
                Cause::NotFound,
                "path",
            ),
            (Some(410), None, None, Cause::NotFound, "410 Gone"),
            (
                Some(413),
                None,
                None,
                Cause::ClientError,
                "too large (413; the payload is 7 bytes)",
            ),
            (
                Some(400),
                Some("Bad Request"),
                None,
                Cause::ClientError,
                "considers the request invalid",
            ),
            (
                Some(429),
                Some("Too Many Requests"),
                None,
                Cause::RateLimited,
                "rate-limiting the vendor (429)",
            ),
            (
                Some(500),
                Some("Internal Server Error"),
                None,
                Cause::ServerError,
                "own server failed with 500",
            ),
            (Some(503), None, None, Cause::ServerError, "logs"),
            (Some(301), None, None, Cause::Redirect, "redirect"),
            (Some(308), None, None, Cause::Redirect, "final URL"),
            (
                None,
                Some("something odd happened"),
                Some(10),
                Cause::Unknown,
                "does not recognise",
            ),
            (
                Some(418),
                Some("I'm a teapot"),
                None,
                Cause::ClientError,
                "418",
            ),
        ] {
            let d = cause(code, err, ms);
            assert_eq!(d.cause, want, "{code:?} {err:?}");
            assert!(
                d.sentence.contains(said),
                "{code:?} {err:?}: {}",
                d.sentence
            );
            assert!(
                d.sentence.contains("hooks.acme.example:8443")
                    || want == Cause::Unknown && d.sentence.contains("hooks.acme.example"),
                "{}",
                d.sentence
            );
            assert!(
                !d.sentence.contains("token=1"),
                "the query is not repeated: {}",
                d.sentence
            );
        }
    }

    fn of(vendor: Vendor, a: Attempt) -> Diagnosis {
        let mut d = delivery(vec![a]);
        d.vendor = vendor;
        diagnose(&d).unwrap()
    }

    fn failed(
        code: Option<u16>,
        error: Option<&str>,
        ms: Option<u64>,
        body: Option<&str>,
    ) -> Attempt {
        let mut a = attempt(code, error, ms);
        a.outcome = Outcome::Failed;
        a.response_body = body.map(Into::into);
        a
    }

    /// Burki counts only 200–202 as delivered: a 204 is a failure the target never saw.
    #[test]
    fn burki_204_is_a_failure_only_burki_sees() {
        let d = of(
            Vendor::Burki,
            failed(
                Some(204),
                Some("Webhook returned HTTP 204"),
                Some(40),
                Some(""),
            ),
        );
        assert_eq!(d.cause, Cause::SuccessCode);
        assert_eq!(d.cause.id(), "success-code");
        assert_eq!(
            d.sentence,
            "hooks.acme.example:8443 answered 204, and Burki counts only 200, 201 and 202 as delivered: it logged this as a failure, though the target saw nothing wrong. Make the endpoint answer 200 (with any small body), then retry."
        );
        // From Burki's own log, as decoded.
        let body = r#"[{"id": 9, "call_id": 1, "webhook_url": "https://hooks.acme.example/b", "webhook_type": "call_ended",
            "response_status_code": 204, "response_body": "", "success": false, "error_message": null, "retry_count": 0}]"#;
        let ds = crate::vendors::burki::decode_logs(
            &crate::vendors::burki::webhook_logs(1, None),
            200,
            body,
        )
        .unwrap();
        assert_eq!(diagnose(&ds[0]).unwrap().cause, Cause::SuccessCode);
    }

    /// Burki keeps 10 KB of a response body and marks the cut: said, and not blamed on the target.
    #[test]
    fn burki_truncated_bodies_are_said_to_be_cut() {
        let cut = format!("{}... [TRUNCATED]", "x".repeat(10_240));
        let d = of(
            Vendor::Burki,
            failed(
                Some(500),
                Some("Webhook returned HTTP 500"),
                Some(900),
                Some(&cut),
            ),
        );
        assert_eq!(d.cause, Cause::ServerError);
        assert_eq!(
            d.sentence,
            "hooks.acme.example:8443's own server failed with 500 (“Webhook returned HTTP 500”). Check the endpoint's logs at the attempt's time; retry once it is fixed. The response body shown is cut: Burki stores only its first 10 KB and marks the cut “... [TRUNCATED]”. That is Burki's storage limit, not a fault of the target."
        );
        assert!(body_note(Vendor::Burki, &cut).is_some());
        assert_eq!(body_note(Vendor::Bland, &cut), None);
        assert_eq!(body_note(Vendor::Burki, "ok"), None);
    }

    /// Burki and Talkover give up after 30 s.
    #[test]
    fn thirty_seconds_is_the_vendors_limit() {
        let d = of(
            Vendor::Burki,
            failed(None, Some("Request timed out"), Some(30_000), None),
        );
        assert_eq!(d.cause, Cause::Timeout);
        assert_eq!(
            d.sentence,
            "The target took 30.0 s; Burki gives up at 30 s (“Request timed out”). Make hooks.acme.example:8443 answer 200 within a few seconds: acknowledge at once and do the work afterwards, then retry."
        );
        let d = of(Vendor::Talkover, failed(None, None, Some(30_004), None));
        assert_eq!(d.cause, Cause::Timeout);
        assert_eq!(
            d.sentence,
            "The target took 30.0 s; Talkover gives up at 30 s (the webhook's timeout, unless it was changed). Make hooks.acme.example:8443 answer 200 within a few seconds (or raise the webhook's timeout in Talkover, up to 120 s): acknowledge at once and do the work afterwards, then retry."
        );
        let d = of(
            Vendor::Talkover,
            failed(None, Some("connect ETIMEDOUT"), Some(2_000), None),
        );
        assert!(
            d.sentence
                .starts_with("The target did not answer in time after 2.0 s"),
            "{}",
            d.sentence
        );
        // Bland's sentence stays the general one.
        let d = of(Vendor::Bland, failed(None, None, Some(30_000), None));
        assert!(
            d.sentence
                .starts_with("The target did not answer in time after 30.0 s."),
            "{}",
            d.sentence
        );
    }

    /// A Bland target answering 401/403 most often failed its signature check.
    #[test]
    fn bland_auth_refusals_point_at_the_signature() {
        let d = of(
            Vendor::Bland,
            failed(
                Some(401),
                Some("Request failed with status code 401"),
                Some(80),
                Some(r#"{"error":"invalid signature"}"#),
            ),
        );
        assert_eq!(d.cause, Cause::Auth);
        assert_eq!(
            d.sentence,
            "hooks.acme.example:8443 refused the webhook with 401 (“Request failed with status code 401”; the endpoint said “invalid signature”): its own authentication rejected Bland's request, most often a failed signature check. Bland signs each webhook with X-Webhook-Signature, an HMAC-SHA256 of the raw body: check that the endpoint computes it over the exact bytes received (before parsing the JSON) with the current signing secret, then resend."
        );
        let other = of(Vendor::Talkover, failed(Some(403), None, None, None));
        assert!(
            other.sentence.contains("not your vendor API key"),
            "{}",
            other.sentence
        );
        assert!(!other.sentence.contains("X-Webhook-Signature"));
    }

    /// An error object in a response body is shown by its message, not as JSON, and so
    /// is an error text that is itself that object: Talkover's error object, and FastAPI's
    /// `{"detail": [...]}` list (Burki's own, and targets built with it).
    #[test]
    fn error_objects_in_bodies_are_shown_by_their_message() {
        let talkover = r#"{"success": false, "error": {"code": "CRM_UNAVAILABLE", "message": "CRM is down for maintenance", "details": {}}}"#;
        let burki = r#"{"detail": [{"loc": ["path", "call_id"], "msg": "value is not a valid integer", "type": "type_error.integer"}]}"#;
        for (vendor, code, error, ms, body, cause, said, sentence) in [
            (
                Vendor::Talkover,
                503,
                "Service Unavailable",
                120,
                talkover,
                Cause::ServerError,
                "CRM is down for maintenance (CRM_UNAVAILABLE)",
                "hooks.acme.example:8443's own server failed with 503 (“Service Unavailable”; the endpoint said “CRM is down for maintenance (CRM_UNAVAILABLE)”). Check the endpoint's logs at the attempt's time; retry once it is fixed.",
            ),
            (
                Vendor::Burki,
                422,
                "Webhook returned HTTP 422",
                35,
                burki,
                Cause::ClientError,
                "path.call_id: value is not a valid integer",
                "hooks.acme.example:8443 rejected the request with 422 (“Webhook returned HTTP 422”; the endpoint said “path.call_id: value is not a valid integer”): the endpoint considers the request invalid. Check what it expects against the payload below.",
            ),
        ] {
            let d = of(vendor, failed(Some(code), Some(error), Some(ms), Some(body)));
            assert_eq!(d.cause, cause);
            assert_eq!(d.sentence, sentence);
            let d = of(vendor, failed(Some(code), Some(body), None, None));
            assert!(
                d.sentence.contains(&format!("(“{said}”)")),
                "{}",
                d.sentence
            );
        }
        // Raw HTML or plain bodies are never quoted.
        let d = of(
            Vendor::Talkover,
            failed(Some(502), None, None, Some("<html><h1>502</h1></html>")),
        );
        assert!(!d.sentence.contains("html"), "{}", d.sentence);
    }

    #[test]
    fn causes_have_distinct_ids() {
        let ids: std::collections::HashSet<&str> = Cause::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(ids.len(), Cause::ALL.len());
    }

    #[test]
    fn delivered_or_untried_deliveries_have_no_diagnosis() {
        assert_eq!(
            diagnose(&delivery(vec![attempt(Some(200), None, Some(5))])),
            None
        );
        assert_eq!(diagnose(&delivery(vec![])), None);
        // A failure followed by a success is delivered.
        assert_eq!(
            diagnose(&delivery(vec![
                attempt(Some(500), None, None),
                attempt(Some(204), None, None)
            ])),
            None
        );
    }

    #[test]
    fn the_latest_failure_speaks_and_counts_group_by_cause() {
        let d = delivery(vec![
            attempt(Some(500), None, None),
            attempt(None, Some("ECONNREFUSED"), None),
        ]);
        assert_eq!(diagnose(&d).unwrap().cause, Cause::Connection);
        let ds = [d.clone(), d, delivery(vec![attempt(Some(404), None, None)])];
        assert_eq!(
            cause_counts(ds.iter()),
            vec![(Cause::Connection, 2), (Cause::NotFound, 1)]
        );
    }
}
