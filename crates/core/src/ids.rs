//! Validation of what the person types before anything is sent.

use crate::error::InputError;

/// Longest ID we accept; vendor IDs are UUIDs or short tokens, so more is a paste accident.
pub const MAX_ID_LEN: usize = 200;

/// Trims an ID and rejects empty, over-long or control-character input.
pub fn clean_id(field: &'static str, raw: &str) -> Result<String, InputError> {
    let id = raw.trim();
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
    Ok(id.to_string())
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
    let mut dups = 0;
    for part in raw.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let p = part.trim().trim_matches(|c| c == '"' || c == '\'');
        if p.is_empty() {
            continue;
        }
        if seen.insert(p.to_string()) {
            out.push(p.to_string());
        } else {
            dups += 1;
        }
    }
    (out, dups)
}

/// Checks a base URL: http(s), a host, no credentials, no query or fragment.
pub fn clean_base_url(raw: &str) -> Result<String, InputError> {
    let v = raw.trim();
    let bad = |reason: &str| InputError::BadUrl {
        value: v.to_string(),
        reason: reason.to_string(),
    };
    if v.is_empty() {
        return Err(InputError::Empty { field: "Base URL" });
    }
    // A path starting with "/" is a same-origin proxy path: allowed.
    if v.starts_with('/') && !v.starts_with("//") {
        if v.contains(['?', '#', ' ']) {
            return Err(bad("a proxy path cannot contain '?', '#' or spaces"));
        }
        return Ok(v.trim_end_matches('/').to_string());
    }
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or_else(|| bad("it must start with https:// (or http:// for a local proxy), or be a path such as /proxy/bland"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(bad("there is no host name"));
    }
    if host.contains('@') {
        return Err(bad(
            "credentials in the URL are not allowed; put the key in the API key field",
        ));
    }
    if v.contains(['?', '#', ' ']) {
        return Err(bad(
            "it cannot contain a query ('?'), a fragment ('#') or spaces",
        ));
    }
    Ok(v.trim_end_matches('/').to_string())
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
            clean_base_url(" https://api.bland.ai/ "),
            Ok("https://api.bland.ai".into())
        );
        assert_eq!(clean_base_url("/proxy/bland/"), Ok("/proxy/bland".into()));
        assert!(clean_base_url("ftp://x").is_err());
        assert!(clean_base_url("https://user:pw@x.y").is_err());
        assert!(clean_base_url("https://x.y/?key=1").is_err());
        assert!(clean_base_url("https://").is_err());
        assert!(clean_base_url("").is_err());
    }
}
