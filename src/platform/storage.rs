//! Browser storage, in one place: every key hookscope keeps ([`keys`]), access that
//! never panics (a browser may deny storage: private mode, policies), and the one
//! listener for what other tabs write ([`on_change`]).
//!
//! localStorage is shared with every app on the origin (CDNs host several on one), so
//! whatever is read back is checked like typed input by its reader, and nothing read
//! decides on its own that a key is written or a webhook sent.

/// Every key hookscope keeps. localStorage unless marked "this tab" (sessionStorage).
pub mod keys {
    /// Connection settings, never keys (`state::connections`).
    pub const CONNECTIONS: &str = "hookscope.connections.v1";
    /// Keys the person chose to remember on this device, by connection name.
    pub const KEYS: &str = "hookscope.keys.v1";
    /// Stored connections that could not be used, kept aside rather than dropped.
    pub const CONNECTIONS_UNREADABLE: &str = "hookscope.connections.unreadable";
    /// An unreadable remembered-keys value (cleared by "Forget all keys").
    pub const KEYS_UNREADABLE: &str = "hookscope.keys.unreadable";
    /// Changes each time keys are forgotten, so every tab can tell.
    pub const KEYS_FORGOTTEN: &str = "hookscope.keys.forgotten";
    /// Saved views (link text of filters, sort and columns).
    pub const VIEWS: &str = "hookscope.views";
    pub const VIEWS_UNREADABLE: &str = "hookscope.views.unreadable";
    /// The local/UTC choice.
    pub const TIME_ZONE: &str = "hookscope.timezone";
    /// The bulk form as the person left it.
    pub const BULK_DRAFT: &str = "hookscope.bulk.draft.v1";
    /// The running (or last) bulk run: outcomes so far; tells other tabs a run is on.
    pub const BULK_JOURNAL: &str = "hookscope.bulk.journal.v1";
    /// This tab: the lookup form as the person left it (link text, never a key).
    pub const LOOKUP_DRAFT: &str = "hookscope.lookup-draft";
    /// This tab: the explorer's last URL, for the header's "Explorer" link.
    pub const LAST_EXPLORER: &str = "hookscope.last-explorer";
    /// This tab: its ID, surviving a reload.
    pub const TAB: &str = "hookscope.tab";
}

/// Runs `f` when another tab writes one of `watched` (`Some(key)`), or clears the whole
/// storage (`None`). The browser fires this for other tabs' writes only. Stops with the
/// owner that called it.
pub fn on_change(watched: &'static [&'static str], f: impl Fn(Option<&str>) + 'static) {
    let _ = leptos_use_event_listener::use_event_listener(
        leptos::prelude::window(),
        leptos::ev::storage,
        move |ev: web_sys::StorageEvent| match ev.key() {
            None => f(None),
            Some(k) if watched.contains(&k.as_str()) => f(Some(&k)),
            Some(_) => {}
        },
    );
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

/// Returns false when the browser refused to store (quota, disabled storage).
pub fn set(key: &str, value: &str) -> bool {
    local()
        .map(|s| s.set_item(key, value).is_ok())
        .unwrap_or(false)
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// This tab's storage (survives a reload and a crash of the tab, not its closing).
pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok().flatten()
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(key, value);
    }
}

/// An ID for this browser tab that survives a reload of the tab (sessionStorage is per
/// tab), so a tab recognises its own unfinished work after a reload.
pub fn tab_id() -> String {
    const KEY: &str = keys::TAB;
    let session = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    if let Some(id) = session
        .as_ref()
        .and_then(|s| s.get_item(KEY).ok().flatten())
    {
        return id;
    }
    let id = format!("tab-{}", (js_sys::Math::random() * 1e12) as u64);
    if let Some(s) = session {
        let _ = s.set_item(KEY, &id);
    }
    id
}
