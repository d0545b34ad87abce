//! The deployment's own settings: an optional `config.json` beside index.html, read once
//! at start-up, so a team changes them without a rebuild (README, "Runtime config").
//!
//! ```json
//! { "vendors": ["bland", "talkover"],
//!   "base_urls": { "bland": "/hookscope/proxy/bland" },
//!   "remember_keys": false,
//!   "connections": [
//!     { "name": "Bland prod", "vendor": "bland", "base_url": "/hookscope/api/bland", "key": "proxy" } ],
//!   "session": "session.json" }
//! ```
//!
//! `connections` are managed: the same for everyone of the team, never edited or stored in
//! the browser, and their key is added by the deployment's proxy (`"key": "proxy"`: the
//! only value, so no key can ever be written into this file). `session` names the file
//! the proxy answers with who is signed in (`platform::session`).
//!
//! A missing file means the defaults. A file that cannot be used is reported in
//! `config-problem` and ignored in whole or in part, never fatal.

use hookscope_core::connection::{rules, Connection};
use hookscope_core::domain::Vendor;
use hookscope_core::error::shorten;
use hookscope_core::ids::clean_base_url;
use serde_json::Value;

/// What `config.json` may set; everything else keeps its built-in default.
#[derive(Clone, Debug, PartialEq)]
pub struct RuntimeConfig {
    /// Vendors offered for new connections and as demo connections (all by default).
    pub vendors: Vec<Vendor>,
    /// The base URL a new connection starts with, per vendor (a proxy path, say).
    base_urls: [Option<String>; 3],
    /// Whether "Remember on this device" is offered at all.
    pub remember_keys: bool,
    /// Connections the deployment declares for everyone (`Connection::managed`).
    pub connections: Vec<Connection>,
    /// Where the proxy says who is signed in (a same-origin path), if it does.
    pub session: Option<String>,
    /// Who is signed in, once `session` was read (`platform::session::load`).
    pub signed_in: Option<crate::platform::session::Session>,
    /// What could not be used, one sentence each (shown in `config-problem`).
    pub problems: Vec<String>,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            vendors: Vendor::ALL.to_vec(),
            base_urls: [None, None, None],
            remember_keys: true,
            connections: Vec::new(),
            session: None,
            signed_in: None,
            problems: Vec::new(),
        }
    }
}

const KNOWN: &str = "vendors, base_urls, remember_keys, connections, session";

fn slot(v: Vendor) -> usize {
    Vendor::ALL.iter().position(|x| *x == v).unwrap_or(0)
}

impl RuntimeConfig {
    pub fn shows(&self, vendor: Vendor) -> bool {
        self.vendors.contains(&vendor)
    }

    /// The base URL a new connection for `vendor` starts with.
    pub fn base_url(&self, vendor: Vendor) -> &str {
        self.base_urls[slot(vendor)]
            .as_deref()
            .unwrap_or_else(|| vendor.default_base_url())
    }

    /// True if `url` is what some vendor's connection starts with (so the form may
    /// follow a change of vendor without overwriting what the person typed).
    pub fn is_a_default(&self, url: &str) -> bool {
        Vendor::ALL.iter().any(|v| self.base_url(*v) == url)
    }

    /// Reads the file's text. Whatever cannot be used is said and left at its default.
    pub fn parse(text: &str) -> RuntimeConfig {
        let mut cfg = RuntimeConfig::default();
        let root: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                cfg.problems.push(format!(
                    "config.json is not valid JSON (line {}, column {}: {}); the built-in defaults are used.",
                    e.line(),
                    e.column(),
                    e
                ));
                return cfg;
            }
        };
        let Value::Object(map) = root else {
            cfg.problems.push(
                "config.json must hold one JSON object ({ \"vendors\": [...], ... }); the built-in defaults are used."
                    .into(),
            );
            return cfg;
        };
        for (key, value) in map {
            match key.as_str() {
                "vendors" => cfg.read_vendors(&value),
                "base_urls" => cfg.read_base_urls(&value),
                "remember_keys" => match value {
                    Value::Bool(b) => cfg.remember_keys = b,
                    other => cfg.problems.push(format!(
                        "config.json: remember_keys must be true or false, not {}; keys may be remembered.",
                        brief(&other)
                    )),
                },
                "connections" => cfg.read_connections(&value),
                "session" => cfg.read_session(&value),
                other => cfg.problems.push(format!(
                    "config.json: the setting “{}” is unknown and was ignored (known: {KNOWN}).",
                    clip(other)
                )),
            }
        }
        cfg
    }

    fn read_vendors(&mut self, value: &Value) {
        let Value::Array(items) = value else {
            self.problems.push(format!(
                "config.json: vendors must be a list such as [\"bland\", \"talkover\"], not {}; every vendor is shown.",
                brief(value)
            ));
            return;
        };
        let mut shown = Vec::new();
        for item in items {
            match item.as_str().and_then(Vendor::parse) {
                Some(v) if !shown.contains(&v) => shown.push(v),
                Some(_) => {}
                None => self.problems.push(format!(
                    "config.json: vendors lists {}, which is not one of bland, burki, talkover; it was ignored.",
                    brief(item)
                )),
            }
        }
        if shown.is_empty() {
            self.problems
                .push("config.json: vendors names no known vendor; every vendor is shown.".into());
        } else {
            shown.sort();
            self.vendors = shown;
        }
    }

    fn read_base_urls(&mut self, value: &Value) {
        let Value::Object(map) = value else {
            self.problems.push(format!(
                "config.json: base_urls must map a vendor to a URL ({{ \"bland\": \"/proxy/bland\" }}), not {}; the vendors' own hosts are used.",
                brief(value)
            ));
            return;
        };
        for (key, url) in map {
            let Some(vendor) = Vendor::parse(key) else {
                self.problems.push(format!(
                    "config.json: base_urls names “{}”, which is not one of bland, burki, talkover; it was ignored.",
                    clip(key)
                ));
                continue;
            };
            let Some(raw) = url.as_str() else {
                self.problems.push(format!(
                    "config.json: base_urls.{} must be a URL in quotes, not {}; {} is used.",
                    vendor.id(),
                    brief(url),
                    vendor.default_base_url()
                ));
                continue;
            };
            match clean_base_url(raw) {
                Ok(clean) => self.base_urls[slot(vendor)] = Some(clean.as_str().to_string()),
                Err(e) => self.problems.push(format!(
                    "config.json: base_urls.{}: {e} {} is used.",
                    vendor.id(),
                    vendor.default_base_url()
                )),
            }
        }
    }
}

impl RuntimeConfig {
    /// The managed connections: each entry is checked with the connection form's rules;
    /// one that cannot be used is named (never its values beyond the name, in case a key
    /// was pasted into it) and skipped, and the others apply.
    fn read_connections(&mut self, value: &Value) {
        let Value::Array(items) = value else {
            self.problems.push(format!(
                "config.json: connections must be a list of connections ([{{ \"name\": …, \"vendor\": …, \"base_url\": …, \"key\": \"proxy\" }}]), not {}; none were added.",
                kind_of(value)
            ));
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let n = i.saturating_add(1);
            match managed_connection(item) {
                Ok(c) if self.connections.iter().any(|o| o.name == c.name) => {
                    self.problems.push(format!(
                        "config.json: connection #{n} repeats the name “{}”; it was skipped.",
                        c.name
                    ))
                }
                Ok(c) => self.connections.push(c),
                Err(why) => self
                    .problems
                    .push(format!("config.json: connection #{n} was skipped: {why}.")),
            }
        }
    }

    fn read_session(&mut self, value: &Value) {
        match value.as_str().map(session_path) {
            Some(Ok(path)) => self.session = Some(path),
            Some(Err(why)) => self.problems.push(format!(
                "config.json: session {why}; no one is shown as signed in."
            )),
            None => self.problems.push(format!(
                "config.json: session must be the path of the session file in quotes (\"session.json\"), not {}; no one is shown as signed in.",
                kind_of(value)
            )),
        }
    }
}

/// One managed connection from its JSON, or why not (in words that never repeat a value
/// other than the name: a key may have been pasted into any field).
fn managed_connection(v: &Value) -> Result<Connection, String> {
    let o = v
        .as_object()
        .ok_or_else(|| format!("it is {}, not an object", kind_of(v)))?;
    for k in o.keys() {
        if ![
            "name",
            "vendor",
            "base_url",
            "key",
            "readonly",
            "timeout_secs",
        ]
        .contains(&k.as_str())
        {
            return Err(format!(
                "“{}” is not a connection setting (name, vendor, base_url, key, readonly, timeout_secs)",
                clip(k)
            ));
        }
    }
    let name = rules::name(o.get("name").and_then(Value::as_str).unwrap_or(""))
        .map_err(|e| e.trim_end_matches('.').to_string())?;
    let named = |why: String| format!("“{name}”: {why}");
    let vendor = o
        .get("vendor")
        .and_then(Value::as_str)
        .and_then(Vendor::parse)
        .ok_or_else(|| named("vendor must be one of bland, burki, talkover".into()))?;
    let base_url = o
        .get("base_url")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            named("base_url is required (the proxy path, e.g. /hookscope/api/bland)".into())
        })
        .and_then(|u| {
            clean_base_url(u)
                .map(|c| c.as_str().to_string())
                .map_err(|e| named(format!("base_url: {e}")))
        })?;
    match o.get("key") {
        Some(Value::String(k)) if k == "proxy" => {}
        Some(_) => {
            return Err(named(
                "key must be \"proxy\" (the proxy adds the key; a key never goes into config.json, which every visitor can read — if one was put there, change it at the vendor now)".into(),
            ))
        }
        None => return Err(named("key is required and must be \"proxy\"".into())),
    }
    let readonly = match o.get("readonly") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(named("readonly must be true or false".into())),
    };
    let mut c = Connection::managed(name.clone(), vendor, base_url);
    c.readonly = readonly;
    if let Some(t) = o.get("timeout_secs").filter(|t| !t.is_null()) {
        c.timeout_secs = rules::timeout(&t.to_string()).map_err(named)?;
    }
    Ok(c)
}

/// The session file's path: a path of this site (never another origin), relative to
/// where hookscope is served or absolute.
fn session_path(raw: &str) -> Result<String, String> {
    let p = raw.trim();
    if p.is_empty() {
        return Err("is empty".into());
    }
    if p.contains("://") || p.starts_with("//") || p.contains('\\') || p.contains("..") {
        return Err(format!(
            "must be a path on this site (“session.json” or “/hookscope/session.json”), not “{}”",
            clip(p)
        ));
    }
    if p.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("holds a space or a control character".into());
    }
    Ok(p.to_string())
}

/// What kind of JSON value `v` is, for messages that must not echo it.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value as the messages name it: its JSON, cut short.
fn brief(v: &Value) -> String {
    clip(&v.to_string())
}

fn clip(s: &str) -> String {
    shorten(s, 60)
}

/// How long start-up waits for `config.json` before going on with the defaults.
#[cfg(target_arch = "wasm32")]
const WAIT_MS: u32 = 3_000;

/// Fetches `config.json` beside index.html. Absent (404, or the HTML page a single-page
/// fallback answers with), unreachable or slow: the defaults, with a word if it matters.
#[cfg(target_arch = "wasm32")]
pub async fn load() -> RuntimeConfig {
    use futures::future::{select, Either};
    use futures::FutureExt;
    let url = crate::platform::base::href("/config.json");
    let fetch = async move {
        let resp = gloo_net::http::Request::get(&url)
            .cache(web_sys::RequestCache::NoCache)
            .send()
            .await
            .map_err(|_| ())?;
        let html = resp
            .headers()
            .get("content-type")
            .is_some_and(|t| t.contains("html"));
        if !resp.ok() || html {
            return Ok(None);
        }
        resp.text().await.map(Some).map_err(|_| ())
    };
    let timer = gloo_timers::future::TimeoutFuture::new(WAIT_MS);
    let mut cfg = match select(fetch.boxed_local(), timer).await {
        Either::Left((Ok(Some(text)), _)) => RuntimeConfig::parse(&text),
        Either::Left((Ok(None), _)) | Either::Left((Err(()), _)) => RuntimeConfig::default(),
        Either::Right(_) => RuntimeConfig {
            problems: vec![format!(
                "config.json did not arrive within {} s; the built-in defaults are used.",
                WAIT_MS / 1000
            )],
            ..RuntimeConfig::default()
        },
    };
    if let Some(path) = cfg.session.clone() {
        match crate::platform::session::load(&path).await {
            Ok(s) => cfg.signed_in = Some(s),
            Err(why) => cfg.problems.push(why),
        }
    }
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_sets_everything() {
        let c = RuntimeConfig::parse(
            r#"{"vendors":["talkover","bland"],"base_urls":{"bland":"/hookscope/proxy/bland/"},"remember_keys":false}"#,
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.vendors, vec![Vendor::Bland, Vendor::Talkover]);
        assert!(!c.shows(Vendor::Burki));
        assert_eq!(c.base_url(Vendor::Bland), "/hookscope/proxy/bland");
        assert_eq!(c.base_url(Vendor::Burki), "https://api.burki.dev");
        assert!(c.is_a_default("/hookscope/proxy/bland"));
        assert!(!c.remember_keys);
    }

    #[test]
    fn an_unusable_file_is_said_and_the_defaults_stay() {
        for text in ["", "{", "[1]", "null", "\"x\"", "{\"vendors\": }"] {
            let c = RuntimeConfig::parse(text);
            assert_eq!(c.problems.len(), 1, "{text}: {:?}", c.problems);
            assert!(
                c.problems[0].contains("defaults are used"),
                "{:?}",
                c.problems
            );
            assert_eq!(
                RuntimeConfig {
                    problems: vec![],
                    ..c
                },
                RuntimeConfig::default()
            );
        }
    }

    #[test]
    fn each_bad_setting_is_said_and_the_rest_applies() {
        let c = RuntimeConfig::parse(
            r#"{"vendors":["bland","acme",3],"base_urls":{"burki":"javascript:alert(1)","talkover":7,"x":"/p"},"remember_keys":"no","theme":"dark"}"#,
        );
        assert_eq!(c.vendors, vec![Vendor::Bland]);
        assert_eq!(c.base_url(Vendor::Burki), "https://api.burki.dev");
        assert!(c.remember_keys);
        let all = c.problems.join("\n");
        for needle in [
            "\"acme\"",
            " 3,",
            "base_urls.burki",
            "base_urls.talkover",
            "“x”",
            "remember_keys must be true or false",
            "“theme” is unknown",
        ] {
            assert!(all.contains(needle), "{needle} missing from:\n{all}");
        }
        assert_eq!(c.problems.len(), 7, "{all}");
    }

    #[test]
    fn the_shipped_example_reads_cleanly() {
        let c = RuntimeConfig::parse(include_str!("../../deploy/config.example.json"));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert!(!c.remember_keys);
    }

    #[test]
    fn no_known_vendor_shows_them_all() {
        let c = RuntimeConfig::parse(r#"{"vendors":[]}"#);
        assert_eq!(c.vendors, Vendor::ALL.to_vec());
        assert_eq!(c.problems.len(), 1);
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "a".repeat(500);
        let c = RuntimeConfig::parse(&format!(r#"{{"{long}":1}}"#));
        assert!(c.problems[0].chars().count() < 200, "{}", c.problems[0]);
    }

    #[test]
    fn the_team_example_declares_managed_connections() {
        let c = RuntimeConfig::parse(include_str!("../../deploy/config.team.example.json"));
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert!(!c.connections.is_empty());
        assert!(c.connections.iter().all(|c| c.managed && c.key.is_empty()));
        assert_eq!(c.session.as_deref(), Some("session.json"));
    }

    /// Every bad entry is named and skipped; the good ones and the rest of the file apply.
    #[test]
    fn bad_managed_connections_are_named_and_skipped() {
        let c = RuntimeConfig::parse(
            r#"{"connections": [
                {"name": "Bland prod", "vendor": "bland", "base_url": "/hookscope/api/bland", "key": "proxy"},
                {"name": "Burki prod", "vendor": "burki", "base_url": "/hookscope/api/burki", "key": "proxy", "readonly": true, "timeout_secs": 20},
                {"name": "Bland prod", "vendor": "bland", "base_url": "/x", "key": "proxy"},
                {"name": "Leaky", "vendor": "talkover", "base_url": "/t", "key": "talq_SECRETSECRETSECRET"},
                {"name": "No key", "vendor": "talkover", "base_url": "/t"},
                {"name": "Odd", "vendor": "acme", "base_url": "/t", "key": "proxy"},
                {"name": "Evil", "vendor": "bland", "base_url": "/\\evil.example", "key": "proxy"},
                {"name": "Extra", "vendor": "bland", "base_url": "/b", "key": "proxy", "apikey": "sk-x"},
                {"vendor": "bland", "base_url": "/b", "key": "proxy"},
                {"name": "Slow", "vendor": "bland", "base_url": "/b", "key": "proxy", "timeout_secs": 9999},
                "junk"
              ],
              "session": "https://elsewhere.example/session.json",
              "remember_keys": false}"#,
        );
        let names: Vec<&str> = c.connections.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Bland prod", "Burki prod"]);
        assert!(c.connections[1].readonly && c.connections[1].timeout_secs == 20);
        assert!(!c.remember_keys, "the rest of the file applies");
        assert_eq!(c.session, None);
        let all = c.problems.join("\n");
        for said in [
            "#3 repeats the name “Bland prod”",
            "#4 was skipped: “Leaky”: key must be \"proxy\"",
            "#5 was skipped: “No key”: key is required",
            "#6 was skipped: “Odd”: vendor must be",
            "#7 was skipped: “Evil”: base_url",
            "#8 was skipped: “apikey” is not a connection setting",
            "#9 was skipped: Name is required",
            "#10 was skipped: “Slow”: Timeout must be",
            "#11 was skipped: it is text, not an object",
            "session must be a path on this site",
        ] {
            assert!(all.contains(said), "{said} missing from:\n{all}");
        }
        assert!(
            !all.contains("SECRET") && !all.contains("sk-x"),
            "a key is never repeated: {all}"
        );
    }

    #[test]
    fn session_paths_stay_on_this_site() {
        for ok in ["session.json", "/hookscope/session.json", "me/session"] {
            assert_eq!(session_path(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "",
            "//evil/x",
            "https://evil/x",
            "..\\x",
            "../x",
            "a b",
            "\\\\evil",
        ] {
            assert!(session_path(bad).is_err(), "{bad}");
        }
        let c = RuntimeConfig::parse(r#"{"session": 3}"#);
        assert!(c.problems[0].contains("not a number"));
    }
}

/// Any text at all: parsing never panics, says each problem in a sentence, and never
/// repeats a value put in a connection's `key`.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_is_read_or_said(text in ".{0,400}") {
            let c = RuntimeConfig::parse(&text);
            for p in &c.problems {
                prop_assert!(p.ends_with('.') || p.ends_with(')'), "{}", p);
            }
        }

        #[test]
        fn a_key_in_config_is_never_repeated(
            key in "[A-Za-z0-9_]{12,40}",
            name in "[A-Za-z ]{1,20}",
            vendor in prop::sample::select(vec!["bland", "burki", "talkover", "x"]),
        ) {
            prop_assume!(key != "proxy");
            let text = serde_json::json!({"connections": [{"name": name, "vendor": vendor, "base_url": "/p", "key": key}]}).to_string();
            let c = RuntimeConfig::parse(&text);
            prop_assert!(c.connections.is_empty());
            prop_assert!(!c.problems.join(" ").contains(&key));
        }

        #[test]
        fn any_session_text_is_read_or_said(text in ".{0,200}") {
            let _ = crate::platform::session::Session::parse(&text);
        }
    }
}
