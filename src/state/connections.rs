//! Saved connections (vendor, name, base URL, key) and where each part is kept.
//!
//! - Connection settings (never keys) live in localStorage under [`CONNECTIONS_KEY`].
//! - A key lives only in this tab's memory, unless the person ticks "remember on this
//!   device": then it is also stored under [`KEYS_KEY`]. `forget_keys` removes them all.
//! - With nothing stored yet, one demo connection per vendor is offered.

use super::storage;
use hookscope_core::domain::Vendor;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const CONNECTIONS_KEY: &str = "hookscope.connections.v1";
pub const KEYS_KEY: &str = "hookscope.keys.v1";
/// Where an unreadable stored value is moved so nothing is silently lost.
pub const CORRUPT_KEY: &str = "hookscope.connections.unreadable";
pub const DEFAULT_TIMEOUT_SECS: u32 = 30;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    pub name: String,
    pub vendor: Vendor,
    pub base_url: String,
    /// Never serialised with the settings; see the module docs.
    #[serde(skip)]
    pub key: String,
    #[serde(default)]
    pub remember: bool,
    #[serde(default)]
    pub demo: bool,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u32,
}

fn default_timeout() -> u32 {
    DEFAULT_TIMEOUT_SECS
}

impl Connection {
    pub fn demo(vendor: Vendor) -> Connection {
        Connection {
            name: format!("Demo {}", vendor.label()),
            vendor,
            base_url: vendor.default_base_url().to_string(),
            key: String::new(),
            remember: false,
            demo: true,
            timeout_secs: DEFAULT_TIMEOUT_SECS,
        }
    }

    /// A short, masked view of the key for display: `••••abcd`.
    pub fn masked_key(&self) -> String {
        let k = self.key.trim();
        if k.is_empty() {
            return if self.demo {
                "not needed (demo)".into()
            } else {
                "none — add one to use this connection".into()
            };
        }
        let tail: String = k
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if k.chars().count() <= 8 {
            "••••".into()
        } else {
            format!("••••{tail}")
        }
    }
}

/// All connections, shared through context.
#[derive(Clone, Copy)]
pub struct Connections {
    pub list: RwSignal<Vec<Connection>>,
    /// A message about storage that the person should see (unreadable data, storage refused).
    pub notice: RwSignal<Option<String>>,
}

/// What `load` found in storage.
#[derive(Debug, PartialEq)]
pub struct Loaded {
    pub list: Vec<Connection>,
    pub notice: Option<String>,
}

/// Parses the stored settings and keys (pure: testable without a browser).
pub fn parse_stored(settings: Option<&str>, keys: Option<&str>) -> Loaded {
    let mut notice = None;
    let mut list: Vec<Connection> = match settings {
        None => Vendor::ALL.iter().map(|v| Connection::demo(*v)).collect(),
        Some(s) => match serde_json::from_str::<Vec<Connection>>(s) {
            Ok(l) => l,
            Err(e) => {
                notice = Some(format!(
                    "Saved connections could not be read ({e}). Demo connections are shown instead; the unreadable value was kept in this browser's storage under “{CORRUPT_KEY}”."
                ));
                Vendor::ALL.iter().map(|v| Connection::demo(*v)).collect()
            }
        },
    };
    if let Some(k) = keys {
        match serde_json::from_str::<BTreeMap<String, String>>(k) {
            Ok(map) => {
                for c in list.iter_mut() {
                    if let Some(key) = map.get(&c.name) {
                        c.key = key.clone();
                        c.remember = true;
                    }
                }
            }
            Err(_) => {
                notice = Some("Remembered API keys could not be read and were ignored; enter them again in Connections.".into());
            }
        }
    }
    // Names identify connections (URLs, the lookup form); drop later duplicates.
    let mut seen = std::collections::HashSet::new();
    list.retain(|c| seen.insert(c.name.clone()));
    Loaded { list, notice }
}

impl Connections {
    pub fn load() -> Connections {
        let settings = storage::get(CONNECTIONS_KEY);
        let keys = storage::get(KEYS_KEY);
        let loaded = parse_stored(settings.as_deref(), keys.as_deref());
        if loaded.notice.is_some() {
            if let Some(s) = &settings {
                if serde_json::from_str::<Vec<Connection>>(s).is_err() {
                    storage::set(CORRUPT_KEY, s);
                }
            }
        }
        let c = Connections {
            list: RwSignal::new(loaded.list),
            notice: RwSignal::new(loaded.notice),
        };
        c.persist();
        c
    }

    /// Writes settings and remembered keys. Keys of connections without "remember" are never written.
    pub fn persist(&self) {
        let list = self.list.get_untracked();
        let settings = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
        let keys: BTreeMap<&str, &str> = list
            .iter()
            .filter(|c| c.remember && !c.key.is_empty())
            .map(|c| (c.name.as_str(), c.key.as_str()))
            .collect();
        let ok = storage::set(CONNECTIONS_KEY, &settings);
        if keys.is_empty() {
            storage::remove(KEYS_KEY);
        } else if let Ok(k) = serde_json::to_string(&keys) {
            storage::set(KEYS_KEY, &k);
        }
        if !ok {
            self.notice.set(Some(
                "This browser refused to save connections; they last only for this tab.".into(),
            ));
        }
    }

    pub fn get(&self, name: &str) -> Option<Connection> {
        self.list
            .with_untracked(|l| l.iter().find(|c| c.name == name).cloned())
    }

    /// Adds or replaces (by `original_name`, for renames) a connection.
    pub fn upsert(&self, original_name: Option<&str>, conn: Connection) -> Result<(), String> {
        let clash = self.list.with_untracked(|l| {
            l.iter()
                .any(|c| c.name == conn.name && Some(c.name.as_str()) != original_name)
        });
        if clash {
            return Err(format!(
                "A connection named “{}” exists already; choose another name.",
                conn.name
            ));
        }
        self.list.update(|l| {
            match original_name.and_then(|n| l.iter().position(|c| c.name == n)) {
                Some(i) => l[i] = conn,
                None => l.push(conn),
            }
        });
        self.persist();
        Ok(())
    }

    pub fn remove(&self, name: &str) {
        self.list.update(|l| l.retain(|c| c.name != name));
        self.persist();
    }

    /// Removes every stored key and clears them from memory too.
    pub fn forget_keys(&self) {
        self.list.update(|l| {
            for c in l.iter_mut() {
                c.key.clear();
                c.remember = false;
            }
        });
        storage::remove(KEYS_KEY);
        self.persist();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_open_gives_demo_connections() {
        let l = parse_stored(None, None);
        assert_eq!(l.list.len(), 3);
        assert!(l.list.iter().all(|c| c.demo));
        assert_eq!(l.notice, None);
    }

    #[test]
    fn keys_never_serialised_with_settings() {
        let mut c = Connection::demo(Vendor::Bland);
        c.key = "sk-secret".into();
        let s = serde_json::to_string(&vec![c]).unwrap();
        assert!(!s.contains("sk-secret"));
    }

    #[test]
    fn corrupt_storage_is_reported_not_fatal() {
        let l = parse_stored(Some("{not json"), Some("[1,2]"));
        assert_eq!(l.list.len(), 3);
        assert!(l.notice.is_some());
    }

    #[test]
    fn remembered_keys_are_restored() {
        let settings = r#"[{"name":"Prod","vendor":"burki","base_url":"https://api.burki.dev","remember":true}]"#;
        let l = parse_stored(Some(settings), Some(r#"{"Prod":"tok"}"#));
        assert_eq!(l.list[0].key, "tok");
        assert_eq!(l.list[0].timeout_secs, DEFAULT_TIMEOUT_SECS);
    }

    #[test]
    fn masking() {
        let mut c = Connection::demo(Vendor::Bland);
        c.demo = false;
        c.key = "sk-live-1234567890abcd".into();
        assert_eq!(c.masked_key(), "••••abcd");
        c.key = "short".into();
        assert_eq!(c.masked_key(), "••••");
    }
}
