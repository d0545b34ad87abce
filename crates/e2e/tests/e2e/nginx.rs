//! The deployment recipe: the sub-path build behind Debian's nginx with the shipped
//! config (deploy/nginx/hookscope.conf), in headless Chromium.

use hookscope_e2e::nginx::{get, get_gzip, header, Nginx};
use hookscope_e2e::{setup, Harness, KEY};

/// A browser harness whose app is nginx (the simulator stands behind the proxy path).
async fn behind_nginx(extra: &[(&str, &str)]) -> (Harness, Nginx) {
    let mut h = setup().await;
    let nginx = Nginx::start(&h.sim, extra);
    h.app = nginx.origin.clone();
    (h, nginx)
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
async fn a_lookup_through_the_same_origin_proxy() {
    let config = r#"{"base_urls":{"bland":"/hookscope/proxy/bland"}}"#;
    let (h, nginx) = behind_nginx(&[("config.json", config)]).await;
    h.open("/hookscope/connections").await;
    h.click("connection-add").await;
    h.select("connection-vendor", "bland").await;
    h.type_into("connection-name", "Bland via nginx").await;
    // The deployment's config.json put the proxy path in the form.
    let base = h
        .client
        .execute(
            "return document.querySelector('[data-testid=\"connection-base-url\"]').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(base, "/hookscope/proxy/bland");
    h.type_into("connection-key", KEY).await;
    h.click("connection-save").await;
    h.click("nav-explorer").await;
    let call = hookscope_core::demo::data::bland_call_id(3);
    h.lookup("Bland via nginx", "bland-call", &[("lookup-id", &call)])
        .await;
    h.rows_settle("the delivery through the proxy", 1).await;
    assert_eq!(h.rows_attr("data-vendor").await, ["bland"]);
    // The request went through nginx to the simulator (which checks the key).
    let (_, _, seen) = get(&h.sim, "/__sim/requests").await;
    let seen = String::from_utf8_lossy(&seen).to_string();
    assert!(seen.contains(&call), "{seen}");
    let log = nginx.access_log();
    assert!(log.contains("/hookscope/proxy/bland/"), "{log}");
    assert!(!log.contains(KEY), "the key is never in nginx's log");
    h.finish().await;
}
