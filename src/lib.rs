//! hookscope: a console to review voice-AI webhook deliveries (Bland, Burki, Talkover).
//!
//! `main.rs` only mounts [`app::App`]; everything lives here so the browser tests in
//! `tests/web.rs` can mount components on their own. ARCHITECTURE.md draws the layers:
//! `data` and `format` (pure) → `platform` → `net` → `state` → `components` → `pages` →
//! `app`, each importing only from its own layer and those below (tests/architecture.rs).

pub mod app;
pub mod components;
pub mod data;
pub mod format;
pub mod net;
pub mod pages;
pub mod platform;
pub mod state;

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

/// Panics on purpose, so the end-to-end tests can check what a crash looks like (the
/// `app-crashed` notice and its Reload). Reachable only from the page's own scripts.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn crash_for_tests() {
    panic!("crash_for_tests: a deliberate panic");
}
