//! The deployment recipe: the sub-path build behind Debian's nginx with the shipped
//! config (deploy/nginx/hookscope.conf), in headless Chromium, and its same-origin proxy
//! to the vendors over real TLS (a TLS listener with test certificates in front of the
//! simulator; crates/e2e/src/tls.rs).

use hookscope_e2e::nginx::{get, get_gzip, header, Nginx};
use hookscope_e2e::proxy::{self, sim_log, Rig};
use hookscope_e2e::tls::Cert;
use hookscope_e2e::{setup, Harness, KEY};

/// A browser harness whose app is nginx (the simulator stands behind the proxy paths,
/// through a TLS vendor whose certificate nginx trusts).
async fn behind_nginx(extra: &[(&str, &str)]) -> (Harness, Nginx) {
    let mut h = setup().await;
    let nginx = Nginx::in_front_of(&h.sim, extra).await;
    h.app = nginx.origin.clone();
    (h, nginx)
}

/// nginx with the shipped config in front of a trusted TLS vendor and a simulator.
async fn rig() -> Rig<Nginx> {
    Rig::start(|vendor| Nginx::start(vendor, &[])).await
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
        let base = h.value("connection-base-url").await.unwrap_or_default();
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

/// The vendor's certificate is checked (nginx's default is not to): a self-signed
/// "api.bland.ai", or a trusted CA's certificate for another name, is refused (502) after
/// nginx reached it, and no request, so no key, crosses that connection; a certificate
/// from the trusted test CA for the vendor's name passes, for each vendor, and nginx asked
/// for that name (SNI).
#[tokio::test]
async fn the_proxy_sends_the_key_only_to_a_vendor_whose_certificate_it_checked() {
    proxy::check_certificates(
        |vendor| Nginx::start(vendor, &[]),
        [
            (Cert::SelfSigned, "upstream SSL certificate verify error"),
            (
                Cert::WrongName,
                "upstream SSL certificate does not match \"api.bland.ai\"",
            ),
        ],
    )
    .await;
}

/// A view link of hundreds of call IDs (the app bounds what it writes; this is the
/// server's side) reloads as the page instead of nginx's "414 Request-URI Too Large";
/// the configured bound (one 32k buffer for the request line) still holds.
#[tokio::test]
async fn a_long_deep_link_answers_the_page() {
    let rig = rig().await;
    proxy::check_long_link(rig.origin()).await;
    let too_long = format!("/hookscope/explorer?id={}", "a".repeat(33 * 1024));
    assert_eq!(get(rig.origin(), &too_long).await.0, 414);
}

/// Only the key, Accept and the body's type (and the vendor's own name as Host) reach
/// the vendor: the browser's cookies, Origin, Referer, Proxy-Authorization, forwarding
/// headers and anything else are not passed on.
#[tokio::test]
async fn the_proxy_passes_on_only_the_key_accept_and_content_type() {
    let (get, post) = proxy::NGINX_FORWARDS;
    proxy::check_forwarded_headers(&rig().await, get, post).await;
}

/// Proxied answers carry `Cache-Control: no-store` and nothing else of the kind (the
/// vendor's own Cache-Control, Expires and Set-Cookie are dropped), refusals too; every
/// answer has HSTS.
#[tokio::test]
async fn proxied_answers_are_never_stored_and_every_answer_has_hsts() {
    proxy::check_no_store_and_hsts(&rig().await).await;
}

/// The proxy relays the console's endpoints (API.md), each with its method, and nothing
/// else: other paths, other methods, another vendor's paths, "..", encoded slashes and
/// the like are answered by nginx (403 or 404, a small JSON body) and never reach the
/// vendor.
#[tokio::test]
async fn the_proxy_relays_only_the_consoles_endpoints() {
    // nginx's own parser refuses a NUL in the path before any location: 400, its page.
    let rig = rig().await;
    proxy::check_allow_list(&rig, &[("x%00", 400)]).await;
    // A "..", "//" or escape that still names an allowed endpoint: nginx matched the
    // cleaned path, and sends that one.
    proxy::check_unclean_paths(&rig, true).await;
}
