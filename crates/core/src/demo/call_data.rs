//! The demo's calls, for finding a call with no keys: the records of Bland's and Burki's
//! calls endpoints, and a set of hand-made calls (stable IDs, listed in
//! [`super::examples::find_examples`]) that show every outcome and every diagnosis rule.
//!
//! - Bland: a call record for each generated call of [`data`] (derived from its post-call
//!   payload, so both agree; calls that never sent a webhook are queued or ongoing), and
//!   eight hand-made calls on [`FIND_PHONE`]: completed with a failed delivery (401, the
//!   signature rule), delivered, voicemail (a 30 s timeout, then resent), no answer,
//!   failed with an error message, ongoing, queued, and one inbound from that number.
//! - Burki: a call record for each generated call (1001–1040) and calls 2001–2004:
//!   completed with SID [`FIND_SID`] and a 204 its sender logged as failed, failed with a
//!   30 s timeout, ongoing, and one whose target answered FastAPI's `{"detail": [...]}` to
//!   one webhook and a 500 page Burki cut at 10 KB to another.
//! - Talkover: webhook [`FIND_TALKOVER_WEBHOOK`] of agent [`FIND_TALKOVER_AGENT`], whose
//!   logs hold call [`FIND_TALKOVER_CALL`] (a 30 s timeout, then a 503 with Talkover's
//!   error object) among other calls.
//!
//! Arithmetic here is on the generator's own small constants and demo indices, as in
//! [`data`].
#![allow(clippy::arithmetic_side_effects)]

use super::data::{self, ts};
use super::rng::Rng;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

/// A customer number with several calls on Bland (to and from it) and Burki.
pub const FIND_PHONE: &str = "+14155550142";
/// Another customer's number (one Burki call).
pub const OTHER_PHONE: &str = "+14155550199";
/// The number the demo's Bland agent calls from (also the generated calls' `from`, so a
/// search for it has many pages).
pub const BLAND_AGENT_NUMBER: &str = "+15550009999";
/// The number Burki's demo assistant answers on.
pub const BURKI_AGENT_NUMBER: &str = "+15550002000";
/// A telephony call SID that resolves to Burki call 2001.
pub const FIND_SID: &str = "CA5f0e6a1b2c3d4e5f60718293a4b5c6d7";

/// Bland: completed, answered; its post-call webhook failed twice with 401 (signature).
pub const BLAND_FAILED_DELIVERY: &str = "5d1c0b6e-3f7a-4b2c-9d8e-1a2b3c4d5e6f";
/// Bland: completed and delivered; its recording link is plain http (dropped, with a note).
pub const BLAND_DELIVERED: &str = "0b7e4c2a-9f13-4d6e-8a5b-7c6d5e4f3a2b";
/// Bland: reached voicemail; the webhook timed out at 30 s, then a resend was delivered.
pub const BLAND_VOICEMAIL: &str = "7a3e9c1d-2b4f-4e6a-8c0d-9e8f7a6b5c4d";
/// Bland: nobody answered.
pub const BLAND_NO_ANSWER: &str = "c4d5e6f7-a8b9-4c0d-8e1f-2a3b4c5d6e7f";
/// Bland: the call failed, with Bland's error message.
pub const BLAND_FAILED_CALL: &str = "e1f2a3b4-c5d6-4e7f-9a0b-1c2d3e4f5a6b";
/// Bland: still in progress (no webhook yet).
pub const BLAND_ONGOING: &str = "3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f6";
/// Bland: queued, not dialled yet (no webhook yet).
pub const BLAND_QUEUED: &str = "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f";
/// Bland: an inbound call from [`FIND_PHONE`].
pub const BLAND_INBOUND: &str = "2e3f4a5b-6c7d-4e8f-9a0b-c1d2e3f4a5b6";

/// Burki: completed, SID [`FIND_SID`]; its `call_ended` webhook got 204 twice.
pub const BURKI_WITH_SID: u64 = 2001;
/// Burki: failed; its `call_ended` webhook timed out at 30 s.
pub const BURKI_FAILED: u64 = 2002;
/// Burki: ongoing.
pub const BURKI_ONGOING: u64 = 2003;
/// Burki: completed; its `transcript` webhook got 422 with FastAPI's `detail` list, its
/// `call_ended` a 500 page that Burki cut at 10 KB.
pub const BURKI_CUT_BODY: u64 = 2004;
/// The hand-made Burki calls.
pub const BURKI_FIND_CALLS: [u64; 4] =
    [BURKI_WITH_SID, BURKI_FAILED, BURKI_ONGOING, BURKI_CUT_BODY];

/// The Talkover agent and webhook whose logs hold [`FIND_TALKOVER_CALL`].
pub const FIND_TALKOVER_AGENT: &str = "agt_demo_support";
pub const FIND_TALKOVER_WEBHOOK: &str = "wh_demo_calls";
/// A Talkover call with a failed `event_phone_call_ended` delivery.
pub const FIND_TALKOVER_CALL: &str = "8b9c0d1e-2f3a-4b5c-9d6e-7f8091a2b3c4";

const BLAND_TARGET: &str = "https://hooks.acme-support.example/bland/post-call";
const BURKI_TARGET: &str = "https://crm.example.com/api/webhooks/voice";

#[derive(Clone, Copy, PartialEq)]
enum Fate {
    Completed,
    Failed,
    Ongoing,
    Queued,
}

/// One attempt of a hand-made post-call webhook: send type, HTTP code, ms, error, body.
type Send = (&'static str, Option<u16>, u64, Option<&'static str>);

/// A hand-made Bland call.
struct BlandCall {
    id: &'static str,
    fate: Fate,
    inbound: bool,
    hours_ago: i64,
    length_s: u64,
    answered_by: Option<&'static str>,
    error: Option<&'static str>,
    summary: &'static str,
    recording: Option<&'static str>,
    sends: &'static [Send],
}

const BLAND_FIND: [BlandCall; 8] = [
    BlandCall {
        id: BLAND_FAILED_DELIVERY,
        fate: Fate::Completed,
        inbound: false,
        hours_ago: 20,
        length_s: 184,
        answered_by: Some("human"),
        error: None,
        summary: "Customer asked to move the delivery to Friday; the agent confirmed the new slot.",
        recording: Some("https://recordings.bland.example/5d1c0b6e.mp3"),
        sends: &[
            (
                "spawn",
                Some(401),
                85,
                Some("Request failed with status code 401"),
            ),
            (
                "resend",
                Some(401),
                91,
                Some("Request failed with status code 401"),
            ),
        ],
    },
    BlandCall {
        id: BLAND_DELIVERED,
        fate: Fate::Completed,
        inbound: false,
        hours_ago: 30,
        length_s: 95,
        answered_by: Some("human"),
        error: None,
        summary: "Customer confirmed the order number and asked for an email receipt.",
        recording: Some("http://recordings.bland.example/0b7e4c2a.mp3"),
        sends: &[("spawn", Some(200), 140, None)],
    },
    BlandCall {
        id: BLAND_VOICEMAIL,
        fate: Fate::Completed,
        inbound: false,
        hours_ago: 44,
        length_s: 31,
        answered_by: Some("voicemail"),
        error: None,
        summary: "Voicemail left with the callback number.",
        recording: Some("https://recordings.bland.example/7a3e9c1d.mp3"),
        sends: &[
            ("spawn", None, 30_000, Some("timeout of 30000ms exceeded")),
            ("resend", Some(200), 180, None),
        ],
    },
    BlandCall {
        id: BLAND_NO_ANSWER,
        fate: Fate::Completed,
        inbound: false,
        hours_ago: 52,
        length_s: 0,
        answered_by: Some("no-answer"),
        error: None,
        summary: "",
        recording: None,
        sends: &[("spawn", Some(200), 120, None)],
    },
    BlandCall {
        id: BLAND_FAILED_CALL,
        fate: Fate::Failed,
        inbound: false,
        hours_ago: 70,
        length_s: 0,
        answered_by: None,
        error: Some("The number could not be reached: the carrier rejected the call."),
        summary: "",
        recording: None,
        sends: &[("spawn", Some(200), 150, None)],
    },
    BlandCall {
        id: BLAND_ONGOING,
        fate: Fate::Ongoing,
        inbound: false,
        hours_ago: 0,
        length_s: 0,
        answered_by: Some("human"),
        error: None,
        summary: "",
        recording: None,
        sends: &[],
    },
    BlandCall {
        id: BLAND_QUEUED,
        fate: Fate::Queued,
        inbound: false,
        hours_ago: 0,
        length_s: 0,
        answered_by: None,
        error: None,
        summary: "",
        recording: None,
        sends: &[],
    },
    BlandCall {
        id: BLAND_INBOUND,
        fate: Fate::Completed,
        inbound: true,
        hours_ago: 8,
        length_s: 240,
        answered_by: Some("human"),
        error: None,
        summary: "Customer called back about the missed delivery; a new slot was booked.",
        recording: Some("https://recordings.bland.example/2e3f4a5b.mp3"),
        sends: &[("spawn", Some(200), 99, None)],
    },
];

fn find_bland(id: &str) -> Option<&'static BlandCall> {
    BLAND_FIND.iter().find(|c| c.id == id)
}

/// Whether `id` is one of the hand-made Bland calls.
pub fn is_bland_find_call(id: &str) -> bool {
    find_bland(id).is_some()
}

/// When a hand-made call started (queued ones: when they were created).
fn bland_start(c: &BlandCall, now: DateTime<Utc>) -> DateTime<Utc> {
    match c.fate {
        Fate::Ongoing => now - Duration::minutes(2),
        Fate::Queued => now - Duration::minutes(1),
        _ => now - Duration::hours(c.hours_ago),
    }
}

fn bland_find_record(c: &BlandCall, now: DateTime<Utc>) -> Value {
    let start = bland_start(c, now);
    let (to, from) = if c.inbound {
        (BLAND_AGENT_NUMBER, FIND_PHONE)
    } else {
        (FIND_PHONE, BLAND_AGENT_NUMBER)
    };
    let (completed, queue_status, status) = match c.fate {
        Fate::Completed => (true, "complete", "completed"),
        Fate::Failed => (true, "complete", "failed"),
        Fate::Ongoing => (false, "started", "in-progress"),
        Fate::Queued => (false, "queued", "queued"),
    };
    let ended = matches!(c.fate, Fate::Completed | Fate::Failed);
    let mut rec = json!({
        "call_id": c.id, "c_id": c.id,
        "created_at": ts(start - Duration::seconds(4)),
        "to": to, "from": from, "inbound": c.inbound,
        "completed": completed, "queue_status": queue_status, "status": status,
        "error_message": c.error, "answered_by": c.answered_by,
        "batch_id": null, "max_duration": 30, "endpoint_url": "api.bland.ai",
        "record": c.recording.is_some(), "recording_url": c.recording,
        "variables": {"customer_tier": "gold", "ticket": "T-4821"},
        "metadata": {"source": "hookscope demo"},
    });
    if c.fate != Fate::Queued {
        rec["started_at"] = json!(ts(start));
    }
    if ended {
        rec["end_at"] = json!(ts(start + Duration::seconds(c.length_s as i64)));
        rec["call_length"] = json!(c.length_s as f64 / 60.0);
        rec["price"] = json!(((c.length_s as f64 / 60.0) * 0.09 * 1000.0).round() / 1000.0);
        rec["call_ended_by"] = json!(if c.inbound { "USER" } else { "ASSISTANT" });
    }
    if !c.summary.is_empty() {
        rec["summary"] = json!(c.summary);
        rec["concatenated_transcript"] = json!(format!(
            "assistant: Hello, this is Acme Support. \n user: {}",
            c.summary
        ));
        rec["transcripts"] = json!([
            {"id": 1, "created_at": ts(start + Duration::seconds(2)), "text": "Hello, this is Acme Support.", "user": "assistant"},
            {"id": 2, "created_at": ts(start + Duration::seconds(6)), "text": c.summary, "user": "user"},
        ]);
    }
    rec
}

fn bland_find_postcall(c: &BlandCall, now: DateTime<Utc>) -> Option<Value> {
    if c.sends.is_empty() {
        return None;
    }
    let rec = bland_find_record(c, now);
    let start = bland_start(c, now);
    let mut at = start + Duration::seconds(c.length_s as i64 + 2);
    let first = at;
    let metadata: Vec<Value> = c
        .sends
        .iter()
        .map(|(kind, code, ms, err)| {
            let mut m = json!({"sent_at": ts(at), "response_code": code, "response_time": format!("{ms}ms"), "send_type": kind});
            if let Some(e) = err {
                m["error_message"] = json!(e);
            }
            at += Duration::minutes(25);
            m
        })
        .collect();
    Some(json!({
        "call_id": c.id,
        "url": BLAND_TARGET,
        "payload": {
            "call_id": c.id, "to": rec["to"], "from": rec["from"], "call_length": rec["call_length"],
            "completed": rec["completed"], "status": rec["status"], "answered_by": rec["answered_by"],
            "summary": rec["summary"], "error_message": rec["error_message"],
            "created_at": rec["created_at"], "end_at": rec["end_at"],
        },
        "created_at": ts(first),
        "user_id": "org_demo_7f3a",
        "metadata": metadata,
    }))
}

/// The post-call webhook record of a hand-made Bland call (`None`: none sent yet, or not
/// one of them).
pub fn bland_postcall(id: &str, now: DateTime<Utc>) -> Option<Value> {
    find_bland(id).and_then(|c| bland_find_postcall(c, now))
}

/// A generated call's record, derived from its post-call payload (so the two agree);
/// calls that never sent a webhook are queued (every 20th from the 9th) or ongoing.
fn bland_generated_record(i: usize, now: DateTime<Utc>) -> Value {
    let id = data::bland_call_id(i);
    if let Some(rec) = data::bland_postcall_record(i, now) {
        let p = &rec["payload"];
        let minutes = p["call_length"].as_f64().unwrap_or(0.0);
        let created = p["created_at"].as_str().unwrap_or_default();
        let started = crate::datetime::parse_rfc3339(created)
            .map(|t| ts(t + Duration::seconds(3)))
            .unwrap_or_default();
        return json!({
            "call_id": id, "c_id": id, "created_at": created, "started_at": started,
            "end_at": p["end_at"], "call_length": minutes, "to": p["to"], "from": p["from"],
            "inbound": false, "completed": true, "queue_status": "complete", "status": "completed",
            "error_message": null, "answered_by": p["answered_by"], "summary": p["summary"],
            "record": true, "recording_url": format!("https://recordings.bland.example/{id}.mp3"),
            "price": (minutes * 0.09 * 1000.0).round() / 1000.0, "batch_id": null,
            "variables": p["variables"], "max_duration": 30, "endpoint_url": "api.bland.ai",
            "call_ended_by": "ASSISTANT",
        });
    }
    let mut r = Rng::from_text(&format!("call:{id}"));
    let to = format!("+1555{:07}", r.range(0, 10_000_000));
    let created = now - Duration::minutes(1 + (i as i64 % 50));
    if i % 20 == 9 {
        json!({"call_id": id, "created_at": ts(created), "to": to, "from": BLAND_AGENT_NUMBER,
               "inbound": false, "completed": false, "queue_status": "queued", "status": "queued",
               "error_message": null, "answered_by": null, "batch_id": null, "recording_url": null})
    } else {
        json!({"call_id": id, "created_at": ts(created), "started_at": ts(created + Duration::seconds(5)),
               "to": to, "from": BLAND_AGENT_NUMBER, "inbound": false, "completed": false,
               "queue_status": "started", "status": "in-progress", "error_message": null,
               "answered_by": "human", "batch_id": null, "recording_url": null})
    }
}

/// The record `GET /v1/calls/{id}` answers for a demo call, or `None`.
pub fn bland_call(id: &str, now: DateTime<Utc>) -> Option<Value> {
    if let Some(c) = find_bland(id) {
        return Some(bland_find_record(c, now));
    }
    if id == data::HOSTILE_BLAND_CALL {
        return Some(hostile_bland_call(now));
    }
    data::bland_call_index(id).map(|i| bland_generated_record(i, now))
}

/// Every demo Bland call, newest first (as `GET /v1/calls` lists them).
pub fn bland_calls(now: DateTime<Utc>) -> Vec<Value> {
    let mut all: Vec<Value> = BLAND_FIND
        .iter()
        .map(|c| bland_find_record(c, now))
        .chain((0..data::BLAND_CALLS).map(|i| bland_generated_record(i, now)))
        .collect();
    all.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
    all
}

fn hostile_bland_call(now: DateTime<Utc>) -> Value {
    let h = data::HOSTILE;
    json!({
        "call_id": data::HOSTILE_BLAND_CALL, "created_at": ts(now - Duration::minutes(31)),
        "started_at": ts(now - Duration::minutes(31)), "end_at": ts(now - Duration::minutes(30)),
        "call_length": 1.0, "to": h[2], "from": h[0], "inbound": false, "completed": true,
        "queue_status": h[1], "status": "completed", "error_message": null, "answered_by": h[1],
        "summary": h[2], "recording_url": h[3], "variables": {"note": h[0]}, "concatenated_transcript": h[1],
    })
}

// ---------- Burki ----------

/// A hand-made Burki call: status, SID, customer number, hours ago, seconds, error.
struct BurkiCall {
    id: u64,
    status: &'static str,
    sid: &'static str,
    customer: &'static str,
    hours_ago: i64,
    duration_s: u64,
    error: Option<&'static str>,
}

const BURKI_FIND: [BurkiCall; 4] = [
    BurkiCall {
        id: BURKI_WITH_SID,
        status: "completed",
        sid: FIND_SID,
        customer: FIND_PHONE,
        hours_ago: 26,
        duration_s: 212,
        error: None,
    },
    BurkiCall {
        id: BURKI_FAILED,
        status: "failed",
        sid: "CA0c1d2e3f405162738495a6b7c8d9e0f1",
        customer: FIND_PHONE,
        hours_ago: 60,
        duration_s: 14,
        error: Some("The caller hung up before the assistant answered."),
    },
    BurkiCall {
        id: BURKI_ONGOING,
        status: "ongoing",
        sid: "CA9a8b7c6d5e4f30211203f4e5d6c7b8a9",
        customer: FIND_PHONE,
        hours_ago: 0,
        duration_s: 0,
        error: None,
    },
    BurkiCall {
        id: BURKI_CUT_BODY,
        status: "completed",
        sid: "CAab12cd34ef5600718293a4b5c6d7e8f9",
        customer: OTHER_PHONE,
        hours_ago: 12,
        duration_s: 95,
        error: None,
    },
];

fn burki_find_start(c: &BurkiCall, now: DateTime<Utc>) -> DateTime<Utc> {
    if c.status == "ongoing" {
        now - Duration::minutes(3)
    } else {
        now - Duration::hours(c.hours_ago)
    }
}

fn burki_find_record(c: &BurkiCall, now: DateTime<Utc>) -> Value {
    let start = burki_find_start(c, now);
    let mut rec = json!({
        "id": c.id, "call_sid": c.sid, "assistant_id": 7, "assistant_name": "Front desk",
        "flow_name": "Delivery questions", "to_phone_number": BURKI_AGENT_NUMBER,
        "customer_phone_number": c.customer, "status": c.status, "started_at": ts(start),
        "call_meta": {"channel": "phone"},
    });
    if c.status != "ongoing" {
        let secs = c.duration_s as f64;
        rec["ended_at"] = json!(ts(start + Duration::seconds(c.duration_s as i64)));
        rec["duration"] = json!(c.duration_s);
        rec["llm_cost"] = json!((secs * 0.0002 * 10_000.0).round() / 10_000.0);
        rec["tts_cost"] = json!((secs * 0.0001 * 10_000.0).round() / 10_000.0);
        rec["stt_cost"] = json!((secs * 0.00005 * 10_000.0).round() / 10_000.0);
        rec["telephony_cost"] = json!((secs * 0.00015 * 10_000.0).round() / 10_000.0);
        rec["total_cost"] = json!((secs * 0.0005 * 10_000.0).round() / 10_000.0);
        rec["cost_currency"] = json!("USD");
    }
    if let Some(e) = c.error {
        rec["call_meta"]["error"] = json!(e);
    }
    rec
}

/// One log of a hand-made Burki call: seconds after the call started, webhook type, HTTP
/// code (`None`: timed out), whether Burki's sender logged it as a success, ms, body.
type BurkiSend<'a> = (i64, &'static str, Option<u16>, bool, u64, &'a str);

/// The logs of a hand-made Burki call, numbered from 1 in the order given. A failed log
/// carries the error message Burki writes for it; a log of a webhook type already sent
/// is a retry.
fn burki_logs_of(c: &BurkiCall, start: DateTime<Utc>, sends: &[BurkiSend]) -> Vec<Value> {
    sends
        .iter()
        .zip(1u64..)
        .map(|(&(after, kind, code, ok, ms, body), n)| {
            let error = match (ok, code) {
                (true, _) => None,
                (false, Some(code)) => Some(format!("Webhook returned HTTP {code}")),
                (false, None) => Some("Request timed out after 30s".to_string()),
            };
            let retry = sends[..n as usize - 1]
                .iter()
                .filter(|s| s.1 == kind)
                .count();
            json!({
                "id": c.id * 100 + n, "call_id": c.id, "assistant_id": 7, "webhook_url": BURKI_TARGET,
                "webhook_type": kind,
                "request_payload": {"event": kind, "call_sid": c.sid, "customer": c.customer},
                "response_status_code": code, "response_body": body, "response_time_ms": ms,
                "attempted_at": ts(start + Duration::seconds(after)), "success": ok,
                "error_message": error, "retry_count": retry,
                "webhook_metadata": {"attempt_source": if retry == 0 { "event" } else { "retry_worker" }},
            })
        })
        .collect()
}

/// Burki's 10 KB cut of a large body, as it stores it.
fn cut_body() -> String {
    let page = "<html><body><h1>500 Internal Server Error</h1><pre>Traceback (most recent call last): ...</pre>";
    let mut body = page.repeat(10_240 / page.len() + 1);
    body.truncate(10_240);
    body.push_str("... [TRUNCATED]");
    body
}

fn burki_find_logs(c: &BurkiCall, now: DateTime<Utc>) -> Vec<Value> {
    let end = c.duration_s as i64;
    let ok_body = "{\"ok\":true}";
    let started = (0, "call_started", Some(200), true, 120, ok_body);
    let detail = r#"{"detail":[{"loc":["body","call_id"],"msg":"value is not a valid integer","type":"type_error.integer"}]}"#;
    let cut = cut_body();
    let sends: &[BurkiSend] = match c.id {
        BURKI_WITH_SID => &[
            started,
            (20, "transcript", Some(200), true, 90, ok_body),
            (60, "tool_call", Some(201), true, 210, ok_body),
            (end, "call_ended", Some(204), false, 45, ""),
            (end + 10, "call_ended", Some(204), false, 41, ""),
        ],
        BURKI_FAILED => &[
            started,
            (end, "call_ended", None, false, 30_000, ""),
            (end + 40, "call_ended", None, false, 30_000, ""),
        ],
        BURKI_CUT_BODY => &[
            started,
            (30, "transcript", Some(422), false, 35, detail),
            (end, "call_ended", Some(500), false, 2_300, &cut),
        ],
        _ => &[started],
    };
    burki_logs_of(c, burki_find_start(c, now), sends)
}

/// The logs of a hand-made Burki call, oldest first (`None`: not one of them).
pub fn burki_logs(call_id: u64, now: DateTime<Utc>) -> Option<Vec<Value>> {
    BURKI_FIND
        .iter()
        .find(|c| c.id == call_id)
        .map(|c| burki_find_logs(c, now))
}

/// A generated call's record, derived from its webhook logs (SID, times, duration).
fn burki_generated_record(call_id: u64, now: DateTime<Utc>) -> Option<Value> {
    let logs = data::burki_logs(call_id, now)?;
    let first = logs.first()?;
    let sid = first["request_payload"]["call_sid"].clone();
    let started = first["attempted_at"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let duration = logs
        .iter()
        .find_map(|l| l["request_payload"]["duration"].as_u64())
        .unwrap_or(60);
    let ended = crate::datetime::parse_rfc3339(&started)
        .map(|t| ts(t + Duration::seconds(duration as i64)))
        .unwrap_or_default();
    let mut r = Rng::new(0xCA11 ^ call_id);
    let customer = format!("+1555{:07}", r.range(0, 10_000_000));
    let secs = duration as f64;
    Some(json!({
        "id": call_id, "call_sid": sid, "assistant_id": first["assistant_id"], "assistant_name": "Demo assistant",
        "flow_name": null, "to_phone_number": BURKI_AGENT_NUMBER, "customer_phone_number": customer,
        "status": "completed", "started_at": started, "ended_at": ended, "duration": duration,
        "call_meta": {"channel": "phone"}, "total_cost": (secs * 0.0005 * 10_000.0).round() / 10_000.0,
        "cost_currency": "USD",
    }))
}

/// The record `GET /api/v1/calls/{id}` answers for a demo call, or `None`.
pub fn burki_call(call_id: u64, now: DateTime<Utc>) -> Option<Value> {
    if let Some(c) = BURKI_FIND.iter().find(|c| c.id == call_id) {
        return Some(burki_find_record(c, now));
    }
    if call_id == data::HOSTILE_BURKI_CALL {
        let h = data::HOSTILE;
        return Some(json!({
            "id": call_id, "call_sid": h[0], "assistant_name": h[1], "flow_name": h[2],
            "to_phone_number": h[3], "customer_phone_number": h[0], "status": h[1],
            "started_at": ts(now - Duration::minutes(9)), "duration": 30,
            "call_meta": {"summary": h[2], "error": h[0]}, "recording_url": h[3], "cost_currency": h[1],
        }));
    }
    burki_generated_record(call_id, now)
}

/// Every demo Burki call, newest first.
pub fn burki_calls(now: DateTime<Utc>) -> Vec<Value> {
    let mut all: Vec<Value> = BURKI_FIND
        .iter()
        .map(|c| burki_find_record(c, now))
        .chain(
            (data::BURKI_FIRST_CALL..data::BURKI_FIRST_CALL + data::BURKI_CALLS)
                .filter_map(|c| burki_generated_record(c, now)),
        )
        .collect();
    all.sort_by(|a, b| b["started_at"].as_str().cmp(&a["started_at"].as_str()));
    all
}

// ---------- Talkover ----------

/// The logs of [`FIND_TALKOVER_WEBHOOK`], newest first: [`FIND_TALKOVER_CALL`]'s
/// deliveries among those of other calls.
pub fn talkover_logs(
    kind: &str,
    owner: &str,
    webhook: &str,
    now: DateTime<Utc>,
) -> Option<Vec<Value>> {
    if (kind, owner, webhook) != ("agents", FIND_TALKOVER_AGENT, FIND_TALKOVER_WEBHOOK) {
        return None;
    }
    let mut logs = Vec::new();
    let mut r = Rng::from_text(FIND_TALKOVER_WEBHOOK);
    let log = |id: String, call: &str, event: &str, attempt: u64, at: DateTime<Utc>| {
        json!({
            "id": id, "webhook_id": FIND_TALKOVER_WEBHOOK, "event": event, "attempt": attempt,
            "request_payload": {"call_id": call, "event": event, "agent_id": FIND_TALKOVER_AGENT, "duration": 143},
            "created_at": ts(at),
        })
    };
    // Other calls: delivered at the first attempt.
    for n in 0..6i64 {
        let call = r.uuid();
        let at = now - Duration::hours(2 + n * 7);
        let mut l = log(
            format!("log-calls-{n}"),
            &call,
            "event_phone_call_ended",
            1,
            at,
        );
        l["status"] = json!("success");
        l["http_status"] = json!(200);
        l["response_body"] = json!("{\"received\":true}");
        l["response_headers"] = json!({"content-type": "application/json"});
        l["duration_ms"] = json!(r.range(60, 400));
        l["delivered_at"] = json!(ts(at + Duration::seconds(1)));
        logs.push(l);
    }
    let t = now - Duration::hours(5);
    let mut started = log(
        "log-find-1".into(),
        FIND_TALKOVER_CALL,
        "event_phone_call_started",
        1,
        t,
    );
    started["status"] = json!("success");
    started["http_status"] = json!(200);
    started["response_body"] = json!("{\"received\":true}");
    started["duration_ms"] = json!(88);
    started["delivered_at"] = json!(ts(t + Duration::seconds(1)));
    logs.push(started);
    let t_end = t + Duration::seconds(143);
    let mut first = log(
        "log-find-2".into(),
        FIND_TALKOVER_CALL,
        "event_phone_call_ended",
        1,
        t_end,
    );
    first["status"] = json!("retrying");
    first["http_status"] = Value::Null;
    first["error"] = json!("timeout of 30000ms exceeded");
    first["duration_ms"] = json!(30_000);
    logs.push(first);
    let mut second = log(
        "log-find-3".into(),
        FIND_TALKOVER_CALL,
        "event_phone_call_ended",
        2,
        t_end + Duration::seconds(60),
    );
    second["status"] = json!("failed");
    second["http_status"] = json!(503);
    second["error"] = json!("Service Unavailable");
    second["duration_ms"] = json!(420);
    second["response_body"] = json!(
        r#"{"success":false,"error":{"code":"CRM_UNAVAILABLE","message":"CRM is down for maintenance","details":{}}}"#
    );
    second["response_headers"] = json!({"content-type": "application/json"});
    logs.push(second);
    logs.sort_by(|a, b| b["created_at"].as_str().cmp(&a["created_at"].as_str()));
    Some(logs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::recognise::{is_sid, is_uuid};
    use crate::demo::test_now as now;

    #[test]
    fn hand_made_ids_have_their_shapes() {
        for c in &BLAND_FIND {
            assert!(is_uuid(c.id), "{}", c.id);
            assert!(
                data::bland_call_index(c.id).is_none(),
                "no clash with a generated call"
            );
        }
        for c in &BURKI_FIND {
            assert!(is_sid(c.sid), "{}", c.sid);
            assert!(
                data::burki_logs(c.id, now()).is_none(),
                "no clash with a generated call"
            );
            assert!(super::super::injection(&c.id.to_string()).is_none());
        }
        assert!(is_uuid(FIND_TALKOVER_CALL));
        assert!(crate::calls::Phone::parse_e164(FIND_PHONE).is_some());
    }

    #[test]
    fn nothing_happens_in_the_future() {
        let mut times = Vec::new();
        let mut collect = |v: &Value| {
            fn walk(v: &Value, out: &mut Vec<DateTime<Utc>>) {
                match v {
                    Value::String(s) => {
                        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                            out.push(t.to_utc());
                        }
                    }
                    Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                    Value::Object(o) => o.values().for_each(|x| walk(x, out)),
                    _ => {}
                }
            }
            walk(v, &mut times);
        };
        bland_calls(now()).iter().for_each(&mut collect);
        burki_calls(now()).iter().for_each(&mut collect);
        for c in &BLAND_FIND {
            if let Some(p) = bland_postcall(c.id, now()) {
                collect(&p);
            }
        }
        for id in BURKI_FIND_CALLS {
            collect(&Value::Array(burki_logs(id, now()).unwrap()));
        }
        collect(&Value::Array(
            talkover_logs("agents", FIND_TALKOVER_AGENT, FIND_TALKOVER_WEBHOOK, now()).unwrap(),
        ));
        assert!(times.len() > 500);
        assert!(times.iter().all(|t| *t <= now()));
    }

    #[test]
    fn the_cut_body_is_burkis_10_kb_and_its_mark() {
        let b = cut_body();
        assert_eq!(b.len(), 10_240 + "... [TRUNCATED]".len());
        assert!(b.ends_with("... [TRUNCATED]"));
    }
}
