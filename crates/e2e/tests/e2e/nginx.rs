//! The deployment recipe: the sub-path build behind Debian's nginx with the shipped
//! config (deploy/nginx/hookscope.conf), in headless Chromium, and its same-origin proxy
//! to the vendors over real TLS (a TLS listener with test certificates in front of the
//! simulator; crates/e2e/src/tls.rs).

use hookscope_e2e::nginx::{
    check_config, check_config_without_modules, check_precompressed, debians_main_config, get,
    get_encoded, get_gzip, header, sub_path_dist, Nginx,
};
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
    let mut copies = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        // The release build's .br/.gz copy of a file beside it: only ever sent in its place
        // (precompressed_copies_are_sent_for_each_accept_encoding); by its own name, 404.
        if let Some(file) = name
            .strip_suffix(".br")
            .or_else(|| name.strip_suffix(".gz"))
        {
            assert!(dir.join(file).exists(), "{name} is a copy of no file");
            assert_eq!(get(o, &format!("/hookscope/{name}")).await.0, 404, "{name}");
            copies += 1;
            continue;
        }
        for copy in ["br", "gz"] {
            assert!(dir.join(format!("{name}.{copy}")).exists(), "{name}.{copy}");
        }
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
    assert_eq!(copies, 2 * (seen + 1), "a .br and a .gz of each file");

    // A missing asset or config is a 404, not the page in its place.
    for missing in [
        "/hookscope/hookscope-0123456789abcdef.js",
        "/hookscope/config.json",
    ] {
        assert_eq!(get(o, missing).await.0, 404, "{missing}");
    }
    drop(h);
}

/// The release build's precompressed copies are what nginx sends: FILE.br for
/// `Accept-Encoding: br, gzip`, FILE.gz for `gzip`, FILE without; each with FILE's type
/// and Cache-Control, `Vary: Accept-Encoding` and the security headers (the main wasm, a
/// chunk, the JS, the CSS, index.html and a deep link; see `check_precompressed`). The
/// copies by their own name are a 404. config.json, which has no copy, is still gzipped
/// on the fly.
#[tokio::test]
async fn precompressed_copies_are_sent_for_each_accept_encoding() {
    // A config.json big enough for gzip to be worth it (it has no precompressed copy).
    let config = format!(
        r#"{{"base_urls":{{"bland":"/hookscope/proxy/bland"}},"note":"{}"}}"#,
        "x".repeat(2000)
    );
    let rig = Rig::start(|vendor| Nginx::start(vendor, &[("config.json", &config)])).await;
    check_precompressed(rig.origin(), &[]).await;
    for accept in ["br, gzip", "gzip"] {
        let (status, headers, body) =
            get_encoded(rig.origin(), "/hookscope/config.json", Some(accept), &[]).await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-encoding"), "gzip", "{accept}");
        assert_eq!(header(&headers, "content-type"), "application/json");
        assert_eq!(header(&headers, "cache-control"), "no-cache");
        assert!(
            body.len() < 500,
            "{accept}: {} bytes, not gzipped",
            body.len()
        );
    }
}

/// The shipped config needs nginx's brotli_static module (without it nginx refuses the
/// config, and says which directive it does not know), and Debian's nginx loads that module
/// by itself once libnginx-mod-http-brotli-static is installed: Debian's own
/// /etc/nginx/nginx.conf (its paths moved into a folder of this run, the shipped file in
/// place of conf.d/ and sites-enabled/) accepts it as it is.
#[test]
fn debians_nginx_loads_brotli_static_by_itself() {
    let (ok, said) = check_config_without_modules();
    assert!(!ok, "accepted without the module: {said}");
    assert!(
        said.contains("unknown directive \"brotli_static\""),
        "{said}"
    );
    let (ok, said) = check_config(debians_main_config);
    assert!(ok, "Debian's nginx.conf: {said}");
}

/// Chromium (which asks for br, even over plain HTTP to 127.0.0.1) gets the brotli copies
/// from nginx, decodes them, and the app starts: the page, the scripts, the stylesheet,
/// the main wasm and the page's chunk each arrived as many bytes as FILE.br has and
/// decoded to FILE's size (the browser's Resource Timing), and the bulk page works.
#[tokio::test]
async fn chromium_gets_the_brotli_copies_and_the_app_starts() {
    let (h, _nginx) = behind_nginx(&[]).await;
    h.open("/hookscope/bulk").await;
    h.find("bulk-ids").await;
    let sizes = h
        .client
        .execute(
            "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
               .map(e => [new URL(e.name).pathname, e.encodedBodySize, e.decodedBodySize]);",
            vec![],
        )
        .await
        .unwrap();
    let sizes: Vec<(String, u64, u64)> = serde_json::from_value(sizes).unwrap();
    let dist = sub_path_dist();
    let mut checked = Vec::new();
    for (path, encoded, decoded) in &sizes {
        let name = path.strip_prefix("/hookscope/").unwrap_or(path);
        let name = if name.is_empty() || name == "bulk" {
            "index.html"
        } else {
            name
        };
        let (Ok(raw), Ok(br)) = (
            std::fs::metadata(dist.join(name)),
            std::fs::metadata(dist.join(format!("{name}.br"))),
        ) else {
            continue;
        };
        assert_eq!(
            (*encoded, *decoded),
            (br.len(), raw.len()),
            "{path}: (bytes sent, decoded) should be (its .br's, its own)"
        );
        checked.push(name.to_string());
    }
    for want in [
        "index.html",
        "boot-",
        "hookscope-",
        "_bg.wasm",
        ".css",
        "split_bulk-",
    ] {
        assert!(
            checked.iter().any(|n| n.contains(want)),
            "{want}: not among the files checked {checked:?} of {sizes:?}"
        );
    }
    h.finish().await;
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
