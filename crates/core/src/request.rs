//! The one HTTP request shape every adapter builds and every transport sends.

use crate::domain::Vendor;
use crate::ids::PathId;
use crate::secret::ApiKey;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Characters left as they are in a path segment or query value: RFC 3986 unreserved.
/// Everything else (`/`, `?`, `#`, `%`, spaces, unicode, `..` stays harmless because `/` is encoded)
/// is percent-encoded, so no ID can change which endpoint is called.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one path segment or query value.
pub fn encode_component(s: &str) -> String {
    let enc = utf8_percent_encode(s, STRICT).to_string();
    // "." and ".." are path-navigation segments. Encoding the dots is not enough for
    // browsers (they resolve "%2E%2E" too), so `ids::clean_id` refuses such IDs; this
    // keeps non-browser transports (the simulator tests) from resolving them.
    if enc == "." || enc == ".." {
        enc.replace('.', "%2E")
    } else {
        enc
    }
}

/// An HTTP request to a vendor, relative to a connection's base URL.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiRequest {
    pub vendor: Vendor,
    pub method: Method,
    /// Already percent-encoded, starting with `/`.
    pub path: String,
    /// Unencoded pairs; encoded by [`ApiRequest::path_and_query`].
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl ApiRequest {
    /// Builds a path from literal parts and checked IDs, encoding the latter.
    pub fn build_path(parts: &[PathPart<'_>]) -> String {
        let mut out = String::new();
        for p in parts {
            out.push('/');
            match p {
                PathPart::Lit(s) => out.push_str(s),
                PathPart::Seg(s) => out.push_str(&encode_component(s.as_str())),
                PathPart::Int(n) => out.push_str(&n.to_string()),
            }
        }
        out
    }

    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let q: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect();
        format!("{}?{}", self.path, q.join("&"))
    }

    /// Full URL under `base` (trailing slashes on the base are ignored).
    pub fn url(&self, base: &str) -> String {
        format!(
            "{}{}",
            base.trim().trim_end_matches('/'),
            self.path_and_query()
        )
    }

    /// Short label for messages: method and path, never the base or a key.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path_and_query())
    }

    /// The auth header this vendor expects.
    pub fn auth_header(&self, key: &ApiKey) -> (&'static str, String) {
        auth_header(self.vendor, key.expose())
    }
}

/// One part of a request path. IDs can only enter as a [`PathId`] (checked) or an integer.
pub enum PathPart<'a> {
    Lit(&'static str),
    Seg(&'a PathId),
    Int(u64),
}

/// Bland takes the bare key in `authorization`; Burki and Talkover take `Bearer <token>`.
/// `key` is bare ([`ApiKey::parse`] drops a pasted "Bearer "); the header name is what a
/// curl command shows too.
pub fn auth_header(vendor: Vendor, key: &str) -> (&'static str, String) {
    match vendor {
        Vendor::Bland => ("authorization", key.to_string()),
        Vendor::Burki | Vendor::Talkover => ("Authorization", format!("Bearer {key}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_stay_in_their_segment() {
        for (id, want) in [
            ("../x", "..%2Fx"),
            ("a?b", "a%3Fb"),
            ("a#b", "a%23b"),
            ("a b", "a%20b"),
            ("ünï", "%C3%BCn%C3%AF"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("a%2Fb", "a%252Fb"),
            ("call-1_x.y~z", "call-1_x.y~z"),
        ] {
            assert_eq!(encode_component(id), want, "{id}");
        }
        let id = PathId::typed("Call ID", "../../admin").unwrap();
        let p =
            ApiRequest::build_path(&[PathPart::Lit("v1/postcall/webhooks"), PathPart::Seg(&id)]);
        assert_eq!(p, "/v1/postcall/webhooks/..%2F..%2Fadmin");
    }

    #[test]
    fn url_and_label() {
        let r = ApiRequest {
            vendor: Vendor::Talkover,
            method: Method::Get,
            path: "/api/v1/agents/a/webhooks/w/logs".into(),
            query: vec![
                ("per_page".into(), "100".into()),
                ("page".into(), "2".into()),
            ],
            body: None,
        };
        assert_eq!(
            r.url("https://app.talkover.ai/"),
            "https://app.talkover.ai/api/v1/agents/a/webhooks/w/logs?per_page=100&page=2"
        );
        assert_eq!(
            r.label(),
            "GET /api/v1/agents/a/webhooks/w/logs?per_page=100&page=2"
        );
    }

    #[test]
    fn auth_headers() {
        let key = |s: &str| ApiKey::parse(s).unwrap();
        let req = |v: Vendor| ApiRequest {
            vendor: v,
            method: Method::Get,
            path: "/".into(),
            query: vec![],
            body: None,
        };
        for (vendor, pasted, want) in [
            (Vendor::Bland, " sk-1 ", ("authorization", "sk-1")),
            (Vendor::Bland, "Bearer sk-1", ("authorization", "sk-1")),
            (Vendor::Burki, "tok", ("Authorization", "Bearer tok")),
            (
                Vendor::Talkover,
                "Bearer talq_x",
                ("Authorization", "Bearer talq_x"),
            ),
        ] {
            assert_eq!(
                req(vendor).auth_header(&key(pasted)),
                (want.0, want.1.to_string()),
                "{vendor:?} {pasted:?}"
            );
        }
    }
}
