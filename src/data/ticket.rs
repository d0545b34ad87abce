//! "Copy for the ticket": a call and its webhook deliveries as text that pastes cleanly
//! into a help-desk ticket. Markdown that reads as plain text too (a heading line, `-`
//! lists, a numbered list), so it works in a ticket whichever of the two it renders.
//!
//! It holds what a support person needs to hand over: the call's ID, vendor, when and how
//! it ended, and for each delivery the target's host (never its path or query, which can
//! carry tokens), status, HTTP code, attempts and the diagnosis sentence, then a link
//! back to this view. It is built from the call and its deliveries only, so no key can
//! be in it; payloads are added only when asked for, each cut to [`PAYLOAD_BYTES`].

use crate::format::{date_and_minutes, duration};
use hookscope_core::diagnosis::diagnose;
use hookscope_core::domain::{Call, CallStatus, Delivery, Timestamp};

/// The most of one payload a ticket holds (help desks cut long comments).
pub const PAYLOAD_BYTES: usize = 4_000;

/// What goes into one ticket text.
pub struct Ticket<'a> {
    pub call: &'a Call,
    pub deliveries: &'a [Delivery],
    /// The absolute link to this call's view (`…/explorer?q=<call id>`).
    pub link: &'a str,
    pub with_payloads: bool,
}

/// `2026-11-30 07:12 UTC`, or the vendor's text when it is not a time.
fn when(t: &Timestamp) -> String {
    match t.parsed {
        Some(p) => format!("{} UTC", date_and_minutes(&p.naive_utc(), ' ')),
        None => t.raw().into_owned(),
    }
}

/// The host of a URL (`https://a.example:8443/x?token=y` → `a.example:8443`): the path
/// and query can hold a customer's secrets, the host is what a ticket needs.
pub fn target_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    if host.is_empty() {
        "an unnamed target".into()
    } else {
        host.to_string()
    }
}

/// Text a vendor sent, made safe for one Markdown line (no line breaks; its own
/// formatting characters shown as written).
fn inline(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        // `_` and `#` stay: inside words and mid-line Markdown leaves them alone.
        if matches!(c, '*' | '`' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The call's outcome in words: "completed; answered by human", "failed: <message>".
pub fn outcome_words(c: &Call) -> String {
    let mut s = match c.status {
        CallStatus::Completed => "completed".to_string(),
        CallStatus::Failed => "failed".to_string(),
        CallStatus::Ongoing => "still in progress".to_string(),
        CallStatus::Queued => "queued, not dialled yet".to_string(),
        CallStatus::Unknown => match &c.status_word {
            Some(w) => format!("“{}” (a status hookscope does not know)", inline(w)),
            None => "not said by the vendor".to_string(),
        },
    };
    if let Some(e) = c.error.as_deref().filter(|e| !e.trim().is_empty()) {
        s.push_str(&format!(": {}", inline(e)));
    }
    if let Some(a) = c.answered_by.as_deref().filter(|a| !a.trim().is_empty()) {
        s.push_str(&format!("; answered by {}", inline(a)));
    }
    s
}

/// The ticket text.
pub fn ticket_text(t: &Ticket) -> String {
    let c = t.call;
    let mut o = String::new();
    let id = if c.id.is_empty() {
        "(no ID given)"
    } else {
        &c.id
    };
    o.push_str(&format!("### {} call {}\n", c.vendor.label(), inline(id)));
    o.push_str(&format!("- Vendor: {}\n", c.vendor.label()));
    if let Some(sid) = &c.call_sid {
        o.push_str(&format!("- Call SID: {}\n", inline(sid)));
    }
    let start = c.started_at.as_ref().or(c.created_at.as_ref());
    match (start, &c.ended_at) {
        (Some(s), Some(e)) => o.push_str(&format!("- When: {} to {}", when(s), when(e))),
        (Some(s), None) => o.push_str(&format!("- When: {}", when(s))),
        (None, Some(e)) => o.push_str(&format!("- When: ended {}", when(e))),
        (None, None) => o.push_str("- When: not said by the vendor"),
    }
    match c.length_words() {
        Some(l) => o.push_str(&format!(" ({l})\n")),
        None => o.push('\n'),
    }
    o.push_str(&format!("- Outcome: {}\n", outcome_words(c)));
    match (&c.from, &c.to) {
        (Some(f), Some(to)) => o.push_str(&format!("- From {} to {}\n", inline(f), inline(to))),
        (Some(f), None) => o.push_str(&format!("- From {}\n", inline(f))),
        (None, Some(to)) => o.push_str(&format!("- To {}\n", inline(to))),
        (None, None) => {}
    }
    if let Some(s) = c.summary.as_deref().filter(|s| !s.trim().is_empty()) {
        o.push_str(&format!(
            "- Summary: {}\n",
            inline(&hookscope_core::error::shorten(s, 600))
        ));
    }
    o.push('\n');
    if t.deliveries.is_empty() {
        o.push_str("Webhook deliveries: none found for this call.\n");
    } else {
        o.push_str(&format!("Webhook deliveries ({}):\n", t.deliveries.len()));
    }
    for (i, d) in t.deliveries.iter().enumerate() {
        let host = d
            .target_url
            .as_deref()
            .map(target_host)
            .unwrap_or_else(|| "a target the vendor did not name".into());
        let code = d
            .http_code()
            .map(|c| format!("HTTP {c}"))
            .unwrap_or_else(|| "no HTTP answer".into());
        let n = d.attempts.len();
        o.push_str(&format!(
            "{}. {} to {}: {}, {}, {} attempt{}",
            i.saturating_add(1),
            inline(&d.event),
            inline(&host),
            d.status.id(),
            code,
            n,
            if n == 1 { "" } else { "s" }
        ));
        if let Some(ms) = d.last_duration_ms() {
            o.push_str(&format!(" (last took {})", duration(Some(ms))));
        }
        o.push('\n');
        if let Some(x) = diagnose(d) {
            o.push_str(&format!("   Why: {}\n", inline(&x.sentence)));
        }
        if t.with_payloads && !d.payload.is_null() {
            let text = d.payload.text();
            let (shown, left) = crate::format::clip(text, PAYLOAD_BYTES);
            o.push_str("   Payload:\n   ```json\n   ");
            o.push_str(&shown.replace("```", "` ` `").replace('\n', "\n   "));
            o.push_str("\n   ```\n");
            if left > 0 {
                o.push_str(&format!("   ({left} more bytes of the payload left out)\n"));
            }
        }
    }
    o.push_str(&format!("\nOpen in hookscope: {}\n", t.link));
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use hookscope_core::domain::{Attempt, DeliveryStatus, Outcome, Payload, Vendor};

    fn call() -> Call {
        serde_json::from_value(serde_json::json!({
            "vendor": "bland",
            "id": "5d1c0b6e-3f7a-4b2c-9d8e-1a2b3c4d5e6f",
            "call_sid": null,
            "status": "completed",
            "status_word": "completed",
            "completed": true,
            "error": null,
            "answered_by": "human",
            "created_at": null,
            "started_at": {"raw": "2026-11-30T07:12:03Z", "parsed": "2026-11-30T07:12:03Z"},
            "ended_at": {"raw": "2026-11-30T07:15:05Z", "parsed": "2026-11-30T07:15:05Z"},
            "duration_ms": 182_000,
            "from": "+15550009999",
            "to": "+14155550142",
            "customer_number": null,
            "inbound": false,
            "summary": "The caller asked\nabout *billing*.",
            "recording_url": null,
            "costs": null,
            "notes": [],
            "extra": {}
        }))
        .unwrap()
    }

    fn delivery(code: Option<u16>, status: DeliveryStatus) -> Delivery {
        let attempt = |n| Attempt {
            log_id: None,
            number: n,
            at: Some(Timestamp::parse("2026-11-30T07:15:06Z")),
            http_code: code,
            duration_ms: Some(140),
            outcome: if status == DeliveryStatus::Success {
                Outcome::Success
            } else {
                Outcome::Failed
            },
            trigger: "spawn".into(),
            error: None,
            response_body: Some("{\"error\": \"bad signature\"}".into()),
            response_headers: None,
            retriable: false,
        };
        Delivery {
            id: "bland:x".into(),
            vendor: Vendor::Bland,
            subject: "5d1c0b6e-3f7a-4b2c-9d8e-1a2b3c4d5e6f".into(),
            event: "post_call".into(),
            target_url: Some(
                "https://user:pw@hooks.acme-support.example/bland/post-call?token=s3cret".into(),
            ),
            payload: Payload::from_text(r#"{"call_id": "5d1c", "note": "```x"}"#),
            created_at: Some(Timestamp::parse("2026-11-30T07:15:06Z")),
            status,
            attempts: vec![attempt(1), attempt(2)],
            extra: serde_json::Value::Null,
        }
    }

    fn text(with_payloads: bool) -> String {
        ticket_text(&Ticket {
            call: &call(),
            deliveries: &[delivery(Some(401), DeliveryStatus::Failed)],
            link: "https://console.example/explorer?q=5d1c0b6e-3f7a-4b2c-9d8e-1a2b3c4d5e6f",
            with_payloads,
        })
    }

    #[test]
    fn holds_the_calls_facts_and_each_delivery() {
        let t = text(false);
        for want in [
            "### Bland call 5d1c0b6e-3f7a-4b2c-9d8e-1a2b3c4d5e6f",
            "- When: 2026-11-30 07:12 UTC to 2026-11-30 07:15 UTC (3 min 2 s)",
            "- Outcome: completed; answered by human",
            "- From +15550009999 to +14155550142",
            "- Summary: The caller asked about \\*billing\\*.",
            "Webhook deliveries (1):",
            "1. post_call to hooks.acme-support.example: failed, HTTP 401, 2 attempts (last took 140 ms)",
            "   Why: ",
            "X-Webhook-Signature",
            "Open in hookscope: https://console.example/explorer?q=5d1c0b6e",
        ] {
            assert!(t.contains(want), "missing {want:?} in:\n{t}");
        }
    }

    #[test]
    fn never_the_targets_path_credentials_or_unasked_payloads() {
        let t = text(false);
        for secret in ["s3cret", "user:pw", "/bland/post-call", "call_id"] {
            assert!(!t.contains(secret), "{secret} in:\n{t}");
        }
        let with = text(true);
        assert!(
            with.contains("   ```json\n   {\"call_id\": \"5d1c\""),
            "{with}"
        );
        assert!(
            !with.contains("\"```x"),
            "a payload cannot close the code block: {with}"
        );
    }

    #[test]
    fn long_payloads_are_cut_and_said() {
        let mut d = delivery(Some(200), DeliveryStatus::Success);
        d.payload = Payload::from_text(&format!("\"{}\"", "é".repeat(PAYLOAD_BYTES)));
        let t = ticket_text(&Ticket {
            call: &call(),
            deliveries: &[d],
            link: "l",
            with_payloads: true,
        });
        assert!(t.contains("more bytes of the payload left out"), "{t}");
        assert!(!t.contains("Why:"), "a delivered webhook has no diagnosis");
    }

    #[test]
    fn outcomes_and_missing_facts_read_plainly() {
        let mut c = call();
        c.status = CallStatus::Failed;
        c.error = Some("Number unreachable".into());
        c.answered_by = None;
        assert_eq!(outcome_words(&c), "failed: Number unreachable");
        c.status = CallStatus::Unknown;
        c.status_word = Some("paused".into());
        c.error = None;
        assert_eq!(
            outcome_words(&c),
            "“paused” (a status hookscope does not know)"
        );
        c.started_at = None;
        c.ended_at = None;
        c.duration_ms = None;
        c.from = None;
        c.id = String::new();
        let t = ticket_text(&Ticket {
            call: &c,
            deliveries: &[],
            link: "l",
            with_payloads: false,
        });
        assert!(t.contains("call (no ID given)"), "{t}");
        assert!(t.contains("- When: not said by the vendor\n"), "{t}");
        assert!(t.contains("- To +14155550142\n"), "{t}");
        assert!(t.contains("none found for this call"), "{t}");
    }

    #[test]
    fn hosts_only() {
        assert_eq!(
            target_host("https://a.example:8443/x?y=1"),
            "a.example:8443"
        );
        assert_eq!(target_host("http://u:p@b.example#f"), "b.example");
        assert_eq!(target_host("not a url"), "not a url");
        assert_eq!(target_host("https:///x"), "an unnamed target");
    }
}
