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
