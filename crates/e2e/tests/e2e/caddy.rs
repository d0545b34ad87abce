//! The Caddy recipe (deploy/caddy/Caddyfile) run as shipped by Debian's Caddy 2.6, with
//! the same proxy checks as nginx's (crates/e2e/src/proxy.rs). No browser: what differs
//! from nginx is the server, and the page itself is the same build.

use hookscope_e2e::caddy::Caddy;
use hookscope_e2e::nginx::{check_precompressed, get, header};
use hookscope_e2e::proxy::{self, Rig};
use hookscope_e2e::tls::Cert;

async fn rig() -> Rig<Caddy> {
    Rig::start(Caddy::start).await
}

#[tokio::test]
async fn headers_caching_and_the_single_page_fallback() {
    let rig = rig().await;
    let o = rig.origin();
    let (status, headers, body) = get(o, "/hookscope/").await;
    assert_eq!(status, 200);
    let index = String::from_utf8_lossy(&body).to_string();
    assert!(index.contains("/hookscope/boot-"), "the sub-path build");
    let csp = header(&headers, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    for deep in ["/hookscope/explorer?c=Demo%20Bland", "/hookscope/bulk"] {
        let (status, headers, body) = get(o, deep).await;
        assert_eq!((status, body), (200, index.as_bytes().to_vec()), "{deep}");
        assert_eq!(header(&headers, "cache-control"), "no-cache", "{deep}");
    }
    let (status, headers, _) = get(o, "/hookscope").await;
    assert_eq!(status, 301);
    assert!(header(&headers, "location").ends_with("/hookscope/"));
    let wasm = index
        .split('"')
        .find(|s| s.ends_with("_bg.wasm"))
        .expect("the wasm's address in index.html")
        .to_string();
    let (status, headers, _) = get(o, &wasm).await;
    assert_eq!(status, 200, "{wasm}");
    assert_eq!(header(&headers, "content-type"), "application/wasm");
    let cache = header(&headers, "cache-control");
    assert_eq!(cache, "public, max-age=31536000, immutable");
    for missing in [
        "/hookscope/hookscope-0123456789abcdef.js",
        "/hookscope/config.json",
    ] {
        assert_eq!(get(o, missing).await.0, 404, "{missing}");
    }
}

/// The release build's precompressed copies are what Caddy sends (`file_server {
/// precompressed br gzip }`): FILE.br for `Accept-Encoding: br, gzip`, FILE.gz for `gzip`,
/// FILE without; each with FILE's type and Cache-Control, `Vary: Accept-Encoding` and the
/// security headers (the main wasm, a chunk, the JS, the CSS, index.html and a deep link;
/// see `check_precompressed`). The copies by their own name are a 404.
#[tokio::test]
async fn precompressed_copies_are_sent_for_each_accept_encoding() {
    check_precompressed(rig().await.origin(), &[]).await;
}

/// Caddy checks the vendor's certificate by default (nothing in the Caddyfile turns that
/// off): a self-signed "api.bland.ai", or a trusted CA's certificate for another name, is
/// refused (502) and never gets a request (so no key); the trusted test CA's certificate
/// for the vendor's name (tls_server_name) passes, for each vendor.
#[tokio::test]
async fn the_proxy_sends_the_key_only_to_a_vendor_whose_certificate_it_checked() {
    proxy::check_certificates(
        Caddy::start,
        [
            (Cert::SelfSigned, "certificate signed by unknown authority"),
            (
                Cert::WrongName,
                "certificate is valid for vendor.example.net, not api.bland.ai",
            ),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_long_deep_link_answers_the_page() {
    proxy::check_long_link(rig().await.origin()).await;
}

/// The headers the Caddyfile drops never reach the vendor. Caddy cannot pass on chosen
/// headers only: a header it does not name (X-Anything-Else) still does; Go adds its own
/// Accept-Encoding and User-Agent (the browser's is dropped).
#[tokio::test]
async fn the_proxy_drops_the_browsers_headers() {
    let (get, post) = proxy::CADDY_FORWARDS;
    proxy::check_forwarded_headers(&rig().await, get, post).await;
}

#[tokio::test]
async fn proxied_answers_are_never_stored_and_every_answer_has_hsts() {
    proxy::check_no_store_and_hsts(&rig().await).await;
}

/// As nginx's, and one difference: Caddy would relay the path as sent, so a path with
/// "..", "//" or an escape is refused even when its cleaned form is allowed.
#[tokio::test]
async fn the_proxy_relays_only_the_consoles_endpoints() {
    let rig = rig().await;
    proxy::check_allow_list(&rig, &[]).await;
    proxy::check_unclean_paths(&rig, false).await;
}
