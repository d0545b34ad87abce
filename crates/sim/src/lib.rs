//! Serves [`hookscope_core::demo::DemoApi`] over real HTTP on loopback, with CORS, an
//! auth check, and the failure injections (slow answers, missing CORS headers) that only a
//! real server can produce. Used by the browser tests and for offline development.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method as HttpMethod, StatusCode};
use axum::response::Response;
use axum::Router;
use hookscope_core::demo::{DemoApi, DemoRequest};
use hookscope_core::request::Method;
use percent_encoding::percent_decode_str;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The key the simulator accepts unless told otherwise.
pub const DEFAULT_KEY: &str = "sim-key";

#[derive(Default)]
struct AppState {
    key: Option<String>,
    /// The budget set at startup (`--budget`), back after each reset.
    budget: Option<Budget>,
    /// The simulated "now": fixed per process, so the same request always gets the same
    /// record, as from a real vendor (demo times are placed relative to it).
    now: chrono::DateTime<chrono::Utc>,
    control: std::sync::Mutex<Control>,
    /// What the simulated vendors remember (created and resent webhooks).
    store: std::sync::Mutex<hookscope_core::demo::DemoStore>,
}

/// What tests can set and read over `/__sim/…` (in memory, reset per process or by
/// `POST /__sim/reset`).
#[derive(Default)]
struct Control {
    /// Answer every Nth vendor request (counted from the last reset) with 429.
    rate_limit_every: Option<u64>,
    /// Answer these vendor requests (1-based, counted from the last reset) with 429.
    rate_limit_at: Vec<u64>,
    /// Answer these vendor requests (1-based) with `fail_status` (default 503).
    fail_at: Vec<u64>,
    fail_status: u16,
    /// The `Retry-After` sent with those 429s (none when unset).
    retry_after: Option<String>,
    /// Only requests whose path contains this are counted and limited (all when unset).
    only_path: Option<String>,
    /// ... and, when set, whose query has this `name=value` pair (`page=2`).
    only_query: Option<(String, String)>,
    counted: u64,
    /// Wait this long before answering each scoped vendor request.
    latency_ms: u64,
    /// A broken answer for the scoped requests numbered in `fault_at` (all when empty).
    fault: Option<Fault>,
    fault_at: Vec<u64>,
    /// Every vendor request since the last reset: method, path, ms since the reset, status.
    log: Vec<serde_json::Value>,
    since: Option<std::time::Instant>,
    /// Headers added to every answer of the demo API (a vendor's own `Cache-Control`,
    /// `Set-Cookie`, `X-RateLimit-*` … for the proxy tests; its 429s get them too), set by
    /// `POST /__sim/answer-headers`.
    answer_headers: Vec<(String, String)>,
    /// A vendor's rate limit per key, set by `POST /__sim/budget` (or `--budget`).
    budget: Option<Budget>,
    /// Each key's current window: when it started and the requests answered in it.
    windows: std::collections::HashMap<String, (std::time::Instant, u64)>,
    /// Requests the budget let through, and those it refused with 429.
    budget_answered: u64,
    budget_refused: u64,
}

/// A vendor's rate limit: `limit` requests per key in each fixed window of `window_ms`
/// (the first request after a window ends starts the next). Every answer carries
/// `X-RateLimit-Limit`, `-Remaining` (this request counted) and `-Reset` (whole seconds
/// until the window ends, rounded up); past the limit the answer is 429 with
/// `Retry-After` and the request is not counted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    pub limit: u64,
    pub window_ms: u64,
}

impl Budget {
    /// `100/60`: a limit per window in seconds (`100/2`), or in ms with `ms` (`100/500ms`).
    pub fn parse(v: &str) -> Option<Budget> {
        let (limit, window) = v.split_once('/')?;
        let limit = limit.trim().parse().ok().filter(|l| *l > 0)?;
        let window = window.trim();
        let window_ms = match window.strip_suffix("ms") {
            Some(ms) => ms.trim().parse().ok()?,
            None => window.parse::<u64>().ok()?.checked_mul(1000)?,
        };
        (window_ms > 0).then_some(Budget { limit, window_ms })
    }

    fn from_json(v: &serde_json::Value) -> Option<Budget> {
        let limit = v["limit"].as_u64().filter(|l| *l > 0)?;
        let window_ms = v["window_ms"]
            .as_u64()
            .filter(|w| (1..=3_600_000).contains(w))?;
        Some(Budget { limit, window_ms })
    }
}

/// What the budget says of one request: its rate-limit headers, and `Some(retry after)`
/// when it is refused.
fn spend(c: &mut Control, who: &str) -> (Vec<(String, String)>, Option<u64>) {
    let Some(b) = c.budget else {
        return (Vec::new(), None);
    };
    let now = std::time::Instant::now();
    let window = Duration::from_millis(b.window_ms);
    let w = c.windows.entry(who.to_string()).or_insert((now, 0));
    if now.duration_since(w.0) >= window {
        *w = (now, 0);
    }
    let left_ms = window.saturating_sub(now.duration_since(w.0)).as_millis() as u64;
    let reset = left_ms.div_ceil(1000).max(1);
    let refused = w.1 >= b.limit;
    if refused {
        c.budget_refused += 1;
    } else {
        w.1 += 1;
        c.budget_answered += 1;
    }
    let headers = vec![
        ("x-ratelimit-limit".to_string(), b.limit.to_string()),
        (
            "x-ratelimit-remaining".to_string(),
            (b.limit - w.1).to_string(),
        ),
        ("x-ratelimit-reset".to_string(), reset.to_string()),
    ];
    (headers, refused.then_some(reset))
}

/// The ways a vendor or the network between can fail, as the fault matrix injects them.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fault {
    /// This status with the vendor's error shape (and `retry_after`, if set).
    Status(u16),
    /// A proxy's HTML error page (502) instead of JSON.
    Html,
    /// The real answer's headers and half its body, then the connection closes.
    Truncated,
    /// 200 with an empty body.
    Empty,
    /// The connection closes before any answer.
    Dropped,
    /// The real answer without CORS headers (the browser hides it from the page).
    NoCors,
    /// The real answer after `latency_ms` (for one request, where `latency_ms` alone slows
    /// every scoped request).
    Slow(u64),
    /// 307 to another path of this origin (`/__sim/collect`, which records who arrived),
    /// as a proxy path that points somewhere else would answer.
    Redirect,
    /// The real answer with a string of this many bytes added to its payload (a call's
    /// enormous transcript); `chunked` sends it without a Content-Length.
    Huge { bytes: u64, chunked: bool },
    /// Talkover log pages of `logs` logs each, claiming `last_page` pages.
    Pages { logs: u64, last_page: u64 },
}

impl Fault {
    fn parse(v: &serde_json::Value) -> Option<Fault> {
        Some(match v["fault"].as_str()? {
            "status" => Fault::Status(
                v["status"]
                    .as_u64()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (400..=599).contains(s))
                    .unwrap_or(503),
            ),
            "html" => Fault::Html,
            "truncated" => Fault::Truncated,
            "empty" => Fault::Empty,
            "dropped" => Fault::Dropped,
            "no_cors" => Fault::NoCors,
            "slow" => Fault::Slow(v["latency_ms"].as_u64().unwrap_or(0).min(60_000)),
            "redirect" => Fault::Redirect,
            "huge" => Fault::Huge {
                bytes: v["bytes"].as_u64().unwrap_or(1 << 20).min(200 << 20),
                chunked: v["chunked"].as_bool().unwrap_or(false),
            },
            "pages" => Fault::Pages {
                logs: v["logs"].as_u64().unwrap_or(100).clamp(1, 10_000),
                last_page: v["last_page"].as_u64().unwrap_or(1).max(1),
            },
            _ => return None,
        })
    }
}

impl Control {
    fn elapsed_ms(&mut self) -> u128 {
        self.since
            .get_or_insert_with(std::time::Instant::now)
            .elapsed()
            .as_millis()
    }
}

/// `POST /__sim/budget` {"limit", "window_ms"} (a vendor's rate limit per key, see
/// [`Budget`]; `{}` clears it) and `GET /__sim/budget` (it, with `answered` and
/// `refused`: the requests it let through and those it answered 429 since it was set).
///
/// `POST /__sim/faults` {"rate_limit_every", "rate_limit_at", "retry_after", "fail_at",
/// "fail_status", "only_path", "only_query", "latency_ms", "fault", "status", "fault_at",
/// "bytes", "chunked", "logs", "last_page"} (`fault`: one of `status`, `html`, `truncated`,
/// `empty`, `dropped`, `no_cors`, `slow`, `redirect`, `huge`, `pages`; an empty object clears
/// every fault), `POST /__sim/reset`, `GET /__sim/requests`, `/__sim/collect` (where
/// `redirect` points), and `POST /__sim/answer-headers` {"Name": "value", …} (headers every
/// answer of the demo API gets from now on, as a vendor might send them; `{}` or a reset
/// clears them).
///
/// Each entry of `/__sim/requests` also holds `headers`, the names (lowercase, sorted) of
/// the request's headers, and `host`, the value of its `Host`: enough to see what a proxy
/// in front forwarded, without ever holding a key (no other header's value is kept).
fn control(
    state: &AppState,
    method: &HttpMethod,
    path: &str,
    body: &str,
    with_key: bool,
) -> (u16, String) {
    let Ok(mut c) = state.control.lock() else {
        return (500, r#"{"error":"state poisoned"}"#.into());
    };
    match (method.as_str(), path) {
        ("POST", "/__sim/reset") => {
            *c = Control {
                budget: state.budget,
                ..Control::default()
            };
            if let Ok(mut store) = state.store.lock() {
                *store = Default::default();
            }
            (200, r#"{"ok":true}"#.into())
        }
        ("POST", "/__sim/faults") => {
            let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            c.rate_limit_every = v["rate_limit_every"].as_u64().filter(|n| *n > 0);
            c.rate_limit_at = v["rate_limit_at"]
                .as_array()
                .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
                .unwrap_or_default();
            c.retry_after = v["retry_after"].as_str().map(str::to_string);
            c.only_path = v["only_path"].as_str().map(str::to_string);
            c.only_query = v["only_query"]
                .as_str()
                .and_then(|q| q.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()));
            c.fail_at = v["fail_at"]
                .as_array()
                .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
                .unwrap_or_default();
            c.fail_status = v["fail_status"]
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (400..=599).contains(s))
                .unwrap_or(503);
            c.latency_ms = v["latency_ms"].as_u64().unwrap_or(0).min(60_000);
            c.fault = Fault::parse(&v);
            c.fault_at = v["fault_at"]
                .as_array()
                .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
                .unwrap_or_default();
            c.counted = 0;
            c.log.clear();
            c.since = Some(std::time::Instant::now());
            (200, r#"{"ok":true}"#.into())
        }
        ("POST", "/__sim/budget") => {
            let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            c.budget = Budget::from_json(&v);
            c.windows.clear();
            c.budget_answered = 0;
            c.budget_refused = 0;
            (200, r#"{"ok":true}"#.into())
        }
        ("GET", "/__sim/budget") => (
            200,
            serde_json::json!({
                "limit": c.budget.map(|b| b.limit),
                "window_ms": c.budget.map(|b| b.window_ms),
                "answered": c.budget_answered,
                "refused": c.budget_refused,
            })
            .to_string(),
        ),
        ("GET", "/__sim/requests") => (200, serde_json::Value::Array(c.log.clone()).to_string()),
        // Where the `redirect` fault points: another app on the same origin. It records
        // every arrival (and whether a key came along) and answers like a vendor would.
        (m, "/__sim/collect") => {
            let at = c.elapsed_ms() as u64;
            let entry = serde_json::json!({"method": m, "path": path, "at_ms": at, "collected": true, "with_key": with_key});
            c.log.push(entry);
            (200, r#"{"data":{"call_id":"other-app","url":"https://other.example/collect","payload":{"from":"another app"},"metadata":[]},"errors":null}"#.into())
        }
        ("POST", "/__sim/answer-headers") => {
            let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            let Some(map) = v.as_object() else {
                return (
                    400,
                    r#"{"error":"a JSON object of header names and values"}"#.into(),
                );
            };
            let mut headers = Vec::new();
            for (name, value) in map {
                let valid = value.as_str().filter(|v| {
                    header::HeaderName::from_bytes(name.as_bytes()).is_ok()
                        && HeaderValue::from_str(v).is_ok()
                });
                let Some(value) = valid else {
                    return (
                        400,
                        r#"{"error":"not a header name and string value"}"#.into(),
                    );
                };
                headers.push((name.clone(), value.to_string()));
            }
            c.answer_headers = headers;
            (200, r#"{"ok":true}"#.into())
        }
        _ => (404, r#"{"error":"unknown control endpoint"}"#.into()),
    }
}

fn cors(headers: &mut HeaderMap, origin: Option<&HeaderValue>) {
    let origin = origin.cloned().unwrap_or(HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    for (name, value) in [
        (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, OPTIONS"),
        (
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "authorization, content-type",
        ),
        (
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            "retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset",
        ),
        (header::ACCESS_CONTROL_MAX_AGE, "600"),
        (header::VARY, "origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

/// An answer with `status`, `body` and its content type (None: no such header), and the
/// CORS headers for `origin`.
fn answer(
    status: StatusCode,
    content_type: Option<&'static str>,
    body: Body,
    origin: Option<&HeaderValue>,
) -> Response {
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    if let Some(t) = content_type {
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(t));
    }
    cors(resp.headers_mut(), origin);
    resp
}

fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect()
}

async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    if req.method() == HttpMethod::OPTIONS {
        return answer(StatusCode::NO_CONTENT, None, Body::empty(), origin.as_ref());
    }
    if req.uri().path().starts_with("/__sim/") {
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        let with_key = req.headers().contains_key(header::AUTHORIZATION);
        let body = axum::body::to_bytes(req.into_body(), 1 << 20)
            .await
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let (status, text) = control(&state, &method, &path, &body, with_key);
        return answer(
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            Some("application/json"),
            Body::from(text),
            origin.as_ref(),
        );
    }
    let method = match *req.method() {
        HttpMethod::POST => Some(Method::Post),
        HttpMethod::GET => Some(Method::Get),
        _ => None,
    };
    let path = req.uri().path().to_string();
    let raw_query = req.uri().query().unwrap_or("").to_string();
    let query = parse_query(req.uri().query());
    // What a proxy in front forwarded: every header's name, and the Host's value (never
    // another value: the key travels in a header).
    let mut header_names: Vec<String> = req
        .headers()
        .keys()
        .map(|k| k.as_str().to_string())
        .collect();
    header_names.sort();
    header_names.dedup();
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let api = DemoApi {
        now: state.now,
        expected_key: state.key.clone(),
    };
    // Injected rate limiting (counted over the requests the test scoped it to).
    let mut latency = 0;
    let mut fail = None;
    let mut fault = None;
    let mut fail_retry_after = None;
    let mut answer_headers = Vec::new();
    let mut over_budget = None;
    let limited = match state.control.lock() {
        Ok(mut c) => {
            answer_headers = c.answer_headers.clone();
            let scoped = c.only_path.as_deref().is_none_or(|p| path.contains(p))
                && c.only_query.as_ref().is_none_or(|kv| query.contains(kv));
            let (rate, refused) = spend(&mut c, authorization.as_deref().unwrap_or(""));
            answer_headers.extend(rate);
            if let Some(secs) = refused {
                // Refused by the budget: counted by nothing else, logged as limited.
                over_budget = Some(secs);
                if scoped {
                    let at = c.elapsed_ms() as u64;
                    c.log.push(serde_json::json!({"method": method.map(|m| m.as_str()), "path": path.clone(), "query": raw_query, "at_ms": at, "limited": true, "budget": true, "headers": header_names, "host": host}));
                }
            }
            if scoped && c.fault.is_none() {
                latency = c.latency_ms;
            }
            let mut limit = None;
            if scoped && over_budget.is_none() {
                c.counted = c.counted.saturating_add(1);
                let n = c.counted;
                if c.fail_at.contains(&n) {
                    fail = Some(c.fail_status);
                }
                if c.fault_at.is_empty() || c.fault_at.contains(&n) {
                    fault = c.fault;
                    match fault {
                        Some(Fault::Status(s)) => fail = Some(s),
                        Some(Fault::Slow(ms)) => latency = ms,
                        _ => {}
                    }
                }
                let retry_after = c.retry_after.clone();
                if matches!(fault, Some(Fault::Status(_))) {
                    fail_retry_after = retry_after;
                }
                if c.rate_limit_every
                    .is_some_and(|every| n.is_multiple_of(every))
                    || c.rate_limit_at.contains(&n)
                {
                    limit = Some(c.retry_after.clone());
                }
                let at = c.elapsed_ms();
                let status = if limit.is_some() { 429 } else { 0 };
                c.log.push(serde_json::json!({"method": method.map(|m| m.as_str()), "path": path.clone(), "query": raw_query, "at_ms": at as u64, "limited": status == 429, "headers": header_names, "host": host}));
            }
            limit
        }
        Err(_) => None,
    };
    if let Some(secs) = over_budget {
        let mut resp = answer(
            StatusCode::TOO_MANY_REQUESTS,
            Some("application/json"),
            Body::from(
                r#"{"success":false,"message":"Rate limit exceeded","code":"RATE_LIMIT_EXCEEDED"}"#,
            ),
            origin.as_ref(),
        );
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        append_headers(resp.headers_mut(), &answer_headers);
        return resp;
    }
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    if let Some(status) = fail {
        // Each vendor's own error shape; a 422 on a Talkover retry is its LOG_NOT_RETRIABLE.
        let body = if path.contains("/retry") && status == 422 {
            r#"{"success":false,"message":"Log cannot be retried","code":"LOG_NOT_RETRIABLE"}"#
        } else if path.starts_with("/api/v1/agents") || path.starts_with("/api/v1/campaigns") {
            r#"{"success":false,"message":"Injected failure","code":"INTERNAL_ERROR"}"#
        } else {
            r#"{"data":null,"errors":[{"error":"INTERNAL_SERVER_ERROR","message":"Injected failure"}]}"#
        };
        let mut resp = answer(
            StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            Some("application/json"),
            Body::from(body),
            origin.as_ref(),
        );
        if let Some(ra) = fail_retry_after.and_then(|r| HeaderValue::from_str(&r).ok()) {
            resp.headers_mut().insert(header::RETRY_AFTER, ra);
        }
        append_headers(resp.headers_mut(), &answer_headers);
        return resp;
    }
    match fault {
        Some(Fault::Dropped) => {
            // Unwinding the connection's task closes the socket before any answer is
            // written; `resume_unwind` skips the panic hook, so nothing is printed.
            std::panic::resume_unwind(Box::new("dropped connection (injected)"));
        }
        Some(Fault::Html) => {
            return answer(
                StatusCode::BAD_GATEWAY,
                Some("text/html"),
                Body::from(
                    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><p>nginx</p></body></html>",
                ),
                origin.as_ref(),
            );
        }
        Some(Fault::Redirect) => {
            let mut resp = answer(
                StatusCode::TEMPORARY_REDIRECT,
                None,
                Body::empty(),
                origin.as_ref(),
            );
            resp.headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/__sim/collect"));
            return resp;
        }
        Some(Fault::Empty) => {
            return answer(
                StatusCode::OK,
                Some("application/json"),
                Body::empty(),
                origin.as_ref(),
            );
        }
        _ => {}
    }
    if let Some(retry_after) = limited {
        let mut resp = answer(
            StatusCode::TOO_MANY_REQUESTS,
            Some("application/json"),
            Body::from(
                r#"{"data":null,"errors":[{"error":"RATE_LIMITED","message":"Too many requests"}]}"#,
            ),
            origin.as_ref(),
        );
        if let Some(ra) = retry_after.and_then(|r| HeaderValue::from_str(&r).ok()) {
            resp.headers_mut().insert(header::RETRY_AFTER, ra);
        }
        // A vendor's rate-limit headers (X-RateLimit-*) come with its 429s too.
        append_headers(resp.headers_mut(), &answer_headers);
        return resp;
    }
    let out = match method {
        Some(m) => {
            let req = DemoRequest {
                method: Some(m),
                path,
                query,
                authorization,
                body,
            };
            match state.store.lock() {
                Ok(mut store) => api.handle_with(&req, &mut store),
                Err(_) => api.handle(&req),
            }
        }
        None => {
            return answer(
                StatusCode::METHOD_NOT_ALLOWED,
                None,
                Body::from("method not allowed"),
                origin.as_ref(),
            );
        }
    };
    if out.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(out.delay_ms)).await;
    }
    let mut out = out;
    let mut chunked = false;
    match fault {
        Some(Fault::Huge { bytes, chunked: c }) if out.status == 200 => {
            out.body = with_huge_payload(&out.body, bytes);
            chunked = c;
        }
        Some(Fault::Pages { logs, last_page }) if out.status == 200 => {
            out.body = many_logs(&out.body, logs, last_page);
        }
        _ => {}
    }
    let full_length = out.body.len();
    let body = if fault == Some(Fault::Truncated) {
        // The full length announced, half the body sent (and flushed: the pause), then
        // the connection closes mid-answer.
        let half = out.body.as_bytes()[..full_length / 2].to_vec();
        let parts = futures::stream::unfold(Some(half), |left| async move {
            match left {
                Some(half) => Some((Ok::<_, std::io::Error>(half), None)),
                None => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Some((Err(std::io::Error::other("truncated (injected)")), None))
                }
            }
        });
        Body::from_stream(parts)
    } else if chunked {
        // No Content-Length: the client only learns the size as the bytes arrive.
        let bytes = out.body.into_bytes();
        let parts = futures::stream::iter(
            bytes
                .chunks(1 << 20)
                .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
                .collect::<Vec<_>>(),
        );
        Body::from_stream(parts)
    } else {
        Body::from(out.body)
    };
    let mut resp = Response::new(body);
    *resp.status_mut() =
        StatusCode::from_u16(out.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(out.content_type),
    );
    if let Some(ra) = out.retry_after.and_then(|r| HeaderValue::from_str(&r).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, ra);
    }
    if fault == Some(Fault::Truncated) {
        resp.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(full_length));
    }
    if !out.refuse_cors && fault != Some(Fault::NoCors) {
        cors(resp.headers_mut(), origin.as_ref());
    }
    append_headers(resp.headers_mut(), &answer_headers);
    resp
}

/// Adds the headers set by `POST /__sim/answer-headers`.
fn append_headers(headers: &mut HeaderMap, extra: &[(String, String)]) {
    for (name, value) in extra {
        if let (Ok(n), Ok(v)) = (
            header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(n, v);
        }
    }
}

/// `body` with a string of `bytes` bytes added to the first payload object in it (Bland's
/// `data.payload`, Talkover's or Burki's `request_payload`), as a call with an enormous
/// transcript would have.
fn with_huge_payload(body: &str, bytes: u64) -> String {
    fn first_payload(
        v: &mut serde_json::Value,
    ) -> Option<&mut serde_json::Map<String, serde_json::Value>> {
        match v {
            serde_json::Value::Object(o) => {
                if o.get("payload").is_some_and(serde_json::Value::is_object)
                    || o.get("request_payload")
                        .is_some_and(serde_json::Value::is_object)
                {
                    let key = if o.contains_key("payload") {
                        "payload"
                    } else {
                        "request_payload"
                    };
                    return o.get_mut(key).and_then(serde_json::Value::as_object_mut);
                }
                o.values_mut().find_map(first_payload)
            }
            serde_json::Value::Array(a) => a.iter_mut().find_map(first_payload),
            _ => None,
        }
    }
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(body) else {
        return body.to_string();
    };
    if let Some(p) = first_payload(&mut v) {
        let words = "hello this is a very long call transcript ".repeat((bytes / 42 + 1) as usize);
        let text: String = words.chars().take(bytes as usize).collect();
        p.insert(
            "concatenated_transcript".into(),
            serde_json::Value::String(text),
        );
    }
    v.to_string()
}

/// A Talkover logs page made of `logs` copies of its first log (each with its own ID and
/// payload) that claims `last_page` pages.
fn many_logs(body: &str, logs: u64, last_page: u64) -> String {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(body) else {
        return body.to_string();
    };
    let page = v["pagination"]["current_page"].as_u64().unwrap_or(1);
    // Past the demo's own pages there is no log to copy: a plain failed one stands in.
    let first = v["data"]
        .as_array()
        .and_then(|d| d.first())
        .cloned()
        .unwrap_or_else(|| serde_json::json!({"webhook_id": "wh", "event": "event_phone_call_ended", "attempt": 1, "status": "failed", "http_status": 500, "created_at": "2026-11-01T00:00:00Z"}));
    let data: Vec<serde_json::Value> = (0..logs)
        .map(|i| {
            let mut l = first.clone();
            l["id"] = format!("log_p{page}_{i}").into();
            l["request_payload"] = serde_json::json!({"call_id": format!("call_p{page}_{i}")});
            l
        })
        .collect();
    v["data"] = data.into();
    v["pagination"] = serde_json::json!({"current_page": page, "per_page": logs, "total": serde_json::Value::Null, "last_page": last_page});
    v.to_string()
}

/// The simulator's routes; `key: None` accepts any key.
pub fn router(key: Option<String>) -> Router {
    router_with(key, None)
}

/// [`router`] with a rate limit per key from the start (kept through resets).
pub fn router_with(key: Option<String>, budget: Option<Budget>) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(Arc::new(AppState {
            key,
            budget,
            now: chrono::Utc::now(),
            control: std::sync::Mutex::new(Control {
                budget,
                ..Default::default()
            }),
            ..Default::default()
        }))
}

/// Binds `addr` (use port 0 for any free port) and serves until the task is dropped.
/// Returns the bound address.
pub async fn spawn(
    addr: SocketAddr,
    key: Option<String>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    spawn_with(addr, key, None).await
}

/// [`spawn`] with a rate limit per key from the start.
pub async fn spawn_with(
    addr: SocketAddr,
    key: Option<String>,
    budget: Option<Budget>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = router_with(key, budget);
    let handle = tokio::spawn(async move {
        // A serve error ends the task; the tests then fail on connection refused.
        let _ = axum::serve(listener, app).await;
    });
    Ok((local, handle))
}
