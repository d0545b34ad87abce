//! The demo data set: deterministic vendor wire JSON for every documented endpoint.
//! Everything is derived from IDs and a seed, so the same ID always answers the same,
//! and times are placed relative to `now` so the console looks alive.
//!
//! Arithmetic here is the generator's own constants and bounded ranges; request values reach it only
//! after a range check (`burki_logs` checks the call ID first), so nothing here can overflow.
#![allow(clippy::arithmetic_side_effects)]

use super::rng::Rng;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{json, Value};

pub const BLAND_CALLS: usize = 150;
pub const BLAND_CONVERSATIONS: usize = 40;
pub const BURKI_FIRST_CALL: u64 = 1001;
pub const BURKI_CALLS: u64 = 40;

/// Talkover owners and webhooks with how many deliveries each holds.
pub const TALKOVER_HOOKS: [(&str, &str, &str, usize); 3] = [
    ("agents", "agt_demo_support", "wh_demo_primary", 180),
    ("agents", "agt_demo_support", "wh_demo_crm", 24),
    ("campaigns", "cmp_demo_winter", "wh_demo_campaign", 90),
];

/// A Talkover webhook whose log list grows by one between the first page and the others
/// (as a busy webhook does during a load): it shows how shifted pages are handled.
pub const TALKOVER_SHIFTING_HOOK: &str = "wh_demo_shifting";

/// The SMS conversation ID of Bland's documented example; the demo answers it verbatim.
pub const BLAND_DOC_CONVERSATION: &str = "convo_abc123";

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn bland_call_id(i: usize) -> String {
    Rng::new(0xB1A4D + i as u64).uuid()
}

pub fn bland_call_index(id: &str) -> Option<usize> {
    (0..BLAND_CALLS).find(|i| bland_call_id(*i) == id)
}

/// Every tenth call has not sent its post-call webhook yet (so "create" can succeed for it).
pub fn bland_call_has_webhook(i: usize) -> bool {
    i % 10 != 9
}

pub fn bland_conversation_id(i: usize) -> String {
    let mut r = Rng::new(0x5A5 + i as u64);
    format!("convo_{:012x}", r.next_u64() & 0xffff_ffff_ffff)
}

pub fn bland_conversation_index(id: &str) -> Option<usize> {
    (0..BLAND_CONVERSATIONS).find(|i| bland_conversation_id(*i) == id)
}

const TARGETS: [&str; 4] = [
    "https://hooks.acme-support.example/bland/post-call",
    "https://crm.example.com/api/webhooks/voice",
    "https://n8n.example.org/webhook/5d1c0b6e",
    "https://api.example.net/v2/calls/completed",
];

/// An attempt's fate: HTTP code (None = no answer), duration, error text.
fn attempt_result(r: &mut Rng, ok: bool) -> (Option<u16>, u64, Option<String>) {
    if ok {
        (
            Some(*r.pick(&[200u16, 200, 200, 201, 204])),
            r.range(40, 900),
            None,
        )
    } else {
        match r.range(0, 6) {
            0 => (None, 30000, Some("timeout of 30000ms exceeded".into())),
            1 => (
                None,
                r.range(5, 60),
                Some("getaddrinfo ENOTFOUND hooks.acme-support.example".into()),
            ),
            2 => (
                Some(404),
                r.range(30, 200),
                Some("Request failed with status code 404".into()),
            ),
            3 => (
                Some(401),
                r.range(30, 200),
                Some("Request failed with status code 401".into()),
            ),
            4 => (
                Some(502),
                r.range(200, 3000),
                Some("Request failed with status code 502".into()),
            ),
            _ => (
                Some(500),
                r.range(100, 4000),
                Some("Request failed with status code 500".into()),
            ),
        }
    }
}

/// The post-call webhook record of demo call `i` (None if it never sent one).
pub fn bland_postcall_record(i: usize, now: DateTime<Utc>) -> Option<Value> {
    if !bland_call_has_webhook(i) {
        return None;
    }
    let id = bland_call_id(i);
    let mut r = Rng::from_text(&id);
    // Nine hours back at least: the call (up to 15 min) and resends up to 4 h apart all
    // happen before `now` (a demo never shows a delivery in the future).
    let start = now - Duration::minutes(r.range(5, 60 * 24 * 6) as i64) - Duration::hours(9);
    let length = r.range(20, 900);
    let url = *r.pick(&TARGETS);
    let payload = json!({
        "call_id": id,
        "c_id": id,
        "to": format!("+1555{:07}", r.range(0, 10_000_000)),
        "from": "+15550009999",
        "call_length": length as f64 / 60.0,
        "completed": true,
        "status": "completed",
        "answered_by": r.pick(&["human", "voicemail", "unknown"]),
        "summary": r.pick(&[
            "Caller asked to reschedule the delivery to Friday; confirmed.",
            "Customer disputed a charge; escalated to billing.",
            "Voicemail left with callback number.",
            "Caller wanted opening hours; answered and ended politely.",
        ]),
        "variables": {"customer_tier": r.pick(&["gold", "standard"]), "ticket": format!("T-{}", r.range(1000, 9999))},
        "created_at": ts(start),
        "end_at": ts(start + Duration::seconds(length as i64)),
    });
    // Attempt history: mostly fine first time; some fail then a manual resend; a few never succeed.
    let roll = r.range(0, 100);
    let mut plan: Vec<(&str, bool)> = match roll {
        0..=64 => vec![("spawn", true)],
        65..=79 => vec![("spawn", false), ("resend", true)],
        80..=86 => vec![("spawn", false), ("resend", false), ("resend", true)],
        87..=94 => vec![("spawn", false)],
        _ => vec![("spawn", false), ("resend", false)],
    };
    if i % 25 == 3 {
        plan = vec![("create", true)];
    }
    let mut at = start + Duration::seconds(length as i64 + 2);
    let metadata: Vec<Value> = plan
        .iter()
        .map(|(kind, ok)| {
            let (code, ms, err) = attempt_result(&mut r, *ok);
            let mut m = json!({
                "sent_at": ts(at),
                "response_code": code,
                "response_time": format!("{ms}ms"),
                "send_type": kind,
            });
            if let Some(e) = err {
                m["error_message"] = json!(e);
            }
            at += Duration::minutes(r.range(3, 240) as i64);
            m
        })
        .collect();
    Some(json!({
        "call_id": id,
        "url": url,
        "payload": payload,
        "created_at": ts(start + Duration::seconds(length as i64 + 2)),
        "user_id": "org_demo_7f3a",
        "metadata": metadata,
    }))
}

/// A freshly created post-call record (for `create`), one successful `create` attempt.
pub fn bland_created_record(id: &str, url: &str, now: DateTime<Utc>) -> Value {
    json!({
        "call_id": id,
        "url": url,
        "payload": {"call_id": id, "completed": true, "status": "completed"},
        "created_at": ts(now),
        "user_id": "org_demo_7f3a",
        "metadata": [{"sent_at": ts(now), "response_code": 200, "response_time": "131ms", "send_type": "create"}],
    })
}

/// The SMS conversation webhook record; `None` when none was sent yet.
pub fn bland_sms_record(i: usize, now: DateTime<Utc>) -> Option<Value> {
    if i % 8 == 7 {
        return None;
    }
    let id = bland_conversation_id(i);
    let mut r = Rng::from_text(&id);
    let at = now - Duration::minutes(r.range(2, 60 * 24 * 5) as i64);
    let ok = r.chance(80);
    let (code, ms, err) = attempt_result(&mut r, ok);
    let mut attempt = json!({"sent_at": ts(at), "response_code": code, "response_time": format!("{ms}ms"), "send_type": "spawn"});
    if let Some(e) = err {
        attempt["error_message"] = json!(e);
    }
    Some(json!({
        "conversation_id": id,
        "url": "https://example.com/sms-webhook",
        "payload": {
            "type": "status", "conversation_id": id, "status": "ended",
            "phone_number": format!("+1555{:07}", r.range(0, 10_000_000)), "agent_number": "+15550002222",
            "channel": "sms", "message_count": r.range(1, 30)
        },
        "created_at": ts(at),
        "user_id": "user_demo_7f3a",
        "metadata": [attempt],
    }))
}

/// Bland's documented SMS example, verbatim.
pub const BLAND_DOC_SMS_EXAMPLE: &str = crate::vendors::bland::DOC_SMS_EXAMPLE;

/// Response bodies a target might give; one is hostile HTML, which must show as text.
const FAIL_BODIES: [&str; 4] = [
    "{\"error\":\"invalid signature\"}",
    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><img src=x onerror=\"document.body.dataset.pwned='1'\"></body></html>",
    "Service Unavailable",
    "{\"message\":\"Internal error, trace id 7f0c2\"}",
];

/// All logs of one Burki demo call, oldest first (as Burki orders them).
pub fn burki_logs(call_id: u64, now: DateTime<Utc>) -> Option<Vec<Value>> {
    if !(BURKI_FIRST_CALL..BURKI_FIRST_CALL + BURKI_CALLS).contains(&call_id) {
        return None;
    }
    let mut r = Rng::new(0xB0B0 + call_id);
    let assistant = r.range(3, 9);
    let url = *r.pick(&TARGETS);
    let call_sid = format!(
        "CA{:032x}",
        (r.next_u64() as u128) << 64 | r.next_u64() as u128
    );
    let mut t = now - Duration::minutes(r.range(10, 60 * 24 * 6) as i64);
    let mut logs = Vec::new();
    let mut next_id = call_id * 100;
    let broken_target = r.chance(20);
    let mut push = |r: &mut Rng,
                    t: DateTime<Utc>,
                    kind: &str,
                    payload: Value,
                    logs: &mut Vec<Value>| {
        // A delivery: first try, then up to 3 automatic retries if it fails.
        let mut at = t;
        for retry in 0..4u64 {
            let ok = !broken_target && r.chance(if retry == 0 { 85 } else { 60 });
            let (code, ms) = if ok {
                (r.pick(&[200u16, 200, 204]).to_owned(), r.range(30, 700))
            } else {
                (*r.pick(&[500u16, 502, 503, 401, 404]), r.range(100, 5000))
            };
            next_id += 1;
            logs.push(json!({
                "id": next_id, "call_id": call_id, "assistant_id": assistant, "webhook_url": url,
                "webhook_type": kind, "request_payload": payload,
                "response_status_code": code,
                "response_body": if ok { "{\"ok\":true}".to_string() } else { r.pick(&FAIL_BODIES).to_string() },
                "response_time_ms": ms, "attempted_at": ts(at), "success": ok,
                "error_message": if ok { Value::Null } else { json!(format!("Webhook returned HTTP {code}")) },
                "retry_count": retry,
                "webhook_metadata": {"attempt_source": if retry == 0 { "event" } else { "retry_worker" }},
            }));
            if ok {
                break;
            }
            at += Duration::seconds(2i64.pow(retry as u32 + 1) * 5);
        }
    };
    push(
        &mut r,
        t,
        "call_started",
        json!({"event": "call_started", "call_sid": call_sid, "assistant_id": assistant}),
        &mut logs,
    );
    for n in 0..r.range(2, 12) {
        t += Duration::seconds(r.range(3, 40) as i64);
        let text = r
            .pick(&[
                "Hi, I'm calling about my order.",
                "Sure, one moment please.",
                "Can you confirm the address?",
                "Thanks, that's all.",
            ])
            .to_string();
        push(
            &mut r,
            t,
            "transcript",
            json!({"event": "transcript", "call_sid": call_sid, "seq": n, "speaker": if n % 2 == 0 { "user" } else { "assistant" }, "text": text}),
            &mut logs,
        );
    }
    if r.chance(40) {
        t += Duration::seconds(5);
        let order = r.range(10000, 99999);
        push(
            &mut r,
            t,
            "tool_call",
            json!({"event": "tool_call", "call_sid": call_sid, "tool": "lookup_order", "arguments": {"order": order}}),
            &mut logs,
        );
    }
    if r.chance(15) {
        t += Duration::seconds(5);
        push(
            &mut r,
            t,
            "transfer_initiated",
            json!({"event": "transfer_initiated", "call_sid": call_sid, "to": "+15550003333"}),
            &mut logs,
        );
    }
    t += Duration::seconds(r.range(5, 60) as i64);
    let duration = r.range(30, 900);
    push(
        &mut r,
        t,
        "call_ended",
        json!({"event": "call_ended", "call_sid": call_sid, "duration": duration, "ended_by": "caller"}),
        &mut logs,
    );
    logs.sort_by(|a, b| a["attempted_at"].as_str().cmp(&b["attempted_at"].as_str()));
    Some(logs)
}

/// All logs of a Talkover demo webhook, newest first.
pub fn talkover_logs(
    owner_kind: &str,
    owner: &str,
    webhook: &str,
    now: DateTime<Utc>,
) -> Option<Vec<Value>> {
    let &(_, _, _, deliveries) = TALKOVER_HOOKS
        .iter()
        .find(|(k, o, w, _)| *k == owner_kind && *o == owner && *w == webhook)?;
    let mut r = Rng::from_text(webhook);
    let mut logs = Vec::new();
    let events = [
        "event_phone_call_ended",
        "event_phone_call_ended",
        "event_phone_call_started",
        "event_transcript_ready",
        "event_call_analyzed",
    ];
    // Spread evenly over the last 20 days, the newest a few minutes ago.
    let start = now - Duration::minutes(60 * 24 * 20);
    let span = (60 * 24 * 20) / deliveries as i64;
    for d in 0..deliveries {
        let t = start
            + Duration::minutes(span * (d as i64 + 1) - r.range(2, span.max(3) as u64) as i64);
        let event = *r.pick(&events);
        let call = r.uuid();
        let payload = json!({"call_id": call, "duration": r.range(5, 900), "event": event, "agent_id": owner});
        let fate = r.range(0, 100);
        // The newest deliveries can still be queued or mid-retry.
        let recent = d + 3 >= deliveries;
        let chain: Vec<&str> = if recent && d + 1 == deliveries {
            vec!["pending"]
        } else if recent {
            vec!["retrying"]
        } else {
            match fate {
                0..=69 => vec!["success"],
                70..=82 => vec!["retrying", "success"],
                83..=89 => vec!["retrying", "retrying", "success"],
                _ => vec!["retrying", "retrying", "failed"],
            }
        };
        let mut at = t;
        for (n, status) in chain.iter().enumerate() {
            let code: Value = match *status {
                "success" => json!(*r.pick(&[200u16, 200, 202])),
                "pending" => Value::Null,
                _ => {
                    if r.chance(25) {
                        Value::Null
                    } else {
                        json!(*r.pick(&[500u16, 502, 503, 429, 400]))
                    }
                }
            };
            let mut log = json!({
                "id": r.uuid(), "webhook_id": webhook, "event": event, "attempt": n + 1, "status": status,
                "http_status": code, "request_payload": payload,
                "created_at": ts(at),
            });
            match *status {
                "success" => {
                    log["response_body"] = json!("{\"received\":true}");
                    log["response_headers"] = json!({"content-type": "application/json"});
                    log["duration_ms"] = json!(r.range(40, 1200));
                    log["delivered_at"] = json!(ts(at + Duration::seconds(1)));
                }
                "pending" => {}
                _ => {
                    let ms = r.range(100, 10_000);
                    log["duration_ms"] = json!(ms);
                    if code.is_null() {
                        log["error"] = json!("connect ETIMEDOUT");
                    } else {
                        log["error"] = json!(match code.as_u64() {
                            Some(429) => "Too Many Requests",
                            Some(400) => "Bad Request",
                            Some(502) => "Bad Gateway",
                            Some(503) => "Service Unavailable",
                            _ => "Internal Server Error",
                        });
                        log["response_body"] = json!(r.pick(&FAIL_BODIES).to_string());
                        log["response_headers"] = json!({"content-type": "text/html"});
                    }
                }
            }
            logs.push(log);
            at += Duration::seconds(60 * 2i64.pow(n as u32));
        }
    }
    logs.reverse();
    Some(logs)
}

/// The agent whose webhooks hold generated volumes (`demo-scale`).
pub const SCALE_AGENT: &str = "agt_demo_scale";
/// The volumes offered; any other is not a demo webhook (so a hand-made link cannot ask
/// the page to generate a billion logs).
pub const SCALES: [usize; 3] = [1_000, 10_000, 100_000];

/// The webhook holding `n` generated deliveries.
pub fn scale_hook(n: usize) -> String {
    format!("wh_demo_scale_{n}")
}

/// `n` if `hook` is a scale webhook.
pub fn scale_of(hook: &str) -> Option<usize> {
    let n = hook.strip_prefix("wh_demo_scale_")?.parse().ok()?;
    SCALES.contains(&n).then_some(n)
}

/// Log `i` (0 = newest) of the `n`-delivery webhook: one log per delivery (a first
/// attempt), spread over the last 30 days, statuses mixed as a busy day's are. Made one
/// at a time so a page costs its 100 logs, never the whole volume.
pub fn scale_log(n: usize, i: usize, now: DateTime<Utc>) -> Value {
    let mut r = Rng::new(0x5CA1E ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let span_s = 30 * 86_400;
    let back = (i as i64).saturating_mul(span_s) / n.max(1) as i64 + 30;
    let at = now - Duration::seconds(back);
    let events = [
        "event_phone_call_ended",
        "event_phone_call_started",
        "event_transcript_ready",
        "event_call_analyzed",
    ];
    let event = *r.pick(&events);
    let fate = r.range(0, 100);
    // Only the newest are still queued or mid-retry.
    let status = match (i < 40, fate) {
        (true, 0..=29) => "pending",
        (true, 30..=59) => "retrying",
        (_, 0..=84) => "success",
        _ => "failed",
    };
    let code: Value = match status {
        "success" => json!(*r.pick(&[200u16, 200, 200, 201, 202, 204])),
        "pending" => Value::Null,
        _ => match r.range(0, 8) {
            0 | 1 => Value::Null,
            2 => json!(404),
            3 => json!(429),
            4 => json!(400),
            5 => json!(502),
            6 => json!(503),
            _ => json!(500),
        },
    };
    let mut log = json!({
        "id": format!("scale-{n}-{i}"), "webhook_id": scale_hook(n), "event": event, "attempt": 1,
        "status": status, "http_status": code,
        "request_payload": {"call_id": r.uuid(), "duration": r.range(5, 900), "event": event, "agent_id": SCALE_AGENT, "seq": i},
        "created_at": ts(at),
    });
    match status {
        "success" => {
            log["duration_ms"] = json!(r.range(30, 1500));
            log["response_body"] = json!("{\"received\":true}");
        }
        "pending" => {}
        _ => {
            log["duration_ms"] = json!(r.range(100, 10_000));
            log["error"] = json!(if code.is_null() {
                "connect ETIMEDOUT"
            } else {
                "Server responded with an error"
            });
        }
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::test_now as now;

    /// Every time string in `v` (RFC 3339 values anywhere in the tree).
    fn times(v: &Value, out: &mut Vec<DateTime<Utc>>) {
        match v {
            Value::String(s) => {
                if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                    out.push(t.with_timezone(&Utc));
                }
            }
            Value::Array(a) => a.iter().for_each(|x| times(x, out)),
            Value::Object(o) => o.values().for_each(|x| times(x, out)),
            _ => {}
        }
    }

    #[test]
    fn nothing_happens_in_the_future() {
        let mut all = vec![];
        for i in 0..BLAND_CALLS {
            if let Some(r) = bland_postcall_record(i, now()) {
                times(&r, &mut all);
            }
        }
        for i in 0..BLAND_CONVERSATIONS {
            if let Some(r) = bland_sms_record(i, now()) {
                times(&r, &mut all);
            }
        }
        for c in BURKI_FIRST_CALL..BURKI_FIRST_CALL + BURKI_CALLS {
            times(&Value::Array(burki_logs(c, now()).unwrap()), &mut all);
        }
        for (k, o, w, _) in TALKOVER_HOOKS {
            times(
                &Value::Array(talkover_logs(k, o, w, now()).unwrap()),
                &mut all,
            );
        }
        times(&Value::Array(hostile_talkover_logs(now())), &mut all);
        times(&hostile_bland_record(now()), &mut all);
        times(&Value::Array(hostile_burki_logs(now())), &mut all);
        assert!(all.len() > 1000, "{}", all.len());
        let future: Vec<_> = all.iter().filter(|t| **t > now()).collect();
        assert!(
            future.is_empty(),
            "{} times after now, e.g. {:?}",
            future.len(),
            future.first()
        );
    }

    #[test]
    fn scale_webhooks_are_only_the_offered_sizes() {
        assert_eq!(scale_of(&scale_hook(100_000)), Some(100_000));
        assert_eq!(scale_of("wh_demo_scale_1000000000"), None);
        assert_eq!(scale_of("wh_demo_scale_x"), None);
        let a = scale_log(10_000, 9_999, now());
        assert_eq!(a, scale_log(10_000, 9_999, now()), "stable");
        let t = DateTime::parse_from_rfc3339(a["created_at"].as_str().unwrap()).unwrap();
        assert!(t < now() && t > now() - Duration::days(31));
    }

    #[test]
    fn ids_are_stable_and_unique() {
        let ids: std::collections::HashSet<_> = (0..BLAND_CALLS).map(bland_call_id).collect();
        assert_eq!(ids.len(), BLAND_CALLS);
        assert_eq!(bland_call_index(&bland_call_id(42)), Some(42));
        assert_eq!(bland_conversation_index(&bland_conversation_id(3)), Some(3));
        assert_eq!(bland_call_index("nope"), None);
    }

    #[test]
    fn same_input_same_output() {
        assert_eq!(
            bland_postcall_record(1, now()),
            bland_postcall_record(1, now())
        );
        assert_eq!(burki_logs(1001, now()), burki_logs(1001, now()));
        assert!(bland_postcall_record(9, now()).is_none());
        assert!(burki_logs(5, now()).is_none());
    }

    #[test]
    fn talkover_has_every_status() {
        let logs = talkover_logs("agents", "agt_demo_support", "wh_demo_primary", now()).unwrap();
        assert!(logs.len() > 200, "{}", logs.len());
        for s in ["success", "failed", "retrying", "pending"] {
            assert!(logs.iter().any(|l| l["status"] == s), "{s}");
        }
        assert!(talkover_logs("agents", "agt_demo_support", "nope", now()).is_none());
    }
}

/// The first demo Burki call with a failed log (for the "try this" examples).
pub fn burki_call_with_failures(now: DateTime<Utc>) -> Option<u64> {
    (BURKI_FIRST_CALL..BURKI_FIRST_CALL + BURKI_CALLS).find(|c| {
        burki_logs(*c, now).is_some_and(|logs| logs.iter().any(|l| l["success"] == false))
    })
}

/// The first demo Bland call whose post-call webhook was resent after failing.
pub fn bland_call_resent_after_failure(now: DateTime<Utc>) -> Option<usize> {
    (0..BLAND_CALLS).find(|i| {
        bland_postcall_record(*i, now).is_some_and(|r| {
            let m = r["metadata"].as_array().cloned().unwrap_or_default();
            m.len() > 1 && m.iter().any(|a| a["send_type"] == "resend")
        })
    })
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn examples_exist() {
        let now = crate::demo::test_now();
        assert!(burki_call_with_failures(now).is_some());
        assert!(bland_call_resent_after_failure(now).is_some());
    }
}

/// Text that runs script or adds elements if a page ever renders it as HTML. The hostile
/// demo records below put it in every field the console displays; the injection tests
/// check that none of it executes and no element appears.
pub const HOSTILE: [&str; 4] = [
    "<img src=x onerror=\"window.__pwned=1\" data-injected=\"1\">",
    "<script data-injected=\"1\">window.__pwned=1</script>",
    "\"><svg onload=\"window.__pwned=1\" data-injected=\"1\"></svg>",
    "javascript:window.__pwned=1",
];

/// A Talkover webhook, a Bland call and a Burki call whose every field is hostile.
pub const HOSTILE_TALKOVER_HOOK: &str = "wh_demo_hostile";
pub const HOSTILE_BLAND_CALL: &str = "hostile-call";
pub const HOSTILE_BURKI_CALL: u64 = 4242;

fn hostile_payload() -> Value {
    json!({
        "call_id": HOSTILE[0], HOSTILE[1]: HOSTILE[2],
        "nested": {"html": HOSTILE[1], "list": [HOSTILE[0], HOSTILE[3]]},
        "summary": HOSTILE[2],
        "amount": EXACT_MARKS[0].0, "order_id": EXACT_MARKS[1].0,
    })
}

/// Numbers a `Value` cannot carry exactly; the hostile records' text gets them by
/// replacing these marker strings (see [`with_exact_numbers`]).
pub const EXACT_MARKS: [(&str, &str); 2] = [
    ("__exact_amount__", "1.10"),
    ("__exact_order__", "12345678901234567890123"),
];

/// Puts the exact numbers into a serialised body in place of their markers.
pub fn with_exact_numbers(body: String) -> String {
    EXACT_MARKS.iter().fold(body, |b, (mark, num)| {
        b.replace(&format!("\"{mark}\""), num)
    })
}

pub fn hostile_talkover_logs(now: DateTime<Utc>) -> Vec<Value> {
    HOSTILE
        .iter()
        .enumerate()
        .map(|(i, h)| {
            json!({
                "id": format!("hostile-{i}"), "webhook_id": HOSTILE_TALKOVER_HOOK, "event": h,
                "attempt": 1, "status": if i % 2 == 0 { "failed" } else { "retrying" }, "http_status": 500,
                "request_payload": hostile_payload(), "response_body": h,
                "response_headers": {"content-type": "text/html", *h: h},
                "duration_ms": 120, "error": h,
                "created_at": ts(now - Duration::minutes(10 + i as i64)),
            })
        })
        .collect()
}

pub fn hostile_bland_record(now: DateTime<Utc>) -> Value {
    json!({
        "call_id": HOSTILE_BLAND_CALL, "url": HOSTILE[3], "payload": hostile_payload(),
        "created_at": ts(now - Duration::minutes(30)), "user_id": HOSTILE[0],
        "metadata": [
            {"sent_at": ts(now - Duration::minutes(30)), "response_code": 500, "response_time": "90ms", "send_type": HOSTILE[1], "error_message": HOSTILE[0]},
            {"sent_at": ts(now - Duration::minutes(20)), "response_code": null, "response_time": "30000ms", "send_type": "resend", "error_message": HOSTILE[2]}
        ],
    })
}

pub fn hostile_burki_logs(now: DateTime<Utc>) -> Vec<Value> {
    HOSTILE
        .iter()
        .enumerate()
        .map(|(i, h)| {
            json!({
                "id": 424_200 + i, "call_id": HOSTILE_BURKI_CALL, "assistant_id": h, "webhook_url": HOSTILE[3],
                "webhook_type": h, "request_payload": hostile_payload(), "response_status_code": 502,
                "response_body": h, "response_time_ms": 250, "attempted_at": ts(now - Duration::minutes(5 + i as i64)),
                "success": false, "error_message": h, "retry_count": 0, "webhook_metadata": {"note": h},
            })
        })
        .collect()
}
