//! The browser around the app: where it is served from (`base`), the deployment's
//! `config.json`, code loaded on first use (`split`), storage shared with other tabs and
//! apps (`storage`), the clipboard and downloads. Knows nothing of vendors or views.

pub mod base;
pub mod clipboard;
pub mod config;
pub mod download;
pub mod panic;
pub mod resize;
pub mod session;
pub mod slices;
pub mod split;
pub mod storage;

/// Moves the focus to the first element `selector` matches, if there is one.
pub fn focus(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = leptos::prelude::document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
