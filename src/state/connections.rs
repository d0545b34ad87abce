//! Saved connections (vendor, name, base URL, key) and where each part is kept.
//!
//! - Connection settings (never keys) live in localStorage under [`keys::CONNECTIONS`].
//! - A key lives only in this tab's memory, unless the person ticks "remember on this
//!   device": then it is also stored under [`keys::KEYS`]. `forget_keys` removes them all,
//!   in every open tab. Storage is shared with every app on the origin (CDNs host several
//!   on one), so nothing read from it decides that a key is written: "remembered" means
//!   the key came from [`keys::KEYS`] or the person ticked the box in this tab, never a
//!   stored flag.
//! - Every stored field is checked with the rules of the form ([`rules`]); what cannot be
//!   used is kept aside in storage, never dropped, and the notice says what was kept.
//! - Open tabs stay in step through the `storage` event; a tab that missed a "forget"
//!   notices it by the forget marker ([`keys::KEYS_FORGOTTEN`]) before it writes, so a forgotten
//!   key is never written back.
//! - With nothing stored yet, one demo connection per vendor is offered.

use crate::platform::config::RuntimeConfig;
use crate::platform::storage::{self, keys};
use hookscope_core::connection::{rules, Connection, DEFAULT_TIMEOUT_SECS};
use hookscope_core::domain::Vendor;
use hookscope_core::ids::clean_base_url;
use hookscope_core::secret::ApiKey;
use leptos::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What is stored of a connection: everything but the key (and not whether it is
/// remembered: that is the presence of the key in [`keys::KEYS`]).
#[derive(Serialize)]
struct Stored<'a> {
    name: &'a str,
    vendor: Vendor,
    base_url: &'a str,
    demo: bool,
    readonly: bool,
    timeout_secs: u32,
}

/// What is written of `c` (settings only; keys are kept apart).
fn stored(c: &Connection) -> Stored<'_> {
    Stored {
        name: &c.name,
        vendor: c.vendor,
        base_url: &c.base_url,
        demo: c.demo,
        readonly: c.readonly,
        timeout_secs: c.timeout_secs,
    }
}

/// Reads one stored connection with the form's rules. `Err` is why it cannot be used;
/// the `Vec` says what was corrected (a field replaced by its default).
fn from_stored(v: &Value) -> Result<(Connection, Vec<String>), String> {
    let o = v.as_object().ok_or("it is not an object")?;
    let text = |k: &str| o.get(k).and_then(Value::as_str);
    let name = rules::name(text("name").unwrap_or(""))?;
    let vendor = text("vendor")
        .and_then(Vendor::parse)
        .ok_or_else(|| format!("unknown vendor {}", o.get("vendor").unwrap_or(&Value::Null)))?;
    let base_url = clean_base_url(text("base_url").unwrap_or(""))
        .map_err(|e| format!("base URL: {e}"))?
        .as_str()
        .to_string();
    let flag = |k: &str| o.get(k).and_then(Value::as_bool).unwrap_or(false);
    let mut fixed = Vec::new();
    let timeout_secs = match o.get("timeout_secs") {
        None | Some(Value::Null) => DEFAULT_TIMEOUT_SECS,
        Some(t) => match rules::timeout(&t.to_string()) {
            Ok(t) => t,
            Err(_) => {
                fixed.push(format!(
                    "the timeout of “{name}” ({t}) was outside {}–{} s, so {DEFAULT_TIMEOUT_SECS} s is used",
                    rules::TIMEOUT_SECS.start(),
                    rules::TIMEOUT_SECS.end()
                ));
                DEFAULT_TIMEOUT_SECS
            }
        },
    };
    Ok((
        Connection {
            name,
            vendor,
            base_url,
            key: ApiKey::default(),
            // A stored `remember` flag (older versions wrote one, and another app on
            // the origin can write one) is ignored: see the module docs.
            remember: false,
            demo: flag("demo"),
            readonly: flag("readonly"),
            timeout_secs,
            managed: false,
            role_limit: None,
        },
        fixed,
    ))
}

/// What `parse_stored` found in storage.
#[derive(Debug, Default, PartialEq)]
pub struct Loaded {
    pub list: Vec<Connection>,
    /// What the person should know, in plain words; empty when all was read.
    pub notices: Vec<String>,
    /// Stored connections that could not be used (JSON), to keep under [`keys::CONNECTIONS_UNREADABLE`].
    pub aside: Option<String>,
    /// An unreadable keys value, to keep under [`keys::KEYS_UNREADABLE`].
    pub keys_aside: Option<String>,
    /// Remembered keys not attached to a loaded connection: written back unchanged.
    pub orphan_keys: BTreeMap<String, String>,
}

/// Parses the stored settings and keys (pure: testable without a browser).
pub fn parse_stored(settings: Option<&str>, stored_keys: Option<&str>) -> Loaded {
    let mut out = Loaded::default();
    let demo = || Vendor::ALL.iter().map(|v| Connection::demo(*v)).collect();
    match settings {
        None => out.list = demo(),
        Some(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(items)) => {
                let mut aside = Vec::new();
                let mut refused = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for (i, item) in items.iter().enumerate() {
                    let n = i.saturating_add(1);
                    match from_stored(item) {
                        Ok((c, fixed)) if seen.insert(c.name.clone()) => {
                            if !fixed.is_empty() {
                                aside.push(item.clone());
                            }
                            out.notices.extend(fixed.into_iter().map(capitalise));
                            out.list.push(c);
                        }
                        Ok((c, _)) => {
                            aside.push(item.clone());
                            refused.push(format!("#{n} repeats the name “{}”", c.name));
                        }
                        Err(why) => {
                            aside.push(item.clone());
                            refused.push(format!("#{n}: {why}"));
                        }
                    }
                }
                if !refused.is_empty() {
                    out.notices.push(format!(
                        "{} saved connection(s) could not be used and were set aside ({}); {} were loaded. The originals are kept in this browser's storage under “{}”.",
                        refused.len(),
                        refused.join("; "),
                        out.list.len(),
                        keys::CONNECTIONS_UNREADABLE
                    ));
                }
                if !aside.is_empty() {
                    out.aside = serde_json::to_string(&aside).ok();
                }
            }
            Ok(_) | Err(_) => {
                out.notices.push(format!(
                    "Saved connections could not be read (not a list of connections). Demo connections are shown instead; the unreadable value is kept in this browser's storage under “{}”.",
                    keys::CONNECTIONS_UNREADABLE
                ));
                out.aside = Some(s.to_string());
                out.list = demo();
            }
        },
    }
    let Some(k) = stored_keys else {
        return out;
    };
    match serde_json::from_str::<BTreeMap<String, Value>>(k) {
        Err(_) => {
            out.notices.push(format!(
                "Remembered API keys could not be read, so none were loaded; the value was moved aside under “{}” (Forget all keys removes it). Enter the keys again in Connections.",
                keys::KEYS_UNREADABLE
            ));
            out.keys_aside = Some(k.to_string());
        }
        Ok(map) => {
            let mut unusable = Vec::new();
            let mut unattached = Vec::new();
            for (name, raw) in map {
                let text = raw
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| raw.to_string());
                let conn = out.list.iter_mut().find(|c| c.name == name && !c.demo);
                match (conn, ApiKey::parse(&text)) {
                    (Some(c), Ok(key)) => {
                        c.key = key;
                        c.remember = true;
                    }
                    (Some(_), Err(e)) => {
                        unusable.push(format!("“{name}”: {e}"));
                        out.orphan_keys.insert(name, text);
                    }
                    (None, _) => {
                        unattached.push(format!("“{name}”"));
                        out.orphan_keys.insert(name, text);
                    }
                }
            }
            if !unusable.is_empty() {
                out.notices.push(format!(
                    "Some remembered keys cannot be used and were not loaded ({}). They stay in storage until you enter new ones or use Forget all keys.",
                    unusable.join("; ")
                ));
            }
            if !unattached.is_empty() {
                out.notices.push(format!(
                    "Remembered keys for {} belong to no loaded connection; they were kept in storage, not loaded.",
                    unattached.join(", ")
                ));
            }
        }
    }
    out
}

/// The deployment's part: its managed connections come first, for everyone (a stored
/// connection of the same name is set aside and said); with managed connections and
/// nothing of the person's own, no demo connections are offered; and the signed-in
/// person's role limit, if any, applies to every connection.
pub fn with_deployment(
    mut loaded: Loaded,
    managed: &[Connection],
    send_limit: Option<&str>,
    nothing_stored: bool,
) -> Loaded {
    if !managed.is_empty() {
        if nothing_stored {
            loaded.list.retain(|c| !c.demo);
        }
        // A stored connection named like a managed one is kept aside (with its remembered
        // key), never dropped.
        let (clashing, kept): (Vec<Connection>, Vec<Connection>) = std::mem::take(&mut loaded.list)
            .into_iter()
            .partition(|c| !c.demo && managed.iter().any(|m| m.name == c.name));
        loaded.list = kept;
        if !clashing.is_empty() {
            let mut aside: Vec<Value> = loaded
                .aside
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            for c in &clashing {
                aside.extend(serde_json::to_value(stored(c)).ok());
                if c.remember && !c.key.is_empty() {
                    loaded
                        .orphan_keys
                        .insert(c.name.clone(), c.key.expose().to_string());
                }
            }
            loaded.aside = serde_json::to_string(&aside).ok();
            let names: Vec<String> = clashing.iter().map(|c| format!("“{}”", c.name)).collect();
            loaded.notices.push(format!(
                "This deployment now provides {}; your own connection(s) of the same name were set aside under “{}”.",
                names.join(", "),
                keys::CONNECTIONS_UNREADABLE
            ));
        }
        let mut list = managed.to_vec();
        list.append(&mut loaded.list);
        loaded.list = list;
    }
    if let Some(why) = send_limit {
        for c in loaded.list.iter_mut() {
            c.role_limit = Some(why.to_string());
        }
    }
    loaded
}

/// Our messages start with ASCII words; `to_ascii_uppercase` spares the first download
/// the 16 kB Unicode case table `char::to_uppercase` brings.
fn capitalise(mut s: String) -> String {
    if s.is_empty() {
        return s;
    }
    if let Some(first) = s.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    s + "."
}

/// All connections, shared through context.
#[derive(Clone, Copy)]
pub struct Connections {
    pub list: RwSignal<Vec<Connection>>,
    /// A message about storage that the person should see (unreadable data, storage refused).
    pub notice: RwSignal<Option<String>>,
    /// The forget marker this tab last saw; see [`keys::KEYS_FORGOTTEN`].
    epoch: StoredValue<Option<String>>,
    orphan_keys: StoredValue<BTreeMap<String, String>>,
    /// False when the deployment's config.json says keys must never be stored.
    remember_allowed: bool,
    /// The deployment's managed connections and the signed-in person's role limit,
    /// applied again whenever another tab's write is read back.
    deployment: StoredValue<(Vec<Connection>, Option<String>)>,
}

impl Connections {
    /// Reads storage, keeps aside what cannot be used, and follows other tabs' writes.
    pub fn load(config: &RuntimeConfig) -> Connections {
        let settings = storage::get(keys::CONNECTIONS);
        let keys = storage::get(keys::KEYS);
        let send_limit = config.signed_in.as_ref().and_then(|s| s.send_limit());
        let mut loaded = with_deployment(
            parse_stored(settings.as_deref(), keys.as_deref()),
            &config.connections,
            send_limit.as_deref(),
            settings.is_none(),
        );
        loaded.list.retain(|c| !c.demo || config.shows(c.vendor));
        let remember_allowed = config.remember_keys;
        let had_keys = keys.is_some()
            || storage::get(keys::KEYS_UNREADABLE).is_some()
            || loaded.list.iter().any(|c| c.remember);
        if !remember_allowed && had_keys {
            for c in loaded.list.iter_mut() {
                c.remember = false;
                c.key = ApiKey::default();
            }
            loaded.orphan_keys.clear();
            loaded.keys_aside = None;
            storage::remove(keys::KEYS);
            storage::remove(keys::KEYS_UNREADABLE);
            loaded.notices.push(
                "This deployment does not allow keys to be remembered (config.json), so the keys this browser had remembered were removed. Enter them again; they stay in this tab's memory only."
                    .into(),
            );
        }
        if let Some(a) = &loaded.aside {
            storage::set(keys::CONNECTIONS_UNREADABLE, a);
        }
        if let Some(a) = &loaded.keys_aside {
            storage::set(keys::KEYS_UNREADABLE, a);
        }
        let c = Connections {
            list: RwSignal::new(loaded.list),
            notice: RwSignal::new((!loaded.notices.is_empty()).then(|| loaded.notices.join(" "))),
            epoch: StoredValue::new(storage::get(keys::KEYS_FORGOTTEN)),
            orphan_keys: StoredValue::new(loaded.orphan_keys),
            remember_allowed,
            deployment: StoredValue::new((config.connections.clone(), send_limit)),
        };
        c.persist();
        c.follow_other_tabs();
        c
    }

    /// Keeps this tab in step with the others (the `storage` event fires for writes made
    /// by other tabs only).
    fn follow_other_tabs(self) {
        const WATCHED: &[&str] = &[keys::CONNECTIONS, keys::KEYS, keys::KEYS_FORGOTTEN];
        storage::on_change(WATCHED, move |key| {
            // A cleared storage forgets every key too.
            if matches!(key, None | Some(keys::KEYS_FORGOTTEN)) {
                self.clear_keys_in_memory();
                self.notice.set(Some(
                    "Every key was forgotten in another tab; this tab cleared its keys too.".into(),
                ));
            }
            self.reload();
        });
    }

    /// Re-reads the list another tab wrote, keeping this tab's memory-only keys.
    fn reload(&self) {
        let settings = storage::get(keys::CONNECTIONS);
        let loaded = self.deployment.with_value(|(managed, limit)| {
            with_deployment(
                parse_stored(settings.as_deref(), storage::get(keys::KEYS).as_deref()),
                managed,
                limit.as_deref(),
                settings.is_none(),
            )
        });
        let _ = self.epoch.try_set_value(storage::get(keys::KEYS_FORGOTTEN));
        let _ = self.orphan_keys.try_set_value(loaded.orphan_keys);
        let mine = self.list.get_untracked();
        let mut list = loaded.list;
        for c in list.iter_mut().filter(|c| c.key.is_empty()) {
            if let Some(old) = mine.iter().find(|o| {
                o.name == c.name && o.vendor == c.vendor && o.base_url == c.base_url && !o.remember
            }) {
                // A memory key stays a memory key, whatever the storage now says.
                c.key = old.key.clone();
                c.remember = false;
            }
        }
        let _ = self.list.try_set(list);
    }

    fn clear_keys_in_memory(&self) {
        let _ = self.orphan_keys.try_set_value(BTreeMap::new());
        let _ = self.list.try_update(|l| {
            for c in l.iter_mut() {
                c.key = ApiKey::default();
                c.remember = false;
            }
        });
    }

    /// If another tab forgot every key since this tab last looked (and this tab missed the
    /// event), forgets them here too, before anything is written.
    fn catch_up_on_forget(&self) {
        let marker = storage::get(keys::KEYS_FORGOTTEN);
        if self.epoch.get_value() != marker {
            self.clear_keys_in_memory();
            self.epoch.set_value(marker);
            self.notice.set(Some(
                "Every key was forgotten in another tab; this tab cleared its keys too, and did not write them back."
                    .into(),
            ));
        }
    }

    /// Whether "Remember on this device" may be offered (config.json).
    pub fn remember_allowed(&self) -> bool {
        self.remember_allowed
    }

    /// Writes settings and remembered keys. Keys of connections without "remember" are
    /// never written, and neither is any key forgotten since this tab last looked.
    pub fn persist(&self) {
        self.catch_up_on_forget();
        let list = self.list.get_untracked();
        // Managed connections are the deployment's: never written to this browser.
        let stored: Vec<Stored<'_>> = list.iter().filter(|c| !c.managed).map(stored).collect();
        let settings = serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into());
        let mut keys: BTreeMap<String, String> = self.orphan_keys.get_value();
        let allowed = self.remember_allowed;
        for c in list
            .iter()
            .filter(|c| allowed && c.remember && !c.key.is_empty())
        {
            keys.insert(c.name.clone(), c.key.expose().to_string());
        }
        let ok = storage::set(keys::CONNECTIONS, &settings);
        if keys.is_empty() {
            storage::remove(keys::KEYS);
        } else if let Ok(k) = serde_json::to_string(&keys) {
            storage::set(keys::KEYS, &k);
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
    pub fn upsert(&self, original_name: Option<&str>, mut conn: Connection) -> Result<(), String> {
        conn.remember &= self.remember_allowed;
        if let Some(n) = original_name.filter(|n| self.get(n).is_some_and(|c| c.managed)) {
            return Err(format!(
                "“{n}” is provided by this deployment (config.json): it cannot be changed here."
            ));
        }
        // The person's role limit holds for a connection they add, too.
        conn.role_limit = self.deployment.with_value(|(_, limit)| limit.clone());
        conn.managed = false;
        // A key typed now was not forgotten: catch up first, then add it.
        self.catch_up_on_forget();
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
        self.orphan_keys.update_value(|o| {
            o.remove(&conn.name);
        });
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
        self.list
            .update(|l| l.retain(|c| c.name != name || c.managed));
        self.persist();
    }

    /// Removes every stored key, clears them from memory, and tells the other tabs.
    pub fn forget_keys(&self) {
        self.clear_keys_in_memory();
        storage::remove(keys::KEYS);
        storage::remove(keys::KEYS_UNREADABLE);
        let marker = format!("{}", js_sys::Date::now());
        storage::set(keys::KEYS_FORGOTTEN, &marker);
        self.epoch.set_value(Some(marker));
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
        assert!(l.notices.is_empty());
    }

    #[test]
    fn keys_never_serialised_with_settings_or_debug() {
        let mut c = Connection::demo(Vendor::Bland);
        c.key = ApiKey::parse("sk-secret-value").unwrap();
        let s = serde_json::to_string(&vec![stored(&c)]).unwrap();
        assert!(!s.contains("sk-secret"));
        assert!(
            !format!("{c:?}").contains("sk-secret"),
            "Debug never prints the key"
        );
    }

    #[test]
    fn corrupt_storage_is_reported_and_kept() {
        let l = parse_stored(Some("{not json"), Some("[1,2]"));
        assert_eq!(l.list.len(), 3);
        assert_eq!(l.aside.as_deref(), Some("{not json"));
        assert_eq!(l.keys_aside.as_deref(), Some("[1,2]"));
        assert_eq!(l.notices.len(), 2);
    }

    #[test]
    fn remembered_keys_are_restored() {
        let settings = r#"[{"name":"Prod","vendor":"burki","base_url":"https://api.burki.dev","remember":true}]"#;
        let l = parse_stored(Some(settings), Some(r#"{"Prod":"tok"}"#));
        assert_eq!(l.list[0].key.expose(), "tok");
        assert_eq!(l.list[0].timeout_secs, DEFAULT_TIMEOUT_SECS);
        assert!(l.notices.is_empty(), "{:?}", l.notices);
    }

    /// The defect class: stored values are checked like typed ones, and what cannot be
    /// used is kept and named, never silently dropped.
    #[test]
    fn stored_fields_obey_the_form_rules() {
        let settings = r#"[
          {"name":"Huge","vendor":"bland","base_url":"https://api.bland.ai","timeout_secs":18446744073709551615},
          {"name":"Evil","vendor":"bland","base_url":"/\\evil.example","remember":true},
          {"name":"Odd","vendor":"nope","base_url":"https://x.example"},
          {"name":"Huge","vendor":"burki","base_url":"https://api.burki.dev"},
          "junk"
        ]"#;
        let keys = r#"{"Huge":"sk\u200bzero","Evil":"sk-evil-key","Gone":"sk-gone"}"#;
        let l = parse_stored(Some(settings), Some(keys));
        assert_eq!(l.list.len(), 1);
        let huge = &l.list[0];
        assert_eq!(huge.timeout_secs, DEFAULT_TIMEOUT_SECS);
        assert_eq!(huge.timeout_ms(), 30_000);
        assert!(
            huge.key.is_empty(),
            "a key with a zero-width space is not loaded"
        );
        let all = l.notices.join(" ");
        for said in [
            "timeout",
            "4 saved connection(s) could not be used",
            "base URL",
            "unknown vendor",
            "repeats the name",
            "not an object",
            "zero-width space",
            "“Gone”",
            "“Evil”",
        ] {
            assert!(all.contains(said), "notice lacks {said}: {all}");
        }
        assert!(
            !all.contains("sk-evil-key") && !all.contains("sk-gone"),
            "no key in notices"
        );
        let aside: Vec<Value> = serde_json::from_str(l.aside.as_deref().unwrap()).unwrap();
        assert_eq!(
            aside.len(),
            5,
            "the corrected and the refused items are all kept"
        );
        for name in ["Huge", "Evil", "Gone"] {
            assert!(
                l.orphan_keys.contains_key(name),
                "{name}'s key is kept, not dropped"
            );
        }
    }

    /// The defect class: another app on the origin set `remember: true` in the stored
    /// settings, and the next save wrote a memory-only key to storage.
    #[test]
    fn a_stored_remember_flag_never_upgrades_a_key() {
        let settings = r#"[{"name":"Prod","vendor":"bland","base_url":"https://api.bland.ai","remember":true}]"#;
        let l = parse_stored(Some(settings), None);
        assert!(!l.list[0].remember, "the stored flag is not read");
        let l = parse_stored(Some(settings), Some(r#"{"Prod":"sk-from-storage"}"#));
        assert!(
            l.list[0].remember,
            "a key read from storage stays remembered"
        );
        let mut c = l.list[0].clone();
        c.remember = true;
        let written = serde_json::to_string(&vec![stored(&c)]).unwrap();
        assert!(!written.contains("remember"), "{written}");
    }

    #[test]
    fn timeout_ms_never_overflows() {
        let mut c = Connection::demo(Vendor::Bland);
        c.timeout_secs = u32::MAX;
        assert_eq!(c.timeout_ms(), 300_000);
        c.timeout_secs = 0;
        assert_eq!(c.timeout_ms(), 1_000);
    }

    #[test]
    fn masking() {
        let mut c = Connection::demo(Vendor::Bland);
        c.demo = false;
        c.key = ApiKey::parse("sk-live-1234567890abcd").unwrap();
        assert_eq!(c.masked_key(), "••••abcd");
        c.key = ApiKey::parse("short").unwrap();
        assert_eq!(c.masked_key(), "••••");
    }

    /// Managed connections come first for everyone, are never stored, win over a stored
    /// one of the same name, replace the demo connections, and the role limit applies.
    #[test]
    fn the_deployment_declares_connections_and_limits_sending() {
        let managed = vec![Connection::managed(
            "Bland prod".into(),
            Vendor::Bland,
            "/hookscope/api/bland".into(),
        )];
        let fresh = with_deployment(parse_stored(None, None), &managed, None, true);
        assert_eq!(
            fresh.list.len(),
            1,
            "no demo connections beside managed ones"
        );
        assert!(fresh.list[0].managed && fresh.list[0].key.is_empty());
        let settings = r#"[{"name":"Bland prod","vendor":"bland","base_url":"https://api.bland.ai"},{"name":"Mine","vendor":"burki","base_url":"https://api.burki.dev"}]"#;
        let l = with_deployment(
            parse_stored(Some(settings), Some(r#"{"Bland prod":"sk-mine"}"#)),
            &managed,
            Some("Your role (support) may only review"),
            false,
        );
        let names: Vec<&str> = l.list.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Bland prod", "Mine"]);
        assert!(
            l.list[0].managed && l.list[0].key.is_empty(),
            "the stored key is not attached to the managed one"
        );
        assert!(l.notices.join(" ").contains("now provides “Bland prod”"));
        assert!(
            l.aside.as_deref().unwrap().contains("api.bland.ai"),
            "set aside, not dropped"
        );
        assert_eq!(
            l.orphan_keys.get("Bland prod").map(String::as_str),
            Some("sk-mine")
        );
        assert!(l
            .list
            .iter()
            .all(|c| c.readonly_reason().is_some_and(|r| r.contains("support"))));
        let written: Vec<Stored<'_>> = l.list.iter().filter(|c| !c.managed).map(stored).collect();
        let text = serde_json::to_string(&written).unwrap();
        assert!(!text.contains("Bland prod"), "{text}");
    }
}
