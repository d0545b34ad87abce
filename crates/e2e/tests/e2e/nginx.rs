//! The deployment recipe: the sub-path build behind Debian's nginx with the shipped
//! config (deploy/nginx/hookscope.conf), in headless Chromium, and its same-origin proxy
//! to the vendors over real TLS (a TLS listener with test certificates in front of the
//! simulator; crates/e2e/src/tls.rs).

use hookscope_e2e::nginx::{get, get_gzip, header, header_values, send, Answer, Nginx};
use hookscope_e2e::tls::{Cert, TlsVendor};
use hookscope_e2e::{setup, Harness, KEY};
use serde_json::Value;
use std::net::SocketAddr;

/// A browser harness whose app is nginx (the simulator stands behind the proxy paths,
/// through a TLS vendor whose certificate nginx trusts).
async fn behind_nginx(extra: &[(&str, &str)]) -> (Harness, Nginx) {
    let mut h = setup().await;
    let nginx = Nginx::in_front_of(&h.sim, extra).await;
    h.app = nginx.origin.clone();
    (h, nginx)
}

/// A simulator of its own (the proxy tests need no browser).
async fn simulator() -> (SocketAddr, String) {
    let (addr, _) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), Some(KEY.into()))
        .await
        .unwrap();
    (addr, format!("http://{addr}"))
}

/// Every request the simulator received, oldest first.
async fn sim_log(sim: &str) -> Vec<Value> {
    let (_, _, body) = get(sim, "/__sim/requests").await;
    serde_json::from_slice(&body).unwrap()
}

fn bearer() -> String {
    format!("Bearer {KEY}")
}

/// A GET through nginx with the key, as the console sends it.
async fn get_with_key(nginx: &Nginx, path: &str, key: &str) -> Answer {
    send(
        &nginx.origin,
        "GET",
        path,
        &[("Authorization", key), ("Accept", "application/json")],
        None,
    )
    .await
}

#[tokio::test]
async fn headers_caching_and_the_single_page_fallback() {
    let (h, nginx) = behind_nginx(&[]).await;
    let o = &nginx.origin;
    let (status, index_headers, body) = get(o, "/hookscope/").await;
    assert_eq!(status, 200);
    let index = String::from_utf8_lossy(&body).to_string();
    assert!(
        index.contains("/hookscope/boot-"),
        "the sub-path build: {index}"
    );
    let csp = header(&index_headers, "content-security-policy");
    for part in [
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "connect-src 'self' https://api.bland.ai https://api.burki.dev https://app.talkover.ai",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header(&index_headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&index_headers, "referrer-policy"), "no-referrer");
    assert_eq!(header(&index_headers, "cache-control"), "no-cache");

    // Deep links are the app's routes: index.html, never cached, same headers.
    for deep in [
        "/hookscope/explorer?c=Demo%20Bland",
        "/hookscope/bulk",
        "/hookscope/nope/x",
    ] {
        let (status, headers, body) = get(o, deep).await;
        assert_eq!(status, 200, "{deep}");
        assert_eq!(body, index.as_bytes(), "{deep} answers index.html");
        assert_eq!(header(&headers, "cache-control"), "no-cache", "{deep}");
        assert_eq!(header(&headers, "referrer-policy"), "no-referrer", "{deep}");
    }
    let (status, headers, _) = get(o, "/hookscope").await;
    assert_eq!(
        (
            status,
            header(&headers, "location").ends_with("/hookscope/")
        ),
        (301, true)
    );

    // Hashed assets: a year, immutable, the right type, compressed on the way.
    let wasm = index
        .split('"')
        .find(|s| s.ends_with("_bg.wasm"))
        .expect("the wasm's address in index.html")
        .to_string();
    let (status, headers, _) = get(o, &wasm).await;
    assert_eq!(status, 200, "{wasm}");
    assert_eq!(header(&headers, "content-type"), "application/wasm");
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let (_, headers, _) = get_gzip(o, &wasm).await;
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    let boot = index
        .split('"')
        .find(|s| s.contains("/boot-"))
        .unwrap()
        .to_string();
    let (_, headers, _) = get(o, &boot).await;
    assert!(header(&headers, "content-type").contains("javascript"));
    assert!(header(&headers, "cache-control").contains("immutable"));

    // Every other file of the build (wasm chunks, the split loader, the one stylesheet)
    // has a hashed name too, and its type (chunks are compiled as they stream in, which
    // needs application/wasm).
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist-hookscope");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name == "index.html" {
            continue;
        }
        let (status, headers, _) = get(o, &format!("/hookscope/{name}")).await;
        assert_eq!(status, 200, "{name}");
        assert_eq!(
            header(&headers, "cache-control"),
            "public, max-age=31536000, immutable",
            "{name}"
        );
        let want = match name.rsplit('.').next() {
            Some("wasm") => "application/wasm",
            Some("js") => "javascript",
            Some("css") => "text/css",
            _ => panic!("an unexpected file in the build: {name}"),
        };
        assert!(header(&headers, "content-type").contains(want), "{name}");
        seen += 1;
    }
    assert!(seen > 5, "the build's chunks were not found ({seen} files)");

    // A missing asset or config is a 404, not the page in its place.
    for missing in [
        "/hookscope/hookscope-0123456789abcdef.js",
        "/hookscope/config.json",
    ] {
        assert_eq!(get(o, missing).await.0, 404, "{missing}");
    }
    drop(h);
}

#[tokio::test]
async fn a_deep_link_under_the_sub_path_survives_a_reload() {
    let (h, _nginx) = behind_nginx(&[]).await;
    let link = "/hookscope/explorer?c=Demo%20Talkover&k=talkover-agent&owner=agt_demo_support&wh=wh_demo_primary&status=failed";
    h.open(link).await;
    h.until("the failed demo deliveries", || async {
        h.total_rows().await > 0
    })
    .await;
    let first = h.total_rows().await;
    h.client.refresh().await.unwrap();
    h.rows_settle("the same rows after a reload", first).await;
    assert!(h.url().await.ends_with(link), "{}", h.url().await);
    // The app's own links stay under the sub-path, and so do their reloads.
    h.click("nav-bulk").await;
    h.until("the bulk page", || async {
        h.url().await.ends_with("/hookscope/bulk")
    })
    .await;
    h.client.refresh().await.unwrap();
    h.find("bulk-ids").await;
    h.click("nav-explorer").await;
    h.until("back to the same view", || async {
        h.url().await.ends_with(link)
    })
    .await;
    h.rows_settle("the failed demo deliveries again", first)
        .await;
    h.open("/hookscope/no/such/page").await;
    h.find("not-found").await;
    h.finish().await;
}

#[tokio::test]
async fn a_lookup_of_each_vendor_through_the_same_origin_proxy() {
    let config = r#"{"base_urls":{"bland":"/hookscope/proxy/bland","burki":"/hookscope/proxy/burki","talkover":"/hookscope/proxy/talkover"}}"#;
    let (h, nginx) = behind_nginx(&[("config.json", config)]).await;
    h.open("/hookscope/connections").await;
    for (vendor, name) in [
        ("bland", "Bland via nginx"),
        ("burki", "Burki via nginx"),
        ("talkover", "Talkover via nginx"),
    ] {
        h.click("nav-connections").await;
        h.click("connection-add").await;
        h.select("connection-vendor", vendor).await;
        h.type_into("connection-name", name).await;
        // The deployment's config.json put the proxy path in the form.
        let base = h
            .client
            .execute(
                "return document.querySelector('[data-testid=\"connection-base-url\"]').value",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(base, format!("/hookscope/proxy/{vendor}"));
        h.type_into("connection-key", KEY).await;
        h.click("connection-save").await;
    }
    let only = |vendor: &'static str| {
        let h = &h;
        move || async move {
            let v = h.rows_attr("data-vendor").await;
            !v.is_empty() && v.iter().all(|x| x == vendor)
        }
    };
    h.click("nav-explorer").await;
    let call = hookscope_core::demo::data::bland_call_id(3);
    h.lookup("Bland via nginx", "bland-call", &[("lookup-id", &call)])
        .await;
    h.rows_settle("the delivery through the proxy", 1).await;
    assert_eq!(h.rows_attr("data-vendor").await, ["bland"]);
    h.lookup("Burki via nginx", "burki-call", &[("lookup-id", "1002")])
        .await;
    h.until("Burki's deliveries through the proxy", only("burki"))
        .await;
    h.lookup(
        "Talkover via nginx",
        "talkover-agent",
        &hookscope_e2e::agent("wh_demo_primary"),
    )
    .await;
    h.until("Talkover's deliveries through the proxy", only("talkover"))
        .await;
    // The requests went through nginx and the TLS vendor to the simulator (which checks
    // the key), each under its vendor's host name.
    let seen = sim_log(&h.sim).await;
    for (path, host) in [
        (format!("/v1/postcall/webhooks/{call}"), "api.bland.ai"),
        ("/api/v1/calls/1002/webhook-logs".into(), "api.burki.dev"),
        (
            "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs".into(),
            "app.talkover.ai",
        ),
    ] {
        assert!(
            seen.iter()
                .any(|r| r["path"] == path.as_str() && r["host"] == host),
            "{path} for {host}: {seen:?}"
        );
    }
    let names = nginx.vendor.as_ref().unwrap().seen.server_names();
    for host in ["api.bland.ai", "api.burki.dev", "app.talkover.ai"] {
        assert!(names.iter().any(|n| n == host), "SNI {host}: {names:?}");
    }
    let log = nginx.access_log();
    for vendor in ["bland", "burki", "talkover"] {
        assert!(
            log.contains(&format!("/hookscope/proxy/{vendor}/")),
            "{log}"
        );
    }
    assert!(!log.contains(KEY), "the key is never in nginx's log");
    assert!(!nginx.error_log().contains(KEY));
    h.finish().await;
}

/// The vendor's certificate is checked: from a CA the proxy trusts (a root, an
/// intermediate, as real chains go) and for the vendor's name, the call goes through and
/// nginx asked for that name; a self-signed "api.bland.ai", or a trusted CA's certificate
/// for another name, is refused (502) after nginx reached it, and no request, so no key,
/// ever crosses that connection.
#[tokio::test]
async fn the_proxy_sends_the_key_only_to_a_vendor_whose_certificate_it_checked() {
    let (sim_addr, sim) = simulator().await;
    let call = hookscope_core::demo::data::bland_call_id(3);
    for (cert, why) in [
        (Cert::SelfSigned, "upstream SSL certificate verify error"),
        (
            Cert::WrongName,
            "upstream SSL certificate does not match \"api.bland.ai\"",
        ),
    ] {
        let bad = TlsVendor::start(sim_addr, cert).await;
        let nginx = Nginx::start(bad.addr, &[]);
        let path = format!("/hookscope/proxy/bland/v1/postcall/webhooks/{call}");
        let (status, _, _) = get_with_key(&nginx, &path, KEY).await;
        assert_eq!(status, 502, "{cert:?}");
        assert!(
            bad.seen.connections() > 0,
            "{cert:?}: nginx did reach the vendor"
        );
        assert_eq!(
            bad.seen.requests(),
            0,
            "{cert:?}: a request (with the key) was sent"
        );
        assert!(
            sim_log(&sim).await.is_empty(),
            "{cert:?}: the simulator got a request"
        );
        let errors = nginx.error_log();
        assert!(errors.contains(why), "{cert:?}: {errors}");
        assert!(!errors.contains(KEY) && !nginx.access_log().contains(KEY));
    }
    let good = TlsVendor::start(sim_addr, Cert::Trusted).await;
    let nginx = Nginx::start(good.addr, &[]);
    for (path, key, host) in [
        (
            format!("/hookscope/proxy/bland/v1/postcall/webhooks/{call}"),
            KEY.to_string(),
            "api.bland.ai",
        ),
        (
            "/hookscope/proxy/burki/api/v1/calls/1001/webhook-logs".into(),
            bearer(),
            "api.burki.dev",
        ),
        (
            "/hookscope/proxy/talkover/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?per_page=5&page=1".into(),
            bearer(),
            "app.talkover.ai",
        ),
    ] {
        let (status, _, body) = get_with_key(&nginx, &path, &key).await;
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        assert_eq!(
            good.seen.server_names().last().map(String::as_str),
            Some(host),
            "nginx asks for the vendor's name (SNI)"
        );
    }
    assert_eq!(good.seen.requests(), 3);
    assert_eq!(sim_log(&sim).await.len(), 3);
}

/// A view link of hundreds of call IDs (the app bounds what it writes; this is the
/// server's side) reloads as the page instead of nginx's "414 Request-URI Too Large";
/// the configured bound (one 32k buffer for the request line) still holds.
#[tokio::test]
async fn a_long_deep_link_answers_the_page() {
    let (sim_addr, _sim) = simulator().await;
    let vendor = TlsVendor::start(sim_addr, Cert::Trusted).await;
    let nginx = Nginx::start(vendor.addr, &[]);
    let (_, _, index) = get(&nginx.origin, "/hookscope/").await;
    let ids: Vec<String> = (0..530)
        .map(hookscope_core::demo::data::bland_call_id)
        .collect();
    let link = format!(
        "/hookscope/explorer?c=Demo%20Bland&k=bland-call&id={}",
        ids.join("%2C")
    );
    assert!((20_000..21_000).contains(&link.len()), "{}", link.len());
    let (status, headers, body) = get(&nginx.origin, &link).await;
    assert_eq!(status, 200);
    assert_eq!(body, index, "the link answers index.html");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    let too_long = format!("/hookscope/explorer?id={}", "a".repeat(33 * 1024));
    assert_eq!(get(&nginx.origin, &too_long).await.0, 414);
}

/// Only the key, Accept and the body's type (and the vendor's own Host) reach the vendor:
/// the browser's cookies, Origin, Referer, Proxy-Authorization, forwarding headers and
/// anything else are not passed on.
#[tokio::test]
async fn the_proxy_passes_on_only_the_key_accept_and_content_type() {
    let (sim_addr, sim) = simulator().await;
    let vendor = TlsVendor::start(sim_addr, Cert::Trusted).await;
    let nginx = Nginx::start(vendor.addr, &[]);
    let browser = [
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
    let call = hookscope_core::demo::data::bland_call_id(3);
    let mut headers = vec![("Authorization", KEY)];
    headers.extend(browser);
    let (status, _, _) = send(
        &nginx.origin,
        "GET",
        &format!("/hookscope/proxy/bland/v1/postcall/webhooks/{call}"),
        &headers,
        None,
    )
    .await;
    assert_eq!(status, 200, "the key arrived as sent");
    let bearer = bearer();
    let mut headers = vec![
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/json"),
    ];
    headers.extend(browser);
    let (status, _, body) = send(
        &nginx.origin,
        "POST",
        "/hookscope/proxy/bland/v1/postcall/webhooks/create",
        &headers,
        Some(&format!(
            r#"{{"call_ids":["{}"],"webhook_url":"https://hooks.example/h"}}"#,
            hookscope_core::demo::data::bland_call_id(9)
        )),
    )
    .await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let seen = sim_log(&sim).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0]["headers"],
        serde_json::json!(["accept", "authorization", "connection", "host"]),
        "the GET"
    );
    assert_eq!(
        seen[1]["headers"],
        serde_json::json!([
            "accept",
            "authorization",
            "connection",
            "content-length",
            "content-type",
            "host"
        ]),
        "the POST"
    );
    assert!(seen.iter().all(|r| r["host"] == "api.bland.ai"), "{seen:?}");
}

/// Proxied answers carry `Cache-Control: no-store` and nothing else of the kind (the
/// vendor's own Cache-Control, Expires and Set-Cookie are dropped), refusals too; every
/// answer has HSTS.
#[tokio::test]
async fn proxied_answers_are_never_stored_and_every_answer_has_hsts() {
    let (sim_addr, sim) = simulator().await;
    let vendor = TlsVendor::start(sim_addr, Cert::Trusted).await;
    let nginx = Nginx::start(vendor.addr, &[]);
    let (status, _, _) = send(
        &sim,
        "POST",
        "/__sim/answer-headers",
        &[("Content-Type", "application/json")],
        Some(
            r#"{"Cache-Control": "public, max-age=600", "Expires": "Thu, 01 Jan 2099 00:00:00 GMT", "Set-Cookie": "vendor_session=1; Path=/"}"#,
        ),
    )
    .await;
    assert_eq!(status, 200);
    let hsts = "max-age=31536000; includeSubDomains";
    let call = hookscope_core::demo::data::bland_call_id(3);
    for (path, want) in [
        (
            format!("/hookscope/proxy/bland/v1/postcall/webhooks/{call}"),
            200,
        ),
        (
            "/hookscope/proxy/burki/api/v1/calls/1001/webhook-logs".into(),
            200,
        ),
        ("/hookscope/proxy/bland/v1/admin".into(), 403),
        ("/hookscope/proxy/nobody/v1/calls".into(), 404),
    ] {
        let key = if path.contains("/burki/") {
            bearer()
        } else {
            KEY.into()
        };
        let (status, headers, _) = get_with_key(&nginx, &path, &key).await;
        assert_eq!(status, want, "{path}");
        assert_eq!(
            header_values(&headers, "cache-control"),
            ["no-store"],
            "{path}"
        );
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
    // The vendor did send them (so their absence above is nginx's doing).
    let (_, direct, _) = send(
        &sim,
        "GET",
        &format!("/v1/postcall/webhooks/{call}"),
        &[("Authorization", KEY)],
        None,
    )
    .await;
    assert_eq!(header(&direct, "cache-control"), "public, max-age=600");
    assert!(!header(&direct, "set-cookie").is_empty());
    for page in ["/hookscope/", "/hookscope/explorer", "/hookscope"] {
        let (_, headers, _) = get(&nginx.origin, page).await;
        assert_eq!(
            header(&headers, "strict-transport-security"),
            hsts,
            "{page}"
        );
    }
}

/// The proxy relays the console's endpoints (API.md), each with its method, and nothing
/// else: other paths, other methods, another vendor's paths, "..", encoded slashes and
/// the like are answered by nginx (403 or 404, a small JSON body) and never reach the
/// vendor.
#[tokio::test]
async fn the_proxy_relays_only_the_consoles_endpoints() {
    let (sim_addr, sim) = simulator().await;
    let vendor = TlsVendor::start(sim_addr, Cert::Trusted).await;
    let nginx = Nginx::start(vendor.addr, &[]);
    let call = hookscope_core::demo::data::bland_call_id(3);
    let convo = hookscope_core::demo::data::bland_conversation_id(0);
    let ids = format!(r#"{{"call_ids":["{call}"],"webhook_url":"https://hooks.example/h"}}"#);
    let sid = format!("CA{}", "0123456789abcdef".repeat(2));
    let talk = "/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs";
    let refused: &[(&str, String, u16)] = &[
        // Paths the console does not call.
        ("GET", "/hookscope/proxy/bland/v1/admin".into(), 403),
        ("GET", "/hookscope/proxy/bland/v1/agents".into(), 403),
        ("GET", "/hookscope/proxy/bland/".into(), 403),
        ("GET", "/hookscope/proxy/bland/v1/calls/x/y".into(), 403),
        (
            "GET",
            "/hookscope/proxy/burki/api/v1/assistants".into(),
            403,
        ),
        (
            "GET",
            format!("/hookscope/proxy/burki/v1/postcall/webhooks/{call}"),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/talkover/api/v1/users/u/webhooks/w/logs".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/talkover/api/v1/agents/a/webhooks/w".into(),
            403,
        ),
        // Methods the console does not use on a path it calls.
        (
            "POST",
            format!("/hookscope/proxy/bland/v1/calls/{call}"),
            403,
        ),
        (
            "DELETE",
            format!("/hookscope/proxy/bland/v1/postcall/webhooks/{call}"),
            403,
        ),
        (
            "PUT",
            "/hookscope/proxy/bland/v1/postcall/webhooks/create".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/resend/x".into(),
            403,
        ),
        ("POST", format!("/hookscope/proxy/talkover{talk}"), 403),
        (
            "PATCH",
            "/hookscope/proxy/burki/api/v1/calls/1001".into(),
            403,
        ),
        // Climbing out of an allowed path, plainly or encoded.
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/../../../v1/admin".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/..%2F..%2F..%2Fv1%2Fadmin".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/%2E%2E%2F%2E%2E%2Fadmin".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/x%2Fy".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/x%252Fy".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/.hidden".into(),
            403,
        ),
        // (nginx's own parser refuses a NUL before any location: 400, its HTML page.)
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/x%00".into(),
            400,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/x%0Ay".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/x%0A".into(),
            403,
        ),
        (
            "GET",
            "/hookscope/proxy/bland/v1/postcall/webhooks/x%20HTTP/1.1".into(),
            403,
        ),
        // No such vendor.
        ("GET", "/hookscope/proxy/nobody/v1/calls".into(), 404),
        ("GET", "/hookscope/proxy/".into(), 404),
        ("GET", "/hookscope/proxy/blandx/v1/calls".into(), 404),
    ];
    for (method, path, want) in refused {
        let (status, headers, body) =
            send(&nginx.origin, method, path, &[("Authorization", KEY)], None).await;
        let text = String::from_utf8_lossy(&body).to_string();
        assert_eq!(status, *want, "{method} {path}: {text}");
        assert!(
            sim_log(&sim).await.is_empty(),
            "{method} {path} reached the vendor"
        );
        if *want == 400 {
            continue;
        }
        assert_eq!(
            header(&headers, "content-type"),
            "application/json",
            "{method} {path}"
        );
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
        let code = if *want == 403 {
            "NOT_ALLOWED"
        } else {
            "NOT_FOUND"
        };
        assert_eq!(v["error"]["code"], code, "{method} {path}");
    }
    assert_eq!(
        vendor.seen.requests(),
        0,
        "a refused request reached the vendor"
    );

    // (method, vendor, path sent to nginx, what the vendor must receive, body)
    let allowed: Vec<(&str, &str, String, String, Option<&str>)> = vec![
        (
            "GET",
            "bland",
            format!("/v1/postcall/webhooks/{call}"),
            format!("/v1/postcall/webhooks/{call}"),
            None,
        ),
        (
            "GET",
            "bland",
            format!("/v1/sms/conversations/{convo}/webhook"),
            format!("/v1/sms/conversations/{convo}/webhook"),
            None,
        ),
        (
            "POST",
            "bland",
            "/v1/postcall/webhooks/create".into(),
            "/v1/postcall/webhooks/create".into(),
            Some(&ids),
        ),
        (
            "POST",
            "bland",
            "/v1/postcall/webhooks/resend".into(),
            "/v1/postcall/webhooks/resend".into(),
            Some(&ids),
        ),
        (
            "GET",
            "bland",
            format!("/v1/calls/{call}"),
            format!("/v1/calls/{call}"),
            None,
        ),
        (
            "GET",
            "bland",
            "/v1/calls?from=%2B15550100&limit=5".into(),
            "/v1/calls?from=%2B15550100&limit=5".into(),
            None,
        ),
        // Escapes of allowed characters are the same path (nginx sends it decoded).
        (
            "GET",
            "bland",
            "/v1%2Fcalls%2F%41bc".into(),
            "/v1/calls/Abc".into(),
            None,
        ),
        (
            "GET",
            "burki",
            "/api/v1/calls/1001/webhook-logs?webhook_type=call_ended".into(),
            "/api/v1/calls/1001/webhook-logs?webhook_type=call_ended".into(),
            None,
        ),
        (
            "GET",
            "burki",
            "/api/v1/calls/1001".into(),
            "/api/v1/calls/1001".into(),
            None,
        ),
        (
            "GET",
            "burki",
            format!("/api/v1/calls/sid/{sid}"),
            format!("/api/v1/calls/sid/{sid}"),
            None,
        ),
        (
            "GET",
            "burki",
            "/api/v1/calls?page=1".into(),
            "/api/v1/calls?page=1".into(),
            None,
        ),
        (
            "GET",
            "talkover",
            format!("{talk}?per_page=5&page=2"),
            format!("{talk}?per_page=5&page=2"),
            None,
        ),
        (
            "GET",
            "talkover",
            "/api/v1/campaigns/cmp_1/webhooks/wh_1/logs".into(),
            "/api/v1/campaigns/cmp_1/webhooks/wh_1/logs".into(),
            None,
        ),
        (
            "POST",
            "talkover",
            format!("{talk}/log_1/retry"),
            format!("{talk}/log_1/retry"),
            None,
        ),
    ];
    for (method, v, path, upstream, body) in &allowed {
        let key = if *v == "bland" {
            KEY.to_string()
        } else {
            bearer()
        };
        let mut headers = vec![("Authorization", key.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let (status, _, answer) = send(
            &nginx.origin,
            method,
            &format!("/hookscope/proxy/{v}{path}"),
            &headers,
            *body,
        )
        .await;
        let last = sim_log(&sim).await.pop().unwrap_or_default();
        let got = match last["query"].as_str() {
            Some("") | None => last["path"].as_str().unwrap_or("").to_string(),
            Some(q) => format!("{}?{q}", last["path"].as_str().unwrap_or("")),
        };
        assert_eq!(
            (last["method"].as_str(), got.as_str()),
            (Some(*method), upstream.as_str()),
            "{method} {v}{path} → {status} {}",
            String::from_utf8_lossy(&answer)
        );
    }
    assert_eq!(sim_log(&sim).await.len(), allowed.len());
    assert_eq!(vendor.seen.requests(), allowed.len());

    assert!(!nginx.access_log().contains(KEY));
}
