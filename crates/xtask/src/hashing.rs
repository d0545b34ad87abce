//! Content-hashed file names and subresource-integrity values.
//!
//! Every file but `index.html` is named by the hash of its final bytes, so a name never
//! changes meaning and the shipped server configs may cache it for a year (they match
//! `^/hookscope/[^/]+-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)$`; [`is_hashed_name`] is that rule).

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

/// Hex digits of SHA-256 in a name: 64 bits, far more than enough to tell builds apart.
const NAME_HEX: usize = 16;

/// `stem-<16 hex of sha256(bytes)><suffix>`, e.g. `hashed_name("style", b, ".css")`.
/// `suffix` is `.js`, `.css`, `.wasm` or `_bg.wasm` (wasm-bindgen's main module).
pub fn hashed_name(stem: &str, bytes: &[u8], suffix: &str) -> String {
    assert!(
        !stem.is_empty() && !stem.contains('/'),
        "a file stem without folders: {stem:?}"
    );
    let hex: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let name = format!("{stem}-{}{suffix}", &hex[..NAME_HEX]);
    assert!(is_hashed_name(&name), "not a cacheable name: {name}");
    name
}

/// The value of an `integrity` attribute (or `fetch`'s `integrity` option) for `bytes`.
pub fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// Whether the deployment configs cache `name` (no folder) for a year: the rule of
/// `deploy/nginx/hookscope.conf`, `[^/]+-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)`.
pub fn is_hashed_name(name: &str) -> bool {
    let Some((rest, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !matches!(ext, "js" | "wasm" | "css") || name.contains('/') {
        return false;
    }
    let rest = rest.strip_suffix("_bg").unwrap_or(rest);
    rest.rsplit_once('-').is_some_and(|(stem, hex)| {
        !stem.is_empty()
            && hex.len() >= 8
            && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// SHA-256 of a file's bytes in hex (the manifest names the `index.html` it describes).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_content() {
        let a = hashed_name("split_results", b"one", ".wasm");
        assert_eq!(a, hashed_name("split_results", b"one", ".wasm"));
        assert_ne!(a, hashed_name("split_results", b"two", ".wasm"));
        // sha256("one") = 7692c3ad…
        assert_eq!(a, "split_results-7692c3ad3540bb80.wasm");
        assert_eq!(
            hashed_name("hookscope", b"one", "_bg.wasm"),
            "hookscope-7692c3ad3540bb80_bg.wasm"
        );
    }

    #[test]
    fn the_cache_rule_of_the_deployment_configs() {
        for yes in [
            "hookscope-0123abcd.js",
            "hookscope-0123456789abcdef_bg.wasm",
            "chunk_5-0123456789abcdef.wasm",
            "style-deadbeef00.css",
            "a-b-deadbeef.js",
        ] {
            assert!(is_hashed_name(yes), "{yes}");
        }
        for no in [
            "index.html",
            "hookscope.js",
            "hookscope-0123abc.js",
            "hookscope-0123ABCD.js",
            "hookscope-0123abcd.json",
            "-0123abcd.js",
            "x/hookscope-0123abcd.js",
            "hookscope-0123abcd.js.br",
            "hookscope-0123abcd.wasm.gz",
        ] {
            assert!(!is_hashed_name(no), "{no}");
        }
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // The example of the W3C's Subresource Integrity recommendation.
        assert_eq!(
            sri(b"alert('Hello, world.');"),
            "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
        );
    }
}
