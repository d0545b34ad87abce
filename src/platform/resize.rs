//! Watching elements' sizes: a `ResizeObserver` calls back after the browser has laid
//! the page out, so reading sizes there costs nothing (read right after a change, they
//! make the browser lay out the whole page at once, inside the caller's task).

use wasm_bindgen::prelude::*;

/// Calls its callback once the watched elements have been laid out (a hidden one when it
/// shows), and again whenever one of them changes size; stops when dropped.
pub struct Observer {
    observer: web_sys::ResizeObserver,
    _callback: Closure<dyn FnMut()>,
}

impl Observer {
    /// Watches `el` and, when given, `also`. `None` where the browser has no
    /// `ResizeObserver` (the sizes then stay as first guessed).
    pub fn new(
        on_resize: impl FnMut() + 'static,
        el: &web_sys::Element,
        also: Option<&web_sys::Element>,
    ) -> Option<Observer> {
        let callback = Closure::<dyn FnMut()>::new(on_resize);
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(el);
        if let Some(also) = also {
            observer.observe(also);
        }
        Some(Observer {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for Observer {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
