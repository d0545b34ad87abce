//! An in-process imitation of the three vendors' APIs.
//!
//! [`DemoApi::handle`] answers a request with the exact wire JSON the vendor documents.
//! The console's demo mode calls it instead of the network, and the API simulator
//! (`crates/sim`) serves it over HTTP, so both exercise the real decode and mapping code.
//!
//! IDs containing `err-<kind>` (or Burki call IDs `990401`, `990500`, …) provoke failures,
//! so every error path can be shown and tested: see [`Injection`]. The calls endpoints
//! (finding a call) answer from [`call_data`].

mod bland;
mod burki;
pub mod call_data;
pub mod data;
pub mod examples;
pub mod rng;
mod talkover;

use crate::domain::Vendor;
use crate::request::Method;
use chrono::{DateTime, Utc};
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};

/// A request as the demo API sees it.
#[derive(Clone, Debug, Default)]
pub struct DemoRequest {
    pub method: Option<Method>,
    /// The encoded path, e.g. `/v1/postcall/webhooks/abc`.
    pub path: String,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    /// The value of the `authorization` header, if any.
    pub authorization: Option<String>,
    pub body: Option<String>,
}

/// An answer, plus how the HTTP layer should deliver it.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub retry_after: Option<String>,
    pub body: String,
    /// Wait this long before answering (to provoke client timeouts).
    pub delay_ms: u64,
    /// The simulator leaves out CORS headers (the browser then refuses the answer).
    pub refuse_cors: bool,
}

impl DemoResponse {
    fn json(status: u16, v: Value) -> DemoResponse {
        DemoResponse {
            status,
            content_type: "application/json",
            retry_after: None,
            body: v.to_string(),
            delay_ms: 0,
            refuse_cors: false,
        }
    }
    fn text(status: u16, content_type: &'static str, body: &str) -> DemoResponse {
        DemoResponse {
            status,
            content_type,
            retry_after: None,
            body: body.to_string(),
            delay_ms: 0,
            refuse_cors: false,
        }
    }
}

/// Failures an ID can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Injection {
    Status(u16),
    Html,
    Truncated,
    Empty,
    Slow,
    NoCors,
    BadShape,
    /// 200 with the vendor's own error envelope (Bland `errors`, Talkover `success: false`).
    VendorError,
}

/// The failure an ID asks for: `err-401`, `err-403`, `err-404`, `err-422`, `err-429`,
/// `err-500`, `err-html`, `err-truncated`, `err-empty`, `err-slow`, `err-nocors`,
/// `err-shape`, `err-vendor` anywhere in the ID; for Burki's integer IDs `990` + the code (`990401`, …)
/// or `990001` html, `990002` truncated, `990003` empty, `990004` slow, `990005` nocors.
pub fn injection(id: &str) -> Option<Injection> {
    let lower = id.to_ascii_lowercase();
    let named = [
        ("err-html", Injection::Html),
        ("err-truncated", Injection::Truncated),
        ("err-empty", Injection::Empty),
        ("err-slow", Injection::Slow),
        ("err-nocors", Injection::NoCors),
        ("err-shape", Injection::BadShape),
        ("err-vendor", Injection::VendorError),
    ];
    if let Some((_, inj)) = named.iter().find(|(n, _)| lower.contains(n)) {
        return Some(*inj);
    }
    if let Some(pos) = lower.find("err-") {
        let code: String = lower
            .get(pos.saturating_add(4)..)
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(c) = code.parse::<u16>() {
            if (400..=599).contains(&c) {
                return Some(Injection::Status(c));
            }
        }
    }
    if let Some(rest) = lower.strip_prefix("990") {
        if rest.len() == 3 {
            return match rest.parse::<u16>().ok()? {
                1 => Some(Injection::Html),
                2 => Some(Injection::Truncated),
                3 => Some(Injection::Empty),
                4 => Some(Injection::Slow),
                5 => Some(Injection::NoCors),
                6 => Some(Injection::BadShape),
                c @ 400..=599 => Some(Injection::Status(c)),
                _ => None,
            };
        }
    }
    None
}

/// What the demo and simulated vendors remember between requests, so a webhook created
/// or resent shows up in later lookups and Bland's refusal of already-sent calls holds.
/// In memory only: one per simulator process, one per page in demo mode.
#[derive(Clone, Debug, Default)]
pub struct DemoStore {
    /// Bland call ID → attempts added by create/resend (`metadata` entries), oldest first.
    pub bland_sent: std::collections::HashMap<String, Vec<Value>>,
    /// Bland call ID → the URL a post-call webhook was created for here.
    pub bland_created: std::collections::HashMap<String, (String, String)>,
    /// Talkover webhook (`kind/owner/webhook`) → logs added by retries, oldest first.
    pub talkover_added: std::collections::HashMap<String, Vec<Value>>,
    /// Bulk create/resend requests answered so far.
    pub bulk_requests: u64,
    /// Demo mode only: of the bulk requests for several calls, the 2nd of every 7 is
    /// rate-limited (Retry-After 2) and the 4th fails with 503, so the whole retry flow can
    /// be seen without a vendor, even in a short run.
    pub transient_faults: bool,
}

/// IDs containing this fail in a bulk answer, one by one (Bland names them in `errors`).
pub const FAILING_CALL_MARK: &str = "fail-";

/// The demo/simulated API. `expected_key: None` accepts any (or no) key.
pub struct DemoApi {
    pub now: DateTime<Utc>,
    pub expected_key: Option<String>,
}

fn vendor_error(vendor: Vendor, status: u16, code: &str, message: &str) -> DemoResponse {
    let body = match vendor {
        Vendor::Bland => json!({"data": null, "errors": [{"error": code, "message": message}]}),
        Vendor::Burki => json!({"detail": message}),
        Vendor::Talkover => json!({"success": false, "message": message, "code": code}),
    };
    DemoResponse::json(status, body)
}

fn injected(vendor: Vendor, inj: Injection, ok_body: impl FnOnce() -> String) -> DemoResponse {
    match inj {
        Injection::Status(401) => vendor_error(vendor, 401, "UNAUTHORIZED", "Invalid API key"),
        Injection::Status(403) => vendor_error(vendor, 403, "FORBIDDEN", "This feature requires an Enterprise plan"),
        Injection::Status(404) => vendor_error(vendor, 404, "NOT_FOUND", "Resource not found"),
        Injection::Status(422) => match vendor {
            Vendor::Burki => DemoResponse::json(422, json!({"detail": [{"loc": ["path", "call_id"], "msg": "value is not a valid integer", "type": "type_error.integer"}]})),
            _ => vendor_error(vendor, 422, "invalid_parameter", "Invalid parameter: id"),
        },
        Injection::Status(429) => {
            // Longer than the console waits out by itself, so the error is shown at once;
            // transient 429s (waited out, then resumed) come from the simulator's faults.
            let mut r = vendor_error(vendor, 429, "RATE_LIMITED", "Too many requests");
            r.retry_after = Some("600".into());
            r
        }
        Injection::Status(c) => vendor_error(vendor, c, "INTERNAL_SERVER_ERROR", "Something went wrong on our side"),
        Injection::Html => DemoResponse::text(
            502,
            "text/html",
            "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        ),
        Injection::Truncated => {
            let full = ok_body();
            let cut = full.len().saturating_mul(2) / 3;
            let cut = (0..=cut).rev().find(|i| full.is_char_boundary(*i)).unwrap_or(0);
            DemoResponse::text(200, "application/json", &full[..cut])
        }
        Injection::Empty => DemoResponse::text(200, "application/json", ""),
        Injection::Slow => {
            let mut r = DemoResponse::json(200, json!({}));
            r.body = ok_body();
            r.delay_ms = 120_000;
            r
        }
        Injection::NoCors => {
            let mut r = DemoResponse::text(200, "application/json", &ok_body());
            r.refuse_cors = true;
            r
        }
        Injection::BadShape => DemoResponse::json(200, json!({"data": "unexpected", "success": "maybe", "items": 3})),
        Injection::VendorError => {
            let mut r = vendor_error(vendor, 200, "INTERNAL_SERVER_ERROR", "The webhook log could not be loaded");
            if vendor == Vendor::Burki {
                // Burki has no envelope: its 200 is always the bare array.
                r.body = "[]".into();
            }
            r
        }
    }
}

fn segments(path: &str) -> Vec<String> {
    path.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect()
}

fn vendor_of(segs: &[String]) -> Option<Vendor> {
    match segs.first().map(String::as_str) {
        Some("v1") => Some(Vendor::Bland),
        Some("api") => match segs.get(2).map(String::as_str) {
            Some("calls") => Some(Vendor::Burki),
            Some("agents") | Some("campaigns") => Some(Vendor::Talkover),
            _ => None,
        },
        _ => None,
    }
}

impl DemoApi {
    pub fn new(now: DateTime<Utc>) -> DemoApi {
        DemoApi {
            now,
            expected_key: None,
        }
    }

    fn authorised(&self, vendor: Vendor, header: Option<&str>) -> bool {
        let Some(key) = &self.expected_key else {
            return true;
        };
        let Some(h) = header.map(str::trim) else {
            return false;
        };
        match vendor {
            Vendor::Bland => h == key || h == format!("Bearer {key}"),
            _ => h == format!("Bearer {key}"),
        }
    }

    /// Answers `req` with no memory of earlier requests.
    pub fn handle(&self, req: &DemoRequest) -> DemoResponse {
        self.handle_with(req, &mut DemoStore::default())
    }

    /// Answers `req`, remembering what it creates in `store`.
    pub fn handle_with(&self, req: &DemoRequest, store: &mut DemoStore) -> DemoResponse {
        let segs = segments(&req.path);
        let s: Vec<&str> = segs.iter().map(String::as_str).collect();
        let Some(vendor) = vendor_of(&segs) else {
            return DemoResponse::json(
                404,
                json!({"message": "No such endpoint", "path": req.path}),
            );
        };
        if !self.authorised(vendor, req.authorization.as_deref()) {
            return vendor_error(vendor, 401, "UNAUTHORIZED", "Invalid or missing API key");
        }
        let method = req.method.unwrap_or(Method::Get);
        match (vendor, method, s.as_slice()) {
            (
                Vendor::Bland,
                Method::Post,
                ["v1", "postcall", "webhooks", op @ ("create" | "resend")],
            ) => self.bland_bulk(op, req.body.as_deref(), store),
            (Vendor::Bland, Method::Get, ["v1", "postcall", "webhooks", id]) => {
                self.bland_postcall(id, store)
            }
            (Vendor::Bland, Method::Get, ["v1", "sms", "conversations", id, "webhook"]) => {
                self.bland_sms(id)
            }
            (Vendor::Bland, Method::Get, ["v1", "calls"]) => self.bland_calls(req),
            (Vendor::Bland, Method::Get, ["v1", "calls", id]) => self.bland_call(id),
            (Vendor::Burki, Method::Get, ["api", "v1", "calls", id, "webhook-logs"]) => {
                self.burki(id, req)
            }
            (Vendor::Burki, Method::Get, ["api", "v1", "calls"]) => self.burki_calls(req),
            (Vendor::Burki, Method::Get, ["api", "v1", "calls", "sid", sid]) => {
                self.burki_call_by_sid(sid)
            }
            (Vendor::Burki, Method::Get, ["api", "v1", "calls", id]) => self.burki_call(id),
            (Vendor::Talkover, Method::Get, ["api", "v1", kind, owner, "webhooks", wh, "logs"]) => {
                self.talkover_logs(kind, owner, wh, req, store)
            }
            (
                Vendor::Talkover,
                Method::Post,
                ["api", "v1", kind, owner, "webhooks", wh, "logs", log, "retry"],
            ) => self.talkover_retry(kind, owner, wh, log, store),
            _ => vendor_error(vendor, 404, "NOT_FOUND", "No such endpoint"),
        }
    }
}

/// The fixed "now" the core's tests read the demo at.
#[cfg(test)]
pub(crate) fn test_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-01T12:00:00Z")
        .unwrap()
        .to_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::pid;
    use crate::response::RawResponse;
    use crate::vendors::{bland, burki, talkover};

    fn api() -> DemoApi {
        DemoApi::new(test_now())
    }

    /// Page `page` (of 100 logs) of the demo support agent's Talkover webhook `webhook`.
    fn support_agent_logs(webhook: &str, page: u32) -> crate::ApiRequest {
        talkover::logs(
            talkover::Owner::Agent,
            &pid("agt_demo_support"),
            &pid(webhook),
            page,
            100,
        )
    }

    fn get(path_and_query: &str) -> DemoRequest {
        let (path, q) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let query = q
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (
                    k.to_string(),
                    percent_decode_str(v).decode_utf8_lossy().into_owned(),
                )
            })
            .collect();
        DemoRequest {
            method: Some(Method::Get),
            path: path.into(),
            query,
            authorization: None,
            body: None,
        }
    }

    fn raw_of(a: &DemoApi, req: &crate::ApiRequest) -> RawResponse {
        let r = a.handle(&get(&req.path_and_query()));
        RawResponse {
            status: r.status,
            content_type: Some(r.content_type.into()),
            retry_after: r.retry_after,
            body: r.body,
            sign_in_asked: false,
        }
    }

    /// A delivery lookup as the console runs it (Talkover paged, then matched to the call).
    fn load(
        a: &DemoApi,
        lookup: &crate::lookup::Lookup,
        call_id: Option<&str>,
    ) -> Vec<crate::Delivery> {
        use crate::lookup::Lookup;
        let mut out = Vec::new();
        if let Lookup::Talkover {
            owner,
            owner_id,
            webhook_id,
        } = lookup
        {
            let mut logs = Vec::new();
            for page in 1..=50 {
                let req = talkover::logs(*owner, owner_id, webhook_id, page, 100);
                let r = raw_of(a, &req);
                let p = talkover::decode_page(&req, r.status, &r.body).unwrap();
                logs.extend(p.logs);
                if p.current_page >= p.last_page {
                    break;
                }
            }
            let ds = talkover::to_deliveries(&logs);
            return match call_id {
                Some(c) => talkover::deliveries_for_call(ds, c),
                None => ds,
            };
        }
        for (asked, req) in lookup.requests() {
            let r = raw_of(a, &req);
            if r.status == 404 {
                continue;
            }
            match lookup {
                Lookup::BlandCalls(_) => out
                    .push(bland::decode_postcall(&req, asked.as_ref(), r.status, &r.body).unwrap()),
                Lookup::BlandSms(_) => {
                    out.extend(bland::decode_sms(&req, asked.as_ref(), r.status, &r.body).unwrap())
                }
                _ => out.extend(burki::decode_logs(&req, r.status, &r.body).unwrap()),
            }
        }
        out
    }

    /// Finds what `text` holds the way the console does: recognise, plan with the demo's
    /// reach, read every calls page, then each call's deliveries.
    fn find(a: &DemoApi, text: &str) -> (Vec<crate::Call>, Vec<crate::Delivery>, usize) {
        use crate::calls::{self, CallLookup};
        let reach = examples::find_reach();
        let r = calls::recognise(text);
        let (mut found, mut deliveries, mut not_found) = (Vec::new(), Vec::new(), 0usize);
        for p in calls::plan(&r.entries, &reach) {
            for l in &p.lookups {
                match l {
                    CallLookup::Calls(q) => {
                        let mut next = Some(q.clone());
                        while let Some(q) = next.take() {
                            let page = q.read(&raw_of(a, &q.request()), a.now).unwrap();
                            not_found = not_found.saturating_add(usize::from(page.not_found));
                            found.extend(page.calls);
                            next = page.next;
                        }
                    }
                    CallLookup::Deliveries { lookup, call_id } => {
                        deliveries.extend(load(a, lookup, call_id.as_deref()));
                    }
                }
            }
        }
        // Bland's list gives summaries: the console reads each Bland call's full record.
        let found: Vec<crate::Call> = calls::merge_calls(found)
            .into_iter()
            .map(|c| match calls::detail_query(&c) {
                Some(q) if c.vendor == Vendor::Bland => q
                    .read(&raw_of(a, &q.request()), a.now)
                    .unwrap()
                    .calls
                    .pop()
                    .unwrap_or(c),
                _ => c,
            })
            .collect();
        for c in &found {
            if let Some(l) = calls::deliveries_of(c) {
                deliveries.extend(load(a, &l, None));
            }
        }
        (found, deliveries, not_found)
    }

    fn causes(ds: &[crate::Delivery]) -> Vec<(String, crate::diagnosis::Diagnosis)> {
        ds.iter()
            .filter_map(|d| crate::diagnosis::diagnose(d).map(|x| (d.subject.to_string(), x)))
            .collect()
    }

    /// The whole find-a-call flow works with no keys: a phone number finds calls of every
    /// outcome on two vendors, with their deliveries and why those failed.
    #[test]
    fn finding_calls_by_phone_number() {
        use crate::diagnosis::Cause;
        use crate::CallStatus;
        let a = api();
        let (found, deliveries, _) = find(&a, examples::FIND_PHONE);
        let by = |v: Vendor| found.iter().filter(|c| c.vendor == v).count();
        assert_eq!((by(Vendor::Bland), by(Vendor::Burki)), (8, 3));
        for s in [
            CallStatus::Completed,
            CallStatus::Failed,
            CallStatus::Ongoing,
            CallStatus::Queued,
        ] {
            assert!(found.iter().any(|c| c.status == s), "{s:?}");
        }
        for answered in ["human", "voicemail", "no-answer"] {
            assert!(
                found
                    .iter()
                    .any(|c| c.answered_by.as_deref() == Some(answered)),
                "{answered}"
            );
        }
        let failed_call = found
            .iter()
            .find(|c| c.id == call_data::BLAND_FAILED_CALL)
            .unwrap();
        assert!(failed_call
            .error
            .as_deref()
            .unwrap()
            .contains("carrier rejected"));
        let inbound = found
            .iter()
            .find(|c| c.id == call_data::BLAND_INBOUND)
            .unwrap();
        assert_eq!(
            inbound.customer_number.as_deref(),
            Some(examples::FIND_PHONE)
        );
        let http = found
            .iter()
            .find(|c| c.id == call_data::BLAND_DELIVERED)
            .unwrap();
        assert_eq!(http.recording_url, None);
        assert_eq!(
            http.notes.len(),
            1,
            "the http recording link is dropped with a note"
        );
        let times: Vec<_> = found.iter().map(|c| c.when().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
        let why = causes(&deliveries);
        let has = |subject: &str, cause: Cause, words: &str| {
            why.iter()
                .any(|(s, d)| s == subject && d.cause == cause && d.sentence.contains(words))
        };
        assert!(has(
            call_data::BLAND_FAILED_DELIVERY,
            Cause::Auth,
            "X-Webhook-Signature"
        ));
        assert!(has(
            "2001",
            Cause::SuccessCode,
            "Burki counts only 200, 201 and 202"
        ));
        assert!(has(
            "2002",
            Cause::Timeout,
            "took 30.0 s; Burki gives up at 30 s"
        ));
        let burki_2001 = deliveries.iter().filter(|d| &*d.subject == "2001").count();
        assert!(burki_2001 >= 3, "a call with several deliveries");
        let voicemail = deliveries
            .iter()
            .find(|d| &*d.subject == call_data::BLAND_VOICEMAIL)
            .unwrap();
        assert_eq!(
            voicemail.status,
            crate::DeliveryStatus::Success,
            "resent after a timeout"
        );
        assert_eq!(voicemail.attempts.len(), 2);
    }

    #[test]
    fn finding_a_call_by_sid_id_and_talkover_call() {
        use crate::diagnosis::Cause;
        let a = api();
        let (found, deliveries, _) = find(&a, examples::FIND_SID);
        assert_eq!(found.len(), 1, "by SID and the SID filter: one call");
        assert_eq!(
            (found[0].vendor, found[0].id.as_str()),
            (Vendor::Burki, "2001")
        );
        assert_eq!(found[0].call_sid.as_deref(), Some(examples::FIND_SID));
        assert!(causes(&deliveries)
            .iter()
            .any(|(_, d)| d.cause == Cause::SuccessCode));

        let (found, deliveries, _) = find(&a, examples::BLAND_FAILED_DELIVERY);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].status, crate::CallStatus::Completed);
        assert!(found[0]
            .recording_url
            .as_deref()
            .unwrap()
            .starts_with("https://"));
        assert_eq!(deliveries.len(), 1);
        assert_eq!(deliveries[0].status, crate::DeliveryStatus::Failed);

        let (found, deliveries, not_found) = find(&a, examples::FIND_TALKOVER_CALL);
        assert!(found.is_empty());
        assert_eq!(
            not_found, 1,
            "the UUID is no Bland call: said, not an error"
        );
        assert_eq!(deliveries.len(), 2);
        assert!(deliveries.iter().all(|d| d.vendor == Vendor::Talkover));
        let why = causes(&deliveries);
        assert_eq!(why.len(), 1);
        assert!(
            why[0]
                .1
                .sentence
                .contains("the endpoint said “CRM is down for maintenance (CRM_UNAVAILABLE)”"),
            "{}",
            why[0].1.sentence
        );

        let (found, deliveries, _) = find(&a, &examples::BURKI_CUT_BODY.to_string());
        assert_eq!(found.len(), 1);
        let why = causes(&deliveries);
        assert!(why.iter().any(|(_, d)| d
            .sentence
            .contains("body.call_id: value is not a valid integer")));
        assert!(why.iter().any(|(_, d)| d.cause == Cause::ServerError
            && d.sentence.contains("Burki stores only its first 10 KB")));
    }

    #[test]
    fn a_number_with_many_calls_pages() {
        use crate::calls::CallQuery;
        let a = api();
        let phone = crate::calls::Phone::parse_e164(call_data::BLAND_AGENT_NUMBER).unwrap();
        let q = CallQuery::BlandCalls(bland::CallsQuery::calls_from(&phone, 50));
        let first = q.read(&raw_of(&a, &q.request()), a.now).unwrap();
        assert_eq!(first.calls.len(), 50);
        let total = first.total.unwrap();
        assert!(total > 100, "{total}");
        assert!(first
            .more_words()
            .unwrap()
            .contains(&format!("{total} in all")));
        let mut seen = first.calls.len();
        let mut next = first.next;
        while let Some(q) = next.take() {
            let p = q.read(&raw_of(&a, &q.request()), a.now).unwrap();
            seen = seen.saturating_add(p.calls.len());
            next = p.next;
        }
        assert_eq!(seen as u64, total);
        let burki = CallQuery::BurkiCalls(burki::CallsQuery::customer(
            &crate::calls::Phone::parse_e164("+1555").unwrap_or(phone.clone()),
            10,
        ));
        let p = burki.read(&raw_of(&a, &burki.request()), a.now).unwrap();
        assert!(p.calls.is_empty() && p.next.is_none());
        let all = get("/api/v1/calls?skip=0&limit=10");
        let r = a.handle(&all);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["items"].as_array().unwrap().len(), 10);
        assert_eq!(v["total"], 44);
        assert_eq!(a.handle(&get("/api/v1/calls?limit=0")).status, 422);
        assert_eq!(a.handle(&get("/v1/calls?limit=x")).status, 400);
    }

    #[test]
    fn every_demo_call_decodes_and_errors_are_injected() {
        use crate::calls::CallQuery;
        let a = api();
        for i in 0..data::BLAND_CALLS {
            let q = CallQuery::BlandCall(pid(&data::bland_call_id(i)));
            let p = q.read(&raw_of(&a, &q.request()), a.now).unwrap();
            assert_eq!(p.calls.len(), 1);
            let c = &p.calls[0];
            assert_eq!(c.id, data::bland_call_id(i));
            let with_webhook = data::bland_call_has_webhook(i);
            assert_eq!(
                c.status == crate::CallStatus::Completed,
                with_webhook,
                "{i}"
            );
        }
        for id in data::BURKI_FIRST_CALL..data::BURKI_FIRST_CALL + data::BURKI_CALLS {
            let q = CallQuery::BurkiCall(id);
            let p = q.read(&raw_of(&a, &q.request()), a.now).unwrap();
            let c = &p.calls[0];
            assert!(c.call_sid.as_deref().unwrap().starts_with("CA"));
            let by_sid = CallQuery::BurkiCallBySid(pid(c.call_sid.as_deref().unwrap()));
            let again = by_sid.read(&raw_of(&a, &by_sid.request()), a.now).unwrap();
            assert_eq!(again.calls[0].id, id.to_string());
        }
        for (q, kind) in [
            (CallQuery::BlandCall(pid("err-401")), "unauthorized"),
            (CallQuery::BlandCall(pid("err-429")), "rate-limited"),
            (CallQuery::BurkiCall(990_500), "server"),
            (CallQuery::BurkiCallBySid(pid("err-html")), "server"),
        ] {
            let e = q.read(&raw_of(&a, &q.request()), a.now).unwrap_err();
            assert_eq!(e.kind.id(), kind, "{q:?}");
        }
        let q = CallQuery::BlandCall(pid("err-truncated"));
        assert_eq!(
            q.read(&raw_of(&a, &q.request()), a.now)
                .unwrap_err()
                .kind
                .id(),
            "bad-response"
        );
        let q = CallQuery::BlandCall(pid("no-such-call"));
        assert!(q.read(&raw_of(&a, &q.request()), a.now).unwrap().not_found);
        // The hostile call's fields arrive as text; its javascript: recording link is dropped.
        let q = CallQuery::BlandCall(pid(data::HOSTILE_BLAND_CALL));
        let c = &q.read(&raw_of(&a, &q.request()), a.now).unwrap().calls[0];
        assert_eq!(c.recording_url, None);
        assert_eq!(c.summary.as_deref(), Some(data::HOSTILE[2]));
        let q = CallQuery::BurkiCall(data::HOSTILE_BURKI_CALL);
        assert_eq!(
            q.read(&raw_of(&a, &q.request()), a.now).unwrap().calls[0].recording_url,
            None
        );
    }

    #[test]
    fn injections() {
        assert_eq!(injection("err-401"), Some(Injection::Status(401)));
        assert_eq!(injection("abc-ERR-429-x"), Some(Injection::Status(429)));
        assert_eq!(injection("990500"), Some(Injection::Status(500)));
        assert_eq!(injection("990002"), Some(Injection::Truncated));
        assert_eq!(injection("err-html"), Some(Injection::Html));
        assert_eq!(injection("err-200"), None);
        assert_eq!(injection("1001"), None);
    }

    #[test]
    fn every_demo_answer_decodes_with_the_adapters() {
        let a = api();
        for i in 0..data::BLAND_CALLS {
            let req = bland::postcall_webhook(&pid(&data::bland_call_id(i)));
            let r = a.handle(&get(&req.path_and_query()));
            if data::bland_call_has_webhook(i) {
                let d = bland::decode_postcall(
                    &req,
                    Some(&pid(&data::bland_call_id(i))),
                    r.status,
                    &r.body,
                )
                .unwrap();
                assert!(!d.attempts.is_empty());
            } else {
                assert_eq!(r.status, 404);
            }
        }
        for i in 0..data::BLAND_CONVERSATIONS {
            let req = bland::sms_webhook(&pid(&data::bland_conversation_id(i)));
            let r = a.handle(&get(&req.path_and_query()));
            assert_eq!(
                bland::decode_sms(
                    &req,
                    Some(&pid(&data::bland_conversation_id(i))),
                    r.status,
                    &r.body
                )
                .unwrap()
                .is_some(),
                i % 8 != 7
            );
        }
        for c in data::BURKI_FIRST_CALL..data::BURKI_FIRST_CALL + data::BURKI_CALLS {
            let req = burki::webhook_logs(c, None);
            let r = a.handle(&get(&req.path_and_query()));
            assert!(!burki::decode_logs(&req, r.status, &r.body)
                .unwrap()
                .is_empty());
        }
        let mut total = 0;
        let mut page = 1;
        loop {
            let req = support_agent_logs("wh_demo_primary", page);
            let r = a.handle(&get(&req.path_and_query()));
            let p = talkover::decode_page(&req, r.status, &r.body).unwrap();
            total += p.logs.len();
            if p.current_page >= p.last_page {
                break;
            }
            page += 1;
        }
        assert_eq!(page, 3);
        assert!(total > 200);
    }

    #[test]
    fn documented_example_served_verbatim() {
        let r = api().handle(&get("/v1/sms/conversations/convo_abc123/webhook"));
        assert_eq!(r.body, data::BLAND_DOC_SMS_EXAMPLE);
    }

    #[test]
    fn auth_is_checked_when_a_key_is_set() {
        let mut a = api();
        a.expected_key = Some("k".into());
        let mut req = get("/api/v1/calls/1001/webhook-logs");
        assert_eq!(a.handle(&req).status, 401);
        req.authorization = Some("Bearer k".into());
        assert_eq!(a.handle(&req).status, 200);
        let mut b = get(&format!("/v1/postcall/webhooks/{}", data::bland_call_id(0)));
        b.authorization = Some("k".into());
        assert_eq!(a.handle(&b).status, 200);
    }

    #[test]
    fn failures_classify_as_promised() {
        let a = api();
        let now = a.now;
        for (id, kind) in [
            ("err-401", "unauthorized"),
            ("err-403", "forbidden"),
            ("err-404", "not-found"),
            ("err-422", "unprocessable"),
            ("err-429", "rate-limited"),
            ("err-500", "server"),
            ("err-html", "server"),
        ] {
            let req = bland::postcall_webhook(&pid(id));
            let r = a.handle(&get(&req.path_and_query()));
            let raw = RawResponse {
                status: r.status,
                content_type: None,
                retry_after: r.retry_after.clone(),
                body: r.body.clone(),
                sign_in_asked: false,
            };
            let e = crate::response::classify(Vendor::Bland, &req.label(), &raw, now).unwrap_err();
            assert_eq!(e.kind.id(), kind, "{id}");
        }
        let req = bland::postcall_webhook(&pid("err-vendor"));
        let r = a.handle(&get(&req.path_and_query()));
        assert_eq!(r.status, 200);
        assert_eq!(
            bland::decode_postcall(&req, Some(&pid("err-vendor")), r.status, &r.body)
                .unwrap_err()
                .kind
                .id(),
            "vendor"
        );
        for id in ["err-truncated", "err-empty", "err-shape"] {
            let req = bland::postcall_webhook(&pid(id));
            let r = a.handle(&get(&req.path_and_query()));
            let e = bland::decode_postcall(&req, Some(&pid(id)), r.status, &r.body).unwrap_err();
            assert_eq!(e.kind.id(), "bad-response", "{id}");
        }
    }

    #[test]
    fn bulk_create_partial() {
        let a = api();
        let ids = vec![
            data::bland_call_id(9),
            data::bland_call_id(0),
            "nope".to_string(),
        ];
        let req = bland::create_webhooks(&ids, "https://x.example/h");
        let r = a.handle(&DemoRequest {
            method: Some(Method::Post),
            path: req.path.clone(),
            body: req.body.as_ref().map(|b| b.to_string()),
            ..Default::default()
        });
        let out = bland::decode_bulk(&req, r.status, &r.body, &ids).unwrap();
        let o: Vec<&str> = out.iter().map(|(_, o)| o.outcome_id()).collect();
        assert_eq!(o, vec!["created", "already-sent", "invalid"]);
    }

    /// The defect class: numbers from a request never overflow the pager.
    #[test]
    fn huge_page_numbers_are_answered_not_panicked() {
        let a = api();
        for q in [
            "page=18446744073709551615",
            "page=18446744073709551615&per_page=100",
            "page=9223372036854775808",
        ] {
            let r = a.handle(&get(&format!(
                "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?{q}"
            )));
            assert_eq!(r.status, 200, "{q}");
            let v: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(v["data"], json!([]), "{q}");
        }
        let r = a.handle(&get(
            "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?page=0",
        ));
        assert_eq!(r.status, 422);
        let r = a.handle(&get("/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?page=99999999999999999999999"));
        assert_eq!(r.status, 422);
    }

    /// The simulator keeps state: a created webhook shows in later lookups with its
    /// `create` attempt, a second create is refused as already sent, a resend adds an
    /// attempt, and marked calls fail one by one.
    #[test]
    fn created_and_resent_webhooks_are_remembered() {
        let a = api();
        let mut store = DemoStore::default();
        let fresh = data::bland_call_id(9); // never sent its webhook
        let old = data::bland_call_id(0);
        let post = |req: &crate::ApiRequest, store: &mut DemoStore| {
            a.handle_with(
                &DemoRequest {
                    method: Some(Method::Post),
                    path: req.path.clone(),
                    body: req.body.as_ref().map(|b| b.to_string()),
                    ..Default::default()
                },
                store,
            )
        };
        let ids = vec![fresh.clone(), old.clone(), "fail-x".to_string()];
        let req = bland::create_webhooks(&ids, "https://new.example/hook");
        let r = post(&req, &mut store);
        let out = bland::decode_bulk(&req, r.status, &r.body, &ids).unwrap();
        let o: Vec<&str> = out.iter().map(|(_, o)| o.outcome_id()).collect();
        assert_eq!(o, ["created", "already-sent", "failed"]);
        let look = |id: &str, store: &mut DemoStore| {
            let req = bland::postcall_webhook(&pid(id));
            let r = a.handle_with(&get(&req.path_and_query()), store);
            bland::decode_postcall(&req, Some(&pid(id)), r.status, &r.body).unwrap()
        };
        let d = look(&fresh, &mut store);
        assert_eq!(d.target_url.as_deref(), Some("https://new.example/hook"));
        assert_eq!(d.attempts.last().unwrap().trigger, "create");
        let r = post(&req, &mut store);
        let out = bland::decode_bulk(&req, r.status, &r.body, &ids).unwrap();
        assert_eq!(
            out[0].1.outcome_id(),
            "already-sent",
            "a second create is refused"
        );
        let before = look(&old, &mut store).attempts.len();
        let rs = bland::resend_webhooks(std::slice::from_ref(&old));
        post(&rs, &mut store);
        let after = look(&old, &mut store);
        assert_eq!(after.attempts.len(), before + 1);
        assert_eq!(after.attempts.last().unwrap().trigger, "resend");
    }

    /// The simulator holds a retried delivery's new attempt: a later lookup shows it as
    /// the next attempt of the same delivery.
    #[test]
    fn a_talkover_retry_appears_in_later_lookups() {
        let a = api();
        let mut store = DemoStore::default();
        let look = |store: &mut DemoStore| {
            let mut logs = Vec::new();
            for page in 1..=3 {
                let req = support_agent_logs("wh_demo_crm", page);
                let r = a.handle_with(&get(&req.path_and_query()), store);
                logs.extend(talkover::decode_page(&req, r.status, &r.body).unwrap().logs);
            }
            talkover::to_deliveries(&logs)
        };
        let before = look(&mut store);
        let failed = before
            .iter()
            .find(|d| d.status == crate::DeliveryStatus::Failed)
            .unwrap();
        let log = failed.attempts.last().unwrap().log_id.clone().unwrap();
        let req = talkover::retry(
            talkover::Owner::Agent,
            &pid("agt_demo_support"),
            &pid("wh_demo_crm"),
            &pid(&log),
        );
        let r = a.handle_with(
            &DemoRequest {
                method: Some(Method::Post),
                path: req.path.clone(),
                ..Default::default()
            },
            &mut store,
        );
        let (ack, _) = talkover::decode_retry(&req, r.status, &r.body).unwrap();
        let after = look(&mut store);
        assert_eq!(after.len(), before.len(), "the retry joins its delivery");
        let d = after.iter().find(|d| d.id == failed.id).unwrap();
        assert_eq!(d.attempts.len(), failed.attempts.len() + 1);
        let last = d.attempts.last().unwrap();
        assert_eq!(last.log_id.as_deref(), ack.log_id.as_deref());
        assert_eq!(
            (last.trigger.as_str(), last.http_code),
            ("retry", Some(200))
        );
        assert_eq!(d.status, crate::DeliveryStatus::Success);
    }

    #[test]
    fn talkover_retry_rules() {
        let a = api();
        let logs = data::talkover_logs("agents", "agt_demo_support", "wh_demo_crm", a.now).unwrap();
        let failed = logs
            .iter()
            .find(|l| l["status"] == "failed" || l["status"] == "retrying")
            .unwrap()["id"]
            .as_str()
            .unwrap();
        let ok = logs.iter().find(|l| l["status"] == "success").unwrap()["id"]
            .as_str()
            .unwrap();
        let post = |log: &str| {
            let req = talkover::retry(
                talkover::Owner::Agent,
                &pid("agt_demo_support"),
                &pid("wh_demo_crm"),
                &pid(log),
            );
            (
                req.clone(),
                a.handle(&DemoRequest {
                    method: Some(Method::Post),
                    path: req.path,
                    ..Default::default()
                }),
            )
        };
        let (req, r) = post(failed);
        let (ack, _) = talkover::decode_retry(&req, r.status, &r.body).unwrap();
        assert_eq!(ack.original_log_id.as_deref(), Some(failed));
        let (_, r) = post(ok);
        assert_eq!(r.status, 422);
        assert!(r.body.contains("LOG_NOT_RETRIABLE"));
    }
}
