//! The simulator over real HTTP: CORS, auth, pagination, failure injection.

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A minimal HTTP/1.1 client (the test needs raw status, headers and body, nothing more).
async fn request(addr: SocketAddr, raw: &str) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(raw.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn get(path: &str, auth: Option<&str>) -> String {
    let auth = auth
        .map(|a| format!("authorization: {a}\r\n"))
        .unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nhost: x\r\norigin: http://127.0.0.1:9\r\n{auth}connection: close\r\n\r\n")
}

/// A GET with the authorization `auth` that must answer 200: its body, as JSON.
async fn get_json(addr: SocketAddr, path: &str, auth: &str) -> serde_json::Value {
    let (s, _, body) = request(addr, &get(path, Some(auth))).await;
    assert_eq!(s, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn serves_the_vendor_apis() {
    let (addr, task) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), Some("k".into()))
        .await
        .unwrap();

    let (s, head, _) = request(addr, &get("/api/v1/calls/1001/webhook-logs", None)).await;
    assert_eq!(s, 401);
    assert!(head.contains("access-control-allow-origin: http://127.0.0.1:9"));

    let path = "/api/v1/calls/1001/webhook-logs?webhook_type=call_ended";
    let v = get_json(addr, path, "Bearer k").await;
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["webhook_type"] == "call_ended"));

    let path = "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?per_page=100&page=3";
    let v = get_json(addr, path, "Bearer k").await;
    assert_eq!(v["pagination"]["current_page"], 3);
    assert_eq!(v["pagination"]["last_page"], 3);

    let (s, head, _) = request(addr, &get("/v1/postcall/webhooks/err-429", Some("k"))).await;
    assert_eq!(s, 429);
    assert!(head.contains("retry-after: 600"));

    let (s, head, _) = request(addr, &get("/v1/postcall/webhooks/err-nocors", Some("k"))).await;
    assert_eq!(s, 200);
    assert!(!head.contains("access-control-allow-origin"));

    let pre = "OPTIONS /v1/postcall/webhooks/x HTTP/1.1\r\nhost: x\r\norigin: http://a\r\naccess-control-request-method: GET\r\nconnection: close\r\n\r\n";
    let (s, head, _) = request(addr, pre).await;
    assert_eq!(s, 204);
    assert!(head.contains("access-control-allow-headers: authorization, content-type"));
    task.abort();
}

#[tokio::test]
async fn records_header_names_and_adds_answer_headers() {
    let (addr, task) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), Some("k".into()))
        .await
        .unwrap();
    let post = |path: &str, body: &str| {
        format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let (s, _, _) = request(
        addr,
        &post(
            "/__sim/answer-headers",
            r#"{"Cache-Control": "public, max-age=600", "Set-Cookie": "vendor=1"}"#,
        ),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _, _) = request(
        addr,
        &post("/__sim/answer-headers", r#"["not", "an object"]"#),
    )
    .await;
    assert_eq!(s, 400);
    let raw = "GET /api/v1/calls/1001/webhook-logs HTTP/1.1\r\nhost: vendor.example\r\nauthorization: Bearer k\r\ncookie: session=secret-cookie\r\nx-forwarded-for: 10.0.0.1\r\nconnection: close\r\n\r\n";
    let (s, head, _) = request(addr, raw).await;
    assert_eq!(s, 200);
    assert!(
        head.contains("cache-control: public, max-age=600"),
        "{head}"
    );
    assert!(head.contains("set-cookie: vendor=1"), "{head}");

    let (_, _, log) = request(addr, &get("/__sim/requests", None)).await;
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let last = log.as_array().unwrap().last().unwrap();
    assert_eq!(
        last["headers"],
        serde_json::json!([
            "authorization",
            "connection",
            "cookie",
            "host",
            "x-forwarded-for"
        ])
    );
    assert_eq!(last["host"], "vendor.example");
    // Names only: no value but the Host's is kept (a key travels in a header).
    let text = log.to_string();
    assert!(
        !text.contains("Bearer k") && !text.contains("secret-cookie") && !text.contains("10.0.0.1"),
        "{text}"
    );

    // A reset clears the added headers.
    request(addr, &post("/__sim/reset", "")).await;
    let (_, head, _) = request(addr, raw).await;
    assert!(
        !head.contains("max-age=600") && !head.contains("set-cookie"),
        "{head}"
    );
    task.abort();
}

/// The find-a-call endpoints over real HTTP, read by the core's own decoders: a call by
/// ID, by SID, a number's calls on two vendors (with paging), and a call's deliveries.
#[tokio::test]
async fn serves_the_calls_endpoints() {
    use hookscope_core::calls::{self, CallLookup, CallQuery};
    use hookscope_core::demo::examples;
    use hookscope_core::response::RawResponse;
    let (addr, task) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), Some("k".into()))
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let ask = |q: CallQuery| async move {
        let auth = match q.vendor() {
            hookscope_core::Vendor::Bland => "k",
            _ => "Bearer k",
        };
        let (status, _, body) =
            request(addr, &get(&q.request().path_and_query(), Some(auth))).await;
        let raw = RawResponse {
            status,
            content_type: None,
            retry_after: None,
            body,
            sign_in_asked: false,
        };
        q.read(&raw, now)
    };

    let r = calls::recognise(examples::FIND_PHONE);
    let plans = calls::plan(&r.entries, &examples::find_reach());
    let mut found = Vec::new();
    for l in &plans[0].lookups {
        let CallLookup::Calls(q) = l else {
            panic!("a phone number finds calls")
        };
        found.extend(ask(q.clone()).await.unwrap().calls);
    }
    let found = calls::merge_calls(found);
    let vendors: std::collections::BTreeSet<_> = found.iter().map(|c| c.vendor).collect();
    assert_eq!(vendors.len(), 2, "Bland and Burki");
    assert!(found.len() >= 10, "{}", found.len());

    let by_sid = ask(CallQuery::BurkiCallBySid(
        hookscope_core::ids::PathId::typed("SID", examples::FIND_SID).unwrap(),
    ))
    .await
    .unwrap();
    assert_eq!(by_sid.calls[0].id, "2001");
    let logs = calls::deliveries_of(&by_sid.calls[0])
        .unwrap()
        .initial_requests();
    let (s, _, body) = request(addr, &get(&logs[0].path_and_query(), Some("Bearer k"))).await;
    assert_eq!(s, 200);
    let ds = hookscope_core::vendors::burki::decode_logs(&logs[0], s, &body).unwrap();
    assert!(ds.len() >= 3);

    let one = ask(CallQuery::BlandCall(
        hookscope_core::ids::PathId::typed("ID", examples::BLAND_FAILED_DELIVERY).unwrap(),
    ))
    .await
    .unwrap();
    assert_eq!(one.calls[0].id, examples::BLAND_FAILED_DELIVERY);
    let missing = ask(CallQuery::BurkiCall(99)).await.unwrap();
    assert!(missing.not_found);

    // Without the key: the vendor's 401, typed.
    let (s, _, _) = request(addr, &get("/v1/calls?limit=1", None)).await;
    assert_eq!(s, 401);
    task.abort();
}

fn post(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A header's value in a lowercased head.
fn header_of(head: &str, name: &str) -> Option<String> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(|v| v.trim().to_string())
}

/// A vendor's rate limit per key: the `X-RateLimit-*` headers on every answer (readable
/// by a page on another origin), 429 with `Retry-After` past the budget, a budget per
/// key, and a fresh one when the window ends.
#[tokio::test]
async fn a_budget_per_key_says_itself_and_refuses_past_it() {
    let (addr, task) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), None)
        .await
        .unwrap();
    let page = "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?per_page=100&page=1";
    let (s, head, _) = request(addr, &get(page, Some("Bearer a"))).await;
    assert_eq!(s, 200);
    assert_eq!(header_of(&head, "x-ratelimit-limit"), None, "no budget set");
    let (s, _, _) = request(
        addr,
        &post("/__sim/budget", r#"{"limit": 3, "window_ms": 60000}"#),
    )
    .await;
    assert_eq!(s, 200);
    for left in ["2", "1", "0"] {
        let (s, head, _) = request(addr, &get(page, Some("Bearer a"))).await;
        assert_eq!(s, 200);
        assert_eq!(header_of(&head, "x-ratelimit-limit").as_deref(), Some("3"));
        assert_eq!(
            header_of(&head, "x-ratelimit-remaining").as_deref(),
            Some(left)
        );
        let reset: u64 = header_of(&head, "x-ratelimit-reset")
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (1..=60).contains(&reset),
            "seconds until the window ends: {reset}"
        );
        assert!(
            header_of(&head, "access-control-expose-headers").is_some_and(|v| v
                .contains("x-ratelimit-remaining")
                && v.contains("x-ratelimit-reset"))
        );
    }
    let (s, head, body) = request(addr, &get(page, Some("Bearer a"))).await;
    assert_eq!(s, 429, "{body}");
    assert!(header_of(&head, "retry-after").is_some_and(|v| v.parse::<u64>().is_ok()));
    assert_eq!(
        header_of(&head, "x-ratelimit-remaining").as_deref(),
        Some("0")
    );
    let (s, head, _) = request(addr, &get(page, Some("Bearer b"))).await;
    assert_eq!(s, 200, "another key has its own budget");
    assert_eq!(
        header_of(&head, "x-ratelimit-remaining").as_deref(),
        Some("2")
    );
    let (_, _, said) = request(addr, &get("/__sim/budget", None)).await;
    let said: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(said["answered"], 4);
    assert_eq!(said["refused"], 1);

    // A short window comes back.
    request(
        addr,
        &post("/__sim/budget", r#"{"limit": 1, "window_ms": 300}"#),
    )
    .await;
    assert_eq!(request(addr, &get(page, Some("Bearer a"))).await.0, 200);
    assert_eq!(request(addr, &get(page, Some("Bearer a"))).await.0, 429);
    let start = std::time::Instant::now();
    while request(addr, &get(page, Some("Bearer a"))).await.0 != 200 {
        assert!(start.elapsed().as_secs() < 10, "the window never ended");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // `{}` clears it.
    request(addr, &post("/__sim/budget", "{}")).await;
    let (_, head, _) = request(addr, &get(page, Some("Bearer a"))).await;
    assert_eq!(header_of(&head, "x-ratelimit-limit"), None);
    task.abort();
}

#[tokio::test]
async fn a_budget_from_the_start_outlives_a_reset() {
    use hookscope_sim::Budget;
    assert_eq!(
        Budget::parse("100/60"),
        Some(Budget {
            limit: 100,
            window_ms: 60_000
        })
    );
    assert_eq!(
        Budget::parse("100/500ms"),
        Some(Budget {
            limit: 100,
            window_ms: 500
        })
    );
    for bad in [
        "",
        "100",
        "0/60",
        "100/0",
        "-1/60",
        "x/y",
        "100/60s",
        "100/99999999999999999999",
    ] {
        assert_eq!(Budget::parse(bad), None, "{bad}");
    }
    let (addr, task) =
        hookscope_sim::spawn_with("127.0.0.1:0".parse().unwrap(), None, Budget::parse("5/60"))
            .await
            .unwrap();
    let page = "/v1/postcall/webhooks/x";
    request(addr, &post("/__sim/reset", "{}")).await;
    let (_, head, _) = request(addr, &get(page, Some("k"))).await;
    assert_eq!(header_of(&head, "x-ratelimit-limit").as_deref(), Some("5"));
    assert_eq!(
        header_of(&head, "x-ratelimit-remaining").as_deref(),
        Some("4")
    );
    task.abort();
}
