//! hookscope: a console to review voice-AI webhook deliveries (Bland, Burki, Talkover).
//!
//! `main.rs` only mounts [`app::App`]; everything lives here so the browser tests in
//! `tests/web.rs` can mount components on their own.

pub mod app;
pub mod bulk;
pub mod client;
pub mod components;
pub mod data;
pub mod diff;
pub mod export;
pub mod format;
pub mod json_tree;
pub mod pages;
pub mod query;
pub mod replay;
pub mod state;
pub mod timeline;
pub mod transport;

pub use app::{App, DemoOnScreen, LastExplorerHref};

/// Shows a visible `app-crashed` notice if the app panics, besides the console message.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            if let Ok(div) = body
                .owner_document()
                .map_or(Err(wasm_bindgen::JsValue::NULL), |d| {
                    d.create_element("div")
                })
            {
                let _ = div.set_attribute("data-testid", "app-crashed");
                let _ = div.set_attribute("class", "app-crashed");
                div.set_text_content(Some("hookscope hit an internal error. Reload the page; your connections are kept. Please report what you were doing."));
                let _ = body.append_child(&div);
            }
        }
    }));
}

/// Bytes of wasm linear memory in use, for the benchmark (`window.wasmBindings`).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| f64::from(b.byte_length()))
                .unwrap_or(0.0)
        })
        .unwrap_or(0.0)
}
