//! Every base URL the console accepts resolves, under the WHATWG URL rules that browsers
//! follow (the `url` crate implements them), to the origin the console thinks it does:
//! a path stays on the page's own origin, an absolute URL reaches the host it names.

use hookscope_core::ids::{clean_base_url, BaseUrl};
use proptest::prelude::*;
use url::Url;

const PAGE: &str = "https://console.example/hookscope/explorer?c=x";

/// Where a browser on `PAGE` sends a request built from `base` + a request path.
fn resolved(base: &str) -> Option<Url> {
    let full = format!("{}/v1/postcall/webhooks/abc", base.trim_end_matches('/'));
    Url::parse(PAGE).ok()?.join(&full).ok()
}

fn check(raw: &str) {
    let Ok(base) = clean_base_url(raw) else {
        return;
    };
    // Punycode labels are not decoded here; a browser refuses a malformed one and the
    // request fails without leaving the page, so only those may be unresolvable.
    let Some(url) = resolved(base.as_str()) else {
        assert!(
            base.as_str().contains("xn--"),
            "{raw:?} accepted but unresolvable"
        );
        return;
    };
    match &base {
        BaseUrl::SameOrigin { .. } => {
            assert_eq!(
                url.origin(),
                Url::parse(PAGE).unwrap().origin(),
                "{raw:?} accepted as a same-origin path but resolves to {url}"
            );
        }
        BaseUrl::Absolute { host, https, .. } => {
            let want = host.trim_start_matches('[').trim_end_matches(']');
            let got = url.host_str().unwrap_or("");
            let got = got.trim_start_matches('[').trim_end_matches(']');
            // IPv4/IPv6 literals are normalised by the parser; compare their values.
            let same = got == want
                || want.parse::<std::net::IpAddr>().ok() == got.parse::<std::net::IpAddr>().ok()
                    && want.parse::<std::net::IpAddr>().is_ok();
            assert!(
                same,
                "{raw:?} accepted for host {host} but resolves to {url}"
            );
            assert_eq!(
                url.scheme(),
                if *https { "https" } else { "http" },
                "{raw:?}"
            );
            assert!(
                url.username().is_empty() && url.password().is_none(),
                "{raw:?}"
            );
            assert!(url.query().is_none() && url.fragment().is_none(), "{raw:?}");
        }
    }
}

#[test]
fn known_variants() {
    for v in [
        "https://api.bland.ai",
        "https://API.BLAND.AI:443/",
        "http://127.0.0.1:18787",
        "http://[::1]:8080/x",
        "http://0x7f.1/",
        "http://2130706433",
        "http://127.1",
        "http://010.0.0.1",
        "https://example.0x10",
        "https://1.2.3.4",
        "https://xn--bcher-kva.example/api",
        "/proxy/bland",
        "/",
        "/..",
        "/../..//x",
        "/%2e%2e/%2F/x",
        "/./x",
        "/proxy;x=1",
        "/proxy:80",
        "/@evil.example",
        "/:evil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "/\\evil.example",
        "//evil.example",
        "https:evil.example",
        "https:///evil.example",
    ] {
        check(v);
    }
}

/// Strings built from the characters that matter to URL parsing.
fn hostile() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "/",
        "//",
        "\\",
        ":",
        "@",
        ".",
        "..",
        "%2e",
        "%2F",
        "%5C",
        "%40",
        "?",
        "#",
        "\t",
        "\n",
        " ",
        "http",
        "https",
        "://",
        "evil.example",
        "api.bland.ai",
        "[",
        "]",
        "::1",
        "8080",
        "a",
        "-",
        "\u{ff0f}",
        "\u{2215}",
        "xn--",
        "0x7f",
        "127.0.0.1",
    ]);
    prop::collection::vec(atoms, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn accepted_values_resolve_where_the_console_says(raw in hostile()) {
        check(&raw);
    }

    #[test]
    fn arbitrary_text_never_panics(raw in ".*") {
        let _ = clean_base_url(&raw);
        check(&raw);
    }
}
