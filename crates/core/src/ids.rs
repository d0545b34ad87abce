//! Validation of what goes into a request: IDs (typed by a person or sent by a vendor),
//! pasted ID lists and connection base URLs.

use crate::error::InputError;

/// Longest ID we accept; vendor IDs are UUIDs or short tokens, so more is a paste accident.
pub const MAX_ID_LEN: usize = 200;

/// Trims an ID and rejects empty, over-long or control-character input.
pub fn clean_id(field: &'static str, raw: &str) -> Result<String, InputError> {
    check_id(field, raw.trim()).map(str::to_string)
}

fn check_id<'a>(field: &'static str, id: &'a str) -> Result<&'a str, InputError> {
    if id.is_empty() {
        return Err(InputError::Empty { field });
    }
    let len = id.chars().count();
    if len > MAX_ID_LEN {
        return Err(InputError::TooLong {
            field,
            len,
            max: MAX_ID_LEN,
        });
    }
    if id.chars().any(char::is_control) {
        return Err(InputError::ControlChar { field });
    }
    // Browsers treat "." and ".." path segments as navigation even when percent-encoded
    // (WHATWG URL: "%2e%2e" is a double-dot segment), so they could never reach the
    // endpoint as an ID.
    if id == "." || id == ".." {
        return Err(InputError::DotSegment { field });
    }
    Ok(id)
}

/// An ID that may become one segment of a request path. The only ways to make one run the
/// same checks, so no ID — typed, pasted, from a link or from a vendor's answer — can name
/// another endpoint, leave a segment empty or be resolved away by the browser.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PathId(String);

impl PathId {
    /// An ID a person typed: surrounding whitespace is dropped.
    pub fn typed(field: &'static str, raw: &str) -> Result<PathId, InputError> {
        clean_id(field, raw).map(PathId)
    }

    /// An ID a vendor sent: used exactly as sent, so surrounding whitespace is an error
    /// (trimming it would address a different object).
    pub fn from_vendor(field: &'static str, raw: &str) -> Result<PathId, InputError> {
        if raw.trim() != raw {
            return Err(InputError::Whitespace { field });
        }
        check_id(field, raw).map(|s| PathId(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PathId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Test shorthand: a [`PathId`] from a literal known to be valid.
#[cfg(test)]
pub(crate) fn pid(s: &str) -> PathId {
    PathId::typed("ID", s).expect("a valid test ID")
}

/// Burki's internal call ID: a non-negative integer.
pub fn clean_integer_id(field: &'static str, raw: &str) -> Result<u64, InputError> {
    let id = clean_id(field, raw)?;
    id.parse::<u64>()
        .map_err(|_| InputError::NotInteger { field, value: id })
}

/// Splits a pasted list (commas, whitespace, newlines, semicolons) into unique IDs,
/// keeping first-seen order. Returns the IDs and how many duplicates were dropped.
pub fn split_id_list(raw: &str) -> (Vec<String>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut dups = 0usize;
    for part in raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let p = part.trim().trim_matches(|c| c == '"' || c == '\'');
        if p.is_empty() {
            continue;
        }
        if seen.insert(p.to_string()) {
            out.push(p.to_string());
        } else {
            dups = dups.saturating_add(1);
        }
    }
    (out, dups)
}

/// Where a connection sends its requests, checked the way a browser will resolve it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BaseUrl {
    /// `http(s)://host[:port][/path]`, lowercase scheme, no trailing slash.
    Absolute {
        url: String,
        https: bool,
        /// Lowercased host as written (a name, an IPv4 address or `[IPv6]`), without the port.
        host: String,
    },
    /// A path on the console's own origin (a same-origin proxy such as `/proxy/bland`).
    SameOrigin { path: String },
}

impl BaseUrl {
    /// The value to store and to prefix request paths with.
    pub fn as_str(&self) -> &str {
        match self {
            BaseUrl::Absolute { url, .. } => url,
            BaseUrl::SameOrigin { path } => path,
        }
    }

    /// A plain-words warning for plain http to a host other than this machine: keys and
    /// payloads then cross the network unencrypted.
    pub fn warning(&self) -> Option<String> {
        match self {
            BaseUrl::Absolute {
                https: false, host, ..
            } if !is_loopback(host) => Some(format!(
                "This base URL uses plain http to {host}: the API key and every payload would cross the network unencrypted. Use https unless this is a proxy on a network you trust."
            )),
            _ => None,
        }
    }
}

/// `localhost`, `*.localhost`, `127.x.y.z` or `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "[::1]"
        || h.strip_prefix("127.").is_some_and(|rest| {
            let parts: Vec<&str> = rest.split('.').collect();
            parts.len() == 3 && parts.iter().all(|p| p.parse::<u8>().is_ok())
        })
}

/// Checks a base URL so that what is accepted is what the browser will call.
///
/// Browsers resolve URLs with the WHATWG rules, which are more forgiving than they look:
/// `\` counts as `/` (so `/\evil.example` is protocol-relative), tabs and newlines inside
/// a URL are dropped (so `/\t/evil.example` is too), `https:evil.example` and
/// `https:///evil.example` both reach `evil.example`, and percent-escapes in a host are
/// decoded. Rather than imitate all of that, only a plain subset is accepted: printable
/// ASCII without `\`, either `http(s)://` + a host of letters, digits, `-` and `.` (or an
/// `[IPv6]` literal) + an optional port and path, or a path that starts with exactly one
/// `/`. Everything else gets a reason. The host tests check every accepted value against
/// the `url` crate's WHATWG resolution.
pub fn clean_base_url(raw: &str) -> Result<BaseUrl, InputError> {
    let v = raw.trim();
    let bad = |reason: &str| InputError::BadUrl {
        value: v.to_string(),
        reason: reason.to_string(),
    };
    if v.is_empty() {
        return Err(InputError::Empty { field: "Base URL" });
    }
    if let Some(c) = v.chars().find(|c| !c.is_ascii()) {
        return Err(bad(&format!(
            "it contains “{c}” (U+{:04X}); write an international host name in its xn-- form and percent-encode other characters",
            c as u32
        )));
    }
    if v.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return Err(bad(
            "it contains a space, tab or line break (browsers drop some of these and would call a different address)",
        ));
    }
    if v.contains('\\') {
        return Err(bad(
            "it contains a backslash; browsers read “\\” as “/”, which can point the URL at another host",
        ));
    }
    if v.contains(['?', '#']) {
        return Err(bad("it cannot contain a query (“?”) or a fragment (“#”)"));
    }
    if let Some(rest) = v.strip_prefix('/') {
        if rest.starts_with('/') {
            return Err(bad(
                "a value starting with “//” points at another host; give https://host, or a path such as /proxy/bland",
            ));
        }
        let path = v.trim_end_matches('/');
        return Ok(BaseUrl::SameOrigin {
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
        });
    }
    let lower = v.to_ascii_lowercase();
    let (https, rest) = if lower.starts_with("https://") {
        (true, &v["https://".len()..])
    } else if lower.starts_with("http://") {
        (false, &v["http://".len()..])
    } else {
        return Err(bad(
            "it must start with https:// (or http:// for a local proxy), or be a path such as /proxy/bland",
        ));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err(bad("there is no host name right after the “//”"));
    }
    if authority.contains('@') {
        return Err(bad(
            "credentials in the URL are not allowed; put the key in the API key field",
        ));
    }
    let (host, port) = split_host_port(authority).map_err(|r| bad(&r))?;
    if let Some(p) = port {
        match p.parse::<u16>() {
            Ok(n) if n > 0 && !p.is_empty() && p.len() <= 5 => {}
            _ => return Err(bad("the port must be a number from 1 to 65535")),
        }
    }
    let scheme = if https { "https://" } else { "http://" };
    let url = format!("{scheme}{}{}", authority.to_ascii_lowercase(), path);
    Ok(BaseUrl::Absolute {
        url: url.trim_end_matches('/').to_string(),
        https,
        host: host.to_ascii_lowercase(),
    })
}

/// Splits `host[:port]` and checks the host's characters.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), String> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let end = inner
            .find(']')
            .ok_or("an IPv6 address must be closed with “]”")?;
        let (addr, after) = (&inner[..end], &inner[end.saturating_add(1)..]);
        if addr.is_empty()
            || !addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(
                "the IPv6 address holds characters other than hex digits, “:” and “.”".into(),
            );
        }
        let host = &authority[..end.saturating_add(2)];
        match after {
            "" => (host, None),
            p => (
                host,
                Some(
                    p.strip_prefix(':')
                        .ok_or("unexpected text after the IPv6 address")?,
                ),
            ),
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if !host.starts_with('[') {
        if host.is_empty() {
            return Err("there is no host name".into());
        }
        if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(
                "the host name may only hold letters, digits, “-” and “.” (percent-escapes and other signs are not allowed)"
                    .into(),
            );
        }
        if host.starts_with('.') || host.contains("..") {
            return Err("the host name has an empty label (“..” or a leading “.”)".into());
        }
        if host
            .split('.')
            .any(|l| l.starts_with('-') || l.ends_with('-'))
        {
            return Err("a part of the host name starts or ends with “-”".into());
        }
        // WHATWG reads a host whose last label is a number as an IPv4 address in any of
        // its old forms (`0x7f.1` is 127.0.0.1): accept only the plain dotted form.
        let last = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
        let numeric = !last.is_empty()
            && (last.chars().all(|c| c.is_ascii_digit())
                || last.to_ascii_lowercase().starts_with("0x"));
        if numeric && !is_dotted_quad(host) {
            return Err(
                "an IP address must be written as four numbers from 0 to 255 (e.g. 127.0.0.1)"
                    .into(),
            );
        }
    }
    Ok((host, port))
}

/// `a.b.c.d`, each 0–255 in plain decimal without leading zeros.
fn is_dotted_quad(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u8>().is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_trimmed_and_checked() {
        assert_eq!(clean_id("Call ID", "  abc \n"), Ok("abc".into()));
        assert_eq!(
            clean_id("Call ID", "   "),
            Err(InputError::Empty { field: "Call ID" })
        );
        assert!(matches!(
            clean_id("Call ID", "a\u{7}b"),
            Err(InputError::ControlChar { .. })
        ));
        assert!(matches!(
            clean_id("Call ID", &"x".repeat(201)),
            Err(InputError::TooLong { len: 201, .. })
        ));
    }

    #[test]
    fn vendor_ids_obey_the_same_rules_untrimmed() {
        assert_eq!(
            PathId::from_vendor("Log ID", "l-1").unwrap().as_str(),
            "l-1"
        );
        for bad in ["", "..", ".", " l-1", "l-1\n", "a\u{0}b"] {
            assert!(PathId::from_vendor("Log ID", bad).is_err(), "{bad:?}");
        }
        assert_eq!(PathId::typed("Call ID", " c ").unwrap().as_str(), "c");
    }

    #[test]
    fn burki_ids_are_integers() {
        assert_eq!(clean_integer_id("Call ID", " 42 "), Ok(42));
        let e = clean_integer_id("Call ID", "CA123").unwrap_err();
        assert!(e.to_string().contains("whole number"));
        assert!(clean_integer_id("Call ID", "-1").is_err());
    }

    #[test]
    fn id_lists() {
        let (ids, d) = split_id_list("a, b\nb;c  \"d\"\n\n a");
        assert_eq!(ids, vec!["a", "b", "c", "d"]);
        assert_eq!(d, 2);
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            clean_base_url(" https://api.bland.ai/ ").unwrap().as_str(),
            "https://api.bland.ai"
        );
        assert_eq!(
            clean_base_url("HTTPS://API.Bland.ai/V1/").unwrap().as_str(),
            "https://api.bland.ai/V1"
        );
        assert_eq!(
            clean_base_url("/proxy/bland/").unwrap(),
            BaseUrl::SameOrigin {
                path: "/proxy/bland".into()
            }
        );
        assert!(clean_base_url("ftp://x").is_err());
        assert!(clean_base_url("https://user:pw@x.y").is_err());
        assert!(clean_base_url("https://x.y/?key=1").is_err());
        assert!(clean_base_url("https://").is_err());
        assert!(clean_base_url("").is_err());
        assert!(clean_base_url("http://[::1]:8080/p").is_ok());
    }

    #[test]
    fn plain_http_warning_only_off_loopback() {
        let w = |s: &str| clean_base_url(s).unwrap().warning();
        assert!(w("http://proxy.corp.example")
            .unwrap()
            .contains("unencrypted"));
        assert_eq!(w("http://127.0.0.1:8787"), None);
        assert_eq!(w("http://localhost:3000"), None);
        assert_eq!(w("http://[::1]:3000"), None);
        assert_eq!(w("https://api.bland.ai"), None);
        assert_eq!(w("/proxy/bland"), None);
        assert!(w("http://127.0.0.1.evil.example").is_some());
    }

    /// The defect class: values that look like same-origin paths (or like one host) but
    /// that a browser resolves to another host. Each is refused.
    #[test]
    fn values_a_browser_resolves_elsewhere_are_refused() {
        for v in [
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "//evil.example",
            "///evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "https:evil.example",
            "https:/evil.example",
            "https:///evil.example",
            "https:\\\\evil.example",
            "https://api.bland.ai\\@evil.example",
            "https://api.bland.ai%40evil.example",
            "https://evil%2eexample",
            "https://api.bland.ai@evil.example",
            "https://:pw@evil.example",
            "http://evil.example:99999",
            "http://evil.example:abc",
            "https://\u{2215}evil.example",
            "/\u{ff3c}evil.example",
            "https://аpi.bland.ai",
            "javascript:alert(1)",
            "data:text/plain,x",
            "//",
            "/ /evil.example",
            "http://0x7f.1",
            "http://2130706433",
            "http://127.1",
        ] {
            assert!(clean_base_url(v).is_err(), "accepted {v:?}");
        }
    }
}
