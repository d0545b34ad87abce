//! Typed failures of a vendor request, each with a message a support person can act on.

use crate::domain::Vendor;
use thiserror::Error;

/// The failure classes the UI distinguishes (`data-kind` of `error-banner`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    Unauthorized,
    Forbidden,
    NotFound,
    Unprocessable,
    RateLimited,
    Server,
    BadResponse,
    Network,
    Timeout,
    /// The vendor answered 2xx/other but its envelope reports an error.
    Vendor,
}

impl ErrorKind {
    pub fn id(self) -> &'static str {
        match self {
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not-found",
            ErrorKind::Unprocessable => "unprocessable",
            ErrorKind::RateLimited => "rate-limited",
            ErrorKind::Server => "server",
            ErrorKind::BadResponse => "bad-response",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Vendor => "vendor",
        }
    }
}

/// A request that did not give usable data. `request` is a short label such as
/// `GET /v1/postcall/webhooks/abc` (never a full URL with a key: keys travel in headers only).
#[derive(Clone, Debug, PartialEq, Error)]
#[error("{vendor_label}: {request} — {summary}")]
pub struct ApiError {
    pub kind: ErrorKind,
    pub vendor: Vendor,
    vendor_label: &'static str,
    pub request: String,
    /// One sentence: what happened.
    pub summary: String,
    /// What the vendor said, if anything useful (already shortened).
    pub detail: Option<String>,
    /// Seconds to wait, from `Retry-After`.
    pub retry_after_secs: Option<u64>,
    /// HTTP status, when there was an answer.
    pub status: Option<u16>,
}

impl ApiError {
    pub fn new(
        kind: ErrorKind,
        vendor: Vendor,
        request: impl Into<String>,
        summary: impl Into<String>,
    ) -> Self {
        ApiError {
            kind,
            vendor,
            vendor_label: vendor.label(),
            request: request.into(),
            summary: summary.into(),
            detail: None,
            retry_after_secs: None,
            status: None,
        }
    }

    pub fn with_detail(mut self, detail: Option<String>) -> Self {
        self.detail = detail.map(|d| shorten(&d, 300)).filter(|d| !d.is_empty());
        self
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn with_retry_after(mut self, secs: Option<u64>) -> Self {
        self.retry_after_secs = secs;
        self
    }

    /// What the person should do next.
    pub fn advice(&self) -> String {
        let v = self.vendor.label();
        match self.kind {
            ErrorKind::Unauthorized => format!("Check the API key of this {v} connection (Connections → edit), then try again."),
            ErrorKind::Forbidden => format!("The key is valid but may not read this. Check the key's organisation and plan with {v} (Bland SMS logs are Enterprise-only)."),
            ErrorKind::NotFound => "Check the ID (copy it again from the vendor's dashboard) and that this connection belongs to the right organisation.".to_string(),
            ErrorKind::Unprocessable => format!("{v} rejected the request's values. Check the IDs and filters against the message below."),
            ErrorKind::RateLimited => match self.retry_after_secs {
                Some(s) if s > REFUSAL_WAIT_SECS => format!("{v} refuses requests from this key for now: it asks to wait {}, which is not a pause to sit out. Check this key's plan and rate limits with {v}, or use another connection.", wait_words(s)),
                Some(s) => format!("{v} is rate-limiting this key. Wait {}, then try again.", wait_words(s)),
                None => format!("{v} is rate-limiting this key. Wait a minute, then try again."),
            },
            ErrorKind::Server => format!("{v} had a server error. Try again in a moment; if it persists, check {v}'s status page."),
            ErrorKind::BadResponse => "The answer was not the JSON the vendor documents. If the base URL points at a proxy, check that the proxy forwards to the vendor.".to_string(),
            ErrorKind::Network => "Check the connection's base URL and your network. If the vendor does not allow cross-origin requests (CORS), point the base URL at a same-origin proxy path.".to_string(),
            ErrorKind::Timeout => "The vendor did not answer in time. Try again, or raise the timeout in Connections.".to_string(),
            ErrorKind::Vendor => format!("{v} reported an error; the message below is theirs."),
        }
    }
}

/// A `Retry-After` longer than this (6 hours) is the vendor refusing for now, not a pause:
/// nothing waits it out, and the message says so.
pub const REFUSAL_WAIT_SECS: u64 = 6 * 3600;

/// A wait in the units people use: "45 s", "3 min 20 s", "2 h 5 min", "3 days".
pub fn wait_words(secs: u64) -> String {
    const MIN: u64 = 60;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    match secs {
        0..=119 => format!("{secs} s"),
        120..=599 if !secs.is_multiple_of(MIN) => format!("{} min {} s", secs / MIN, secs % MIN),
        120..=7199 => format!("{} min", secs.div_ceil(MIN)),
        7200..=172_799 => match secs.div_ceil(MIN) % 60 {
            0 => format!("{} h", secs.div_ceil(MIN) / 60),
            m => format!("{} h {m} min", secs.div_ceil(MIN) / 60),
        },
        _ => {
            let days = secs / DAY;
            if days > 3650 {
                "more than ten years".to_string()
            } else {
                format!("{days} days")
            }
        }
    }
}

/// A size in the units people use (decimal, as browsers and file managers show them):
/// "850 bytes", "12.3 kB", "104.9 MB".
pub fn size_words(bytes: u64) -> String {
    // Integer arithmetic: float formatting would add ~10 kB to the app's first download.
    // `tenth` is a tenth of the unit; the half-tenth added first rounds to nearest.
    let one_decimal = |tenth: u64, name: &str| {
        let tenths = bytes
            .saturating_add(tenth / 2)
            .checked_div(tenth)
            .unwrap_or(0);
        format!("{}.{} {name}", tenths / 10, tenths % 10)
    };
    match bytes {
        0..=999 => format!("{bytes} bytes"),
        1_000..=999_949 => one_decimal(100, "kB"),
        999_950..=999_949_999 => one_decimal(100_000, "MB"),
        _ => one_decimal(100_000_000, "GB"),
    }
}

/// Cuts `s` to at most `max` characters on a char boundary, marking the cut.
pub fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// A problem with what the person typed, caught before any request is sent.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum InputError {
    #[error("{field} is required.")]
    Empty { field: &'static str },
    #[error("{field} must be a whole number (Burki's internal call ID, not the call SID); got “{value}”.")]
    NotInteger { field: &'static str, value: String },
    #[error("{field} is too long ({len} characters; at most {max}).")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{field} contains a control character; paste the ID again.")]
    ControlChar { field: &'static str },
    #[error("{field} cannot be “.” or “..”; paste the real ID from the vendor's dashboard.")]
    DotSegment { field: &'static str },
    #[error("“{value}” is not a valid http(s) URL: {reason}")]
    BadUrl { value: String, reason: String },
    #[error("{field} starts or ends with whitespace, so it cannot be used as sent.")]
    Whitespace { field: &'static str },
    #[error("{0}")]
    BadKey(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_vendor_request_and_summary() {
        let e = ApiError::new(
            ErrorKind::NotFound,
            Vendor::Burki,
            "GET /api/v1/calls/7/webhook-logs",
            "No such call.",
        );
        assert_eq!(
            e.to_string(),
            "Burki: GET /api/v1/calls/7/webhook-logs — No such call."
        );
        assert_eq!(e.kind.id(), "not-found");
        assert!(e.advice().contains("Check the ID"));
    }

    #[test]
    fn shorten_respects_char_boundaries() {
        assert_eq!(shorten("ééééé", 3), "ééé…");
        assert_eq!(shorten(" ok ", 3), "ok");
    }

    #[test]
    fn rate_limit_advice_uses_retry_after() {
        let e = ApiError::new(ErrorKind::RateLimited, Vendor::Bland, "GET /x", "Too many")
            .with_retry_after(Some(12));
        assert!(e.advice().contains("Wait 12 s"));
    }

    #[test]
    fn sizes_are_said_in_human_units() {
        assert_eq!(size_words(850), "850 bytes");
        assert_eq!(size_words(12_345), "12.3 kB");
        assert_eq!(size_words(20_000_000), "20.0 MB");
        assert_eq!(size_words(104_857_600), "104.9 MB");
        assert_eq!(size_words(999_949), "999.9 kB");
        assert_eq!(size_words(999_950), "1.0 MB");
        assert_eq!(size_words(u64::MAX), "18446744073.7 GB");
    }

    /// The defect class: a far-off `Retry-After` read "Wait 2300240514 s". Waits are said
    /// in human units, and an absurd one is the vendor refusing for now, with what to do.
    #[test]
    fn waits_are_said_in_human_units() {
        for (secs, words) in [
            (0, "0 s"),
            (45, "45 s"),
            (119, "119 s"),
            (150, "2 min 30 s"),
            (300, "5 min"),
            (3599, "60 min"),
            (7200, "2 h"),
            (7500, "2 h 5 min"),
            (172_800, "2 days"),
            (2_300_240_514, "more than ten years"),
        ] {
            assert_eq!(wait_words(secs), words, "{secs}");
        }
        let e = |s| {
            ApiError::new(
                ErrorKind::RateLimited,
                Vendor::Talkover,
                "GET /x",
                "Too many",
            )
            .with_retry_after(Some(s))
            .advice()
        };
        assert!(e(600).contains("Wait 10 min"), "{}", e(600));
        let far = e(2_300_240_514);
        assert!(
            far.contains("refuses requests from this key for now"),
            "{far}"
        );
        assert!(
            far.contains("more than ten years") && !far.contains("2300240514"),
            "{far}"
        );
        assert!(far.contains("plan"), "{far}");
    }
}
