//! Why a delivery failed, in one sentence a support person can act on.
//!
//! Read from the attempts alone (HTTP code, error text, duration), so it works the same for
//! every vendor. The table of known error texts is [`PATTERNS`]; anything it does not know
//! is said to be unknown, honestly.

use crate::domain::{Attempt, Delivery, DeliveryStatus, Outcome};

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
    Unknown,
}

impl Cause {
    pub const ALL: [Cause; 11] = [
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

/// Why `d` has not been delivered, from its latest failed attempt; `None` when it was
/// delivered, or when no attempt has failed yet.
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
    let code = a.http_code.map(|c| c.to_string()).unwrap_or_default();
    let said = a
        .error
        .as_deref()
        .map(|e| format!(" (“{}”)", crate::error::shorten(e, 80)))
        .unwrap_or_default();
    let secs = a
        .duration_ms
        .map(|ms| format!(" after {:.1} s", ms as f64 / 1000.0))
        .unwrap_or_default();
    let sentence = match cause {
        Cause::Timeout => format!("The target did not answer in time{secs}{said}. Make {host} answer 2xx quickly (queue the work and return at once), then retry."),
        Cause::Connection => format!("The vendor could not connect to {host}: the connection was refused or reset{said}. Check that the server is up and reachable from the internet on that port, then retry."),
        Cause::Dns => format!("The host name {host} could not be found{said}. Check the spelling of the webhook URL and the domain's DNS records."),
        Cause::Tls => format!("The TLS certificate of {host} was not accepted{said}. Install a valid, complete certificate chain (not self-signed, not expired), then retry."),
        Cause::Auth => format!("{host} refused the request with {code}: the endpoint's own authentication rejected the vendor. Check the secret, token or signature check the endpoint expects (this is not your vendor API key)."),
        Cause::NotFound if a.http_code == Some(410) => format!("{host} answered 410 Gone: that endpoint was removed. Point the webhook at its current URL."),
        Cause::NotFound => format!("{host} answered 404: the webhook URL's path does not exist there. Check the path (and a trailing slash) of the webhook URL."),
        Cause::ClientError if a.http_code == Some(413) => {
            let size = d.payload.text().len();
            format!("{host} refused the payload as too large (413; the payload is {size} bytes). Raise the endpoint's request size limit.")
        }
        Cause::ClientError => format!("{host} rejected the request with {code}{said}: the endpoint considers the request invalid. Check what it expects against the payload below."),
        Cause::RateLimited => format!("{host} is rate-limiting the vendor ({}). Let the endpoint accept bursts from the vendor, then retry.", if code.is_empty() { "too many requests".into() } else { code.clone() }),
        Cause::ServerError => format!("{host}'s own server failed with {code}{said}. Check the endpoint's logs at the attempt's time; retry once it is fixed."),
        Cause::Redirect => format!("{host} answered {code}, a redirect, and webhooks are not sent on to the new location. Use the final URL (often https:// or with a trailing slash) as the webhook URL."),
        Cause::Unknown => format!("The attempt failed{said}{}, and hookscope does not recognise the error. Check {host}'s logs at the attempt's time.", if code.is_empty() { " without an HTTP answer".to_string() } else { format!(" with HTTP {code}") }),
    };
    Some(Diagnosis { cause, sentence })
}

/// How many of `ds` failed for each cause, most frequent first (ties in [`Cause`] order).
pub fn cause_counts<'a>(ds: impl Iterator<Item = &'a Delivery>) -> Vec<(Cause, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for d in ds {
        if let Some(x) = diagnose(d) {
            let n: &mut usize = counts.entry(x.cause).or_default();
            *n = n.saturating_add(1);
        }
    }
    let mut v: Vec<(Cause, usize)> = counts.into_iter().collect();
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
            error: error.map(str::to_string),
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
            (
                Some(403),
                None,
                None,
                Cause::Auth,
                "not your vendor API key",
            ),
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
