//! Where the console is served: `/` or a sub-path such as `/hookscope/` (built with
//! `trunk build --public-url /hookscope/`). The boot file knows the public URL Trunk
//! wrote (the boot file written by `cargo xtask release` sets `window.__hookscopeBase`), so one build serves
//! deep links under its sub-path without a `<base>` element (the CSP forbids one).

use std::sync::OnceLock;

static BASE: OnceLock<String> = OnceLock::new();

/// The sub-path without a trailing slash: `""` at the root, `"/hookscope"` below it.
pub fn base() -> &'static str {
    BASE.get_or_init(|| {
        let raw = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"__hookscopeBase".into()).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        normalize(&raw)
    })
}

/// A public URL as Trunk writes it (`/`, `/hookscope/`) made a router base. Anything
/// that is not a plain absolute path (a full URL, `./`) counts as the root.
pub fn normalize(raw: &str) -> String {
    let path = raw.trim().trim_end_matches('/');
    let plain = path.starts_with('/')
        && !path.starts_with("//")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.~".contains(c));
    if plain {
        path.to_string()
    } else {
        String::new()
    }
}

/// An app path (`/explorer?…`) as the address an `<a>` or `<A>` needs (the router's `<A>`
/// leaves absolute paths alone; its `navigate` adds the base itself).
pub fn href(path: &str) -> String {
    format!("{}{path}", base())
}

/// A browser path with the sub-path taken off (`/hookscope/bulk` → `/bulk`).
pub fn app_path(path: &str) -> &str {
    strip(base(), path)
}

fn strip<'a>(base: &str, path: &'a str) -> &'a str {
    match path.strip_prefix(base) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_become_router_bases() {
        assert_eq!(normalize("/"), "");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("/hookscope/"), "/hookscope");
        assert_eq!(normalize("/a/b"), "/a/b");
        assert_eq!(normalize("./"), "");
        assert_eq!(normalize("https://cdn.example/x/"), "");
        assert_eq!(normalize("//evil.example/"), "");
        assert_eq!(normalize("/x\"y/"), "");
    }

    #[test]
    fn the_sub_path_comes_off_whole_segments_only() {
        assert_eq!(strip("/hookscope", "/hookscope/bulk"), "/bulk");
        assert_eq!(strip("/hookscope", "/hookscope"), "");
        assert_eq!(strip("/hookscope", "/hookscopex/bulk"), "/hookscopex/bulk");
        assert_eq!(strip("", "/bulk"), "/bulk");
    }
}
