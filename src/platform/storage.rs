//! localStorage access that never panics: a browser may deny storage (private mode,
//! policies), and a stored value may be anything.

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
    const KEY: &str = "hookscope.tab";
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
