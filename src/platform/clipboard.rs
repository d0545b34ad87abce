//! Writing to the clipboard, in one place. The browser may refuse (no permission, the
//! page not focused): the caller's button says "Copied" only when the write was started.

/// Starts copying `text`; false when the browser offers no clipboard.
pub fn copy(text: &str) -> bool {
    match web_sys::window() {
        Some(w) => {
            let _ = w.navigator().clipboard().write_text(text);
            true
        }
        None => false,
    }
}
