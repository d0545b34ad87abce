//! The deployment's own settings: an optional `config.json` beside index.html, read once
//! at start-up, so a team changes them without a rebuild (README, "Runtime config").
//!
//! ```json
//! { "vendors": ["bland", "talkover"],
//!   "base_urls": { "bland": "/hookscope/proxy/bland" },
//!   "remember_keys": false }
//! ```
//!
//! A missing file means the defaults. A file that cannot be used is reported in
//! `config-problem` and ignored in whole or in part, never fatal.

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
    /// What could not be used, one sentence each (shown in `config-problem`).
    pub problems: Vec<String>,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        RuntimeConfig {
            vendors: Vendor::ALL.to_vec(),
            base_urls: [None, None, None],
            remember_keys: true,
            problems: Vec::new(),
        }
    }
}

const KNOWN: &str = "vendors, base_urls, remember_keys";

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
    match select(fetch.boxed_local(), timer).await {
        Either::Left((Ok(Some(text)), _)) => RuntimeConfig::parse(&text),
        Either::Left((Ok(None), _)) | Either::Left((Err(()), _)) => RuntimeConfig::default(),
        Either::Right(_) => RuntimeConfig {
            problems: vec![format!(
                "config.json did not arrive within {} s; the built-in defaults are used.",
                WAIT_MS / 1000
            )],
            ..RuntimeConfig::default()
        },
    }
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
        assert!(c.problems[0].chars().count() < 160, "{}", c.problems[0]);
    }
}
