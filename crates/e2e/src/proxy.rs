//! The properties every shipped same-origin proxy must have, checked the same way for each
//! server (nginx, Caddy): requests go over plain HTTP to the server under test, which
//! relays to a [`TlsVendor`] in front of the simulator; the simulator's request log and
//! the TLS listener's counts say what reached the vendor.

use crate::nginx::{get, header, header_values, send, Answer};
use crate::tls::{Cert, TlsVendor};
use crate::KEY;
use hookscope_core::demo::data::{bland_call_id, bland_conversation_id};
use serde_json::Value;
use std::net::SocketAddr;

/// A server under test, running the shipped config.
pub trait Proxy {
    /// `http://127.0.0.1:PORT`
    fn origin(&self) -> &str;
    /// Everything it logged so far (to check what it says, and that no key is in it).
    fn logs(&self) -> String;
}

impl Proxy for crate::nginx::Nginx {
    fn origin(&self) -> &str {
        &self.origin
    }
    fn logs(&self) -> String {
        self.access_log() + &self.error_log()
    }
}

/// A proxy under test in front of a TLS vendor (trusted certificate) in front of a
/// simulator of its own.
pub struct Rig<P> {
    /// The simulator's origin.
    pub sim: String,
    pub vendor: TlsVendor,
    pub proxy: P,
}

impl<P: Proxy> Rig<P> {
    pub async fn start(start: impl Fn(SocketAddr) -> P) -> Rig<P> {
        let (sim_addr, sim) = simulator().await;
        let vendor = TlsVendor::start(sim_addr, Cert::Trusted).await;
        let proxy = start(vendor.addr);
        Rig { sim, vendor, proxy }
    }

    pub fn origin(&self) -> &str {
        self.proxy.origin()
    }
}

/// A simulator of its own (the proxy checks need no browser): its address and origin.
pub async fn simulator() -> (SocketAddr, String) {
    let (addr, _) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), Some(KEY.into()))
        .await
        .unwrap();
    (addr, format!("http://{addr}"))
}

/// Every request the simulator received, oldest first.
pub async fn sim_log(sim: &str) -> Vec<Value> {
    let (_, _, body) = get(sim, "/__sim/requests").await;
    serde_json::from_slice(&body).unwrap()
}

/// The key as `vendor` wants it in the Authorization header.
pub fn key_for(vendor: &str) -> String {
    if vendor == "bland" {
        KEY.to_string()
    } else {
        format!("Bearer {KEY}")
    }
}

/// A GET through the proxy with the key, as the console sends it.
pub async fn get_with_key(origin: &str, path: &str, vendor: &str) -> Answer {
    let key = key_for(vendor);
    send(
        origin,
        "GET",
        path,
        &[("Authorization", &key), ("Accept", "application/json")],
        None,
    )
    .await
}

/// The lines of a table (blank lines and `#` comments dropped), split at whitespace.
pub fn table(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// The vendor's certificate is checked: a self-signed "api.bland.ai", or a certificate
/// from a trusted CA for another name, is refused (502) after the proxy reached it, and no
/// request (so no key) crosses that connection; `why` holds what the proxy logs for each.
/// A certificate from the trusted test CA (root, intermediate, as real chains go) for the
/// vendor's name passes, for each vendor, and the proxy asked for that name (SNI).
pub async fn check_certificates<P: Proxy>(start: impl Fn(SocketAddr) -> P, why: [(Cert, &str); 2]) {
    let (sim_addr, sim) = simulator().await;
    let call = bland_call_id(3);
    let path = format!("/hookscope/proxy/bland/v1/postcall/webhooks/{call}");
    for (cert, why) in why {
        let bad = TlsVendor::start(sim_addr, cert).await;
        let proxy = start(bad.addr);
        let (status, _, _) = get_with_key(proxy.origin(), &path, "bland").await;
        assert_eq!(status, 502, "{cert:?}");
        assert!(
            bad.seen.connections() > 0,
            "{cert:?}: never reached the vendor"
        );
        let sent = bad.seen.requests();
        assert_eq!(sent, 0, "{cert:?}: a request (with the key) was sent");
        let seen = sim_log(&sim).await;
        assert!(seen.is_empty(), "{cert:?}: the simulator got {seen:?}");
        let logs = proxy.logs();
        assert!(logs.contains(why), "{cert:?}: {logs}");
        assert!(!logs.contains(KEY), "{cert:?}: the key is in the logs");
    }
    let good = TlsVendor::start(sim_addr, Cert::Trusted).await;
    let proxy = start(good.addr);
    for (vendor, path, host) in [
        ("bland", path.as_str(), "api.bland.ai"),
        (
            "burki",
            "/hookscope/proxy/burki/api/v1/calls/1001/webhook-logs",
            "api.burki.dev",
        ),
        (
            "talkover",
            "/hookscope/proxy/talkover/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?per_page=5&page=1",
            "app.talkover.ai",
        ),
    ] {
        let (status, _, body) = get_with_key(proxy.origin(), path, vendor).await;
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        let names = good.seen.server_names();
        assert_eq!(names.last().map(String::as_str), Some(host), "SNI");
    }
    assert_eq!(sim_log(&sim).await.len(), 3);
    assert!(!proxy.logs().contains(KEY), "the key is in the logs");
}

/// A view link of hundreds of call IDs (about 20 kB) answers the page, not 414.
pub async fn check_long_link(origin: &str) {
    let (_, _, index) = get(origin, "/hookscope/").await;
    let ids: Vec<String> = (0..530).map(bland_call_id).collect();
    let link = format!(
        "/hookscope/explorer?c=Demo%20Bland&k=bland-call&id={}",
        ids.join("%2C")
    );
    assert!((20_000..21_000).contains(&link.len()), "{}", link.len());
    let (status, headers, body) = get(origin, &link).await;
    assert_eq!(status, 200);
    assert_eq!(body, index, "the link answers index.html");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
}

/// What a browser may send besides the key and the body's type: none of it may reach the
/// vendor.
pub const BROWSER_HEADERS: [(&str, &str); 13] = [
    ("Accept", "application/json"),
    ("Cookie", "session=from-the-console-host"),
    ("Origin", "http://127.0.0.1"),
    ("Referer", "http://127.0.0.1/hookscope/explorer?c=x"),
    ("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0"),
    ("X-Forwarded-For", "203.0.113.7"),
    ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-Proto", "http"),
    ("X-Real-IP", "203.0.113.7"),
    ("Forwarded", "for=203.0.113.7"),
    ("Via", "1.1 somewhere"),
    ("User-Agent", "hookscope-test"),
    ("X-Anything-Else", "1"),
];

/// The header names (lowercase, sorted) the vendor gets through nginx from a GET and a
/// POST with the key and every header of [`BROWSER_HEADERS`]: the key, Accept and the
/// body's type, nothing of the browser's.
pub const NGINX_FORWARDS: (&[&str], &[&str]) = (
    &["accept", "authorization", "connection", "host"],
    &[
        "accept",
        "authorization",
        "connection",
        "content-length",
        "content-type",
        "host",
    ],
);

/// [`NGINX_FORWARDS`] through Caddy, which cannot pass on chosen headers only: a header it
/// does not name (X-Anything-Else) still goes, and Go adds its own Accept-Encoding and
/// User-Agent (the browser's is dropped).
pub const CADDY_FORWARDS: (&[&str], &[&str]) = (
    &[
        "accept",
        "accept-encoding",
        "authorization",
        "host",
        "user-agent",
        "x-anything-else",
    ],
    &[
        "accept",
        "accept-encoding",
        "authorization",
        "content-length",
        "content-type",
        "host",
        "user-agent",
        "x-anything-else",
    ],
);

/// A GET and a POST with the key and every header of [`BROWSER_HEADERS`]: the vendor
/// receives exactly the header names `get` and `post` (sorted, lowercase), its own host
/// name as Host, and the key as sent (the simulator answers 200).
pub async fn check_forwarded_headers<P: Proxy>(rig: &Rig<P>, get: &[&str], post: &[&str]) {
    let call = bland_call_id(3);
    let key = key_for("bland");
    let mut headers = vec![("Authorization", key.as_str())];
    headers.extend(BROWSER_HEADERS);
    let path = format!("/hookscope/proxy/bland/v1/postcall/webhooks/{call}");
    let (status, _, _) = send(rig.origin(), "GET", &path, &headers, None).await;
    assert_eq!(status, 200, "the key arrived as sent");
    headers.push(("Content-Type", "application/json"));
    let body = format!(
        r#"{{"call_ids":["{}"],"webhook_url":"https://hooks.example/h"}}"#,
        bland_call_id(9)
    );
    let path = "/hookscope/proxy/bland/v1/postcall/webhooks/create";
    let (status, _, answer) = send(rig.origin(), "POST", path, &headers, Some(&body)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let seen = sim_log(&rig.sim).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0]["headers"], serde_json::json!(get), "the GET");
    assert_eq!(seen[1]["headers"], serde_json::json!(post), "the POST");
    assert!(seen.iter().all(|r| r["host"] == "api.bland.ai"), "{seen:?}");
}

/// Proxied answers, and the proxy's refusals, carry `Cache-Control: no-store` and nothing
/// else of the kind (the vendor's own Cache-Control, Expires and Set-Cookie are dropped);
/// every answer, the page's too, has HSTS.
pub async fn check_no_store_and_hsts<P: Proxy>(rig: &Rig<P>) {
    let vendor_headers = r#"{"Cache-Control": "public, max-age=600", "Expires": "Thu, 01 Jan 2099 00:00:00 GMT", "Set-Cookie": "vendor_session=1; Path=/"}"#;
    let json = [("Content-Type", "application/json")];
    let (status, _, _) = send(
        &rig.sim,
        "POST",
        "/__sim/answer-headers",
        &json,
        Some(vendor_headers),
    )
    .await;
    assert_eq!(status, 200);
    let call = bland_call_id(3);
    // The vendor does send them (so their absence below is the proxy's doing).
    let path = format!("/v1/postcall/webhooks/{call}");
    let (_, direct, _) = send(&rig.sim, "GET", &path, &[("Authorization", KEY)], None).await;
    assert_eq!(header(&direct, "cache-control"), "public, max-age=600");
    assert!(!header(&direct, "set-cookie").is_empty());
    let hsts = "max-age=31536000; includeSubDomains";
    for (vendor, path, want) in [
        ("bland", format!("/hookscope/proxy/bland{path}"), 200),
        (
            "burki",
            "/hookscope/proxy/burki/api/v1/calls/1001/webhook-logs".into(),
            200,
        ),
        ("bland", "/hookscope/proxy/bland/v1/admin".into(), 403),
        ("bland", "/hookscope/proxy/nobody/v1/calls".into(), 404),
    ] {
        let (status, headers, _) = get_with_key(rig.origin(), &path, vendor).await;
        assert_eq!(status, want, "{path}");
        let cache = header_values(&headers, "cache-control");
        assert_eq!(cache, ["no-store"], "{path}");
        assert!(header_values(&headers, "expires").is_empty(), "{path}");
        assert!(header_values(&headers, "set-cookie").is_empty(), "{path}");
        assert_eq!(
            header(&headers, "strict-transport-security"),
            hsts,
            "{path}"
        );
        assert_eq!(
            header(&headers, "x-content-type-options"),
            "nosniff",
            "{path}"
        );
    }
    for page in ["/hookscope/", "/hookscope/explorer", "/hookscope"] {
        let (_, headers, _) = get(rig.origin(), page).await;
        assert_eq!(
            header(&headers, "strict-transport-security"),
            hsts,
            "{page}"
        );
    }
}

/// Requests the proxy must answer itself (method, path as sent, status): nothing here may
/// reach the vendor. `{call}` and `{talk}` are filled in.
pub const REFUSED: &str = "
    # Paths the console does not call.
    GET    /hookscope/proxy/bland/v1/admin                                      403
    GET    /hookscope/proxy/bland/v1/agents                                     403
    GET    /hookscope/proxy/bland/                                              403
    GET    /hookscope/proxy/bland/v1/calls/x/y                                  403
    GET    /hookscope/proxy/burki/api/v1/assistants                             403
    GET    /hookscope/proxy/burki/v1/postcall/webhooks/{call}                   403
    GET    /hookscope/proxy/talkover/api/v1/users/u/webhooks/w/logs             403
    GET    /hookscope/proxy/talkover/api/v1/agents/a/webhooks/w                 403
    # Methods the console does not use on a path it calls.
    POST   /hookscope/proxy/bland/v1/calls/{call}                               403
    DELETE /hookscope/proxy/bland/v1/postcall/webhooks/{call}                   403
    PUT    /hookscope/proxy/bland/v1/postcall/webhooks/create                   403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/resend/x                 403
    POST   /hookscope/proxy/talkover{talk}                                      403
    PATCH  /hookscope/proxy/burki/api/v1/calls/1001                             403
    # Climbing out of an allowed path, plainly or encoded, and other odd segments.
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/../../../v1/admin        403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/..%2F..%2F..%2Fv1%2Fadmin 403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/%2E%2E%2F%2E%2E%2Fadmin  403
    GET    /hookscope/proxy/bland/v1/calls/x/..%2F..%2Fagents                   403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/x%2Fy                    403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/x%252Fy                  403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/x%5Cy                    403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/.hidden                  403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/x%00                     403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/x%0Ay                    403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/x%0A                     403
    GET    /hookscope/proxy/bland/v1/postcall/webhooks/x%20HTTP/1.1             403
    # No such vendor.
    GET    /hookscope/proxy/nobody/v1/calls                                     404
    GET    /hookscope/proxy/                                                    404
    GET    /hookscope/proxy/blandx/v1/calls                                     404
";

/// The console's endpoints (method, vendor, path after /hookscope/proxy/VENDOR, what the
/// vendor must receive when it differs): each reaches the vendor as it is.
pub const ALLOWED: &str = "
    GET  bland    /v1/postcall/webhooks/{call}
    GET  bland    /v1/sms/conversations/{convo}/webhook
    POST bland    /v1/postcall/webhooks/create
    POST bland    /v1/postcall/webhooks/resend
    GET  bland    /v1/calls/{call}
    GET  bland    /v1/calls?from=%2B15550100&limit=5
    GET  burki    /api/v1/calls/1001/webhook-logs?webhook_type=call_ended
    GET  burki    /api/v1/calls/1001
    GET  burki    /api/v1/calls/sid/CA0123456789abcdef0123456789abcdef
    GET  burki    /api/v1/calls?page=1
    GET  talkover {talk}?per_page=5&page=2
    GET  talkover /api/v1/campaigns/cmp_1/webhooks/wh_1/logs
    POST talkover {talk}/log_1/retry
";

pub fn fill(text: &str) -> String {
    text.replace("{call}", &bland_call_id(3))
        .replace("{convo}", &bland_conversation_id(0))
        .replace(
            "{talk}",
            "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs",
        )
}

/// The proxy relays the console's endpoints ([`ALLOWED`]), each with its method, and
/// nothing else: [`REFUSED`] is answered by the proxy (403 or 404 with a small JSON
/// body) and never reaches the vendor. `answered_before` lists the paths the server
/// itself refuses before any of its config is read (nginx: a NUL is a 400).
pub async fn check_allow_list<P: Proxy>(rig: &Rig<P>, answered_before: &[(&str, u16)]) {
    for row in table(&fill(REFUSED)) {
        let (method, path, want) = (&row[0], &row[1], row[2].parse::<u16>().unwrap());
        let early = answered_before.iter().find(|(p, _)| path.ends_with(p));
        let want = early.map_or(want, |(_, status)| *status);
        let key = KEY;
        let (status, headers, body) =
            send(rig.origin(), method, path, &[("Authorization", key)], None).await;
        let text = String::from_utf8_lossy(&body).to_string();
        assert_eq!(status, want, "{method} {path}: {text}");
        let seen = sim_log(&rig.sim).await;
        assert!(
            seen.is_empty(),
            "{method} {path} reached the vendor: {seen:?}"
        );
        if early.is_some() {
            continue;
        }
        let json = header(&headers, "content-type");
        assert_eq!(json, "application/json", "{method} {path}");
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
        let code = if want == 403 {
            "NOT_ALLOWED"
        } else {
            "NOT_FOUND"
        };
        assert_eq!(v["error"]["code"], code, "{method} {path}");
    }
    assert_eq!(
        rig.vendor.seen.requests(),
        0,
        "a refused request reached the vendor"
    );

    let ids = format!(
        r#"{{"call_ids":["{}"],"webhook_url":"https://hooks.example/h"}}"#,
        bland_call_id(3)
    );
    let allowed = table(&fill(ALLOWED));
    for row in &allowed {
        let (method, vendor, path) = (&row[0], &row[1], &row[2]);
        let upstream = row.get(3).unwrap_or(path);
        let key = key_for(vendor);
        let mut headers = vec![("Authorization", key.as_str())];
        let body = (method == "POST" && vendor == "bland").then_some(ids.as_str());
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let full = format!("/hookscope/proxy/{vendor}{path}");
        let (status, _, answer) = send(rig.origin(), method, &full, &headers, body).await;
        let last = sim_log(&rig.sim).await.pop().unwrap_or_default();
        let got = match last["query"].as_str() {
            Some("") | None => last["path"].as_str().unwrap_or("").to_string(),
            Some(q) => format!("{}?{q}", last["path"].as_str().unwrap_or("")),
        };
        assert_eq!(
            (last["method"].as_str(), got.as_str()),
            (Some(method.as_str()), upstream.as_str()),
            "{method} {full} → {status} {}",
            String::from_utf8_lossy(&answer)
        );
    }
    assert_eq!(sim_log(&rig.sim).await.len(), allowed.len());
    assert!(!rig.proxy.logs().contains(KEY), "the key is in the logs");
}

/// Paths that name an allowed endpoint once decoded and cleaned, but not as sent (a
/// "..", a doubled or encoded "/", an escaped letter), and what they name. The allow-list
/// must not check one path and relay another: the proxy either relays the cleaned path
/// (`relays_cleaned`: nginx, which sends the path it matched) or refuses them (Caddy,
/// which would send the raw one).
pub async fn check_unclean_paths<P: Proxy>(rig: &Rig<P>, relays_cleaned: bool) {
    let origin = rig.origin();
    check_unclean_paths_with(
        &rig.sim,
        relays_cleaned,
        |raw| async move {
            let path = format!("/hookscope/proxy/bland{raw}");
            get_with_key(origin, &path, "bland").await
        },
        |a, raw| assert_eq!(a.0, 403, "{raw}: {}", String::from_utf8_lossy(&a.2)),
    )
    .await;
}

/// [`check_unclean_paths`] with `get` sending a GET (with the key) of Bland's path `raw`
/// through the proxy, and `refused` checking a refusal, the simulator at `sim` behind.
pub async fn check_unclean_paths_with<F, Fut>(
    sim: &str,
    relays_cleaned: bool,
    get: F,
    refused: impl Fn(&Answer, &str),
) where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Answer>,
{
    let call = bland_call_id(3);
    let clean = format!("/v1/calls/{call}");
    for raw in [
        format!("/v1/admin/../calls/{call}"),
        format!("/v1/calls/./{call}"),
        format!("//v1/calls/{call}"),
        format!("/v1%2Fcalls%2F{call}"),
        format!("/v1/%63alls/{call}"),
    ] {
        let before = sim_log(sim).await.len();
        let a = get(raw.clone()).await;
        let seen = sim_log(sim).await;
        if relays_cleaned {
            assert_eq!(seen.len(), before + 1, "{raw}: {}", a.0);
            assert_eq!(seen[before]["path"], clean.as_str(), "{raw}");
        } else {
            refused(&a, &raw);
            assert_eq!(seen.len(), before, "{raw} reached the vendor: {seen:?}");
        }
    }
}
